#include "replayclient.h"

#include "endpointconfig.h"

#include <QDeadlineTimer>

#include <algorithm>
#include <chrono>
#include <optional>

namespace PipeScope {

namespace {

// A wait is cut into slices this long, so that a cancel is seen at once.
constexpr int kSliceMs = 20;

using Clock = std::chrono::steady_clock;

// One event of the replay's connection, to ReplayOptions::capture if set.
void capture(const std::function<void(TrafficEvent)> &to, Direction direction, EventKind kind, const QByteArray &payload)
{
    if (!to)
        return;
    TrafficEvent event;
    event.timestampNs = nowNs();
    event.direction = direction;
    event.kind = kind;
    event.payload = payload;
    to(std::move(event));
}

// The replay's connection, read whenever the replay waits: everything the
// server sends is taken as it comes — a server that answers more than was
// recorded never fills its pipe and stalls — and kept, in order, until it
// is handed to the exchange it belongs to.
class ServerSide
{
public:
    ServerSide(Native::Connection &connection, const ReplayOptions &options, const std::atomic<bool> *cancel)
        : m_c(connection), m_capture(options.capture), m_cancel(cancel),
          m_messages(connection.readMode() == Native::ReadMode::Message)
    {
    }

    bool cancelled() const { return m_cancel && m_cancel->load(); }
    // Why the server sends nothing more (it closed, a read failed), or empty.
    const QString &ended() const { return m_ended; }
    qsizetype messages() const { return m_arrived.size(); }
    qsizetype bytes() const { return m_bytes; }
    // Whether nothing was sent or came for `ms`.
    bool quietFor(int ms) const { return Clock::now() - m_lastActivity >= std::chrono::milliseconds(ms); }

    // What arrived since the last take: messages, or in byte mode one stream.
    QList<QByteArray> take()
    {
        QList<QByteArray> taken = std::exchange(m_arrived, {});
        m_bytes = 0;
        if (!m_messages && taken.size() > 1)
            taken = {taken.join()};
        return taken;
    }

    // Sends a message, reading meanwhile; an error in words, or empty.
    QString send(const QByteArray &bytes, int timeoutMs)
    {
        Native::NativeError error = m_c.write(std::string_view(bytes.constData(), size_t(bytes.size())));
        if (!error.isError())
            capture(m_capture, Direction::Out, EventKind::Data, bytes);
        const QDeadlineTimer deadline(timeoutMs);
        while (!error.isError() && m_c.hasPendingWrites()) {
            if (cancelled())
                return QStringLiteral("cancelled");
            if (deadline.hasExpired())
                return QStringLiteral("the server did not read %1 pending bytes in %2 ms")
                    .arg(m_c.pendingWriteBytes())
                    .arg(timeoutMs);
            readWhatCame();
            if (!m_c.hasBufferedInput())
                waitEither(std::min<qint64>(kSliceMs, deadline.remainingTime()));
            error = m_c.flush();
        }
        m_lastActivity = Clock::now();
        return error.isError() ? QString::fromStdString(error.message()) : QString();
    }

    // Reads until `done()` holds, the deadline passes, the server ends or
    // the replay is cancelled. False when it stopped for any reason but done().
    template<typename Done>
    bool readUntil(Done done, const QDeadlineTimer &deadline)
    {
        for (;;) {
            readWhatCame();
            if (done())
                return true;
            if (!m_ended.isEmpty() || cancelled() || deadline.hasExpired())
                return false;
            m_c.waitReadable(int(std::min<qint64>(kSliceMs, deadline.remainingTime())));
        }
    }

    // Reads until `until`, a time point of the recording's clock.
    void readUntil(Clock::time_point until)
    {
        const auto left = std::chrono::ceil<std::chrono::milliseconds>(until - Clock::now()).count();
        readUntil([] { return false; }, QDeadlineTimer(std::max<qint64>(0, left)));
    }

private:
    void readWhatCame()
    {
        while (m_ended.isEmpty()) {
            const Native::ReadResult r = m_c.read(m_sink);
            if (r.status == Native::ReadStatus::WouldBlock)
                return;
            if (r.status == Native::ReadStatus::Data) {
                m_arrived.append(QByteArray::fromStdString(m_sink.bytes));
                capture(m_capture, Direction::In, EventKind::Data, m_arrived.constLast());
                m_bytes += qsizetype(m_sink.bytes.size());
                m_sink.bytes.clear();
                m_lastActivity = Clock::now();
                continue;
            }
            m_ended = r.status == Native::ReadStatus::Closed ? QStringLiteral("the server closed the connection")
                                                            : QString::fromStdString(r.error.message());
        }
    }

