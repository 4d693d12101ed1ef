// The window's control over endpoints and instances: what the Endpoint
// menu acts on, the tree following the tabs, tabs that do not pile up,
// disconnecting, stopping (asked), editing, removing and clearing.
#include "clientdialog.h"
#include "composer.h"
#include "endpointmodel.h"
#include "mainwindow.h"
#include "profile.h"
#include "serverdialog.h"
#include "settingskeys.h"
#include "testmain.h"
#include "windowtesting.h"
#include "trafficmodel.h"
#include "trafficpane.h"
#include "trafficstore.h"
#include "uniquename.h"
#include "windowprofile.h"
#include "workspace.h"

#include <QAction>
#include <QApplication>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QStatusBar>
#include <QTableView>
#include <QTabBar>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>
#include <QTreeView>

#include <memory>

using namespace PipeScope;
using PipeScopeTest::uniqueName;

namespace {

// A window with an echo server and two clients connected to it (the
// server's instances 1 and 2), each having sent one message.
struct Scene
{
    MainWindow window;
    Workspace *workspace = window.workspace();
    quint32 server = 0;
    quint32 clients[2] = {};

    bool start()
    {
        window.show();
        ServerConfig config;
        config.name = uniqueName("control");
        config.autoReply = AutoReply::Echo;
        server = workspace->addServer(config);
        if (!waitFor(server, Workspace::State::Listening))
            return false;
        ClientConfig client;
        client.name = config.name;
        for (int n = 0; n < 2; ++n) {
            clients[n] = workspace->addClient(client);
            if (!waitFor(clients[n], Workspace::State::Connected) ||
                !QTest::qWaitFor([&] { return workspace->connectedInstances(server) == n + 1; }))
                return false;
            workspace->send(clients[n], 0, "hello");
        }
        return QTest::qWaitFor([&] { return workspace->store()->stats(server, 2).messagesOut == 1; });
    }

    bool waitFor(quint32 endpoint, Workspace::State state)
    {
        return QTest::qWaitFor([&] { return workspace->endpoint(endpoint)->state == state; }, 10000);
    }

    QAction *action(const char *name) const { return window.findChild<QAction *>(QLatin1String(name)); }
    QTreeView *tree() const { return window.endpointTree(); }
    QModelIndex row(quint32 endpoint, quint32 instance = 0) const
    {
        return static_cast<EndpointModel *>(tree()->model())->indexFor(endpoint, instance);
    }
    // A click on a row of the tree, as the mouse does it.
    void click(const QModelIndex &index) const
    {
        tree()->scrollTo(index);
        QTest::mouseClick(tree()->viewport(), Qt::LeftButton, {}, tree()->visualRect(index).center());
    }
    bool targets(quint32 endpoint, quint32 instance = 0) const
    {
        const auto t = window.target();
        return t && t->endpoint == endpoint && t->instance == instance;
    }
};

// The question asked before stopping or removing a server with clients.
QMessageBox *question(MainWindow &window)
{
    return PipeScopeTest::shownMessageBox(window, QStringLiteral("confirmStop"));
}

QAbstractButton *button(QMessageBox *box, QMessageBox::ButtonRole role)
{
    for (QAbstractButton *b : box->buttons())
        if (box->buttonRole(b) == role)
            return b;
    return nullptr;
}

} // namespace

class tst_EndpointControl : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void theTreeFollowsTheTabAndActionsNameTheirTarget();
    void aClickPreviewsAndADoubleClickKeeps();
    void ctrlTabAndCtrlPageDownStepThroughTabs();
    void oneInstanceIsDisconnectedAndTheServerListensOn();
    void stoppingAServerWithClientsAsksFirst();
    void anEndedEndpointIsEditedAndStartedAgain();
    void clearingEndedInstancesTakesTheirRowsAndTabs();
    void removingAServerTakesItsRowAndTabsAndKeepsItsTraffic();
    void cancellingAFailedAttemptLeavesNothing();
    void aClientDialogKeepsItsLayoutAfterAnError();
    void withNoEndpointsTheDockSaysWhatToDo();
    void theUserGuideOpensOfflineAndFollowsItsLinks();
    void aMessageIsSentAgainOrEditedInItsComposer();

