#pragma once

// Sizes and times as PipeScope writes them everywhere.

#include <QString>
#include <QtGlobal>

namespace PipeScope {

// "27 B", "4.0 KiB", "16.0 MiB"
QString formatSize(quint64 bytes);

// A count and its noun, singular or plural: "1 message", "2 messages".
// (PipeScope ships no translations; Qt's %n would print "message(s)".)
QString counted(qint64 n, const QString &one, const QString &many);

// An event's time of day, local, to the microsecond: "14:03:07.123456".
QString formatTime(qint64 timestampNs);

} // namespace PipeScope
