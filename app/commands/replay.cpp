// pipescope replay FILE: a session's client messages replayed to a server
// (--pipe), or its replies served to clients (--serve); --check compares.
#include "trafficexport.h"
#include "units.h"
#include "commands.h"
#include "commandline.h"

#include "replayclient.h"
#include "replycomparer.h"
#include "replayserver.h"
#include "sessionload.h"
#include "trafficstore.h"

#include <QFile>

namespace PipeScope::Cli {

namespace {

struct ReplayArguments
{
    QString path;
    QString pipeName;  // replay to this server
    QString serveName; // or be the server on this name
    ReplayOptions replay;
    bool check = false;
    ReplyComparer comparer;
};

// replay's options, and the replay they describe.
struct ReplayCommandOptions
{
    using Arguments = ReplayArguments;
    QCommandLineOption pipe{QStringLiteral("pipe"), QStringLiteral("The server to replay to."), QStringLiteral("name")};
    QCommandLineOption serveAs{
        QStringLiteral("serve"),
        QStringLiteral("Be the server instead: answer the n-th client with the n-th recorded conversation's replies."),
        QStringLiteral("name")};
    PipeOptions pipeOptions;
    ClientOptions client;
    QCommandLineOption speed{QStringLiteral("speed"), QStringLiteral("Play the recorded timing X times as fast."),
                             QStringLiteral("x"), QStringLiteral("1")};
    QCommandLineOption fast{QStringLiteral("fast"), QStringLiteral("Send each message as soon as its replies came.")};
    QCommandLineOption check{QStringLiteral("check"), QStringLiteral("Compare each reply with the recorded one.")};
    QCommandLineOption ignore{QStringLiteral("ignore"), QStringLiteral("With --check: ignore parts matching REGEX."),
                              QStringLiteral("regex")};
    QCommandLineOption repeat{QStringLiteral("repeat"),
                              QStringLiteral("Replay N times (with --serve: serve N clients)."), QStringLiteral("n"),
                              QStringLiteral("1")};

    void addTo(QCommandLineParser &parser) const
    {
        parser.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("A session file (docs/session-format.md)."));
        parser.addOptions({pipe, serveAs});
        pipeOptions.addTo(parser);
        client.addTo(parser);
        parser.addOptions({speed, fast, check, ignore, repeat});
    }

    std::variant<ReplayArguments, QString> parse(const QCommandLineParser &parser) const
    {
        if (parser.positionalArguments().size() != 1)
            return QStringLiteral("replay needs exactly one FILE (try pipescope replay --help)");
        if (parser.isSet(pipe) == parser.isSet(serveAs))
            return QStringLiteral("replay needs --pipe NAME (replay to a server) or --serve NAME (be the server)");
        ReplayArguments a;
        a.path = parser.positionalArguments().constFirst();
        a.pipeName = parser.value(pipe);
        a.serveName = parser.value(serveAs);
        if (parser.isSet(serveAs)) {
            // The server's pipe is made as the recorded one was.
            for (const QCommandLineOption &clientOnly :
                 {pipeOptions.type, pipeOptions.readMode, pipeOptions.maxMessage, client.wait, client.replyTimeout,
                  client.serverUser})
                if (parser.isSet(clientOnly))
                    return QStringLiteral("--%1 applies to --pipe (a client), not to --serve")
                        .arg(clientOnly.names().constFirst());
        }
        if (parser.isSet(speed) && parser.isSet(fast))
            return QStringLiteral("--speed and --fast exclude each other");
        bool ok = false;
        const double factor = parser.value(speed).toDouble(&ok);
        // Within these, every recorded gap scaled still fits a timer; NaN
        // and infinities fail the comparisons.
        constexpr double kSlowest = 0.001, kFastest = 1e6;
        if (!ok || !(factor >= kSlowest && factor <= kFastest))
            return QStringLiteral("--speed must be a number from 0.001 to 1000000, not \"%1\"").arg(parser.value(speed));
        const std::optional<quint64> repeats = parseNumber(parser.value(repeat), 1, 1000000);
        if (!repeats)
            return QStringLiteral("--repeat must be 1 or more");
        PipeOptions::Values p;
        if (const std::optional<QString> problem = pipeOptions.parse(parser, p))
            return *problem;
        ClientOptions::Values c;
        if (const std::optional<QString> problem = client.parse(parser, c))
            return *problem;
        a.replay.client.convention = p.convention;
        a.replay.client.type = p.type;
        a.replay.client.readMode = p.readMode;
        a.replay.client.maxMessageSize = p.maxMessage.value_or(a.replay.client.maxMessageSize);
        a.replay.client.waitMs = c.waitMs;
        a.replay.client.serverUser = c.serverUser;
        a.replay.replyTimeoutMs = c.replyTimeoutMs;
        a.replay.speed = factor;
        a.replay.fast = parser.isSet(fast);
        a.replay.repeat = int(*repeats);
        a.check = parser.isSet(check);
        QString problem;
        if (parser.isSet(ignore) && !a.comparer.setIgnore(parser.value(ignore), &problem))
            return problem;
        return a;
    }
};

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
    QObject::connect(&server, &ReplayServer::captured, [](const TrafficBatch &batch) {
        for (const TrafficEvent &e : batch)
            out() << formatEventLine(e) << '\n';
    });
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

} // namespace

int runReplay(const QStringList &arguments)
{
    const auto parsed = parseCommand<ReplayCommandOptions>(
        QStringLiteral("Replay a session's client messages to a server; with --check, compare its replies."), arguments);
    if (const int *code = std::get_if<int>(&parsed))
        return *code;
    const ReplayArguments &a = std::get<ReplayArguments>(parsed);

    const QString &path = a.path;
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
        printError(path + QStringLiteral(": no message from a client to replay"));
        return kExitUsage;
    }
    if (!a.serveName.isEmpty())
        return replayAsServer(a.serveName, scripts, a.replay.client.convention, a.check, a.comparer,
                              quint64(a.replay.repeat));
    const auto name = Native::PipeName::parse(a.pipeName.toStdString());
    if (!name) {
        err() << "pipescope: " << printable(QString::fromStdString(name.error().message())) << Qt::endl;
        return kExitUsage;
    }

    const bool checking = a.check;
    const ReplyComparer &comparer = a.comparer;
    quint64 sent = 0, matched = 0, differed = 0;
    QString current;
    const QString error = replayToServer(scripts, name.value(), a.replay, [&](const ReplayExchange &x) {
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
        // Replies the recording does not have are differences too.
        const qsizetype extra = x.got.size() - x.expected.size();
        if (extra <= 0)
            return;
        differed += quint64(extra);
        err() << "MISMATCH " << x.script << ", message " << (x.index + 1) << ": "
              << ReplyComparer::moreThanRecorded(extra) << ":\n";
        for (qsizetype r = x.expected.size(); r < x.got.size(); ++r)
            err() << "       got: " << previewPayload(x.got[r], 100) << " (" << formatSize(quint64(x.got[r].size()))
                  << ")\n";
    });
    if (!error.isEmpty()) {
        printError(error);
        return kExitUsage;
    }
    if (checking)
        err() << "pipescope: " << counted(sent, QStringLiteral("message"), QStringLiteral("messages")) << " sent; "
              << counted(matched, QStringLiteral("reply"), QStringLiteral("replies")) << " matched, " << differed
              << " differed" << Qt::endl;
    return checking && differed > 0 ? kExitPipeFailure : 0;
}

} // namespace PipeScope::Cli
