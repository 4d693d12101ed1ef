// PayloadArena: the memory workers read into: every message kept across blocks, grown part by part.
#include "coretestsupport.h"
#include "payloadarena.h"
#include "testmain.h"
#include "trafficstore.h"

#include <QTest>

#include <cstring>

using namespace PipeScope;
using PipeScopeTest::dataEvent;

class tst_PayloadArena : public QObject
{
    Q_OBJECT
private slots:
    void init() { PipeScopeTest::failOnUnexpectedWarnings(); }
    void arenaKeepsEveryMessageAcrossBlocks();
    void arenaGrowsAMessagePartByPart();
};

void tst_PayloadArena::arenaKeepsEveryMessageAcrossBlocks()
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
void tst_PayloadArena::arenaGrowsAMessagePartByPart()
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

PIPESCOPE_TEST_GUILESS_MAIN(tst_PayloadArena)
#include "tst_payloadarena.moc"
