#include "profile.h"

#include <QCoreApplication>
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
    // ~/.local/share/PipeScope, %LOCALAPPDATA%\PipeScope: the application's
    // name once (AppDataLocation adds the organization's too).
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + QLatin1Char('/') +
           QCoreApplication::applicationName();
}

QString legacyDataDirectory()
{
    if (!current().isEmpty())
        return {};
    const QString legacy = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    return legacy == dataDirectory() ? QString() : legacy;
}

} // namespace PipeScope::Profile
