#include "cli.h"

#include "capturehub.h"
#include "capturelog.h"
#include "handlenotifier.h"
#include "payload.h"
#include "pipeclient.h"
#include "pipeserver.h"
#include "replayserver.h"
#include "replay.h"
#include "sessionformat.h"
#include "sessionload.h"
#include "trafficstore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QFile>
#include <QHash>
#include <QTextStream>
#include <QTimer>

#include <cstdio>
#include <functional>
#include <optional>

namespace PipeScope {

namespace {

constexpr int kExitPipeFailure = 1;
constexpr int kExitUsage = 2;
// In byte mode a reply has no end marker: it is what arrived until the
// stream stayed quiet this long.
constexpr int kByteReplyQuietMs = 100;

QTextStream &out()
{
    static QTextStream s(stdout);
    return s;
}

QTextStream &err()
{
    static QTextStream s(stderr);
    return s;
}

int usageError(const QString &message)
{
    err() << "pipescope: " << printable(message) << Qt::endl;
    return kExitUsage;
}

// Parses a command's arguments; an exit code when the command ends here
// (bad arguments, or --help printed).
std::optional<int> parseOrHelp(QCommandLineParser &parser, const QStringList &arguments)
{
    if (!parser.parse(arguments))
        return usageError(parser.errorText());
    if (parser.isSet(QStringLiteral("help"))) {
        out() << parser.helpText();
        return 0;
    }
    return std::nullopt;
}

// One line per event, as documented in the README.
QString formatEvent(const TrafficEvent &e)
{
    QString line = formatTime(e.timestampNs) + QStringLiteral("  ");
    line += e.instance ? QStringLiteral("#%1").arg(e.instance) : QStringLiteral("--");
    line += QStringLiteral("  ");
    switch (e.kind) {
    case EventKind::Data: {
        line += e.direction == Direction::In ? QStringLiteral("<- ") : QStringLiteral("-> ");
        line += QStringLiteral("%1 B").arg(e.payload.size());
        if (e.parts > 1)
            line += QStringLiteral(" in %1 parts").arg(e.parts);
        if (e.flags & Incomplete)
            line += QStringLiteral(" [incomplete]");
        if (e.flags & Truncated)
            line += QStringLiteral(" [truncated]");
        line += QStringLiteral("  ") + previewPayload(e.payload, 100);
        break;
    }
    // Peer- and system-supplied text: never raw (a process name could
    // hold escape sequences or forge a line).
    case EventKind::Connected: line += QStringLiteral("connected  ") + printable(e.payload); break;
    case EventKind::Disconnected: line += QStringLiteral("disconnected  ") + printable(e.payload); break;
    case EventKind::Error: line += QStringLiteral("error  ") + printable(e.payload); break;
    }
    return line;
}

struct CommonOptions
{
    QCommandLineOption convention{QStringLiteral("convention"),
                                  QStringLiteral("Where a bare NAME lives: pipescope, qt or dotnet."),
                                  QStringLiteral("convention"), QStringLiteral("pipescope")};
    QCommandLineOption type{QStringLiteral("type"), QStringLiteral("Pipe type: message or byte."),
                            QStringLiteral("type")};
    QCommandLineOption readMode{QStringLiteral("read-mode"), QStringLiteral("Read mode: message or byte."),
                                QStringLiteral("mode")};
    QCommandLineOption hex{QStringLiteral("hex"), QStringLiteral("Messages are given as hex bytes.")};
    QCommandLineOption escapes{QStringLiteral("escapes"),
                               QStringLiteral("Messages contain C escapes (\\n, \\x00, \\u263a).")};
    QCommandLineOption utf16{QStringLiteral("utf16"), QStringLiteral("Encode text as UTF-16LE, as a Windows TCHAR program does.")};
    QCommandLineOption nul{QStringLiteral("nul"), QStringLiteral("Append a NUL, as the sample sends (len+1)*sizeof(TCHAR).")};
    QCommandLineOption maxMessage{QStringLiteral("max-message"),
                                  QStringLiteral("Largest message accepted, in bytes (default 64 MiB)."),
                                  QStringLiteral("bytes")};

