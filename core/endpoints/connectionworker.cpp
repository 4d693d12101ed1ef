#include "connectionworker.h"

#include "capturehub.h"
#include "endpointconfig.h"
#include "handlenotifier.h"

#include <QLocale>
#include <QLoggingCategory>
#include <QMetaMethod>
#include <QTimer>

Q_LOGGING_CATEGORY(lcWorker, "pipescope.endpoints", QtWarningMsg)

namespace PipeScope {

ConnectionWorker::ConnectionWorker(CaptureHub *hub, quint32 endpoint, quint32 instance)
    : m_hub(hub), m_endpoint(endpoint), m_instance(instance)
{
}

ConnectionWorker::~ConnectionWorker()
{
    m_hub->cancelRoom(this);
    if (m_connection)
        m_connection->close(0);
}

void ConnectionWorker::attach(std::shared_ptr<Native::Connection> connection, qint64 connectedAtNs)
{
    m_connection = std::move(connection);
    // The connection is stamped when the system connected it, not when this
    // thread got to it; record() keeps later events from going earlier.
    m_lastTimestamp = connectedAtNs;
    record(Direction::None, EventKind::Connected, describePeer(m_connection->peer()).toUtf8());
    emit peerConnected(ConnectionInfo{m_connection->peer(), m_connection->type(),
                                      m_connection->readMode(),
                                      QString::fromStdString(m_connection->description())});
    // A flood of small messages is read a few dozen per system call.
    m_connection->setReadAhead(true);
    m_notifier = new HandleNotifier(m_connection->readHandle(), m_connection->writeHandle(), this);
    connect(m_notifier, &HandleNotifier::readable, this, &ConnectionWorker::onReadable);
    connect(m_notifier, &HandleNotifier::writable, this, &ConnectionWorker::onWritable);
    flushEvents();
    // Data may have arrived before the notifier existed.
    onReadable();
}

void ConnectionWorker::record(Direction direction, EventKind kind, QByteArray payload,
                              quint32 parts, quint8 flags, std::shared_ptr<const PayloadBlock> block)
{
    // Never earlier than this worker's previous event, even if the wall
    // clock steps back: the hub orders batches by time and must not
    // reorder one connection's events.
    m_lastTimestamp = kind == EventKind::Connected ? m_lastTimestamp : std::max(nowNs(), m_lastTimestamp);
    m_batch.append(TrafficEvent{.timestampNs = m_lastTimestamp, .endpoint = m_endpoint, .instance = m_instance,
                                .direction = direction, .kind = kind, .flags = flags, .parts = parts,
                                .payload = std::move(payload), .block = std::move(block)});
}

void ConnectionWorker::recordError(const Native::NativeError &error)
{
    qCDebug(lcWorker) << "endpoint" << m_endpoint << "instance" << m_instance
                      << error.message().c_str();
    record(Direction::None, EventKind::Error, QByteArray::fromStdString(error.message()));
}

void ConnectionWorker::flushEvents(bool wake)
{
    if (m_batch.isEmpty())
        return;
    const qsizetype size = m_batch.size();
    const bool room = m_hub->post(std::move(m_batch), wake);
    // The next wake-up likely brings as many events: grow once, not per event.
    m_batch = TrafficBatch();
    m_batch.reserve(std::min<qsizetype>(size, kReadBudget));
    if (!room && !(m_paused & CaptureBehind)) {
        setPaused(CaptureBehind, true);
        m_hub->whenRoom(this, [this] { setPaused(CaptureBehind, false); });
    }
}

void ConnectionWorker::handleMessage(const QByteArray &, const std::shared_ptr<const PayloadBlock> &) {}

std::size_t ConnectionWorker::queuedBytes() const
{
    return m_replyBytes + (m_connection ? m_connection->pendingWriteBytes() : 0);
}

void ConnectionWorker::setPaused(Pause reason, bool paused)
{
    const quint8 before = m_paused;
    m_paused = paused ? quint8(m_paused | reason) : quint8(m_paused & ~reason);
    if (m_paused == before)
        return;
    updateReadInterest();
    if (m_paused) {
        reportPaused(m_paused & PeerNotReading
                         ? tr("the peer does not read what is sent to it (%1 waiting); reading from it paused")
                               .arg(QLocale::c().formattedDataSize(qint64(queuedBytes())))
                         : tr("the capture is behind; reading paused until it catches up"));
        return;
    }
    reportResumed();
    // What arrived meanwhile is read now, not at the next notification.
    QMetaObject::invokeMethod(this, &ConnectionWorker::onReadable, Qt::QueuedConnection);
}

void ConnectionWorker::onReadable()
{
    if (m_paused)
        return; // queued before the pause
    drain(kReadBudget);
    commit();
}

void ConnectionWorker::commit()
{
    // Write-ahead: the hub (and its log) has every event of this wake-up,
    // the replies included, before the first reply reaches the peer. The
    // consumer is woken after the replies went, so they need not wait for
    // its thread.
    if (m_replies.isEmpty()) {
        flushEvents();
        return;
    }
    flushEvents(false);
    const auto replies = std::exchange(m_replies, {});
    m_replyBytes = 0;
    qsizetype written = 0;
    while (written < replies.size() && m_connection && write(replies[written].first))
        ++written;
    if (written < replies.size()) {
        recordUnsent(replies.size() - written);
        if (m_connection)
            peerGone();
    }
    updateWriteInterest();
    if (queuedBytes() > kWriteQueueLimit)
        setPaused(PeerNotReading, true);
    finishIfDelivered();
    flushEvents(); // errors of the writes
    m_hub->wake();
}

void ConnectionWorker::drain(int budget, Bound bound)
{
    // Past the write queue's limit a reply could not be kept: leave the
    // rest with the system until the peer reads.
    std::size_t bytes = 0;
    while (m_connection && !m_inputEnded && (bound == Unbounded || queuedBytes() <= kWriteQueueLimit) &&
           ((budget-- > 0 && bytes < kReadByteBudget) || m_connection->hasBufferedInput())) {
        const Native::ReadResult r = m_connection->read(m_arena);
        switch (r.status) {
        case Native::ReadStatus::WouldBlock:
            return;
        case Native::ReadStatus::Data: {
            bytes += r.size;
            const PayloadArena::Taken message = m_arena.take(r.size);
            record(Direction::In, EventKind::Data, message.bytes, r.parts, NoFlags, message.block);
            m_inHandler = true;
            if (isSignalConnected(QMetaMethod::fromSignal(&ConnectionWorker::messageReceived)))
                emit messageReceived(QByteArray(message.bytes.constData(), message.bytes.size()), r.parts);
            handleMessage(message.bytes, message.block);
            m_inHandler = false;
            break;
        }
        case Native::ReadStatus::Closed:
            if (r.size > 0) {
                const PayloadArena::Taken partial = m_arena.take(r.size);
                record(Direction::In, EventKind::Data, partial.bytes, r.parts, Incomplete, partial.block);
                record(Direction::None, EventKind::Error,
                       QStringLiteral("%1: the peer closed the pipe in the middle of a message; "
                                      "the %2 bytes (%3 parts) that arrived are kept")
                           .arg(QString::fromStdString(m_connection->description()))
                           .arg(r.size)
                           .arg(r.parts)
                           .toUtf8());
            }
            endOfInput();
            return;
        case Native::ReadStatus::Failed:
            if (r.error.code == Native::ErrorCode::MessageTooLarge) {
                const PayloadArena::Taken kept = m_arena.take(r.size);
                record(Direction::In, EventKind::Data, kept.bytes, r.parts, Truncated, kept.block);
                recordError(r.error);
                break;
            }
            recordError(r.error);
            finish(QStringLiteral("read failed"));
            return;
        }
    }
}

void ConnectionWorker::send(const QByteArray &bytes, std::shared_ptr<const PayloadBlock> block)
{
    if (!m_connection) {
        record(Direction::None, EventKind::Error,
               QByteArrayLiteral("cannot send: the pipe is not connected"));
        flushEvents();
        return;
    }
    // Parts: the records it goes out in, when more than one (Linux, very large).
    record(Direction::Out, EventKind::Data, bytes, m_connection->recordsFor(std::size_t(bytes.size())), NoFlags, block);
    if (m_inHandler) {
        // An answer to what is being read: it goes out with the rest of
        // the wake-up, after its events are posted (commit()).
        m_replyBytes += std::size_t(bytes.size());
        m_replies.append({bytes, std::move(block)});
        return;
    }
    flushEvents(false); // the log has it before the peer does
    if (!write(bytes))
        peerGone();
    updateWriteInterest();
    if (queuedBytes() > kWriteQueueLimit)
        setPaused(PeerNotReading, true);
    flushEvents();
    m_hub->wake();
}

bool ConnectionWorker::write(const QByteArray &bytes)
{
    const Native::NativeError error = m_connection->write(std::string_view(bytes.constData(), std::size_t(bytes.size())));
    if (!error.isError())
        return true;
    recordError(error);
    return error.code != Native::ErrorCode::Disconnected;
}

void ConnectionWorker::peerGone()
{
    // Whatever the peer sent before it left is still to be read, however
    // much waits to be sent: nothing more will go.
    while (m_connection && !m_inputEnded) {
        const qsizetype before = m_batch.size();
        drain(kReadBudget, Unbounded);
        if (m_batch.size() == before)
            break;
    }
    if (m_connection)
        finish(QStringLiteral("closed by the peer"));
}

void ConnectionWorker::endOfInput()
{
    m_inputEnded = true;
    updateReadInterest();
    if (!m_connection->hasPendingWrites() && m_replies.isEmpty()) {
        finish(QStringLiteral("closed by the peer"));
        return;
    }
    // The caller's commit() writes the replies; onWritable() the rest.
    m_deliverTimer = new QTimer(this);
    m_deliverTimer->setSingleShot(true);
    connect(m_deliverTimer, &QTimer::timeout, this, [this] {
        if (!m_connection)
            return;
        record(Direction::None, EventKind::Error,
               QStringLiteral("%1 not delivered: the peer closed its end and did not read it within %2 ms")
                   .arg(QLocale::c().formattedDataSize(qint64(queuedBytes())))
                   .arg(kDeliverTimeoutMs)
                   .toUtf8());
        finish(QStringLiteral("closed by the peer"), 0);
    });
    m_deliverTimer->start(kDeliverTimeoutMs);
}

void ConnectionWorker::finishIfDelivered()
{
    if (m_inputEnded && m_connection && m_replies.isEmpty() && !m_connection->hasPendingWrites())
        finish(QStringLiteral("closed by the peer"));
}

void ConnectionWorker::recordUnsent(qsizetype answers)
{
    if (answers == 0)
        return;
    record(Direction::None, EventKind::Error,
           (answers == 1 ? QStringLiteral("an answer recorded above was not sent: the pipe closed first")
                         : QStringLiteral("%1 answers recorded above were not sent: the pipe closed first").arg(answers))
               .toUtf8());
}

void ConnectionWorker::onWritable()
{
    if (!m_connection)
        return;
    const Native::NativeError error = m_connection->flush();
    if (error.isError()) {
        // The pipe cannot take more: said once, and the connection ends
        // (a broken pipe stays writable, and would say it for ever).
        recordError(error);
        if (error.code == Native::ErrorCode::Disconnected)
            peerGone();
        else
            finish(QStringLiteral("write failed"));
        return;
    }
    updateWriteInterest();
    if ((m_paused & PeerNotReading) && queuedBytes() <= kWriteQueueLimit / 2)
        setPaused(PeerNotReading, false);
    finishIfDelivered();
}

void ConnectionWorker::updateWriteInterest()
{
    if (m_notifier && m_connection)
        m_notifier->setWriteEnabled(m_connection->hasPendingWrites());
}

void ConnectionWorker::updateReadInterest()
{
    if (m_notifier)
        m_notifier->setReadEnabled(m_paused == 0 && !m_inputEnded);
}

void ConnectionWorker::shutdownBecause(const QString &why)
{
    if (!m_connection) {
        emit finished();
        return;
    }
    // Nothing the peer already sent is lost: read it all before closing.
    while (m_connection) {
        const int before = int(m_batch.size());
        drain(kReadBudget);
        const bool readMore = int(m_batch.size()) != before;
        commit();
        if (!readMore)
            break;
    }
    if (m_connection)
        finish(why);
    flushEvents();
}

void ConnectionWorker::finish(const QString &why, int flushTimeoutMs)
{
    delete m_notifier;
    m_notifier = nullptr;
    if (m_deliverTimer)
        m_deliverTimer->stop();
    stopReporting();
    m_hub->cancelRoom(this);
    recordUnsent(m_replies.size());
    m_replies.clear();
    m_replyBytes = 0;
    if (m_connection) {
        // FlushFileBuffers, DisconnectNamedPipe; the owner decides whether
        // the instance is reused or closed.
        m_connection->disconnect(flushTimeoutMs);
        m_ended = std::move(m_connection);
    }
    record(Direction::None, EventKind::Disconnected, why.toUtf8());
    flushEvents();
    emit finished();
}

} // namespace PipeScope

#include "moc_connectionworker.cpp"
