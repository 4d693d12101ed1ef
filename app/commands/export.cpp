// pipescope export: a session file to CSV, text, raw bytes or pcapng.
#include "commands.h"
#include "commandline.h"

#include "sessionload.h"
#include "trafficexport.h"
#include "trafficstore.h"

#include <QFile>
#include <QRegularExpression>

namespace PipeScope::Cli {

int runExport(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Write a session's events to OUT: CSV (.csv), text as serve prints it (.txt), the messages' "
                       "raw bytes, or pcapng for Wireshark (.pcapng), as OUT's suffix or --format says."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("The session file."));
    parser.addPositionalArgument(QStringLiteral("OUT"), QStringLiteral("The file to write."));
    const QCommandLineOption format(QStringLiteral("format"), QStringLiteral("csv, text, raw or pcapng."),
                                    QStringLiteral("format"));
    const QCommandLineOption dissector(QStringLiteral("dissector"),
                                       QStringLiteral("With pcapng: the Wireshark dissector for the payloads "
                                                      "(default data; name your own protocol's to have it applied)."),
                                       QStringLiteral("name"), QStringLiteral("data"));
    parser.addOptions({format, dissector});
    if (const std::optional<int> done = parseOrHelp(parser, arguments))
        return *done;
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 2)
        return usageError(QStringLiteral("export takes a session FILE and an OUT file"));
    ExportFormat chosen = exportFormatFor(positional[1]);
    if (parser.isSet(format)) {
        const QString name = parser.value(format).toLower();
        if (name == QLatin1String("csv"))
            chosen = ExportFormat::Csv;
        else if (name == QLatin1String("text"))
            chosen = ExportFormat::Text;
        else if (name == QLatin1String("raw"))
            chosen = ExportFormat::Raw;
        else if (name == QLatin1String("pcapng"))
            chosen = ExportFormat::Pcapng;
        else
            return usageError(QStringLiteral("--format: \"%1\" is not csv, text, raw or pcapng").arg(parser.value(format)));
    }
    // A registered dissector's name: letters, digits, '.', '_', '-'.
    static const QRegularExpression dissectorName(QStringLiteral("^[A-Za-z0-9._-]{1,64}$"));
    if (!dissectorName.match(parser.value(dissector)).hasMatch())
        return usageError(QStringLiteral("--dissector: \"%1\" is not a dissector's name (letters, digits, '.', '_', "
                                         "'-'; at most 64)").arg(printable(parser.value(dissector))));
    QFile file(positional[0]);
    if (!file.open(QIODevice::ReadOnly)) {
        printError(QStringLiteral("cannot open %1: %2").arg(positional[0], file.errorString()));
        return kExitUsage;
    }
    TrafficStore store;
    const SessionLoad load = loadSession(&file, store);
    if (!load.ok) {
        printError(positional[0] + QStringLiteral(": ") + load.error);
        return kExitUsage;
    }
    if (!load.warning.isEmpty())
        printError(positional[0] + QStringLiteral(": ") + load.warning);
    QHash<quint32, QString> names;
    for (const SessionEndpoint &endpoint : load.header.endpoints)
        names.insert(endpoint.id, endpoint.kind == SessionEndpoint::Kind::Client ? QStringLiteral("→ ") + endpoint.name()
                                                                                : endpoint.name());
    QString error;
    const qint64 written = exportTraffic(store.snapshot(), {}, chosen, positional[1], names, &error, parser.value(dissector));
    if (written < 0) {
        printError(error);
        return kExitPipeFailure;
    }
    err() << "pipescope: " << written << (written == 1 ? " event" : " events") << " written to "
          << printable(positional[1]) << Qt::endl;
    return 0;
}

} // namespace PipeScope::Cli
