// pipescope serve NAME: a pipe server that prints one line per event.
#include "trafficexport.h"
#include "commands.h"
#include "commandline.h"

#include "capturehub.h"
#include "capturelog.h"
#include "pipeserver.h"

namespace PipeScope::Cli {

namespace {

struct ServeArguments
{
    ServerConfig config;
    quint64 stopAfter = 0; // messages received; 0: never
    QString recordPath;
    QString pcapngPath;
};

// serve's options, and the server they describe.
struct ServeOptions
{
    using Arguments = ServeArguments;
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
        encoding.addTo(parser);
        parser.addOptions({instances, echo, reply, count, access, bufferSize, record, pcapng});
    }

    // The server the arguments describe; on a mistake, the message.
    std::variant<ServeArguments, QString> parse(const QCommandLineParser &parser) const;
};

std::variant<ServeArguments, QString> ServeOptions::parse(const QCommandLineParser &parser) const
{
    if (parser.positionalArguments().size() != 1)
        return QStringLiteral("serve needs exactly one NAME (try pipescope serve --help)");
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
    if (parser.isSet(echo) && parser.isSet(reply))
        return QStringLiteral("--echo and --reply exclude each other");
    if (parser.isSet(echo))
        config.autoReply = AutoReply::Echo;
    if (parser.isSet(reply)) {
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

} // namespace

int runServe(const QStringList &arguments)
{
    const auto parsed =
        parseCommand<ServeOptions>(QStringLiteral("Create a pipe server and print one line per event."), arguments);
    if (const int *code = std::get_if<int>(&parsed))
        return *code;
    const ServeArguments &a = std::get<ServeArguments>(parsed);
    const ServerConfig &config = a.config;

    CaptureHub hub;
    PipeServer server(1, &hub);
    int exitCode = 0;
    std::shared_ptr<CaptureLog> recording;
    if (!a.recordPath.isEmpty()) {
        SessionEndpoint endpoint;
        endpoint.id = 1;
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
            if (e.kind == EventKind::Data && e.direction == Direction::In && ++received == a.stopAfter)
                server.stop();
        }
        if (live && !live->write(batch, config.name)) {
            exitCode = kExitPipeFailure;
            server.stop();
        }
        if (lines)
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

} // namespace PipeScope::Cli
