// The real main window and its dialogs, driven as a user would, on the
// offscreen platform with real pipes.
#include "capturehub.h"
#include "clientdialog.h"
#include "composer.h"
#include "copyformat.h"
#include "endpointmodel.h"
#include "hexview.h"
#include "mainwindow.h"
#include "payloadinput.h"
#include "preferences.h"
#include "profile.h"
#include "replaydialog.h"
#include "replayresults.h"
#include "samplescenario.h"
#include "serverdialog.h"
#include "sessionformat.h"
#include "sessionjournal.h"
#include "sessionload.h"
#include "settings.h"
#include "settingskeys.h"
#include "statussummary.h"
#include "testmain.h"
#include "textencoding.h"
#include "theme.h"
#include "trafficmodel.h"
#include "trafficpane.h"
#include "trafficstore.h"
#include "uniquename.h"
#include "windowprofile.h"
#include "windowtesting.h"
#include "workspace.h"

#include <QAction>
#include <QCheckBox>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QSignalSpy>
#include <QStatusBar>
#include <QStyle>
#include <QStyleOptionButton>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTemporaryFile>
#include <QCompleter>
#include <QStringListModel>
#include <QScrollBar>
#include <QTabBar>
#include <QTest>
#include <QTimer>
#include <QTreeView>

using namespace PipeScope;
using PipeScopeTest::askToClose;
using PipeScopeTest::sampleCaptured;
using PipeScopeTest::sampleRan;
using PipeScopeTest::uniqueName;

namespace {

QList<QByteArray> payloads(const QAbstractItemModel *model, const char *direction = nullptr)
{
    QList<QByteArray> out;
    for (int row = 0; row < model->rowCount(); ++row) {
        if (EventKind(model->index(row, 0).data(TrafficModel::KindRole).toInt()) != EventKind::Data)
            continue;
        if (direction && model->index(row, TrafficModel::DirectionColumn).data().toString() != QLatin1String(direction))
            continue;
        out << model->index(row, 0).data(TrafficModel::PayloadRole).toByteArray();
    }
    return out;
}

// A replay's result for one of its rows: "same", "differs", ...
QString result(const ReplayDialog *dialog, int row)
{
    return dialog->resultModel()->index(row, ReplayResults::ResultColumn).data().toString();
}

// Runs the sample from the first-launch offer and waits for its six
// events.
bool runSample(MainWindow &window)
{
    auto *offer = window.findChild<QPushButton *>(QStringLiteral("trySampleButton"));
    if (!offer || !offer->isVisible())
        return false;
    QTest::mouseClick(offer, Qt::LeftButton);
    return QTest::qWaitFor([&] { return sampleRan(window); }, 10000);
}

// The all-traffic row whose preview is `payload` quoted.
int rowOf(const QAbstractItemModel *model, const QByteArray &payload)
{
    for (int row = 0; row < model->rowCount(); ++row)
        if (model->index(row, 0).data(TrafficModel::PayloadRole).toByteArray() == payload)
            return row;
    return -1;
}

// An echo server and a client that sent "alpha 1", "beta 2" and UTF-16LE
// "hi", all echoed: the client's tab, once it shows the six messages.
TrafficPane *echoThreeMessages(MainWindow &window, quint32 &clientId)
{
    Workspace *workspace = window.workspace();
    ServerConfig server;
    server.name = uniqueName("filter");
    server.autoReply = AutoReply::Echo;
    const quint32 serverId = workspace->addServer(server);
    if (!QTest::qWaitFor([&] { return workspace->endpoint(serverId)->state == Workspace::State::Listening; }, 10000))
        return nullptr;
    ClientConfig client;
    client.name = server.name;
    clientId = workspace->addClient(client);
    if (!QTest::qWaitFor([&] { return workspace->endpoint(clientId)->state == Workspace::State::Connected; }, 10000))
        return nullptr;
    for (const QByteArray &m : {QByteArray("alpha 1"), QByteArray("beta 2"), QByteArray("h\0i\0", 4)})
        workspace->send(clientId, 0, m);
    TrafficPane *pane = window.showTraffic(clientId);
    if (!QTest::qWaitFor([&] { return payloads(pane->model()).size() == 6; }, 10000))
        return nullptr;
    return pane;
}

void clickOk(EndpointDialog *dialog)
{
    QPushButton *ok = dialog->buttons()->button(QDialogButtonBox::Ok);
    QVERIFY(ok->isEnabled());
    QTest::mouseClick(ok, Qt::LeftButton);
}



// The sample saved to `path` and opened again: the recorded window, or
// null if saving or opening failed.
MainWindow *saveAndReopenSample(MainWindow &window, const QString &path)
{
    if (!sampleCaptured(window))
        return nullptr;
    if (!PipeScopeTest::saveSession(window, path).ok)
        return nullptr;
    QSignalSpy opened(&window, &MainWindow::sessionOpened);
    window.openSession(path);
    if (!opened.wait(10000))
        return nullptr;
    return opened.first().first().value<MainWindow *>();
}




// The sample run with a memory limit its first message fills: every later
// message whose bytes need more memory is kept in the journal only.
bool sampleOverTheLimit(MainWindow &window)
{
    window.store()->setPayloadLimit(1);
    return sampleCaptured(window) && window.store()->notKept() > 0;
}

// The sample's two messages, and as the Text pane decodes them (UTF-16LE,
// the closing NUL included).
const QList<QByteArray> kSampleMessages = {SampleScenario::message(), SampleScenario::answer()};
const QStringList kSampleTexts = {decodeText(SampleScenario::message(), TextEncoding::Utf16Le),
                                  decodeText(SampleScenario::answer(), TextEncoding::Utf16Le)};

// The sample, a second message from its client answered like the first,
// and the replay dialog for that message alone, chosen in the server
// instance's log; null if any step failed.
ReplayDialog *replaySecondMessage(MainWindow &window)
{
    if (!sampleCaptured(window))
        return nullptr;
    const quint32 client = window.workspace()->endpointIds().at(1);
    if (!window.workspace()->send(client, 0, "Second message") ||
        !QTest::qWaitFor([&] { return window.store()->count() == 10; }, 10000))
        return nullptr;
    QTableView *table = window.showTraffic(window.workspace()->endpointIds().at(0), 1)->table();
    int chosen = -1;
    for (int row = 0; row < table->model()->rowCount(); ++row)
        if (table->model()->index(row, 0).data(TrafficModel::PayloadRole).toByteArray() == "Second message" &&
            table->model()->index(row, TrafficModel::DirectionColumn).data().toString() == QLatin1String("in"))
            chosen = row;
    if (chosen < 0)
        return nullptr;
    table->selectRow(chosen);
    auto *replaySelected = table->findChild<QAction *>(QStringLiteral("replaySelected"));
    if (!replaySelected)
        return nullptr;
    replaySelected->trigger();
    auto *dialog = window.findChild<ReplayDialog *>();
    if (!dialog || !QTest::qWaitFor([&] { return dialog->isReady(); }, 10000))
        return nullptr;
    return dialog;
}

// New Server (echoing) and Connect Client on `name`, through the dialogs
// as a user fills them in; false unless both end running, the dialogs
// closed and the server has the client's instance.
bool createThroughDialogs(MainWindow &window, const QString &name, quint32 &serverId, quint32 &clientId)
{
    window.findChild<QAction *>(QStringLiteral("newServer"))->trigger();
    auto *server = qobject_cast<ServerDialog *>(window.openDialog());
    if (!server || !server->isVisible())
        return false;
    server->nameField()->edit()->setText(name);
    server->autoReply()->setCurrentIndex(server->autoReply()->findData(int(AutoReply::Echo)));
    clickOk(server);
    if (!QTest::qWaitFor([&] { return !window.openDialog(); }, 10000))
        return false;
    serverId = window.workspace()->endpointIds().value(0);
    window.findChild<QAction *>(QStringLiteral("connectClient"))->trigger();
    auto *client = qobject_cast<ClientDialog *>(window.openDialog());
    if (!client)
        return false;
    client->nameField()->edit()->setText(name);
    clickOk(client);
    if (!QTest::qWaitFor([&] { return !window.openDialog(); }, 20000))
        return false;
    clientId = window.workspace()->endpointIds().value(1);
    // The server's side of it: its instance, once the server has seen it.
    const Workspace *workspace = window.workspace();
    return workspace->endpoint(clientId)->state == Workspace::State::Connected &&
           QTest::qWaitFor([&] { return !workspace->endpoint(serverId)->instances.isEmpty(); }, 10000) &&
           workspace->endpoint(serverId)->state == Workspace::State::Listening;
}

} // namespace

