// pipescope list: the pipes that exist now.
#include "commands.h"
#include "commandline.h"

namespace PipeScope::Cli {

int runList(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("List the pipes that exist now, one per line: type and name, "
                                                    "or with --long also the owner and the processes holding it."));
    parser.addHelpOption();
    const QCommandLineOption longOption({QStringLiteral("l"), QStringLiteral("long")},
                                        QStringLiteral("Also the owner, the holding processes (those this user may "
                                                       "look at) and the queue: waiting connections on Linux, "
                                                       "instances on Windows."));
    parser.addOption(longOption);
    if (const std::optional<int> done = parseOrHelp(parser, arguments))
        return *done;
    if (!parser.positionalArguments().isEmpty())
        return usageError(QStringLiteral("list takes no arguments"));
    const bool detailed = parser.isSet(longOption);
    auto listed = Native::listPipes(detailed ? Native::ListDetail::Owners : Native::ListDetail::Names);
    if (!listed) {
        printError(QString::fromStdString(listed.error().message()));
        return kExitPipeFailure;
    }
    const auto column = [](const QString &text, int width) { return printable(text).leftJustified(width); };
    for (const Native::PipeEntry &entry : listed.value()) {
        out() << column(entry.type ? QString::fromLatin1(Native::pipeTypeName(*entry.type)) : QStringLiteral("-"), 8);
        if (detailed) {
            const std::optional<std::uint32_t> queue = entry.instances ? entry.instances : entry.waiting;
            out() << (queue ? QString::number(*queue) : QStringLiteral("-")).rightJustified(4) << ' '
                  << column(entry.uid >= 0 ? QString::fromStdString(entry.user) : QStringLiteral("-"), 10) << ' ';
            QStringList holders;
            for (const Native::PipeHolder &holder : entry.holders)
                holders << QStringLiteral("%1/%2").arg(holder.pid).arg(QString::fromStdString(holder.process));
            out() << column(holders.isEmpty() ? QStringLiteral("-") : holders.join(QLatin1Char(',')), 24) << ' ';
        }
        out() << printable(QString::fromStdString(entry.name)) << '\n'; // one line, whatever the name holds
    }
    out().flush();
    return 0;
}

} // namespace PipeScope::Cli
