#include "mainwindow.h"

#include "clientdialog.h"
#include "columnfitter.h"
#include "columnmenu.h"
#include "composer.h"
#include "dockwidthkeeper.h"
#include "elidedelegate.h"
#include "endpointflow.h"
#include "endpointmodel.h"
#include "exportflow.h"
#include "hexview.h"
#include "journalkeeper.h"
#include "icons.h"
#include "monitordialog.h"
#include "offerbar.h"
#include "pipebrowser.h"
#include "preferences.h"
#include "recent.h"
#include "replaydialog.h"
#include "samplerunner.h"
#include "samplescenario.h"
#include "screenroom.h"
#include "serverdialog.h"
#include "sessionio.h"
#include "sessionkeeper.h"
#include "settings.h"
#include "settingskeys.h"
#include "statussummary.h"
#include "trafficmodel.h"
#include "trafficpane.h"
#include "trafficstore.h"
#include "traffictabs.h"
#include "units.h"
#include "userguidewindow.h"
#include "warning.h"
#include "workspace.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDialog>
#include <QDockWidget>
#include <QFileDialog>
#include <QDir>
#include <QFileInfo>
#include <QFrame>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
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
      m_tree(new QTreeView(this)),
      m_tabs(new TrafficTabs(m_workspace, this)),
      m_status(new StatusSummary(m_workspace, this)),
      m_keeper(new SessionKeeper(m_workspace, this)),
      m_flow(new EndpointFlow(m_workspace, this))
{
    m_workspace->setParent(this);
    // [*]: unsaved events, for the platform to mark.
    setWindowTitle(tr("PipeScope[*]"));
    setWindowIcon(appIcon("pipescope"));
    setObjectName(QStringLiteral("mainWindow"));

    m_export = new ExportFlow(m_workspace, this);
    connect(m_export, &ExportFlow::exported, this, &MainWindow::exported);
    connect(m_export, &ExportFlow::message, this,
            [this](const QString &text, int timeoutMs) { statusBar()->showMessage(text, timeoutMs); });
    m_sampleRunner = new SampleRunner(m_workspace, this);
    connect(m_sampleRunner, &SampleRunner::failed, this,
            [this](const QString &error) { showWarning(this, tr("Try the Sample"), error); });
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

    // Endpoints open their tab once they run; instances when selected.
    // A client just connected is there to be written to: its composer
    // takes the keyboard.
    connect(m_workspace, &Workspace::endpointAdded, this, [this](quint32 id) {
        TrafficPane *pane = showTraffic(id);
        const Workspace::Endpoint *e = m_workspace->endpoint(id);
        if (pane && pane->composer() && e && e->kind == Workspace::Kind::Client)
            pane->composer()->focusInput(Qt::OtherFocusReason);
    });
    connect(m_workspace, &Workspace::endpointChanged, this, &MainWindow::updateActions);
    connect(m_workspace, &Workspace::instanceChanged, this, &MainWindow::updateActions);
    connect(m_workspace, &Workspace::errorOccurred, this, [this](quint32 id, const QString &message) {
        // Errors of the dialog's endpoint show in the dialog; others here.
        if (m_flow->showsErrorsOf(id))
            return;
        const Workspace::Endpoint *e = m_workspace->endpoint(id);
        statusBar()->showMessage(e ? tr("%1: %2").arg(m_workspace->label(id), message) : message, 15000);
    });

    createFileMenu();
    createEndpointMenu();
    createViewMenu();
    createHelpMenu();
    createToolBar();
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
        for (QAction *action : {m_newServer, m_connectClient, m_newMonitor, m_sample})
            action->setEnabled(false);
        findChild<QDockWidget *>(QStringLiteral("pipeDock"))->hide();
        for (quint32 id : m_workspace->endpointIds())
            if (!m_workspace->endpoint(id)->instances.isEmpty())
                m_tree->expand(m_endpoints->indexFor(id));
    } else {
        startJournal();
        if (Settings::offerSample())
            offerSample();
    }
    updateActions();
}

