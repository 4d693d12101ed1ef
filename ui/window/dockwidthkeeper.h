#pragma once

#include <QObject>
#include <QSize>

class QDockWidget;
class QMainWindow;

namespace PipeScope {

// Keeps the left docks at the width the user chose: a window made smaller
// squeezes them (to kShare of it at most); made larger again, they come
// back to that width; a drag of the dock's edge while the window keeps its
// size is the user's new choice (the window keeps it in its settings).
class DockWidthKeeper : public QObject
{
    Q_OBJECT
public:
    static constexpr double kShare = 0.34;

    DockWidthKeeper(QMainWindow *window, QDockWidget *dock, int preferred);
    int preferredWidth() const { return m_preferred; }
    // From the window's resizeEvent(), after its own layout.
    void windowResized();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QMainWindow *m_window;
    QDockWidget *m_dock;
    int m_preferred;
    // The window's size as windowResized() last saw it: a dock resized
    // while the window's size differs is the layout following the window
    // (which resizes the docks before the window hears of its own resize).
    QSize m_windowSize;
    int m_request = -1; // the width windowResized() asked for, applied by a later layout pass
};

} // namespace PipeScope