private:
    PipeScopeTest::WindowProfile m_profile;
};

void tst_EndpointControl::initTestCase()
{
    m_profile.use("tst_endpointcontrol");
}

void tst_EndpointControl::init()
{
    PipeScopeTest::WindowProfile::reset(PipeScopeTest::WindowProfile::Sample::NotOffered);
}

void tst_EndpointControl::theTreeFollowsTheTabAndActionsNameTheirTarget()
{
    Scene s;
    QVERIFY(s.start());
    // Created last, the second client's tab is the current one.
    QVERIFY(s.targets(s.clients[1]));
    QCOMPARE(s.tree()->currentIndex(), s.row(s.clients[1]));
    const QString name = s.workspace->endpoint(s.server)->name;
    QCOMPARE(s.action("stopEndpoint")->text(), QStringLiteral("S&top Client “%1”").arg(name));

    // All Traffic: nothing is the target, nothing is selected.
    s.window.tabs()->setCurrentIndex(0);
    QVERIFY(!s.window.target());
    QVERIFY(!s.tree()->currentIndex().isValid());
    QVERIFY(!s.action("stopEndpoint")->isEnabled());
    QVERIFY(!s.action("disconnectInstance")->isEnabled());

    // The server's tab: the tree selects the server; Stop names it.
    s.window.tabs()->setCurrentWidget(s.window.findTraffic(s.server));
    QCOMPARE(s.tree()->currentIndex(), s.row(s.server));
    QCOMPARE(s.action("stopEndpoint")->text(), QStringLiteral("S&top Server “%1”").arg(name));
    QVERIFY(!s.action("disconnectInstance")->isEnabled());

    // An instance's tab: Disconnect names the instance.
    s.window.showTraffic(s.server, 2);
    QCOMPARE(s.tree()->currentIndex(), s.row(s.server, 2));
    QVERIFY(s.action("disconnectInstance")->isEnabled());
    QCOMPARE(s.action("disconnectInstance")->text(), QStringLiteral("&Disconnect Instance 2"));
    QVERIFY(s.action("stopEndpoint")->toolTip().contains(name));
}

void tst_EndpointControl::aClickPreviewsAndADoubleClickKeeps()
{
    Scene s;
    QVERIFY(s.start());
    QTabWidget *tabs = s.window.tabs();
    const int kept = tabs->count(); // All Traffic and the three created
    QCOMPARE(kept, 4);

    // Clicking instances shows each in the one preview tab.
    s.click(s.row(s.server, 1));
    QVERIFY(s.targets(s.server, 1));
    QCOMPARE(tabs->count(), kept + 1);
    s.click(s.row(s.server, 2));
    QVERIFY(s.targets(s.server, 2));
    QCOMPARE(tabs->count(), kept + 1);
    QVERIFY(!s.window.findTraffic(s.server, 1));
    QCOMPARE(tabs->tabBar()->tabTextColor(tabs->currentIndex()), tabs->palette().color(QPalette::PlaceholderText));
    if (const QByteArray dir = qgetenv("PIPESCOPE_TEST_SCREENSHOT_DIR"); !dir.isEmpty()) {
        s.window.resize(1200, 700);
        s.window.grab().save(QString::fromLocal8Bit(dir) + QStringLiteral("/preview-tab.png"));
        tabs->setCurrentIndex(0);
        s.window.grab().save(QString::fromLocal8Bit(dir) + QStringLiteral("/all-traffic.png"));
        s.window.showTraffic(s.server);
        s.window.grab().save(QString::fromLocal8Bit(dir) + QStringLiteral("/server-tab.png"));
        s.click(s.row(s.server, 2));
    }

    // Clicking an endpoint whose tab is open goes to that tab.
    s.click(s.row(s.clients[0]));
    QVERIFY(s.targets(s.clients[0]));
    QCOMPARE(tabs->count(), kept + 1);

    // A double-click keeps the tab; the next click previews in a new one.
    const QModelIndex first = s.row(s.server, 1);
    s.click(first);
    QTest::mouseDClick(s.tree()->viewport(), Qt::LeftButton, {}, s.tree()->visualRect(first).center());
    QVERIFY(s.targets(s.server, 1));
    QCOMPARE(tabs->tabBar()->tabTextColor(tabs->currentIndex()), QColor());
    s.click(s.row(s.server, 2));
    QCOMPARE(tabs->count(), kept + 2);
    QVERIFY(s.window.findTraffic(s.server, 1));

    // Enter in the tree keeps it too.
    s.tree()->setFocus();
    QTest::keyClick(s.tree(), Qt::Key_Return);
    QCOMPARE(tabs->tabBar()->tabTextColor(tabs->currentIndex()), QColor());
    QCOMPARE(tabs->count(), kept + 2);
}

