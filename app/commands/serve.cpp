// pipescope serve NAME: a pipe server that prints one line per event.
// pipescope monitor NAME --to TARGET: the same server passing each client
// on to TARGET (a relay), printing both sides' traffic.
#include "trafficexport.h"
#include "commands.h"
#include "commandline.h"

#include "capturehub.h"
#include "capturelog.h"
#include "interpose.h"
#include "pipeserver.h"

#include <QFileInfo>

namespace PipeScope::Cli {

namespace {

struct ServeArguments
{
    // monitor --interpose: NAME's server socket is moved aside for the
    // monitor's time; --restore: put back what a monitor left moved.
    enum class Interpose { No, Yes, RestoreOnly };
    Interpose interpose = Interpose::No;
    ServerConfig config;
    quint64 stopAfter = 0; // messages received; 0: never
    QString recordPath;
    QString pcapngPath;
};

// serve's options, and the server they describe; `monitor` takes them but
// the answers, and its target's (MonitorOptions).
struct ServeOptions
{
    using Arguments = ServeArguments;
    explicit ServeOptions(bool answers = true) : m_answers(answers) {}
    PipeOptions pipe;
    EncodingOptions encoding;
    QCommandLineOption instances{QStringLiteral("instances"), QStringLiteral("Max instances: 1-254 or unlimited."),
                                 QStringLiteral("n"), QStringLiteral("unlimited")};
    QCommandLineOption echo{QStringLiteral("echo"), QStringLiteral("Send every message back.")};
    QCommandLineOption reply{QStringLiteral("reply"), QStringLiteral("Answer every message with TEXT."),
                             QStringLiteral("text")};
    QCommandLineOption count{QStringLiteral("count"), QStringLiteral("Stop after N messages received."),
                             QStringLiteral("n")};
    QCommandLineOption access{QStringLiteral("access"), QStringLiteral("Who may connect: user (default) or default."),
                              QStringLiteral("who"), QStringLiteral("user")};
    QCommandLineOption bufferSize{QStringLiteral("buffer-size"), QStringLiteral("In and out buffer size (advisory)."),
                                  QStringLiteral("bytes")};
    QCommandLineOption record = recordOption();
    QCommandLineOption pcapng = pcapngOption();

    void addTo(QCommandLineParser &parser) const
    {
        parser.addPositionalArgument(QStringLiteral("NAME"),
                                     QStringLiteral("Pipe name: NAME, \\\\.\\pipe\\NAME, /path or @abstract."));
        pipe.addTo(parser);
        if (m_answers) {
            encoding.addTo(parser);
            parser.addOptions({echo, reply});
        }
        parser.addOptions({instances, count, access, bufferSize, record, pcapng});
    }

    // The server the arguments describe; on a mistake, the message.
    std::variant<ServeArguments, QString> parse(const QCommandLineParser &parser) const;

private:
    bool m_answers;
};

// monitor's options: serve's, with the pipe each client is passed on to.
struct MonitorOptions
{
    using Arguments = ServeArguments;
    ServeOptions listen{false};
    ClientOptions client;
    QCommandLineOption to{QStringLiteral("to"),
                          QStringLiteral("The pipe each client is passed on to (the real server): any name form."),
                          QStringLiteral("target")};
    QCommandLineOption toConvention{
        QStringLiteral("to-convention"),
        QStringLiteral("Where a bare TARGET lives: pipescope, qt, dotnet, or automatic (wherever it exists; the "
                       "default)."),
        QStringLiteral("convention"), QStringLiteral("automatic")};
    QCommandLineOption toType{QStringLiteral("to-type"),
                              QStringLiteral("The target's pipe type: message or byte (default: try message, then "
                                             "byte)."),
                              QStringLiteral("type")};

    QCommandLineOption interpose{
        QStringLiteral("interpose"),
        QStringLiteral("Monitor NAME's running server. Linux: its socket is renamed to NAME.pipescope-moved, the "
                       "monitor takes NAME and passes new clients on to it, and it is put back when the monitor stops "
                       "(Ctrl+C, SIGTERM, SIGHUP). Windows: the monitor adds instances to the server's pipe and "
                       "passes on the clients that reach them (the others reach the server directly).")};
    QCommandLineOption restore{QStringLiteral("restore"),
                               QStringLiteral("Put back a socket an --interpose monitor that did not stop cleanly left "
                                              "moved aside, and exit.")};

    void addTo(QCommandLineParser &parser) const
    {
        listen.addTo(parser);
        parser.addOptions({to, interpose, restore, toConvention, toType, client.wait, client.serverUser});
    }

