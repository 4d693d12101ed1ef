// A traffic tab as the user reads it: a log that follows its tail, panes
// that show the selected message, pause, clear, find.
#include "columnfitter.h"
#include "conversationview.h"
#include "coretestsupport.h"
#include "elidedlabel.h"
#include "hexview.h"
#include "mainwindow.h"
#include "profile.h"
#include "settingskeys.h"
#include "testmain.h"
#include "windowprofile.h"
#include "trafficmodel.h"
#include "trafficpane.h"
#include "trafficstore.h"
#include "uniquename.h"
#include "workspace.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDockWidget>
#include <QFile>
#include <QHeaderView>
#include <QSignalSpy>
#include <QLabel>
#include <QLineEdit>
#include <QToolButton>
#include <QPlainTextEdit>
#include <QRegularExpression>
#include <QScrollBar>
#include <QSettings>
#include <QStandardItemModel>
#include <QTableView>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace PipeScope;
using PipeScopeTest::dataEvent;

namespace {

// `count` messages into the store, in batches as the hub delivers them.
void flood(TrafficStore *store, int count, int batch = 4096, quint32 instance = 1)
{
    static qint64 clock = 1'000'000'000;
    for (int done = 0; done < count;) {
        QList<TrafficEvent> events;
        for (int i = 0; i < batch && done < count; ++i, ++done)
            events.append(dataEvent(1, instance, Direction::In, QByteArray::number(done), clock += 1000));
        store->append(events);
        QCoreApplication::processEvents();
    }
}

bool atBottom(const QTableView *table)
{
    const QScrollBar *scroll = table->verticalScrollBar();
    return scroll->maximum() > 0 && scroll->value() == scroll->maximum();
}

} // namespace

class tst_TrafficView : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void aFloodIntoAnEmptyTableFollowsTheTail();
    void atTheBottomABurstIsFollowed();
    void scrolledUpThePositionStays();
    void eachTabKeepsItsPlaceWhenSwitching();
    void aRealFloodIsFollowed();
    void thePanesShowTheSelectedMessageNotTheCurrentRow();
    void aConnectionEventIsShownInWordsNotBytes();
    void automaticDecodesUtf16LeAsThePreviewDoes();
    void pauseSaysHowMuchCameSince();
    void clearSaysHowMuchItHidAndCanBeUndone();
    void findJumpsBetweenMatchesWithoutHidingTheRest();
    void theFilterIgnoresCaseUnlessAsked();
    void clearingAFilterKeepsTheSelectedMatchInView();
    void theTailIsFollowedAfterShowAgainAndABarAppearing();
    void aLongFilterStatusNeverWidensTheWindow();
    void theKeyboardReachesEveryPart();
    void theSelectionIsExportedOffTheGuiThread();
    void thePreviewStaysVisibleInASmallWindow();
    void theTimeColumnShowsTheChosenForm();
    void theDocksComeBackToTheirWidthWhenTheWindowGrows();
    void anInstancesMessagesReadAsAConversation();
    void columnsFollowTheirContentsWithoutChurn();

private:
    PipeScopeTest::WindowProfile m_profile;
};

void tst_TrafficView::initTestCase()
{
    m_profile.use("tst_trafficview");
}

void tst_TrafficView::init()
{
    PipeScopeTest::WindowProfile::reset(PipeScopeTest::WindowProfile::Sample::NotOffered);
}

void tst_TrafficView::aFloodIntoAnEmptyTableFollowsTheTail()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    flood(window.store(), 65536);
    QTRY_COMPARE(window.allTraffic()->table()->model()->rowCount(), 65536);
    QTRY_VERIFY(atBottom(window.allTraffic()->table()));
}

void tst_TrafficView::atTheBottomABurstIsFollowed()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QTableView *table = window.allTraffic()->table();
    flood(window.store(), 100, 100);
    QTRY_COMPARE(table->model()->rowCount(), 100);
    table->scrollToBottom();
    QVERIFY(atBottom(table));
    flood(window.store(), 50000);
    QTRY_COMPARE(table->model()->rowCount(), 50100);
    QTRY_VERIFY(atBottom(table));
}

void tst_TrafficView::scrolledUpThePositionStays()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QTableView *table = window.allTraffic()->table();
    flood(window.store(), 1000, 1000);
    QTRY_COMPARE(table->model()->rowCount(), 1000);
    table->verticalScrollBar()->setValue(10);
    flood(window.store(), 20000);
    QTRY_COMPARE(table->model()->rowCount(), 21000);
    QCOMPARE(table->verticalScrollBar()->value(), 10);
}

