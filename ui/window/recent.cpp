#include "recent.h"

#include <QSettings>

namespace PipeScope {

namespace {
constexpr int kRecentEntries = 10;
} // namespace

void rememberRecent(const char *key, const QString &entry)
{
    QSettings settings;
    QStringList entries = settings.value(QLatin1String(key)).toStringList();
    entries.removeAll(entry);
    entries.prepend(entry);
    settings.setValue(QLatin1String(key), entries.mid(0, kRecentEntries));
}

QStringList recentEntries(const char *key)
{
    return QSettings().value(QLatin1String(key)).toStringList();
}

} // namespace PipeScope
