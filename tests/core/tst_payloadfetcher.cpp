// PayloadFetcher: messages' bytes read off the GUI thread, the latest
// request of each channel delivered, nothing after the fetcher has gone.
#include "coretestsupport.h"
#include "payloadfetcher.h"
#include "testmain.h"
#include "trafficstore.h"

#include <QTest>

#include <memory>

using namespace PipeScope;
using PipeScopeTest::dataEvent;

namespace {

// What one fetch delivered.
struct Answer
{
    int calls = 0;
    QList<QByteArray> bytes;
    QString error;
};

PayloadFetcher::Done into(Answer &answer)
{
    return [&answer](const QList<QByteArray> &bytes, const QString &error) {
        ++answer.calls;
        answer.bytes = bytes;
        answer.error = error;
    };
}

void fill(TrafficStore &store)
{
    store.append({dataEvent(1, 1, Direction::In, "first", 1),
                  dataEvent(1, 1, Direction::Out, "second", 2),
                  dataEvent(1, 2, Direction::In, QByteArray("\0\1\2", 3), 3)});
}

} // namespace

class tst_PayloadFetcher : public QObject
{
    Q_OBJECT
private slots:
    void init() { PipeScopeTest::failOnUnexpectedWarnings(); }
    void theRowsBytesComeInOrder();
    void aChannelDeliversItsLatestRequestOnly();
    void channelsAreIndependent();
    void aCancelledChannelDeliversNothing();
    void aRowThatCannotBeReadSaysWhy();
    void aWaitingRequestIsReplacedByALaterOne();
    void aRequestAskedFromAnAnswerIsRead();
    void nothingIsDeliveredOnceTheFetcherHasGone();
};

void tst_PayloadFetcher::theRowsBytesComeInOrder()
{
    TrafficStore store;
    fill(store);
    PayloadFetcher fetcher(&store, nullptr);
    Answer answer;
    fetcher.fetch(0, {2, 0}, into(answer));
    QCOMPARE(answer.calls, 0); // not before the event loop runs
    QTRY_COMPARE(answer.calls, 1);
    QCOMPARE(answer.bytes, (QList<QByteArray>{QByteArray("\0\1\2", 3), QByteArray("first")}));
    QVERIFY(answer.error.isEmpty());
}

void tst_PayloadFetcher::aChannelDeliversItsLatestRequestOnly()
{
    TrafficStore store;
    fill(store);
    PayloadFetcher fetcher(&store, nullptr);
    Answer earlier, later;
    fetcher.fetch(0, {0}, into(earlier));
    fetcher.fetch(0, {1}, into(later));
    QTRY_COMPARE(later.calls, 1);
    QCOMPARE(later.bytes, QList<QByteArray>{QByteArray("second")});
    // One read at a time, answered in order: the earlier read ended before
    // the later one began, and went nowhere.
    QCOMPARE(earlier.calls, 0);
}

void tst_PayloadFetcher::channelsAreIndependent()
{
    TrafficStore store;
    fill(store);
    PayloadFetcher fetcher(&store, nullptr);
    Answer shown, copied;
    fetcher.fetch(0, {0}, into(shown));
    fetcher.fetch(1, {1, 2}, into(copied));
    QTRY_VERIFY(shown.calls == 1 && copied.calls == 1);
    QCOMPARE(shown.bytes, QList<QByteArray>{QByteArray("first")});
    QCOMPARE(copied.bytes.size(), 2);
}

void tst_PayloadFetcher::aCancelledChannelDeliversNothing()
{
    TrafficStore store;
    fill(store);
    PayloadFetcher fetcher(&store, nullptr);
    Answer cancelled, other;
    fetcher.fetch(0, {0}, into(cancelled));
    fetcher.cancel(0);
    // A request on another channel, asked after, is answered after the
    // cancelled one's read has ended.
    fetcher.fetch(1, {0}, into(other));
    QTRY_COMPARE(other.calls, 1);
    QCOMPARE(cancelled.calls, 0);
}

void tst_PayloadFetcher::aRowThatCannotBeReadSaysWhy()
{
    // Past the limit the store keeps the bytes in its backing file only,
    // and this one does not exist.
    TrafficStore store;
    store.setPayloadLimit(64 * 1024);
    store.setBackingFile(QStringLiteral("/nonexistent/journal"));
    TrafficBatch batch;
    for (int i = 0; i < 40; ++i) {
        TrafficEvent e = dataEvent(1, 1, Direction::In, QByteArray(8000, 'x'), i);
        e.logOffset = 4096 + i;
        batch << e;
    }
    store.append(batch);
    QVERIFY(store.notKept() > 0);
    const qsizetype last = store.count() - 1;
    PayloadFetcher fetcher(&store, nullptr);
    Answer answer;
    fetcher.fetch(0, {0, last}, into(answer));
    QTRY_COMPARE(answer.calls, 1);
    QVERIFY2(answer.error.contains(QLatin1String("/nonexistent/journal")),
             qPrintable(answer.error));
    QCOMPARE(answer.bytes, QList<QByteArray>{QByteArray(8000, 'x')}); // the rows before it
}

void tst_PayloadFetcher::aWaitingRequestIsReplacedByALaterOne()
{
    TrafficStore store;
    fill(store);
    PayloadFetcher fetcher(&store, nullptr);
    // The copy is read first; behind it, the selected row changes twice.
    Answer copy, passed, stopped;
    fetcher.fetch(1, {0, 1, 2}, into(copy));
    fetcher.fetch(0, {0}, into(passed));
    fetcher.fetch(0, {2}, into(stopped));
    QTRY_COMPARE(stopped.calls, 1);
    QCOMPARE(copy.calls, 1);
    QCOMPARE(passed.calls, 0);
    QCOMPARE(stopped.bytes, QList<QByteArray>{QByteArray("\0\1\2", 3)});
}

void tst_PayloadFetcher::aRequestAskedFromAnAnswerIsRead()
{
    TrafficStore store;
    fill(store);
    PayloadFetcher fetcher(&store, nullptr);
    Answer second;
    fetcher.fetch(0, {0}, [&](const QList<QByteArray> &, const QString &) {
        fetcher.fetch(1, {1}, into(second));
    });
    QTRY_COMPARE(second.calls, 1);
    QCOMPARE(second.bytes, QList<QByteArray>{QByteArray("second")});
}

void tst_PayloadFetcher::nothingIsDeliveredOnceTheFetcherHasGone()
{
    TrafficStore store;
    fill(store);
    Answer answer;
    auto fetcher = std::make_unique<PayloadFetcher>(&store, nullptr);
    fetcher->fetch(0, {0}, into(answer));
    fetcher.reset();
    // Looked at once another fetcher has answered (the first one's read,
    // on a thread of its own, has most likely ended by then): whenever it
    // ends, its answer finds no fetcher.
    PayloadFetcher other(&store, nullptr);
    Answer after;
    other.fetch(0, {1}, into(after));
    QTRY_COMPARE(after.calls, 1);
    QCOMPARE(answer.calls, 0);
}

PIPESCOPE_TEST_GUILESS_MAIN(tst_PayloadFetcher)
#include "tst_payloadfetcher.moc"
