#pragma once

#include "endpointconfig.h"
#include "interpose.h"

#include "workerthread.h"

#include <QObject>

#include <atomic>
#include <map>
#include <memory>

namespace PipeScope {

class CaptureHub;
class InstanceWorker;
class ListenerWorker;

// A named pipe server, as in the multithreaded sample: a listening thread
// that accepts clients while fewer than max instances are connected, and
// one thread per connected instance. Lives in its owner's thread (usually
// the GUI's) and never blocks it, except the destructor, which stops and
// joins every thread it started. With ServerConfig::relayTo it is a
// monitor: each instance's thread passes its client on to the target
// (RelayWorker) instead of serving it (PipeInstance).
class PipeServer : public QObject
{
    Q_OBJECT
public:
    enum class State { Idle, Starting, Listening, Stopping, Failed };
    Q_ENUM(State)

    PipeServer(quint32 endpointId, CaptureHub *hub, QObject *parent = nullptr);
    ~PipeServer() override;

    quint32 endpointId() const { return m_endpointId; }
    const ServerConfig &config() const { return m_config; }
    State state() const { return m_state; }
    QString address() const { return m_address; }
    QList<quint32> instances() const;
    // Threads this server has started that have not yet been joined.
    int runningThreads() const;

    // Asynchronous: listening() or errorOccurred() follows. A failure to
    // start goes into the capture only when `recordFailure` (an endpoint
    // the user has not yet seen run keeps it out of its log).
    void start(const ServerConfig &config, bool recordFailure = true);
    // Asynchronous: closes the name and every instance, reading what they
    // still have; stopped() follows once every thread has ended.
    void stop();
    // Queues a message on an instance; false if it does not exist.
    bool send(quint32 instance, const QByteArray &bytes);
    // Disconnects one instance's client (DisconnectNamedPipe), reading what
    // it had already sent first; the server goes on listening.
    // instanceDisconnected() follows. False if there is no such instance.
    bool disconnectInstance(quint32 instance);

signals:
    void listening(const QString &address);
    void errorOccurred(const QString &message);
    void instanceConnected(quint32 instance, const PipeScope::ConnectionInfo &info);
    // A monitor's instance was passed on: the real server it reached.
    void instanceRelayed(quint32 instance, const PipeScope::ConnectionInfo &server);
    // A monitor's instance waits: every instance of the real server is busy.
    void instanceWaitingForServer(quint32 instance);
    // An interposing monitor moved the server's socket at `original` to
    // `moved` (before listening()); it is put back when the server stops.
    // On Windows `moved` is `original`: the monitor added instances to it.
    void interposed(const QString &original, const QString &moved);
    void instanceDisconnected(quint32 instance);
    // An instance stopped reading from its client (`throttled`, why in
    // words) or resumed (ConnectionWorker::throttled).
    void instanceThrottled(quint32 instance, bool throttled, const QString &why);
    void stopped();

private:
    struct Instance
    {
        std::unique_ptr<WorkerThread<InstanceWorker>> thread;
        // Stops a monitor's wait for a busy target.
        std::shared_ptr<std::atomic<bool>> cancel = std::make_shared<std::atomic<bool>>(false);
        // The instance's pipe once it has ended, for reuse: set in the
        // instance's thread as it ends, read after join.
        std::shared_ptr<Native::Connection> ended;
    };

    void onAccepted(std::shared_ptr<Native::Connection> connection, qint64 acceptedAtNs);
    void onInstanceThreadFinished(quint32 instance);
    void onListenerFailed(const QString &message);
    void maybeStopped();
    void joinListener();
    void joinAll();

    const quint32 m_endpointId;
    CaptureHub *m_hub;
    ServerConfig m_config;
    State m_state = State::Idle;
    bool m_recordFailure = true;
    QString m_address;
    std::unique_ptr<WorkerThread<ListenerWorker>> m_listener;
    quint64 m_listenerGeneration = 0; // which start() the listener thread is from
    std::map<quint32, Instance> m_instances;
    quint32 m_nextInstance = 1;
};

// The listening half, in its own thread: owns the native listener and
// accepts as clients arrive.
class ListenerWorker : public QObject
{
    Q_OBJECT
public:
    explicit ListenerWorker(ServerConfig config) : m_config(std::move(config)) {}
    ~ListenerWorker() override;

    void open();
    void releaseInstance(std::shared_ptr<PipeScope::Native::Connection> ended);
    // A relayed client was passed on (or could not be): Listener::rearm().
    void rearm();
    void close();

signals:
    // ServerConfig::interpose: the server's socket was moved; the monitor
    // listens as `type` (the server's).
    void interposed(const QString &original, const QString &moved, int type);
    void listening(const QString &address);
    void failed(const QString &message);
    void accepted(std::shared_ptr<PipeScope::Native::Connection> connection, qint64 acceptedAtNs);
    void refused(const QString &message);
    void closed();

private:
    void onReadable();
    void updateInterest();
    // Moves the server's socket aside for an interposing monitor; false
    // (with failed()) when it cannot be.
    bool interpose(const Native::PipeAddress &address);
    // Puts a moved socket back; a failure is said with refused().
    void putBack();

    ServerConfig m_config;
    std::optional<Native::MovedAside> m_moved;
    std::unique_ptr<Native::Listener> m_listener;
    class HandleNotifier *m_notifier = nullptr;
};

} // namespace PipeScope

Q_DECLARE_METATYPE(std::shared_ptr<PipeScope::Native::Connection>)
