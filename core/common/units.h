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

// The time between two events, signed, in the unit that suits it:
// "+412 µs", "+12.345 ms", "+3.021 s", "+11 min 23.8 s", "+3 h 10 min".
QString formatDelta(qint64 ns);
// How long something took, finer below a millisecond: "740 ns", "12.4 µs",
// then as formatDelta() without the sign.
QString formatDuration(qint64 ns);

// An event's time of day, local, to the microsecond: "14:03:07.123456".
QString formatTime(qint64 timestampNs);

// How a table shows when an event happened.
enum class TimeDisplay {
    TimeOfDay,    // "18:33:50.011451", local time
    DateAndTime,  // "2026-12-02 18:33:50.011451", local time
    SinceStart,   // "12.345678": seconds since the first event captured
};
// A timestamp as `display` shows it; `startNs` is the first event's.
QString formatTime(qint64 timestampNs, TimeDisplay display, qint64 startNs);

} // namespace PipeScope