// The endpoint tree, in a dock.
void MainWindow::createTree()
{
    m_tree->setObjectName(QStringLiteral("endpointTree"));
    m_tree->setModel(m_endpoints);
    m_tree->setUniformRowHeights(true);
    m_tree->setAllColumnsShowFocus(true);
    // The endpoint's name takes the room left, at least half, elided in its
    // middle (the instance and the end of a path tell most); the state, counts and
    // peer are as wide as what they show, the widest giving way first.
    m_tree->setItemDelegateForColumn(EndpointModel::NameColumn, new ElideDelegate(Qt::ElideMiddle, m_tree));
    auto *fitter = new ColumnFitter(m_tree, m_tree->header(), EndpointModel::NameColumn, 2,
                                    ColumnFitter::Shrink::WidestFirst);
    // The peer is in each row's tooltip: its column waits to be asked for
    // (the header's menu), leaving a narrow dock to the rest.
    addColumnMenu(m_tree->header(), SettingsKeys::kTreeHiddenColumns, {EndpointModel::PeerColumn}, fitter);
    // Short of room, the counts go before the state.
    fitter->setDropOrder({EndpointModel::PeerColumn, EndpointModel::BytesColumn, EndpointModel::MessagesColumn});
    fitter->followContents();
    m_tree->setContextMenuPolicy(Qt::ActionsContextMenu);
    // No endpoint yet: the dock says what to do, each step a link.
    auto *empty = new QLabel(this);
    empty->setObjectName(QStringLiteral("noEndpoints"));
    empty->setWordWrap(true);
    empty->setAlignment(Qt::AlignCenter);
    empty->setMargin(16);
    empty->setTextFormat(Qt::RichText);
    empty->setText(tr("<p>No endpoints yet.</p>"
                      "<p><a href=\"server\">New Server…</a> (Ctrl+N) creates a pipe and waits for clients;<br>"
                      "<a href=\"client\">Connect Client…</a> (Ctrl+Shift+N) connects to a pipe;<br>"
                      "<a href=\"sample\">Try the Sample</a> (Ctrl+T) starts both and shows their messages.</p>"));
    connect(empty, &QLabel::linkActivated, this, [this](const QString &link) {
        if (link == QLatin1String("server"))
            newServer();
        else if (link == QLatin1String("client"))
            connectClient();
        else
            startSample();
    });
    auto *treeOrEmpty = new QStackedWidget(this);
    treeOrEmpty->addWidget(empty);
    treeOrEmpty->addWidget(m_tree);
    const auto showTreeIfAny = [this, treeOrEmpty] {
        treeOrEmpty->setCurrentWidget(m_endpoints->rowCount() > 0 ? static_cast<QWidget *>(m_tree) : treeOrEmpty->widget(0));
    };
    connect(m_endpoints, &QAbstractItemModel::rowsInserted, this, showTreeIfAny);
    connect(m_endpoints, &QAbstractItemModel::rowsRemoved, this, showTreeIfAny);
    showTreeIfAny();
    auto *dock = new QDockWidget(tr("Endpoints"), this);
    dock->setObjectName(QStringLiteral("endpointDock"));
    dock->setWidget(treeOrEmpty);
    addDockWidget(Qt::LeftDockWidgetArea, dock);
    m_docks = new DockWidthKeeper(this, dock, Settings::dockWidth());
    // A click (or the arrow keys) shows the row in the preview tab; a
    // double-click or Enter keeps it open in a tab of its own.
    connect(m_tree->selectionModel(), &QItemSelectionModel::currentChanged, this, [this](const QModelIndex &current) {
        if (current.isValid() && !m_followingTab)
            m_tabs->show(current.data(EndpointModel::EndpointRole).toUInt(),
                         current.data(EndpointModel::InstanceRole).toUInt(), TrafficTabs::Open::Preview);
    });
    connect(m_tree, &QTreeView::activated, this, [this](const QModelIndex &index) {
        showTraffic(index.data(EndpointModel::EndpointRole).toUInt(), index.data(EndpointModel::InstanceRole).toUInt());
    });
    connect(m_endpoints, &QAbstractItemModel::rowsInserted, this, [this](const QModelIndex &under) {
        if (under.isValid())
            m_tree->expand(under);
    });
}

