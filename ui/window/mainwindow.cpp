#include "mainwindow.h"
#include "actionregistry.h"
#include "clientdialog.h"
#include "composer.h"
#include "dockwidthkeeper.h"
#include "endpointactions.h"
#include "endpointflow.h"
#include "endpointmodel.h"
#include "endpointtree.h"
#include "helpactions.h"
#include "hexview.h"
#include "icons.h"
#include "journalkeeper.h"
#include "monitordialog.h"
#include "offerbar.h"
#include "pipebrowser.h"
#include "preferences.h"
#include "recent.h"
#include "recentmenu.h"
#include "replaydialog.h"
#include "samplelauncher.h"
#include "screenroom.h"
#include "serverdialog.h"
#include "sessionio.h"
#include "sessionactions.h"
#include "sessionkeeper.h"
#include "settings.h"
#include "settingskeys.h"
#include "statussummary.h"
#include "timecolumnmenu.h"
#include "trafficmodel.h"
#include "trafficpane.h"
#include "trafficstore.h"
#include "traffictabs.h"
#include "units.h"
#include "warning.h"
#include "workspace.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDialog>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QFrame>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QStatusBar>
#include <QTabWidget>
#include <QToolBar>
#include <QTreeView>
#include <QVBoxLayout>

#include <algorithm>
#include <utility>

