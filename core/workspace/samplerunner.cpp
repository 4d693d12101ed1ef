#include "samplerunner.h"

#include "samplescenario.h"
#include "workspace.h"

namespace PipeScope {

SampleRunner::SampleRunner(Workspace *workspace, QObject *parent) : QObject(parent), m_workspace(workspace)
{
    connect(m_workspace, &Workspace::endpointChanged, this, &SampleRunner::follow);
}

void SampleRunner::start(const QString &pipeName)
{
    if (isStarted())
        return;
    ServerConfig server = SampleScenario::server();
    server.name = pipeName;
    m_server = m_workspace->addServer(server);
}

void SampleRunner::follow(quint32 id)
{
    if (m_done || (id != m_server && id != m_client) || id == 0)
        return;
    const Workspace::Endpoint *e = m_workspace->endpoint(id);
    if (!e)
        return;
    if (id == m_server && e->state == Workspace::State::Listening && !m_client) {
        ClientConfig client = SampleScenario::client();
        client.name = e->name;
        m_client = m_workspace->addClient(client);
    } else if (id == m_client && e->state == Workspace::State::Connected) {
        m_done = true;
        m_workspace->send(m_client, 0, SampleScenario::message());
        emit sent();
    } else if (e->state == Workspace::State::Failed) {
        m_done = true;
        emit failed(e->error);
    }
}

} // namespace PipeScope

#include "moc_samplerunner.cpp"