// The pipes on the machine, in a dock under the endpoints.
void MainWindow::createPipeBrowser()
{
    m_pipes = new PipeBrowser(this);
    connect(m_pipes, &PipeBrowser::connectRequested, this, &MainWindow::connectClientTo);
    connect(m_pipes, &PipeBrowser::monitorRequested, this, [this](const QString &name) {
        if (m_workspace->isReadOnly())
            return;
        // A pipe that exists has its server running: the monitor
        // interposes on it, listening on its name (unchecked, the name
        // stays the target's, and the listening side is the user's to name).
        auto *dialog = static_cast<MonitorDialog *>(m_flow->newMonitor());
        ServerConfig config = dialog->config();
        config.name = name;
        config.relayTo->name = name;
        config.interpose = true;
        dialog->setConfig(config);
    });
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

QTabWidget *MainWindow::tabs() const
{
    return m_tabs;
}

QLabel *MainWindow::statusSummary() const
{
    return m_status;
}

EndpointDialog *MainWindow::openDialog() const
{
    return m_flow->dialog();
}

TrafficPane *MainWindow::allTraffic() const
{
    return m_tabs->allTraffic();
}

QTableView *MainWindow::trafficTable() const
{
    return allTraffic()->table();
}

HexView *MainWindow::hexView() const
{
    return allTraffic()->hexView();
}

TrafficPane *MainWindow::currentPane() const
{
    return m_tabs->current();
}

TrafficPane *MainWindow::findTraffic(std::optional<quint32> endpoint, quint32 instance) const
{
    return m_tabs->find(endpoint, instance);
}

void MainWindow::watchPane(TrafficPane *pane)
{
    pane->setTimeDisplay(m_timeDisplay);
    connect(pane, &TrafficPane::pausedChanged, this, &MainWindow::updateActions);
    connect(pane, &TrafficPane::replayRequested, this, [this](const QList<qsizetype> &rows) { showReplay(rows); });
    connect(pane, &TrafficPane::exportRequested, this, [this](const QList<qsizetype> &rows) {
        if (const QString path = m_export->askPath(); !path.isEmpty())
            exportRows(rows, path);
    });
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

TrafficPane *MainWindow::showTraffic(quint32 endpoint, quint32 instance)
{
    return m_tabs->show(endpoint, instance);
}

void MainWindow::createFileMenu()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    m_newServer = file->addAction(appIcon("new-server"), tr("New &Server…"), this, &MainWindow::newServer);
    m_newServer->setObjectName(QStringLiteral("newServer"));
    m_newServer->setShortcut(QKeySequence::New);
    m_newServer->setToolTip(tr("Create a pipe server (CreateNamedPipe) (%1)").arg(m_newServer->shortcut().toString(QKeySequence::NativeText)));
    m_connectClient = file->addAction(appIcon("connect-client"), tr("&Connect Client…"), this, &MainWindow::connectClient);
    m_connectClient->setObjectName(QStringLiteral("connectClient"));
    m_connectClient->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N));
    m_connectClient->setToolTip(tr("Connect to a pipe (CreateFile) (%1)").arg(m_connectClient->shortcut().toString(QKeySequence::NativeText)));
    m_newMonitor = file->addAction(appIcon("monitor"), tr("New &Monitor…"), this, [this] { m_flow->newMonitor(); });
    m_newMonitor->setObjectName(QStringLiteral("newMonitor"));
    m_newMonitor->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_M));
    m_newMonitor->setToolTip(tr("Watch a client and a server talk: listen on a pipe and pass each client on to "
                                "another (%1)")
                                 .arg(m_newMonitor->shortcut().toString(QKeySequence::NativeText)));
    m_sample = file->addAction(appIcon("sample"), tr("Try the S&ample"), this, &MainWindow::startSample);
    m_sample->setObjectName(QStringLiteral("trySample"));
    m_sample->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_T));
    m_sample->setToolTip(tr("Start Microsoft's sample server and a client talking to it"));
    // Recent names: each opens its dialog with the name filled in.
    QMenu *recent = file->addMenu(tr("&Recent"));
    recent->setObjectName(QStringLiteral("recentMenu"));
    connect(recent, &QMenu::aboutToShow, this, [this, recent] {
        recent->clear();
        const QStringList sessions = recentEntries(SettingsKeys::kRecentSessions);
        const QStringList servers = recentEntries(SettingsKeys::kRecentServers);
        const QStringList clients = recentEntries(SettingsKeys::kRecentClients);
        for (const QString &path : sessions)
            recent->addAction(tr("Open Session: %1").arg(QDir::toNativeSeparators(path)), this,
                              [this, path] { openSession(path); });
        if (!sessions.isEmpty() && !(servers.isEmpty() && clients.isEmpty()))
            recent->addSeparator();
        for (const QString &name : servers)
            recent->addAction(tr("New Server: %1").arg(name), this,
                              [this, name] { m_flow->newServer()->nameField()->setName(name); });
        if (!servers.isEmpty() && !clients.isEmpty())
            recent->addSeparator();
        for (const QString &name : clients)
            recent->addAction(tr("Connect Client: %1").arg(name), this,
                              [this, name] { m_flow->connectClient()->nameField()->setName(name); });
        if (recent->isEmpty())
            recent->addAction(tr("(none yet)"))->setEnabled(false);
    });
    file->addSeparator();
    QAction *open = file->addAction(tr("&Open Session…"), this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Open Session"), QString(),
                                                          tr("PipeScope sessions (*.pipescope);;All files (*)"));
        if (!path.isEmpty())
            openSession(path);
    });
    open->setObjectName(QStringLiteral("openSession"));
    open->setShortcut(QKeySequence::Open);
    QAction *saveAgain = file->addAction(tr("&Save Session"), m_keeper, &SessionKeeper::saveAgain);
    saveAgain->setObjectName(QStringLiteral("saveSessionAgain"));
    saveAgain->setShortcut(QKeySequence::Save);
    saveAgain->setToolTip(tr("Save to the file saved to last (the first time, ask where)"));
    QAction *save = file->addAction(tr("Save Session &As…"), this, [this] {
        if (const QString path = m_keeper->askSavePath(); !path.isEmpty())
            saveSession(path);
    });
    save->setObjectName(QStringLiteral("saveSession"));
    QAction *exportView = file->addAction(tr("&Export This View…"), this, [this] {
        const QString path = m_export->askPath();
        if (path.isEmpty())
            return;
        // What the current tab shows; All Traffic unfiltered is everything.
        const TrafficPane *pane = currentPane();
        const bool everything = pane == allTraffic() && pane->model()->rowCount() == int(store()->count());
        exportRows(everything ? QList<qsizetype>() : pane->shownStoreRows(), path);
    });
    exportView->setObjectName(QStringLiteral("exportView"));
    exportView->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    exportView->setToolTip(tr("Write the rows this tab shows to a file: CSV, text as pipescope serve prints it, or "
                              "the messages' raw bytes"));
    QAction *replay = file->addAction(tr("&Replay…"), this, [this] { showReplay(); });
    replay->setObjectName(QStringLiteral("replaySession"));
    replay->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    replay->setToolTip(tr("Replay this session as a client to a server, or as a server to clients, and check"));
    save->setShortcut(QKeySequence::SaveAs);
    if (save->shortcut().isEmpty())
        save->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S));
    file->addSeparator();
    QAction *preferences = file->addAction(tr("&Preferences…"), this, &MainWindow::showPreferences);
    preferences->setShortcut(QKeySequence::Preferences);
    if (preferences->shortcut().isEmpty())
        preferences->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Comma));
    preferences->setMenuRole(QAction::PreferencesRole);
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    quit->setMenuRole(QAction::QuitRole);
}

