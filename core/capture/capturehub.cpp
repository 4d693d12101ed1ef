#include "capturehub.h"

#include <QMutexLocker>

#include <algorithm>

namespace PipeScope {

namespace {

// Enough for a few frames of a 1 GB/s capture; past it, readers pause.
constexpr qint64 kDefaultPendingLimit = qint64(32) << 20;

qint64 sizeOf(const TrafficBatch &batch)
{
    qint64 bytes = 0;
    for (const TrafficEvent &e : batch)
        bytes += qint64(sizeof(TrafficEvent)) + e.payload.size();
    return bytes;
}

} // namespace

CaptureHub::CaptureHub(QObject *parent) : QObject(parent), m_pendingLimit(kDefaultPendingLimit)
{
    qRegisterMetaType<TrafficBatch>();
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, [this] { handOver(false); });
}

bool CaptureHub::post(TrafficBatch &&batch, bool wake)
{
    if (batch.isEmpty())
        return true;
    std::shared_ptr<CaptureSink> log;
    {
        QMutexLocker lock(&m_mutex);
        if (m_awaitingLog)
            m_unlogged.append(batch);
        log = m_log;
    }
    // Write-ahead, in this thread and outside the hub's lock: the log
    // serialises writers itself, and other threads keep posting.
    if (log)
        log->append(batch);
    const qint64 bytes = sizeOf(batch);
    bool room = true;
    {
        QMutexLocker lock(&m_mutex);
        if (m_pending.isEmpty())
            m_pending = std::move(batch);
        else
            m_pending.append(std::move(batch));
        m_pendingBytes += bytes;
        room = m_pendingBytes <= m_pendingLimit;
    }
    batch.clear();
    // Over the limit, what is held is handed over as soon as the consumer
    // can take it, not at the next interval: the limit bounds memory, and a
    // reader paused for a whole interval would cap the capture's rate at
    // limit / interval (2 GB/s), below what a byte pipe carries.
    if (!room && !m_urgentPending.exchange(true))
        QMetaObject::invokeMethod(this, [this] {
            m_urgentPending.store(false);
            handOver(false);
        }, Qt::QueuedConnection);
    else if (wake)
        this->wake();
    return room;
}

void CaptureHub::wake()
{
    // One wake-up in flight at a time, however many threads post.
    if (!m_wakePending.exchange(true))
        QMetaObject::invokeMethod(this, &CaptureHub::deliver, Qt::QueuedConnection);
}

void CaptureHub::whenRoom(QObject *context, std::function<void()> resume)
{
    QMutexLocker lock(&m_mutex);
    cancelRoomLocked(context);
    m_waiters.append({context, std::move(resume)});
    if (m_pendingBytes <= m_pendingLimit)
        wakeWaiters();
}

void CaptureHub::cancelRoom(QObject *context)
{
    QMutexLocker lock(&m_mutex);
    cancelRoomLocked(context);
}

void CaptureHub::cancelRoomLocked(QObject *context)
{
    m_waiters.removeIf([context](const auto &waiter) { return waiter.first == context; });
}

void CaptureHub::wakeWaiters()
{
    // Under the lock, so no context can be deleted meanwhile: a worker
    // cancels its call-back before it goes.
    for (auto &[context, resume] : m_waiters)
        QMetaObject::invokeMethod(context, std::move(resume), Qt::QueuedConnection);
    m_waiters.clear();
}

void CaptureHub::setPendingLimit(qint64 bytes)
{
    QMutexLocker lock(&m_mutex);
    m_pendingLimit = bytes;
    if (m_pendingBytes <= m_pendingLimit)
        wakeWaiters();
}

qint64 CaptureHub::pendingLimit() const
{
    QMutexLocker lock(&m_mutex);
    return m_pendingLimit;
}

qint64 CaptureHub::pendingBytes() const
{
    QMutexLocker lock(&m_mutex);
    return m_pendingBytes;
}

void CaptureHub::awaitLog()
{
    QMutexLocker lock(&m_mutex);
    m_awaitingLog = true;
}

void CaptureHub::setLog(std::shared_ptr<CaptureSink> log)
{
    // What was posted while the log was awaited goes first, under the
    // lock, so that no later batch of the same connection overtakes it.
    QMutexLocker lock(&m_mutex);
    if (log)
        for (TrafficBatch &batch : m_unlogged)
            log->append(batch); // handed over already: stays in memory
    m_unlogged.clear();
    m_awaitingLog = false;
    m_log = std::move(log);
}

void CaptureHub::deliver()
{
    const qint64 elapsed = m_sinceDelivery.isValid() ? m_sinceDelivery.elapsed() : m_intervalMs;
    if (elapsed < m_intervalMs) {
        if (!m_timer.isActive())
            m_timer.start(int(m_intervalMs - elapsed));
        return;
    }
    handOver(false);
}

void CaptureHub::flush()
{
    handOver(true);
}

void CaptureHub::handOver(bool everything)
{
    m_timer.stop();
    // Clear the flag before taking the batch, otherwise a post that lands
    // between the two would wait for the next one to be delivered.
    m_wakePending.store(false);
    TrafficBatch batch;
    {
        QMutexLocker lock(&m_mutex);
        batch.swap(m_pending);
        m_pendingBytes = 0;
        wakeWaiters();
    }
    m_sinceDelivery.start();
    if (batch.isEmpty() && m_held.isEmpty())
        return;
    // Interleave the threads' events by time. Each thread's own events are
    // already in time order, and a stable sort keeps them so.
    const auto earlier = [](const TrafficEvent &a, const TrafficEvent &b) {
        return a.timestampNs < b.timestampNs;
    };
    if (!std::is_sorted(batch.cbegin(), batch.cend(), earlier))
        std::stable_sort(batch.begin(), batch.end(), earlier);
    if (!m_held.isEmpty()) {
        // Held events first on equal times: a connection's held events
        // precede its newer ones.
        TrafficBatch merged;
        merged.reserve(m_held.size() + batch.size());
        std::merge(std::make_move_iterator(m_held.begin()), std::make_move_iterator(m_held.end()),
                   std::make_move_iterator(batch.begin()), std::make_move_iterator(batch.end()),
                   std::back_inserter(merged), earlier);
        m_held.clear();
        batch = std::move(merged);
    }
    // Held too long by the monotonic clock (the wall clock stepped back):
    // hand everything over rather than wait for the wall clock.
    if (m_heldSince.isValid() && m_heldSince.nsecsElapsed() > 2 * m_reorderNs)
        everything = true;
    m_heldSince.invalidate();
    if (!everything && m_reorderNs > 0) {
        const qint64 cutoff = nowNs() - m_reorderNs;
        const auto young = std::partition_point(batch.begin(), batch.end(),
                                                [cutoff](const TrafficEvent &e) { return e.timestampNs <= cutoff; });
        const qsizetype keep = young - batch.begin();
        if (keep < batch.size()) {
            m_held = batch.mid(keep);
            batch.resize(keep);
            m_heldSince.start();
            // Come back when the oldest held event is old enough.
            const qint64 waitNs = m_held.first().timestampNs - cutoff;
            m_timer.start(int(std::clamp<qint64>(waitNs / 1000000 + 1, 1, m_reorderNs / 1000000 + 1)));
        }
    }
    if (!batch.isEmpty())
        emit batchReady(batch);
}

} // namespace PipeScope

#include "moc_capturehub.cpp"
