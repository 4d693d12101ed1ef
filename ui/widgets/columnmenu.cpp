#include "columnmenu.h"

#include "columnfitter.h"

#include <QAction>
#include <QHeaderView>
#include <QMenu>
#include <QPointer>
#include <QSettings>
#include <QVariant>

#include <algorithm>

namespace PipeScope {

namespace {

QList<int> hiddenColumns(const QString &key, const QList<int> &hiddenByDefault)
{
    const QSettings settings;
    if (!settings.contains(key))
        return hiddenByDefault;
    QList<int> hidden;
    for (const QVariant &column : settings.value(key).toList())
        hidden.append(column.toInt());
    return hidden;
}

bool droppedBy(const QPointer<ColumnFitter> &fitter, int column)
{
    return fitter && std::find(fitter->dropped().cbegin(), fitter->dropped().cend(), column) != fitter->dropped().cend();
}

void saveHidden(const QHeaderView *header, const QString &key, const QPointer<ColumnFitter> &fitter)
{
    QVariantList hidden;
    for (int column = 1; column < header->count(); ++column)
        if (header->isSectionHidden(column) && !droppedBy(fitter, column))
            hidden.append(column);
    QSettings().setValue(key, hidden);
}

} // namespace

void addColumnMenu(QHeaderView *header, const char *settingsKey, const QList<int> &hiddenByDefault,
                   ColumnFitter *columnFitter)
{
    const QString key = QLatin1String(settingsKey);
    for (int column : hiddenColumns(key, hiddenByDefault))
        if (column > 0 && column < header->count())
            header->hideSection(column);
    header->setContextMenuPolicy(Qt::CustomContextMenu);
    const QPointer<ColumnFitter> fitter(columnFitter);
    QObject::connect(header, &QHeaderView::customContextMenuRequested, header, [header, key, fitter](const QPoint &at) {
        QMenu menu(header);
        for (int column = 1; column < header->count(); ++column) {
            const QString name = header->model()->headerData(column, header->orientation()).toString();
            const bool dropped = droppedBy(fitter, column);
            QAction *action = menu.addAction(dropped ? QObject::tr("%1 (no room: widen the view)").arg(name) : name);
            action->setCheckable(true);
            action->setChecked(dropped || !header->isSectionHidden(column));
            action->setEnabled(!dropped);
            QObject::connect(action, &QAction::toggled, header, [header, key, fitter, column](bool shown) {
                header->setSectionHidden(column, !shown);
                saveHidden(header, key, fitter);
                if (fitter)
                    fitter->fit();
            });
        }
        menu.exec(header->viewport()->mapToGlobal(at));
    });
}

} // namespace PipeScope
