#pragma once

// Every QSettings key the app reads or writes, with its type and default.
namespace PipeScope::SettingsKeys {

inline constexpr const char *kOfferSample = "offerSample";         // bool, true: offer "Try the Sample" at start
inline constexpr const char *kAskToSave = "askToSaveOnClose";      // bool, true: offer to save when a window closes
inline constexpr const char *kTheme = "appearance/theme";          // int (Theme), System
inline constexpr const char *kPayloadLimit = "capture/payloadLimitMiB"; // int MiB; absent: a quarter of the memory
inline constexpr const char *kRecentServers = "recent/servers";    // QStringList, newest first
inline constexpr const char *kRecentClients = "recent/clients";    // QStringList, newest first
inline constexpr const char *kRecentMonitors = "recent/monitors";  // QStringList, newest first
inline constexpr const char *kRecentSessions = "recent/sessions";  // QStringList of paths, newest first
inline constexpr const char *kTimeDisplay = "view/timeDisplay";   // int (TimeDisplay), TimeOfDay
inline constexpr const char *kTreeHiddenColumns = "view/endpointTreeHiddenColumns"; // QVariantList of column numbers; absent: Peer
inline constexpr const char *kWindowGeometry = "window/geometry";  // QByteArray (QWidget::saveGeometry)
inline constexpr const char *kDockWidth = "window/dockWidth";    // int px, 460: the docks' width the user chose
inline constexpr const char *kWindowState = "window/state";        // QByteArray (QMainWindow::saveState)

} // namespace PipeScope::SettingsKeys
