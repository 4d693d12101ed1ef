#pragma once

#include "instanceworker.h"
#include "payloadarena.h"
#include "trafficevent.h"

#include <QObject>

#include <memory>
#include <utility>

namespace PipeScope {

class CaptureHub;
class HandleNotifier;

// One connected pipe, served in its own thread: reads as the handle becomes
// ready, writes what it is asked to, and reports every event to the capture
// hub. Created parentless, moved to its thread; all slots run there.
//
// Nothing it read or answered is lost to a kill: the events of a wake-up are
// posted to the hub — which writes them ahead to its log — before any reply
// to them is written and before the next read. Its memory is bounded: when
// more than kWriteQueueLimit waits to go to a peer that does not read, or
// the hub is over its limit, it stops reading from its peer until there is
// room again, so the kernel's flow control slows the peer down. It says so
// with throttled().
class ConnectionWorker : public InstanceWorker
{
    Q_OBJECT
public:
    // After the peer's end of input, how long what is still queued for it
    // may take to be read before the connection ends without it.
    static constexpr int kDeliverTimeoutMs = 5000;

    ConnectionWorker(CaptureHub *hub, quint32 endpoint, quint32 instance);
    ~ConnectionWorker() override;

    quint32 endpoint() const { return m_endpoint; }
    quint32 instance() const { return m_instance; }

    void attach(std::shared_ptr<Native::Connection> connection, qint64 connectedAtNs) override;

    void send(const QByteArray &bytes) override { send(bytes, nullptr); }
    void shutdownBecause(const QString &why) override;

signals:
    // Emitted in the worker's thread for every whole received message, for
    // code that must answer without a detour through another thread. The
    // array is the receiver's own copy.
    void messageReceived(const QByteArray &payload, quint32 parts);

protected:
    // `payload` is a view into `block`; pass both on to keep the bytes.
    virtual void handleMessage(const QByteArray &payload, const std::shared_ptr<const PayloadBlock> &block);
    void send(const QByteArray &bytes, std::shared_ptr<const PayloadBlock> block);
    void record(Direction direction, EventKind kind, QByteArray payload, quint32 parts = 0,
                quint8 flags = NoFlags, std::shared_ptr<const PayloadBlock> block = nullptr);
    void recordError(const Native::NativeError &error);
    // Posts what was recorded; `wake` false leaves waking the consumer to
    // a later CaptureHub::wake().
    void flushEvents(bool wake = true);

private:
    enum Pause : quint8 {
        PeerNotReading = 1, // the write queue is over its limit
        CaptureBehind = 2,  // the hub is over its limit
    };

    void onReadable();
    void onWritable();
    // Reads until the connection would block, `budget` messages, or (when
    // bounded) the write queue's limit.
    enum Bound { Bounded, Unbounded };
    void drain(int budget, Bound bound = Bounded);
    // The peer went away: read what it left, then finish.
    void peerGone();
    // The peer sends no more (it closed, or half-closed its end), but may
    // still read: what was decided is still written, as the seed's server
    // does FlushFileBuffers before DisconnectNamedPipe, and the connection
    // ends once it is delivered or kDeliverTimeoutMs passed.
    void endOfInput();
    void finishIfDelivered();
    // Posts what was recorded, then writes the replies it holds.
    void commit();
    // False when the peer is gone and the bytes did not go.
    bool write(const QByteArray &bytes);
    // Answers recorded as sent that never went: the pipe closed first.
    void recordUnsent(qsizetype answers);
    void finish(const QString &why, int flushTimeoutMs = 1000);
    void updateWriteInterest();
    void updateReadInterest();
    void setPaused(Pause reason, bool paused);
    std::size_t queuedBytes() const;

    CaptureHub *m_hub;
    const quint32 m_endpoint;
    const quint32 m_instance;
    std::shared_ptr<Native::Connection> m_connection;
    HandleNotifier *m_notifier = nullptr;
    TrafficBatch m_batch;
    PayloadArena m_arena; // received messages, including one whose parts are still arriving
    // Replies decided while reading, written once their events are posted.
    QList<std::pair<QByteArray, std::shared_ptr<const PayloadBlock>>> m_replies;
    std::size_t m_replyBytes = 0;
    bool m_inHandler = false;
    bool m_inputEnded = false;
    QTimer *m_deliverTimer = nullptr; // bounds the delivery after the end of input
    quint8 m_paused = 0;      // Pause bits
    qint64 m_lastTimestamp = 0;
};

} // namespace PipeScope