class tst_MainWindow : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void theSampleOfferRunsTheSample();
    void theTreeShowsTheSampleServerItsInstanceAndTheClient();
    void anInstanceTabShowsOnlyItsTrafficAndKeepsItsColumns();
    void aViewHiddenAndShownKeepsOneModel();
    void theSelectedMessageShowsInTheHexAndTextPanes();
    void theMessageColumnTakesTheRoomLeftInEveryTab();
    void theDocksColumnsShowWhatTheyHoldAtAnyWidth();
    void aLongNameTakesAModestTab();
    void copyingAMessageUsesTheChosenFormat();
    void serverDialogDefaultsAreTheSamplesPipe();
    void theDialogsCreateAServerAndAClient();
    void aClientDialogRefusesAServerOfAnotherUser();
    void theComposerSendsWhatIsTyped();
    void anInstanceComposerSendsToItsClient();
    void aStoppedClientsComposersSayWhyTheyCannotSend();
    void badNamesAreShownInTheDialog();
    void nameInUseIsShownInTheDialogAndCanBeFixed();
    void filterShowsTheMatchingMessages_data();
    void filterShowsTheMatchingMessages();
    void aBadRegexIsNamedAndTheLastGoodFilterStays();
    void theTextPaneDecodesUtf16LeWhenAsked();
    void pauseKeepsTheViewStillAndResumeCatchesUp();
    void clearEmptiesThisViewOnly();
    void composerEncodesAndSaysWhyItCannotSend();
    void switchingTheComposersFormatKeepsTheBytes();
    void layoutAndPreferencesPersist();
    void saveAsWritesEverythingAndSaysSo();
    void aFailedSaveNamesTheFile();
    void anOpenedSessionIsAReadOnlyWindowOfTheSameTraffic();
    void aRecordedInstancesLogFiltersAndShowsBytes();
    void aCorruptSessionFileIsNamedWithItsLine();
    void theMemoryLimitIsAPreference();
    void reachingTheMemoryLimitIsSaidOnce();
    void aMessageNotKeptIsReadFromTheJournalWhenSelected();
    void copyingReadsMessagesNotKept();
    void saveAsWritesMessagesNotKeptWhole();
    void replayChecksAgainstAServer();
    void replayingSelectedMessagesTakesOnlyThem();
    void aReplayingServerAnswersAsRecordedAndComparesWhatCame();
    void theReplayDialogOpensAFileAndAsksBeforeALargeReplay();
    void closingWithUnsavedEventsAsksAndCancelKeepsAll();
    void savingOnTheWayOutWritesTheFileThenCloses();
    void discardingOnTheWayOutCloses();
    void withTheQuestionTurnedOffItClosesWithoutAsking();

private:
    PipeScopeTest::WindowProfile m_profile;
};

void tst_MainWindow::initTestCase()
{
    m_profile.use("tst_mainwindow");
}

void tst_MainWindow::init()
{
    PipeScopeTest::WindowProfile::reset(PipeScopeTest::WindowProfile::Sample::Offered);
}

void tst_MainWindow::theSampleOfferRunsTheSample()
{
    MainWindow window;
    window.show();
    auto *offer = window.findChild<QPushButton *>(QStringLiteral("trySampleButton"));
    QVERIFY(offer && offer->isVisible());
    QVERIFY(runSample(window));
    QVERIFY(!offer->isVisible());
    // New endpoints open their own tabs; a hidden tab's table holds no rows.
    QTableView *table = window.allTraffic()->table();
    QVERIFY(!table->isVisible() && table->model()->rowCount() == 0);
    window.tabs()->setCurrentWidget(window.allTraffic());
    QCOMPARE(table->model()->rowCount(), 6);
    QList<QByteArray> sent = payloads(table->model());
    std::sort(sent.begin(), sent.end());
    QCOMPARE(sent, (QList<QByteArray>{SampleScenario::answer(), SampleScenario::answer(), SampleScenario::message(),
                                      SampleScenario::message()}));
    // The status bar counts what was captured.
    QTRY_VERIFY2(window.statusSummary()->text().startsWith(QStringLiteral("2 endpoints (2 running) · 2 messages in, 2 out")),
                 qPrintable(window.statusSummary()->text()));
    if (const QByteArray shot = qgetenv("PIPESCOPE_TEST_SCREENSHOT"); !shot.isEmpty())
        window.grab().save(QString::fromLocal8Bit(shot));
}

void tst_MainWindow::theTreeShowsTheSampleServerItsInstanceAndTheClient()
{
    MainWindow window;
    window.show();
    QVERIFY(runSample(window));
    QAbstractItemModel *tree = window.endpointTree()->model();
    QCOMPARE(tree->rowCount(), 2);
    QCOMPARE(tree->rowCount(tree->index(0, 0)), 1);
    QCOMPARE(tree->index(0, 0).data().toString(), SampleScenario::pipeName());
    QCOMPARE(tree->index(0, 0, tree->index(0, 0)).data().toString(), QStringLiteral("instance 1"));
    QCOMPARE(tree->rowCount(tree->index(1, 0)), 0);
    // Asked again (Ctrl+T), it says it runs already, and starts nothing.
    window.findChild<QAction *>(QStringLiteral("trySample"))->trigger();
    QCOMPARE(window.statusBar()->currentMessage(), QStringLiteral("The sample runs already: this is its server's tab"));
    QCOMPARE(tree->rowCount(), 2);
    // At 800 px, while a message shows, the counters leave it most of the
    // bar: they are cut instead (whole in their tooltip).
    window.resize(800, 600);
    auto *summary = window.findChild<StatusSummary *>();
    QVERIFY(summary);
    QTRY_VERIFY2(summary->width() <= 50 * summary->fontMetrics().averageCharWidth() + 20,
                 qPrintable(QString::number(summary->width())));
    QCOMPARE(summary->toolTip(), summary->text());
    // With no message they take the room they need.
    window.statusBar()->clearMessage();
    QTRY_VERIFY(summary->width() > 50 * summary->fontMetrics().averageCharWidth() + 20);
}

void tst_MainWindow::anInstanceTabShowsOnlyItsTrafficAndKeepsItsColumns()
{
    MainWindow window;
    window.show();
    QVERIFY(runSample(window));
    // Selecting the instance opens its log: in, then the server's answer out.
    QAbstractItemModel *tree = window.endpointTree()->model();
    window.endpointTree()->setCurrentIndex(tree->index(0, 0, tree->index(0, 0)));
    TrafficPane *instance = window.currentPane();
    QVERIFY(instance && instance->instance() == 1);
    QCOMPARE(payloads(instance->model(), "in"), QList<QByteArray>{SampleScenario::message()});
    QCOMPARE(payloads(instance->model(), "out"), QList<QByteArray>{SampleScenario::answer()});
    // A scoped tab hides the endpoint column, and keeps its columns when
    // it comes back into view.
    QVERIFY(instance->table()->isColumnHidden(TrafficModel::SourceColumn));
    const int sizeWidth = instance->table()->columnWidth(TrafficModel::SizeColumn);
    window.tabs()->setCurrentWidget(window.allTraffic());
    window.tabs()->setCurrentWidget(instance);
    QVERIFY(instance->table()->isColumnHidden(TrafficModel::SourceColumn));
    QCOMPARE(instance->table()->columnWidth(TrafficModel::SizeColumn), sizeWidth);
}

void tst_MainWindow::aViewHiddenAndShownKeepsOneModel()
{
    MainWindow window;
    window.show();
    QVERIFY(runSample(window));
    TrafficPane *instance = window.showTraffic(window.workspace()->endpointIds().constFirst(), 1);
    // It used to gain a selection model a cycle.
    for (int i = 0; i < 10; ++i) {
        window.tabs()->setCurrentWidget(window.allTraffic());
        window.tabs()->setCurrentWidget(instance);
    }
    QCOMPARE(instance->table()->findChildren<QItemSelectionModel *>(Qt::FindDirectChildrenOnly).size(), 1);
    QCOMPARE(instance->table()->model(), instance->model());
    QCOMPARE(instance->model()->rowCount(), 3); // connected, in, out
}

void tst_MainWindow::theSelectedMessageShowsInTheHexAndTextPanes()
{
    MainWindow window;
    window.show();
    QVERIFY(runSample(window));
    window.tabs()->setCurrentWidget(window.allTraffic());
    QTableView *table = window.allTraffic()->table();
    const int reply = rowOf(table->model(), SampleScenario::answer());
    QVERIFY(reply >= 0);
    table->setCurrentIndex(table->model()->index(reply, 0));
    QCOMPARE(window.allTraffic()->hexView()->data(), SampleScenario::answer());
    QCOMPARE(window.allTraffic()->hexView()->layout().lineCount(), 4); // 54 bytes
    QCOMPARE(window.allTraffic()->textView()->toPlainText(), kSampleTexts.at(1));
}

void tst_MainWindow::theDocksColumnsShowWhatTheyHoldAtAnyWidth()
{
    MainWindow window;
    window.resize(1400, 900);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(sampleCaptured(window));
    QTreeView *tree = window.endpointTree();
    QHeaderView *header = tree->header();
    const auto column = [&](int c) { return header->isSectionHidden(c) ? 0 : header->sectionSize(c); };
    const QString serverLabel = window.workspace()->label(window.workspace()->endpointIds().first());
    // Wide: every column whole, side by side within the dock (no column
    // behind a scroll bar); the peer waits in the tooltip and the
    // header's menu.
    QTRY_VERIFY(column(EndpointModel::NameColumn) >=
                tree->fontMetrics().horizontalAdvance(serverLabel) + tree->indentation());
    QVERIFY(header->isSectionHidden(EndpointModel::PeerColumn));
    QCOMPARE(tree->horizontalScrollBar()->maximum(), 0);
    for (int c : {EndpointModel::StateColumn, EndpointModel::MessagesColumn, EndpointModel::BytesColumn})
        QTRY_VERIFY2(column(c) >= static_cast<QAbstractItemView *>(tree)->sizeHintForColumn(c),
                     qPrintable(QString::number(c))); // the counts come a moment after the messages
    // All Traffic names each row's endpoint and instance whole.
    window.tabs()->setCurrentWidget(window.allTraffic());
    QTableView *table = window.allTraffic()->table();
    QVERIFY(table->horizontalHeader()->sectionSize(TrafficModel::SourceColumn) >=
            table->fontMetrics().horizontalAdvance(serverLabel + QStringLiteral(" #1")));

    // Narrow: the bytes leave rather than every column turning to "…";
    // the name keeps half the tree (or all it needs), the state stays.
    window.resize(800, 600);
    QTRY_VERIFY(header->isSectionHidden(EndpointModel::BytesColumn));
    QVERIFY(!header->isSectionHidden(EndpointModel::StateColumn));
    QVERIFY(column(EndpointModel::NameColumn) >=
            std::min(tree->viewport()->width() / 2, static_cast<QAbstractItemView *>(tree)->sizeHintForColumn(0)));
    QCOMPARE(tree->horizontalScrollBar()->maximum(), 0);
    // Wide again, they come back.
    window.resize(1400, 900);
    QTRY_VERIFY(!header->isSectionHidden(EndpointModel::BytesColumn));
    QVERIFY(!header->isSectionHidden(EndpointModel::MessagesColumn));
    QVERIFY(header->isSectionHidden(EndpointModel::PeerColumn));
}