    void waitEither(qint64 ms)
    {
        const Native::NativeHandle handles[] = {m_c.readHandle(), m_c.writeHandle()};
        if (handles[0] == handles[1]) {
            // One handle for both (Unix): ready for either.
            m_c.waitReadable(int(ms));
            return;
        }
        if (!Native::anyReadyNow(handles))
            m_c.waitWritable(int(ms));
    }

    Native::Connection &m_c;
    const std::function<void(TrafficEvent)> &m_capture;
    const std::atomic<bool> *m_cancel;
    const bool m_messages;
    Native::StringSink m_sink;
    QList<QByteArray> m_arrived;
    qsizetype m_bytes = 0;
    Clock::time_point m_lastActivity = Clock::now();
    QString m_ended;
};

// One conversation replayed. Each exchange is handed on only when the next
// message is about to go (or the conversation is over), so that whatever
// the server sent until then — replies recorded or not — is its own.
QString replayScript(const ReplayScript &script, Native::Connection &c, const ReplayOptions &options,
                     const std::function<void(const ReplayExchange &)> &onExchange, const std::atomic<bool> *cancel)
{
    ServerSide server(c, options, cancel);
    const bool messages = c.readMode() == Native::ReadMode::Message;
    const auto start = Clock::now();
    std::optional<ReplayExchange> open; // the exchange still hearing replies
    auto handOver = [&] {
        // Before the first message: a greeting, which the script leaves out.
        if (!open) {
            server.take();
            return;
        }
        open->got += server.take();
        if (open->got.size() > open->expected.size() && open->problem.isEmpty())
            open->problem = server.ended();
        onExchange(*open);
        open.reset();
    };
    for (qsizetype k = 0; k < script.steps.size(); ++k) {
        const ReplayStep &step = script.steps[k];
        if (!options.fast)
            server.readUntil(start + std::chrono::nanoseconds(qint64(double(step.offsetNs) / options.speed)));
        if (server.cancelled())
            return QStringLiteral("cancelled");
        handOver();
        if (const QString error = server.send(step.send, options.replyTimeoutMs); !error.isEmpty())
            return error;
        open.emplace();
        open->script = script.title;
        open->index = k;
        open->sent = step.send;
        open->expected = step.replies;
        // In byte mode the replies are compared as one stream.
        if (!messages && !open->expected.isEmpty())
            open->expected = {open->expected.join()};
        const qsizetype count = step.replies.size();
        qsizetype bytes = 0;
        for (const QByteArray &reply : step.replies)
            bytes += reply.size();
        // Without replies on record there is nothing to wait for: whatever
        // comes before the next message is still heard.
        if (count > 0 && !server.readUntil([&] { return messages ? server.messages() >= count : server.bytes() >= bytes; },
                                           QDeadlineTimer(options.replyTimeoutMs))) {
            if (server.cancelled())
                return QStringLiteral("cancelled");
            open->problem = server.ended().isEmpty()
                ? QStringLiteral("nothing more within %1 ms").arg(options.replyTimeoutMs)
                : server.ended();
        }
    }
    // The last message's replies, and any the server adds: heard until it
    // has been quiet for the settle time.
    server.readUntil([&] { return server.quietFor(options.settleMs); },
                     QDeadlineTimer(std::max(options.settleMs, options.replyTimeoutMs)));
    if (server.cancelled())
        return QStringLiteral("cancelled");
    handOver();
    return {};
}

} // namespace

QString replayToServer(const QList<ReplayScript> &scripts, const Native::PipeName &pipe, const ReplayOptions &options,
                       const std::function<void(const ReplayExchange &)> &onExchange, const std::atomic<bool> *cancel)
{
    for (int round = 0; round < options.repeat; ++round) {
        for (const ReplayScript &script : scripts) {
            Native::ClientOptions client = options.client;
            client.type = script.type;
            auto connection = Native::connectToPipe(pipe, client, cancel);
            if (!connection)
                return QString::fromStdString(connection.error().message());
            Native::Connection &c = *connection.value();
            capture(options.capture, Direction::None, EventKind::Connected, describePeer(c.peer()).toUtf8());
            const QString error = replayScript(script, c, options, onExchange, cancel);
            c.close(error.isEmpty() ? options.replyTimeoutMs : 0);
            capture(options.capture, Direction::None, EventKind::Disconnected, error.toUtf8());
            if (!error.isEmpty())
                return error;
        }
    }
    return {};
}

} // namespace PipeScope