void MainWindow::createEndpointMenu()
{
    QMenu *endpoint = menuBar()->addMenu(tr("&Endpoint"));
    endpoint->addAction(m_newMonitor);
    endpoint->addSeparator();
    m_stop = endpoint->addAction(appIcon("stop"), tr("S&top"), this, &MainWindow::stopSelected);
    m_stop->setObjectName(QStringLiteral("stopEndpoint"));
    m_stop->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Period));
    m_disconnect = endpoint->addAction(appIcon("disconnect"), tr("&Disconnect Instance"), this, &MainWindow::disconnectSelected);
    m_disconnect->setObjectName(QStringLiteral("disconnectInstance"));
    m_disconnect->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Period));
    m_restart = endpoint->addAction(appIcon("restart"), tr("&Restart"), this, &MainWindow::restartSelected);
    m_restart->setObjectName(QStringLiteral("restartEndpoint"));
    m_restart->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    endpoint->addSeparator();
    m_edit = endpoint->addAction(tr("&Edit Settings…"), this, &MainWindow::editSelected);
    m_edit->setObjectName(QStringLiteral("editEndpoint"));
    m_clearEnded = endpoint->addAction(tr("&Clear Ended Instances"), this, &MainWindow::clearEndedInstances);
    m_clearEnded->setObjectName(QStringLiteral("clearEndedInstances"));
    m_remove = endpoint->addAction(tr("Re&move"), this, &MainWindow::removeSelected);
    m_remove->setObjectName(QStringLiteral("removeEndpoint"));
    m_remove->setShortcut(QKeySequence::Delete);
    // Delete acts in the tree only: elsewhere it belongs to text fields.
    m_remove->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    for (QAction *action : {m_stop, m_disconnect, m_restart, m_edit, m_clearEnded, m_remove})
        m_tree->addAction(action);
}