void tst_MainWindow::aLongNameTakesAModestTab()
{
    MainWindow window;
    window.show();
    ServerConfig server;
    server.name = uniqueName("a-long-name-that-goes-on") + QStringLiteral("-and-on").repeated(4);
    const quint32 id = window.workspace()->addServer(server);
    QTRY_COMPARE(window.workspace()->endpoint(id)->state, Workspace::State::Listening);
    TrafficPane *pane = window.showTraffic(id, 0);
    QVERIFY(pane);
    QTabWidget *tabs = window.tabs();
    const int index = tabs->indexOf(pane);
    const QFontMetrics metrics = tabs->tabBar()->fontMetrics();
    // Elided in its middle, both ends kept; whole in the tooltip.
    const QString text = tabs->tabText(index);
    QVERIFY2(metrics.horizontalAdvance(text) <= 32 * metrics.averageCharWidth(), qPrintable(text));
    QVERIFY(text.contains(QChar(0x2026)) && text.endsWith(QStringLiteral("-and-on")));
    QVERIFY(tabs->tabToolTip(index).contains(server.name));
}

void tst_MainWindow::theMessageColumnTakesTheRoomLeftInEveryTab()
{
    // As --screenshot opens it: a large window, then an instance's tab.
    MainWindow window;
    window.resize(1600, 1000);
    window.show();
    QVERIFY(sampleCaptured(window));
    const quint32 server = window.workspace()->endpointIds().value(0);
    for (TrafficPane *pane : {window.showTraffic(server, 1), window.allTraffic()}) {
        window.tabs()->setCurrentWidget(pane);
        QTableView *table = pane->table();
        QHeaderView *header = table->horizontalHeader();
        QTRY_VERIFY(header->length() >= table->viewport()->width() - 2);
        QVERIFY2(header->sectionSize(TrafficModel::PreviewColumn) > table->viewport()->width() / 3,
                 qPrintable(QStringLiteral("%1 of %2").arg(header->sectionSize(TrafficModel::PreviewColumn))
                                .arg(table->viewport()->width())));
    }
}

void tst_MainWindow::copyingAMessageUsesTheChosenFormat()
{
    MainWindow window;
    window.show();
    QVERIFY(runSample(window));
    window.tabs()->setCurrentWidget(window.allTraffic());
    QTableView *table = window.allTraffic()->table();
    table->setCurrentIndex(table->model()->index(rowOf(table->model(), SampleScenario::answer()), 0));
    auto *copyBase64 = table->findChild<QAction *>(QStringLiteral("copy%1").arg(int(CopyFormat::Base64)));
    QVERIFY(copyBase64);
    copyBase64->trigger();
    QCOMPARE(QGuiApplication::clipboard()->text(), QString::fromLatin1(SampleScenario::answer().toBase64()));
}

void tst_MainWindow::serverDialogDefaultsAreTheSamplesPipe()
{
    ServerDialog dialog;
    const ServerConfig c = dialog.config();
    QCOMPARE(c.name, QStringLiteral("\\\\.\\pipe\\mynamedpipe"));
    QCOMPARE(c.options.type, Native::PipeType::Message);
    QCOMPARE(c.options.readMode, Native::ReadMode::Message);
    QCOMPARE(c.options.maxInstances, Native::kUnlimitedInstances);
    QCOMPARE(c.options.outBufferSize, 4096u);
    QCOMPARE(c.options.inBufferSize, 4096u);
    // It answers nothing until told to (the user guide's first server).
    QCOMPARE(c.autoReply, AutoReply::Off);
    // The name resolves as it is typed.
#ifdef Q_OS_LINUX
    QVERIFY2(dialog.nameField()->resolvedText().endsWith(QLatin1String("/pipescope/mynamedpipe")),
             qPrintable(dialog.nameField()->resolvedText()));
    dialog.nameField()->edit()->setText(QStringLiteral("@abstract-name"));
    QCOMPARE(dialog.nameField()->resolvedText(), QStringLiteral("Pipe: @abstract-name"));
#else
    QCOMPARE(dialog.nameField()->resolvedText(), QStringLiteral("Pipe: \\\\.\\pipe\\mynamedpipe"));
#endif
    // A round trip through the fields keeps every setting.
    ServerConfig custom = c;
    custom.name = QStringLiteral("custom-name");
    custom.options.type = Native::PipeType::Byte;
    custom.options.readMode = Native::ReadMode::Byte;
    custom.options.maxInstances = 3;
    custom.options.outBufferSize = 65536;
    custom.options.defaultTimeoutMs = 1234;
    custom.autoReply = AutoReply::Rules;
    custom.rules = {{ReplyRule::Match::Regex, QStringLiteral("GET (\\d+)"), QStringLiteral("item \\1")}};
    dialog.setConfig(custom);
    const ServerConfig back = dialog.config();
    QCOMPARE(back.name, custom.name);
    QCOMPARE(back.options.type, Native::PipeType::Byte);
    QCOMPARE(back.options.maxInstances, 3);
    QCOMPARE(back.options.outBufferSize, 65536u);
    QCOMPARE(back.options.defaultTimeoutMs, 1234u);
    QCOMPARE(back.autoReply, AutoReply::Rules);
    QCOMPARE(back.rules.size(), 1);
    QCOMPARE(back.rules.first().pattern, QStringLiteral("GET (\\d+)"));
    QCOMPARE(back.rules.first().reply, QStringLiteral("item \\1"));
    QVERIFY(dialog.buttons()->button(QDialogButtonBox::Ok)->isEnabled());
    // A broken regex blocks OK and says why.
    dialog.rules()->item(0, 1)->setText(QStringLiteral("GET ("));
    QVERIFY(!dialog.buttons()->button(QDialogButtonBox::Ok)->isEnabled());
    QVERIFY2(dialog.problemText().startsWith(QLatin1String("Rule 1: regex")), qPrintable(dialog.problemText()));
}

void tst_MainWindow::theDialogsCreateAServerAndAClient()
{
    MainWindow window;
    window.show();
    quint32 serverId = 0, clientId = 0;
    QVERIFY(createThroughDialogs(window, uniqueName("dlg"), serverId, clientId));
    QCOMPARE(window.workspace()->endpoint(serverId)->server.autoReply, AutoReply::Echo);
    // The client's tab is current, with a composer.
    TrafficPane *clientPane = window.currentPane();
    QVERIFY(clientPane && clientPane->endpoint() == clientId && clientPane->composer());
}

void tst_MainWindow::aClientDialogRefusesAServerOfAnotherUser()
{
    MainWindow window;
    window.show();
    ServerConfig config;
    config.name = uniqueName("user");
    const quint32 serverId = window.workspace()->addServer(config);
    QTRY_COMPARE(window.workspace()->endpoint(serverId)->state, Workspace::State::Listening);
    window.findChild<QAction *>(QStringLiteral("connectClient"))->trigger();
    auto *client = qobject_cast<ClientDialog *>(window.openDialog());
    QVERIFY(client);
    client->nameField()->edit()->setText(config.name);
    // A server that must run as someone it does not run as is refused
    // before anything is sent; the dialog says so and stays.
    auto *serverUser = client->findChild<QLineEdit *>(QStringLiteral("serverUser"));
    QVERIFY(serverUser && serverUser->text().isEmpty());
    serverUser->setText(QStringLiteral("pipescope-nosuchuser"));
    clickOk(client);
    QTRY_VERIFY2(client->problemText().contains(QLatin1String("pipescope-nosuchuser")),
                 qPrintable(client->problemText()));
    QVERIFY(window.openDialog() == client);
    // Corrected, the same dialog connects. The refused connection's
    // instance may still be ending; the client waits for a free one
    // (WaitNamedPipe), which a loaded machine (the sanitizer builds) makes
    // slow.
    serverUser->clear();
    clickOk(client);
    QTRY_VERIFY_WITH_TIMEOUT(!window.openDialog(), 20000);
    const quint32 clientId = window.workspace()->endpointIds().value(1);
    QCOMPARE(window.workspace()->endpoint(clientId)->state, Workspace::State::Connected);
}

void tst_MainWindow::theComposerSendsWhatIsTyped()
{
    MainWindow window;
    window.show();
    quint32 serverId = 0, clientId = 0;
    QVERIFY(createThroughDialogs(window, uniqueName("compose"), serverId, clientId));
    TrafficPane *clientPane = window.currentPane();
    Composer *composer = clientPane->composer();
    QTest::keyClicks(composer->input(), QStringLiteral("hello pipe"));
    QVERIFY(composer->sendButton()->isEnabled());
    QTest::mouseClick(composer->sendButton(), Qt::LeftButton);
    // What was sent stays, to be sent again or changed (and is in the
    // history).
    QCOMPARE(composer->input()->text(), QStringLiteral("hello pipe"));
    // Out on the client, in on the server's instance, and echoed back.
    QTRY_COMPARE(payloads(clientPane->model(), "in"), QList<QByteArray>{"hello pipe"});
    QCOMPARE(payloads(clientPane->model(), "out"), QList<QByteArray>{"hello pipe"});
    const quint32 instance = window.workspace()->endpoint(serverId)->instances.last().id;
    TrafficPane *instancePane = window.showTraffic(serverId, instance);
    QCOMPARE(payloads(instancePane->model(), "in"), QList<QByteArray>{"hello pipe"});
    QCOMPARE(payloads(instancePane->model(), "out"), QList<QByteArray>{"hello pipe"});
}

