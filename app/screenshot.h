#pragma once

#include <QSize>
#include <QString>

namespace PipeScope {

// Before the QApplication of a screenshot: on Linux the offscreen platform,
// so no display is needed; on Windows the native one (a desktop is always
// there), with the window kept off the screen. Offscreen on Windows reads
// fonts from a directory, which this points at the system's fonts.
void prepareScreenshotPlatform();

// `pipescope --screenshot FILE`: the main window with the sample scenario
// running, rendered to a PNG. Needs a QApplication (offscreen will do).
int screenshot(const QString &file, QSize size = QSize(1280, 800));

} // namespace PipeScope
