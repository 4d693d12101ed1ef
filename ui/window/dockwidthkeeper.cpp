#include "dockwidthkeeper.h"

#include <QDockWidget>
#include <QEvent>
#include <QMainWindow>

#include <algorithm>

namespace PipeScope {

DockWidthKeeper::DockWidthKeeper(QMainWindow *window, QDockWidget *dock, int preferred)
    : QObject(window), m_window(window), m_dock(dock), m_preferred(preferred)
{
    m_window->resizeDocks({m_dock}, {m_preferred}, Qt::Horizontal);
    m_dock->installEventFilter(this);
}

bool DockWidthKeeper::eventFilter(QObject *watched, QEvent *event)
{
    // The dock resized while the window kept its size: the user dragged
    // its edge (or windowResized()'s request was applied).
    if (watched == m_dock && event->type() == QEvent::Resize && m_window->size() == m_windowSize &&
        m_window->isVisible()) {
        if (m_dock->width() == m_request)
            m_request = -1;
        else if (!m_dock->isFloating())
            m_preferred = m_dock->width();
    }
    return QObject::eventFilter(watched, event);
}

void DockWidthKeeper::windowResized()
{
    const int target = std::min(m_preferred, int(m_window->width() * kShare));
    if (m_dock->isVisible() && !m_dock->isFloating() && m_dock->width() != target) {
        m_request = target;
        m_window->resizeDocks({m_dock}, {target}, Qt::Horizontal);
    }
    m_windowSize = m_window->size();
}

} // namespace PipeScope

#include "moc_dockwidthkeeper.cpp"