void tst_TrafficView::eachTabKeepsItsPlaceWhenSwitching()
{
    MainWindow window;
    window.resize(1000, 700);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QTableView *table = window.allTraffic()->table();
    flood(window.store(), 1000, 1000);
    QTRY_VERIFY(atBottom(table));
    // Another tab in front while 600k more arrive: All Traffic is hidden.
    auto *other = new QWidget;
    window.tabs()->addTab(other, QStringLiteral("other"));
    window.tabs()->setCurrentWidget(other);
    flood(window.store(), 600000, 65536);
    window.tabs()->setCurrentIndex(0);
    QTRY_COMPARE(table->model()->rowCount(), 601000);
    QTRY_VERIFY(atBottom(table));
    // Scrolled up, it comes back where it was.
    table->verticalScrollBar()->setValue(500);
    window.tabs()->setCurrentWidget(other);
    flood(window.store(), 1000);
    window.tabs()->setCurrentIndex(0);
    QTRY_COMPARE(table->model()->rowCount(), 602000);
    QCOMPARE(table->verticalScrollBar()->value(), 500);
}

void tst_TrafficView::aRealFloodIsFollowed()
{
    MainWindow window;
    window.resize(1000, 700);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    Workspace *workspace = window.workspace();
    ServerConfig server;
    server.name = PipeScopeTest::uniqueName("flood");
    const quint32 serverId = workspace->addServer(server);
    QTRY_COMPARE(workspace->endpoint(serverId)->state, Workspace::State::Listening);
    ClientConfig client;
    client.name = server.name;
    const quint32 clientId = workspace->addClient(client);
    QTRY_COMPARE(workspace->endpoint(clientId)->state, Workspace::State::Connected);
    window.tabs()->setCurrentIndex(0);
    QTableView *table = window.allTraffic()->table();
    for (int i = 0; i < 30000; ++i)
        workspace->send(clientId, 0, QByteArray::number(i));
    // Two connections, then each message out of the client and into the server.
    QTRY_VERIFY_WITH_TIMEOUT(table->model()->rowCount() == 60002, 20000);
    QTRY_VERIFY(atBottom(table));
}

namespace {
// A window whose All Traffic shows a connection and three messages:
// "first", "second" and UTF-16LE "hi".
struct Log
{
    MainWindow window;
    TrafficPane *pane = window.allTraffic();