namespace PipeScope {

namespace {
// How far a window opened from another is placed from it.
constexpr int kCascade = 36;
} // namespace

MainWindow::MainWindow(QWidget *parent) : MainWindow(nullptr, parent) {}

MainWindow::MainWindow(Workspace *workspace, QWidget *parent)
    : QMainWindow(parent),
      m_workspace(workspace ? workspace : new Workspace(this)),
      m_endpoints(new EndpointModel(m_workspace, this)),
      m_tabs(new TrafficTabs(m_workspace, this)),
      m_status(new StatusSummary(m_workspace, this)),
      m_keeper(new SessionKeeper(m_workspace, this)),
      m_flow(new EndpointFlow(m_workspace, this)),
      m_actions(new ActionRegistry(this))
{
    m_workspace->setParent(this);
    // [*]: unsaved events, for the platform to mark.
    setWindowTitle(tr("PipeScope[*]"));
    setWindowIcon(appIcon("pipescope"));
    setObjectName(QStringLiteral("mainWindow"));

    m_session = new SessionActions(m_workspace, m_tabs, m_keeper, m_actions, this);
    connect(m_session, &SessionActions::opened, this, &MainWindow::showRecorded);
    connect(m_session, &SessionActions::failed, this, &MainWindow::sessionFailed);
    connect(m_session, &SessionActions::exported, this, &MainWindow::exported);
    m_sample = new SampleLauncher(m_workspace, m_tabs, m_actions, this);
    m_help = new HelpActions(m_actions, this);
    connect(m_session, &SessionActions::message, statusBar(), &QStatusBar::showMessage);
    connect(m_sample, &SampleLauncher::message, statusBar(), &QStatusBar::showMessage);
    createTree();
    createPipeBrowser();
    watchPane(m_tabs->allTraffic());
    connect(m_tabs, &TrafficTabs::paneAdded, this, &MainWindow::watchPane);
    connect(m_tabs, &QTabWidget::currentChanged, this, [this] {
        followTab();
        updateActions();
    });
    auto *central = new QWidget(this);
    auto *centralLayout = new QVBoxLayout(central);
    centralLayout->setContentsMargins(0, 0, 0, 0);
    centralLayout->addWidget(m_tabs);
    setCentralWidget(central);

    followWorkspace();
    createActions();
    createMenus();
    createStatusBar();

    // The first run's size: most of a large screen (the docks' columns
    // need the room), within a small one (less a margin for the window's
    // frame); later runs restore the last one.
    const QSize room = roomOnScreen(this);
    const bool screenKnown = room.width() < QWIDGETSIZE_MAX;
    resize(screenKnown ? QSize(1200, 760).expandedTo(room * 0.85).boundedTo(room) : QSize(1200, 760));
    restoreGeometry(Settings::windowGeometry());
    restoreState(Settings::windowState());
    if (m_workspace->isReadOnly()) {
        // A recorded session: look, filter, copy, save; nothing to start,
        // and no pipes of this machine to browse.
        for (const char *id : {"newServer", "connectClient", "newMonitor", "trySample"})
            m_actions->action(id)->setEnabled(false);
        findChild<QDockWidget *>(QStringLiteral("pipeDock"))->hide();
        for (quint32 id : m_workspace->endpointIds())
            if (!m_workspace->endpoint(id)->instances.isEmpty())
                m_tree->expand(m_endpoints->indexFor(id));
    } else {
        startJournal();
        if (Settings::offerSample())
            m_sample->offer([this](const char *name, const QString &text, QPushButton *accept, QPushButton *decline) {
                return addOffer(name, text, accept, decline);
            });
    }
    updateActions();
}

// Endpoints open their tab once they run; instances when selected.
// A client just connected is there to be written to: its composer takes
// the keyboard. Errors of the dialog's endpoint show in the dialog,
// others in the status bar.
void MainWindow::followWorkspace()
{
    connect(m_workspace, &Workspace::endpointAdded, this, [this](quint32 id) {
        TrafficPane *pane = showTraffic(id);
        const Workspace::Endpoint *e = m_workspace->endpoint(id);
        if (pane && pane->composer() && e && e->kind == Workspace::Kind::Client)
            pane->composer()->focusInput(Qt::OtherFocusReason);
    });
    connect(m_workspace, &Workspace::endpointChanged, this, &MainWindow::updateActions);
    connect(m_workspace, &Workspace::instanceChanged, this, &MainWindow::updateActions);
    connect(m_workspace, &Workspace::errorOccurred, this, [this](quint32 id, const QString &message) {
        if (m_flow->showsErrorsOf(id))
            return;
        const Workspace::Endpoint *e = m_workspace->endpoint(id);
        statusBar()->showMessage(e ? tr("%1: %2").arg(m_workspace->label(id), message) : message, 15000);
    });
}

// Messages on the left; on the right, behind a rule, the totals and rates.
void MainWindow::createStatusBar()
{
    // A rule and a margin between passing messages and the counters.
    auto *rule = new QFrame(this);
    rule->setFrameShape(QFrame::VLine);
    rule->setFrameShadow(QFrame::Sunken);
    statusBar()->addPermanentWidget(rule);
    m_status->setContentsMargins(6, 0, 6, 0);
    statusBar()->addPermanentWidget(m_status);
    // A message (saved, sent, what went wrong) has the room first.
    connect(statusBar(), &QStatusBar::messageChanged, m_status,
            [this](const QString &message) { m_status->setMaxChars(message.isEmpty() ? 0 : 50); });
    connect(m_status, &StatusSummary::refreshed, this, [this] { setWindowModified(unsavedEvents() > 0); });
    connect(m_keeper, &SessionKeeper::changed, m_status, &StatusSummary::refresh);
    connect(m_keeper, &SessionKeeper::progress, this, [this](const QString &message) { statusBar()->showMessage(message); });
    connect(m_keeper, &SessionKeeper::saved, this, [this](bool ok, const QString &message) {
        statusBar()->showMessage(message, 15000);
        if (ok) {
            // The title names the file the capture is saved in.
            setWindowTitle(tr("%1[*] — PipeScope").arg(QFileInfo(m_keeper->savedPath()).fileName()));
            rememberRecent(SettingsKeys::kRecentSessions, m_keeper->savedPath());
        }
        emit sessionSaved(ok, message);
    });
    m_status->refresh();
}

// The endpoint tree, in a dock.
void MainWindow::createTree()
{
    m_endpointTree = new EndpointTree(m_endpoints, this);
    m_tree = m_endpointTree->view();
    connect(m_endpointTree, &EndpointTree::previewRequested, this,
            [this](quint32 endpoint, quint32 instance) { m_tabs->show(endpoint, instance, TrafficTabs::Open::Preview); });
    connect(m_endpointTree, &EndpointTree::openRequested, this,
            [this](quint32 endpoint, quint32 instance) { showTraffic(endpoint, instance); });
    connect(m_endpointTree, &EndpointTree::newServerRequested, this, &MainWindow::newServer);
    connect(m_endpointTree, &EndpointTree::connectClientRequested, this, &MainWindow::connectClient);
    connect(m_endpointTree, &EndpointTree::sampleRequested, this, &MainWindow::startSample);
    auto *dock = new QDockWidget(tr("Endpoints"), this);
    dock->setObjectName(QStringLiteral("endpointDock"));
    dock->setWidget(m_endpointTree);
    addDockWidget(Qt::LeftDockWidgetArea, dock);
    m_docks = new DockWidthKeeper(this, dock, Settings::dockWidth());
}

// The pipes on the machine, in a dock under the endpoints.
void MainWindow::createPipeBrowser()
{
    m_pipes = new PipeBrowser(this);
    connect(m_pipes, &PipeBrowser::connectRequested, this, &MainWindow::connectClientTo);
    connect(m_pipes, &PipeBrowser::monitorRequested, m_flow, &EndpointFlow::monitorPipe);
    auto *dock = new QDockWidget(tr("Pipes on This Machine"), this);
    dock->setObjectName(QStringLiteral("pipeDock"));
    dock->setWidget(m_pipes);
    addDockWidget(Qt::LeftDockWidgetArea, dock);
    auto *endpoints = findChild<QDockWidget *>(QStringLiteral("endpointDock"));
    splitDockWidget(endpoints, dock, Qt::Vertical);
    resizeDocks({endpoints, dock}, {3, 2}, Qt::Vertical);
}

MainWindow::~MainWindow()
{
    // The journal goes before the workspace, whose hub it is the log of.
    delete m_journal;
}

void MainWindow::resizeEvent(QResizeEvent *event)
{
    QMainWindow::resizeEvent(event);
    if (m_docks)
        m_docks->windowResized();
}

int MainWindow::preferredDockWidth() const
{
    return m_docks->preferredWidth();
}

void MainWindow::startJournal()
{
    m_journal = new JournalKeeper(
        m_workspace,
        [this](const char *name, const QString &text, QPushButton *accept, QPushButton *decline) {
            return addOffer(name, text, accept, decline);
        },
        this);
    connect(m_journal, &JournalKeeper::recovered, this, [this](const QString &path) { openSession(path, true); });
    connect(m_journal, &JournalKeeper::limitChangeAsked, this, &MainWindow::showPreferences);
    connect(m_journal, &JournalKeeper::message, statusBar(), &QStatusBar::showMessage);
    connect(m_journal, &JournalKeeper::recoveryOffered, this, &MainWindow::recoveryOffered);
    connect(m_journal, &JournalKeeper::putBackDone, this, &MainWindow::putBackDone);
}

QWidget *MainWindow::addOffer(const char *name, const QString &text, QPushButton *accept, QPushButton *decline)
{
    auto *bar = new OfferBar(name, text, accept, decline, this);
    static_cast<QVBoxLayout *>(centralWidget()->layout())->insertWidget(0, bar);
    bar->show();
    return bar;
}

TrafficStore *MainWindow::store() const
{
    return m_workspace->store();
}

QLabel *MainWindow::statusSummary() const
{
    return m_status;
}

EndpointDialog *MainWindow::openDialog() const
{
    return m_flow->dialog();
}

void MainWindow::watchPane(TrafficPane *pane)
{
    connect(pane, &TrafficPane::pausedChanged, this, &MainWindow::updateActions);
    connect(pane, &TrafficPane::conversationShown, this, &MainWindow::updateActions);
    m_session->watch(pane);
    connect(pane, &TrafficPane::message, this, [this](const QString &text) { statusBar()->showMessage(text, 15000); });
    connect(pane, &TrafficPane::composeRequested, this,
            [this](quint32 endpoint, quint32 instance, const QByteArray &bytes) {
                TrafficPane *target = showTraffic(endpoint, instance);
                if (Composer *composer = target ? target->composer() : nullptr)
                    composer->setPayload(bytes);
                else
                    statusBar()->showMessage(tr("%1 has no composer: a recorded session sends nothing")
                                                 .arg(m_workspace->label(endpoint)), 15000);
            });
}

void MainWindow::createActions()
{
    using Keys = QList<QKeySequence>;
    m_actions->add({"newServer", tr("New &Server…"), "new-server", Keys{QKeySequence::New},
                    tr("Create a pipe server (CreateNamedPipe)")},
                   this, &MainWindow::newServer);
    m_actions->add({"connectClient", tr("&Connect Client…"), "connect-client", Keys{Qt::CTRL | Qt::SHIFT | Qt::Key_N},
                    tr("Connect to a pipe (CreateFile)")},
                   this, &MainWindow::connectClient);
    m_actions->add({"newMonitor", tr("New &Monitor…"), "monitor", Keys{Qt::CTRL | Qt::Key_M},
                    tr("Watch a client and a server talk: listen on a pipe and pass each client on to another")},
                   m_flow, [this] { m_flow->newMonitor(); });
    m_actions->add({"preferences", tr("&Preferences…"), nullptr,
                    ActionRegistry::keysOr(QKeySequence::Preferences, QKeySequence(Qt::CTRL | Qt::Key_Comma)), {}},
                   this, &MainWindow::showPreferences)
        ->setMenuRole(QAction::PreferencesRole);
    m_actions->add({"quit", tr("&Quit"), nullptr, Keys{QKeySequence::Quit}, {}}, this, &QWidget::close)
        ->setMenuRole(QAction::QuitRole);
    createViewActions();
    m_endpointActions = new EndpointActions(m_workspace, m_tabs, m_flow, m_actions, this);
    connect(m_endpointActions, &EndpointActions::message, statusBar(), &QStatusBar::showMessage);
}

void MainWindow::createViewActions()
{
    using Keys = QList<QKeySequence>;
    QAction *pause = m_actions->add({"pauseView", tr("&Pause This View"), "pause", Keys{Qt::CTRL | Qt::Key_P}, {}});
    pause->setCheckable(true);
    connect(pause, &QAction::triggered, this, [this](bool on) {
        if (TrafficPane *pane = currentPane())
            pane->setPaused(on);
    });
    QAction *conversation = m_actions->add({"conversationView", tr("As a C&onversation"), "conversation", {},
                                            tr("Show this instance's or client's messages as a chat")});
    conversation->setCheckable(true);
    connect(conversation, &QAction::triggered, this, [this](bool on) {
        if (TrafficPane *pane = currentPane())
            pane->setConversation(on);
    });
    m_actions->add({"clearView", tr("&Clear This View"), "clear", Keys{Qt::CTRL | Qt::Key_L}, {}}, this, [this] {
        if (TrafficPane *pane = currentPane())
            pane->clear();
    });
    m_actions->add({"closeTab", tr("Close &Tab"), nullptr, Keys{QKeySequence::Close}, {}}, m_tabs,
                   &TrafficTabs::closeCurrent);
    m_actions->add({"nextTab", tr("&Next Tab"), nullptr,
                    QKeySequence::keyBindings(QKeySequence::NextChild) << QKeySequence(Qt::CTRL | Qt::Key_PageDown),
                    {}},
                   m_tabs, [this] { m_tabs->step(1); });
    // Named first as the keys are read (the platform's binding is
    // Ctrl+Shift+Backtab, what X11 sends).
    m_actions->add({"previousTab", tr("Pre&vious Tab"), nullptr,
                    Keys{QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Tab)}
                        << QKeySequence::keyBindings(QKeySequence::PreviousChild)
                        << QKeySequence(Qt::CTRL | Qt::Key_PageUp),
                    {}},
                   m_tabs, [this] { m_tabs->step(-1); });
    m_actions->add({"focusComposer", tr("Go to &Composer"), nullptr, Keys{Qt::CTRL | Qt::Key_I}, {}}, this, [this] {
        if (TrafficPane *pane = currentPane(); pane && pane->composer())
            pane->composer()->focusInput(Qt::ShortcutFocusReason);
    });
    m_actions->add({"focusHex", tr("Go to &Hex Pane"), nullptr, Keys{Qt::CTRL | Qt::Key_H}, {}}, this, [this] {
        if (TrafficPane *pane = currentPane())
            pane->focusHex();
    });
    m_actions->registerExisting("showEndpoints", findChild<QDockWidget *>(QStringLiteral("endpointDock"))->toggleViewAction(),
                                Keys{Qt::CTRL | Qt::Key_E});
    m_actions->registerExisting("showPipes", findChild<QDockWidget *>(QStringLiteral("pipeDock"))->toggleViewAction(),
                                Keys{Qt::CTRL | Qt::Key_B});
}

