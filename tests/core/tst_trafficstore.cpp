#include "capturehub.h"
#include "coretestsupport.h"
#include "payloadarena.h"
#include "testmain.h"
#include "trafficmodel.h"
#include "trafficstore.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include <cstring>

using namespace PipeScope;
using PipeScopeTest::dataEvent;

class tst_TrafficStore : public QObject
{
    Q_OBJECT
private slots:
    void init() { PipeScopeTest::failOnUnexpectedWarnings(); }
    void payloadsAreExact_data();
    void payloadsAreExact();
    void recordStaysCompact();
    void statsCountPerInstance();
    void modelInsertsOneBatchAtOnce();
    void modelScopesToAnInstance();
    void filterMatchesTextHexAndRegex_data();
    void filterMatchesTextHexAndRegex();
    void filterRefusesBadPatterns();
    void filteredModelFollowsNewRows();
    void pausedModelCatchesUpOnResume();
    void clearedViewShowsOnlyNewRows();
    void inactiveModelHoldsNoRows();
    void modelShowsEventText();
    void clearEmptiesEverything();
    void arenaKeepsEveryMessageAcrossBlocks();
    void arenaGrowsAMessagePartByPart();
    void blocksLiveAsLongAsTheirEvents();
    void hubOrdersByTimeKeepingEachSourcesOrder();
    void hubBatchesPostsFromManyThreads();
    void hubReorderWindowKeepsTimeOrderAcrossDeliveries();
};

void tst_TrafficStore::payloadsAreExact_data()
{
    QTest::addColumn<int>("size");
    QTest::newRow("0 B") << 0;
    QTest::newRow("1 B") << 1;
    QTest::newRow("4 KiB") << 4096;
    QTest::newRow("a quarter chunk + 1 (own chunk)") << (1 << 18) + 1;
    QTest::newRow("1 MiB") << (1 << 20);
    QTest::newRow("3 MiB") << (3 << 20);
}

void tst_TrafficStore::payloadsAreExact()
{
    QFETCH(int, size);
    TrafficStore store;
    TrafficBatch batch;
    QByteArray payload(size, Qt::Uninitialized);
    for (int i = 0; i < size; ++i)
        payload[i] = char(i * 7 + 3);
    // Small neighbours on both sides, so chunk boundaries are exercised.
    batch << dataEvent(1, 1, Direction::In, "before", 1) << dataEvent(1, 1, Direction::In, payload, 2)
          << dataEvent(1, 1, Direction::Out, "after", 3);
    for (int i = 0; i < 2000; ++i)
        batch << dataEvent(1, 2, Direction::In, QByteArray(600, char(i)), 4 + i);
    store.append(batch);
    QCOMPARE(store.count(), batch.size());
    QCOMPARE(store.payload(0), QByteArrayView("before"));
    QCOMPARE(store.payload(1).toByteArray(), payload);
    QCOMPARE(store.payload(2), QByteArrayView("after"));
    for (int i = 0; i < 2000; ++i)
        QCOMPARE(store.payload(3 + i).toByteArray(), QByteArray(600, char(i)));
    const TrafficEvent back = store.eventAt(1);
    QCOMPARE(back.payload, payload);
    QCOMPARE(back.timestampNs, 2);
    QCOMPARE(back.direction, Direction::In);
}

void tst_TrafficStore::recordStaysCompact()
{
    // The design's budget is 64 bytes per message beyond its payload.
    QVERIFY(sizeof(TrafficStore::Record) <= 40);
    TrafficStore store;
    TrafficBatch batch;
    constexpr int kCount = 100000;
    for (int i = 0; i < kCount; ++i)
        batch << dataEvent(1, 1, Direction::In, QByteArray(16, 'x'), i);
    store.append(batch);
    const double perMessage = double(store.memoryUsed() - quint64(kCount) * 16) / kCount;
    QVERIFY2(perMessage <= 64.0, qPrintable(QStringLiteral("%1 bytes per message").arg(perMessage)));
}

void tst_TrafficStore::statsCountPerInstance()
{
    TrafficStore store;
    store.append({dataEvent(1, 1, Direction::In, "abc", 1), dataEvent(1, 1, Direction::Out, "de", 2),
                  dataEvent(1, 2, Direction::In, "f", 3), dataEvent(2, 0, Direction::Out, "ghij", 4)});
    const auto a = store.stats(1, 1);
    QCOMPARE(a.messagesIn, 1u);
    QCOMPARE(a.bytesIn, 3u);
    QCOMPARE(a.messagesOut, 1u);
    QCOMPARE(a.bytesOut, 2u);
    QCOMPARE(store.stats(1, 2).bytesIn, 1u);
    QCOMPARE(store.stats(2, 0).bytesOut, 4u);
    QCOMPARE(store.stats(3, 0).messagesIn, 0u);
}

void tst_TrafficStore::modelInsertsOneBatchAtOnce()
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

void tst_TrafficStore::modelScopesToAnInstance()
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
    // A batch with nothing in scope inserts nothing.
    store.append({dataEvent(3, 0, Direction::In, "x", 6)});
    QCOMPARE(inserted.size(), 1);
    model.setScope(std::nullopt);
    QCOMPARE(model.rowCount(), 6);
}

