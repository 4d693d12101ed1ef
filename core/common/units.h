#pragma once

// Sizes and times as PipeScope writes them everywhere.

#include <QString>
#include <QtGlobal>

namespace PipeScope {

// "27 B", "4.0 KiB", "16.0 MiB"
QString formatSize(quint64 bytes);

// An event's time of day, local, to the microsecond: "14:03:07.123456".
QString formatTime(qint64 timestampNs);

} // namespace PipeScope