void MainWindow::createViewMenu()
{
    QMenu *view = menuBar()->addMenu(tr("&View"));
    m_pause = view->addAction(appIcon("pause"), tr("&Pause This View"));
    m_pause->setObjectName(QStringLiteral("pauseView"));
    m_pause->setCheckable(true);
    m_pause->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_P));
    connect(m_pause, &QAction::triggered, this, [this](bool on) {
        if (TrafficPane *pane = currentPane())
            pane->setPaused(on);
    });
    m_clear = view->addAction(appIcon("clear"), tr("&Clear This View"), this, [this] {
        if (TrafficPane *pane = currentPane())
            pane->clear();
    });
    m_clear->setObjectName(QStringLiteral("clearView"));
    m_clear->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    // The Time column's form, for every table, kept for the next start.
    QMenu *time = view->addMenu(tr("T&ime Column"));
    auto *times = new QActionGroup(this);
    const struct
    {
        const char *text;
        const char *name;
        TimeDisplay display;
    } forms[] = {
        {QT_TR_NOOP("Time of &Day"), "timeOfDay", TimeDisplay::TimeOfDay},
        {QT_TR_NOOP("Date &and Time"), "dateAndTime", TimeDisplay::DateAndTime},
        {QT_TR_NOOP("&Seconds Since the First Event"), "sinceStart", TimeDisplay::SinceStart},
    };
    const TimeDisplay chosen = Settings::timeDisplay();
    for (const auto &form : forms) {
        QAction *action = time->addAction(tr(form.text));
        action->setObjectName(QLatin1String(form.name));
        action->setCheckable(true);
        action->setChecked(form.display == chosen);
        times->addAction(action);
        const TimeDisplay display = form.display;
        connect(action, &QAction::triggered, this, [this, display] {
            Settings::setTimeDisplay(display);
            m_timeDisplay = display;
            for (TrafficPane *pane : m_tabs->findChildren<TrafficPane *>())
                pane->setTimeDisplay(display);
        });
        if (form.display == chosen)
            m_timeDisplay = display;
    }
    for (TrafficPane *pane : m_tabs->findChildren<TrafficPane *>())
        pane->setTimeDisplay(m_timeDisplay);
    QAction *closeTab = view->addAction(tr("Close &Tab"), m_tabs, &TrafficTabs::closeCurrent);
    closeTab->setShortcut(QKeySequence::Close);
    QAction *next = view->addAction(tr("&Next Tab"), m_tabs, [this] { m_tabs->step(1); });
    next->setObjectName(QStringLiteral("nextTab"));
    next->setShortcuts(QKeySequence::keyBindings(QKeySequence::NextChild) << QKeySequence(Qt::CTRL | Qt::Key_PageDown));
    QAction *previous = view->addAction(tr("Pre&vious Tab"), m_tabs, [this] { m_tabs->step(-1); });
    previous->setObjectName(QStringLiteral("previousTab"));
    // Named first as the keys are read (the platform's binding is
    // Ctrl+Shift+Backtab, what X11 sends).
    previous->setShortcuts(QList<QKeySequence>{QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Tab)}
                           << QKeySequence::keyBindings(QKeySequence::PreviousChild)
                           << QKeySequence(Qt::CTRL | Qt::Key_PageUp));
    QAction *toComposer = view->addAction(tr("Go to &Composer"), this, [this] {
        if (TrafficPane *pane = currentPane(); pane && pane->composer())
            pane->composer()->focusInput(Qt::ShortcutFocusReason);
    });
    toComposer->setObjectName(QStringLiteral("focusComposer"));
    toComposer->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_I));
    QAction *toHex = view->addAction(tr("Go to &Hex Pane"), this, [this] {
        if (TrafficPane *pane = currentPane())
            pane->focusHex();
    });
    toHex->setObjectName(QStringLiteral("focusHex"));
    toHex->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_H));
    view->addSeparator();
    QDockWidget *dock = findChild<QDockWidget *>(QStringLiteral("endpointDock"));
    QAction *showTree = dock->toggleViewAction();
    showTree->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    view->addAction(showTree);
    QAction *showPipes = findChild<QDockWidget *>(QStringLiteral("pipeDock"))->toggleViewAction();
    showPipes->setObjectName(QStringLiteral("showPipes"));
    showPipes->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_B));
    view->addAction(showPipes);
}

