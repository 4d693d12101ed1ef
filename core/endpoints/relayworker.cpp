#include "relayworker.h"

#include "capturehub.h"
#include "handlenotifier.h"
#include "units.h"

#include <QLocale>
#include <QTimer>

#include <algorithm>
#include <array>
#include <limits>

namespace PipeScope {

namespace {

// How long a side's pipe must stay full before the monitor says that side
// does not read.
constexpr int kStallMs = 1000;

} // namespace

RelayWorker::RelayWorker(CaptureHub *hub, quint32 endpoint, quint32 instance, ClientConfig target,
                         std::shared_ptr<std::atomic<bool>> cancel)
    : m_hub(hub), m_endpoint(endpoint), m_instance(instance), m_target(std::move(target)), m_cancel(std::move(cancel))
{
    m_client.direction = Direction::In;
    m_client.side = QStringLiteral("client");
    m_server.direction = Direction::Out;
    m_server.side = QStringLiteral("server");
}

RelayWorker::~RelayWorker()
{
    m_hub->cancelRoom(this);
    if (m_server.pipe)
        m_server.pipe->close(0);
    if (m_client.pipe)
        m_client.pipe->close(0);
}

void RelayWorker::attach(std::shared_ptr<Native::Connection> client, qint64 connectedAtNs)
{
    m_client.pipe = std::move(client);
    m_lastTimestamp = connectedAtNs;
    const QString clientText = describePeer(m_client.pipe->peer());
    emit peerConnected(ConnectionInfo{m_client.pipe->peer(), m_client.pipe->type(), m_client.pipe->readMode(),
                                      QString::fromStdString(m_client.pipe->description())});
    qint64 busySinceNs = 0;
    auto server = connectClient(m_target, m_cancel.get(), [this, &busySinceNs] {
        if (!busySinceNs)
            emit targetBusy();
        busySinceNs = nowNs();
    });
    emit targetAttempted();
    if (!server) {
        record(Direction::None, EventKind::Connected, (QStringLiteral("client: ") + clientText).toUtf8(), connectedAtNs);
        record(Direction::None, EventKind::Error,
               QStringLiteral("the client cannot be passed on: %1; it is disconnected, as the server would have "
                              "refused it")
                   .arg(QString::fromStdString(server.error().message()))
                   .toUtf8());
        finish(server.error().code == Native::ErrorCode::Cancelled ? QStringLiteral("stopped by PipeScope")
                                                                   : QStringLiteral("the server could not be reached"));
        return;
    }
    m_server.pipe = std::shared_ptr<Native::Connection>(std::move(server.value()));
    QString text = QStringLiteral("client: %1; server: %2 at %3")
                       .arg(clientText, describePeer(m_server.pipe->peer()),
                            QString::fromStdString(m_server.pipe->description()));
    if (busySinceNs)
        text += QStringLiteral("; every instance of the server was busy: the client waited %1")
                    .arg(formatDuration(nowNs() - busySinceNs));
    record(Direction::None, EventKind::Connected, text.toUtf8(), connectedAtNs);
    emit targetConnected(ConnectionInfo{m_server.pipe->peer(), m_server.pipe->type(), m_server.pipe->readMode(),
                                        QString::fromStdString(m_server.pipe->description())});
    // Many small messages are read a few dozen per system call.
    m_client.pipe->setReadAhead(true);
    m_server.pipe->setReadAhead(true);
    watch(m_client);
    watch(m_server);
    flushEvents();
    // Either side may have sent before its notifier existed.
    pump(m_client);
    pump(m_server);
    updateInterest();
    flushEvents();
}

void RelayWorker::watch(Leg &leg)
{
    leg.notifier = new HandleNotifier(leg.pipe->readHandle(), leg.pipe->writeHandle(), this);
    connect(leg.notifier, &HandleNotifier::readable, this, [this, &leg] { onReadable(leg); });
    connect(leg.notifier, &HandleNotifier::writable, this, [this, &leg] { onWritable(leg); });
}

void RelayWorker::record(Direction direction, EventKind kind, QByteArray payload, qint64 atNs, quint32 parts,
                         quint8 flags, std::shared_ptr<const PayloadBlock> block, quint32 relayNs)
{
    // Never earlier than the conversation's previous event (the hub must
    // not reorder it), whatever the wall clock does.
    m_lastTimestamp = std::max(atNs ? atNs : nowNs(), m_lastTimestamp);
    m_batch.append(TrafficEvent{.timestampNs = m_lastTimestamp, .endpoint = m_endpoint, .instance = m_instance,
                                .direction = direction, .kind = kind, .flags = flags, .parts = parts,
                                .relayNs = relayNs, .payload = std::move(payload), .block = std::move(block)});
}

void RelayWorker::recordError(const Native::NativeError &error)
{
    record(Direction::None, EventKind::Error, QByteArray::fromStdString(error.message()));
}

void RelayWorker::flushEvents()
{
    if (m_batch.isEmpty())
        return;
    const bool room = m_hub->post(std::exchange(m_batch, {}));
    if (!room && !m_captureBehind && !m_finished) {
        m_captureBehind = true;
        updateInterest();
        m_hub->whenRoom(this, [this] {
            m_captureBehind = false;
            updateInterest();
            // What arrived meanwhile is read now, not at the next notification.
            QMetaObject::invokeMethod(this, [this] { onReadable(m_client); onReadable(m_server); }, Qt::QueuedConnection);
        });
    }
}

void RelayWorker::onReadable(Leg &from)
{
    if (m_finished || m_captureBehind || from.otherFull)
        return; // queued before a pause
    pump(from);
    updateInterest();
    flushEvents();
    pollForMore();
}

void RelayWorker::pollForMore()
{
    // An answer usually follows what was just passed on within a few tens
    // of microseconds; polling for it that long saves this thread a sleep
    // and a wake-up per message (Native::busyPollMicros). Bounded: after
    // kPollRounds catches, or a window with nothing, the event loop runs.
    const qint64 windowNs = qint64(Native::busyPollMicros()) * 1000;
    if (windowNs == 0)
        return;
    qint64 until = nowNs() + windowNs;
    for (int caught = 0; caught < kPollRounds;) {
        Native::NativeHandle handles[2];
        std::size_t count = 0;
        for (const Leg *leg : {&m_client, &m_server})
            if (leg->pipe && !leg->readEnded && !leg->otherFull)
                handles[count++] = leg->pipe->readHandle();
        if (m_finished || m_captureBehind || count == 0)
            return;
        if (!Native::anyReadyNow(std::span(handles, count))) {
            if (nowNs() >= until)
                return;
            continue;
        }
        ++caught;
        for (Leg *leg : {&m_client, &m_server})
            if (!m_finished && leg->pipe && !leg->readEnded && !leg->otherFull)
                pump(*leg);
        updateInterest();
        flushEvents();
        until = nowNs() + windowNs;
    }
}

void RelayWorker::pump(Leg &from, Bound bound)
{
    Leg &to = other(from);
    int budget = kReadBudget;
    std::size_t bytes = 0;
    // Bounded, reading stops as soon as the other side's pipe is full (its
    // write is queued), as a blocking relay's would: the kernel's buffers
    // hold the backlog, not this worker, and no message is copied twice.
    while (!m_finished && from.pipe && !from.readEnded && (bound == Unbounded || !to.pipe->hasPendingWrites()) &&
           ((budget-- > 0 && bytes < kReadByteBudget) || from.pipe->hasBufferedInput())) {
        const Native::ReadResult r = from.pipe->read(from.arena);
        const qint64 arrived = nowNs();
        if (r.status == Native::ReadStatus::Data) {
            bytes += r.size;
            from.passing.push_back({from.arena.take(r.size), r.parts, arrived});
            if (from.passing.size() == kPassBatch)
                passOn(from);
            continue;
        }
        passOn(from); // what came before goes on first
        if (m_finished)
            return;
        switch (r.status) {
        case Native::ReadStatus::WouldBlock:
        case Native::ReadStatus::Data:
            return;
        case Native::ReadStatus::Closed:
            if (r.size > 0) {
                const PayloadArena::Taken partial = from.arena.take(r.size);
                record(from.direction, EventKind::Data, partial.bytes, arrived, r.parts, Incomplete, partial.block);
                record(Direction::None, EventKind::Error,
                       QStringLiteral("the %1 closed its end in the middle of a message; the %2 bytes (%3 parts) "
                                      "that arrived are kept here, not passed on: the %4 would have read them as a "
                                      "whole message")
                           .arg(from.side)
                           .arg(r.size)
                           .arg(r.parts)
                           .arg(to.side)
                           .toUtf8());
            }
            endOfInput(from);
            return;
        case Native::ReadStatus::Failed:
            if (r.error.code == Native::ErrorCode::MessageTooLarge) {
                const PayloadArena::Taken kept = from.arena.take(r.size);
                record(from.direction, EventKind::Data, kept.bytes, arrived, r.parts, Truncated, kept.block);
                recordError(r.error);
                record(Direction::None, EventKind::Error,
                       QStringLiteral("the message above cannot be passed on whole, so the conversation ends; raise "
                                      "the monitor's message size limit to pass such messages on")
                           .toUtf8());
                finish(QStringLiteral("a message over the size limit"));
                return;
            }
            recordError(r.error);
            finish(QStringLiteral("reading from the %1 failed").arg(from.side));
            return;
        }
    }
    passOn(from);
    if (bound == Bounded && !m_finished && to.pipe && to.pipe->hasPendingWrites())
        from.otherFull = true;
}

void RelayWorker::passOn(Leg &from)
{
    if (from.passing.empty())
        return;
    Leg &to = other(from);
    std::vector<Leg::Passing> passing;
    passing.swap(from.passing);
    std::array<std::string_view, kPassBatch> views;
    for (std::size_t i = 0; i < passing.size(); ++i)
        views[i] = std::string_view(passing[i].message.bytes.constData(), std::size_t(passing[i].message.bytes.size()));
    std::size_t taken = 0;
    const Native::NativeError error = to.pipe->writeMany(std::span(views.data(), passing.size()), taken);
    const qint64 passedNs = nowNs();
    for (std::size_t i = 0; i < passing.size(); ++i) {
        const Leg::Passing &p = passing[i];
        // The time from read to write; 0 for what did not go on.
        const quint32 relayNs =
            i < taken ? quint32(std::clamp<qint64>(passedNs - p.arrivedNs, 1, std::numeric_limits<quint32>::max())) : 0;
        record(from.direction, EventKind::Data, p.message.bytes, p.arrivedNs, p.parts, NoFlags, p.message.block,
               relayNs);
    }
    const std::size_t lost = passing.size() - taken;
    passing.clear(); // its storage serves the next batch
    from.passing.swap(passing);
    if (!error.isError())
        return;
    const QString why = QString::fromStdString(error.message());
    record(Direction::None, EventKind::Error,
           (lost == 1 ? QStringLiteral("the message above did not reach the %1: %2").arg(to.side, why)
                      : QStringLiteral("the last %1 messages above did not reach the %2: %3").arg(lost).arg(to.side, why))
               .toUtf8());
    if (error.code == Native::ErrorCode::Disconnected)
        peerGone(to);
    else
        finish(QStringLiteral("writing to the %1 failed").arg(to.side));
}

void RelayWorker::endOfInput(Leg &from)
{
    from.readEnded = true;
    Leg &to = other(from);
    if (to.readEnded) {
        finish(QStringLiteral("both sides closed"));
        return;
    }
    record(from.direction, EventKind::Disconnected, QStringLiteral("the %1 closed its end").arg(from.side).toUtf8());
    if (to.pipe->hasPendingWrites())
        to.closePending = true; // after what it still has to read
    else
        passCloseOn(to);
}

void RelayWorker::passCloseOn(Leg &to)
{
    to.closePending = false;
    const Native::NativeError error = to.pipe->shutdownWrite();
    if (error.code == Native::ErrorCode::Unsupported) {
        // No half-close: the conversation ends, as it would have directly.
        finish(QStringLiteral("closed by the %1").arg(other(to).side));
        return;
    }
    if (error.isError()) {
        recordError(error);
        finish(QStringLiteral("closed by the %1").arg(other(to).side));
    }
}

void RelayWorker::peerGone(Leg &gone)
{
    if (m_finished)
        return;
    // What it sent before it left still goes on, however full the other
    // side's queue: the conversation ends after it.
    gone.otherFull = false;
    while (!m_finished && gone.pipe && !gone.readEnded) {
        const qsizetype before = m_batch.size();
        pump(gone, Unbounded);
        if (m_batch.size() == before)
            break;
    }
    finish(QStringLiteral("the %1 went away").arg(gone.side));
}

void RelayWorker::onWritable(Leg &to)
{
    if (m_finished || !to.pipe)
        return;
    const Native::NativeError error = to.pipe->flush();
    if (error.isError()) {
        recordError(error);
        if (error.code == Native::ErrorCode::Disconnected)
            peerGone(to);
        else
            finish(QStringLiteral("writing to the %1 failed").arg(to.side));
        flushEvents();
        return;
    }
    Leg &from = other(to);
    if (to.closePending && !to.pipe->hasPendingWrites())
        passCloseOn(to);
    if (!m_finished && from.otherFull && !to.pipe->hasPendingWrites()) {
        // Room again: read on at once, not at the next notification.
        from.otherFull = false;
        if (!m_captureBehind)
            pump(from);
    }
    updateInterest();
    flushEvents();
}

void RelayWorker::updateInterest()
{
    if (m_finished)
        return;
    for (Leg *leg : {&m_client, &m_server}) {
        if (!leg->notifier)
            continue;
        leg->notifier->setReadEnabled(!leg->readEnded && !leg->otherFull && !m_captureBehind);
        leg->notifier->setWriteEnabled(leg->pipe->hasPendingWrites());
    }
    // A side whose pipe is full is normal back-pressure, many times a
    // second under load; one that stays full for a second has stopped
    // reading, and that is said.
    const bool full = m_client.otherFull || m_server.otherFull;
    if (m_captureBehind) {
        reportPaused(tr("the capture is behind; reading paused until it catches up"));
    } else if (full) {
        if (!m_stall) {
            m_stall = new QTimer(this);
            m_stall->setSingleShot(true);
            m_stall->setInterval(kStallMs);
            connect(m_stall, &QTimer::timeout, this, &RelayWorker::reportStall);
        }
        if (!m_stall->isActive())
            m_stall->start();
    } else {
        if (m_stall)
            m_stall->stop();
        reportResumed();
    }
}

void RelayWorker::reportStall()
{
    const Leg *full = m_client.otherFull ? &m_client : m_server.otherFull ? &m_server : nullptr;
    if (m_finished || !full)
        return;
    const Leg &stalled = other(*full);
    reportPaused(QStringLiteral("the %1 does not read what the %2 sends (its pipe has been full for a second, %3 "
                                "more waiting here); reading from the %2 paused")
                     .arg(stalled.side, full->side,
                          QLocale::c().formattedDataSize(qint64(stalled.pipe->pendingWriteBytes()))));
}

void RelayWorker::send(const QByteArray &)
{
    record(Direction::None, EventKind::Error,
           QByteArrayLiteral("not sent: a monitor passes on what the client and the server send, and sends "
                             "nothing of its own"));
    flushEvents();
}

void RelayWorker::shutdownBecause(const QString &why)
{
    if (m_finished)
        return;
    // What either side already sent goes on before both are closed.
    if (m_server.pipe) {
        pump(m_client, Unbounded);
        pump(m_server, Unbounded);
    }
    finish(why);
}

void RelayWorker::finish(const QString &why)
{
    if (m_finished)
        return;
    m_finished = true;
    for (Leg *leg : {&m_client, &m_server}) {
        delete leg->notifier;
        leg->notifier = nullptr;
    }
    stopReporting();
    delete m_stall;
    m_stall = nullptr;
    m_hub->cancelRoom(this);
    // What each side has yet to read is flushed to it (FlushFileBuffers),
    // then the pipes close: the server's first, as the client closing
    // would have closed it.
    if (m_server.pipe) {
        m_server.pipe->close(1000);
        m_server.pipe.reset();
    }
    if (m_client.pipe) {
        m_client.pipe->disconnect(1000);
        m_ended = std::move(m_client.pipe);
    }
    record(Direction::None, EventKind::Disconnected, why.toUtf8());
    flushEvents();
    emit finished();
}

} // namespace PipeScope

#include "moc_relayworker.cpp"
