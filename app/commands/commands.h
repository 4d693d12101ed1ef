#pragma once

// The headless commands: `pipescope COMMAND ...`, one file each
// (serve.cpp, send.cpp, list.cpp, replay.cpp). They need no display: the
// caller runs them with a QCoreApplication.

#include <QList>
#include <QString>
#include <QStringList>

namespace PipeScope::Cli {

struct Command
{
    QString name;
    QString usage;   // what follows the name, for the program's --help
    QString summary; // one line
    int (*run)(const QStringList &arguments); // arguments: the program, then the command's own
};

// Every command, in the order --help lists them.
const QList<Command> &commands();
// The command named `word`, or null.
const Command *findCommand(const QString &word);
// Runs `command` with the arguments after its name; the process's exit code.
int runCommand(const Command &command, const QStringList &arguments);

int runServe(const QStringList &arguments);
int runSend(const QStringList &arguments);
int runList(const QStringList &arguments);
int runReplay(const QStringList &arguments);
int runExport(const QStringList &arguments);
int runMonitor(const QStringList &arguments);

} // namespace PipeScope::Cli
