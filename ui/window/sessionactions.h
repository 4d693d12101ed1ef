#pragma once

#include "sessionio.h"

#include <QList>
#include <QObject>
#include <QString>

class QWidget;

namespace PipeScope {

class ActionRegistry;
class ExportFlow;
class ReplayDialog;
class SessionKeeper;
class TrafficPane;
class TrafficStore;
class TrafficTabs;
class Workspace;

// The File menu's session actions — Open Session, Save Session (again and
// as), Export This View, Replay — and the same asked from a table (Export,
// Replay of the selected rows). Files are read and written off the GUI
// thread; what a recorded session becomes (a window of its own) is the
// window's to decide, from opened().
class SessionActions : public QObject
{
    Q_OBJECT
public:
    SessionActions(Workspace *workspace, TrafficTabs *tabs, SessionKeeper *keeper, ActionRegistry *actions,
                   QWidget *window);

    // A table's Export and Replay of its selected rows.
    void watch(TrafficPane *pane);

    // Reads a session file off the GUI thread; opened() or failed() follows.
    // `recovered`: the file is a crashed run's journal, taken over.
    void openSession(const QString &path, bool recovered = false);
    // Writes everything captured so far, atomically, off the GUI thread.
    void saveSession(const QString &path);
    // These store rows (all, when empty) to `path`, in the format its
    // suffix names; exported() follows.
    void exportRows(const QList<qsizetype> &rows, const QString &path);
    // Replay the session (or the messages at these store rows), and check.
    ReplayDialog *showReplay(const QList<qsizetype> &rows = {});

signals:
    // The store and header are the new window's to adopt; `warning`, when
    // not empty, says what was cut off the file's end.
    void opened(PipeScope::TrafficStore *store, const PipeScope::SessionHeader &header, const QString &path,
                bool recovered, const QString &warning);
    void failed(const QString &error);
    void exported(qint64 events, const QString &error);
    // For the status bar; `timeoutMs` 0: until the next message.
    void message(const QString &text, int timeoutMs);

private:
    void registerActions(ActionRegistry *actions);
    // File ▸ Export This View: the rows the current tab shows.
    void exportView();

    Workspace *m_workspace;
    TrafficTabs *m_tabs;
    SessionKeeper *m_keeper;
    ExportFlow *m_export;
    QWidget *m_window;
};

} // namespace PipeScope