// Menus and the toolbar, as lists of the registered actions.
void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    m_actions->fill(file, {"newServer", "connectClient", "newMonitor", "trySample"});
    auto *recent = new RecentMenu(this);
    connect(recent, &RecentMenu::openSessionRequested, this, [this](const QString &path) { openSession(path); });
    connect(recent, &RecentMenu::newServerRequested, this,
            [this](const QString &name) { m_flow->newServer()->nameField()->setName(name); });
    connect(recent, &RecentMenu::connectClientRequested, this,
            [this](const QString &name) { m_flow->connectClient()->nameField()->setName(name); });
    file->addMenu(recent);
    m_actions->fill(file, {"|", "openSession", "saveSessionAgain", "saveSession", "exportView", "replaySession", "|",
                           "preferences", "|", "quit"});
    QMenu *endpoint = menuBar()->addMenu(tr("&Endpoint"));
    const std::initializer_list<const char *> onTarget = {"stopEndpoint", "disconnectInstance", "restartEndpoint",
                                                          "|", "editEndpoint", "clearEndedInstances", "removeEndpoint"};
    m_actions->fill(endpoint, {"newMonitor", "|"});
    m_actions->fill(endpoint, onTarget);
    // The tree's context menu and keys: the same actions.
    m_actions->fill(m_tree, onTarget);
    QMenu *view = menuBar()->addMenu(tr("&View"));
    m_actions->fill(view, {"pauseView", "clearView", "conversationView"});
    auto *time = new TimeColumnMenu(this);
    m_tabs->setTimeDisplay(time->chosen());
    connect(time, &TimeColumnMenu::chosenChanged, m_tabs, &TrafficTabs::setTimeDisplay);
    view->addMenu(time);
    m_actions->fill(view, {"closeTab", "nextTab", "previousTab", "focusComposer", "focusHex", "|", "showEndpoints",
                           "showPipes"});
    QMenu *help = menuBar()->addMenu(tr("&Help"));
    m_actions->fill(help, {"userGuide", "|", "about", "aboutQt"});

    QToolBar *tools = addToolBar(tr("Main"));
    tools->setObjectName(QStringLiteral("mainToolBar"));
    tools->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_actions->fill(tools, {"newServer", "connectClient", "newMonitor", "|", "stopEndpoint", "disconnectInstance",
                            "restartEndpoint", "|", "pauseView", "clearView", "|", "trySample"});
}

