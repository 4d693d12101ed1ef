#pragma once

#include <QMetaObject>
#include <QObject>
#include <QThread>

#include <memory>
#include <mutex>
#include <utility>

namespace PipeScope {

// The way into a worker's thread for calls from its owner, open while that
// thread runs its event loop and closed, by the thread itself, before it
// ends. Qt's postEvent() wakes the receiver's event dispatcher after it has
// let go of its own lock, and a thread that is finishing deletes that
// dispatcher meanwhile: a call posted to a worker whose thread is ending
// can wake freed memory (ThreadSanitizer saw it: PipeServer::stop() racing
// an instance whose client had just gone). Here a post and the closing
// take turns, so a post either lands while the dispatcher lives or is
// dropped, as Qt drops calls to a thread that has ended.
class WorkerGate
{
public:
    // Queues `call` in `receiver`'s thread; false once the gate is closed.
    template <typename Receiver, typename Call>
    bool post(Receiver *receiver, Call &&call)
    {
        const std::lock_guard lock(m_mutex);
        if (m_closed)
            return false;
        QMetaObject::invokeMethod(receiver, std::forward<Call>(call), Qt::QueuedConnection);
        return true;
    }

    // Ends `thread` when `worker` emits `done`: the gate closes in the
    // worker's thread, then the thread quits. Direct, because an owner that
    // joins the thread blocks its own event loop meanwhile.
    template <typename Worker, typename Signal>
    static std::shared_ptr<WorkerGate> closeAndQuitOn(Worker *worker, Signal done, QThread *thread)
    {
        auto gate = std::make_shared<WorkerGate>();
        QObject::connect(worker, done, thread, [gate, thread] {
            gate->close();
            thread->quit();
        }, Qt::DirectConnection);
        return gate;
    }

    void close()
    {
        const std::lock_guard lock(m_mutex);
        m_closed = true;
    }

private:
    std::mutex m_mutex;
    bool m_closed = false;
};

} // namespace PipeScope