void tst_TrafficStore::filterMatchesTextHexAndRegex_data()
{
    QTest::addColumn<int>("mode");
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<bool>("matches");
    const int text = int(TrafficFilter::Mode::Text), hex = int(TrafficFilter::Mode::Hex),
              regex = int(TrafficFilter::Mode::Regex);
    QTest::newRow("text in utf-8") << text << "answer" << QByteArray("Default answer from server") << true;
    QTest::newRow("text is case-sensitive") << text << "Answer" << QByteArray("Default answer") << false;
    QTest::newRow("text in utf-16le") << text << "hi" << QByteArray("h\0i\0", 4) << true;
    QTest::newRow("non-ascii text") << text << "grüß" << QString("sag grüß").toUtf8() << true;
    QTest::newRow("text absent") << text << "nope" << QByteArray("Default answer") << false;
    QTest::newRow("hex bytes") << hex << "de ad" << QByteArray("\x01\xde\xad\x02", 4) << true;
    QTest::newRow("hex across NUL") << hex << "00ff" << QByteArray("a\0\xff", 3) << true;
    QTest::newRow("hex absent") << hex << "dead" << QByteArray("\xde\xaf", 2) << false;
    QTest::newRow("regex") << regex << "^Default .* server$" << QByteArray("Default answer from server") << true;
    QTest::newRow("regex no match") << regex << "^answer" << QByteArray("Default answer") << false;
}

void tst_TrafficStore::filterMatchesTextHexAndRegex()
{
    QFETCH(int, mode);
    QFETCH(QString, pattern);
    QFETCH(QByteArray, payload);
    QFETCH(bool, matches);
    TrafficFilter filter;
    QString error;
    QVERIFY2(filter.set(TrafficFilter::Mode(mode), pattern, TrafficFilter::ShowAll, &error), qPrintable(error));
    QCOMPARE(filter.matches(Direction::In, EventKind::Data, payload), matches);
    // A pattern never matches connection events; directions still apply.
    QVERIFY(!filter.matches(Direction::None, EventKind::Connected, payload));
    filter.set(TrafficFilter::Mode(mode), pattern, TrafficFilter::ShowOut);
    QVERIFY(!filter.matches(Direction::In, EventKind::Data, payload));
    QCOMPARE(filter.matches(Direction::Out, EventKind::Data, payload), matches);
}

void tst_TrafficStore::filterRefusesBadPatterns()
{
    TrafficFilter filter;
    filter.set(TrafficFilter::Mode::Text, QStringLiteral("kept"));
    QString error;
    QVERIFY(!filter.set(TrafficFilter::Mode::Hex, QStringLiteral("zz"), TrafficFilter::ShowAll, &error));
    QVERIFY2(error.contains(QLatin1String("hex")), qPrintable(error));
    QVERIFY(!filter.set(TrafficFilter::Mode::Regex, QStringLiteral("(open"), TrafficFilter::ShowAll, &error));
    QVERIFY2(error.contains(QLatin1String("position")), qPrintable(error));
    // A refused pattern leaves the filter as it was.
    QCOMPARE(filter.pattern(), QStringLiteral("kept"));
    QCOMPARE(filter.mode(), TrafficFilter::Mode::Text);
}

void tst_TrafficStore::filteredModelFollowsNewRows()
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

void tst_TrafficStore::pausedModelCatchesUpOnResume()
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

void tst_TrafficStore::clearedViewShowsOnlyNewRows()
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

void tst_TrafficStore::inactiveModelHoldsNoRows()
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

void tst_TrafficStore::modelShowsEventText()
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
    QCOMPARE(model.index(0, TrafficModel::SourceColumn).data().toString(), QStringLiteral("1.3"));
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
}

void tst_TrafficStore::clearEmptiesEverything()
{
    TrafficStore store;
    TrafficModel model(&store);
    store.append({dataEvent(1, 1, Direction::In, "a", 1)});
    store.clear();
    QCOMPARE(store.count(), 0);
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(store.stats(1, 1).messagesIn, 0u);
}

void tst_TrafficStore::arenaKeepsEveryMessageAcrossBlocks()
{
    PayloadArena arena;
    TrafficStore store;
    QList<QByteArray> expected;
    TrafficBatch batch;
    // Sizes that do not divide the blocks, so messages straddle block ends.
    for (int i = 0; i < 3000; ++i) {
        const int size = (i * 733) % 5000;
        const QByteArray bytes(size, char('a' + i % 26));
        std::memcpy(arena.resize(std::size_t(size)), bytes.constData(), std::size_t(size));
        TrafficEvent e = dataEvent(1, 1, Direction::In, {}, i);
        auto taken = arena.take(std::size_t(size));
        e.payload = taken.bytes;
        e.block = taken.block;
        QCOMPARE(bool(e.block), size > 0);
        batch << e;
        expected << bytes;
    }
    store.append(batch);
    batch.clear(); // the store alone keeps the blocks now
    for (int i = 0; i < expected.size(); ++i)
        QCOMPARE(store.payload(i).toByteArray(), expected[i]);
}