void tst_EndpointControl::ctrlTabAndCtrlPageDownStepThroughTabs()
{
    Scene s;
    QVERIFY(s.start());
    QTabWidget *tabs = s.window.tabs();
    s.window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&s.window));
    // (A tree given focus with no current row makes its first row current,
    // and so shown: focus first, then All Traffic.)
    s.tree()->setFocus();
    tabs->setCurrentIndex(0);
    QWidget *focus = QApplication::focusWidget();
    QVERIFY(focus);
    QTest::keyClick(focus, Qt::Key_Tab, Qt::ControlModifier);
    QCOMPARE(tabs->currentIndex(), 1);
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_PageDown, Qt::ControlModifier);
    QCOMPARE(tabs->currentIndex(), 2);
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_PageUp, Qt::ControlModifier);
    QCOMPARE(tabs->currentIndex(), 1);
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Backtab, Qt::ControlModifier | Qt::ShiftModifier);
    QCOMPARE(tabs->currentIndex(), 0);
    // Round the end.
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_PageUp, Qt::ControlModifier);
    QCOMPARE(tabs->currentIndex(), tabs->count() - 1);
    // The tree followed each step.
    QVERIFY(s.tree()->currentIndex().isValid());
}

void tst_EndpointControl::oneInstanceIsDisconnectedAndTheServerListensOn()
{
    Scene s;
    QVERIFY(s.start());
    s.window.showTraffic(s.server, 1);
    QVERIFY(s.action("disconnectInstance")->isEnabled());
    s.action("disconnectInstance")->trigger();
    // No question for one instance: it is what the user pointed at.
    QTRY_COMPARE(s.workspace->instance(s.server, 1)->state, Workspace::State::Stopped);
    QVERIFY(s.waitFor(s.clients[0], Workspace::State::Stopped));
    QCOMPARE(s.workspace->endpoint(s.server)->state, Workspace::State::Listening);
    QCOMPARE(s.workspace->instance(s.server, 2)->state, Workspace::State::Connected);
    QTRY_VERIFY(!s.action("disconnectInstance")->isEnabled());
    // Said as it happened: by you here, by its client below.
    QCOMPARE(s.row(s.server, 1).siblingAtColumn(EndpointModel::StateColumn).data().toString(),
             QStringLiteral("disconnected by you"));
    QCOMPARE(s.workspace->sendBlocker(s.server, 1), QStringLiteral("You disconnected instance 1's client"));
    s.workspace->stop(s.clients[1]);
    QTRY_COMPARE(s.workspace->instance(s.server, 2)->state, Workspace::State::Stopped);
    QTRY_COMPARE(s.row(s.server, 2).siblingAtColumn(EndpointModel::StateColumn).data().toString(),
                 QStringLiteral("disconnected"));
    QCOMPARE(s.workspace->sendBlocker(s.server, 2), QStringLiteral("Instance 2's client has disconnected"));
}

