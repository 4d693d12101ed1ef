#pragma once

#include "nativepipe.h"

class QComboBox;
class QSpinBox;
class QWidget;

namespace PipeScope {

// What the endpoint dialogs' forms share.

// Where a platform lacks a Win32 option, it is shown but cannot be set.
#ifdef Q_OS_WIN
inline constexpr bool kWindows = true;
#else
inline constexpr bool kWindows = false;
#endif

// The naming conventions a name may follow; with `automatic`, first the
// choice of whichever exists.
void addConventions(QComboBox *box, bool automatic);
// Selects the entry whose data is `value`, if there is one.
void selectData(QComboBox *box, int value);
// A spin box for a pipe buffer's size, in bytes.
QSpinBox *bufferBox(QWidget *parent);

} // namespace PipeScope