    void addTo(QCommandLineParser &parser, bool withType)
    {
        parser.addOption(convention);
        if (withType)
            parser.addOption(type);
        parser.addOption(readMode);
        parser.addOption(hex);
        parser.addOption(escapes);
        parser.addOption(utf16);
        parser.addOption(nul);
        parser.addOption(maxMessage);
    }

    EncodeOptions encoding(const QCommandLineParser &parser) const
    {
        EncodeOptions e;
        e.format = parser.isSet(hex) ? InputFormat::Hex : parser.isSet(escapes) ? InputFormat::Escapes : InputFormat::Text;
        e.encoding = parser.isSet(utf16) ? TextEncoding::Utf16Le : TextEncoding::Utf8;
        e.trailingNul = parser.isSet(nul);
        return e;
    }
};


bool parseNumber(const QString &text, quint64 min, quint64 max, quint64 &out)
{
    bool ok = false;
    out = text.toULongLong(&ok);
    return ok && out >= min && out <= max;
}

// Parses the options both commands share; on a mistake returns the message.
std::optional<QString> parseShared(const QCommandLineParser &parser, const CommonOptions &o,
                                   Native::Convention &convention, std::optional<Native::PipeType> &type,
                                   std::optional<Native::ReadMode> &readMode, std::size_t &maxMessage)
{
    if (!Native::parseConvention(parser.value(o.convention).toStdString(), convention))
        return QStringLiteral("--convention must be pipescope, qt or dotnet, not \"%1\"").arg(parser.value(o.convention));
    if (parser.isSet(o.type)) {
        Native::PipeType parsed{};
        if (!Native::parsePipeType(parser.value(o.type).toStdString(), parsed))
            return QStringLiteral("--type must be message or byte, not \"%1\"").arg(parser.value(o.type));
        type = parsed;
    }
    if (parser.isSet(o.readMode)) {
        Native::ReadMode parsed{};
        if (!Native::parseReadMode(parser.value(o.readMode).toStdString(), parsed))
            return QStringLiteral("--read-mode must be message or byte, not \"%1\"").arg(parser.value(o.readMode));
        readMode = parsed;
    }
    if (parser.isSet(o.maxMessage)) {
        quint64 n = 0;
        if (!parseNumber(parser.value(o.maxMessage), 1, quint64(1) << 32, n))
            return QStringLiteral("--max-message must be a byte count from 1 to 4 GiB");
        maxMessage = std::size_t(n);
    }
    return std::nullopt;
}

// Calls `handler` once on SIGINT/SIGTERM (Unix) or Ctrl+C (Windows).
void onInterrupt(QObject *context, std::function<void()> handler)
{
    const Native::NativeHandle handle = Native::interruptHandle();
    if (handle == -1)
        return;
    auto *notifier = new HandleNotifier(handle, handle, context);
    QObject::connect(notifier, &HandleNotifier::readable, context, [notifier, handler] {
        notifier->setReadEnabled(false);
        handler();
    });
}

// --record FILE: a write-ahead log on the hub (CaptureLog). Each batch is
// written by the thread that read it, before any answer to it goes out, so
// a killed PipeScope loses nothing it read or answered. On a failure to
// write, `onFailure` runs in `context`'s thread (the reason is printed).
// Null, with the reason printed, when the file cannot be made.
std::shared_ptr<CaptureLog> startRecording(const QString &path, const SessionEndpoint &endpoint, CaptureHub &hub,
                                           QObject *context, std::function<void()> onFailure)
{
    SessionHeader header;
    header.app = QCoreApplication::applicationVersion();
    header.endpoints = {endpoint};
    QString error;
    std::shared_ptr<CaptureLog> log = CaptureLog::create(path, header, &error);
    if (!log) {
        err() << "pipescope: " << printable(error) << Qt::endl;
        return nullptr;
    }
    log->setFailureHandler([context, onFailure](const QString &reason) {
        QMetaObject::invokeMethod(context, [reason, onFailure] {
            err() << "pipescope: " << printable(reason) << Qt::endl;
            onFailure();
        }, Qt::QueuedConnection);
    });
    hub.setLog(log);
    return log;
}

// Whom the server must run as (Native::ClientOptions::serverUser).
QCommandLineOption serverUserOption()
{
    return {QStringLiteral("server-user"),
            QStringLiteral("Refuse a server that does not run as USER (a name or uid; by default, for the "
                           "pipescope convention on Unix, yourself)."),
            QStringLiteral("user")};
}

QCommandLineOption recordOption()
{
    return {QStringLiteral("record"), QStringLiteral("Record every event to a session file (docs/session-format.md)."),
            QStringLiteral("file")};
}

// --- serve ------------------------------------------------------------------

// Starts the server and runs the event loop until it stops (Ctrl+C stops
// it); a failure is printed and sets `exitCode` to `failureCode`.
template <class Server>
int runServer(Server &server, const std::function<void()> &start, int &exitCode, int failureCode)
{
    QObject::connect(&server, &Server::errorOccurred, [&exitCode, failureCode](const QString &message) {
        err() << "pipescope: " << printable(message) << Qt::endl;
        exitCode = failureCode;
        QCoreApplication::exit(exitCode);
    });
    QObject::connect(&server, &Server::stopped, [&exitCode] { QCoreApplication::exit(exitCode); });
    onInterrupt(&server, [&server] { server.stop(); });
    start();
    return QCoreApplication::exec();
}

int runServe(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Create a pipe server and print one line per event."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("NAME"), QStringLiteral("Pipe name: NAME, \\\\.\\pipe\\NAME, /path or @abstract."));
    CommonOptions common;
    common.addTo(parser, true);
    QCommandLineOption instances(QStringLiteral("instances"), QStringLiteral("Max instances: 1-254 or unlimited."),
                                 QStringLiteral("n"), QStringLiteral("unlimited"));
    QCommandLineOption echo(QStringLiteral("echo"), QStringLiteral("Send every message back."));
    QCommandLineOption reply(QStringLiteral("reply"), QStringLiteral("Answer every message with TEXT."), QStringLiteral("text"));
    QCommandLineOption count(QStringLiteral("count"), QStringLiteral("Stop after N messages received."), QStringLiteral("n"));
    QCommandLineOption access(QStringLiteral("access"), QStringLiteral("Who may connect: user (default) or default."),
                              QStringLiteral("who"), QStringLiteral("user"));
    QCommandLineOption bufferSize(QStringLiteral("buffer-size"), QStringLiteral("In and out buffer size (advisory)."),
                                  QStringLiteral("bytes"));
    const QCommandLineOption record = recordOption();
    parser.addOptions({instances, echo, reply, count, access, bufferSize, record});
    if (const std::optional<int> done = parseOrHelp(parser, arguments))
        return *done;
    if (parser.positionalArguments().size() != 1)
        return usageError(QStringLiteral("serve needs exactly one NAME (try pipescope serve --help)"));

    ServerConfig config;
    config.name = parser.positionalArguments().constFirst();
    std::optional<Native::PipeType> type;
    std::optional<Native::ReadMode> readMode;
    if (auto problem = parseShared(parser, common, config.options.convention, type, readMode,
                                   config.options.maxMessageSize))
        return usageError(*problem);
    config.options.type = type.value_or(config.options.convention == Native::Convention::PipeScope
                                            ? Native::PipeType::Message
                                            : Native::PipeType::Byte);
    config.options.readMode = readMode.value_or(config.options.type == Native::PipeType::Message
                                                    ? Native::ReadMode::Message
                                                    : Native::ReadMode::Byte);
    const QString inst = parser.value(instances);
    quint64 n = 0;
    if (inst == QLatin1String("unlimited"))
        config.options.maxInstances = Native::kUnlimitedInstances;
    else if (parseNumber(inst, 1, Native::kMaxLimitedInstances, n))
        config.options.maxInstances = int(n);
    else
        return usageError(QStringLiteral("--instances must be 1 to 254 or unlimited, not \"%1\"").arg(inst));
    // What the system would refuse (message reads of a byte pipe) is a
    // mistake in the arguments, said before anything is created.
    if (const Native::NativeError invalid = Native::validateServerOptions(config.options, config.name.toStdString());
        invalid.isError())
        return usageError(QString::fromStdString(invalid.message()));
    if (parser.isSet(echo) && parser.isSet(reply))
        return usageError(QStringLiteral("--echo and --reply exclude each other"));
    if (parser.isSet(echo))
        config.autoReply = AutoReply::Echo;
    if (parser.isSet(reply)) {
        QString problem;
        if (!encodePayload(parser.value(reply), common.encoding(parser), config.replyBytes, &problem))
            return usageError(QStringLiteral("--reply: ") + problem);
        config.autoReply = AutoReply::Fixed;
    }
    if (parser.value(access) == QLatin1String("default"))
        config.options.access = Native::Access::Default;
    else if (parser.value(access) != QLatin1String("user"))
        return usageError(QStringLiteral("--access must be user or default"));
    if (parser.isSet(bufferSize)) {
        if (!parseNumber(parser.value(bufferSize), 0, 1u << 30, n))
            return usageError(QStringLiteral("--buffer-size must be 0 to 1 GiB"));
        config.options.inBufferSize = config.options.outBufferSize = std::uint32_t(n);
    }
    quint64 stopAfter = 0;
    if (parser.isSet(count) && !parseNumber(parser.value(count), 1, ~quint64(0), stopAfter))
        return usageError(QStringLiteral("--count must be a positive number"));

    CaptureHub hub;
    PipeServer server(1, &hub);
    int exitCode = 0;
    std::shared_ptr<CaptureLog> recording;
    if (parser.isSet(record)) {
        SessionEndpoint endpoint;
        endpoint.id = 1;
        endpoint.server = config;
        recording = startRecording(parser.value(record), endpoint, hub, &server, [&] {
            exitCode = kExitPipeFailure;
            server.stop();
        });
        if (!recording)
            return kExitPipeFailure;
    }
    quint64 received = 0;
    // The reader of our output went away (`serve | head -1`): stop as on
    // SIGTERM, once, and say so (SIGPIPE is ignored: interruptHandle()).
    bool outputClosed = false;
    const auto checkOutput = [&] {
        out().flush();
        if (out().status() == QTextStream::Ok || outputClosed)
            return;
        outputClosed = true;
        err() << "pipescope: standard output is closed (its reader went away); stopping" << Qt::endl;
        exitCode = kExitPipeFailure;
        server.stop();
    };
    QObject::connect(&server, &PipeServer::instanceThrottled, [&](quint32 instance, bool throttled, const QString &why) {
        out() << formatTime(nowNs()) << QStringLiteral("  #%1  ").arg(instance)
              << (throttled ? QStringLiteral("throttled  ") + why : QStringLiteral("resumed  reading again")) << '\n';
        checkOutput();
    });
    QObject::connect(&hub, &CaptureHub::batchReady, [&](const TrafficBatch &batch) {
        for (const TrafficEvent &e : batch) {
            out() << formatEvent(e) << '\n';
            if (e.kind == EventKind::Data && e.direction == Direction::In && ++received == stopAfter)
                server.stop();
        }
        checkOutput();
    });
    QObject::connect(&server, &PipeServer::listening, [&](const QString &address) {
        err() << "pipescope: listening on " << printable(address) << " ("
              << Native::pipeTypeName(config.options.type) << " pipe, "
              << (config.options.maxInstances == Native::kUnlimitedInstances
                      ? QStringLiteral("unlimited instances")
                      : QStringLiteral("max %1 instances").arg(config.options.maxInstances))
              << "); Ctrl+C stops" << Qt::endl;
    });
    const int code = runServer(server, [&] { server.start(config); }, exitCode, kExitPipeFailure);
    hub.flush();
    if (recording)
        recording->close();
    return code;
}

// --- send -------------------------------------------------------------------

int runSend(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Connect, send each MESSAGE as one message, print each reply."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("NAME"), QStringLiteral("Pipe name."));
    parser.addPositionalArgument(QStringLiteral("MESSAGE"), QStringLiteral("Messages to send, one message each."),
                                 QStringLiteral("MESSAGE..."));
    CommonOptions common;
    common.addTo(parser, true);
    QCommandLineOption wait(QStringLiteral("wait"), QStringLiteral("How long to wait while every instance is busy (ms)."),
                            QStringLiteral("ms"), QStringLiteral("5000"));
    QCommandLineOption replyTimeout(QStringLiteral("reply-timeout"), QStringLiteral("How long to wait for each reply (ms)."),
                                    QStringLiteral("ms"), QStringLiteral("5000"));
    QCommandLineOption noReply(QStringLiteral("no-reply"), QStringLiteral("Do not wait for replies."));
    const QCommandLineOption record = recordOption();
    const QCommandLineOption serverUser = serverUserOption();
    parser.addOptions({wait, replyTimeout, noReply, record, serverUser});
    if (const std::optional<int> done = parseOrHelp(parser, arguments))
        return *done;
    const QStringList positional = parser.positionalArguments();
    if (positional.size() < 2)
        return usageError(QStringLiteral("send needs a NAME and at least one MESSAGE (try pipescope send --help)"));

    ClientConfig config;
    config.name = positional.constFirst();
    if (auto problem = parseShared(parser, common, config.options.convention, config.options.type,
                                   config.options.readMode, config.options.maxMessageSize))
        return usageError(*problem);
    quint64 n = 0;
    if (!parseNumber(parser.value(wait), 0, 24u * 3600 * 1000, n))
        return usageError(QStringLiteral("--wait must be milliseconds"));
    config.options.waitMs = std::uint32_t(n);
    config.options.serverUser = parser.value(serverUser).toStdString();
    quint64 replyMs = 0;
    if (!parseNumber(parser.value(replyTimeout), 1, 24u * 3600 * 1000, replyMs))
        return usageError(QStringLiteral("--reply-timeout must be milliseconds"));
    const bool expectReplies = !parser.isSet(noReply);

    QList<QByteArray> messages;
    for (qsizetype i = 1; i < positional.size(); ++i) {
        QByteArray bytes;
        QString problem;
        if (!encodePayload(positional.at(i), common.encoding(parser), bytes, &problem))
            return usageError(QStringLiteral("message %1: %2").arg(i).arg(problem));
        messages.append(bytes);
    }

    CaptureHub hub;
    hub.setInterval(0);
    PipeClient client(1, &hub);
    int exitCode = 0;
    std::function<void(const QString &)> fail;
    std::shared_ptr<CaptureLog> recording;
    if (parser.isSet(record)) {
        SessionEndpoint endpoint;
        endpoint.id = 1;
        endpoint.kind = SessionEndpoint::Kind::Client;
        endpoint.client = config;
        recording = startRecording(parser.value(record), endpoint, hub, &client,
                                   [&] { fail(QStringLiteral("the recording failed")); });
        if (!recording)
            return kExitPipeFailure;
    }
    qsizetype next = 0;
    bool awaitingReply = false;
    bool byteMode = false;
    QByteArray replyBytes;
    quint32 replyParts = 0;
    QTimer replyTimer;
    replyTimer.setSingleShot(true);
    QTimer quietTimer;
    quietTimer.setSingleShot(true);

    fail = [&](const QString &message) {
        if (exitCode == 0)
            err() << "pipescope: " << printable(message) << Qt::endl;
        exitCode = kExitPipeFailure;
        replyTimer.stop();
        quietTimer.stop();
        if (client.isRunning())
            client.close();
        else
            QCoreApplication::exit(exitCode);
    };
    std::function<void()> sendNext = [&] {
        if (next == messages.size()) {
            client.close();
            return;
        }
        const QByteArray &bytes = messages.at(next++);
        out() << "-> " << bytes.size() << " B  " << previewPayload(bytes, 100) << Qt::endl;
        client.send(bytes);
        if (!expectReplies) {
            QTimer::singleShot(0, &client, sendNext);
            return;
        }
        awaitingReply = true;
        replyBytes.clear();
        replyParts = 0;
        replyTimer.start(int(replyMs));
    };
    auto replyDone = [&] {
        awaitingReply = false;
        replyTimer.stop();
        out() << "<- " << replyBytes.size() << " B" << (replyParts > 1 ? QStringLiteral(" in %1 parts").arg(replyParts) : QString())
              << "  " << previewPayload(replyBytes, 100) << Qt::endl;
        sendNext();
    };
    QObject::connect(&replyTimer, &QTimer::timeout, [&] {
        if (byteMode && !replyBytes.isEmpty())
            return replyDone();
        fail(QStringLiteral("no reply within %1 ms").arg(replyMs));
    });
    QObject::connect(&quietTimer, &QTimer::timeout, [&] { replyDone(); });
    QObject::connect(&client, &PipeClient::connected, [&](const ConnectionInfo &info) {
        // A byte-mode reply has no end marker; it ends when the stream goes quiet.
        byteMode = info.readMode == Native::ReadMode::Byte;
        err() << "pipescope: connected to " << printable(info.address) << " ("
              << Native::pipeTypeName(info.type) << " pipe, " << describePeer(info.peer) << ")"
              << Qt::endl;
        sendNext();
    });
    QObject::connect(&client, &PipeClient::errorOccurred, [&](const QString &message) { fail(message); });
    QObject::connect(&client, &PipeClient::disconnected, [&] {
        if (awaitingReply && byteMode && !replyBytes.isEmpty())
            replyDone(); // the stream ended: that is the end of the reply
        if (awaitingReply)
            fail(QStringLiteral("the server closed the pipe before replying"));
        QCoreApplication::exit(exitCode);
    });
    QObject::connect(&hub, &CaptureHub::batchReady, [&](const TrafficBatch &batch) {
        for (const TrafficEvent &e : batch) {
            if (e.kind == EventKind::Error)
                fail(QString::fromUtf8(e.payload));
            if (e.kind != EventKind::Data || e.direction != Direction::In || !awaitingReply)
                continue;
            replyBytes += e.payload;
            replyParts += e.parts;
            if (byteMode)
                quietTimer.start(kByteReplyQuietMs);
            else
                replyDone();
        }
    });
    onInterrupt(&client, [&] { fail(QStringLiteral("interrupted")); });
    client.open(config);
    const int code = QCoreApplication::exec();
    hub.flush();
    if (recording)
        recording->close();
    return code;
}

// --- list -------------------------------------------------------------------

int runList(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("List the pipes that exist now, one per line."));
    parser.addHelpOption();
    if (const std::optional<int> done = parseOrHelp(parser, arguments))
        return *done;
    if (!parser.positionalArguments().isEmpty())
        return usageError(QStringLiteral("list takes no arguments"));
    auto listed = Native::listPipes();
    if (!listed) {
        err() << "pipescope: " << printable(QString::fromStdString(listed.error().message())) << Qt::endl;
        return kExitPipeFailure;
    }
    for (const Native::PipeEntry &entry : listed.value()) {
        out() << (entry.type ? QString::fromLatin1(Native::pipeTypeName(*entry.type)).leftJustified(8)
                             : QStringLiteral("-       "))
              << printable(QString::fromStdString(entry.name)) << '\n'; // one line, whatever the name holds
    }
    out().flush();
    return 0;
}

// --- replay -----------------------------------------------------------------

// Replay as a server: the n-th client that connects is answered from the
// n-th conversation, message by message with the recorded replies; with
// `check`, what each client sends is compared with what was recorded.
// Ends after `clients` clients.
int replayAsServer(const QString &name, const QList<ReplayScript> &scripts, Native::Convention convention, bool check,
                   const ReplyComparer &comparer, quint64 clients)
{
    ReplayServer server(scripts);
    int exitCode = 0;
    quint64 received = 0, matched = 0, differed = 0;
    QObject::connect(&server, &ReplayServer::captured, [](const TrafficEvent &e) { out() << formatEvent(e) << '\n'; });
    QObject::connect(&server, &ReplayServer::exchanged, [&](const ReplayExchange &x) {
        out().flush();
        if (!check)
            return;
        received += x.got.size();
        matched += comparer.countMatches(x);
        const qsizetype differences = comparer.countDifferences(x);
        differed += differences;
        if (differences == 0)
            return;
        err() << "MISMATCH " << x.script << ", message " << (x.index + 1) << ":\n";
        if (x.expected.isEmpty())
            err() << "  expected: nothing more\n       got: " << previewPayload(x.got.value(0), 100) << '\n';
        else if (x.got.isEmpty())
            err() << "  expected: " << previewPayload(x.expected.constFirst(), 100) << "\n       got: nothing ("
                  << x.problem << ")\n";
        else
            err() << ReplyComparer::describeDifference(x.expected.constFirst(), x.got.constFirst()) << '\n';
    });
    QObject::connect(&server, &ReplayServer::listening, [&](const QString &address) {
        qsizetype messages = 0;
        for (const ReplayScript &script : scripts)
            messages += script.steps.size();
        err() << "pipescope: replaying " << scripts.size() << " conversation(s), " << messages
              << " messages, as a server on " << address << "; Ctrl+C stops" << Qt::endl;
    });
    runServer(server, [&] { server.start(name, convention, clients); }, exitCode, kExitUsage);
    if (exitCode != 0)
        return exitCode;
    if (check)
        err() << "pipescope: " << received << " messages received; " << matched << " matched, " << differed
              << " differed" << Qt::endl;
    return check && differed > 0 ? kExitPipeFailure : 0;
}

int runReplay(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Replay a session's client messages to a server; with --check, compare its replies."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("A session file (docs/session-format.md)."));
    QCommandLineOption pipe(QStringLiteral("pipe"), QStringLiteral("The server to replay to."), QStringLiteral("name"));
    QCommandLineOption serveAs(QStringLiteral("serve"),
                               QStringLiteral("Be the server instead: answer the n-th client with the n-th recorded conversation's replies."),
                               QStringLiteral("name"));
    QCommandLineOption convention(QStringLiteral("convention"), QStringLiteral("pipescope (default), qt or dotnet."),
                                  QStringLiteral("name"), QStringLiteral("pipescope"));
    QCommandLineOption speed(QStringLiteral("speed"), QStringLiteral("Play the recorded timing X times as fast."),
                             QStringLiteral("x"), QStringLiteral("1"));
    QCommandLineOption fast(QStringLiteral("fast"), QStringLiteral("Send each message as soon as its replies came."));
    QCommandLineOption check(QStringLiteral("check"), QStringLiteral("Compare each reply with the recorded one."));
    QCommandLineOption ignore(QStringLiteral("ignore"), QStringLiteral("With --check: ignore parts matching REGEX."),
                              QStringLiteral("regex"));
    QCommandLineOption repeat(QStringLiteral("repeat"), QStringLiteral("Replay N times (with --serve: serve N clients)."), QStringLiteral("n"),
                              QStringLiteral("1"));
    QCommandLineOption wait(QStringLiteral("wait"), QStringLiteral("How long to wait while the pipe is busy (ms)."),
                            QStringLiteral("ms"), QStringLiteral("5000"));
    QCommandLineOption replyTimeout(QStringLiteral("reply-timeout"), QStringLiteral("How long to wait for replies (ms)."),
                                   QStringLiteral("ms"), QStringLiteral("5000"));
    const QCommandLineOption serverUser = serverUserOption();
    parser.addOptions({pipe, serveAs, convention, speed, fast, check, ignore, repeat, wait, replyTimeout, serverUser});
    if (const std::optional<int> done = parseOrHelp(parser, arguments))
        return *done;
    if (parser.positionalArguments().size() != 1)
        return usageError(QStringLiteral("replay needs exactly one FILE (try pipescope replay --help)"));
    if (parser.isSet(pipe) == parser.isSet(serveAs))
        return usageError(QStringLiteral("replay needs --pipe NAME (replay to a server) or --serve NAME (be the server)"));
    if (parser.isSet(speed) && parser.isSet(fast))
        return usageError(QStringLiteral("--speed and --fast exclude each other"));
    bool ok = false;
    const double factor = parser.value(speed).toDouble(&ok);
    // Within these, every recorded gap scaled still fits a timer; NaN and
    // infinities fail the comparisons.
    constexpr double kSlowest = 0.001, kFastest = 1e6;
    if (!ok || !(factor >= kSlowest && factor <= kFastest))
        return usageError(QStringLiteral("--speed must be a number from 0.001 to 1000000, not \"%1\"")
                              .arg(parser.value(speed)));
    quint64 repeats = 1, waitMs = 5000, timeoutMs = 5000;
    if (!parseNumber(parser.value(repeat), 1, 1000000, repeats))
        return usageError(QStringLiteral("--repeat must be 1 or more"));
    if (!parseNumber(parser.value(wait), 0, 3600000, waitMs) || !parseNumber(parser.value(replyTimeout), 0, 3600000, timeoutMs))
        return usageError(QStringLiteral("--wait and --reply-timeout are milliseconds"));
    Native::ClientOptions options;
    if (!Native::parseConvention(parser.value(convention).toStdString(), options.convention))
        return usageError(QStringLiteral("--convention must be pipescope, qt or dotnet"));
    options.waitMs = std::uint32_t(waitMs);
    options.serverUser = parser.value(serverUser).toStdString();
    ReplyComparer comparer;
    QString problem;
    if (parser.isSet(ignore) && !comparer.setIgnore(parser.value(ignore), &problem))
        return usageError(problem);

    const QString path = parser.positionalArguments().constFirst();
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        err() << "pipescope: cannot open " << path << ": " << file.errorString() << Qt::endl;
        return kExitUsage;
    }
    TrafficStore store;
    const SessionLoad load = loadSession(&file, store);
    if (!load.ok) {
        err() << "pipescope: " << printable(path) << ": " << printable(load.error) << Qt::endl;
        return kExitUsage;
    }
    if (!load.warning.isEmpty())
        err() << "pipescope: " << printable(path) << ": " << printable(load.warning) << Qt::endl;
    const QList<ReplayScript> scripts = buildReplayScripts(load.header, store);
    if (scripts.isEmpty()) {
        err() << "pipescope: " << parser.positionalArguments().constFirst()
              << ": no message from a client to replay" << Qt::endl;
        return kExitUsage;
    }
    if (parser.isSet(serveAs))
        return replayAsServer(parser.value(serveAs), scripts, options.convention, parser.isSet(check),
                              comparer, repeats);
    const auto name = Native::PipeName::parse(parser.value(pipe).toStdString());
    if (!name) {
        err() << "pipescope: " << printable(QString::fromStdString(name.error().message())) << Qt::endl;
        return kExitUsage;
    }

