#pragma once

#include <QMetaObject>
#include <QObject>
#include <QThread>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

namespace PipeScope {

// A worker object in a thread of its own, the one way PipeScope runs one:
// the thread creates the worker, runs its event loop, and deletes the
// worker as it ends, so the worker lives, is created and is deleted in one
// thread. The owner (in its own thread) starts it, posts calls to the
// worker, asks it to finish and joins it once it has ended.
//
// Calls go through a gate that is open while the thread runs its event loop
// and closed, by the thread itself, before it ends. Qt's postEvent() wakes
// the receiver's event dispatcher after letting go of its own lock, and a
// finishing thread deletes that dispatcher meanwhile: a call posted to a
// worker whose thread is ending could wake freed memory (ThreadSanitizer
// saw it: PipeServer::stop() racing an instance whose client had just
// gone). Here a post and the closing take turns, so a post either lands
// while the dispatcher lives or is dropped, as Qt drops calls to a thread
// that has ended. Calls posted before the worker exists wait for it and
// run first, in order.
template <typename Worker>
class WorkerThread
{
public:
    using Call = std::function<void(Worker *)>;

    explicit WorkerThread(const QString &name) { m_thread.setObjectName(name); }
    // Asks a running thread to finish and joins it.
    ~WorkerThread()
    {
        finish();
        m_thread.wait();
    }
    WorkerThread(const WorkerThread &) = delete;
    WorkerThread &operator=(const WorkerThread &) = delete;

    // Starts the thread. In it: `make()` creates the worker, `wire(worker)`
    // connects its signals (to an owner in another thread they are queued
    // by Qt), the calls posted so far run, then the event loop. The worker
    // emitting `done` closes the gate and ends the loop; `atEnd(worker)`
    // runs last, before the worker is deleted. False if the system had no
    // thread to spare (Qt has said why); nothing posted runs then.
    template <typename Done>
    bool start(std::function<std::unique_ptr<Worker>()> make, Done done, Call wire = {}, Call atEnd = {})
    {
        Call endOnDone = [this, done](Worker *worker) {
            QObject::connect(worker, done, worker, [this] { endLoop(); }, Qt::DirectConnection);
        };
        return startWith(std::move(make), std::move(endOnDone), std::move(wire), std::move(atEnd));
    }
    // A worker that ends only when asked to (finish()).
    bool start(std::function<std::unique_ptr<Worker>()> make)
    {
        return startWith(std::move(make), {}, {}, {});
    }

    // Queues `call(worker)` in the worker's thread; false once the gate is
    // closed (the thread ends or has ended).
    bool post(Call call)
    {
        const std::lock_guard lock(m_mutex);
        if (m_closed)
            return false;
        if (!m_worker) {
            m_early.push_back(std::move(call));
            return true;
        }
        Worker *worker = m_worker;
        QMetaObject::invokeMethod(worker, [worker, call = std::move(call)] { call(worker); }, Qt::QueuedConnection);
        return true;
    }

    // Runs `last` after every call posted before it, then ends the thread.
    void finish(Call last = {})
    {
        post([this, last = std::move(last)](Worker *worker) {
            if (last)
                last(worker);
            endLoop();
        });
    }

    // `slot` runs in `context`'s thread once the thread has ended; join()
    // from there does not block.
    template <typename Context, typename Slot>
    void whenEnded(const Context *context, Slot slot)
    {
        QObject::connect(&m_thread, &QThread::finished, context, std::move(slot));
    }

    // Waits for the thread to end: call it once the worker has been asked
    // to finish, or has finished.
    void join() { m_thread.wait(); }

private:
    bool startWith(std::function<std::unique_ptr<Worker>()> make, Call endOnDone, Call wire, Call atEnd)
    {
        m_thread.body = [this, make = std::move(make), endOnDone = std::move(endOnDone), wire = std::move(wire),
                         atEnd = std::move(atEnd)] {
            std::unique_ptr<Worker> worker = make();
            if (endOnDone)
                endOnDone(worker.get());
            if (wire)
                wire(worker.get());
            std::vector<Call> early;
            {
                const std::lock_guard lock(m_mutex);
                m_worker = worker.get();
                early.swap(m_early);
            }
            for (const Call &call : early) {
                if (closed())
                    break; // the worker is done: what follows is dropped, as a quit loop drops it
                call(worker.get());
            }
            m_thread.runLoop();
            {
                const std::lock_guard lock(m_mutex);
                m_closed = true;
                m_worker = nullptr;
            }
            if (atEnd)
                atEnd(worker.get());
            worker.reset();
        };
        m_thread.ran = false;
        m_thread.start();
        // Started: running, or already run to its end (a worker that is done
        // at once, such as a client whose pipe does not exist, can finish
        // before this line). isFinished() alone cannot tell: Qt on Windows
        // also says finished when the thread could not be created.
        if (m_thread.isRunning() || m_thread.ran)
            return true;
        const std::lock_guard lock(m_mutex);
        m_closed = true;
        m_early.clear();
        return false;
    }

    class Thread : public QThread
    {
    public:
        std::function<void()> body;
        std::atomic<bool> ran = false; // run() began
        void runLoop() { exec(); }

    protected:
        void run() override
        {
            ran = true;
            body();
        }
    };

    bool closed()
    {
        const std::lock_guard lock(m_mutex);
        return m_closed;
    }

    // In the worker's thread.
    void endLoop()
    {
        {
            const std::lock_guard lock(m_mutex);
            m_closed = true;
        }
        m_thread.quit();
    }

    Thread m_thread;
    std::mutex m_mutex;
    Worker *m_worker = nullptr;
    std::vector<Call> m_early; // posted before the worker existed
    bool m_closed = false;
};

} // namespace PipeScope
