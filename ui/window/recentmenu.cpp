#include "recentmenu.h"
#include "recent.h"
#include "settingskeys.h"

#include <QDir>

namespace PipeScope {

RecentMenu::RecentMenu(QWidget *parent) : QMenu(tr("&Recent"), parent)
{
    setObjectName(QStringLiteral("recentMenu"));
    connect(this, &QMenu::aboutToShow, this, &RecentMenu::refill);
}

void RecentMenu::refill()
{
    clear();
    const QStringList sessions = recentEntries(SettingsKeys::kRecentSessions);
    const QStringList servers = recentEntries(SettingsKeys::kRecentServers);
    const QStringList clients = recentEntries(SettingsKeys::kRecentClients);
    for (const QString &path : sessions)
        addAction(tr("Open Session: %1").arg(QDir::toNativeSeparators(path)), this,
                  [this, path] { emit openSessionRequested(path); });
    if (!sessions.isEmpty() && !(servers.isEmpty() && clients.isEmpty()))
        addSeparator();
    for (const QString &name : servers)
        addAction(tr("New Server: %1").arg(name), this,
                  [this, name] { emit newServerRequested(name); });
    if (!servers.isEmpty() && !clients.isEmpty())
        addSeparator();
    for (const QString &name : clients)
        addAction(tr("Connect Client: %1").arg(name), this,
                  [this, name] { emit connectClientRequested(name); });
    if (isEmpty())
        addAction(tr("(none yet)"))->setEnabled(false);
}

} // namespace PipeScope

#include "moc_recentmenu.cpp"