    const bool checking = parser.isSet(check);
    ReplayOptions replay;
    replay.client = options;
    replay.speed = factor;
    replay.fast = parser.isSet(fast);
    replay.repeat = int(repeats);
    replay.replyTimeoutMs = int(timeoutMs);
    quint64 sent = 0, matched = 0, differed = 0;
    QString current;
    const QString error = replayToServer(scripts, name.value(), replay, [&](const ReplayExchange &x) {
        if (x.script != current || x.index == 0) {
            current = x.script;
            err() << "pipescope: replaying " << x.script << Qt::endl;
        }
        ++sent;
        out() << "-> " << formatSize(quint64(x.sent.size())) << "  " << previewPayload(x.sent, 100) << '\n';
        for (const QByteArray &reply : x.got)
            out() << "<- " << formatSize(quint64(reply.size())) << "  " << previewPayload(reply, 100) << '\n';
        out().flush();
        if (!checking)
            return;
        for (qsizetype r = 0; r < x.expected.size(); ++r) {
            if (r < x.got.size() && comparer.same(x.expected[r], x.got[r])) {
                ++matched;
                continue;
            }
            ++differed;
            err() << "MISMATCH " << x.script << ", message " << (x.index + 1) << ", reply " << (r + 1) << ":\n";
            if (r < x.got.size())
                err() << ReplyComparer::describeDifference(x.expected[r], x.got[r]) << '\n';
            else
                err() << "  expected: " << previewPayload(x.expected[r], 100) << "\n       got: nothing ("
                      << x.problem << ")\n";
        }
    });
    if (!error.isEmpty()) {
        err() << "pipescope: " << printable(error) << Qt::endl;
        return kExitUsage;
    }
    if (checking)
        err() << "pipescope: " << sent << " messages sent; " << matched << " replies matched, " << differed
              << " differed" << Qt::endl;
    return checking && differed > 0 ? kExitPipeFailure : 0;
}

} // namespace

bool isCommand(const QString &word)
{
    return word == QLatin1String("serve") || word == QLatin1String("send") || word == QLatin1String("list") ||
           word == QLatin1String("replay");
}

int runCommand(const QString &command, const QStringList &arguments)
{
    // QCommandLineParser expects the program name first.
    const QStringList args = QStringList{QStringLiteral("pipescope ") + command} + arguments;
    if (command == QLatin1String("serve"))
        return runServe(args);
    if (command == QLatin1String("send"))
        return runSend(args);
    if (command == QLatin1String("list"))
        return runList(args);
    if (command == QLatin1String("replay"))
        return runReplay(args);
    return usageError(QStringLiteral("unknown command \"%1\"").arg(command));
}

} // namespace PipeScope
