#pragma once

#include <QScreen>
#include <QSize>
#include <QWidget>

namespace PipeScope {

// What `widget`'s screen has room for a window, less a margin for the
// window's frame, which is not known before a window manager has framed it.
inline QSize roomOnScreen(const QWidget *widget)
{
    const QScreen *screen = widget->screen();
    return screen ? screen->availableGeometry().size() - QSize(16, 48) : QSize(QWIDGETSIZE_MAX, QWIDGETSIZE_MAX);
}

} // namespace PipeScope
