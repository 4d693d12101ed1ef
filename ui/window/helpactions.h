#pragma once

#include <QObject>
#include <QPointer>

class QWidget;

namespace PipeScope {

class ActionRegistry;

// The Help menu: the user guide bundled with the app (one window, raised
// when asked again), About PipeScope, About Qt.
class HelpActions : public QObject
{
    Q_OBJECT
public:
    HelpActions(ActionRegistry *actions, QWidget *window);

    // The guide's window, opened or raised.
    QWidget *showUserGuide();
    void showAbout();

private:
    QWidget *m_window;
    QPointer<QWidget> m_guide;
};

} // namespace PipeScope
