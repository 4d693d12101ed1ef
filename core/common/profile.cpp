#include "profile.h"

#include <QDir>
#include <QSettings>
#include <QStandardPaths>

namespace PipeScope::Profile {

namespace {
QString &current()
{
    static QString directory;
    return directory;
}
} // namespace

void use(const QString &directory)
{
    current() = QDir(directory).absolutePath();
    // Every default-constructed QSettings from now on is this INI file.
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, current() + QStringLiteral("/settings"));
}

void useFromEnvironment()
{
    const QString directory = qEnvironmentVariable(kEnvironmentVariable);
    if (!directory.isEmpty())
        use(directory);
}

QString dataDirectory()
{
    if (!current().isEmpty())
        return current() + QStringLiteral("/data");
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
}

} // namespace PipeScope::Profile
