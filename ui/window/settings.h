#pragma once

#include "theme.h"
#include "units.h"

#include <QByteArray>

namespace PipeScope::Settings {

// The window's settings, typed: what each holds and its default are said
// once, here (settingskeys.h is the table of their keys). QSettings keeps
// them per user, in the profile (Profile::use()).

// "Try the Sample" offered at start-up; true.
bool offerSample();
void setOfferSample(bool offer);
// Offer to save what was captured when a window closes; true.
bool askToSave();
void setAskToSave(bool ask);
// Follow the system.
Theme theme();
void setTheme(Theme theme);
// The memory for captured messages' bytes, in bytes: the user's choice,
// else a quarter of the machine's memory (TrafficStore::defaultPayloadLimit).
quint64 payloadLimit();
// The user's choice in MiB; the default, which follows the machine, is
// not stored (so it follows a machine with more memory).
void setPayloadLimitMiB(quint64 mib);
// The Time column's form; the time of day.
TimeDisplay timeDisplay();
void setTimeDisplay(TimeDisplay display);
// The docks' width the user chose, in pixels.
inline constexpr int kDefaultDockWidth = 460;
int dockWidth();
// The window's place and its docks (QWidget::saveGeometry,
// QMainWindow::saveState); empty before the first close.
QByteArray windowGeometry();
QByteArray windowState();
void setWindowLayout(const QByteArray &geometry, const QByteArray &state, int dockWidth);

} // namespace PipeScope::Settings