void MainWindow::followTab()
{
    if (const std::optional<Target> t = target())
        m_endpointTree->select(t->endpoint, t->instance);
    else
        m_endpointTree->clearSelection();
}

void MainWindow::updateActions()
{
    m_endpointActions->update();
    const TrafficPane *pane = currentPane();
    m_actions->action("pauseView")->setChecked(pane && pane->model()->isPaused());
    QAction *conversation = m_actions->action("conversationView");
    conversation->setEnabled(pane && pane->holdsOneConversation());
    conversation->setChecked(pane && pane->showsConversation());
}

void MainWindow::newServer()
{
    m_flow->newServer();
}

void MainWindow::connectClient()
{
    // With a server selected, its pipe is the one to connect to.
    m_flow->connectClientToServer(m_tree->currentIndex().data(EndpointModel::EndpointRole).toUInt());
}

void MainWindow::connectClientTo(const QString &name)
{
    m_flow->connectClientTo(name);
}

void MainWindow::startSample()
{
    m_sample->start();
}

void MainWindow::startSampleOn(const QString &pipeName)
{
    m_sample->startOn(pipeName);
}

void MainWindow::openSession(const QString &path, bool recovered)
{
    m_session->openSession(path, recovered);
}

// A session read from a file: a window of its own, read-only.
void MainWindow::showRecorded(TrafficStore *store, const SessionHeader &header, const QString &path, bool recovered,
                              const QString &warning)
{
    auto *window = new MainWindow(new Workspace(store, header));
    window->setAttribute(Qt::WA_DeleteOnClose);
    window->setWindowTitle(tr("%1 (recorded) — PipeScope").arg(QFileInfo(path).fileName()));
    if (recovered) {
        window->m_keeper->setRecoveredFile(path);
        window->setWindowTitle(tr("Recovered session[*] — PipeScope"));
        window->m_status->refresh();
    }
    // Offset from this window (both restore the same saved geometry), so
    // that it is seen to be another window.
    window->move(pos() + QPoint(kCascade, kCascade));
    window->show();
    if (!warning.isEmpty()) {
        // Loaded, with a cut-off last line: say so there.
        window->statusBar()->showMessage(warning);
        showWarning(window, tr("Open Session"), warning);
    }
    rememberRecent(SettingsKeys::kRecentSessions, path);
    emit sessionOpened(window);
}

void MainWindow::exportRows(const QList<qsizetype> &rows, const QString &path)
{
    m_session->exportRows(rows, path);
}

void MainWindow::saveSession(const QString &path)
{
    m_session->saveSession(path);
}

ReplayDialog *MainWindow::showReplay(const QList<qsizetype> &rows)
{
    return m_session->showReplay(rows);
}

void MainWindow::showPreferences()
{
    PreferencesDialog dialog(this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    dialog.apply();
    if (!m_workspace->isReadOnly())
        m_workspace->store()->setPayloadLimit(Settings::payloadLimit());
}

QWidget *MainWindow::showUserGuide()
{
    return m_help->showUserGuide();
}

qsizetype MainWindow::unsavedEvents() const
{
    return m_keeper->unsavedEvents();
}

QString MainWindow::recoveredFile() const
{
    return m_keeper->recoveredFile();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (!m_keeper->mayClose()) {
        event->ignore();
        return;
    }
    m_keeper->closing();
    Settings::setWindowLayout(saveGeometry(), saveState(), m_docks->preferredWidth());
    QMainWindow::closeEvent(event);
}

} // namespace PipeScope

#include "moc_mainwindow.cpp"
