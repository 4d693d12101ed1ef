#include "replayinwindow.h"

#include "replaycapture.h"
#include "workspace.h"

namespace PipeScope {

ReplayInWindow::ReplayInWindow(Workspace *workspace, QObject *parent) : QObject(parent), m_workspace(workspace)
{
    connect(workspace, &Workspace::replayStopRequested, this, [this](quint32 endpoint) {
        if (endpoint != 0 && endpoint == m_endpoint)
            emit stopRequested();
    });
}

void ReplayInWindow::begin(const SessionEndpoint &as)
{
    end({});
    m_endpoint = m_workspace ? m_workspace->addReplay(as) : 0;
}

std::function<void(TrafficEvent)> ReplayInWindow::clientCapture(const std::atomic<bool> *cancel)
{
    if (!m_endpoint)
        return {};
    return replayCapturePoster(
        this,
        [workspace = m_workspace, id = m_endpoint](TrafficBatch batch) {
            if (workspace)
                workspace->replayCaptured(id, std::move(batch));
        },
        cancel);
}

void ReplayInWindow::serverListening(const QString &address)
{
    if (m_workspace && m_endpoint)
        m_workspace->replayListening(m_endpoint, address);
}

void ReplayInWindow::serverCaptured(const TrafficBatch &batch)
{
    if (m_workspace && m_endpoint)
        m_workspace->replayCaptured(m_endpoint, batch);
}

void ReplayInWindow::end(const QString &error)
{
    if (m_workspace && m_endpoint)
        m_workspace->replayEnded(m_endpoint, error);
    m_endpoint = 0;
}

} // namespace PipeScope

#include "moc_replayinwindow.cpp"