void tst_MainWindow::anInstanceComposerSendsToItsClient()
{
    MainWindow window;
    window.show();
    quint32 serverId = 0, clientId = 0;
    QVERIFY(createThroughDialogs(window, uniqueName("instance"), serverId, clientId));
    TrafficPane *clientPane = window.currentPane();
    const quint32 instance = window.workspace()->endpoint(serverId)->instances.last().id;
    TrafficPane *instancePane = window.showTraffic(serverId, instance);
    QVERIFY(instancePane->composer());
    instancePane->composer()->setFormat(InputFormat::Hex);
    QTest::keyClicks(instancePane->composer()->input(), QStringLiteral("de ad 00 ef"));
    QTest::keyClick(instancePane->composer()->input(), Qt::Key_Return);
    QTRY_COMPARE(window.workspace()->store()->stats(clientId, 0).messagesIn, 1u);
    // The client's tab, shown again, has the message, and its hex pane the
    // bytes.
    window.tabs()->setCurrentWidget(clientPane);
    QCOMPARE(payloads(clientPane->model(), "in"), QList<QByteArray>{QByteArray("\xde\xad\x00\xef", 4)});
    clientPane->table()->setCurrentIndex(clientPane->model()->index(clientPane->model()->rowCount() - 1, 0));
    QCOMPARE(clientPane->hexView()->data(), QByteArray("\xde\xad\x00\xef", 4));
}

void tst_MainWindow::aStoppedClientsComposersSayWhyTheyCannotSend()
{
    MainWindow window;
    window.show();
    quint32 serverId = 0, clientId = 0;
    QVERIFY(createThroughDialogs(window, uniqueName("stop"), serverId, clientId));
    Composer *composer = window.currentPane()->composer();
    const quint32 instance = window.workspace()->endpoint(serverId)->instances.last().id;
    TrafficPane *instancePane = window.showTraffic(serverId, instance);
    window.endpointTree()->setCurrentIndex(
        static_cast<EndpointModel *>(window.endpointTree()->model())->indexFor(clientId));
    window.findChild<QAction *>(QStringLiteral("stopEndpoint"))->trigger();
    QTRY_COMPARE(window.workspace()->endpoint(clientId)->state, Workspace::State::Stopped);
    QVERIFY(!composer->sendButton()->isEnabled());
    QCOMPARE(composer->statusLabel()->text(), QStringLiteral("Not connected: the client is stopped"));
    QTRY_VERIFY(!instancePane->composer()->sendButton()->isEnabled());
    QCOMPARE(instancePane->composer()->statusLabel()->text(),
             QStringLiteral("Instance %1's client has disconnected").arg(instance));
    // Restart reconnects; the composer is ready again.
    window.findChild<QAction *>(QStringLiteral("restartEndpoint"))->trigger();
    QTRY_VERIFY(composer->sendButton()->isEnabled());
}

void tst_MainWindow::badNamesAreShownInTheDialog()
{
    MainWindow window;
    window.show();
    window.newServer();
    auto *dialog = qobject_cast<ServerDialog *>(window.openDialog());
    QVERIFY(dialog);
    QPushButton *ok = dialog->buttons()->button(QDialogButtonBox::Ok);
    const struct
    {
        QString name;
        const char *reason;
    } bad[] = {
        {QString(), "empty"},
#ifdef Q_OS_UNIX
        {QStringLiteral("x").repeated(200), "at most"},
#endif
    };
    for (const auto &b : bad) {
        dialog->nameField()->edit()->setText(b.name);
        QVERIFY(!ok->isEnabled());
        QVERIFY2(dialog->problemText().contains(QLatin1String(b.reason)), qPrintable(dialog->problemText()));
    }
#ifdef Q_OS_UNIX
    // A missing directory is found when the server starts, by its own
    // thread (typing touches no file system), and said in the dialog.
    dialog->nameField()->edit()->setText(QStringLiteral("/no/such/directory/pipe"));
    QVERIFY(ok->isEnabled());
    QTest::mouseClick(ok, Qt::LeftButton);
    QTRY_VERIFY2(dialog->problemText().contains(QLatin1String("/no/such/directory")),
                 qPrintable(dialog->problemText()));
    QCOMPARE(window.openDialog(), dialog);
    // A server that never ran is neither in the tree nor a tab; the dialog
    // stays, to fix it and retry.
    QCOMPARE(window.workspace()->endpointIds().size(), 0);
    QCOMPARE(window.tabs()->count(), 1);
#endif
    const qsizetype before = window.workspace()->endpointIds().size();
    dialog->nameField()->edit()->setText(uniqueName("good"));
    QVERIFY(ok->isEnabled());
    QVERIFY(dialog->problemText().isEmpty());
    dialog->reject();
    QCOMPARE(window.workspace()->endpointIds().size(), before);
}


void tst_MainWindow::nameInUseIsShownInTheDialogAndCanBeFixed()
{
    MainWindow window;
    window.show();
    const QString name = uniqueName("taken");
    ServerConfig first;
    first.name = name;
#ifdef Q_OS_WIN
    // Windows lets a second server add instances to a pipe of the same
    // name while its max instances allow; one that allows no more refuses
    // the next CreateNamedPipe (ERROR_PIPE_BUSY).
    first.options.maxInstances = 1;
#endif
    const quint32 firstId = window.workspace()->addServer(first);
    QTRY_COMPARE(window.workspace()->endpoint(firstId)->state, Workspace::State::Listening);

    window.newServer();
    // A dialog that closed, wrongly, fails the test instead of crashing it.
    QPointer<ServerDialog> dialog = qobject_cast<ServerDialog *>(window.openDialog());
    QVERIFY(dialog);
    // The pipes are listed (off this thread) after the name was given: a
    // name proposed then would be made free, one given stays.
    auto *listed = qobject_cast<QStringListModel *>(dialog->nameField()->edit()->completer()->model());
    QVERIFY(listed);
    QSignalSpy listing(listed, &QAbstractItemModel::modelReset);
    dialog->nameField()->edit()->setText(name);
    QTRY_VERIFY(listing.size() > 0);
    QCOMPARE(dialog->nameField()->edit()->text(), name);
    clickOk(dialog);
    // Core's error, in words, where the user acted; the dialog stays.
    QTRY_VERIFY2(!dialog || dialog->problemText().contains(name),
                 dialog ? qPrintable(dialog->problemText()) : "");
    QVERIFY2(dialog && dialog->isVisible(), "the dialog closed although its server could not start");
    // The failed attempt is not in the tree, and finding the name in use
    // did not connect to the running server (no phantom instance).
    QCOMPARE(window.workspace()->endpointIds().size(), 1);
    QCOMPARE(window.tabs()->count(), 2);
#ifndef Q_OS_WIN
    QVERIFY(window.workspace()->endpoint(firstId)->instances.isEmpty());
#endif
    // A name that failed is not one for the Recent menu.
    QVERIFY(!QSettings().value(QLatin1String(SettingsKeys::kRecentServers)).toStringList().contains(name));
    // Fixed and retried: the same endpoint starts and the dialog closes.
    const QString free = uniqueName("free");
    dialog->nameField()->edit()->setText(free);
    QVERIFY(dialog->problemText().isEmpty());
    clickOk(dialog);
    QTRY_VERIFY(!window.openDialog());
    QCOMPARE(window.workspace()->endpointIds().size(), 2);
    QCOMPARE(window.workspace()->endpoint(window.workspace()->endpointIds().at(1))->state, Workspace::State::Listening);
    // Its log starts when it ran: the old error is not in it.
    window.workspace()->hub()->flush();
    const quint32 fixed = window.workspace()->endpointIds().at(1);
    for (qsizetype row = 0; row < window.store()->count(); ++row)
        QVERIFY(window.store()->record(row).endpoint != fixed || window.store()->record(row).kind != EventKind::Error);
    // The name that ran is remembered, newest first, and the Recent menu
    // reopens the dialog with it.
    QCOMPARE(QSettings().value(QLatin1String(SettingsKeys::kRecentServers)).toStringList().value(0), free);
    auto *recent = window.findChild<QMenu *>(QStringLiteral("recentMenu"));
    QVERIFY(recent);
    emit recent->aboutToShow();
    QCOMPARE(recent->actions().size(), 1);
    recent->actions().at(0)->trigger();
    QVERIFY(window.openDialog());
    QCOMPARE(window.openDialog()->nameField()->name(), free);
    window.openDialog()->reject();
}

void tst_MainWindow::filterShowsTheMatchingMessages_data()
{
    QTest::addColumn<int>("mode");
    QTest::addColumn<int>("direction");
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<QList<QByteArray>>("shown");
    const int text = int(TrafficFilter::Mode::Text), hex = int(TrafficFilter::Mode::Hex),
              regex = int(TrafficFilter::Mode::Regex);
    const int both = int(TrafficFilter::ShowAll), in = int(TrafficFilter::ShowIn);
    const QByteArray hi("h\0i\0", 4);
    QTest::newRow("text") << text << both << QStringLiteral("alpha") << QList<QByteArray>{"alpha 1", "alpha 1"};
    QTest::newRow("text in UTF-16LE") << text << both << QStringLiteral("hi") << QList<QByteArray>{hi, hi};
    QTest::newRow("hex") << hex << both << QStringLiteral("62 65 74 61") << QList<QByteArray>{"beta 2", "beta 2"};
    QTest::newRow("hex, received only") << hex << in << QStringLiteral("62 65 74 61") << QList<QByteArray>{"beta 2"};
    QTest::newRow("regex, received only")
        << regex << in << QStringLiteral("^\\w+ \\d$") << QList<QByteArray>{"alpha 1", "beta 2"};
}

