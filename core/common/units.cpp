#include "units.h"

#include <QDateTime>

#include <algorithm>

namespace PipeScope {

QString formatSize(quint64 bytes)
{
    if (bytes < 1024)
        return QStringLiteral("%1 B").arg(bytes);
    if (bytes < 1024 * 1024)
        return QStringLiteral("%1 KiB").arg(double(bytes) / 1024.0, 0, 'f', 1);
    if (bytes < quint64(1024) * 1024 * 1024)
        return QStringLiteral("%1 MiB").arg(double(bytes) / (1024.0 * 1024.0), 0, 'f', 1);
    return QStringLiteral("%1 GiB").arg(double(bytes) / (1024.0 * 1024.0 * 1024.0), 0, 'f', 2);
}

QString counted(qint64 n, const QString &one, const QString &many)
{
    return QStringLiteral("%1 %2").arg(n).arg(n == 1 ? one : many);
}

QString formatDelta(qint64 ns)
{
    const QChar sign = ns < 0 ? QChar(0x2212) : QLatin1Char('+');
    // In unsigned: the magnitude of the most negative value still fits.
    const quint64 m = ns < 0 ? quint64(0) - quint64(ns) : quint64(ns);
    constexpr quint64 us = 1000, ms = 1000 * us, s = 1000 * ms, min = 60 * s, h = 60 * min;
    if (m < ms)
        return QStringLiteral("%1%2 µs").arg(sign).arg(double(m) / double(us), 0, 'f', 0);
    if (m < s)
        return QStringLiteral("%1%2 ms").arg(sign).arg(double(m) / double(ms), 0, 'f', 3);
    if (m < min)
        return QStringLiteral("%1%2 s").arg(sign).arg(double(m) / double(s), 0, 'f', 3);
    if (m < h)
        return QStringLiteral("%1%2 min %3 s").arg(sign).arg(m / min).arg(double(m % min) / double(s), 0, 'f', 1);
    return QStringLiteral("%1%2 h %3 min").arg(sign).arg(m / h).arg((m % h) / min);
}

QString formatDuration(qint64 ns)
{
    ns = std::max<qint64>(ns, 0);
    if (ns < 1000)
        return QStringLiteral("%1 ns").arg(ns);
    if (ns < 1000000)
        return QStringLiteral("%1 µs").arg(double(ns) / 1000.0, 0, 'f', 1);
    return formatDelta(ns).sliced(1);
}

QString formatTime(qint64 timestampNs)
{
    return formatTime(timestampNs, TimeDisplay::TimeOfDay, 0);
}

QString formatTime(qint64 timestampNs, TimeDisplay display, qint64 startNs)
{
    const QString micros = QStringLiteral("%1").arg((timestampNs / 1000) % 1000, 3, 10, QLatin1Char('0'));
    switch (display) {
    case TimeDisplay::TimeOfDay:
        return QDateTime::fromMSecsSinceEpoch(timestampNs / 1000000).toString(QStringLiteral("HH:mm:ss.zzz")) + micros;
    case TimeDisplay::DateAndTime:
        return QDateTime::fromMSecsSinceEpoch(timestampNs / 1000000).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz")) +
               micros;
    case TimeDisplay::SinceStart: {
        const qint64 us = (timestampNs - startNs) / 1000;
        const qint64 magnitude = us < 0 ? -us : us;
        return QStringLiteral("%1%2.%3")
            .arg(us < 0 ? QStringLiteral("-") : QString())
            .arg(magnitude / 1000000)
            .arg(magnitude % 1000000, 6, 10, QLatin1Char('0'));
    }
    }
    return {};
}

} // namespace PipeScope
