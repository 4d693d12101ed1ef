#pragma once

#include "endpointconfig.h"
#include "sessionformat.h"
#include "trafficevent.h"

#include <QList>
#include <QMap>
#include <QSet>
#include <QObject>
#include <QPointer>

#include <memory>
#include <optional>

namespace PipeScope {

class CaptureHub;
class PipeClient;
class PipeServer;
class TrafficStore;

// Everything one PipeScope window works on: the capture hub, the store and
// the endpoints (servers and clients) the user created, with the state of
// each and of every server instance that ever connected. Lives in the GUI
// thread and never blocks it: endpoints start, connect and stop
// asynchronously, and report back through signals. No widgets.
//
// An endpoint is shown (endpointIds(), endpointAdded()) from the moment it
// first runs: a server listening, a client connected or queued for a busy
// pipe. An attempt that never ran — a name in use, no such pipe — is told
// through errorOccurred() only, stays out of the capture, and can be
// corrected and restarted or removed without a trace.
class Workspace : public QObject
{
    Q_OBJECT
public:
    enum class Kind { Server, Client };
    enum class State {
        Starting,   // server: creating the pipe
        Listening,  // server: accepting clients
        Connecting, // client: waiting for the pipe (WaitNamedPipe)
        Connected,  // client: connected; instance: its client is connected
        Stopping,
        Stopped,    // by the user, or the peer ended the connection
        Failed,     // see Endpoint::error
    };
    Q_ENUM(State)

    struct Instance
    {
        quint32 id = 0;
        State state = State::Connected;
        ConnectionInfo info;
        QString peerText; // a recorded session's description of the peer
        QString throttled; // while reading from the peer is paused: why
        bool disconnectedHere = false; // ended by Disconnect Instance, not by its client
        // A monitor's instance: the real server its client was passed on to.
        std::optional<ConnectionInfo> server;
    };

    struct Endpoint
    {
        quint32 id = 0;
        Kind kind = Kind::Server;
        QString name;    // as the user typed it
        QString address; // where it is: socket path, @name, or \\.\pipe\NAME
        State state = State::Stopped;
        QString error;   // the last error, in words
        ServerConfig server;
        ClientConfig client;
        ConnectionInfo info;             // client: what it connected to
        QString throttled;               // client: while reading is paused, why
        bool busy = false;               // client: connecting, every instance busy
        bool shown = false;              // it has run: in endpointIds() and sessions
        bool removed = false;            // removed by the user; its traffic stays
        bool replay = false;             // a replay's side: the replay runs it (addReplay())
        QList<Instance> instances;       // server: in the order they connected
        // The settings it ran with, each kept from when it took effect:
        // its first run's, then each run's that differed from the one
        // before (with sinceNs). What sessions record.
        QList<SessionEndpoint> ranWith;
    };

    explicit Workspace(QObject *parent = nullptr);
    // A recorded session, read-only: the store (adopted) and the endpoints
    // and instances as they were recorded. Nothing can be started or sent.
    Workspace(TrafficStore *recorded, const SessionHeader &header, QObject *parent = nullptr);
    // Stops and joins every endpoint's threads, then delivers what they
    // captured to the store.
    ~Workspace() override;

    CaptureHub *hub() const { return m_hub; }
    TrafficStore *store() const { return m_store; }
    bool isReadOnly() const { return m_readOnly; }
    // The endpoints' configurations, for a session file's header.
    SessionHeader sessionHeader() const;
    SessionEndpoint sessionEndpoint(quint32 endpoint) const;

    quint32 addServer(const ServerConfig &config);
    quint32 addClient(const ClientConfig &config);
    // A replay's side, shown as an endpoint of the window (`as`: a server
    // answering with the recorded replies, or a client sending the
    // recorded messages) whose traffic the replay captures itself and
    // hands over (replayCaptured()). It runs until replayEnded(); one that
    // never ran (no such pipe, a name in use) is not shown. It is
    // not restarted, sent to or reconfigured from here. A server's
    // instances come and go with its events. Read-only workspaces: 0.
    quint32 addReplay(const SessionEndpoint &as);
    // A replaying server listens: it is shown from now on. (A replaying
    // client is shown once its first connection's event comes.)
    void replayListening(quint32 endpoint, const QString &address);
    // In the GUI thread: the events (their endpoint set here) into the capture.
    void replayCaptured(quint32 endpoint, TrafficBatch batch);
    // Stopped, or failed with `error`.
    void replayEnded(quint32 endpoint, const QString &error);
    // Server: stop listening and disconnect its clients. Client: cancel the
    // wait or close the connection. The traffic stays.
    void stop(quint32 endpoint);
    // Disconnects one instance's client; its server goes on listening.
    bool disconnectInstance(quint32 endpoint, quint32 instance);
    // Takes an endpoint out of the workspace (stopping it first if it runs).
    // What it captured stays in the store and in sessions; one that never
    // ran leaves nothing behind.
    bool remove(quint32 endpoint);
    // Takes a server's ended instances out of the tree; their traffic
    // stays. Returns how many.
    int clearEnded(quint32 endpoint);
    // Instances of this server whose client is connected now.
    int connectedInstances(quint32 endpoint) const;
    static bool isRunning(State state);
    // Starts a stopped or failed endpoint again with the same configuration.
    void restart(quint32 endpoint);
    // A stopped or failed endpoint's new settings, for the next restart().
    bool reconfigure(quint32 endpoint, const ServerConfig &config);
    bool reconfigure(quint32 endpoint, const ClientConfig &config);

