#include "units.h"

#include <QDateTime>

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

QString formatTime(qint64 timestampNs)
{
    return QDateTime::fromMSecsSinceEpoch(timestampNs / 1000000).toString(QStringLiteral("HH:mm:ss.zzz")) +
           QStringLiteral("%1").arg((timestampNs / 1000) % 1000, 3, 10, QLatin1Char('0'));
}

} // namespace PipeScope