void tst_MainWindow::filterShowsTheMatchingMessages()
{
    QFETCH(int, mode);
    QFETCH(int, direction);
    QFETCH(QString, pattern);
    QFETCH(QList<QByteArray>, shown);
    MainWindow window;
    window.show();
    quint32 client = 0;
    TrafficPane *pane = echoThreeMessages(window, client);
    QVERIFY(pane);
    pane->filterMode()->setCurrentIndex(pane->filterMode()->findData(mode));
    pane->filterDirection()->setCurrentIndex(pane->filterDirection()->findData(direction));
    pane->filterEdit()->setText(pattern);
    pane->applyFilter();
    QCOMPARE(payloads(pane->model()), shown);
}

void tst_MainWindow::aBadRegexIsNamedAndTheLastGoodFilterStays()
{
    MainWindow window;
    window.show();
    quint32 client = 0;
    TrafficPane *pane = echoThreeMessages(window, client);
    QVERIFY(pane);
    pane->filterEdit()->setText(QStringLiteral("beta"));
    pane->applyFilter();
    QCOMPARE(payloads(pane->model()), (QList<QByteArray>{"beta 2", "beta 2"}));
    pane->filterEdit()->setText(QStringLiteral("(unclosed"));
    pane->filterMode()->setCurrentIndex(pane->filterMode()->findData(int(TrafficFilter::Mode::Regex)));
    auto *status = pane->findChild<QLabel *>(QStringLiteral("filterStatus"));
    QVERIFY2(status->text().startsWith(QLatin1String("regex:")), qPrintable(status->text()));
    QCOMPARE(payloads(pane->model()), (QList<QByteArray>{"beta 2", "beta 2"}));
}

void tst_MainWindow::theTextPaneDecodesUtf16LeWhenAsked()
{
    MainWindow window;
    window.show();
    quint32 client = 0;
    TrafficPane *pane = echoThreeMessages(window, client);
    QVERIFY(pane);
    const int last = pane->model()->rowCount() - 1;
    pane->table()->setCurrentIndex(pane->model()->index(last, 0));
    pane->textEncoding()->setCurrentIndex(pane->textEncoding()->findData(int(TextEncoding::Utf16Le)));
    QCOMPARE(pane->textView()->toPlainText(), QStringLiteral("hi"));
}

void tst_MainWindow::pauseKeepsTheViewStillAndResumeCatchesUp()
{
    MainWindow window;
    window.show();
    quint32 client = 0;
    TrafficPane *pane = echoThreeMessages(window, client);
    QVERIFY(pane);
    const int before = pane->model()->rowCount();
    pane->setPaused(true);
    window.workspace()->send(client, 0, "while paused");
    QTRY_COMPARE(window.workspace()->store()->stats(client, 0).messagesIn, 4u);
    QCOMPARE(pane->model()->rowCount(), before);
    pane->setPaused(false);
    QCOMPARE(pane->model()->rowCount(), before + 2);
}

void tst_MainWindow::clearEmptiesThisViewOnly()
{
    MainWindow window;
    window.show();
    quint32 client = 0;
    TrafficPane *pane = echoThreeMessages(window, client);
    QVERIFY(pane);
    pane->clear();
    QCOMPARE(pane->model()->rowCount(), 0);
    window.tabs()->setCurrentWidget(window.allTraffic());
    QCOMPARE(window.allTraffic()->model()->rowCount(), int(window.workspace()->store()->count()));
    QVERIFY(window.workspace()->store()->count() > 0);
}

void tst_MainWindow::composerEncodesAndSaysWhyItCannotSend()
{
    Workspace workspace;
    ClientConfig client;
    client.name = uniqueName("nobody");
    client.options.waitMs = 50;
    const quint32 id = workspace.addClient(client);
    Composer composer(&workspace, id, 0);
    QTRY_COMPARE(workspace.endpoint(id)->state, Workspace::State::Failed);
    QVERIFY(!composer.sendButton()->isEnabled());
    QVERIFY2(composer.statusLabel()->text().startsWith(QLatin1String("Not connected: ")),
             qPrintable(composer.statusLabel()->text()));

    // What Send would send, as the sample's TCHAR client sends it.
    QString error;
    composer.input()->setText(QStringLiteral("Hi"));
    composer.setEncoding(TextEncoding::Utf16Le);
    composer.setTrailingNul(true);
    QCOMPARE(composer.payload(&error).value(), QByteArray("H\0i\0\0\0", 6));
    composer.setEncoding(TextEncoding::Utf8);
    composer.setTrailingNul(false);
    composer.setFormat(InputFormat::Escapes);
    composer.input()->setText(QStringLiteral("a\\tb\\x00"));
    QCOMPARE(composer.payload(&error).value(), QByteArray("a\tb\0", 4));
    composer.setFormat(InputFormat::Hex);
    composer.input()->setText(QStringLiteral("zz"));
    QVERIFY(!composer.payload(&error));
    QVERIFY2(error.contains(QLatin1String("hex")), qPrintable(error));

    // Long input is kept whole: a pasted 1 MiB text, 100 KiB typed as hex.
    composer.setFormat(InputFormat::Text);
    composer.input()->clear();
    const QString mebibyte(1 << 20, QLatin1Char('m'));
    QGuiApplication::clipboard()->setText(mebibyte);
    composer.input()->paste();
    QCOMPARE(composer.payload(&error).value_or(QByteArray()).size(), 1 << 20);
    composer.setFormat(InputFormat::Hex);
    QString hex;
    for (int i = 0; i < 100 * 1024; ++i)
        hex += QStringLiteral("%1 ").arg(i % 256, 2, 16, QLatin1Char('0'));
    composer.input()->setText(hex);
    QCOMPARE(composer.payload(&error).value_or(QByteArray()).size(), 100 * 1024);

    // A file's bytes, read off the GUI thread.
    QTemporaryFile file;
    QVERIFY(file.open());
    file.write(QByteArray("\x00\x01payload", 9));
    file.close();
    QSignalSpy loaded(&composer, &Composer::fileLoaded);
    composer.loadFile(file.fileName());
    QTRY_COMPARE(loaded.size(), 1);
    QCOMPARE(composer.payload(&error).value(), QByteArray("\x00\x01payload", 9));
    composer.loadFile(QStringLiteral("/no/such/file"));
    QTRY_VERIFY2(composer.statusLabel()->text().contains(QLatin1String("/no/such/file")),
                 qPrintable(composer.statusLabel()->text()));
}

void tst_MainWindow::switchingTheComposersFormatKeepsTheBytes()
{
    Workspace workspace;
    ClientConfig client;
    client.name = uniqueName("nobody");
    client.options.waitMs = 50;
    Composer composer(&workspace, workspace.addClient(client), 0);
    auto *format = composer.findChildren<QComboBox *>().value(0);
    QVERIFY(format && format->findText(QStringLiteral("Hex")) >= 0);
    auto *nul = composer.findChild<QCheckBox *>();
    QVERIFY(nul);
    QString error;
    composer.setEncoding(TextEncoding::Utf16Le);
    composer.setTrailingNul(true);
    composer.input()->setText(QStringLiteral("Hi"));
    const QByteArray hi("H\0i\0\0\0", 6);
    QCOMPARE(composer.payload(&error).value(), hi);
    // Text to hex: the same bytes, the NUL among them; encoding and NUL
    // are off in hex, which is bytes as they are.
    format->setCurrentIndex(format->findText(QStringLiteral("Hex")));
    QCOMPARE(composer.input()->text(), QStringLiteral("48 00 69 00 00 00"));
    QCOMPARE(composer.payload(&error).value(), hi);
    QVERIFY(!nul->isEnabled());
    // Back to text: typed again, the NUL the option once more.
    format->setCurrentIndex(format->findText(QStringLiteral("Text")));
    QCOMPARE(composer.input()->text(), QStringLiteral("Hi"));
    QVERIFY(nul->isChecked() && nul->isEnabled());
    QCOMPARE(composer.payload(&error).value(), hi);
    // Bytes that are no text stay hex, and it says why.
    format->setCurrentIndex(format->findText(QStringLiteral("Hex")));
    composer.input()->setText(QStringLiteral("ff fe 00 d8"));
    format->setCurrentIndex(format->findText(QStringLiteral("Text")));
    QCOMPARE(format->currentText(), QStringLiteral("Hex"));
    QCOMPARE(composer.payload(&error).value(), QByteArray("\xff\xfe\x00\xd8", 4));
    // A line break goes to C escapes.
    format->setCurrentIndex(format->findText(QStringLiteral("Hex")));
    composer.setEncoding(TextEncoding::Utf8);
    composer.input()->setText(QStringLiteral("61 0a 62"));
    format->setCurrentIndex(format->findText(QStringLiteral("Text")));
    QCOMPARE(format->currentText(), QStringLiteral("C escapes"));
    QCOMPARE(composer.input()->text(), QStringLiteral("a\\nb"));
}

void tst_MainWindow::layoutAndPreferencesPersist()
{
    {
        MainWindow window;
        window.show();
        // Icons come from resources/ through qt_add_resources.
        for (const char *name : {"newServer", "connectClient", "stopEndpoint", "restartEndpoint", "pauseView", "clearView", "trySample"}) {
            QAction *action = window.findChild<QAction *>(QLatin1String(name));
            QVERIFY2(action && !action->icon().pixmap(24).isNull(), name);
            QVERIFY2(!action->shortcut().isEmpty(), name);
        }
        window.findChild<QDockWidget *>(QStringLiteral("endpointDock"))->hide();
        window.close();
    }
    MainWindow again;
    again.show();
    QVERIFY(!again.findChild<QDockWidget *>(QStringLiteral("endpointDock"))->isVisible());
    // Dark forced: the palette's window is dark; back to the system's after.
    applyTheme(Theme::Dark);
    QVERIFY(QApplication::palette().color(QPalette::Window).lightness() < 80);
    QVERIFY(QApplication::palette().color(QPalette::Text).lightness() > 180);
    {
        // An unchecked box reads on the dark window: its edge stands out.
        QCheckBox box(QStringLiteral("Trailing NUL"));
        box.show();
        QVERIFY(QTest::qWaitForWindowExposed(&box));
        const QImage picture = box.grab().toImage();
        QStyleOptionButton option;
        option.initFrom(&box);
        const QRect indicator = box.style()->subElementRect(QStyle::SE_CheckBoxIndicator, &option, &box);
        const int window = QApplication::palette().color(QPalette::Window).lightness();
        int edge = 0;
        for (int x = indicator.left(); x <= indicator.right(); ++x)
            for (int y = indicator.top(); y <= indicator.bottom(); ++y)
                edge = std::max(edge, std::abs(QColor(picture.pixel(x, y)).lightness() - window));
        QVERIFY2(edge > 60, qPrintable(QString::number(edge)));
    }
    applyTheme(Theme::System);
    QCOMPARE(QApplication::palette().color(QPalette::Window), QApplication::style()->standardPalette().color(QPalette::Window));
}