void tst_EndpointControl::stoppingAServerWithClientsAsksFirst()
{
    Scene s;
    QVERIFY(s.start());
    s.window.showTraffic(s.server);
    s.action("stopEndpoint")->trigger();
    QMessageBox *box = question(s.window);
    QVERIFY(box);
    QVERIFY2(box->text().contains(QLatin1String("2 connected clients")), qPrintable(box->text()));
    // Cancel (the default) keeps everything running.
    QCOMPARE(box->defaultButton(), box->button(QMessageBox::Cancel));
    const QPointer<QMessageBox> asked(box);
    QTest::mouseClick(box->button(QMessageBox::Cancel), Qt::LeftButton);
    // Once the question has gone (deleted after it closed), anything the
    // answer posted has run too.
    QTRY_VERIFY(!asked);
    QCOMPARE(s.workspace->endpoint(s.server)->state, Workspace::State::Listening);
    QCOMPARE(s.workspace->connectedInstances(s.server), 2);

    s.action("stopEndpoint")->trigger();
    box = question(s.window);
    QVERIFY(box);
    QTest::mouseClick(button(box, QMessageBox::AcceptRole), Qt::LeftButton);
    QVERIFY(s.waitFor(s.server, Workspace::State::Stopped));
    QVERIFY(s.waitFor(s.clients[0], Workspace::State::Stopped));

    // A server with no clients stops without a question.
    s.window.showTraffic(s.server);
    QVERIFY(!s.action("stopEndpoint")->isEnabled());
    s.action("restartEndpoint")->trigger();
    QVERIFY(s.waitFor(s.server, Workspace::State::Listening));
    s.action("stopEndpoint")->trigger();
    QVERIFY(s.waitFor(s.server, Workspace::State::Stopped));
    QVERIFY(!s.window.findChild<QMessageBox *>(QStringLiteral("confirmStop")));
}

void tst_EndpointControl::anEndedEndpointIsEditedAndStartedAgain()
{
    Scene s;
    QVERIFY(s.start());
    s.window.showTraffic(s.clients[0]);
    QVERIFY(!s.action("editEndpoint")->isEnabled()); // running: stop it first
    s.workspace->stop(s.clients[0]);
    QVERIFY(s.waitFor(s.clients[0], Workspace::State::Stopped));
    QTRY_VERIFY(s.action("editEndpoint")->isEnabled());
    s.action("editEndpoint")->trigger();
    auto *dialog = qobject_cast<ClientDialog *>(s.window.openDialog());
    QVERIFY(dialog);
    // It opens with the endpoint's settings.
    QCOMPARE(dialog->nameField()->name(), s.workspace->endpoint(s.clients[0])->name);
    QVERIFY(dialog->windowTitle().startsWith(QLatin1String("Edit Settings of ")));
    auto *wait = dialog->findChild<QSpinBox *>(QStringLiteral("waitTimeout"));
    QVERIFY(wait);
    wait->setValue(1234);
    QTest::mouseClick(dialog->buttons()->button(QDialogButtonBox::Ok), Qt::LeftButton);
    QTRY_VERIFY(!s.window.openDialog());
    // The same endpoint, with the new settings, connected again.
    QVERIFY(s.waitFor(s.clients[0], Workspace::State::Connected));
    QCOMPARE(s.workspace->endpoint(s.clients[0])->client.options.waitMs, 1234);
    QCOMPARE(s.workspace->endpointIds().size(), 3);
}

void tst_EndpointControl::clearingEndedInstancesTakesTheirRowsAndTabs()
{
    Scene s;
    QVERIFY(s.start());
    s.window.showTraffic(s.server, 1);
    s.window.showTraffic(s.server);
    QVERIFY(!s.action("clearEndedInstances")->isEnabled()); // none has ended
    s.workspace->stop(s.clients[0]);
    QTRY_VERIFY(s.action("clearEndedInstances")->isEnabled());
    const QString counts = s.row(s.server).siblingAtColumn(EndpointModel::MessagesColumn).data().toString();
    QCOMPARE(counts, QStringLiteral("2 / 2"));
    s.action("clearEndedInstances")->trigger();
    QVERIFY(!s.row(s.server, 1).isValid());
    // The server's counts are still what its tab lists.
    QCOMPARE(s.row(s.server).siblingAtColumn(EndpointModel::MessagesColumn).data().toString(), counts);
    QVERIFY(s.row(s.server, 2).isValid());
    QVERIFY(!s.window.findTraffic(s.server, 1));
    QVERIFY(!s.action("clearEndedInstances")->isEnabled());
    // Its traffic is still in the server's log: connected, in, out and
    // disconnected, and instance 2's connected, in and out.
    QCOMPARE(s.workspace->store()->stats(s.server, 1).messagesIn, 1u);
    QTRY_COMPARE(s.window.findTraffic(s.server)->model()->rowCount(), 7);
}

