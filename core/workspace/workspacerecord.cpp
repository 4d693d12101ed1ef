// What a workspace records of its endpoints: the settings each ran with,
// in time (a change of settings between runs is kept with when it took
// effect), the session header written from them, and a workspace rebuilt
// read-only from a recorded session's header and events.
#include "workspace.h"

#include "capturehub.h"
#include "endpointjson.h"
#include "trafficevent.h"
#include "trafficstore.h"

#include <QCoreApplication>

#include <algorithm>

namespace PipeScope {

Workspace::Workspace(TrafficStore *recorded, const SessionHeader &header, QObject *parent)
    : QObject(parent), m_hub(new CaptureHub(this)), m_store(recorded), m_readOnly(true)
{
    m_store->setParent(this);
    for (const SessionEndpoint &e : header.endpoints + header.changes) {
        if (Endpoint *known = find(e.id); known && e.sinceNs > 0) {
            // It ran again with these settings.
            known->ranWith.append(e);
            known->name = e.name();
            known->server = e.server;
            known->client = e.client;
            continue;
        }
        Endpoint endpoint;
        endpoint.id = e.id;
        // A monitor is a server here, its target in server.relayTo.
        endpoint.kind = e.kind == SessionEndpoint::Kind::Client ? Kind::Client : Kind::Server;
        endpoint.name = e.name();
        endpoint.server = e.server;
        endpoint.client = e.client;
        endpoint.state = State::Stopped;
        endpoint.shown = true;
        endpoint.ranWith = {e};
        // Declared again (reconfigured while recording): the last one counts.
        if (!m_endpoints.contains(e.id))
            m_order.append(e.id);
        m_endpoints.insert(e.id, endpoint);
        m_nextId = std::max(m_nextId, e.id + 1);
    }
    // Instances, and endpoints the header does not list, as the events show them.
    for (qsizetype row = 0; row < m_store->count(); ++row) {
        const TrafficStore::Record &r = m_store->record(row);
        Endpoint *e = find(r.endpoint);
        if (!e) {
            Endpoint endpoint;
            endpoint.id = r.endpoint;
            endpoint.kind = r.instance ? Kind::Server : Kind::Client;
            endpoint.name = tr("endpoint %1").arg(r.endpoint);
            endpoint.state = State::Stopped;
            endpoint.shown = true;
            e = &*m_endpoints.insert(r.endpoint, endpoint);
            m_order.append(r.endpoint);
        }
        if (r.instance == 0) {
            if (r.kind == EventKind::Connected && e->kind == Kind::Client)
                e->address = QString::fromUtf8(m_store->payload(row));
            continue;
        }
        Instance *instance = findInstance(r.endpoint, r.instance);
        if (!instance) {
            Instance ended;
            ended.id = r.instance;
            ended.state = State::Stopped;
            e->instances.append(ended);
            instance = &e->instances.last();
        }
        if (r.kind == EventKind::Connected)
            instance->peerText = QString::fromUtf8(m_store->payload(row));
    }
}

SessionEndpoint Workspace::sessionEndpoint(quint32 id) const
{
    SessionEndpoint s;
    const Endpoint *e = endpoint(id);
    if (!e)
        return s;
    s.id = e->id;
    s.kind = e->kind == Kind::Client           ? SessionEndpoint::Kind::Client
             : e->server.relayTo.has_value() ? SessionEndpoint::Kind::Monitor
                                             : SessionEndpoint::Kind::Server;
    s.server = e->server;
    s.client = e->client;
    return s;
}

SessionHeader Workspace::sessionHeader() const
{
    SessionHeader header;
    header.app = QCoreApplication::applicationVersion();
    // Every endpoint that ran, removed ones too: their traffic is in the
    // session. Each with the settings it ran with, in time.
    for (const Endpoint &e : m_endpoints) {
        if (!e.shown)
            continue;
        header.endpoints.append(e.ranWith.isEmpty() ? sessionEndpoint(e.id) : e.ranWith.first());
        header.changes.append(e.ranWith.mid(1));
    }
    std::stable_sort(header.changes.begin(), header.changes.end(),
                     [](const SessionEndpoint &a, const SessionEndpoint &b) { return a.sinceNs < b.sinceNs; });
    return header;
}

void Workspace::ran(Endpoint &endpoint)
{
    SessionEndpoint settings = sessionEndpoint(endpoint.id);
    if (endpoint.ranWith.isEmpty()) {
        endpoint.ranWith.append(settings);
    } else if (endpointToJson(endpoint.ranWith.last()) != endpointToJson(settings)) {
        settings.sinceNs = nowNs();
        endpoint.ranWith.append(settings);
        emit settingsChanged(endpoint.id);
    }
    if (endpoint.shown)
        return;
    endpoint.shown = true;
    m_order.append(endpoint.id);
    emit endpointAdded(endpoint.id);
}

} // namespace PipeScope
