#include "workspace.h"

#include "capturehub.h"
#include "pipeclient.h"
#include "pipeserver.h"
#include "trafficstore.h"


#include <algorithm>

namespace PipeScope {

namespace {
// Longer than a worker's read burst (4096 messages) takes.
constexpr int kReorderWindowMs = 20;
} // namespace

Workspace::Workspace(QObject *parent)
    : QObject(parent), m_hub(new CaptureHub(this)), m_store(new TrafficStore(this))
{
    connect(m_hub, &CaptureHub::batchReady, m_store, &TrafficStore::append);
    // A thread that posts a little late still lands in time order.
    m_hub->setReorderWindow(kReorderWindowMs);
}

Workspace::~Workspace()
{
    // Endpoints first: their threads post to the hub until they are joined.
    for (const Live &live : std::as_const(m_live)) {
        delete live.client;
        delete live.server;
    }
    m_live.clear();
    for (const QPointer<QObject> &retired : std::as_const(m_retired))
        delete retired.data();
    m_hub->flush();
}

Workspace::Endpoint &Workspace::add(Kind kind, const QString &name)
{
    const quint32 id = m_nextId++;
    Endpoint endpoint;
    endpoint.id = id;
    endpoint.kind = kind;
    endpoint.name = name;
    return *m_endpoints.insert(id, endpoint);
}

quint32 Workspace::addServer(const ServerConfig &config)
{
    Endpoint &endpoint = add(Kind::Server, config.name);
    endpoint.server = config;
    const quint32 id = endpoint.id;
    auto *server = new PipeServer(id, m_hub, this);
    m_live[id].server = server;
    connect(server, &PipeServer::listening, this, [this, id](const QString &address) {
        if (Endpoint *e = find(id))
            e->address = address;
        setState(id, State::Listening);
    });
    connect(server, &PipeServer::errorOccurred, this, [this, id](const QString &message) {
        const Endpoint *e = find(id);
        if (e && e->state == State::Starting)
            fail(id, message);
        else
            emit errorOccurred(id, message);
    });
    connect(server, &PipeServer::instanceConnected, this, [this, id](quint32 instance, const ConnectionInfo &info) {
        Endpoint *e = find(id);
        if (!e)
            return;
        Instance connected;
        connected.id = instance;
        connected.info = info;
        e->instances.append(connected);
        emit instanceAdded(id, instance);
        emit endpointChanged(id);
    });
    connect(server, &PipeServer::interposed, this, [this, id, server](const QString &, const QString &) {
        // What the monitor passes clients on to, and the type it took.
        if (Endpoint *e = find(id)) {
            e->server.relayTo = server->config().relayTo;
            e->server.options.type = server->config().options.type;
            e->server.options.readMode = server->config().options.readMode;
            emit endpointChanged(id);
        }
    });
    connect(server, &PipeServer::instanceRelayed, this, [this, id](quint32 instance, const ConnectionInfo &info) {
        if (Instance *i = findInstance(id, instance)) {
            i->server = info;
            emit instanceChanged(id, instance);
        }
    });
    connect(server, &PipeServer::instanceDisconnected, this, [this, id](quint32 instance) {
        if (Instance *i = findInstance(id, instance)) {
            i->state = State::Stopped;
            i->throttled.clear();
            emit instanceChanged(id, instance);
            emit endpointChanged(id);
        }
    });
    connect(server, &PipeServer::instanceThrottled, this,
            [this, id](quint32 instance, bool throttled, const QString &why) {
                if (Instance *i = findInstance(id, instance)) {
                    i->throttled = throttled ? why : QString();
                    emit instanceChanged(id, instance);
                }
            });
    connect(server, &PipeServer::stopped, this, [this, id] { setState(id, State::Stopped); });
    startServer(endpoint);
    return id;
}

quint32 Workspace::addClient(const ClientConfig &config)
{
    Endpoint &endpoint = add(Kind::Client, config.name);
    endpoint.client = config;
    const quint32 id = endpoint.id;
    auto *client = new PipeClient(id, m_hub, this);
    m_live[id].client = client;
    connect(client, &PipeClient::waitingForInstance, this, [this, id] {
        if (Endpoint *e = find(id)) {
            e->busy = true;
            ran(*e); // queued for a pipe that exists: it runs
            emit endpointChanged(id);
        }
    });
    connect(client, &PipeClient::connected, this, [this, id](const ConnectionInfo &info) {
        if (Endpoint *e = find(id)) {
            e->info = info;
            e->address = info.address;
            e->busy = false;
        }
        setState(id, State::Connected);
    });
    connect(client, &PipeClient::errorOccurred, this, [this, id](const QString &message) {
        const Endpoint *e = find(id);
        if (e && e->state == State::Connecting)
            fail(id, message);
        else
            emit errorOccurred(id, message);
    });
    connect(client, &PipeClient::throttled, this, [this, id](bool throttled, const QString &why) {
        if (Endpoint *e = find(id)) {
            e->throttled = throttled ? why : QString();
            emit endpointChanged(id);
        }
    });
    connect(client, &PipeClient::disconnected, this, [this, id] {
        Endpoint *e = find(id);
        if (e) {
            e->throttled.clear();
            e->busy = false;
        }
        if (e && e->state != State::Failed)
            setState(id, State::Stopped);
    });
    startClient(endpoint);
    return id;
}

void Workspace::startServer(Endpoint &endpoint)
{
    endpoint.error.clear();
    setState(endpoint.id, State::Starting);
    m_live[endpoint.id].server->start(endpoint.server, endpoint.shown);
}

void Workspace::startClient(Endpoint &endpoint)
{
    endpoint.error.clear();
    endpoint.busy = false;
    // Known once connected: the worker places the name, off this thread
    // (placing it looks at the file system, and "automatic" tries several).
    endpoint.address.clear();
    setState(endpoint.id, State::Connecting);
    m_live[endpoint.id].client->open(endpoint.client, endpoint.shown);
}

void Workspace::stop(quint32 id)
{
    const Endpoint *e = find(id);
    if (!e)
        return;
    if (e->replay && isRunning(e->state) && e->state != State::Stopping) {
        setState(id, State::Stopping);
        emit replayStopRequested(id); // replayEnded() follows
        return;
    }
    const Live live = m_live.value(id);
    if (live.server && (e->state == State::Listening || e->state == State::Starting)) {
        setState(id, State::Stopping);
        live.server->stop();
    } else if (live.client && (e->state == State::Connected || e->state == State::Connecting)) {
        setState(id, State::Stopping);
        live.client->close();
    }
}

bool Workspace::disconnectInstance(quint32 endpoint, quint32 instance)
{
    Instance *i = findInstance(endpoint, instance);
    const Live live = m_live.value(endpoint);
    if (!i || i->state != State::Connected || !live.server || !live.server->disconnectInstance(instance))
        return false;
    i->disconnectedHere = true;
    return true;
}

int Workspace::connectedInstances(quint32 endpoint) const
{
    const Endpoint *e = this->endpoint(endpoint);
    if (!e)
        return 0;
    return int(std::count_if(e->instances.cbegin(), e->instances.cend(),
                             [](const Instance &i) { return i.state == State::Connected; }));
}

int Workspace::clearEnded(quint32 endpoint)
{
    Endpoint *e = find(endpoint);
    if (!e || m_readOnly || e->removed)
        return 0;
    int cleared = 0;
    for (qsizetype at = e->instances.size() - 1; at >= 0; --at) {
        const quint32 instance = e->instances.at(at).id;
        if (e->instances.at(at).state == State::Connected)
            continue;
        emit instanceAboutToBeRemoved(endpoint, instance);
        e->instances.removeAt(at);
        emit instanceRemoved(endpoint, instance);
        ++cleared;
    }
    if (cleared)
        emit endpointChanged(endpoint);
    return cleared;
}

bool Workspace::remove(quint32 id)
{
    const Endpoint *e = find(id);
    if (!e || m_readOnly || e->removed)
        return false;
    if (isRunning(e->state)) {
        // Removed once it has stopped (setState sees to it).
        m_removeWhenEnded.insert(id);
        stop(id);
        return true;
    }
    finishRemoval(id);
    return true;
}

void Workspace::finishRemoval(quint32 id)
{
    m_removeWhenEnded.remove(id);
    const Live live = m_live.take(id);
    // Called from their own signals: deleted once those have returned (or
    // with the workspace, before its hub).
    for (QObject *object : {static_cast<QObject *>(live.server), static_cast<QObject *>(live.client)}) {
        if (object) {
            object->deleteLater();
            m_retired.append(object);
        }
    }
    Endpoint *e = find(id);
    if (!e)
        return;
    if (!e->shown) {
        m_endpoints.remove(id); // it never ran: nothing to keep
        return;
    }
    emit endpointAboutToBeRemoved(id);
    m_order.removeAll(id);
    e->removed = true;
    emit endpointRemoved(id);
}

bool Workspace::isRunning(State state)
{
    return state != State::Stopped && state != State::Failed;
}

Workspace::Endpoint *Workspace::ended(quint32 id)
{
    Endpoint *e = find(id);
    return !m_readOnly && e && !e->removed && !e->replay && !isRunning(e->state) ? e : nullptr;
}

void Workspace::restart(quint32 id)
{
    Endpoint *e = ended(id);
    if (!e)
        return;
    if (e->kind == Kind::Server)
        startServer(*e);
    else
        startClient(*e);
}

bool Workspace::reconfigure(quint32 id, const ServerConfig &config)
{
    Endpoint *e = ended(id);
    if (!e || e->kind != Kind::Server)
        return false;
    e->server = config;
    e->name = config.name;
    emit endpointChanged(id);
    return true;
}

bool Workspace::reconfigure(quint32 id, const ClientConfig &config)
{
    Endpoint *e = ended(id);
    if (!e || e->kind != Kind::Client)
        return false;
    e->client = config;
    e->name = config.name;
    emit endpointChanged(id);
    return true;
}

const Workspace::Endpoint *Workspace::endpoint(quint32 id) const
{
    const auto it = m_endpoints.constFind(id);
    return it == m_endpoints.constEnd() ? nullptr : &*it;
}

const Workspace::Instance *Workspace::instance(quint32 endpoint, quint32 instance) const
{
    return const_cast<Workspace *>(this)->findInstance(endpoint, instance);
}

Workspace::Endpoint *Workspace::find(quint32 id)
{
    const auto it = m_endpoints.find(id);
    return it == m_endpoints.end() ? nullptr : &*it;
}

Workspace::Instance *Workspace::findInstance(quint32 endpoint, quint32 instance)
{
    Endpoint *e = find(endpoint);
    if (!e)
        return nullptr;
    for (Instance &i : e->instances)
        if (i.id == instance)
            return &i;
    return nullptr;
}

QString Workspace::sendBlocker(quint32 endpoint, quint32 instance) const
{
    const Endpoint *e = this->endpoint(endpoint);
    if (!e)
        return tr("No endpoint selected");
    if (m_readOnly)
        return tr("A recorded session is read-only");
    if (e->removed)
        return tr("The endpoint was removed");
    if (e->replay)
        return tr("A replay's connection: the replay sends what was recorded");
    if (e->kind == Kind::Client) {
        switch (e->state) {
        case State::Connected: return {};
        case State::Connecting:
            return e->busy ? tr("Waiting for a free instance: every instance of the pipe is busy")
                           : tr("Waiting for the pipe: not connected yet");
        case State::Failed: return tr("Not connected: %1").arg(e->error);
        default: return tr("Not connected: the client is stopped");
        }
    }
    if (e->server.relayTo)
        return tr("A monitor passes on what its client and server send; it sends nothing of its own");
    if (e->server.options.direction == Native::PipeDirection::Inbound)
        return tr("The pipe is inbound: its server only reads");
    if (instance == 0)
        return tr("Choose an instance: a server sends to one connected client");
    const Instance *i = this->instance(endpoint, instance);
    if (!i)
        return tr("No such instance");
    if (i->state != State::Connected)
        return i->disconnectedHere ? tr("You disconnected instance %1's client").arg(instance)
                                   : tr("Instance %1's client has disconnected").arg(instance);
    return {};
}

bool Workspace::send(quint32 endpoint, quint32 instance, const QByteArray &bytes)
{
    const QString blocker = sendBlocker(endpoint, instance);
    if (!blocker.isEmpty()) {
        emit errorOccurred(endpoint, blocker);
        return false;
    }
    const Live live = m_live.value(endpoint);
    if (live.client) {
        live.client->send(bytes);
        return true;
    }
    return live.server && live.server->send(instance, bytes);
}

void Workspace::setState(quint32 id, State state, const QString &error)
{
    Endpoint *e = find(id);
    if (!e)
        return;
    e->state = state;
    if (!error.isEmpty())
        e->error = error;
    if (state == State::Listening || state == State::Connected)
        ran(*e);
    emit endpointChanged(id);
    if (!isRunning(state) && m_removeWhenEnded.contains(id))
        finishRemoval(id);
}

void Workspace::fail(quint32 id, const QString &message)
{
    setState(id, State::Failed, message);
    emit errorOccurred(id, message);
}

QString Workspace::stateName(State state)
{
    switch (state) {
    case State::Starting: return tr("starting");
    case State::Listening: return tr("listening");
    case State::Connecting: return tr("connecting");
    case State::Connected: return tr("connected");
    case State::Stopping: return tr("stopping");
    case State::Stopped: return tr("stopped");
    case State::Failed: return tr("failed");
    }
    return {};
}

QString Workspace::instanceStateName(const Instance &instance)
{
    // An instance ends when its connection does; its server goes on.
    if (instance.state != State::Stopped)
        return stateName(instance.state);
    return instance.disconnectedHere ? tr("disconnected by you") : tr("disconnected");
}

QString Workspace::label(quint32 id) const
{
    const Endpoint *e = endpoint(id);
    if (!e)
        return tr("endpoint %1").arg(id);
    const QString title = Workspace::title(*e);
    // Endpoints that never ran are not counted: the numbers stay as shown.
    int place = 1;
    for (const Endpoint &other : m_endpoints) {
        if (other.id >= id)
            break;
        place += other.shown && Workspace::title(other) == title;
    }
    return place == 1 ? title : QStringLiteral("%1 (%2)").arg(title).arg(place);
}

QString Workspace::title(const Endpoint &endpoint)
{
    if (endpoint.replay)
        return endpoint.kind == Kind::Client ? tr("\u2192 %1 (replay)").arg(endpoint.name)
                                             : tr("%1 (replay)").arg(endpoint.name);
    if (endpoint.kind == Kind::Client)
        return QStringLiteral("\u2192 %1").arg(endpoint.name);
    if (endpoint.server.relayTo)
        return QStringLiteral("%1 \u21C4 %2").arg(endpoint.name, endpoint.server.relayTo->name);
    return endpoint.name;
}

} // namespace PipeScope

#include "moc_workspace.cpp"