void tst_MainWindow::saveAsWritesEverythingAndSaysSo()
{
    PipeScopeTest::ShownWindow shown;
    MainWindow &window = shown.window;
    QVERIFY(sampleCaptured(window));
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("sample.pipescope"));
    // Save As: off the GUI thread, then reported.
    QSignalSpy saved(&window, &MainWindow::sessionSaved);
    window.saveSession(path);
    QTRY_COMPARE(saved.size(), 1);
    QVERIFY2(saved.first().at(0).toBool(), qPrintable(saved.first().at(1).toString()));
    QVERIFY(saved.first().at(1).toString().startsWith(QLatin1String("Saved 6 events to ")));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll().count('\n'), 7); // the header and 6 events
    file.close();
    QVERIFY(!window.isWindowModified());

    // File ▸ Save (Ctrl+S) writes to that file again, without asking.
    window.workspace()->send(window.workspace()->endpointIds().at(1), 0, "once more");
    QTRY_VERIFY(window.isWindowModified());
    QTRY_COMPARE(window.store()->count(), 10); // out, in, the answer out and in
    window.findChild<QAction *>(QStringLiteral("saveSessionAgain"))->trigger();
    QTRY_COMPARE(saved.size(), 2);
    QVERIFY2(saved.last().at(1).toString().startsWith(QLatin1String("Saved 10 events to ")),
             qPrintable(saved.last().at(1).toString()));
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll().count('\n'), 11);
    QVERIFY(!window.isWindowModified());
}

void tst_MainWindow::aFailedSaveNamesTheFile()
{
    PipeScopeTest::ShownWindow shown;
    MainWindow &window = shown.window;
    QVERIFY(sampleCaptured(window));
    const PipeScopeTest::Saved saved = PipeScopeTest::saveSession(window, QStringLiteral("/no/such/dir/x.pipescope"));
    QVERIFY(!saved.ok);
    QVERIFY2(saved.message.contains(QLatin1String("/no/such/dir/x.pipescope")), qPrintable(saved.message));
    auto *box = window.findChild<QMessageBox *>();
    QVERIFY(box && box->text().contains(QLatin1String("/no/such/dir/x.pipescope")));
    box->close();
    // Nothing was let go: the events are still unsaved.
    QCOMPARE(window.unsavedEvents(), 6);
}

void tst_MainWindow::anOpenedSessionIsAReadOnlyWindowOfTheSameTraffic()
{
    PipeScopeTest::ShownWindow shown;
    MainWindow &window = shown.window;
    QTemporaryDir dir;
    MainWindow *recorded = saveAndReopenSample(window, dir.filePath(QStringLiteral("sample.pipescope")));
    QVERIFY(recorded && recorded != &window && recorded->isVisible());
    QVERIFY(recorded->workspace()->isReadOnly());
    QVERIFY(recorded->windowTitle().startsWith(QLatin1String("sample.pipescope (recorded)")));
    // Saved, the live window's title names its file; File ▸ Recent offers it.
    QCOMPARE(window.windowTitle(), QStringLiteral("sample.pipescope[*] — PipeScope"));
    auto *recent = window.findChild<QMenu *>(QStringLiteral("recentMenu"));
    QVERIFY(recent);
    emit recent->aboutToShow();
    QVERIFY(!recent->actions().isEmpty());
    QCOMPARE(recent->actions().first()->text(),
             QStringLiteral("Open Session: %1").arg(QDir::toNativeSeparators(dir.filePath(QStringLiteral("sample.pipescope")))));
    // This machine's pipes are the live window's business.
    QVERIFY(window.findChild<QDockWidget *>(QStringLiteral("pipeDock"))->isVisible());
    QVERIFY(!recorded->findChild<QDockWidget *>(QStringLiteral("pipeDock"))->isVisible());
    // Not exactly on top of the window it came from.
    QVERIFY(recorded->pos() != window.pos());
    QCOMPARE(recorded->store()->count(), 6);
    QAbstractItemModel *tree = recorded->endpointTree()->model();
    QCOMPARE(tree->rowCount(), 2);
    QCOMPARE(tree->index(0, 0).data().toString(), SampleScenario::pipeName());
    QCOMPARE(tree->rowCount(tree->index(0, 0)), 1);
    const QString peer = tree->index(0, EndpointModel::PeerColumn, tree->index(0, 0)).data().toString();
    QVERIFY2(peer.startsWith(QLatin1String("pid ")), qPrintable(peer));
    QVERIFY(!recorded->findChild<QAction *>(QStringLiteral("newServer"))->isEnabled());
    QCOMPARE(recorded->workspace()->sendBlocker(recorded->workspace()->endpointIds().at(0), 1),
             QStringLiteral("A recorded session is read-only"));
    recorded->close();
}

void tst_MainWindow::aRecordedInstancesLogFiltersAndShowsBytes()
{
    PipeScopeTest::ShownWindow shown;
    MainWindow &window = shown.window;
    QTemporaryDir dir;
    MainWindow *recorded = saveAndReopenSample(window, dir.filePath(QStringLiteral("sample.pipescope")));
    QVERIFY(recorded);
    QAbstractItemModel *tree = recorded->endpointTree()->model();
    // Its instance's log, filter and hex pane work as live ones; no composer.
    recorded->endpointTree()->setCurrentIndex(tree->index(0, 0, tree->index(0, 0)));
    TrafficPane *pane = recorded->currentPane();
    QVERIFY(pane && pane->instance() == 1);
    QVERIFY(!pane->composer());
    QCOMPARE(payloads(pane->model(), "in"), QList<QByteArray>{SampleScenario::message()});
    pane->filterEdit()->setText(QStringLiteral("answer"));
    pane->applyFilter();
    QCOMPARE(payloads(pane->model()), QList<QByteArray>{SampleScenario::answer()});
    pane->table()->setCurrentIndex(pane->model()->index(0, 0));
    QCOMPARE(pane->hexView()->data(), SampleScenario::answer());
    recorded->close();
}

void tst_MainWindow::aCorruptSessionFileIsNamedWithItsLine()
{
    MainWindow window;
    window.show();
    QTemporaryDir dir;
    const QString corrupt = dir.filePath(QStringLiteral("corrupt.pipescope"));
    QFile f(corrupt);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("{\"pipescope-session\":1}\n{\"t\":1,\"e\":1,\"dir\":\"in\",\"b64\":\"**\"}\n");
    f.close();
    QSignalSpy failed(&window, &MainWindow::sessionFailed);
    window.openSession(corrupt);
    QTRY_COMPARE(failed.size(), 1);
    QCOMPARE(failed.first().first().toString(), QStringLiteral("corrupt.pipescope: line 2: \"b64\" is not valid base64"));
}

void tst_MainWindow::theMemoryLimitIsAPreference()
{
    QSettings().setValue(QLatin1String(SettingsKeys::kOfferSample), false);
    // In MiB, with a default from the machine.
    QCOMPARE(Settings::payloadLimit(), TrafficStore::defaultPayloadLimit());
    QSettings().setValue(QLatin1String(SettingsKeys::kPayloadLimit), 64);
    MainWindow window;
    QCOMPARE(window.store()->payloadLimit(), quint64(64) << 20);
    QCOMPARE(window.store()->backingFile(), window.journal()->path());
    // Less than the least is raised to it in view, not silently undone; the
    // label says what the least is.
    PreferencesDialog preferences;
    auto *limit = preferences.findChild<QSpinBox *>(QStringLiteral("payloadLimit"));
    QVERIFY(limit);
    auto *typed = limit->findChild<QLineEdit *>();
    QVERIFY(typed);
    typed->selectAll();
    QTest::keyClicks(typed, QStringLiteral("8"));
    limit->interpretText();
    QCOMPARE(limit->value(), 16);
    QCOMPARE(limit->text(), QStringLiteral("16 MiB"));
}

void tst_MainWindow::reachingTheMemoryLimitIsSaidOnce()
{
    PipeScopeTest::ShownWindow shown;
    MainWindow &window = shown.window;
    QVERIFY(!window.payloadLimitNotice());
    QVERIFY(sampleOverTheLimit(window));
    // Said in the window, once, with the journal's name.
    QVERIFY(window.payloadLimitNotice() && window.payloadLimitNotice()->isVisible());
    QCOMPARE(window.findChildren<QWidget *>(QStringLiteral("payloadLimitNotice")).size(), 1);
    const QString notice = window.payloadLimitNotice()->findChild<QLabel *>()->text();
    QVERIFY2(notice.contains(window.journal()->path()) && notice.contains(QLatin1String("Nothing captured so far was let go")),
             qPrintable(notice));
    QTRY_VERIFY2(window.statusSummary()->text().contains(QStringLiteral("%1 on disk only").arg(window.store()->notKept())),
                 qPrintable(window.statusSummary()->text()));
    if (const QByteArray shot = qgetenv("PIPESCOPE_TEST_SCREENSHOT_LIMIT"); !shot.isEmpty()) {
        window.grab().save(QString::fromLocal8Bit(shot));
        applyTheme(Theme::Dark);
        window.resize(800, 560);
        QCoreApplication::processEvents();
        window.grab().save(QString::fromLocal8Bit(shot) + QStringLiteral(".small-dark.png"));
        applyTheme(Theme::System);
    }
}

