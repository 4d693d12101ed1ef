#include "exportflow.h"

#include "background.h"
#include "trafficexport.h"
#include "trafficstore.h"
#include "units.h"
#include "warning.h"
#include "workspace.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QHash>

#include <utility>

namespace PipeScope {

ExportFlow::ExportFlow(Workspace *workspace, QWidget *window)
    : QObject(window), m_workspace(workspace), m_window(window)
{
}

QString ExportFlow::askPath()
{
    const QString csv = tr("CSV, one row per event (*.csv)");
    const QString text = tr("Text, as pipescope serve prints it (*.txt)");
    const QString raw = tr("The messages' raw bytes, one after another (*.bin)");
    const QString pcapng = tr("pcapng for Wireshark, one interface per connection (*.pcapng)");
    QString chosen;
    QString path = QFileDialog::getSaveFileName(m_window, tr("Export"), QString(),
                                                QStringList{csv, text, raw, pcapng}.join(QStringLiteral(";;")), &chosen);
    if (!path.isEmpty() && QFileInfo(path).suffix().isEmpty())
        path += chosen == csv      ? QStringLiteral(".csv")
                : chosen == text   ? QStringLiteral(".txt")
                : chosen == pcapng ? QStringLiteral(".pcapng")
                                   : QStringLiteral(".bin");
    return path;
}

void ExportFlow::run(const QList<qsizetype> &rows, const QString &path)
{
    QHash<quint32, QString> names;
    for (const SessionEndpoint &e : m_workspace->sessionHeader().endpoints)
        names.insert(e.id, m_workspace->label(e.id));
    emit message(tr("Exporting to %1…").arg(QFileInfo(path).fileName()), 0);
    runInBackground(
        this,
        [snapshot = m_workspace->store()->snapshot(), rows, path, names]() mutable {
            QString error;
            const qint64 written = exportTraffic(snapshot, rows, exportFormatFor(path), path, names, &error);
            snapshot.release();
            return std::pair(written, error);
        },
        [this, path](const std::pair<qint64, QString> &done) {
            if (done.first < 0) {
                emit message(done.second, 0);
                showWarning(m_window, tr("Export"), done.second);
            } else {
                emit message(tr("Exported %1 to %2").arg(counted(done.first, tr("event"), tr("events")), path), 15000);
            }
            emit exported(done.first, done.second);
        });
}

} // namespace PipeScope

#include "moc_exportflow.cpp"