void tst_EndpointControl::removingAServerTakesItsRowAndTabsAndKeepsItsTraffic()
{
    Scene s;
    QVERIFY(s.start());
    s.window.showTraffic(s.server, 2);
    s.window.showTraffic(s.server);
    const qsizetype before = s.workspace->store()->count();
    s.action("removeEndpoint")->trigger();
    QMessageBox *box = question(s.window);
    QVERIFY(box);
    QTest::mouseClick(button(box, QMessageBox::AcceptRole), Qt::LeftButton);
    QTRY_VERIFY(!s.row(s.server).isValid());
    QVERIFY(!s.window.findTraffic(s.server));
    QVERIFY(!s.window.findTraffic(s.server, 2));
    QCOMPARE(s.workspace->endpointIds().size(), 2);
    // Nothing captured was lost: All Traffic has every row, and more (the
    // disconnections).
    QTRY_VERIFY(s.workspace->store()->count() > before);
    s.window.tabs()->setCurrentIndex(0);
    QTRY_COMPARE(s.window.allTraffic()->model()->rowCount(), int(s.workspace->store()->count()));
    QCOMPARE(s.workspace->store()->stats(s.server, 2).messagesOut, 1u);
    // Delete in the tree removes the selected (stopped) client at once.
    QVERIFY(s.waitFor(s.clients[0], Workspace::State::Stopped));
    s.click(s.row(s.clients[0]));
    s.window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&s.window));
    s.tree()->setFocus();
    QTest::keyClick(s.tree(), Qt::Key_Delete);
    QTRY_VERIFY(!s.row(s.clients[0]).isValid());
    QCOMPARE(s.workspace->endpointIds().size(), 1);
}

void tst_EndpointControl::cancellingAFailedAttemptLeavesNothing()
{
    MainWindow window;
    window.show();
    window.connectClient();
    auto *dialog = qobject_cast<ClientDialog *>(window.openDialog());
    QVERIFY(dialog);
    dialog->nameField()->edit()->setText(uniqueName("nobody"));
    auto *wait = dialog->findChild<QSpinBox *>(QStringLiteral("waitTimeout"));
    QVERIFY(wait);
    wait->setValue(50);
    QTest::mouseClick(dialog->buttons()->button(QDialogButtonBox::Ok), Qt::LeftButton);
    QTRY_VERIFY(!dialog->problemText().isEmpty());
    // Not in the tree, no tab, nothing captured.
    QCOMPARE(window.endpointTree()->model()->rowCount(), 0);
    QCOMPARE(window.tabs()->count(), 1);
    const QPointer<EndpointDialog> open(dialog);
    dialog->reject();
    // Deleted once closed: whatever cancelling posted has run by then.
    QTRY_VERIFY(!open);
    QCOMPARE(window.endpointTree()->model()->rowCount(), 0);
    QCOMPARE(window.store()->count(), 0);
    QCOMPARE(window.workspace()->sessionHeader().endpoints.size(), 0);
}

