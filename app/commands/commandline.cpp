#include "commandline.h"

#include "capturehub.h"
#include "capturelog.h"
#include "handlenotifier.h"
#include "interrupt.h"
#include "pcapng.h"
#include "userfile.h"

#include <QCoreApplication>
#include <QFile>

#ifdef Q_OS_WIN
#include <fcntl.h>
#include <io.h>
#endif

namespace PipeScope::Cli {

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

void printError(const QString &message)
{
    err() << "pipescope: " << printable(message) << Qt::endl;
}

int usageError(const QString &message)
{
    printError(message);
    return kExitUsage;
}

std::optional<int> parseOrHelp(QCommandLineParser &parser, const QStringList &arguments)
{
    if (!parser.parse(arguments))
        return usageError(parser.errorText());
    if (parser.isSet(QStringLiteral("help"))) {
        // Qt's usage line names the program as the system started it; this
        // one names the command too, as runCommand() gives it.
        QString help = parser.helpText();
        const QString started = QStringLiteral("Usage: ") + QCoreApplication::arguments().value(0);
        if (help.startsWith(started))
            help.replace(0, started.size(), QStringLiteral("Usage: ") + arguments.value(0));
        out() << help;
        out().flush();
        return 0;
    }
    return std::nullopt;
}

std::optional<quint64> parseNumber(const QString &text, quint64 min, quint64 max)
{
    bool ok = false;
    const quint64 n = text.toULongLong(&ok);
    if (!ok || n < min || n > max)
        return std::nullopt;
    return n;
}


// --- PipeOptions ------------------------------------------------------------

void PipeOptions::addTo(QCommandLineParser &parser) const
{
    parser.addOptions({convention, type, readMode, maxMessage});
}

std::optional<QString> PipeOptions::parse(const QCommandLineParser &parser, Values &v) const
{
    if (!Native::parseConvention(parser.value(convention).toStdString(), v.convention))
        return QStringLiteral("--convention must be pipescope, qt or dotnet, not \"%1\"").arg(parser.value(convention));
    if (parser.isSet(type)) {
        Native::PipeType parsed{};
        if (!Native::parsePipeType(parser.value(type).toStdString(), parsed))
            return QStringLiteral("--type must be message or byte, not \"%1\"").arg(parser.value(type));
        v.type = parsed;
    }
    if (parser.isSet(readMode)) {
        Native::ReadMode parsed{};
        if (!Native::parseReadMode(parser.value(readMode).toStdString(), parsed))
            return QStringLiteral("--read-mode must be message or byte, not \"%1\"").arg(parser.value(readMode));
        v.readMode = parsed;
    }
    if (parser.isSet(maxMessage)) {
        const std::optional<quint64> n = parseNumber(parser.value(maxMessage), 1, quint64(1) << 32);
        if (!n)
            return QStringLiteral("--max-message must be a byte count from 1 to 4 GiB");
        v.maxMessage = std::size_t(*n);
    }
    return std::nullopt;
}

// --- EncodingOptions --------------------------------------------------------

void EncodingOptions::addTo(QCommandLineParser &parser) const
{
    parser.addOptions({hex, escapes, utf16, nul});
}

EncodeOptions EncodingOptions::encoding(const QCommandLineParser &parser) const
{
    EncodeOptions e;
    e.format = parser.isSet(hex) ? InputFormat::Hex : parser.isSet(escapes) ? InputFormat::Escapes : InputFormat::Text;
    e.encoding = parser.isSet(utf16) ? TextEncoding::Utf16Le : TextEncoding::Utf8;
    e.trailingNul = parser.isSet(nul);
    return e;
}

// --- ClientOptions ----------------------------------------------------------

void ClientOptions::addTo(QCommandLineParser &parser) const
{
    parser.addOptions({wait, replyTimeout, serverUser});
}

std::optional<QString> ClientOptions::parse(const QCommandLineParser &parser, Values &v) const
{
    const std::optional<quint64> waitMs = parseNumber(parser.value(wait), 0, kLongestMs);
    if (!waitMs)
        return QStringLiteral("--wait must be milliseconds, from 0 to %1 (24 h), not \"%2\"")
            .arg(kLongestMs)
            .arg(parser.value(wait));
    v.waitMs = std::uint32_t(*waitMs);
    const std::optional<quint64> replyMs = parseNumber(parser.value(replyTimeout), 1, kLongestMs);
    if (!replyMs)
        return QStringLiteral("--reply-timeout must be milliseconds, from 1 to %1 (24 h), not \"%2\"")
            .arg(kLongestMs)
            .arg(parser.value(replyTimeout));
    v.replyTimeoutMs = int(*replyMs);
    v.serverUser = parser.value(serverUser).toStdString();
    return std::nullopt;
}

QCommandLineOption recordOption()
{
    return {QStringLiteral("record"), QStringLiteral("Record every event to a session file (docs/session-format.md)."),
            QStringLiteral("file")};
}

// --- --pcapng -----------------------------------------------------------------

QCommandLineOption pcapngOption()
{
    return {QStringLiteral("pcapng"),
            QStringLiteral("Write every event as pcapng as it happens, to FILE or - (standard output, instead of the "
                           "event lines): pipescope serve NAME --pcapng - | wireshark -k -i -"),
            QStringLiteral("file")};
}

struct LivePcapng::Parts
{
    QFile file;
    PcapngWriter writer{&file};
};

std::unique_ptr<LivePcapng> LivePcapng::open(const QString &path)
{
    std::unique_ptr<LivePcapng> live(new LivePcapng);
    live->m_parts = std::make_unique<Parts>();
    live->m_stdout = path == QLatin1String("-");
    QFile &file = live->m_parts->file;
    bool opened = false;
    if (live->m_stdout) {
        out().flush();
#ifdef Q_OS_WIN
        _setmode(_fileno(stdout), _O_BINARY); // bytes as they are, no CR before LF
#endif
        opened = file.open(stdout, QIODevice::WriteOnly | QIODevice::Unbuffered);
    } else {
        file.setFileName(path);
        opened = openUserOnly(file, QIODevice::WriteOnly | QIODevice::Truncate);
    }
    if (!opened || !live->m_parts->writer.writeHeader(QStringLiteral("PipeScope %1").arg(QCoreApplication::applicationVersion()))) {
        printError(QStringLiteral("cannot write pcapng to %1: %2").arg(path, file.errorString()));
        return nullptr;
    }
    file.flush();
    return live;
}

LivePcapng::~LivePcapng() = default;

bool LivePcapng::write(const TrafficBatch &batch, const QString &endpointName)
{
    if (m_failed)
        return false;
    bool ok = true;
    for (const TrafficEvent &event : batch)
        ok = ok && m_parts->writer.write(event, endpointName);
    ok = ok && m_parts->file.flush();
    if (!ok) {
        m_failed = true;
        printError(QStringLiteral("pcapng: %1").arg(m_parts->file.errorString()));
    }
    return ok;
}

// --- Ctrl+C and --record ----------------------------------------------------

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

std::shared_ptr<CaptureLog> startRecording(const QString &path, const SessionEndpoint &endpoint, CaptureHub &hub,
                                           QObject *context, std::function<void()> onFailure)
{
    SessionHeader header;
    header.app = QCoreApplication::applicationVersion();
    header.endpoints = {endpoint};
    QString error;
    std::shared_ptr<CaptureLog> log = CaptureLog::create(path, header, &error);
    if (!log) {
        printError(error);
        return nullptr;
    }
    log->setFailureHandler([context, onFailure](const QString &reason) {
        QMetaObject::invokeMethod(context, [reason, onFailure] {
            printError(reason);
            onFailure();
        }, Qt::QueuedConnection);
    });
    hub.setLog(log);
    return log;
}

} // namespace PipeScope::Cli
