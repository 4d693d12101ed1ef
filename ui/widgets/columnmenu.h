#pragma once

#include <QList>

class QHeaderView;

namespace PipeScope {

class ColumnFitter;

// Right-clicking the header lists its columns (all but the first) to show
// or hide, as Wireshark's packet list does; the choice is kept in the
// settings under `settingsKey` (the hidden columns' numbers). Columns in
// `hiddenByDefault` start hidden until the user shows them. With a fitter,
// the widths are fitted again after each change, and a column it dropped
// for want of room is listed as such (not as one the user hid).
void addColumnMenu(QHeaderView *header, const char *settingsKey, const QList<int> &hiddenByDefault,
                   ColumnFitter *fitter = nullptr);

} // namespace PipeScope
