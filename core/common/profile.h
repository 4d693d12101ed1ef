#pragma once

#include <QString>

namespace PipeScope::Profile {

// Where PipeScope keeps what outlives a run: its settings (window layout,
// recent names, preferences) and its data (crash journals).
//
// By default, the user's: QSettings' native place (the registry on
// Windows, ~/.config on Linux) and QStandardPaths::AppDataLocation. A
// profile directory holds all of it instead, settings as an INI file —
// for a portable copy, for a throwaway run (`--screenshot`), and for tests,
// which must never touch the user's state nor each other's.

// Everything goes to `directory` from now on, in this process.
void use(const QString &directory);

// Uses $PIPESCOPE_PROFILE_DIR when it is set; a child process started with
// it shares this process's profile.
void useFromEnvironment();

// Where data files (journals) go: the platform's data location and the
// application's name (~/.local/share/PipeScope), or the profile's.
QString dataDirectory();
// Where earlier versions put them (…/PipeScope/PipeScope), if elsewhere.
QString legacyDataDirectory();

inline constexpr char kEnvironmentVariable[] = "PIPESCOPE_PROFILE_DIR";

} // namespace PipeScope::Profile
