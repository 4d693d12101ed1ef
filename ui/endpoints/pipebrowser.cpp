#include "pipebrowser.h"

#include "columnfitter.h"
#include "elidedelegate.h"
#include "pipelistmodel.h"
#include "units.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QFont>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

namespace PipeScope {

namespace {

// The rows the filter lets through, sorted by the model's sort role; this
// PipeScope's own pipes in italics.
class PipeFilterModel : public QSortFilterProxyModel
{
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;

    QVariant data(const QModelIndex &index, int role) const override
    {
        if (role == Qt::FontRole && index.data(PipeListModel::OwnRole).toBool()) {
            QFont font;
            font.setItalic(true);
            return font;
        }
        return QSortFilterProxyModel::data(index, role);
    }
};

} // namespace

PipeBrowser::PipeBrowser(QWidget *parent)
    : QWidget(parent),
      m_model(new PipeListModel(this)),
      m_proxy(new PipeFilterModel(this)),
      m_view(new QTreeView(this)),
      m_filter(new QLineEdit(this)),
      m_status(new QLabel(this))
{
    setObjectName(QStringLiteral("pipeBrowser"));
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(PipeListModel::SortRole);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);

    m_filter->setObjectName(QStringLiteral("pipeFilter"));
    m_filter->setPlaceholderText(tr("Filter by name, owner or process"));
    m_filter->setClearButtonEnabled(true);
    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_proxy->setFilterFixedString(text);
        updateStatus();
    });

    m_view->setObjectName(QStringLiteral("pipeList"));
    m_view->setModel(m_proxy);
    m_view->setRootIsDecorated(false);
    m_view->setUniformRowHeights(true);
    m_view->setAllColumnsShowFocus(true);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(PipeListModel::NameColumn, Qt::AscendingOrder);
    // A path's both ends tell most; a process's start.
    m_view->setItemDelegateForColumn(PipeListModel::NameColumn, new ElideDelegate(Qt::ElideMiddle, m_view));
    // The name takes the room left, at least a third: a path elided in its
    // middle (its tooltip tells everything). The others are as wide as
    // what they show; short of room, the widest (the processes) gives way
    // first, so the type, owner and queue stay whole.
    auto *fitter = new ColumnFitter(m_view, m_view->header(), PipeListModel::NameColumn, 3,
                                    ColumnFitter::Shrink::WidestFirst);
    // Short of room, the name and the process stay longest.
    fitter->setDropOrder({PipeListModel::QueueColumn, PipeListModel::OwnerColumn, PipeListModel::TypeColumn});
    fitter->followContents();
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);
    connect(m_view, &QTreeView::activated, this, [this](const QModelIndex &index) {
        emit connectRequested(index.data(PipeListModel::PipeNameRole).toString());
    });

    // An action on the selected pipe's name.
    const auto onSelected = [this](const QString &text, const char *id, const QString &tip,
                                   void (PipeBrowser::*request)(const QString &)) {
        auto *action = new QAction(text, this);
        action->setObjectName(QLatin1String(id));
        action->setToolTip(tip);
        connect(action, &QAction::triggered, this, [this, request] {
            if (const QString name = selectedName(); !name.isEmpty())
                emit(this->*request)(name);
        });
        return action;
    };
    QAction *connectAction = onSelected(tr("&Connect Client…"), "connectToPipe",
                                        tr("Connect a client to the selected pipe (or double-click it)"),
                                        &PipeBrowser::connectRequested);
    QAction *monitorAction =
        onSelected(tr("&Monitor…"), "monitorPipe",
                   tr("Make a monitor that passes its clients on to the selected pipe"), &PipeBrowser::monitorRequested);
    auto *copyAction = new QAction(tr("Copy &Name"), this);
    copyAction->setObjectName(QStringLiteral("copyPipeName"));
    copyAction->setShortcut(QKeySequence::Copy);
    copyAction->setShortcutContext(Qt::WidgetShortcut);
    connect(copyAction, &QAction::triggered, this, [this] {
        const QString name = selectedName();
        if (!name.isEmpty())
            QApplication::clipboard()->setText(name);
    });
    auto *refreshAction = new QAction(tr("&Refresh"), this);
    refreshAction->setObjectName(QStringLiteral("refreshPipes"));
    refreshAction->setShortcut(QKeySequence::Refresh);
    refreshAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(refreshAction, &QAction::triggered, this, &PipeBrowser::refresh);
    m_view->addActions({connectAction, monitorAction, copyAction, refreshAction});
    addAction(refreshAction);
    const auto updateSelectionActions = [this, connectAction, monitorAction, copyAction] {
        const bool any = !selectedName().isEmpty();
        connectAction->setEnabled(any);
        monitorAction->setEnabled(any);
        copyAction->setEnabled(any);
    };
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, updateSelectionActions);
    updateSelectionActions();

    auto *connectButton = new QToolButton(this);
    connectButton->setDefaultAction(connectAction);
    connectButton->setText(tr("Connect…"));
    auto *refreshButton = new QToolButton(this);
    refreshButton->setDefaultAction(refreshAction);

    m_status->setObjectName(QStringLiteral("pipeStatus"));
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setWordWrap(true);
    m_status->setMinimumWidth(1); // an error's words wrap rather than widen the dock

    // The filter over the list, the count and the buttons under it: a
    // narrow dock (an 800-pixel window) needs no more width than the buttons.
    auto *bottom = new QHBoxLayout;
    bottom->addWidget(m_status, 1);
    bottom->addWidget(connectButton);
    bottom->addWidget(refreshButton);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_filter);
    layout->addWidget(m_view, 1);
    layout->addLayout(bottom);

    m_timer.setInterval(kRefreshMs);
    connect(&m_timer, &QTimer::timeout, this, &PipeBrowser::refresh);
    connect(m_model, &PipeListModel::refreshed, this, [this] {
        updateStatus();
        emit refreshed();
    });
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &PipeBrowser::updateStatus);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &PipeBrowser::updateStatus);
    updateStatus();
}

QString PipeBrowser::selectedName() const
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString() : rows.first().data(PipeListModel::PipeNameRole).toString();
}

void PipeBrowser::refresh()
{
    m_model->refresh();
}

void PipeBrowser::updateStatus()
{
    const int all = m_model->rowCount();
    const int shown = m_proxy->rowCount();
    QString text = shown == all ? counted(all, tr("pipe"), tr("pipes"))
                                : tr("%1 of %2 shown").arg(shown).arg(counted(all, tr("pipe"), tr("pipes")));
    if (!m_model->error().isEmpty())
        text = m_model->error();
    m_status->setText(text);
}

void PipeBrowser::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    refresh();
    m_timer.start();
}

void PipeBrowser::hideEvent(QHideEvent *event)
{
    m_timer.stop();
    QWidget::hideEvent(event);
}

} // namespace PipeScope

#include "moc_pipebrowser.cpp"
