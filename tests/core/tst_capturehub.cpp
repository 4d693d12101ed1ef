// CaptureHub: the hub: time order across sources, batching posts from many threads, the reorder window.
#include "capturehub.h"
#include "coretestsupport.h"
#include "testmain.h"

#include <QSignalSpy>
#include <QTest>
#include <QThread>

using namespace PipeScope;
using PipeScopeTest::dataEvent;

class tst_CaptureHub : public QObject
{
    Q_OBJECT
private slots:
    void init() { PipeScopeTest::failOnUnexpectedWarnings(); }
    void hubOrdersByTimeKeepingEachSourcesOrder();
    void hubBatchesPostsFromManyThreads();
    void hubReorderWindowKeepsTimeOrderAcrossDeliveries();
};

void tst_CaptureHub::hubOrdersByTimeKeepingEachSourcesOrder()
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
void tst_CaptureHub::hubBatchesPostsFromManyThreads()
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
void tst_CaptureHub::hubReorderWindowKeepsTimeOrderAcrossDeliveries()
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

PIPESCOPE_TEST_GUILESS_MAIN(tst_CaptureHub)
#include "tst_capturehub.moc"