void tst_MainWindow::aMessageNotKeptIsReadFromTheJournalWhenSelected()
{
    PipeScopeTest::ShownWindow shown;
    MainWindow &window = shown.window;
    QVERIFY(sampleOverTheLimit(window));
    // Each message not kept says so, and selecting it reads its bytes from
    // the journal, off the GUI thread.
    window.tabs()->setCurrentWidget(window.allTraffic());
    QTableView *table = window.allTraffic()->table();
    QAbstractItemModel *model = table->model();
    int onDisk = 0;
    for (int row = 0; row < model->rowCount(); ++row) {
        if (!model->index(row, 0).data(TrafficModel::NotKeptRole).toBool())
            continue;
        ++onDisk;
        QVERIFY(model->index(row, TrafficModel::PreviewColumn).data().toString().contains(QLatin1String("on disk only")));
        table->setCurrentIndex(model->index(row, 0));
        QTRY_VERIFY(!window.allTraffic()->hexView()->data().isEmpty());
        const qsizetype which = kSampleMessages.indexOf(window.allTraffic()->hexView()->data());
        QVERIFY2(which >= 0, window.allTraffic()->hexView()->data().toHex(' ').constData());
        QCOMPARE(window.allTraffic()->textView()->toPlainText(), kSampleTexts.at(which));
    }
    QCOMPARE(onDisk, window.store()->notKept());
}

void tst_MainWindow::copyingReadsMessagesNotKept()
{
    PipeScopeTest::ShownWindow shown;
    MainWindow &window = shown.window;
    QVERIFY(sampleOverTheLimit(window));
    window.tabs()->setCurrentWidget(window.allTraffic());
    QTableView *table = window.allTraffic()->table();
    table->selectAll();
    auto *copyText = table->findChild<QAction *>(QStringLiteral("copy%1").arg(int(CopyFormat::Text)));
    QVERIFY(copyText);
    QGuiApplication::clipboard()->clear();
    copyText->trigger();
    QTRY_VERIFY(!QGuiApplication::clipboard()->text().isEmpty());
    const QStringList copied = QGuiApplication::clipboard()->text().split(QLatin1Char('\n'));
    // As text: the TCHAR strings without their closing NUL.
    QCOMPARE(copied.count(QStringLiteral("Default message from client.")), 2);
    QCOMPARE(copied.count(QStringLiteral("Default answer from server")), 2);
}

void tst_MainWindow::saveAsWritesMessagesNotKeptWhole()
{
    PipeScopeTest::ShownWindow shown;
    MainWindow &window = shown.window;
    QVERIFY(sampleOverTheLimit(window));
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("limited.pipescope"));
    const PipeScopeTest::Saved saved = PipeScopeTest::saveSession(window, path);
    QVERIFY2(saved.ok, qPrintable(saved.message));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    TrafficStore loaded;
    QVERIFY(loadSession(&file, loaded).ok);
    QCOMPARE(loaded.count(), 6);
    QList<QByteArray> data;
    for (qsizetype row = 0; row < loaded.count(); ++row)
        if (loaded.record(row).kind == EventKind::Data)
            data << loaded.payload(row).toByteArray();
    QCOMPARE(data.count(kSampleMessages.at(0)), 2);
    QCOMPARE(data.count(kSampleMessages.at(1)), 2);
}






void tst_MainWindow::replayChecksAgainstAServer()
{
    PipeScopeTest::ShownWindow shown;
    MainWindow &window = shown.window;
    window.startSample();
    QTRY_COMPARE(window.store()->count(), 6);

    // Two servers to replay to: one answering as recorded, one echoing.
    Workspace targets;
    ServerConfig same;
    same.name = uniqueName("same");
    same.autoReply = AutoReply::Fixed;
    same.replyBytes = SampleScenario::answer();
    ServerConfig echo;
    echo.name = uniqueName("echo");
    echo.autoReply = AutoReply::Echo;
    const quint32 sameId = targets.addServer(same), echoId = targets.addServer(echo);
    QTRY_VERIFY(targets.endpoint(sameId)->state == Workspace::State::Listening &&
                targets.endpoint(echoId)->state == Workspace::State::Listening);

    ReplayDialog *dialog = window.showReplay();
    // Start waits until the session's conversations are read.
    QVERIFY(!dialog->startButton()->isEnabled());
    QTRY_VERIFY(dialog->isReady());
    // The sample's server and client both recorded the one conversation:
    // it is one, seen from both ends.
    QCOMPARE(dialog->conversation()->count(), 2);
    QCOMPARE(dialog->conversation()->itemText(0), QStringLiteral("All 1 conversation (1 message)"));
    QVERIFY2(dialog->conversation()->itemText(1).contains(QStringLiteral("↔ server")),
             qPrintable(dialog->conversation()->itemText(1)));
    dialog->conversation()->setCurrentIndex(1);
    dialog->asFastAsPossible()->setChecked(true);
    dialog->target()->setName(same.name);
    QSignalSpy finished(dialog, &ReplayDialog::finished);
    QTest::mouseClick(dialog->startButton(), Qt::LeftButton);
    QTRY_COMPARE(finished.size(), 1);
    QCOMPARE(dialog->summary()->text(), QStringLiteral("1 message sent; 1 reply matched, 0 differed"));
    QCOMPARE(result(dialog, 0), QStringLiteral("same"));
    // The replay's own traffic is the window's too: a client of its own,
    // ended, with its connection, the message and the reply.
    const Workspace *workspace = window.workspace();
    const quint32 replayed = workspace->endpointIds().constLast();
    QCOMPARE(workspace->label(replayed), QStringLiteral("\u2192 %1 (replay)").arg(same.name));
    QCOMPARE(workspace->endpoint(replayed)->state, Workspace::State::Stopped);
    QTRY_COMPARE(window.store()->count(), 10);
    QCOMPARE(window.store()->endpointStats(replayed).messagesOut, 1u);
    QCOMPARE(window.store()->endpointStats(replayed).messagesIn, 1u);

    // Against the echo server the reply differs: shown side by side.
    dialog->target()->setName(echo.name);
    QTest::mouseClick(dialog->startButton(), Qt::LeftButton);
    QTRY_COMPARE(finished.size(), 2);
    QCOMPARE(dialog->summary()->text(), QStringLiteral("1 message sent; 0 replies matched, 1 differed"));
    QCOMPARE(result(dialog, 0), QStringLiteral("differs"));
    QCOMPARE(dialog->expectedView()->data(), SampleScenario::answer());
    QCOMPARE(dialog->gotView()->data(), SampleScenario::message());
    if (const QByteArray shot = qgetenv("PIPESCOPE_TEST_REPLAY_SCREENSHOT"); !shot.isEmpty())
        dialog->grab().save(QString::fromLocal8Bit(shot));

    // No such server: said in the summary.
    dialog->target()->setName(uniqueName("nobody"));
    QTest::mouseClick(dialog->startButton(), Qt::LeftButton);
    QTRY_COMPARE(finished.size(), 3);
    // connect on Linux, CreateFileW on Windows: the call that failed, and why.
    QVERIFY2(dialog->summary()->text().contains(QLatin1String("Stopped: ")) &&
                 dialog->summary()->text().contains(QLatin1String("no pipe of this name exists")),
             qPrintable(dialog->summary()->text()));
    // A replay that never connected is not an endpoint of the window: the
    // sample's two and the two replays that ran.
    QCOMPARE(workspace->endpointIds().size(), 4);
    dialog->close();
}

void tst_MainWindow::replayingSelectedMessagesTakesOnlyThem()
{
    PipeScopeTest::ShownWindow shown;
    MainWindow &window = shown.window;
    ReplayDialog *dialog = replaySecondMessage(window);
    QVERIFY(dialog);
    QCOMPARE(dialog->windowTitle(), QStringLiteral("Replay 1 Selected Message"));
    QCOMPARE(dialog->scripts().size(), 1);
    QCOMPARE(dialog->scripts().first().steps.size(), 1);
    QCOMPARE(dialog->scripts().first().steps.first().send, QByteArray("Second message"));
    QCOMPARE(dialog->scripts().first().steps.first().replies, QList<QByteArray>{SampleScenario::answer()});
    dialog->close();
}

