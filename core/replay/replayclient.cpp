#include "replayclient.h"

#include <QDeadlineTimer>

#include <chrono>
#include <thread>

namespace PipeScope {

namespace {

// Reads up to `count` messages (message read mode), or bytes until `bytes`
// arrived (byte mode), within `timeoutMs`.
QList<QByteArray> readReplies(Native::Connection &connection, qsizetype count, qsizetype bytes, int timeoutMs,
                              QString &problem)
{
    QList<QByteArray> replies;
    const bool messages = connection.readMode() == Native::ReadMode::Message;
    QByteArray stream;
    QDeadlineTimer deadline(timeoutMs);
    Native::StringSink sink;
    while (messages ? replies.size() < count : stream.size() < bytes) {
        const Native::ReadResult r = connection.read(sink);
        if (r.status == Native::ReadStatus::Data) {
            if (messages)
                replies.append(QByteArray::fromStdString(sink.bytes));
            else
                stream += QByteArray::fromStdString(sink.bytes);
            sink.bytes.clear();
            continue;
        }
        if (r.status == Native::ReadStatus::Closed) {
            problem = QStringLiteral("the server closed the connection");
            break;
        }
        if (r.status == Native::ReadStatus::Failed) {
            problem = QString::fromStdString(r.error.message());
            break;
        }
        const int left = int(deadline.remainingTime());
        if (left <= 0 || !connection.waitReadable(left)) {
            problem = QStringLiteral("nothing more within %1 ms").arg(timeoutMs);
            break;
        }
    }
    if (!messages && !stream.isEmpty())
        replies.append(stream);
    return replies;
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
            const auto start = std::chrono::steady_clock::now();
            for (qsizetype k = 0; k < script.steps.size(); ++k) {
                if (cancel && cancel->load())
                    return QStringLiteral("cancelled");
                const ReplayStep &step = script.steps[k];
                if (!options.fast)
                    std::this_thread::sleep_until(
                        start + std::chrono::nanoseconds(qint64(double(step.offsetNs) / options.speed)));
                Native::NativeError error = c.write(std::string_view(step.send.constData(), size_t(step.send.size())));
                if (!error.isError())
                    error = c.flushBlocking(options.replyTimeoutMs);
                if (error.isError())
                    return QString::fromStdString(error.message());
                ReplayExchange exchange;
                exchange.script = script.title;
                exchange.index = k;
                exchange.sent = step.send;
                exchange.expected = step.replies;
                qsizetype expectedBytes = 0;
                for (const QByteArray &reply : step.replies)
                    expectedBytes += reply.size();
                // Without replies on record there is nothing to wait for.
                if (!step.replies.isEmpty())
                    exchange.got = readReplies(c, step.replies.size(), expectedBytes, options.replyTimeoutMs, exchange.problem);
                // In byte mode the replies are compared as one stream.
                if (c.readMode() == Native::ReadMode::Byte && !exchange.expected.isEmpty())
                    exchange.expected = {exchange.expected.join()};
                onExchange(exchange);
            }
            c.close(options.replyTimeoutMs);
        }
    }
    return {};
}

} // namespace PipeScope