    std::variant<ServeArguments, QString> parse(const QCommandLineParser &parser) const
    {
        const bool moving = parser.isSet(interpose) || parser.isSet(restore);
        if (parser.isSet(interpose) && parser.isSet(restore))
            return QStringLiteral("--interpose and --restore exclude each other");
#ifndef Q_OS_WIN
        // Linux tells a socket's type without connecting; Windows does not,
        // and there --type says it (message by default).
        if (parser.isSet(interpose) && (parser.isSet(listen.pipe.type) || parser.isSet(listen.pipe.readMode)))
            return QStringLiteral("--type and --read-mode are not for --interpose: the monitor takes the server's own");
#endif
        if (moving && parser.isSet(to))
            return QStringLiteral("--to is not for %1: the clients go to NAME's own server, moved aside")
                .arg(parser.isSet(restore) ? QStringLiteral("--restore") : QStringLiteral("--interpose"));
        if (!moving && (!parser.isSet(to) || parser.value(to).isEmpty()))
            return QStringLiteral("monitor needs --to TARGET, the pipe its clients are passed on to, or --interpose "
                                  "(try pipescope monitor --help)");
        auto parsed = listen.parse(parser);
        if (auto *problem = std::get_if<QString>(&parsed))
            return *problem;
        ServeArguments a = std::get<ServeArguments>(std::move(parsed));
        a.interpose = parser.isSet(restore)     ? ServeArguments::Interpose::RestoreOnly
                      : parser.isSet(interpose) ? ServeArguments::Interpose::Yes
                                                : ServeArguments::Interpose::No;
        ClientConfig target;
        // Interposing, the target is the moved socket, named once moved.
        target.name = moving ? QStringLiteral("(moved aside)") : parser.value(to);
        const QString convention = parser.value(toConvention);
        target.automaticConvention = convention == QLatin1String("automatic");
        if (!target.automaticConvention &&
            !Native::parseConvention(convention.toStdString(), target.options.convention))
            return QStringLiteral("--to-convention must be pipescope, qt, dotnet or automatic, not \"%1\"").arg(convention);
        if (parser.isSet(toType)) {
            Native::PipeType type{};
            if (!Native::parsePipeType(parser.value(toType).toStdString(), type))
                return QStringLiteral("--to-type must be message or byte, not \"%1\"").arg(parser.value(toType));
            target.options.type = type;
        }
        const auto waitMs = parseNumber(parser.value(client.wait), 0, ClientOptions::kLongestMs);
        if (!waitMs)
            return QStringLiteral("--wait must be milliseconds, from 0 to %1 (24 h), not \"%2\"")
                .arg(ClientOptions::kLongestMs)
                .arg(parser.value(client.wait));
        target.options.waitMs = std::uint32_t(*waitMs);
        target.options.serverUser = parser.value(client.serverUser).toStdString();
        // What the monitor may pass on from the server is what it takes
        // from the client.
        target.options.maxMessageSize = a.config.options.maxMessageSize;
        if (auto name = Native::PipeName::parse(target.name.toStdString()); !moving && !name)
            return QStringLiteral("--to: ") + QString::fromStdString(name.error().message());
        a.config.relayTo = target;
        return a;
    }
};

std::variant<ServeArguments, QString> ServeOptions::parse(const QCommandLineParser &parser) const
{
    if (parser.positionalArguments().size() != 1)
        return QStringLiteral("%1 needs exactly one NAME (try pipescope %1 --help)")
            .arg(m_answers ? QStringLiteral("serve") : QStringLiteral("monitor"));
    ServeArguments a;
    ServerConfig &config = a.config;
    config.name = parser.positionalArguments().constFirst();
    PipeOptions::Values v;
    if (const std::optional<QString> problem = pipe.parse(parser, v))
        return *problem;
    config.options.convention = v.convention;
    config.options.type = v.type.value_or(v.convention == Native::Convention::PipeScope ? Native::PipeType::Message
                                                                                        : Native::PipeType::Byte);
    config.options.readMode = v.readMode.value_or(
        config.options.type == Native::PipeType::Message ? Native::ReadMode::Message : Native::ReadMode::Byte);
    config.options.maxMessageSize = v.maxMessage.value_or(config.options.maxMessageSize);
    const QString inst = parser.value(instances);
    if (inst == QLatin1String("unlimited"))
        config.options.maxInstances = Native::kUnlimitedInstances;
    else if (const std::optional<quint64> n = parseNumber(inst, 1, Native::kMaxLimitedInstances))
        config.options.maxInstances = int(*n);
    else
        return QStringLiteral("--instances must be 1 to 254 or unlimited, not \"%1\"").arg(inst);
    // What the system would refuse (message reads of a byte pipe) is a
    // mistake in the arguments, said before anything is created.
    if (const Native::NativeError invalid = Native::validateServerOptions(config.options, config.name.toStdString());
        invalid.isError())
        return QString::fromStdString(invalid.message());
    if (m_answers && parser.isSet(echo) && parser.isSet(reply))
        return QStringLiteral("--echo and --reply exclude each other");
    if (m_answers && parser.isSet(echo))
        config.autoReply = AutoReply::Echo;
    if (m_answers && parser.isSet(reply)) {
        QString problem;
        if (!encodePayload(parser.value(reply), encoding.encoding(parser), config.replyBytes, &problem))
            return QStringLiteral("--reply: ") + problem;
        config.autoReply = AutoReply::Fixed;
    }
    if (parser.value(access) == QLatin1String("default"))
        config.options.access = Native::Access::Default;
    else if (parser.value(access) != QLatin1String("user"))
        return QStringLiteral("--access must be user or default");
    if (parser.isSet(bufferSize)) {
        const std::optional<quint64> n = parseNumber(parser.value(bufferSize), 0, 1u << 30);
        if (!n)
            return QStringLiteral("--buffer-size must be 0 to 1 GiB");
        config.options.inBufferSize = config.options.outBufferSize = std::uint32_t(*n);
    }
    if (parser.isSet(count)) {
        const std::optional<quint64> n = parseNumber(parser.value(count), 1, ~quint64(0));
        if (!n)
            return QStringLiteral("--count must be a positive number");
        a.stopAfter = *n;
    }
    a.recordPath = parser.value(record);
    a.pcapngPath = parser.value(pcapng);
    return a;
}

// Where NAME's server socket is, for --interpose and --restore.
std::optional<Native::PipeAddress> addressOf(const ServerConfig &config)
{
    auto name = Native::PipeName::parse(config.name.toStdString());
    if (!name) {
        printError(QString::fromStdString(name.error().message()));
        return std::nullopt;
    }
    auto address = Native::resolvePipeName(name.value(), config.options.convention);
    if (!address) {
        printError(QString::fromStdString(address.error().message()));
        return std::nullopt;
    }
    return address.value();
}

int restoreMovedAside(const ServerConfig &config)
{
    const std::optional<Native::PipeAddress> address = addressOf(config);
    if (!address)
        return kExitPipeFailure;
    const auto moved = Native::findMovedAside(*address);
    if (!moved) {
        printError(QString::fromStdString(moved.error().message()));
        return kExitPipeFailure;
    }
    if (const Native::NativeError error = Native::putBack(moved.value()); error.isError()) {
        printError(QString::fromStdString(error.message()));
        return kExitPipeFailure;
    }
    err() << "pipescope: put back " << printable(QString::fromStdString(moved.value().original)) << " (it was at "
          << printable(QString::fromStdString(moved.value().moved)) << ")" << Qt::endl;
    return 0;
}

// serve and monitor: the server runs until Ctrl+C (or --count), printing
// or writing what it captures.
int serveUntilStopped(ServeArguments a)
{
    if (a.interpose == ServeArguments::Interpose::RestoreOnly)
        return restoreMovedAside(a.config);
    a.config.interpose = a.interpose == ServeArguments::Interpose::Yes;
    if (a.config.interpose) {
        // Named now, for the record's header: where the server's socket
        // will be (Windows: its own name).
        const std::optional<Native::PipeAddress> address = addressOf(a.config);
        if (!address)
            return kExitPipeFailure;
        a.config.relayTo->name = QString::fromStdString(Native::movedAsideName(address->path));
        a.config.relayTo->automaticConvention = false;
    }
    const ServerConfig &config = a.config;
    const bool monitor = config.relayTo.has_value();

    CaptureHub hub;
    PipeServer server(1, &hub);
    int exitCode = 0;
    std::shared_ptr<CaptureLog> recording;
    if (!a.recordPath.isEmpty()) {
        SessionEndpoint endpoint;
        endpoint.id = 1;
        endpoint.kind = monitor ? SessionEndpoint::Kind::Monitor : SessionEndpoint::Kind::Server;
        endpoint.server = config;
        recording = startRecording(a.recordPath, endpoint, hub, &server, [&] {
            exitCode = kExitPipeFailure;
            server.stop();
        });
        if (!recording)
            return kExitPipeFailure;
    }
    std::unique_ptr<LivePcapng> live;
    if (!a.pcapngPath.isEmpty() && !(live = LivePcapng::open(a.pcapngPath)))
        return kExitPipeFailure;
    quint64 received = 0;
    // The reader of our output went away (`serve | head -1`): stop as on
    // SIGTERM, once, and say so (SIGPIPE is ignored: interruptHandle()).
    bool outputClosed = false;
    const auto checkOutput = [&] {
        out().flush();
        if (out().status() == QTextStream::Ok || outputClosed)
            return;
        outputClosed = true;
        printError(QStringLiteral("standard output is closed (its reader went away); stopping"));
        exitCode = kExitPipeFailure;
        server.stop();
    };
    QObject::connect(&server, &PipeServer::instanceThrottled, [&](quint32 instance, bool throttled, const QString &why) {
        if (live && live->isStandardOutput())
            return;
        out() << formatTime(nowNs()) << QStringLiteral("  #%1  ").arg(instance)
              << (throttled ? QStringLiteral("throttled  ") + why : QStringLiteral("resumed  reading again")) << '\n';
        checkOutput();
    });
    QObject::connect(&hub, &CaptureHub::batchReady, [&](const TrafficBatch &batch) {
        // Standard output carries either the event lines or pcapng.
        const bool lines = !live || !live->isStandardOutput();
        for (const TrafficEvent &e : batch) {
            if (lines)
                out() << formatEventLine(e) << '\n';
            // A monitor counts what it passed on either way.
            if (e.kind == EventKind::Data && (monitor || e.direction == Direction::In) && ++received == a.stopAfter)
                server.stop();
        }
        if (live && !live->write(batch, config.name)) {
            exitCode = kExitPipeFailure;
            server.stop();
        }
        if (lines)
            checkOutput();
    });
    QString moved; // --interpose: where the server's socket is meanwhile
    QObject::connect(&server, &PipeServer::interposed, [&](const QString &original, const QString &aside) {
        if (aside == original) {
            // Windows: nothing moves.
            err() << "pipescope: adding instances to the server's pipe " << printable(original)
                  << ": the clients that reach them pass through the monitor, the others reach the server "
                     "directly, and its connections made before now are not seen"
                  << Qt::endl;
            return;
        }
        moved = aside;
        err() << "pipescope: moved the server's socket " << printable(original) << " to " << printable(aside)
              << " until the monitor stops; its connections made before now go on directly and are not seen"
              << Qt::endl;
    });
    QObject::connect(&server, &PipeServer::listening, [&](const QString &address) {
        err() << "pipescope: listening on " << printable(address) << " ("
              << Native::pipeTypeName(config.options.type) << " pipe, "
              << (config.options.maxInstances == Native::kUnlimitedInstances
                      ? QStringLiteral("unlimited instances")
                      : QStringLiteral("max %1 instances").arg(config.options.maxInstances))
              << ")";
        if (monitor)
            err() << ", passing each client on to " << printable(moved.isEmpty() ? config.relayTo->name : moved);
        err() << "; Ctrl+C stops" << Qt::endl;

    });
    const int code = runServer(server, [&] { server.start(config); }, exitCode, kExitPipeFailure);
    hub.flush();
    if (recording)
        recording->close();
    // The listener put the socket back as it closed (or said why not).
    if (!moved.isEmpty()) {
        if (QFileInfo::exists(moved)) {
            printError(QStringLiteral("the server's socket is still at %1; pipescope monitor --restore %2 puts it back")
                           .arg(moved, config.name));
            return kExitPipeFailure;
        }
        err() << "pipescope: put back " << printable(config.name) << Qt::endl;
    }
    return code;
}

} // namespace

int runServe(const QStringList &arguments)
{
    const auto parsed =
        parseCommand<ServeOptions>(QStringLiteral("Create a pipe server and print one line per event."), arguments);
    if (const int *code = std::get_if<int>(&parsed))
        return *code;
    return serveUntilStopped(std::get<ServeArguments>(parsed));
}

int runMonitor(const QStringList &arguments)
{
    const auto parsed = parseCommand<MonitorOptions>(
        QStringLiteral("Listen on NAME and pass each client on to --to TARGET, printing both sides' traffic: "
                       "start the monitor on the name the client uses, with the server on another."),
        arguments);
    if (const int *code = std::get_if<int>(&parsed))
        return *code;
    return serveUntilStopped(std::get<ServeArguments>(parsed));
}

} // namespace PipeScope::Cli
