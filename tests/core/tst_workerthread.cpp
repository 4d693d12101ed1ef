// WorkerThread: a worker created, run and deleted in its own thread, and
// calls into it that either land in order or are dropped once it is done.
#include "workerthread.h"

#include "testmain.h"

#include <QSignalSpy>
#include <QDeadlineTimer>
#include <QScopeGuard>
#include <QTest>

#include <atomic>
#include <memory>
#include <thread>

using namespace PipeScope;

namespace {

// Records the thread it was created and deleted in, and what was called.
class Recorder : public QObject
{
    Q_OBJECT
public:
    struct Log
    {
        std::atomic<QThread *> createdIn = nullptr;
        std::atomic<QThread *> deletedIn = nullptr;
        QStringList calls; // written in the worker's thread, read after the join
    };

    explicit Recorder(std::shared_ptr<Log> log) : m_log(std::move(log)) { m_log->createdIn = QThread::currentThread(); }
    ~Recorder() override { m_log->deletedIn = QThread::currentThread(); }

    void call(const QString &what)
    {
        m_log->calls.append(what);
        emit called(what);
    }

signals:
    void called(const QString &what);
    void done();

private:
    std::shared_ptr<Log> m_log;
};

std::function<std::unique_ptr<Recorder>()> makeRecorder(const std::shared_ptr<Recorder::Log> &log)
{
    return [log] { return std::make_unique<Recorder>(log); };
}

} // namespace

class tst_WorkerThread : public QObject
{
    Q_OBJECT

private slots:
    void init() { PipeScopeTest::failOnUnexpectedWarnings(); }
    void theWorkerIsCreatedAndDeletedInItsOwnThread();
    void callsPostedBeforeTheWorkerExistsRunFirstInOrder();
    void theWorkerEndingItsThreadDropsWhatIsPostedAfter();
    void finishRunsItsCallAfterEverythingPostedBefore();
    void atEndRunsInTheThreadBeforeTheWorkerIsDeleted();
    void signalsWiredInTheThreadReachTheOwnerQueued();
    void aWorkerThreadNeverStartedIsDestroyedQuietly();
    void aWorkerDoneAtOnceStillCountsAsStarted();
};

void tst_WorkerThread::theWorkerIsCreatedAndDeletedInItsOwnThread()
{
    auto log = std::make_shared<Recorder::Log>();
    {
        WorkerThread<Recorder> thread(QStringLiteral("recorder"));
        QVERIFY(thread.start(makeRecorder(log)));
        QTRY_VERIFY(log->createdIn.load() != nullptr);
        QVERIFY(log->createdIn.load() != QThread::currentThread());
        QCOMPARE(log->deletedIn.load(), nullptr);
    }
    // The destructor asked it to finish and joined it.
    QCOMPARE(log->deletedIn.load(), log->createdIn.load());
}

void tst_WorkerThread::callsPostedBeforeTheWorkerExistsRunFirstInOrder()
{
    auto log = std::make_shared<Recorder::Log>();
    WorkerThread<Recorder> thread(QStringLiteral("recorder"));
    for (int i = 0; i < 3; ++i)
        QVERIFY(thread.post([i](Recorder *r) { r->call(QStringLiteral("early %1").arg(i)); }));
    QVERIFY(thread.start(makeRecorder(log)));
    for (int i = 0; i < 3; ++i)
        QVERIFY(thread.post([i](Recorder *r) { r->call(QStringLiteral("late %1").arg(i)); }));
    thread.finish();
    thread.join();
    QCOMPARE(log->calls, (QStringList{QStringLiteral("early 0"), QStringLiteral("early 1"), QStringLiteral("early 2"),
                                      QStringLiteral("late 0"), QStringLiteral("late 1"), QStringLiteral("late 2")}));
}

void tst_WorkerThread::theWorkerEndingItsThreadDropsWhatIsPostedAfter()
{
    auto log = std::make_shared<Recorder::Log>();
    WorkerThread<Recorder> thread(QStringLiteral("recorder"));
    bool ended = false;
    thread.whenEnded(this, [&ended] { ended = true; });
    QVERIFY(thread.start(makeRecorder(log), &Recorder::done));
    QVERIFY(thread.post([](Recorder *r) {
        r->call(QStringLiteral("before"));
        emit r->done();
    }));
    QTRY_VERIFY(ended);
    thread.join();
    QVERIFY(!thread.post([](Recorder *r) { r->call(QStringLiteral("after")); }));
    QCOMPARE(log->calls, QStringList{QStringLiteral("before")});
    QVERIFY(log->deletedIn.load() != nullptr);
}

