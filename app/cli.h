#pragma once

#include <QStringList>

namespace PipeScope {

// Headless subcommands of the pipescope executable. Return the exit code:
// 0 success, 1 a pipe failed (connect, send, read, time-out), 2 bad arguments.
bool isCommand(const QString &word);
int runCommand(const QString &command, const QStringList &arguments);

} // namespace PipeScope