void tst_MainWindow::theReplayDialogOpensAFileAndAsksBeforeALargeReplay()
{
    PipeScopeTest::ShownWindow shown;
    MainWindow &window = shown.window;
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("sample.pipescope"));
    QVERIFY(sampleCaptured(window));
    const PipeScopeTest::Saved saved = PipeScopeTest::saveSession(window, path);
    QVERIFY2(saved.ok, qPrintable(saved.message));

    // A window with nothing captured replays a file instead.
    Workspace empty;
    ReplayDialog dialog(&empty);
    QTRY_VERIFY(dialog.isReady());
    QVERIFY(dialog.scripts().isEmpty());
    QSignalSpy ready(&dialog, &ReplayDialog::ready);
    dialog.openFile(path);
    QTRY_COMPARE(ready.size(), 1);
    QCOMPARE(dialog.scripts().size(), 1);
    QCOMPARE(dialog.scripts().first().steps.first().send, SampleScenario::message());
    QCOMPARE(dialog.windowTitle(), QStringLiteral("Replay sample.pipescope"));
    QCOMPARE(dialog.target()->name(), SampleScenario::pipeName());
    // A file that is not a session: said, and nothing to replay.
    const QString wrong = dir.filePath(QStringLiteral("wrong.pipescope"));
    QFile file(wrong);
    QVERIFY(file.open(QIODevice::WriteOnly) && file.write("not a session\n") > 0);
    file.close();
    dialog.openFile(wrong);
    QTRY_COMPARE(ready.size(), 2);
    QVERIFY(dialog.scripts().isEmpty());
    QVERIFY2(dialog.summary()->text().contains(QLatin1String("wrong.pipescope")), qPrintable(dialog.summary()->text()));
    QVERIFY(!dialog.startButton()->isEnabled());

    // A file opened while another is read: the first is dropped when it
    // comes, whichever comes first.
    dialog.openFile(wrong);
    dialog.openFile(path);
    QTRY_COMPARE(ready.size(), 3);
    QCOMPARE(dialog.scripts().size(), 1);
    QVERIFY2(!dialog.summary()->text().contains(QLatin1String("wrong.pipescope")), qPrintable(dialog.summary()->text()));

    // More than kAskAbove messages (one, 10 001 times): asked first.
    dialog.openFile(path);
    QTRY_COMPARE(ready.size(), 4);
    dialog.target()->setName(uniqueName("nobody-there"));
    dialog.asFastAsPossible()->setChecked(true);
    dialog.repeat()->setValue(int(ReplayDialog::kAskAbove) + 1);
    QSignalSpy finished(&dialog, &ReplayDialog::finished);
    dialog.start();
    auto *question = dialog.findChild<QMessageBox *>(QStringLiteral("largeReplayQuestion"));
    QVERIFY(question && question->isVisible());
    QVERIFY2(question->text().contains(QLatin1String("10001 messages")), qPrintable(question->text()));
    QCOMPARE(dialog.startButton()->text(), QStringLiteral("&Start")); // not yet
    question->button(QMessageBox::No)->click();
    QTRY_VERIFY(!dialog.findChild<QMessageBox *>(QStringLiteral("largeReplayQuestion")));
    QCOMPARE(dialog.startButton()->text(), QStringLiteral("&Start"));
    QCOMPARE(finished.size(), 0);
    dialog.start();
    question = dialog.findChild<QMessageBox *>(QStringLiteral("largeReplayQuestion"));
    QVERIFY(question);
    question->button(QMessageBox::Yes)->click();
    // It ran: to a pipe nobody serves, so it ends at once, saying so.
    QTRY_COMPARE(finished.size(), 1);
    QCOMPARE(finished.first().first().toBool(), false);
}

void tst_MainWindow::aReplayingServerAnswersAsRecordedAndComparesWhatCame()
{
    PipeScopeTest::ShownWindow shown;
    MainWindow &window = shown.window;
    ReplayDialog *dialog = replaySecondMessage(window);
    QVERIFY(dialog);
    dialog->setRole(ReplayDialog::Role::Server);
    QVERIFY(!dialog->asFastAsPossible()->isEnabled()); // a server answers; it has no timing
    const QString name = uniqueName("replayed");
    dialog->target()->setName(name);
    dialog->check()->setChecked(true);
    dialog->repeat()->setValue(2);
    QSignalSpy finished(dialog, &ReplayDialog::finished);
    QTest::mouseClick(dialog->startButton(), Qt::LeftButton);
    QTRY_VERIFY2(dialog->summary()->text().startsWith(QLatin1String("Listening on ")),
                 qPrintable(dialog->summary()->text()));

    // A client sending the chosen message gets the recorded reply.
    Workspace clients;
    ClientConfig config;
    config.name = name;
    const quint32 same = clients.addClient(config);
    QTRY_COMPARE(clients.endpoint(same)->state, Workspace::State::Connected);
    QVERIFY(clients.send(same, 0, "Second message"));
    QTRY_COMPARE(clients.store()->stats(same, 0).messagesIn, 1u);
    QCOMPARE(clients.store()->payload(clients.store()->count() - 1).toByteArray(), SampleScenario::answer());
    QTRY_COMPARE(dialog->resultModel()->rowCount(), 1);
    QCOMPARE(result(dialog, 0), QStringLiteral("same"));
    clients.stop(same);

    // The second client says something else: shown side by side.
    const quint32 other = clients.addClient(config);
    QTRY_COMPARE(clients.endpoint(other)->state, Workspace::State::Connected);
    QVERIFY(clients.send(other, 0, "Something else"));
    QTRY_COMPARE(dialog->resultModel()->rowCount(), 2);
    QCOMPARE(result(dialog, 1), QStringLiteral("differs"));
    clients.stop(other);
    // Two clients came and went: the replay ends by itself.
    QTRY_COMPARE(finished.size(), 1);
    QCOMPARE(dialog->summary()->text(), QStringLiteral("2 messages received; 1 matched, 1 differed"));
    dialog->results()->selectRow(1);
    QCOMPARE(dialog->expectedView()->data(), QByteArray("Second message"));
    QCOMPARE(dialog->gotView()->data(), QByteArray("Something else"));
    // Both panes mark the bytes that differ: all but the first and the
    // last ("S…e" in both).
    using Marks = QList<QPair<qsizetype, qsizetype>>;
    const Marks marks{{1, 13}};
    QCOMPARE(dialog->expectedView()->marked(), marks);
    QCOMPARE(dialog->gotView()->marked(), marks);
    if (const QByteArray shot = qgetenv("PIPESCOPE_TEST_REPLAY_SERVER_SCREENSHOT"); !shot.isEmpty())
        dialog->grab().save(QString::fromLocal8Bit(shot));

    // In the window: the replaying server, its two clients' instances and
    // what they said.
    Workspace *workspace = window.workspace();
    const quint32 replaying = workspace->endpointIds().constLast();
    QCOMPARE(workspace->label(replaying), QStringLiteral("%1 (replay)").arg(name));
    QCOMPARE(workspace->endpoint(replaying)->state, Workspace::State::Stopped);
    QCOMPARE(workspace->endpoint(replaying)->instances.size(), 2);
    QTRY_COMPARE(window.store()->endpointStats(replaying).messagesIn, 2u);

    // Stop on it in the window stops a replay that runs: stopped, not failed.
    QTest::mouseClick(dialog->startButton(), Qt::LeftButton);
    QTRY_VERIFY2(dialog->summary()->text().startsWith(QLatin1String("Listening on ")),
                 qPrintable(dialog->summary()->text()));
    QCOMPARE(workspace->endpoint(workspace->endpointIds().constLast())->state, Workspace::State::Listening);
    workspace->stop(workspace->endpointIds().constLast());
    QTRY_COMPARE(finished.size(), 2);
    QCOMPARE(workspace->endpoint(workspace->endpointIds().constLast())->state, Workspace::State::Stopped);
    dialog->close();
}

void tst_MainWindow::closingWithUnsavedEventsAsksAndCancelKeepsAll()
{
    PipeScopeTest::ShownWindow shown;
    MainWindow &window = shown.window;
    QVERIFY(!window.isWindowModified());
    QVERIFY(sampleCaptured(window));
    QTRY_VERIFY(window.isWindowModified());
    QMessageBox *prompt = askToClose(window);
    QVERIFY(prompt);
    QVERIFY2(prompt->text().contains(QLatin1String("Save the 6 events")), qPrintable(prompt->text()));
    QTest::mouseClick(prompt->button(QMessageBox::Cancel), Qt::LeftButton);
    QVERIFY(window.isVisible());
    QCOMPARE(window.store()->count(), 6);
    QVERIFY(window.isWindowModified());
}

void tst_MainWindow::savingOnTheWayOutWritesTheFileThenCloses()
{
    QSettings().setValue(QLatin1String(SettingsKeys::kOfferSample), false);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("on-close.pipescope"));
    MainWindow window;
    window.show();
    QVERIFY(sampleCaptured(window));
    QMessageBox *prompt = askToClose(window);
    QVERIFY(prompt);
    // Save: where to, then the window closes once the file is written.
    bool answered = false;
    QTimer answer;
    connect(&answer, &QTimer::timeout, this, [&] {
        auto *files = window.findChild<QFileDialog *>();
        if (files && files->isVisible()) {
            files->setDirectory(dir.path());
            files->findChild<QLineEdit *>(QStringLiteral("fileNameEdit"))->setText(QFileInfo(path).fileName());
            QMetaObject::invokeMethod(files, "accept");
            answered = true;
        }
    });
    answer.start(20);
    QTest::mouseClick(prompt->button(QMessageBox::Save), Qt::LeftButton);
    QTRY_VERIFY(answered);
    QTRY_VERIFY(!window.isVisible());
    QFile saved(path);
    QVERIFY(saved.open(QIODevice::ReadOnly));
    QCOMPARE(saved.readAll().count('\n'), 7); // the header and 6 events
    // Saved, and nothing new since: it closes without asking.
    window.show();
    QVERIFY(!window.isWindowModified());
    QVERIFY(window.close());
}

void tst_MainWindow::discardingOnTheWayOutCloses()
{
    PipeScopeTest::ShownWindow shown;
    MainWindow &window = shown.window;
    QVERIFY(sampleCaptured(window));
    QMessageBox *prompt = askToClose(window);
    QVERIFY(prompt);
    QTest::mouseClick(prompt->button(QMessageBox::Discard), Qt::LeftButton);
    QTRY_VERIFY(!window.isVisible());
}

void tst_MainWindow::withTheQuestionTurnedOffItClosesWithoutAsking()
{
    QSettings().setValue(QLatin1String(SettingsKeys::kOfferSample), false);
    QSettings().setValue(QLatin1String(SettingsKeys::kAskToSave), false);
    MainWindow window;
    window.show();
    QVERIFY(sampleCaptured(window));
    QVERIFY(window.unsavedEvents() > 0);
    QVERIFY(window.close());
    QVERIFY(!window.findChild<QMessageBox *>(QStringLiteral("savePrompt")));
}

PIPESCOPE_TEST_MAIN(tst_MainWindow)
#include "tst_mainwindow.moc"