    Log()
    {
        window.show();
        TrafficEvent connected;
        connected.kind = EventKind::Connected;
        connected.endpoint = 1;
        connected.instance = 1;
        connected.timestampNs = 1'000'000'000;
        connected.payload = "pid 4242, alice, client.exe";
        window.store()->append({connected, dataEvent(1, 1, Direction::In, "first", 1'000'001'000),
                                dataEvent(1, 1, Direction::In, "second", 1'000'002'000),
                                dataEvent(1, 1, Direction::In, QByteArray("h\0i\0", 4), 1'000'003'000)});
    }
    QString text() const { return pane->textView()->toPlainText(); }
};
} // namespace

void tst_TrafficView::thePanesShowTheSelectedMessageNotTheCurrentRow()
{
    Log log;
    QTableView *table = log.pane->table();
    QTRY_COMPARE(table->model()->rowCount(), 4);
    QVERIFY(log.pane->hexView()->data().isEmpty());
    table->setFocus();
    table->selectRow(1);
    QCOMPARE(log.pane->hexView()->data(), QByteArray("first"));
    // Ctrl+End moves the current row without selecting it: the panes keep
    // the message that is highlighted.
    QTest::keyClick(table, Qt::Key_End, Qt::ControlModifier);
    QCOMPARE(table->currentIndex().row(), 3);
    QVERIFY(!table->selectionModel()->isRowSelected(3));
    QCOMPARE(log.pane->hexView()->data(), QByteArray("first"));
    // Selecting (the arrow key) shows the row it lands on.
    QTest::keyClick(table, Qt::Key_Up);
    QCOMPARE(log.pane->hexView()->data(), QByteArray("second"));
    // Nothing selected: nothing shown, and the pane says what to do.
    table->clearSelection();
    QVERIFY(log.pane->hexView()->data().isEmpty());
    QVERIFY(!log.pane->hexView()->placeholderText().isEmpty());
}

void tst_TrafficView::aConnectionEventIsShownInWordsNotBytes()
{
    Log log;
    QTRY_COMPARE(log.pane->table()->model()->rowCount(), 4);
    log.pane->table()->selectRow(0);
    QVERIFY(log.pane->hexView()->data().isEmpty());
    QCOMPARE(log.text(), QStringLiteral("connected: pid 4242, alice, client.exe"));
    QVERIFY(log.pane->hexView()->placeholderText().contains(QLatin1String("connected")));
}

void tst_TrafficView::automaticDecodesUtf16LeAsThePreviewDoes()
{
    Log log;
    QTRY_COMPARE(log.pane->table()->model()->rowCount(), 4);
    QComboBox *encoding = log.pane->textEncoding();
    QCOMPARE(encoding->currentIndex(), 0); // Automatic, by default
    log.pane->table()->selectRow(3);
    QCOMPARE(log.text(), QStringLiteral("hi"));
    QCOMPARE(encoding->currentText(), QStringLiteral("Automatic (UTF-16LE)"));
    log.pane->table()->selectRow(1);
    QCOMPARE(log.text(), QStringLiteral("first"));
    QCOMPARE(encoding->currentText(), QStringLiteral("Automatic (UTF-8)"));
    // Chosen, an encoding applies to every message.
    encoding->setCurrentIndex(encoding->findData(int(TextEncoding::Latin1)));
    log.pane->table()->selectRow(3);
    QCOMPARE(log.text(), QString::fromLatin1("h\0i\0", 4));
    // Binary is said to be binary under Automatic, not decoded to garbage;
    // an encoding chosen still decodes it.
    log.window.store()->append({dataEvent(1, 1, Direction::In, QByteArray("\xff\x00\x13\x80", 4), 1'000'004'000)});
    QTRY_COMPARE(log.pane->table()->model()->rowCount(), 5);
    log.pane->table()->selectRow(4);
    QCOMPARE(log.text(), QString::fromLatin1("\xff\0\x13\x80", 4));
    encoding->setCurrentIndex(0);
    QVERIFY2(log.text().startsWith(QLatin1String("Binary data (4 B)")), qPrintable(log.text()));
    QCOMPARE(encoding->currentText(), QStringLiteral("Automatic"));
}

void tst_TrafficView::pauseSaysHowMuchCameSince()
{
    Log log;
    QTRY_COMPARE(log.pane->table()->model()->rowCount(), 4);
    log.pane->setPaused(true);
    QCOMPARE(log.pane->viewStatus()->text(), QStringLiteral("Paused — 0 new"));
    flood(log.window.store(), 25, 25);
    QTRY_COMPARE(log.pane->viewStatus()->text(), QStringLiteral("Paused — 25 new"));
    QCOMPARE(log.pane->table()->model()->rowCount(), 4);
    log.pane->setPaused(false);
    QCOMPARE(log.pane->table()->model()->rowCount(), 29);
    QVERIFY(log.pane->viewStatus()->text().isEmpty());
}

void tst_TrafficView::clearSaysHowMuchItHidAndCanBeUndone()
{
    Log log;
    QTRY_COMPARE(log.pane->table()->model()->rowCount(), 4);
    log.pane->clear();
    QCOMPARE(log.pane->table()->model()->rowCount(), 0);
    QVERIFY2(log.pane->viewStatus()->text().startsWith(QLatin1String("4 hidden")),
             qPrintable(log.pane->viewStatus()->text()));
    flood(log.window.store(), 3, 3);
    QTRY_COMPARE(log.pane->table()->model()->rowCount(), 3);
    // Show Again: everything, the hidden rows first.
    emit log.pane->viewStatus()->linkActivated(QStringLiteral("undo"));
    QCOMPARE(log.pane->table()->model()->rowCount(), 7);
    QVERIFY(log.pane->viewStatus()->text().isEmpty());
}

void tst_TrafficView::findJumpsBetweenMatchesWithoutHidingTheRest()
{
    Log log;
    QTableView *table = log.pane->table();
    QTRY_COMPARE(table->model()->rowCount(), 4);
    log.pane->findMode()->setCurrentIndex(1); // Find
    log.pane->filterEdit()->setText(QStringLiteral("s"));
    log.pane->applyFilter();
    QCOMPARE(table->model()->rowCount(), 4); // nothing hidden
    // "first" (row 1) and "second" (row 2) have an "s"; the connection's
    // words ("pid 4242, alice, client.exe") and "hi" do not.
    // The bar says how many, and which one each step reached.
    const auto *status = log.pane->findChild<QLabel *>(QStringLiteral("filterStatus"));
    QCOMPARE(status->text(), QStringLiteral("2 matches — Enter or F3: next"));
    log.pane->findNext(true);
    QCOMPARE(table->currentIndex().row(), 1);
    QVERIFY(table->selectionModel()->isRowSelected(1));
    QCOMPARE(status->text(), QStringLiteral("1 of 2"));
    log.pane->findNext(true);
    QCOMPARE(table->currentIndex().row(), 2);
    QCOMPARE(status->text(), QStringLiteral("2 of 2"));
    log.pane->findNext(true); // round the end
    QCOMPARE(table->currentIndex().row(), 1);
    QCOMPARE(status->text(), QStringLiteral("1 of 2"));
    log.pane->findNext(false);
    QCOMPARE(table->currentIndex().row(), 2);
    QCOMPARE(status->text(), QStringLiteral("2 of 2"));
    // Rows arriving are counted: "0", "1" and "2" below; "s" is in none of
    // them, "2" (also in "pid 4242") in one, then one more.
    flood(log.window.store(), 3, 3);
    QTRY_COMPARE(table->model()->rowCount(), 7);
    log.pane->findNext(true);
    QCOMPARE(table->currentIndex().row(), 1);
    QCOMPARE(status->text(), QStringLiteral("1 of 2"));
    log.pane->filterEdit()->setText(QStringLiteral("2"));
    log.pane->findNext(false);
    QCOMPARE(table->currentIndex().row(), 0);
    flood(log.window.store(), 3, 3);
    QTRY_COMPARE(table->model()->rowCount(), 10);
    log.pane->findNext(false); // round the start: the newest match
    QCOMPARE(table->currentIndex().row(), 9);
    QCOMPARE(status->text(), QStringLiteral("3 of 3"));
    // A connection's words are found too.
    log.pane->filterEdit()->setText(QStringLiteral("4242"));
    log.pane->findNext(true);
    QCOMPARE(table->currentIndex().row(), 0);
    // No match: said, and the selection stays.
    log.pane->filterEdit()->setText(QStringLiteral("nowhere"));
    log.pane->findNext(true);
    QCOMPARE(table->currentIndex().row(), 0);
    QCOMPARE(log.pane->findChild<QLabel *>(QStringLiteral("filterStatus"))->text(), QStringLiteral("No match"));
    // F3 is the shortcut.
    log.pane->filterEdit()->setText(QStringLiteral("second"));
    log.window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&log.window));
    table->setFocus();
    QTest::keyClick(table, Qt::Key_F3);
    QCOMPARE(table->currentIndex().row(), 2);
}

void tst_TrafficView::theFilterIgnoresCaseUnlessAsked()
{
    Log log;
    QTableView *table = log.pane->table();
    QTRY_COMPARE(table->model()->rowCount(), 4);
    log.pane->filterEdit()->setText(QStringLiteral("FIRST"));
    log.pane->applyFilter();
    QCOMPARE(table->model()->rowCount(), 1);
    log.pane->matchCase()->setChecked(true);
    QCOMPARE(table->model()->rowCount(), 0);
    // And the connection's words are searched: "alice" shows its event.
    log.pane->matchCase()->setChecked(false);
    log.pane->filterEdit()->setText(QStringLiteral("Alice"));
    log.pane->applyFilter();
    QCOMPARE(table->model()->rowCount(), 1);
    QCOMPARE(table->model()->index(0, TrafficModel::KindColumn).data().toString(), QStringLiteral("connected"));
}

void tst_TrafficView::clearingAFilterKeepsTheSelectedMatchInView()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    TrafficPane *pane = window.allTraffic();
    QTableView *table = pane->table();
    flood(window.store(), 20000, 20000);
    QTRY_COMPARE(table->model()->rowCount(), 20000);
    // Filtered to one message, selected, then the filter cleared (Wireshark
    // keeps the selected packet): still selected, and in view, row 12345.
    pane->filterEdit()->setText(QStringLiteral("12345"));
    pane->applyFilter();
    QCOMPARE(table->model()->rowCount(), 1);
    table->selectRow(0);
    pane->filterEdit()->clear();
    pane->applyFilter();
    QCOMPARE(table->model()->rowCount(), 20000);
    QCOMPARE(table->currentIndex().row(), 12345);
    QVERIFY(table->selectionModel()->isRowSelected(12345));
    const QRect shown = table->viewport()->rect();
    QVERIFY2(shown.intersects(table->visualRect(table->model()->index(12345, 0))),
             qPrintable(QString::number(table->rowAt(0))));
    // Scrolled elsewhere with nothing selected, the top row stays on top
    // while the filter shows it ("500" has a "0").
    table->clearSelection();
    table->setCurrentIndex({});
    table->scrollTo(table->model()->index(500, 0), QAbstractItemView::PositionAtTop);
    const int top = table->rowAt(0);
    QCOMPARE(top, 500);
    pane->filterEdit()->setText(QStringLiteral("0"));
    pane->applyFilter();
    pane->filterEdit()->clear();
    pane->applyFilter();
    QCOMPARE(table->rowAt(0), top);
}

void tst_TrafficView::theTailIsFollowedAfterShowAgainAndABarAppearing()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    TrafficPane *pane = window.allTraffic();
    QTableView *table = pane->table();
    flood(window.store(), 5000, 1000);
    QTRY_VERIFY(atBottom(table));
    // Clear, more, Show Again, more: at the tail throughout.
    pane->clear();
    flood(window.store(), 3000, 500);
    emit pane->viewStatus()->linkActivated(QStringLiteral("undo"));
    flood(window.store(), 3000, 500);
    QTRY_COMPARE(table->model()->rowCount(), 11000);
    QTRY_VERIFY(atBottom(table));
    // The viewport gets shorter (a bar appears over it), then more comes.
    table->resize(table->width(), table->height() - 60);
    QTRY_VERIFY(atBottom(table));
    flood(window.store(), 2000, 500);
    QTRY_COMPARE(table->model()->rowCount(), 13000);
    QTRY_VERIFY(atBottom(table));
}

void tst_TrafficView::aLongFilterStatusNeverWidensTheWindow()
{
    MainWindow window;
    window.resize(800, 600);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto *endpoints = window.findChild<QDockWidget *>(QStringLiteral("endpointDock"));
    QVERIFY(endpoints);
    const int dock = endpoints->width();
    TrafficPane *pane = window.allTraffic();
    // Whatever the filter has to say at length ("…; 812 not searched (not
    // in memory: save the session and open it to search them)", a regex
    // error), the bar does not grow for it: it is elided, whole in the tip.
    auto *status = pane->findChild<ElidedLabel *>(QStringLiteral("filterStatus"));
    QVERIFY(status);
    const QString longText = QStringLiteral("1 shown; ") + QString(300, u'n') + QStringLiteral(" not searched");
    status->setStatus(longText);
    QCOMPARE(status->toolTip(), longText);
    QVERIFY(status->sizeHint().width() < 60 * status->fontMetrics().averageCharWidth());
    QCOMPARE(status->minimumSizeHint().width(), 0);
    // The layout requests the new text posted, handled: the window kept
    // its width.
    QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
    QCOMPARE(window.width(), 800);
    QCOMPARE(endpoints->width(), dock);
    QVERIFY(window.minimumSizeHint().width() <= 800);

    // Given the room it asks for, it shows its whole text, margins and
    // all (the status bar's counters were cut by their margins' width).
    ElidedLabel counters(0);
    counters.setContentsMargins(6, 0, 6, 0);
    counters.setMargin(2);
    counters.setStatus(QStringLiteral("2 endpoints (2 running) · 2 messages in, 2 out · 1.3 MiB of memory"));
    counters.resize(counters.sizeHint());
    const int room = counters.contentsRect().width() - 2 * counters.margin();
    QCOMPARE(counters.fontMetrics().elidedText(counters.text(), Qt::ElideRight, room), counters.text());
}

void tst_TrafficView::theKeyboardReachesEveryPart()
{
    Log log;
    QTableView *table = log.pane->table();
    QTRY_COMPARE(table->model()->rowCount(), 4);
    log.window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&log.window));
    table->setFocus();
    // Ctrl+End selects the last row and the panes follow; Ctrl+Home the first.
    QTest::keyClick(table, Qt::Key_End, Qt::ControlModifier);
    QCOMPARE(table->currentIndex().row(), 3);
    QVERIFY(table->selectionModel()->isRowSelected(3));
    QCOMPARE(log.text(), QStringLiteral("hi"));
    QTest::keyClick(table, Qt::Key_Home, Qt::ControlModifier);
    QVERIFY(table->selectionModel()->isRowSelected(0));
    // Tab walks the row's cells, staying in the table.
    const int column = table->currentIndex().column();
    QTest::keyClick(table, Qt::Key_Tab);
    QCOMPARE(QApplication::focusWidget(), table);
    QCOMPARE(table->currentIndex().column(), column + 1);
    // A shortcut reaches the hex pane.
    QAction *toHex = log.window.findChild<QAction *>(QStringLiteral("focusHex"));
    QVERIFY(toHex && !toHex->shortcut().isEmpty());
    toHex->trigger();
    QCOMPARE(QApplication::focusWidget(), log.pane->hexView());
    // The menu names the keys as the keyboard does.
    QAction *previous = log.window.findChild<QAction *>(QStringLiteral("previousTab"));
    QVERIFY(previous);
    QCOMPARE(previous->shortcut().toString(), QStringLiteral("Ctrl+Shift+Tab"));
}

void tst_TrafficView::theSelectionIsExportedOffTheGuiThread()
{
    Log log;
    QTableView *table = log.pane->table();
    QTRY_COMPARE(table->model()->rowCount(), 4);
    // Export Selected hands the selection's store rows over.
    table->selectRow(1);
    table->selectionModel()->select(table->model()->index(2, 0),
                                    QItemSelectionModel::Select | QItemSelectionModel::Rows);
    // (The window would ask where, in a file dialog: the test says where.)
    QObject::disconnect(log.pane, &TrafficPane::exportRequested, nullptr, nullptr);
    QSignalSpy asked(log.pane, &TrafficPane::exportRequested);
    table->findChild<QAction *>(QStringLiteral("exportSelected"))->trigger();
    QCOMPARE(asked.size(), 1);
    const auto rows = asked.first().first().value<QList<qsizetype>>();
    QCOMPARE(rows, (QList<qsizetype>{1, 2}));
    // Written in the background; the window says when.
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("two.txt"));
    QSignalSpy exported(&log.window, &MainWindow::exported);
    log.window.exportRows(rows, path);
    QTRY_COMPARE(exported.size(), 1);
    QCOMPARE(exported.first().first().toLongLong(), 2);
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = file.readAll().split('\n');
    QCOMPARE(lines.size(), 3);
    QVERIFY(lines[0].endsWith("\"first\"") && lines[1].endsWith("\"second\""));
}

// At 800×600 the fixed columns give up width so that the preview keeps at
// least a quarter of the table; wide, they have their natural widths; once
// the user drags a column's edge, the widths are theirs.
void tst_TrafficView::thePreviewStaysVisibleInASmallWindow()
{
    MainWindow window;
    window.resize(800, 600);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    flood(window.store(), 10, 10);
    QTableView *table = window.allTraffic()->table();
    QTRY_COMPARE(table->model()->rowCount(), 10);
    QHeaderView *header = table->horizontalHeader();
    const auto previewShown = [table, header] {
        const int left = header->sectionViewportPosition(TrafficModel::PreviewColumn);
        const int width = header->sectionSize(TrafficModel::PreviewColumn);
        return left >= 0 && left + width <= table->viewport()->width() + 1 && width >= table->viewport()->width() / 4;
    };
    QTRY_VERIFY2(previewShown(), qPrintable(QStringLiteral("preview at %1, %2 px wide, in %3 px")
                                                .arg(header->sectionViewportPosition(TrafficModel::PreviewColumn))
                                                .arg(header->sectionSize(TrafficModel::PreviewColumn))
                                                .arg(table->viewport()->width())));
    const int narrowTime = header->sectionSize(TrafficModel::TimeColumn);
    window.resize(1600, 1000);
    QTRY_VERIFY(header->sectionSize(TrafficModel::TimeColumn) > narrowTime);
    const int wideTime = header->sectionSize(TrafficModel::TimeColumn);
    QVERIFY(previewShown());
    // The user widens the Time column by its edge; a resize keeps that.
    const int edge = header->sectionViewportPosition(TrafficModel::TimeColumn) + wideTime - 1;
    const int y = header->height() / 2;
    QTest::mousePress(header->viewport(), Qt::LeftButton, {}, QPoint(edge, y));
    QTest::mouseMove(header->viewport(), QPoint(edge + 40, y));
    QTest::mouseRelease(header->viewport(), Qt::LeftButton, {}, QPoint(edge + 40, y));
    QTRY_COMPARE(header->sectionSize(TrafficModel::TimeColumn), wideTime + 40);
    window.resize(800, 600);
    QTRY_VERIFY(table->viewport()->width() < 700);
    QCOMPARE(header->sectionSize(TrafficModel::TimeColumn), wideTime + 40);
}

// View ▸ Time Column: time of day, date and time, or seconds since the
// first event; every table follows, the column widens to fit, and the
// next window starts with the choice.
void tst_TrafficView::theTimeColumnShowsTheChosenForm()
{
    auto window = std::make_unique<MainWindow>();
    window->resize(1400, 800);
    window->show();
    QVERIFY(QTest::qWaitForWindowExposed(window.get()));
    flood(window->store(), 3, 3);
    QTableView *table = window->allTraffic()->table();
    QTRY_COMPARE(table->model()->rowCount(), 3);
    const auto timeText = [&table](int row) { return table->model()->index(row, TrafficModel::TimeColumn).data().toString(); };
    const auto action = [&window](const char *name) { return window->findChild<QAction *>(QLatin1String(name)); };
    QVERIFY(action("timeOfDay")->isChecked());
    QVERIFY2(QRegularExpression(QStringLiteral("^\\d\\d:\\d\\d:\\d\\d\\.\\d{6}$")).match(timeText(0)).hasMatch(), qPrintable(timeText(0)));
    const int timeOfDayWidth = table->horizontalHeader()->sectionSize(TrafficModel::TimeColumn);

    action("dateAndTime")->trigger();
    QVERIFY2(QRegularExpression(QStringLiteral("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{6}$")).match(timeText(1)).hasMatch(),
             qPrintable(timeText(1)));
    QVERIFY(table->horizontalHeader()->sectionSize(TrafficModel::TimeColumn) > timeOfDayWidth);

    action("sinceStart")->trigger();
    QCOMPARE(timeText(0), QStringLiteral("0.000000"));
    QVERIFY2(QRegularExpression(QStringLiteral("^\\d+\\.\\d{6}$")).match(timeText(2)).hasMatch(), qPrintable(timeText(2)));
    // A tab opened now shows it too, and so does the next window.
    TrafficPane *instanceTab = window->showTraffic(1, 1);
    QTRY_VERIFY(instanceTab->table()->model()->rowCount() > 0);
    QCOMPARE(instanceTab->table()->model()->index(0, TrafficModel::TimeColumn).data().toString(), QStringLiteral("0.000000"));
    window.reset();
    MainWindow next;
    QVERIFY(next.findChild<QAction *>(QStringLiteral("sinceStart"))->isChecked());
    QCOMPARE(next.allTraffic()->model()->timeDisplay(), TimeDisplay::SinceStart);
}

// Made small, the window squeezes the docks to 34% of it; made large
// again, they come back to the width the user chose (within that share),
// which a drag of their edge sets and the next window keeps.
void tst_TrafficView::theDocksComeBackToTheirWidthWhenTheWindowGrows()
{
    auto window = std::make_unique<MainWindow>();
    auto *dock = window->findChild<QDockWidget *>(QStringLiteral("endpointDock"));
    window->resize(1600, 1000);
    window->show();
    QVERIFY(QTest::qWaitForWindowExposed(window.get()));
    QCOMPARE(window->preferredDockWidth(), 460);
    QTRY_COMPARE(dock->width(), 460);
    window->resize(800, 600);
    QTRY_VERIFY2(dock->width() <= 272, qPrintable(QString::number(dock->width())));
    window->resize(1600, 1000);
    QTRY_COMPARE(dock->width(), 460);
    // The user drags the dock's edge: that width is theirs from now on.
    window->resizeDocks({dock}, {500}, Qt::Horizontal);
    QTRY_COMPARE(window->preferredDockWidth(), 500);
    window->resize(800, 600);
    QTRY_VERIFY(dock->width() <= 272);
    window->resize(1600, 1000);
    QTRY_COMPARE(dock->width(), 500);
    window->close();
    window.reset();
    MainWindow next;
    QCOMPARE(next.preferredDockWidth(), 500);
}

void tst_TrafficView::anInstancesMessagesReadAsAConversation()
{
    Log log;
    // All Traffic mixes conversations: it has no chat.
    QVERIFY(!log.pane->holdsOneConversation());
    QVERIFY(!log.pane->findChild<QToolButton *>(QStringLiteral("conversationButton"))->isEnabled());
    log.pane->setConversation(true);
    QVERIFY(!log.pane->showsConversation());
    // Instance 1's tab has.
    TrafficPane *pane = log.window.showTraffic(1, 1);
    QVERIFY(pane->holdsOneConversation());
    QTRY_COMPARE(pane->model()->rowCount(), 4);
    auto *button = pane->findChild<QToolButton *>(QStringLiteral("conversationButton"));
    QVERIFY(button->isEnabled());
    button->click();
    QVERIFY(pane->showsConversation());
    ConversationView *chat = pane->conversationView();
    QTRY_VERIFY(chat->isVisible());
    QVERIFY(!pane->table()->isVisible());
    // The window's View menu says so.
    QTRY_VERIFY(log.window.findChild<QAction *>(QStringLiteral("conversationView"))->isChecked());
    // A bubble clicked is the selected message, in the detail and the table.
    const QRect second = chat->visualRect(chat->model()->index(2, TrafficModel::PreviewColumn));
    QVERIFY(chat->viewport()->rect().contains(second.center()));
    QTest::mouseClick(chat->viewport(), Qt::LeftButton, {}, second.center());
    QCOMPARE(pane->hexView()->data(), QByteArray("second"));
    QVERIFY(pane->table()->selectionModel()->isRowSelected(2));
    // Messages arriving at the end are followed.
    flood(log.window.store(), 200, 50);
    QTRY_COMPARE(pane->model()->rowCount(), 204);
    const QModelIndex last = chat->model()->index(203, TrafficModel::PreviewColumn);
    QTRY_VERIFY(chat->viewport()->rect().intersects(chat->visualRect(last)));
    // Back to the table, the selection kept.
    button->click();
    QVERIFY(!pane->showsConversation());
    QTRY_VERIFY(pane->table()->isVisible());
    QVERIFY(pane->table()->selectionModel()->isRowSelected(2));
    QVERIFY(!log.window.findChild<QAction *>(QStringLiteral("conversationView"))->isChecked());

    // A bubble's text: text as text (line breaks shown), else hex.
    QCOMPARE(conversationText(QByteArray("h\0i\0\0\0", 6)), QStringLiteral("hi"));
    QCOMPARE(conversationText("GET / HTTP/1.1\r\nHost: x\r\n"), QStringLiteral("GET / HTTP/1.1⏎ Host: x⏎ "));
    QCOMPARE(conversationText(QByteArray("\x01\x02\xff", 3)), QStringLiteral("01 02 ff"));
    QVERIFY(conversationText(QByteArray(2000, 'a')).endsWith(QStringLiteral("a…")));
}

void tst_TrafficView::columnsFollowTheirContentsWithoutChurn()
{
    QStandardItemModel model(3, 3);
    for (int row = 0; row < 3; ++row)
        for (int column = 0; column < 3; ++column)
            model.setItem(row, column, new QStandardItem(QStringLiteral("cell %1.%2").arg(row).arg(column)));
    model.setHorizontalHeaderLabels({QStringLiteral("Name"), QStringLiteral("State"), QStringLiteral("Bytes")});
    QTableView view;
    view.setModel(&model);
    auto *fitter = new ColumnFitter(&view, view.horizontalHeader(), 0, 2);
    fitter->followContents();
    fitter->setDropOrder({2});
    view.resize(600, 200);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QVERIFY(fitter->dropped().empty());
    // Narrow: Bytes leaves; fitting again changes no section.
    view.resize(150, 200);
    QTRY_COMPARE(fitter->dropped(), std::vector<int>{2});
    QVERIFY(view.horizontalHeader()->isSectionHidden(2));
    QSignalSpy resized(view.horizontalHeader(), &QHeaderView::sectionResized);
    fitter->fit();
    for (const QList<QVariant> &change : resized)
        QVERIFY2(change.at(0).toInt() != 2, "the dropped column was shown and hidden again");
    // Wide again: back.
    view.resize(600, 200);
    QTRY_VERIFY(fitter->dropped().empty());
    QVERIFY(!view.horizontalHeader()->isSectionHidden(2));
    // A value grown wider is measured a moment later, not at once.
    const int before = view.columnWidth(1);
    model.item(0, 1)->setText(QStringLiteral("a state much longer than the others were"));
    QCOMPARE(view.columnWidth(1), before);
    QTRY_VERIFY(view.columnWidth(1) > before);
}

PIPESCOPE_TEST_MAIN(tst_TrafficView)
#include "tst_trafficview.moc"