void tst_EndpointControl::aClientDialogKeepsItsLayoutAfterAnError()
{
    MainWindow window;
    window.show();
    window.connectClient();
    auto *dialog = qobject_cast<ClientDialog *>(window.openDialog());
    QVERIFY(dialog);
    QVERIFY(QTest::qWaitForWindowExposed(dialog));
    dialog->nameField()->edit()->setText(uniqueName("nobody-listens-on-this-rather-long-name"));
    dialog->findChild<QSpinBox *>(QStringLiteral("waitTimeout"))->setValue(50);
    const int nameWidth = dialog->nameField()->edit()->width();
    QTest::mouseClick(dialog->buttons()->button(QDialogButtonBox::Ok), Qt::LeftButton);
    QTRY_VERIFY(!dialog->problemText().isEmpty());
    // The name field keeps its width; the resolved path and the error are
    // shown whole, wrapped within the dialog, once the layout has settled
    // (the grown dialog's new size comes back from the window system: a
    // while under Wine on a busy machine).
    QLabel *resolved = dialog->nameField()->resolved();
    QLabel *problem = dialog->problem();
    QTRY_VERIFY2(resolved->height() >= resolved->heightForWidth(resolved->width()),
                 qPrintable(QStringLiteral("%1 < %2").arg(resolved->height()).arg(resolved->heightForWidth(resolved->width()))));
    QTRY_VERIFY(problem->height() >= problem->heightForWidth(problem->width()));
    if (const QByteArray dir = qgetenv("PIPESCOPE_TEST_SCREENSHOT_DIR"); !dir.isEmpty())
        dialog->grab().save(QString::fromLocal8Bit(dir) + QStringLiteral("/client-dialog-error.png"));
    QCOMPARE(dialog->nameField()->edit()->width(), nameWidth);
    QVERIFY(problem->geometry().right() <= dialog->width());
}

void tst_EndpointControl::withNoEndpointsTheDockSaysWhatToDo()
{
    MainWindow window;
    window.show();
    auto *empty = window.findChild<QLabel *>(QStringLiteral("noEndpoints"));
    QVERIFY(empty && empty->isVisible());
    if (const QByteArray dir = qgetenv("PIPESCOPE_TEST_SCREENSHOT_DIR"); !dir.isEmpty()) {
        for (const QSize size : {QSize(800, 600), QSize(1600, 1000)}) {
            window.resize(size);
            window.grab().save(QStringLiteral("%1/empty-%2.png").arg(QString::fromLocal8Bit(dir)).arg(size.width()));
        }
    }
    QVERIFY(!window.endpointTree()->isVisible());
    // Its links open what they name.
    emit empty->linkActivated(QStringLiteral("server"));
    QVERIFY(qobject_cast<ServerDialog *>(window.openDialog()));
    window.openDialog()->reject();
    emit empty->linkActivated(QStringLiteral("sample"));
    QTRY_VERIFY(window.endpointTree()->isVisible());
    QVERIFY(!empty->isVisible());
    // Everything removed: it says so again.
    QTRY_COMPARE(window.workspace()->endpointIds().size(), 2);
    for (quint32 id : window.workspace()->endpointIds())
        window.workspace()->remove(id);
    QTRY_VERIFY(empty->isVisible());
}

void tst_EndpointControl::theUserGuideOpensOfflineAndFollowsItsLinks()
{
    MainWindow window;
    window.show();
    window.findChild<QAction *>(QStringLiteral("userGuide"))->trigger();
    auto *guide = window.findChild<QWidget *>(QStringLiteral("userGuideWindow"));
    QVERIFY(guide && guide->isVisible());
    auto *browser = guide->findChild<QTextBrowser *>(QStringLiteral("userGuideText"));
    QVERIFY(browser);
    QVERIFY2(browser->toPlainText().contains(QLatin1String("Try the sample")), qPrintable(browser->toPlainText().left(200)));
    if (const QByteArray dir = qgetenv("PIPESCOPE_TEST_SCREENSHOT_DIR"); !dir.isEmpty())
        guide->grab().save(QString::fromLocal8Bit(dir) + QStringLiteral("/user-guide.png"));
    // Its links lead to the bundled documents.
    for (const char *link : {"session-format.md", "../README.md"}) {
        browser->setSource(QUrl(QStringLiteral("qrc:/docs/user-guide.md")));
        browser->setSource(browser->source().resolved(QUrl(QLatin1String(link))));
        QVERIFY2(browser->toPlainText().size() > 500, link);
    }
    // Asked again, the same window comes forward (which the offscreen
    // platform says it cannot do).
    if (QGuiApplication::platformName() == QLatin1String("offscreen"))
        QTest::ignoreMessage(QtWarningMsg, "This plugin does not support raise()");
    QCOMPARE(window.showUserGuide(), guide);
}

