#pragma once

#include "instanceworker.h"
#include "payloadarena.h"
#include "trafficevent.h"

#include <atomic>
#include <memory>
#include <vector>

namespace PipeScope {

class CaptureHub;
class HandleNotifier;

// One monitored conversation, in its own thread: the client a monitor
// accepted and the connection made for it to the real server (the
// target). What either sends is passed on to the other as soon as it is
// read — a message as one message, empty ones too; a byte stream as the
// bytes each read returns — and recorded once, as a server records it:
// client to server "in", server to client "out", each with the time it
// took to pass on (TrafficEvent::relayNs). A side that closes its end has
// the close passed on after everything it sent: on Unix as a half-close,
// so the other side may still answer; Windows pipes have none, so there
// the conversation ends.
//
// Bounded more tightly than ConnectionWorker: as a blocking relay would,
// it stops reading from one side as soon as the other side's pipe is full
// (a write had to be queued), so the backlog stays in the kernel's buffers
// and the sender is slowed by them; likewise while the capture is behind.
// A side whose pipe stays full for a second is said not to read
// (throttled()). The events of a wake-up are posted before the next read.
class RelayWorker : public InstanceWorker
{
    Q_OBJECT
public:
    RelayWorker(CaptureHub *hub, quint32 endpoint, quint32 instance, ClientConfig target,
                std::shared_ptr<std::atomic<bool>> cancel);
    ~RelayWorker() override;

    // Connects to the target — waiting while every instance of it is busy,
    // up to the target's wait time or until `cancel`, as the client would
    // have waited — then relays. A client the target does not take is
    // disconnected, as the target would have refused it.
    void attach(std::shared_ptr<Native::Connection> client, qint64 connectedAtNs) override;
    // A monitor passes on what its peers send and sends nothing of its
    // own: records why the message was not sent.
    void send(const QByteArray &bytes) override;
    void shutdownBecause(const QString &why) override;

signals:
    // The target took the client: the real server, as it is connected.
    void targetConnected(const PipeScope::ConnectionInfo &info);
    // The connection to the target was made or failed: the monitor's
    // listener may listen again (Native::ServerOptions::sharedName).
    void targetAttempted();
    // Every instance of the target was busy: the client waits for one
    // (WaitNamedPipe), said once per client.
    void targetBusy();

private:
    struct Leg
    {
        std::shared_ptr<Native::Connection> pipe;
        HandleNotifier *notifier = nullptr;
        PayloadArena arena;
        Direction direction = Direction::None; // what is read from this side is recorded as
        QString side;                          // "client" or "server", for the log
        bool readEnded = false;    // its peer closed its end: nothing more comes
        bool closePending = false; // the other's close goes on once the queue is empty
        bool otherFull = false;    // reading paused: the other side's queue is over the limit
        struct Passing
        {
            PayloadArena::Taken message;
            quint32 parts = 0;
            qint64 arrivedNs = 0;
        };
        std::vector<Passing> passing; // read, going on to the other side in one call (passOn)
    };
    static constexpr std::size_t kPassBatch = 64;
    enum Bound { Bounded, Unbounded };

    Leg &other(const Leg &leg) { return &leg == &m_client ? m_server : m_client; }
    void watch(Leg &leg);
    void onReadable(Leg &from);
    void pollForMore();
    static constexpr int kPollRounds = 16;
    void onWritable(Leg &to);
    // Reads from `from` and passes each message on, within a wake-up's
    // budget (and, when bounded, while the other side's queue has room).
    void pump(Leg &from, Bound bound = Bounded);
    void passOn(Leg &from);
    // `from`'s peer closed its end.
    void endOfInput(Leg &from);
    void passCloseOn(Leg &to);
    // A write to `gone` failed: its peer left. What it sent before is
    // passed on, then the conversation ends.
    void peerGone(Leg &gone);
    void updateInterest();
    void reportStall();
    void record(Direction direction, EventKind kind, QByteArray payload, qint64 atNs = 0, quint32 parts = 0,
                quint8 flags = NoFlags, std::shared_ptr<const PayloadBlock> block = nullptr, quint32 relayNs = 0);
    void recordError(const Native::NativeError &error);
    void flushEvents();
    void finish(const QString &why);

    CaptureHub *m_hub;
    const quint32 m_endpoint;
    const quint32 m_instance;
    const ClientConfig m_target;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    Leg m_client;
    Leg m_server;
    TrafficBatch m_batch;
    qint64 m_lastTimestamp = 0;
    bool m_captureBehind = false;
    bool m_finished = false;
    class QTimer *m_stall = nullptr;
};

} // namespace PipeScope