    // The endpoints shown, in the order they first ran.
    QList<quint32> endpointIds() const { return m_order; }
    const Endpoint *endpoint(quint32 id) const;
    const Instance *instance(quint32 endpoint, quint32 instance) const;

    // Why nothing can be sent to this endpoint (for a server: this instance)
    // now, in words; empty when sending is possible.
    QString sendBlocker(quint32 endpoint, quint32 instance = 0) const;
    // Queues a message; false (and errorOccurred) when sendBlocker() says no.
    bool send(quint32 endpoint, quint32 instance, const QByteArray &bytes);

    static QString stateName(State state);
    // An instance's state in words: "connected", "disconnected", "disconnected by you".
    static QString instanceStateName(const Instance &instance);
    // "\\.\pipe\mynamedpipe (message)" for servers, "→ mynamedpipe" for clients,
    // "app ⇄ app.real" for a monitor passing clients of app on to app.real.
    static QString title(const Endpoint &endpoint);
    // The title, told apart from earlier endpoints of the same title by
    // its place among them: "→ mynamedpipe", "→ mynamedpipe (2)". What the
    // tree, the tabs and the Endpoint column show.
    QString label(quint32 endpoint) const;

signals:
    // Shown: the endpoint has run for the first time.
    void endpointAdded(quint32 endpoint);
    // It runs again with settings other than the last run's: the change
    // is ranWith.last().
    void settingsChanged(quint32 endpoint);
    void endpointChanged(quint32 endpoint);
    // Around a shown endpoint's removal (still in endpointIds() before).
    void endpointAboutToBeRemoved(quint32 endpoint);
    void endpointRemoved(quint32 endpoint);
    void instanceAdded(quint32 endpoint, quint32 instance);
    void instanceChanged(quint32 endpoint, quint32 instance);
    void instanceAboutToBeRemoved(quint32 endpoint, quint32 instance);
    void instanceRemoved(quint32 endpoint, quint32 instance);
    // Stop was asked of a replay's side: its replay is to stop.
    void replayStopRequested(quint32 endpoint);
    // Shown where the user acted; `message` names the call and the reason.
    void errorOccurred(quint32 endpoint, const QString &message);

private:
    struct Live
    {
        PipeServer *server = nullptr;
        PipeClient *client = nullptr;
    };

    Endpoint &add(Kind kind, const QString &name);
    void startServer(Endpoint &endpoint);
    void startClient(Endpoint &endpoint);
    Endpoint *find(quint32 id);
    // The endpoint if it has ended (stopped or failed) and may be changed.
    Endpoint *ended(quint32 id);
    Instance *findInstance(quint32 endpoint, quint32 instance);
    void setState(quint32 endpoint, State state, const QString &error = {});
    void fail(quint32 endpoint, const QString &message);
    // The endpoint runs: show it (once), and note its settings if they
    // changed since it last ran.
    void ran(Endpoint &endpoint);
    // A replaying server's instance, as its events tell.
    void replayInstance(Endpoint &endpoint, const TrafficEvent &event);
    // Finishes a removal once the endpoint has ended.
    void finishRemoval(quint32 endpoint);

    CaptureHub *m_hub;
    TrafficStore *m_store;
    QMap<quint32, Endpoint> m_endpoints;
    QMap<quint32, Live> m_live;
    QSet<quint32> m_removeWhenEnded;
    QList<QPointer<QObject>> m_retired; // removed endpoints' servers and clients
    QList<quint32> m_order;
    quint32 m_nextId = 1;
    bool m_readOnly = false;
};

} // namespace PipeScope