// Send Again puts the selected messages on the connections they were
// captured on; Edit in Composer opens that connection's tab with the
// message in its composer, as one would type it.
void tst_EndpointControl::aMessageIsSentAgainOrEditedInItsComposer()
{
    Scene scene;
    QVERIFY(scene.start());
    Workspace *workspace = scene.workspace;
    TrafficStore *store = workspace->store();
    workspace->send(scene.clients[1], 0, QByteArray("ping\r\n"));
    QTRY_COMPARE(store->stats(scene.server, 2).messagesIn, quint64(2));
    TrafficPane *all = scene.window.allTraffic();
    scene.window.tabs()->setCurrentWidget(all);
    QTableView *table = all->table();
    const auto selectMessage = [&](quint32 endpoint, quint32 instance, Direction direction, const QByteArray &bytes) {
        for (int row = 0; row < table->model()->rowCount(); ++row) {
            const QModelIndex index = table->model()->index(row, 0);
            const TrafficEvent event = store->eventAt(index.data(TrafficModel::StoreRowRole).value<qsizetype>());
            if (event.kind == EventKind::Data && event.endpoint == endpoint && event.instance == instance &&
                event.direction == direction && index.data(TrafficModel::PayloadRole).toByteArray() == bytes) {
                // Not selectRow(), which reads the keyboard's modifiers
                // (a Ctrl just clicked would add to the selection).
                table->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect |
                                                                    QItemSelectionModel::Rows);
                return true;
            }
        }
        return false;
    };
    const auto tableAction = [table](const char *name) {
        for (QAction *action : table->actions())
            if (action->objectName() == QLatin1String(name))
                return action;
        return static_cast<QAction *>(nullptr);
    };
    QVERIFY(tableAction("sendAgain") && tableAction("editInComposer"));

    // The first client's "hello", again (its shortcut, which no window
    // action shares): the server's instance 1 gets it twice.
    QVERIFY(selectMessage(scene.clients[0], 0, Direction::Out, "hello"));
    table->setFocus();
    QTRY_VERIFY(table->hasFocus());
    QTest::keyClick(table, Qt::Key_Return, Qt::ControlModifier);
    QTRY_COMPARE(store->stats(scene.server, 1).messagesIn, quint64(2));
    QCOMPARE(store->stats(scene.server, 2).messagesIn, quint64(2));
    QTRY_COMPARE(scene.window.statusBar()->currentMessage(), QStringLiteral("Sent 1 message again"));

    // What the server's instance 2 received, into that instance's composer.
    QVERIFY(selectMessage(scene.server, 2, Direction::In, "ping\r\n"));
    QTest::keyClick(table, Qt::Key_Return, Qt::ControlModifier | Qt::ShiftModifier);
    QTRY_COMPARE(scene.window.currentPane(), scene.window.findTraffic(scene.server, 2));
    Composer *composer = scene.window.currentPane()->composer();
    QVERIFY(composer);
    QCOMPARE(composer->input()->text(), QStringLiteral("ping\\r\\n"));
    QString error;
    QCOMPARE(composer->payload(&error).value_or(QByteArray()), QByteArray("ping\r\n"));
    QTRY_VERIFY(composer->input()->hasFocus());
    const quint64 before = store->stats(scene.clients[1], 0).messagesIn;
    QTest::mouseClick(composer->sendButton(), Qt::LeftButton);
    QTRY_COMPARE(store->stats(scene.clients[1], 0).messagesIn, before + 1);

    // A connection that has ended sends nothing, and says why.
    workspace->stop(scene.clients[0]);
    QVERIFY(scene.waitFor(scene.clients[0], Workspace::State::Stopped));
    scene.window.tabs()->setCurrentWidget(all);
    QVERIFY(selectMessage(scene.clients[0], 0, Direction::Out, "hello"));
    tableAction("sendAgain")->trigger();
    QVERIFY2(scene.window.statusBar()->currentMessage().startsWith(QStringLiteral("Nothing sent: ")),
             qPrintable(scene.window.statusBar()->currentMessage()));
    QCOMPARE(store->stats(scene.server, 1).messagesIn, quint64(2));
}

PIPESCOPE_TEST_MAIN(tst_EndpointControl)
#include "tst_endpointcontrol.moc"
