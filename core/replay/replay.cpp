#include "replay.h"

#include "payload.h"
#include "payloadreader.h"
#include "trafficstore.h"

#include <QDeadlineTimer>
#include <QHash>
#include <QSet>

#include <algorithm>
#include <chrono>
#include <thread>

namespace PipeScope {

QList<ReplayScript> buildReplayScripts(const SessionHeader &header, const TrafficStore &store)
{
    return buildReplayScripts(header, store.snapshot());
}

QList<ReplayScript> buildReplayScripts(const SessionHeader &header, const TrafficStore::Snapshot &store,
                                       QString *error)
{
    std::unique_ptr<PayloadReader> backing; // made when a row needs it
    QHash<quint32, const SessionEndpoint *> endpoints;
    for (const SessionEndpoint &e : header.endpoints)
        endpoints.insert(e.id, &e);
    QList<ReplayScript> scripts;
    QHash<quint64, qsizetype> byConnection; // endpoint << 32 | instance -> script
    QHash<quint64, qint64> firstSend;
    for (qsizetype row = 0; row < store.count(); ++row) {
        const TrafficStore::Record &e = store.record(row);
        if (e.kind != EventKind::Data)
            continue;
        const SessionEndpoint *endpoint = endpoints.value(e.endpoint);
        // Without a header entry: a server if it has instances.
        const bool server = endpoint ? endpoint->kind == SessionEndpoint::Kind::Server : e.instance != 0;
        // Seen from the client: what it sent is "in" at a server, "out" at a client.
        const bool fromClient = server ? e.direction == Direction::In : e.direction == Direction::Out;
        const quint64 key = quint64(e.endpoint) << 32 | e.instance;
        auto it = byConnection.find(key);
        if (it == byConnection.end()) {
            if (!fromClient)
                continue; // a greeting before the client said anything
            ReplayScript script;
            script.endpoint = e.endpoint;
            script.instance = e.instance;
            const QString name = endpoint ? endpoint->name() : QString();
            script.title = server ? QStringLiteral("server %1 instance %2").arg(e.endpoint).arg(e.instance)
                                  : QStringLiteral("client %1").arg(e.endpoint);
            if (!name.isEmpty())
                script.title += QStringLiteral(" (%1)").arg(name);
            if (endpoint && server)
                script.type = endpoint->server.options.type;
            else if (endpoint)
                script.type = endpoint->client.options.type;
            it = byConnection.insert(key, scripts.size());
            firstSend.insert(key, e.timestampNs);
            scripts.append(script);
        }
        ReplayScript &script = scripts[*it];
        // Copies: a replay runs in threads of its own, apart from the store.
        QByteArray payload;
        if (e.flags & NotKept) {
            if (!backing)
                backing = std::make_unique<PayloadReader>(store);
            TrafficEvent read;
            if (!backing->read(row, read)) {
                if (error)
                    *error = backing->error();
                return {};
            }
            payload = std::move(read.payload);
        } else {
            payload = QByteArray(e.payload, qsizetype(e.size));
        }
        if (fromClient)
            script.steps.append({e.timestampNs - firstSend.value(key), payload, {}, row});
        else
            script.steps.last().replies.append(payload);
    }
    return scripts;
}

QList<ReplayScript> selectReplaySteps(const QList<ReplayScript> &scripts, const QList<qsizetype> &rows)
{
    const QSet<qsizetype> chosen(rows.cbegin(), rows.cend());
    QList<ReplayScript> selected;
    for (const ReplayScript &script : scripts) {
        ReplayScript kept = script;
        kept.steps.clear();
        for (const ReplayStep &step : script.steps)
            if (chosen.contains(step.row))
                kept.steps.append(step);
        if (kept.steps.isEmpty())
            continue;
        const qint64 first = kept.steps.constFirst().offsetNs;
        for (ReplayStep &step : kept.steps)
            step.offsetNs -= first;
        selected.append(kept);
    }
    return selected;
}

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

qsizetype ReplyComparer::countMatches(const ReplayExchange &exchange) const
{
    qsizetype matches = 0;
    for (qsizetype r = 0; r < exchange.expected.size() && r < exchange.got.size(); ++r)
        matches += same(exchange.expected[r], exchange.got[r]);
    return matches;
}

qsizetype ReplyComparer::countDifferences(const ReplayExchange &exchange) const
{
    return std::max(exchange.expected.size(), exchange.got.size()) - countMatches(exchange);
}

bool ReplyComparer::setIgnore(const QString &regex, QString *error)
{
    QRegularExpression ignore(regex);
    if (!ignore.isValid()) {
        if (error)
            *error = QStringLiteral("--ignore: %1 at position %2").arg(ignore.errorString()).arg(ignore.patternErrorOffset());
        return false;
    }
    m_ignore = ignore;
    return true;
}

QByteArray ReplyComparer::normalized(const QByteArray &bytes) const
{
    if (m_ignore.pattern().isEmpty())
        return bytes;
    QString text = QString::fromUtf8(bytes);
    text.replace(m_ignore, QStringLiteral("\u2026"));
    return text.toUtf8();
}

bool ReplyComparer::same(const QByteArray &expected, const QByteArray &got) const
{
    if (expected == got)
        return true;
    return !m_ignore.pattern().isEmpty() && normalized(expected) == normalized(got);
}

QString ReplyComparer::describeDifference(const QByteArray &expected, const QByteArray &got)
{
    qsizetype at = 0;
    while (at < expected.size() && at < got.size() && expected[at] == got[at])
        ++at;
    return QStringLiteral("  expected: %1 (%2)\n       got: %3 (%4)\n  first difference at byte %5")
        .arg(previewPayload(expected, 100), formatSize(quint64(expected.size())), previewPayload(got, 100),
             formatSize(quint64(got.size())))
        .arg(at);
}

} // namespace PipeScope
