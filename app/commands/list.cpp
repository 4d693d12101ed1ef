// pipescope list: the pipes that exist now.
#include "commands.h"
#include "commandline.h"

namespace PipeScope::Cli {

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
        printError(QString::fromStdString(listed.error().message()));
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

} // namespace PipeScope::Cli
