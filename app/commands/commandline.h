#pragma once

// What the headless commands share: their output streams and exit codes,
// the options more than one command takes (each defined once, here), the
// event line format, Ctrl+C, and --record.

#include "payloadinput.h"
#include "payloadpreview.h"
#include "units.h"
#include "sessionformat.h"
#include "trafficevent.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>

namespace PipeScope {

class CaptureHub;
class CaptureLog;

namespace Cli {

constexpr int kExitPipeFailure = 1;
constexpr int kExitUsage = 2;

QTextStream &out();
QTextStream &err();

// Prints "pipescope: MESSAGE" to stderr; the usage exit code.
int usageError(const QString &message);
// Prints "pipescope: MESSAGE" to stderr, the message made printable.
void printError(const QString &message);

// Parses a command's arguments; an exit code when the command ends here
// (bad arguments, or --help printed).
std::optional<int> parseOrHelp(QCommandLineParser &parser, const QStringList &arguments);

// A command's arguments parsed with its options struct, which adds its
// options to a parser (addTo) and turns them into the command's
// `Arguments` or the message naming a mistake (parse). The exit code
// instead when the command ends here: a mistake (said), or --help.
template <class Options>
std::variant<typename Options::Arguments, int> parseCommand(const QString &description, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(description);
    parser.addHelpOption();
    const Options options;
    options.addTo(parser);
    if (const std::optional<int> done = parseOrHelp(parser, arguments))
        return *done;
    auto parsed = options.parse(parser);
    if (const QString *problem = std::get_if<QString>(&parsed))
        return usageError(*problem);
    return std::get<typename Options::Arguments>(std::move(parsed));
}

// A whole number from `min` to `max`, written in decimal.
std::optional<quint64> parseNumber(const QString &text, quint64 min, quint64 max);

// The pipe's options: where a bare name lives, its type and read mode, the
// largest message; and how a message given as an argument is written.
struct PipeOptions
{
    QCommandLineOption convention{QStringLiteral("convention"),
                                  QStringLiteral("Where a bare NAME lives: pipescope, qt or dotnet."),
                                  QStringLiteral("convention"), QStringLiteral("pipescope")};
    QCommandLineOption type{QStringLiteral("type"), QStringLiteral("Pipe type: message or byte."),
                            QStringLiteral("type")};
    QCommandLineOption readMode{QStringLiteral("read-mode"), QStringLiteral("Read mode: message or byte."),
                                QStringLiteral("mode")};
    QCommandLineOption maxMessage{QStringLiteral("max-message"),
                                  QStringLiteral("Largest message accepted, in bytes (default 64 MiB)."),
                                  QStringLiteral("bytes")};

    struct Values
    {
        Native::Convention convention = Native::Convention::PipeScope;
        std::optional<Native::PipeType> type;
        std::optional<Native::ReadMode> readMode;
        std::optional<std::size_t> maxMessage;
    };

    void addTo(QCommandLineParser &parser) const;
    // The values given, into `values`; on a mistake, the message.
    std::optional<QString> parse(const QCommandLineParser &parser, Values &values) const;
};

// How a message given as an argument is turned into bytes.
struct EncodingOptions
{
    QCommandLineOption hex{QStringLiteral("hex"), QStringLiteral("Messages are given as hex bytes.")};
    QCommandLineOption escapes{QStringLiteral("escapes"),
                               QStringLiteral("Messages contain C escapes (\\n, \\x00, \\u263a).")};
    QCommandLineOption utf16{QStringLiteral("utf16"),
                             QStringLiteral("Encode text as UTF-16LE, as a Windows TCHAR program does.")};
    QCommandLineOption nul{QStringLiteral("nul"),
                           QStringLiteral("Append a NUL, as the sample sends (len+1)*sizeof(TCHAR).")};

    void addTo(QCommandLineParser &parser) const;
    EncodeOptions encoding(const QCommandLineParser &parser) const;
};

// A client's patience and whom it trusts.
struct ClientOptions
{
    static constexpr quint64 kLongestMs = 24ull * 3600 * 1000;

    QCommandLineOption wait{QStringLiteral("wait"),
                            QStringLiteral("How long to wait while every instance is busy (ms, up to 24 h)."),
                            QStringLiteral("ms"), QStringLiteral("5000")};
    QCommandLineOption replyTimeout{QStringLiteral("reply-timeout"),
                                    QStringLiteral("How long to wait for each reply (ms, 1 to 24 h)."),
                                    QStringLiteral("ms"), QStringLiteral("5000")};
    QCommandLineOption serverUser{
        QStringLiteral("server-user"),
        QStringLiteral("Refuse a server that does not run as USER (a name or uid; an account on Windows; "
                       "\"any\" for anyone). By default: yourself, whatever the name."),
        QStringLiteral("user")};

    struct Values
    {
        std::uint32_t waitMs = 5000;
        int replyTimeoutMs = 5000;
        std::string serverUser;
    };

    void addTo(QCommandLineParser &parser) const;
    // The values given, into `values`; on a mistake, the message.
    std::optional<QString> parse(const QCommandLineParser &parser, Values &values) const;
};

// --record FILE.
QCommandLineOption recordOption();

// --pcapng FILE: every event as pcapng (pcapng.h) as it is captured,
// flushed per batch, for `| wireshark -k -i -`; "-" is standard output.
QCommandLineOption pcapngOption();
class LivePcapng
{
public:
    // Null, with the reason printed, when the file cannot be made.
    static std::unique_ptr<LivePcapng> open(const QString &path);
    ~LivePcapng();
    // False once the file or its reader refuses (the reason is printed once).
    bool write(const TrafficBatch &batch, const QString &endpointName);
    bool isStandardOutput() const { return m_stdout; }

private:
    LivePcapng() = default;
    struct Parts;
    std::unique_ptr<Parts> m_parts;
    bool m_stdout = false;
    bool m_failed = false;
};

// Calls `handler` once on SIGINT/SIGTERM (Unix) or Ctrl+C (Windows).
void onInterrupt(QObject *context, std::function<void()> handler);

// --record FILE: a write-ahead log on the hub (CaptureLog). Each batch is
// written by the thread that read it, before any answer to it goes out, so
// a killed PipeScope loses nothing it read or answered. On a failure to
// write, `onFailure` runs in `context`'s thread (the reason is printed).
// Null, with the reason printed, when the file cannot be made.
std::shared_ptr<CaptureLog> startRecording(const QString &path, const SessionEndpoint &endpoint, CaptureHub &hub,
                                           QObject *context, std::function<void()> onFailure);

// Starts the server and runs the event loop until it stops (Ctrl+C stops
// it); a failure is printed and sets `exitCode` to `failureCode`.
template <class Server>
int runServer(Server &server, const std::function<void()> &start, int &exitCode, int failureCode)
{
    QObject::connect(&server, &Server::errorOccurred, [&exitCode, failureCode](const QString &message) {
        printError(message);
        exitCode = failureCode;
        QCoreApplication::exit(exitCode);
    });
    QObject::connect(&server, &Server::stopped, [&exitCode] { QCoreApplication::exit(exitCode); });
    onInterrupt(&server, [&server] { server.stop(); });
    start();
    return QCoreApplication::exec();
}

} // namespace Cli

} // namespace PipeScope
