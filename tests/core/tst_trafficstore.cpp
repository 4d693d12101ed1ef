// TrafficStore: the store: exact payloads, compact records, per-instance counts, clearing, blocks held as long as their events.
#include "coretestsupport.h"
#include "payloadarena.h"
#include "testmain.h"
#include "trafficmodel.h"
#include "trafficstore.h"

#include <QTest>

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
    void clearEmptiesEverything();
    void blocksLiveAsLongAsTheirEvents();
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

PIPESCOPE_TEST_GUILESS_MAIN(tst_TrafficStore)
#include "tst_trafficstore.moc"
