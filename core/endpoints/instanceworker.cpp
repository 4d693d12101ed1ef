#include "instanceworker.h"

#include <QTimer>

namespace PipeScope {

namespace {

// How long reading must go on before a throttled connection says it
// resumed: a flood pauses and resumes many times a second.
constexpr int kResumeQuietMs = 1000;

} // namespace

void InstanceWorker::reportPaused(const QString &why)
{
    if (m_resumeTimer)
        m_resumeTimer->stop();
    if (m_saidThrottled)
        return;
    m_saidThrottled = true;
    emit throttled(true, why);
}

void InstanceWorker::reportResumed()
{
    if (!m_saidThrottled)
        return;
    if (!m_resumeTimer) {
        m_resumeTimer = new QTimer(this);
        m_resumeTimer->setSingleShot(true);
        m_resumeTimer->setInterval(kResumeQuietMs);
        connect(m_resumeTimer, &QTimer::timeout, this, [this] {
            m_saidThrottled = false;
            emit throttled(false, QString());
        });
    }
    m_resumeTimer->start();
}

void InstanceWorker::stopReporting()
{
    delete m_resumeTimer;
    m_resumeTimer = nullptr;
}

} // namespace PipeScope

#include "moc_instanceworker.cpp"
