#pragma once

#include "capturesink.h"
#include "trafficevent.h"

#include <QElapsedTimer>
#include <QMutex>
#include <QObject>
#include <QTimer>

#include <atomic>
#include <functional>
#include <memory>

namespace PipeScope {

// Where every worker thread hands its traffic. Workers post whole batches
// (one lock per wake-up, never one queued signal per message); the hub lives
// in the consumer's thread and hands over what collected at most once per
// interval, so the GUI sees ~60 batches a second at any traffic rate. Each
// batch is in time order; one connection's events are never reordered.
// With a reorder window, events younger than the window are held back, so
// that a thread posting a little late still lands in time order across
// batches: the all-traffic view then reads in time order.
//
// Two more duties sit on the posting thread, so that they hold whatever the
// consumer does:
// - Write-ahead: with a log (a CaptureSink), post() appends the batch to it before
//   it returns, in the posting thread. A worker posts before it answers
//   what it read and before it reads further (ConnectionWorker).
// - A bound: what was posted and not yet handed over is limited
//   (setPendingLimit). Past it post() says so, and the worker stops
//   reading from its peer until whenRoom() calls it back, so the kernel's
//   flow control slows the peer down. Nothing is dropped.
class CaptureHub : public QObject
{
    Q_OBJECT
public:
    explicit CaptureHub(QObject *parent = nullptr);

    // Thread-safe. Appends the batch to the log first, if there is one.
    // False when the hub now holds more than its limit: stop reading, and
    // call whenRoom(). With `wake` false the consumer is not woken yet: a
    // worker answering what it read writes its answers first, then calls
    // wake(), so the answer does not wait for the consumer's thread to be
    // scheduled.
    bool post(TrafficBatch &&batch, bool wake = true);
    void wake();

    // Thread-safe: calls `resume` in `context`'s thread (queued) once the
    // hub holds less than its limit, at once if it already does. One
    // call-back per context; cancelRoom() withdraws it (a worker that ends).
    void whenRoom(QObject *context, std::function<void()> resume);
    void cancelRoom(QObject *context);

    // What was posted and not yet handed over: payload bytes plus each
    // event's own size. 32 MiB by default.
    void setPendingLimit(qint64 bytes);
    qint64 pendingLimit() const;
    qint64 pendingBytes() const;

    // Write-ahead to `log` from now on (thread-safe). After awaitLog(),
    // batches posted until setLog() are kept and written to it first, so a
    // log that is opened off the consumer's thread misses nothing.
    void awaitLog();
    void setLog(std::shared_ptr<CaptureSink> log);

    // In the hub's thread: hand over everything posted so far, now.
    void flush();

    // 16 ms by default: one display frame.
    void setInterval(int ms) { m_intervalMs = ms; }
    // 0 by default (deliver at once); the window uses a few frames' worth.
    void setReorderWindow(int ms) { m_reorderNs = qint64(ms) * 1000000; }

signals:
    void batchReady(const PipeScope::TrafficBatch &batch);

private:
    void deliver();
    void handOver(bool everything);
    // With m_mutex held:
    void wakeWaiters();
    void cancelRoomLocked(QObject *context);

    mutable QMutex m_mutex; // the members up to m_unlogged
    TrafficBatch m_pending;
    qint64 m_pendingBytes = 0;
    qint64 m_pendingLimit;
    QList<std::pair<QObject *, std::function<void()>>> m_waiters;
    std::shared_ptr<CaptureSink> m_log;
    bool m_awaitingLog = false;
    QList<TrafficBatch> m_unlogged;

    TrafficBatch m_held; // in time order, younger than the reorder window
    QElapsedTimer m_heldSince;
    qint64 m_reorderNs = 0;
    std::atomic<bool> m_wakePending{false};
    std::atomic<bool> m_urgentPending{false}; // a hand-over because the limit was passed
    QTimer m_timer;
    QElapsedTimer m_sinceDelivery;
    int m_intervalMs = 16;
};

} // namespace PipeScope
