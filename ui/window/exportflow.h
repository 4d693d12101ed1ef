#pragma once

#include <QList>
#include <QObject>
#include <QString>

class QWidget;

namespace PipeScope {

class Workspace;

// File ▸ Export This View / Export Selected, and a table's Export: where
// to (CSV, text, raw bytes or pcapng, by the file's suffix or the filter
// chosen), then the export itself off the GUI thread (it writes a file and
// may read the journal back), said in the status bar and, when it fails,
// in a warning.
class ExportFlow : public QObject
{
    Q_OBJECT
public:
    ExportFlow(Workspace *workspace, QWidget *window);

    // Asks for the file; empty when the user cancelled.
    QString askPath();
    // The store's rows (all with an empty list) to `path`; exported() follows.
    void run(const QList<qsizetype> &rows, const QString &path);

signals:
    // For the status bar; `timeoutMs` 0: until the next message.
    void message(const QString &text, int timeoutMs);
    // `events` written, or -1 and `error`.
    void exported(qint64 events, const QString &error);

private:
    Workspace *m_workspace;
    QWidget *m_window;
};

} // namespace PipeScope