void tst_TrafficStore::arenaGrowsAMessagePartByPart()
{
    PayloadArena arena;
    std::memcpy(arena.resize(10), "0123456789", 10);
    const PayloadArena::Taken small = arena.take(10);
    // A message arriving in parts, growing past every block size.
    QByteArray expected;
    std::size_t size = 0;
    for (int part = 0; part < 200; ++part) {
        const QByteArray chunk(65521, char(part));
        char *at = arena.resize(size + std::size_t(chunk.size()));
        std::memcpy(at + size, chunk.constData(), std::size_t(chunk.size()));
        size += std::size_t(chunk.size());
        expected += chunk;
    }
    const PayloadArena::Taken whole = arena.take(size);
    QCOMPARE(whole.bytes.size(), expected.size());
    QVERIFY(whole.bytes == expected);
    QVERIFY(whole.block->capacity() >= size);
    QCOMPARE(small.bytes, QByteArray("0123456789")); // an earlier message is untouched
}

void tst_TrafficStore::blocksLiveAsLongAsTheirEvents()
{
    std::weak_ptr<const PayloadBlock> watch;
    {
        PayloadArena arena;
        TrafficEvent e;
        std::memcpy(arena.resize(3), "abc", 3);
        auto taken = arena.take(3);
        e.payload = taken.bytes;
        e.block = taken.block;
        watch = e.block;
        TrafficStore store;
        store.append({e});
        e = {};
        QVERIFY(!watch.expired()); // the arena and the store hold it
        store.clear();
    }
    QVERIFY(watch.expired());
}

void tst_TrafficStore::hubOrdersByTimeKeepingEachSourcesOrder()
{
    CaptureHub hub;
    QSignalSpy delivered(&hub, &CaptureHub::batchReady);
    // Two sources posting in turn; equal timestamps within one source must
    // keep their order.
    hub.post({dataEvent(1, 1, Direction::In, "a1", 10), dataEvent(1, 1, Direction::In, "a2", 30),
              dataEvent(1, 1, Direction::In, "a3", 30)});
    hub.post({dataEvent(1, 2, Direction::In, "b1", 5), dataEvent(1, 2, Direction::In, "b2", 20)});
    QTRY_COMPARE(delivered.size(), 1);
    const auto batch = delivered.first().first().value<TrafficBatch>();
    QStringList order;
    for (const TrafficEvent &e : batch)
        order << QString::fromLatin1(e.payload);
    QCOMPARE(order, (QStringList{"b1", "a1", "b2", "a2", "a3"}));
}

void tst_TrafficStore::hubReorderWindowKeepsTimeOrderAcrossDeliveries()
{
    CaptureHub hub;
    hub.setInterval(0);
    hub.setReorderWindow(100);
    QList<TrafficEvent> delivered;
    connect(&hub, &CaptureHub::batchReady, this, [&](const TrafficBatch &batch) { delivered << batch; });
    const qint64 now = nowNs();
    const qint64 ms = 1000000;
    // An old event goes out at once; young ones wait for the window.
    hub.post({dataEvent(1, 1, Direction::In, "old", now - 500 * ms), dataEvent(1, 1, Direction::In, "a", now)});
    QTRY_COMPARE(delivered.size(), 1);
    // A late poster's event, stamped before "a", is delivered before it.
    hub.post({dataEvent(1, 2, Direction::In, "late", now - 10 * ms), dataEvent(1, 2, Direction::In, "b", now + 1)});
    QTRY_COMPARE(delivered.size(), 4);
    QStringList order;
    for (const TrafficEvent &e : delivered)
        order << QString::fromLatin1(e.payload);
    QCOMPARE(order, (QStringList{"old", "late", "a", "b"}));
    // flush() hands over everything at once, young or not.
    hub.post({dataEvent(1, 1, Direction::In, "now", nowNs())});
    hub.flush();
    QCOMPARE(delivered.size(), 5);
}

void tst_TrafficStore::hubBatchesPostsFromManyThreads()
{
    CaptureHub hub;
    quint64 events = 0;
    int batches = 0;
    connect(&hub, &CaptureHub::batchReady, this, [&](const TrafficBatch &batch) {
        events += quint64(batch.size());
        ++batches;
    });
    constexpr int kThreads = 4;
    constexpr int kPosts = 2000;
    QList<QThread *> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads << QThread::create([&hub, t] {
            for (int i = 0; i < kPosts; ++i)
                hub.post({dataEvent(1, quint32(t), Direction::In, "x", i)});
        });
        threads.last()->start();
    }
    for (QThread *thread : threads) {
        QVERIFY(thread->wait(10000));
        delete thread;
    }
    QTRY_COMPARE(events, quint64(kThreads * kPosts));
    // One delivery per interval, not one per post.
    QVERIFY2(batches < kThreads * kPosts / 10, qPrintable(QString::number(batches)));
}

PIPESCOPE_TEST_GUILESS_MAIN(tst_TrafficStore)
#include "tst_trafficstore.moc"