void tst_WorkerThread::finishRunsItsCallAfterEverythingPostedBefore()
{
    auto log = std::make_shared<Recorder::Log>();
    WorkerThread<Recorder> thread(QStringLiteral("recorder"));
    QVERIFY(thread.start(makeRecorder(log)));
    // A slow call first, so the later ones certainly queue behind it.
    QVERIFY(thread.post([](Recorder *r) {
        QThread::msleep(50);
        r->call(QStringLiteral("slow"));
    }));
    QVERIFY(thread.post([](Recorder *r) { r->call(QStringLiteral("next")); }));
    thread.finish([](Recorder *r) { r->call(QStringLiteral("last")); });
    thread.join();
    QCOMPARE(log->calls, (QStringList{QStringLiteral("slow"), QStringLiteral("next"), QStringLiteral("last")}));
    QVERIFY(!thread.post([](Recorder *r) { r->call(QStringLiteral("too late")); }));
}

void tst_WorkerThread::atEndRunsInTheThreadBeforeTheWorkerIsDeleted()
{
    auto log = std::make_shared<Recorder::Log>();
    std::atomic<QThread *> atEndIn = nullptr;
    bool workerAliveAtEnd = false;
    WorkerThread<Recorder> thread(QStringLiteral("recorder"));
    QVERIFY(thread.start(makeRecorder(log), &Recorder::done, {}, [&](Recorder *r) {
        atEndIn = QThread::currentThread();
        workerAliveAtEnd = log->deletedIn.load() == nullptr;
        r->call(QStringLiteral("at end"));
    }));
    QVERIFY(thread.post([](Recorder *r) { emit r->done(); }));
    thread.join();
    QCOMPARE(atEndIn.load(), log->createdIn.load());
    QVERIFY(workerAliveAtEnd);
    QCOMPARE(log->calls, QStringList{QStringLiteral("at end")});
    QCOMPARE(log->deletedIn.load(), log->createdIn.load());
}

void tst_WorkerThread::signalsWiredInTheThreadReachTheOwnerQueued()
{
    auto log = std::make_shared<Recorder::Log>();
    QThread *receivedIn = nullptr;
    QString received;
    WorkerThread<Recorder> thread(QStringLiteral("recorder"));
    QVERIFY(thread.start(makeRecorder(log), &Recorder::done, [&](Recorder *r) {
        connect(r, &Recorder::called, this, [&](const QString &what) {
            receivedIn = QThread::currentThread();
            received = what;
        });
    }));
    QVERIFY(thread.post([](Recorder *r) { r->call(QStringLiteral("hello")); }));
    QTRY_COMPARE(received, QStringLiteral("hello"));
    QCOMPARE(receivedIn, QThread::currentThread());
}

void tst_WorkerThread::aWorkerThreadNeverStartedIsDestroyedQuietly()
{
    bool ran = false;
    {
        WorkerThread<Recorder> thread(QStringLiteral("never started"));
        QVERIFY(thread.post([&ran](Recorder *) { ran = true; }));
    }
    QVERIFY(!ran);
}

// A worker can be done before start() returns (a client whose pipe does
// not exist fails at once): start() still says the thread started. Before
// this held, start() looked at isRunning() only and sometimes said "no
// thread could be started"; repeated so that the race is met.
void tst_WorkerThread::aWorkerDoneAtOnceStillCountsAsStarted()
{
    // Busy threads on every core, so that this thread is often preempted
    // between creating the thread and looking at it.
    std::atomic<bool> stop = false;
    std::vector<std::thread> busy;
    for (unsigned i = 0; i < std::max(2u, std::thread::hardware_concurrency()); ++i)
        busy.emplace_back([&stop] {
            while (!stop.load(std::memory_order_relaxed)) {
            }
        });
    const auto stopBusy = qScopeGuard([&] {
        stop = true;
        for (std::thread &t : busy)
            t.join();
    });
    // At most two seconds of it: under Wine, busy cores starve the
    // wineserver every other suite running meanwhile needs.
    const QDeadlineTimer enough(2000);
    for (int i = 0; i < 2000 && !enough.hasExpired(); ++i) {
        auto log = std::make_shared<Recorder::Log>();
        WorkerThread<Recorder> thread(QStringLiteral("recorder"));
        const auto doneAtOnce = [](Recorder *r) { emit r->done(); };
        QVERIFY2(thread.start(makeRecorder(log), &Recorder::done, doneAtOnce), qPrintable(QString::number(i)));
        thread.join();
        QVERIFY(log->deletedIn.load() != nullptr);
    }
}

PIPESCOPE_TEST_GUILESS_MAIN(tst_WorkerThread)
#include "tst_workerthread.moc"
