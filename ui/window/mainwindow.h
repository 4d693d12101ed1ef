#pragma once

#include "journalkeeper.h"
#include "traffictabs.h"
#include "settings.h"
#include "units.h"

#include <QMainWindow>

#include <functional>
#include <memory>
#include <optional>

class QLabel;
class QPushButton;
class QTabWidget;
class QTreeView;

namespace PipeScope {

class ActionRegistry;
class DockWidthKeeper;
class EndpointActions;
class EndpointDialog;
class EndpointFlow;
class EndpointTree;
class HelpActions;
class ReplayDialog;
class EndpointModel;
class PipeBrowser;
class SampleLauncher;
class SessionActions;
struct SessionHeader;
class SessionKeeper;
class StatusSummary;
class TrafficPane;
class TrafficStore;
class Workspace;

// The inspector: an endpoint tree (servers → instances, clients), one
// traffic tab per endpoint or instance plus one for all traffic, menus and
// a toolbar, a status bar with totals and rates. Window layout, recent
// names and preferences persist in QSettings.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    // A window on a workspace of its own, which it adopts: a recorded
    // session opens this way (read-only).
    explicit MainWindow(Workspace *workspace, QWidget *parent = nullptr);
    ~MainWindow() override;

    Workspace *workspace() const { return m_workspace; }
    TrafficStore *store() const;
    QTreeView *endpointTree() const { return m_tree; }
    QTabWidget *tabs() const { return m_tabs; }
    QLabel *statusSummary() const;
    // The all-traffic tab.
    TrafficPane *allTraffic() const { return m_tabs->allTraffic(); }
    // The tab showing this endpoint (instance 0) or instance, opened (and
    // kept) if needed, and made current.
    TrafficPane *showTraffic(quint32 endpoint, quint32 instance = 0) { return m_tabs->show(endpoint, instance); }
    // What the Endpoint menu's actions act on: the endpoint or instance of
    // the current tab, which the tree's selection follows.
    using Target = TrafficTabs::Target;
    std::optional<Target> target() const { return m_tabs->target(); }
    TrafficPane *findTraffic(std::optional<quint32> endpoint, quint32 instance = 0) const
    {
        return m_tabs->find(endpoint, instance);
    }
    TrafficPane *currentPane() const { return m_tabs->current(); }
    PipeBrowser *pipeBrowser() const { return m_pipes; }
    // The docks' width the user chose (or the default), which they come
    // back to when the window is large enough again.
    int preferredDockWidth() const;

    // The dialog now open (New Server / Connect Client), if any.
    EndpointDialog *openDialog() const;
    // Where everything captured is appended as it happens (live windows).
    SessionJournal *journal() const { return m_journal ? m_journal->journal() : nullptr; }
    // The window is to end without the user (a signal): its endpoints stop
    // as on quitting — sockets removed, moved ones put back — but the
    // journal stays, for the next start to offer.
    void keepJournalOnExit() { m_journal->keepOnExit(); }
    QWidget *recoveryOffer() const { return m_journal ? m_journal->recoveryOffer() : nullptr; }
    QWidget *putBackOffer() const { return m_journal ? m_journal->putBackOffer() : nullptr; }
    QWidget *payloadLimitNotice() const { return m_journal ? m_journal->limitNotice() : nullptr; }
    // Events captured here (or recovered) since the last successful save.
    qsizetype unsavedEvents() const;
    // The recovered journal this window shows, if it shows one.
    QString recoveredFile() const;

public slots:
    // Starts the sample server and, once it listens, a client that sends the
    // sample's message.
    void startSample();
    // The sample on another pipe name (--screenshot, while the sample's
    // own name is in use).
    void startSampleOn(const QString &pipeName);
    void newServer();
    void connectClient();
    // Connect Client with this pipe's name filled in (the pipe browser's
    // Connect).
    void connectClientTo(const QString &name);
    void showPreferences();
    // Help ▸ User Guide: the guide bundled with the app, in a window.
    QWidget *showUserGuide();
    // Reads a session file off the GUI thread and shows it in a new window.
    // `recovered`: the file is a crashed run's journal, taken over; the
    // window offers to save it when it closes, and removes it then.
    void openSession(const QString &path, bool recovered = false);
    // Writes everything captured so far, atomically, off the GUI thread.
    void saveSession(const QString &path);
    // Writes these store rows (all, when empty) to `path`, in the format
    // its suffix names (.csv, .txt, else raw bytes), off the GUI thread;
    // exported() follows.
    void exportRows(const QList<qsizetype> &rows, const QString &path);
    // Replay this session (or the messages at these store rows) as a client
    // or as a server, and check.
    ReplayDialog *showReplay(const QList<qsizetype> &rows = {});

signals:
    void sessionOpened(PipeScope::MainWindow *window);
    void sessionSaved(bool ok, const QString &message);
    void sessionFailed(const QString &error);
    // An export ended: the events written, or -1 and why.
    void exported(qint64 events, const QString &error);
    // Journals left by a PipeScope that did not quit cleanly were found.
    void recoveryOffered(const QStringList &journals);
    // Put It Back ended: what could not be put back, in words.
    void putBackDone(const QStringList &problems);

protected:
    void closeEvent(QCloseEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void followWorkspace();
    void createStatusBar();
    void createTree();
    void createPipeBrowser();
    // Every action of the window, registered once (ActionRegistry).
    void createActions();
    void createViewActions();
    // Menus and the toolbar, as lists of the registered actions.
    void createMenus();
    void updateActions();
    // The tree selects the current tab's endpoint or instance.
    void followTab();
    void startJournal();
    void showRecorded(PipeScope::TrafficStore *store, const PipeScope::SessionHeader &header, const QString &path,
                      bool recovered, const QString &warning);
    void watchPane(TrafficPane *pane);
    // A bar above the tabs offering something; either button hides it.
    QWidget *addOffer(const char *name, const QString &text, QPushButton *accept, QPushButton *decline);

    Workspace *m_workspace;
    EndpointModel *m_endpoints;
    EndpointTree *m_endpointTree = nullptr;
    QTreeView *m_tree = nullptr; // its view
    TrafficTabs *m_tabs;
    StatusSummary *m_status;
    SessionKeeper *m_keeper;
    EndpointFlow *m_flow;
    ActionRegistry *m_actions;
    EndpointActions *m_endpointActions = nullptr;
    PipeBrowser *m_pipes = nullptr;
    JournalKeeper *m_journal = nullptr; // a live window's; none in a recorded one
    SessionActions *m_session = nullptr;
    SampleLauncher *m_sample = nullptr;
    HelpActions *m_help = nullptr;
    DockWidthKeeper *m_docks = nullptr;
};

} // namespace PipeScope
