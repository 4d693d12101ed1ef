#pragma once

#include "endpointconfig.h"
#include "nativepipe.h"
#include "payloadarena.h"
#include "trafficevent.h"

#include <QObject>

#include <memory>

namespace PipeScope {

class CaptureHub;
class HandleNotifier;

// One connected pipe, served in its own thread: reads as the handle becomes
// ready, writes what it is asked to, and reports every event to the capture
// hub. Created parentless, moved to its thread; all slots run there.
class ConnectionWorker : public QObject
{
    Q_OBJECT
public:
    ConnectionWorker(CaptureHub *hub, quint32 endpoint, quint32 instance);
    ~ConnectionWorker() override;

    quint32 endpoint() const { return m_endpoint; }
    quint32 instance() const { return m_instance; }

    // In the worker's thread: take over a pipe that connected at
    // `connectedAtNs` (nowNs() clock) and start serving it.
    void attach(std::shared_ptr<Native::Connection> connection, qint64 connectedAtNs);

    // In the worker's thread. Records the message as sent and queues it.
    void send(const QByteArray &bytes) { send(bytes, nullptr); }
    // In the worker's thread: read what is still there, flush, close.
    void shutdown();

    // After the worker's thread has ended: the disconnected pipe, for the
    // listener to reuse (Windows keeps the instance), or null.
    std::shared_ptr<Native::Connection> takeEnded() { return std::move(m_ended); }

signals:
    // Emitted in the worker's thread for every whole received message, for
    // code that must answer without a detour through another thread. The
    // array is the receiver's own copy.
    void messageReceived(const QByteArray &payload, quint32 parts);
    void peerConnected(const PipeScope::ConnectionInfo &info);
    // The connection is over; the worker may be deleted.
    void finished();

protected:
    // `payload` is a view into `block`; pass both on to keep the bytes.
    virtual void handleMessage(const QByteArray &payload, const std::shared_ptr<const PayloadBlock> &block);
    void send(const QByteArray &bytes, std::shared_ptr<const PayloadBlock> block);
    void record(Direction direction, EventKind kind, QByteArray payload, quint32 parts = 0,
                quint8 flags = NoFlags, std::shared_ptr<const PayloadBlock> block = nullptr);
    void recordError(const Native::NativeError &error);
    void flushEvents();

private:
    void onReadable();
    void onWritable();
    // Reads until the connection would block, or `budget` messages.
    void drain(int budget);
    void finish(const QString &why);
    void updateWriteInterest();

    CaptureHub *m_hub;
    const quint32 m_endpoint;
    const quint32 m_instance;
    std::shared_ptr<Native::Connection> m_connection;
    std::shared_ptr<Native::Connection> m_ended;
    HandleNotifier *m_notifier = nullptr;
    TrafficBatch m_batch;
    PayloadArena m_arena; // received messages, including one whose parts are still arriving
    bool m_inHandler = false;
    qint64 m_lastTimestamp = 0;
};

} // namespace PipeScope
