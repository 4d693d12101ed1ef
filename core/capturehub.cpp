#include "capturehub.h"

#include <QMutexLocker>

#include <algorithm>

namespace PipeScope {

CaptureHub::CaptureHub(QObject *parent) : QObject(parent)
{
    qRegisterMetaType<TrafficBatch>();
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, [this] { handOver(false); });
}

void CaptureHub::post(TrafficBatch &&batch)
{
    if (batch.isEmpty())
        return;
    {
        QMutexLocker lock(&m_mutex);
        if (m_pending.isEmpty())
            m_pending = std::move(batch);
        else
            m_pending.append(std::move(batch));
    }
    batch.clear();
    // One wake-up in flight at a time, however many threads post.
    if (!m_wakePending.exchange(true))
        QMetaObject::invokeMethod(this, &CaptureHub::deliver, Qt::QueuedConnection);
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
