// pipescope send NAME MESSAGE...: connect, send each message, print each reply.
#include "commands.h"
#include "commandline.h"

#include "capturehub.h"
#include "capturelog.h"
#include "pipeclient.h"

#include <QTimer>

namespace PipeScope::Cli {

namespace {

// In byte mode a reply has no end marker: it is what arrived until the
// stream stayed quiet this long.
constexpr int kByteReplyQuietMs = 100;

struct SendArguments
{
    ClientConfig config;
    QList<QByteArray> messages;
    int replyTimeoutMs = 5000;
    bool expectReplies = true;
    QString recordPath;
};

// send's options, and the conversation they describe.
struct SendOptions
{
    using Arguments = SendArguments;
    PipeOptions pipe;
    EncodingOptions encoding;
    ClientOptions client;
    QCommandLineOption noReply{QStringLiteral("no-reply"), QStringLiteral("Do not wait for replies.")};
    QCommandLineOption record = recordOption();

    void addTo(QCommandLineParser &parser) const
    {
        parser.addPositionalArgument(QStringLiteral("NAME"), QStringLiteral("Pipe name."));
        parser.addPositionalArgument(QStringLiteral("MESSAGE"), QStringLiteral("Messages to send, one message each."),
                                     QStringLiteral("MESSAGE..."));
        pipe.addTo(parser);
        encoding.addTo(parser);
        client.addTo(parser);
        parser.addOptions({noReply, record});
    }

    std::variant<SendArguments, QString> parse(const QCommandLineParser &parser) const
    {
        const QStringList positional = parser.positionalArguments();
        if (positional.size() < 2)
            return QStringLiteral("send needs a NAME and at least one MESSAGE (try pipescope send --help)");
        SendArguments a;
        a.config.name = positional.constFirst();
        PipeOptions::Values p;
        if (const std::optional<QString> problem = pipe.parse(parser, p))
            return *problem;
        a.config.options.convention = p.convention;
        a.config.options.type = p.type;
        a.config.options.readMode = p.readMode;
        a.config.options.maxMessageSize = p.maxMessage.value_or(a.config.options.maxMessageSize);
        ClientOptions::Values c;
        if (const std::optional<QString> problem = client.parse(parser, c))
            return *problem;
        a.config.options.waitMs = c.waitMs;
        a.config.options.serverUser = c.serverUser;
        a.replyTimeoutMs = c.replyTimeoutMs;
        a.expectReplies = !parser.isSet(noReply);
        a.recordPath = parser.value(record);
        for (qsizetype i = 1; i < positional.size(); ++i) {
            QByteArray bytes;
            QString problem;
            if (!encodePayload(positional.at(i), encoding.encoding(parser), bytes, &problem))
                return QStringLiteral("message %1: %2").arg(i).arg(problem);
            a.messages.append(bytes);
        }
        return a;
    }
};

} // namespace

int runSend(const QStringList &arguments)
{
    const auto parsed = parseCommand<SendOptions>(
        QStringLiteral("Connect, send each MESSAGE as one message, print each reply."), arguments);
    if (const int *code = std::get_if<int>(&parsed))
        return *code;
    const SendArguments &a = std::get<SendArguments>(parsed);

    CaptureHub hub;
    hub.setInterval(0);
    PipeClient client(1, &hub);
    int exitCode = 0;
    std::function<void(const QString &)> fail;
    std::shared_ptr<CaptureLog> recording;
    if (!a.recordPath.isEmpty()) {
        SessionEndpoint endpoint;
        endpoint.id = 1;
        endpoint.kind = SessionEndpoint::Kind::Client;
        endpoint.client = a.config;
        recording = startRecording(a.recordPath, endpoint, hub, &client,
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
            printError(message);
        exitCode = kExitPipeFailure;
        replyTimer.stop();
        quietTimer.stop();
        if (client.isRunning())
            client.close();
        else
            QCoreApplication::exit(exitCode);
    };
    std::function<void()> sendNext = [&] {
        if (next == a.messages.size()) {
            client.close();
            return;
        }
        const QByteArray &bytes = a.messages.at(next++);
        out() << "-> " << bytes.size() << " B  " << previewPayload(bytes, 100) << Qt::endl;
        client.send(bytes);
        if (!a.expectReplies) {
            QTimer::singleShot(0, &client, sendNext);
            return;
        }
        awaitingReply = true;
        replyBytes.clear();
        replyParts = 0;
        replyTimer.start(a.replyTimeoutMs);
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
        fail(QStringLiteral("no reply within %1 ms").arg(a.replyTimeoutMs));
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
    client.open(a.config);
    const int code = QCoreApplication::exec();
    hub.flush();
    if (recording)
        recording->close();
    return code;
}

} // namespace PipeScope::Cli