void MainWindow::createHelpMenu()
{
    QMenu *help = menuBar()->addMenu(tr("&Help"));
    QAction *guide = help->addAction(tr("&User Guide"), this, &MainWindow::showUserGuide);
    guide->setObjectName(QStringLiteral("userGuide"));
    guide->setShortcut(QKeySequence::HelpContents);
    help->addSeparator();
    QAction *about = help->addAction(tr("&About PipeScope"), this, &MainWindow::showAbout);
    about->setMenuRole(QAction::AboutRole);
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
}

void MainWindow::createToolBar()
{
    QToolBar *tools = addToolBar(tr("Main"));
    tools->setObjectName(QStringLiteral("mainToolBar"));
    tools->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    tools->addAction(m_newServer);
    tools->addAction(m_connectClient);
    tools->addAction(m_newMonitor);
    tools->addSeparator();
    tools->addAction(m_stop);
    tools->addAction(m_disconnect);
    tools->addAction(m_restart);
    tools->addSeparator();
    tools->addAction(m_pause);
    tools->addAction(m_clear);
    tools->addSeparator();
    tools->addAction(m_sample);
}

std::optional<MainWindow::Target> MainWindow::target() const
{
    const TrafficPane *pane = currentPane();
    if (!pane || !pane->endpoint())
        return std::nullopt;
    return Target{*pane->endpoint(), pane->instance()};
}

