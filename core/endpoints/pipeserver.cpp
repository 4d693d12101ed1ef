#include "pipeserver.h"

#include "capturehub.h"
#include "descriptors.h"
#include "handlenotifier.h"
#include "pipeinstance.h"
#include "relayworker.h"

#include <QLoggingCategory>
#include <QThread>

Q_DECLARE_LOGGING_CATEGORY(lcWorker)

namespace PipeScope {

namespace {

// Accepts per wake-up, so that a connection storm cannot starve close().
constexpr int kAcceptBudget = 64;

// Descriptors kept free when accepting: a served client needs a few beyond
// its socket (its thread's event loop wake-up), and the process its own
// (the record, files, the window). Past this a client is refused, cleanly,
// instead of a thread failing to start its event loop — which GLib answers
// by aborting the process.
constexpr long kDescriptorReserve = 32;

void postServerEvent(CaptureHub *hub, quint32 endpoint, EventKind kind, const QString &text)
{
    TrafficEvent event;
    event.timestampNs = nowNs();
    event.endpoint = endpoint;
    event.kind = kind;
    event.payload = text.toUtf8();
    hub->post(TrafficBatch{std::move(event)});
}

} // namespace

// --- ListenerWorker ---------------------------------------------------------

ListenerWorker::~ListenerWorker()
{
    m_listener.reset();
    putBack();
}

bool ListenerWorker::interpose(const Native::PipeAddress &address)
{
    // The monitor listens as the server does: a client of a byte server
    // connects with a stream socket, one of a message server with records.
    if (const auto pipes = Native::listPipes(); pipes) {
        for (const Native::PipeEntry &pipe : pipes.value()) {
            if (pipe.name == address.display() && pipe.type) {
                m_config.options.type = *pipe.type;
                m_config.options.readMode =
                    *pipe.type == Native::PipeType::Message ? Native::ReadMode::Message : Native::ReadMode::Byte;
            }
        }
    }
    auto moved = Native::moveAside(address);
    if (!moved) {
        emit failed(QString::fromStdString(moved.error().message()));
        return false;
    }
    m_moved = moved.value();
    if (m_moved->sharedName) {
        // Windows: instances added to the server's own pipe.
        m_config.options.sharedName = true;
        m_config.options.firstInstance = false;
    }
    emit interposed(QString::fromStdString(m_moved->original), QString::fromStdString(m_moved->moved),
                    int(m_config.options.type));
    return true;
}

void ListenerWorker::putBack()
{
    if (!m_moved)
        return;
    const Native::MovedAside moved = *std::exchange(m_moved, std::nullopt);
    if (const Native::NativeError error = Native::putBack(moved); error.isError())
        emit refused(QStringLiteral("%1; pipescope monitor --restore %2 puts it back")
                         .arg(QString::fromStdString(error.message()), QString::fromStdString(moved.original)));
}

void ListenerWorker::open()
{
    auto name = Native::PipeName::parse(m_config.name.toStdString());
    if (!name) {
        emit failed(QString::fromStdString(name.error().message()));
        return;
    }
    if (m_config.interpose) {
        const auto address = Native::resolvePipeName(name.value(), m_config.options.convention);
        if (!address) {
            emit failed(QString::fromStdString(address.error().message()));
            return;
        }
        if (!interpose(address.value()))
            return;
    }
    auto listener = Native::Listener::create(name.value(), m_config.options);
    if (!listener) {
        putBack();
        emit failed(QString::fromStdString(listener.error().message()));
        return;
    }
    m_listener = std::move(listener.value());
    m_notifier = new HandleNotifier(m_listener->handle(), m_listener->handle(), this);
    connect(m_notifier, &HandleNotifier::readable, this, &ListenerWorker::onReadable);
    emit listening(QString::fromStdString(m_listener->address().display()));
}

void ListenerWorker::onReadable()
{
    for (int i = 0; m_listener && i < kAcceptBudget; ++i) {
        auto next = m_listener->accept();
        if (!next) {
            emit refused(QString::fromStdString(next.error().message()));
            continue;
        }
        if (!next.value())
            break;
        if (const long left = Native::descriptorHeadroom(); left < kDescriptorReserve) {
            const std::unique_ptr<Native::Connection> client = std::move(next.value());
            const QString who = describePeer(client->peer());
            client->close(0);
            m_listener->releaseInstance();
            emit refused(tr("refused a client (%1): only %2 file descriptors are left of the process's limit, "
                            "and serving it needs more; the clients already connected are served "
                            "(raise the limit: ulimit -n)")
                             .arg(who)
                             .arg(left));
            continue;
        }
        emit accepted(std::shared_ptr<Native::Connection>(std::move(next.value())), nowNs());
    }
    updateInterest();
}

void ListenerWorker::releaseInstance(std::shared_ptr<Native::Connection> ended)
{
    if (!m_listener)
        return;
    m_listener->releaseInstance(std::move(ended));
    updateInterest();
}

void ListenerWorker::rearm()
{
    if (!m_listener)
        return;
    m_listener->rearm();
    updateInterest();
}

void ListenerWorker::updateInterest()
{
    // At max instances the queue holds clients that must wait: stop
    // watching, or the notifier would fire without end.
    if (m_notifier && m_listener)
        m_notifier->setReadEnabled(m_listener->accepting());
}

void ListenerWorker::close()
{
    delete m_notifier;
    m_notifier = nullptr;
    m_listener.reset(); // removes the monitor's socket file first
    putBack();
    emit closed();
}

// --- PipeServer -------------------------------------------------------------

PipeServer::PipeServer(quint32 endpointId, CaptureHub *hub, QObject *parent)
    : QObject(parent), m_endpointId(endpointId), m_hub(hub)
{
    qRegisterMetaType<std::shared_ptr<Native::Connection>>();
    qRegisterMetaType<ConnectionInfo>();
}

PipeServer::~PipeServer()
{
    joinAll();
}

QList<quint32> PipeServer::instances() const
{
    QList<quint32> ids;
    for (const auto &[id, instance] : m_instances)
        ids.append(id);
    return ids;
}

int PipeServer::runningThreads() const
{
    return (m_listener ? 1 : 0) + int(m_instances.size());
}

void PipeServer::start(const ServerConfig &config, bool recordFailure)
{
    if (m_state == State::Listening || m_state == State::Starting || m_state == State::Stopping) {
        emit errorOccurred(QStringLiteral("the server is already running"));
        return;
    }
    // A listener that failed may still be winding down: join it first (it
    // only has its close left to run), so that no thread is left behind.
    joinListener();
    m_config = config;
    m_recordFailure = recordFailure;
    m_state = State::Starting;
    m_listener = std::make_unique<WorkerThread<ListenerWorker>>(QStringLiteral("listener %1").arg(m_endpointId));
    const quint64 generation = ++m_listenerGeneration;
    m_listener->whenEnded(this, [this, generation] {
        if (generation != m_listenerGeneration)
            return; // joined already, by a restart
        joinListener();
        maybeStopped();
    });
    const auto wire = [this](ListenerWorker *listener) {
        connect(listener, &ListenerWorker::listening, this, [this](const QString &address) {
            // Stopped while starting: the listener is closing already, and
            // the stop must not be undone (stopped() would never come).
            if (m_state != State::Starting)
                return;
            m_address = address;
            m_state = State::Listening;
            emit listening(address);
        });
        connect(listener, &ListenerWorker::failed, this, &PipeServer::onListenerFailed);
        connect(listener, &ListenerWorker::interposed, this,
                [this](const QString &original, const QString &moved, int type) {
                    // What the monitor's instances pass clients on to.
                    m_config.options.type = Native::PipeType(type);
                    m_config.options.readMode = m_config.options.type == Native::PipeType::Message
                                                    ? Native::ReadMode::Message
                                                    : Native::ReadMode::Byte;
                    if (m_config.relayTo) {
                        m_config.relayTo->name = moved;
                        m_config.relayTo->automaticConvention = false;
                        m_config.relayTo->options.type = m_config.options.type;
                    }
                    emit interposed(original, moved);
                });
        connect(listener, &ListenerWorker::refused, this, [this](const QString &message) {
            postServerEvent(m_hub, m_endpointId, EventKind::Error, message);
        });
        connect(listener, &ListenerWorker::accepted, this, &PipeServer::onAccepted);
    };
    m_listener->post(&ListenerWorker::open);
    if (!m_listener->start([config] { return std::make_unique<ListenerWorker>(config); }, &ListenerWorker::closed,
                           wire)) {
        m_listener.reset();
        onListenerFailed(tr("no thread could be started to listen"));
    }
}

void PipeServer::onListenerFailed(const QString &message)
{
    const bool starting = m_state == State::Starting;
    m_state = State::Failed;
    if (m_recordFailure || !starting)
        postServerEvent(m_hub, m_endpointId, EventKind::Error, message);
    if (m_listener)
        m_listener->post(&ListenerWorker::close);
    emit errorOccurred(message);
}

void PipeServer::onAccepted(std::shared_ptr<Native::Connection> connection, qint64 acceptedAtNs)
{
    if (m_state == State::Stopping) {
        connection->close(0);
        return;
    }
    const quint32 id = m_nextInstance++;
    Instance &instance = m_instances[id];
    instance.thread = std::make_unique<WorkerThread<InstanceWorker>>(QStringLiteral("instance %1.%2").arg(m_endpointId).arg(id));
    instance.thread->whenEnded(this, [this, id] { onInstanceThreadFinished(id); });
    instance.thread->post([connection, acceptedAtNs](InstanceWorker *worker) { worker->attach(connection, acceptedAtNs); });
    const auto make = [hub = m_hub, endpoint = m_endpointId, id, config = m_config,
                       cancel = instance.cancel]() -> std::unique_ptr<InstanceWorker> {
        if (config.relayTo)
            return std::make_unique<RelayWorker>(hub, endpoint, id, *config.relayTo, cancel);
        return std::make_unique<PipeInstance>(hub, endpoint, id, config);
    };
    const auto wire = [this, id](InstanceWorker *worker) {
        connect(worker, &InstanceWorker::peerConnected, this,
                [this, id](const ConnectionInfo &info) { emit instanceConnected(id, info); });
        connect(worker, &InstanceWorker::throttled, this,
                [this, id](bool throttled, const QString &why) { emit instanceThrottled(id, throttled, why); });
        if (auto *relay = qobject_cast<RelayWorker *>(worker)) {
            connect(relay, &RelayWorker::targetConnected, this,
                    [this, id](const ConnectionInfo &info) { emit instanceRelayed(id, info); });
            connect(relay, &RelayWorker::targetBusy, this, [this, id] { emit instanceWaitingForServer(id); });
            // A monitor sharing the server's pipe name listens again only
            // once its client has been passed on (Listener::rearm()).
            connect(relay, &RelayWorker::targetAttempted, this, [this] {
                if (m_listener)
                    m_listener->post(&ListenerWorker::rearm);
            });
        }
    };
    const auto atEnd = [ended = &instance.ended](InstanceWorker *worker) { *ended = worker->takeEnded(); };
    if (!instance.thread->start(make, &InstanceWorker::finished, wire, atEnd)) {
        // The system has no thread to spare (Qt has said why): refuse this
        // client and serve the others.
        m_instances.erase(id);
        const QString who = describePeer(connection->peer());
        connection->close(0);
        // (A monitor sharing its server's pipe listens again: this client
        // is not being passed on.)
        if (m_listener)
            m_listener->post([](ListenerWorker *listener) {
                listener->releaseInstance(nullptr);
                listener->rearm();
            });
        postServerEvent(m_hub, m_endpointId, EventKind::Error,
                        tr("refused a client (%1): no thread could be started to serve it").arg(who));
    }
}

void PipeServer::onInstanceThreadFinished(quint32 id)
{
    const auto it = m_instances.find(id);
    if (it == m_instances.end())
        return;
    it->second.thread->join();
    std::shared_ptr<Native::Connection> ended = std::move(it->second.ended);
    m_instances.erase(it);
    if (m_listener)
        m_listener->post([ended](ListenerWorker *listener) { listener->releaseInstance(ended); });
    emit instanceDisconnected(id);
    maybeStopped();
}

bool PipeServer::send(quint32 instance, const QByteArray &bytes)
{
    const auto it = m_instances.find(instance);
    if (it == m_instances.end())
        return false;
    return it->second.thread->post([bytes](InstanceWorker *worker) { worker->send(bytes); });
}

bool PipeServer::disconnectInstance(quint32 instance)
{
    const auto it = m_instances.find(instance);
    if (it == m_instances.end())
        return false;
    it->second.cancel->store(true);
    return it->second.thread->post(
        [](InstanceWorker *worker) { worker->shutdownBecause(QStringLiteral("disconnected by the user")); });
}

void PipeServer::stop()
{
    if (m_state == State::Idle || m_state == State::Stopping)
        return;
    m_state = State::Stopping;
    if (m_listener)
        m_listener->post(&ListenerWorker::close);
    for (const auto &[id, instance] : m_instances) {
        instance.cancel->store(true);
        instance.thread->post(&InstanceWorker::shutdown);
    }
    maybeStopped();
}

void PipeServer::maybeStopped()
{
    if (m_listener || !m_instances.empty())
        return;
    if (m_state == State::Stopping || m_state == State::Failed) {
        if (m_hub->thread() == QThread::currentThread())
            m_hub->flush();
        const bool wasStopping = m_state == State::Stopping;
        m_state = State::Idle;
        if (wasStopping)
            emit stopped();
    }
}

void PipeServer::joinListener()
{
    if (!m_listener)
        return;
    m_listener->join();
    m_listener.reset();
}

void PipeServer::joinAll()
{
    if (runningThreads() == 0)
        return;
    stop();
    // The workers finish their queued shutdown in their own threads; wait
    // for each, since nothing may outlive the server.
    joinListener();
    for (auto &[id, instance] : m_instances)
        instance.thread->join();
    m_instances.clear();
    m_state = State::Idle;
}

} // namespace PipeScope

#include "moc_pipeserver.cpp"
