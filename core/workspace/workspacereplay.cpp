// A replay's side as an endpoint of the workspace: its events come from the
// replay (ReplayDialog), not from a PipeServer or PipeClient of its own.

#include "workspace.h"

#include "capturehub.h"

namespace PipeScope {

quint32 Workspace::addReplay(const SessionEndpoint &as)
{
    if (m_readOnly)
        return 0;
    const bool client = as.kind == SessionEndpoint::Kind::Client;
    Endpoint &endpoint = add(client ? Kind::Client : Kind::Server, as.name());
    endpoint.server = as.server;
    endpoint.client = as.client;
    endpoint.replay = true;
    // Shown once it runs, as any endpoint: a server listening
    // (replayListening()), a client connected (its first connection's event).
    const quint32 id = endpoint.id;
    setState(id, client ? State::Connecting : State::Starting);
    return id;
}

void Workspace::replayListening(quint32 id, const QString &address)
{
    Endpoint *e = find(id);
    if (!e || !e->replay || e->state != State::Starting)
        return;
    e->address = address;
    setState(id, State::Listening);
}

void Workspace::replayCaptured(quint32 id, TrafficBatch batch)
{
    Endpoint *e = find(id);
    if (!e || !e->replay || batch.isEmpty())
        return;
    for (TrafficEvent &event : batch) {
        event.endpoint = id;
        if (e->kind == Kind::Server && event.instance != 0)
            replayInstance(*e, event);
        else if (e->kind == Kind::Client && event.kind == EventKind::Connected && e->state == State::Connecting)
            setState(id, State::Connected);
    }
    m_hub->post(std::move(batch));
}

void Workspace::replayInstance(Endpoint &endpoint, const TrafficEvent &event)
{
    if (event.kind == EventKind::Connected) {
        Instance instance;
        instance.id = event.instance;
        instance.peerText = QString::fromUtf8(event.payload);
        endpoint.instances.append(instance);
        emit instanceAdded(endpoint.id, instance.id);
        emit endpointChanged(endpoint.id);
    } else if (event.kind == EventKind::Disconnected) {
        if (Instance *i = findInstance(endpoint.id, event.instance); i && i->state == State::Connected) {
            i->state = State::Stopped;
            emit instanceChanged(endpoint.id, i->id);
            emit endpointChanged(endpoint.id);
        }
    }
}

void Workspace::replayEnded(quint32 id, const QString &error)
{
    Endpoint *e = find(id);
    if (!e || !e->replay || !isRunning(e->state))
        return;
    for (Instance &i : e->instances)
        if (i.state == State::Connected) {
            i.state = State::Stopped;
            emit instanceChanged(id, i.id);
        }
    setState(id, error.isEmpty() ? State::Stopped : State::Failed, error);
}

} // namespace PipeScope