void MainWindow::followTab()
{
    const std::optional<Target> t = target();
    const QModelIndex row = t ? m_endpoints->indexFor(t->endpoint, t->instance) : QModelIndex();
    m_followingTab = true;
    if (row.isValid())
        m_tree->selectionModel()->setCurrentIndex(row, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    else
        m_tree->selectionModel()->clear();
    m_followingTab = false;
}

void MainWindow::updateActions()
{
    const std::optional<Target> t = target();
    const Workspace::Endpoint *e = t ? m_workspace->endpoint(t->endpoint) : nullptr;
    const Workspace::Instance *i = e && t->instance ? m_workspace->instance(t->endpoint, t->instance) : nullptr;
    const bool editable = e && !e->removed && !m_workspace->isReadOnly();
    const bool running = editable && Workspace::isRunning(e->state) && e->state != Workspace::State::Stopping;
    const bool ended = editable && !Workspace::isRunning(e->state);
    const bool server = e && e->kind == Workspace::Kind::Server;
    // Every action says what it acts on.
    const QString name = e ? m_tree->fontMetrics().elidedText(e->name, Qt::ElideMiddle, 320) : QString();
    const QString what = !e ? QString() : server ? tr("Server “%1”").arg(name) : tr("Client “%1”").arg(name);
    const auto say = [](QAction *action, const QString &text, const QString &iconText) {
        action->setText(text);
        action->setIconText(iconText);
        const QString keys = action->shortcut().toString(QKeySequence::NativeText);
        action->setToolTip(keys.isEmpty() ? QString(text).remove(QLatin1Char('&'))
                                          : tr("%1 (%2)").arg(QString(text).remove(QLatin1Char('&')), keys));
    };
    m_stop->setEnabled(running);
    say(m_stop, e ? tr("S&top %1").arg(what) : tr("S&top"), tr("Stop"));
    m_disconnect->setEnabled(editable && i && i->state == Workspace::State::Connected);
    say(m_disconnect, i ? tr("&Disconnect Instance %1").arg(i->id) : tr("&Disconnect Instance"), tr("Disconnect"));
    m_restart->setEnabled(ended);
    say(m_restart, e ? tr("&Restart %1").arg(what) : tr("&Restart"), tr("Restart"));
    m_edit->setEnabled(ended);
    say(m_edit, e ? tr("&Edit Settings of %1…").arg(what) : tr("&Edit Settings…"), tr("Edit"));
    m_remove->setEnabled(editable);
    say(m_remove, e ? tr("Re&move %1").arg(what) : tr("Re&move"), tr("Remove"));
    m_clearEnded->setEnabled(editable && server && e->instances.size() > m_workspace->connectedInstances(e->id));
    say(m_clearEnded, tr("&Clear Ended Instances"), tr("Clear Ended"));
    const TrafficPane *pane = currentPane();
    m_pause->setChecked(pane && pane->model()->isPaused());
}

void MainWindow::confirmIfConnected(quint32 endpoint, const QString &verb, const std::function<void()> &act)
{
    const Workspace::Endpoint *e = m_workspace->endpoint(endpoint);
    const int connected = e && e->kind == Workspace::Kind::Server ? m_workspace->connectedInstances(endpoint) : 0;
    if (connected == 0) {
        act();
        return;
    }
    auto *box = new QMessageBox(QMessageBox::Question, tr("%1 Server").arg(verb),
                                tr("%1 the server “%2”? Its %3 will be disconnected.")
                                    .arg(verb, e->name,
                                         counted(connected, tr("connected client"), tr("connected clients"))),
                                QMessageBox::Cancel, this);
    box->setObjectName(QStringLiteral("confirmStop"));
    box->setInformativeText(tr("What they have sent is read first; the traffic stays in the log."));
    QPushButton *yes = box->addButton(verb, QMessageBox::AcceptRole);
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(yes, &QPushButton::clicked, this, act);
    box->open();
}

void MainWindow::stopSelected()
{
    if (const auto t = target())
        confirmIfConnected(t->endpoint, tr("Stop"), [this, id = t->endpoint] { m_workspace->stop(id); });
}

void MainWindow::disconnectSelected()
{
    if (const auto t = target(); t && t->instance)
        m_workspace->disconnectInstance(t->endpoint, t->instance);
}

void MainWindow::restartSelected()
{
    if (const auto t = target())
        m_workspace->restart(t->endpoint);
}

void MainWindow::editSelected()
{
    if (const auto t = target())
        m_flow->edit(t->endpoint);
}

void MainWindow::removeSelected()
{
    if (const auto t = target())
        confirmIfConnected(t->endpoint, tr("Remove"), [this, id = t->endpoint] { m_workspace->remove(id); });
}

void MainWindow::clearEndedInstances()
{
    if (const auto t = target()) {
        const int cleared = m_workspace->clearEnded(t->endpoint);
        statusBar()->showMessage(tr("Cleared %1; their traffic stays in All Traffic.")
                                     .arg(counted(cleared, tr("ended instance"), tr("ended instances"))),
                                 15000);
    }
}

void MainWindow::newServer()
{
    m_flow->newServer();
}

void MainWindow::connectClient()
{
    auto *dialog = static_cast<ClientDialog *>(m_flow->connectClient());
    // With a server selected, its pipe is the one to connect to.
    const Workspace::Endpoint *e = m_workspace->endpoint(m_tree->currentIndex().data(EndpointModel::EndpointRole).toUInt());
    if (!e || e->kind != Workspace::Kind::Server)
        return;
    ClientConfig config = dialog->config();
    config.name = e->name;
    config.options.convention = e->server.options.convention;
    config.automaticConvention = false;
    dialog->setConfig(config);
}

void MainWindow::connectClientTo(const QString &name)
{
    if (m_workspace->isReadOnly())
        return;
    auto *dialog = static_cast<ClientDialog *>(m_flow->connectClient());
    ClientConfig config = dialog->config();
    config.name = name;
    dialog->setConfig(config);
}

void MainWindow::startSample()
{
    startSampleOn(SampleScenario::pipeName());
}

void MainWindow::startSampleOn(const QString &pipeName)
{
    if (m_sampleRunner->isStarted()) {
        showTraffic(m_sampleRunner->server());
        statusBar()->showMessage(tr("The sample runs already: this is its server's tab"), 8000);
        return;
    }
    if (m_sampleOffer)
        m_sampleOffer->hide();
    m_sampleRunner->start(pipeName);
}

void MainWindow::offerSample()
{
    // First launch is useful on its own: one click shows live traffic.
    auto *tryIt = new QPushButton(appIcon("sample"), tr("Try the Sample"));
    tryIt->setObjectName(QStringLiteral("trySampleButton"));
    auto *dismiss = new QPushButton(tr("No Thanks"));
    m_sampleOffer = addOffer("sampleOffer",
                             tr("New to PipeScope? Start Microsoft's sample pipe server and a client that "
                                "talks to it, and watch their messages here."),
                             tryIt, dismiss);
    connect(tryIt, &QPushButton::clicked, this, &MainWindow::startSample);
    for (QPushButton *button : {tryIt, dismiss})
        connect(button, &QPushButton::clicked, this,
                [] { Settings::setOfferSample(false); });
}

void MainWindow::openSession(const QString &path, bool recovered)
{
    statusBar()->showMessage(tr("Opening %1…").arg(QFileInfo(path).fileName()));
    auto *opener = SessionOpener::open(path, this);
    connect(opener, &SessionOpener::opened, this,
            [this, opener, path, recovered](TrafficStore *store, const SessionHeader &header, const QString &warning) {
                opener->deleteLater();
                auto *window = new MainWindow(new Workspace(store, header));
                window->setAttribute(Qt::WA_DeleteOnClose);
                window->setWindowTitle(tr("%1 (recorded) — PipeScope").arg(QFileInfo(path).fileName()));
                if (recovered) {
                    window->m_keeper->setRecoveredFile(path);
                    window->setWindowTitle(tr("Recovered session[*] — PipeScope"));
                    window->m_status->refresh();
                }
                // Offset from this window (both restore the same saved
                // geometry), so that it is seen to be another window.
                window->move(pos() + QPoint(kCascade, kCascade));
                window->show();
                statusBar()->clearMessage();
                if (!warning.isEmpty()) {
                    // Loaded, with a cut-off last line: say so there.
                    window->statusBar()->showMessage(warning);
                    showWarning(window, tr("Open Session"), warning);
                }
                rememberRecent(SettingsKeys::kRecentSessions, path);
                emit sessionOpened(window);
            });
    connect(opener, &SessionOpener::failed, this, [this, opener](const QString &error) {
        opener->deleteLater();
        statusBar()->showMessage(error);
        showWarning(this, tr("Open Session"), error);
        emit sessionFailed(error);
    });
}

void MainWindow::exportRows(const QList<qsizetype> &rows, const QString &path)
{
    m_export->run(rows, path);
}

void MainWindow::saveSession(const QString &path)
{
    m_keeper->save(path);
}

ReplayDialog *MainWindow::showReplay(const QList<qsizetype> &rows)
{
    auto *dialog = new ReplayDialog(m_workspace, rows, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
    return dialog;
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
    // One guide window, raised if open; read from the app's resources, so
    // it needs no network and no installed files.
    if (m_guide) {
        m_guide->raise();
        m_guide->activateWindow();
        return m_guide;
    }
    auto *guide = new UserGuideWindow(this);
    guide->setAttribute(Qt::WA_DeleteOnClose);
    guide->show();
    m_guide = guide;
    return guide;
}

void MainWindow::showAbout()
{
    QMessageBox::about(
        this, tr("About PipeScope"),
        tr("<h3>PipeScope %1</h3>"
           "<p>An inspector for named pipes: create pipe servers, connect clients, send messages "
           "and watch every instance's traffic live.</p>"
           "<p>Win32 named pipes on Windows; Unix domain sockets on Linux (message pipes as "
           "SOCK_SEQPACKET, byte pipes as SOCK_STREAM), meeting Qt's QLocalServer and .NET's "
           "NamedPipeServerStream where they put their sockets.</p>"
           "<p>Built with Qt %2.</p>")
            .arg(QApplication::applicationVersion(), QString::fromLatin1(qVersion())));
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
