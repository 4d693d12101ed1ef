#include "commands.h"

namespace PipeScope::Cli {

const QList<Command> &commands()
{
    static const QList<Command> all{
        {QStringLiteral("serve"), QStringLiteral("NAME [OPTIONS]"),
         QStringLiteral("run a pipe server, print its traffic"), &runServe},
        {QStringLiteral("monitor"), QStringLiteral("NAME --to TARGET [OPTIONS]"),
         QStringLiteral("pass clients of NAME on to TARGET, print both sides"), &runMonitor},
        {QStringLiteral("send"), QStringLiteral("NAME MESSAGE... [OPTIONS]"),
         QStringLiteral("connect, send each message, print the replies"), &runSend},
        {QStringLiteral("list"), QString(), QStringLiteral("list the pipes that exist"), &runList},
        {QStringLiteral("replay"), QStringLiteral("FILE --pipe NAME | --serve NAME [--check]"),
         QStringLiteral("replay a session to a server, or serve its replies to clients"), &runReplay},
        {QStringLiteral("export"), QStringLiteral("FILE OUT [--format csv|text|raw|pcapng]"),
         QStringLiteral("write a session as CSV, text, raw bytes or pcapng (Wireshark)"), &runExport},
    };
    return all;
}

const Command *findCommand(const QString &word)
{
    for (const Command &command : commands())
        if (command.name == word)
            return &command;
    return nullptr;
}

int runCommand(const Command &command, const QStringList &arguments)
{
    // QCommandLineParser takes the program first; its help shows this.
    return command.run(QStringList{QStringLiteral("pipescope ") + command.name} + arguments);
}

} // namespace PipeScope::Cli
