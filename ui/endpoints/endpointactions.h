#pragma once

#include <QObject>
#include <QString>

#include <functional>

class QAction;
class QWidget;

namespace PipeScope {

class ActionRegistry;
class EndpointFlow;
class TrafficTabs;
class Workspace;

// The Endpoint menu's actions on what the user is looking at: Stop,
// Disconnect Instance, Restart, Edit Settings, Clear Ended Instances and
// Remove, registered as stopEndpoint, disconnectInstance, restartEndpoint,
// editEndpoint, clearEndedInstances and removeEndpoint. Each acts on the
// current tab's endpoint or instance (TrafficTabs::target(), the one place
// it is computed), names it in its text, and is enabled only where it can
// act; stopping or removing a server that has connected clients asks
// first.
class EndpointActions : public QObject
{
    Q_OBJECT
public:
    // `window` parents the question and gives the font names are elided in.
    EndpointActions(Workspace *workspace, TrafficTabs *tabs, EndpointFlow *flow,
                    ActionRegistry *actions, QWidget *window);

    // Enables and names the actions for the current target.
    void update();

signals:
    // For the status bar.
    void message(const QString &text, int timeoutMs);

private:
    void stop();
    void disconnectInstance();
    void restart();
    void edit();
    void remove();
    void clearEnded();
    // Runs `act` on a server with connected clients once the user agrees.
    void confirmIfConnected(quint32 endpoint, const QString &verb,
                            const std::function<void()> &act);

    Workspace *m_workspace;
    TrafficTabs *m_tabs;
    EndpointFlow *m_flow;
    QWidget *m_window;
    QAction *m_stop;
    QAction *m_disconnect;
    QAction *m_restart;
    QAction *m_edit;
    QAction *m_clearEnded;
    QAction *m_remove;
};

} // namespace PipeScope
