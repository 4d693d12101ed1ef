// TrafficModel: the table model over the store: batched inserts, an instance's rows, pause, clear, inactive, event text.
#include "coretestsupport.h"
#include "findmatches.h"
#include "testmain.h"
#include "trafficmodel.h"
#include "trafficstore.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace PipeScope;
using PipeScopeTest::dataEvent;

class tst_TrafficModel : public QObject
{
    Q_OBJECT
private slots:
    void init() { PipeScopeTest::failOnUnexpectedWarnings(); }
    void modelInsertsOneBatchAtOnce();
    void modelScopesToAnInstance();
    void filteredModelFollowsNewRows();
    void pausedModelCatchesUpOnResume();
    void clearedViewShowsOnlyNewRows();
    void inactiveModelHoldsNoRows();
    void modelShowsEventText();
    void findCountsMatchesAsTheViewChanges();
};

void tst_TrafficModel::modelInsertsOneBatchAtOnce()
{
    TrafficStore store;
    TrafficModel model(&store);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    for (int b = 0; b < 5; ++b) {
        TrafficBatch batch;
        for (int i = 0; i < 1000; ++i)
            batch << dataEvent(1, 1, Direction::In, QByteArray::number(i), b * 1000 + i);
        store.append(batch);
    }
    QCOMPARE(inserted.size(), 5);
    QCOMPARE(reset.size(), 0);
    QCOMPARE(model.rowCount(), 5000);
    QCOMPARE(inserted.at(4).at(1).toInt(), 4000);
    QCOMPARE(inserted.at(4).at(2).toInt(), 4999);
}
void tst_TrafficModel::modelScopesToAnInstance()
{
    TrafficStore store;
    TrafficModel model(&store);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    store.append({dataEvent(1, 1, Direction::In, "a", 1), dataEvent(1, 2, Direction::In, "b", 2)});
    model.setScope(1, 2);
    QCOMPARE(model.rowCount(), 1);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    store.append({dataEvent(1, 1, Direction::In, "c", 3), dataEvent(1, 2, Direction::Out, "d", 4),
                  dataEvent(1, 2, Direction::In, "e", 5)});
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.index(1, 0).data(TrafficModel::PayloadRole).toByteArray(), QByteArray("d"));
    QCOMPARE(model.index(2, 0).data(TrafficModel::PayloadRole).toByteArray(), QByteArray("e"));
    // Kind and direction as values, not as the words a column shows.
    QCOMPARE(EventKind(model.index(1, 0).data(TrafficModel::KindRole).toInt()), EventKind::Data);
    QCOMPARE(Direction(model.index(1, 0).data(TrafficModel::DirectionRole).toInt()), Direction::Out);
    QCOMPARE(Direction(model.index(2, 0).data(TrafficModel::DirectionRole).toInt()), Direction::In);
    // A batch with nothing in scope inserts nothing.
    store.append({dataEvent(3, 0, Direction::In, "x", 6)});
    QCOMPARE(inserted.size(), 1);
    model.setScope(std::nullopt);
    QCOMPARE(model.rowCount(), 6);
}
void tst_TrafficModel::filteredModelFollowsNewRows()
{
    TrafficStore store;
    TrafficModel model(&store);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    store.append({dataEvent(1, 1, Direction::In, "ping 1", 1), dataEvent(1, 1, Direction::Out, "pong 1", 2)});
    TrafficFilter filter;
    filter.set(TrafficFilter::Mode::Text, QStringLiteral("ping"));
    model.setFilter(filter);
    QCOMPARE(model.rowCount(), 1);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    store.append({dataEvent(1, 1, Direction::In, "ping 2", 3), dataEvent(1, 1, Direction::Out, "pong 2", 4),
                  dataEvent(2, 0, Direction::Out, "ping 3", 5)});
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.index(2, 0).data(TrafficModel::PayloadRole).toByteArray(), QByteArray("ping 3"));
    // Scope and filter together.
    model.setScope(1);
    QCOMPARE(model.rowCount(), 2);
    filter.set(TrafficFilter::Mode::Text, QString(), TrafficFilter::ShowOut);
    model.setFilter(filter);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(0, 0).data(TrafficModel::PayloadRole).toByteArray(), QByteArray("pong 1"));
    model.setFilter(TrafficFilter());
    model.setScope(std::nullopt);
    QCOMPARE(model.rowCount(), 5);
}
void tst_TrafficModel::pausedModelCatchesUpOnResume()
{
    TrafficStore store;
    TrafficModel model(&store);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    store.append({dataEvent(1, 1, Direction::In, "a", 1)});
    model.setPaused(true);
    store.append({dataEvent(1, 1, Direction::In, "b", 2), dataEvent(1, 1, Direction::In, "c", 3)});
    QCOMPARE(model.rowCount(), 1);
    // Changing the filter while paused filters what was there when paused,
    // and brings in nothing newer.
    TrafficFilter filter;
    filter.set(TrafficFilter::Mode::Text, QString(), TrafficFilter::ShowOut);
    model.setFilter(filter);
    QCOMPARE(model.rowCount(), 0);
    model.setFilter(TrafficFilter());
    QCOMPARE(model.rowCount(), 1);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    model.setPaused(false);
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(store.count(), 3);
}
void tst_TrafficModel::clearedViewShowsOnlyNewRows()
{
    TrafficStore store;
    TrafficModel model(&store);
    TrafficModel other(&store);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    store.append({dataEvent(1, 1, Direction::In, "old", 1)});
    model.clearView();
    QCOMPARE(model.rowCount(), 0);
    store.append({dataEvent(1, 1, Direction::In, "new", 2)});
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.index(0, 0).data(TrafficModel::PayloadRole).toByteArray(), QByteArray("new"));
    // With a scope too; and other views and the store keep everything.
    model.setScope(1, 1);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(other.rowCount(), 2);
    QCOMPARE(store.count(), 2);
}
void tst_TrafficModel::inactiveModelHoldsNoRows()
{
    TrafficStore store;
    TrafficModel model(&store);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setScope(1);
    store.append({dataEvent(1, 1, Direction::In, "a", 1), dataEvent(2, 0, Direction::In, "b", 2)});
    QCOMPARE(model.rowOfStoreRow(0), 0);
    QCOMPARE(model.rowOfStoreRow(1), -1);
    model.setActive(false);
    QCOMPARE(model.rowCount(), 0);
    store.append({dataEvent(1, 1, Direction::Out, "c", 3)});
    QCOMPARE(model.rowCount(), 0);
    model.setActive(true);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.rowOfStoreRow(2), 1);
    QCOMPARE(model.index(1, 0).data(TrafficModel::PayloadRole).toByteArray(), QByteArray("c"));
}
void tst_TrafficModel::modelShowsEventText()
{
    TrafficStore store;
    TrafficModel model(&store);
    TrafficEvent connected;
    connected.kind = EventKind::Connected;
    connected.endpoint = 1;
    connected.instance = 3;
    connected.timestampNs = 1'000'000'000;
    connected.payload = "pid 42";
    TrafficEvent partial = dataEvent(1, 3, Direction::In, "hel", 1'000'250'000);
    partial.flags = Incomplete;
    partial.parts = 2;
    store.append({connected, partial});
    // Unnamed, an endpoint is its number; named, its name, with the instance.
    QCOMPARE(model.index(0, TrafficModel::SourceColumn).data().toString(), QStringLiteral("1 #3"));
    model.setEndpointNamer([](quint32 id) { return QStringLiteral("pipe-%1").arg(id); });
    QCOMPARE(model.index(0, TrafficModel::SourceColumn).data().toString(), QStringLiteral("pipe-1 #3"));
    QCOMPARE(model.index(0, TrafficModel::SourceColumn).data(Qt::ToolTipRole).toString(),
             QStringLiteral("Instance 3 of pipe-1"));
    QCOMPARE(model.headerData(TrafficModel::SourceColumn, Qt::Horizontal).toString(), QStringLiteral("Endpoint"));
    QCOMPARE(model.index(0, TrafficModel::KindColumn).data().toString(), QStringLiteral("connected"));
    QCOMPARE(model.index(0, TrafficModel::PreviewColumn).data().toString(), QStringLiteral("pid 42"));
    QCOMPARE(model.index(1, TrafficModel::DirectionColumn).data().toString(), QStringLiteral("in"));
    QCOMPARE(model.index(1, TrafficModel::SizeColumn).data().toInt(), 3);
    QCOMPARE(model.index(1, TrafficModel::PartsColumn).data().toInt(), 2);
    QCOMPARE(model.index(1, TrafficModel::DeltaColumn).data().toString(), QStringLiteral("+250 µs"));
    QCOMPARE(model.index(1, TrafficModel::PreviewColumn).data().toString(), QStringLiteral("[incomplete] \"hel\""));

    store.append({dataEvent(1, 4, Direction::In, "late", 1'000'240'000)});
    QCOMPARE(model.index(2, TrafficModel::DeltaColumn).data().toString(), QStringLiteral("\u221210 µs"));
    store.append({dataEvent(1, 4, Direction::In, "later", 1'003'240'000)});
    QCOMPARE(model.index(3, TrafficModel::DeltaColumn).data().toString(), QStringLiteral("+3.000 ms"));
    QVERIFY(model.index(3, TrafficModel::DirectionColumn).data(Qt::ToolTipRole).isNull());

    // A monitor's messages: client to server and back, with the time each
    // took to pass on.
    TrafficEvent up = dataEvent(2, 1, Direction::In, "up", 1'004'000'000);
    TrafficEvent down = dataEvent(2, 1, Direction::Out, "down", 1'005'000'000);
    up.relayNs = 6'200;
    down.relayNs = 740;
    store.append({up, down});
    QCOMPARE(model.index(4, TrafficModel::DirectionColumn).data().toString(), QStringLiteral("c\u2192s"));
    QCOMPARE(model.index(5, TrafficModel::DirectionColumn).data().toString(), QStringLiteral("s\u2192c"));
    QCOMPARE(model.index(4, TrafficModel::DirectionColumn).data(Qt::ToolTipRole).toString(),
             QStringLiteral("From the client to the server, passed on by the monitor in 6.2 µs"));
    QCOMPARE(model.index(5, TrafficModel::DirectionColumn).data(Qt::ToolTipRole).toString(),
             QStringLiteral("From the server to the client, passed on by the monitor in 740 ns"));
    // A monitor's rows that were not passed on as messages (a half-close,
    // one that did not reach the other side) keep its directions once the
    // model knows endpoint 2 is a monitor.
    TrafficEvent halfClose = dataEvent(2, 1, Direction::In, "", 1'005'500'000);
    halfClose.kind = EventKind::Disconnected;
    store.append({halfClose, dataEvent(2, 1, Direction::Out, "lost", 1'006'000'000)});
    QCOMPARE(model.index(6, TrafficModel::DirectionColumn).data().toString(), QStringLiteral("in"));
    model.setMonitorTest([](quint32 endpoint) { return endpoint == 2; });
    QCOMPARE(model.index(6, TrafficModel::DirectionColumn).data().toString(), QStringLiteral("c\u2192s"));
    QCOMPARE(model.index(6, TrafficModel::DirectionColumn).data(Qt::ToolTipRole).toString(),
             QStringLiteral("From the client to the server"));
    QCOMPARE(model.index(7, TrafficModel::DirectionColumn).data().toString(), QStringLiteral("s\u2192c"));
    QCOMPARE(model.index(7, TrafficModel::DirectionColumn).data(Qt::ToolTipRole).toString(),
             QStringLiteral("From the server to the client; not passed on"));
    QCOMPARE(model.index(3, TrafficModel::DirectionColumn).data().toString(), QStringLiteral("in"));

    // A server's own log: the column is its instances.
    model.setScope(1u);
    QCOMPARE(model.headerData(TrafficModel::SourceColumn, Qt::Horizontal).toString(), QStringLiteral("Instance"));
    QCOMPARE(model.index(0, TrafficModel::SourceColumn).data().toString(), QStringLiteral("#3"));

    // A long message's preview is cut; its tooltip has more, in lines.
    const QByteArray longText(300, 'x');
    store.append({dataEvent(1, 4, Direction::In, longText, 1'004'000'000)});
    const QModelIndex last = model.index(model.rowCount() - 1, TrafficModel::PreviewColumn);
    QVERIFY(last.data().toString().size() < 130);
    const QString tip = last.data(Qt::ToolTipRole).toString();
    QVERIFY2(tip.count(QLatin1Char('x')) == 300 && tip.contains(QLatin1Char('\n')), qPrintable(tip));
}

void tst_TrafficModel::findCountsMatchesAsTheViewChanges()
{
    TrafficStore store;
    TrafficModel model(&store);
    FindMatches matches(&model);
    store.append({dataEvent(1, 1, Direction::In, "ping 1", 1), dataEvent(1, 1, Direction::Out, "pong 1", 2),
                  dataEvent(1, 1, Direction::In, "ping 2", 3)});
    TrafficFilter ping;
    QVERIFY(ping.set(TrafficFilter::Mode::Text, QStringLiteral("ping")));
    matches.setPattern(ping, QStringLiteral("ping"));
    QCOMPARE(matches.total(), 2);
    // Forward from no row: the first; back from no row: the last; round
    // either end.
    FindMatches::Step step = matches.step(-1, true);
    QCOMPARE(step.row, 0);
    QCOMPARE(step.number, 1);
    QCOMPARE(step.total, 2);
    QCOMPARE(matches.step(0, true).row, 2);
    QCOMPARE(matches.step(2, true).row, 0);
    QCOMPARE(matches.step(-1, false).row, 2);
    QCOMPARE(matches.step(0, false).number, 2);
    QCOMPARE(matches.step(1, false).row, 0); // from a row that does not match
    // Appended rows are counted.
    store.append({dataEvent(2, 0, Direction::Out, "ping 3", 4)});
    QCOMPARE(matches.total(), 3);
    QCOMPARE(matches.step(2, true).number, 3);
    // The view filtered (reset): counted again in it.
    TrafficFilter in;
    QVERIFY(in.set(TrafficFilter::Mode::Text, QString(), TrafficFilter::ShowIn));
    model.setFilter(in);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(matches.total(), 2);
    QCOMPARE(matches.step(0, true).row, 1);
    // Another pattern, another count; the same key, no recount needed.
    TrafficFilter two;
    QVERIFY(two.set(TrafficFilter::Mode::Text, QStringLiteral("2")));
    matches.setPattern(two, QStringLiteral("2"));
    QCOMPARE(matches.total(), 1);
    QCOMPARE(matches.step(-1, true).row, 1);
    model.clearView();
    QCOMPARE(matches.total(), 0);
    QCOMPARE(matches.step(-1, true).row, -1);
}

PIPESCOPE_TEST_GUILESS_MAIN(tst_TrafficModel)
#include "tst_trafficmodel.moc"
