#pragma once

#include "trafficevent.h"

#include <QElapsedTimer>
#include <QMutex>
#include <QObject>
#include <QTimer>

#include <atomic>

namespace PipeScope {

// Where every worker thread hands its traffic. Workers post whole batches
// (one lock per wake-up, never one queued signal per message); the hub lives
// in the consumer's thread and hands over what collected at most once per
// interval, so the GUI sees ~60 batches a second at any traffic rate. Each
// batch is in time order; one connection's events are never reordered.
// With a reorder window, events younger than the window are held back, so
// that a thread posting a little late still lands in time order across
// batches: the all-traffic view then reads in time order.
class CaptureHub : public QObject
{
    Q_OBJECT
public:
    explicit CaptureHub(QObject *parent = nullptr);

    // Thread-safe.
    void post(TrafficBatch &&batch);

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

    QMutex m_mutex;
    TrafficBatch m_pending;
    TrafficBatch m_held; // in time order, younger than the reorder window
    QElapsedTimer m_heldSince;
    qint64 m_reorderNs = 0;
    std::atomic<bool> m_wakePending{false};
    QTimer m_timer;
    QElapsedTimer m_sinceDelivery;
    int m_intervalMs = 16;
};

} // namespace PipeScope
