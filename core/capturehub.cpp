#include "capturehub.h"

#include <QMutexLocker>

#include <algorithm>

namespace PipeScope {

CaptureHub::CaptureHub(QObject *parent) : QObject(parent)
{
    qRegisterMetaType<TrafficBatch>();
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &CaptureHub::flush);
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
    flush();
}

void CaptureHub::flush()
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
    if (batch.isEmpty())
        return;
    // Interleave the threads' events by time. Each thread's own events are
    // already in time order, and a stable sort keeps them so.
    const auto earlier = [](const TrafficEvent &a, const TrafficEvent &b) {
        return a.timestampNs < b.timestampNs;
    };
    if (!std::is_sorted(batch.cbegin(), batch.cend(), earlier))
        std::stable_sort(batch.begin(), batch.end(), earlier);
    emit batchReady(batch);
}

} // namespace PipeScope
