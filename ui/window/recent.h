#pragma once

#include <QStringList>

namespace PipeScope {

// File ▸ Recent: names and session files that worked, newest first, ten
// of each kind (SettingsKeys::kRecent*). A name is remembered once its
// endpoint ran, a session file once it was opened or saved: what failed
// is not offered again.
void rememberRecent(const char *key, const QString &entry);
QStringList recentEntries(const char *key);

} // namespace PipeScope
