#pragma once

#include "sessionformat.h"
#include "trafficevent.h"

#include <QObject>
#include <QPointer>

#include <atomic>
#include <functional>

namespace PipeScope {

class Workspace;

// A replay's own traffic in the window it was started from: the replay's
// side (the client sending the recorded messages, or the server answering
// with the recorded replies) as an endpoint of the window's workspace, fed
// with what the replay captures, ended with it. Stop on that endpoint in
// the window asks the replay to stop. Nothing is shown for a recorded
// (read-only) window's workspace, or once the workspace is gone.
class ReplayInWindow : public QObject
{
    Q_OBJECT
public:
    ReplayInWindow(Workspace *workspace, QObject *parent);

    // A replay starts as `as`.
    void begin(const SessionEndpoint &as);
    // A client replay's events, posted from its thread (ReplayOptions::
    // capture); empty when nothing is shown.
    std::function<void(TrafficEvent)> clientCapture(const std::atomic<bool> *cancel);
    // A server replay's listening and events, in the GUI thread.
    void serverListening(const QString &address);
    void serverCaptured(const TrafficBatch &batch);
    // The replay ended: stopped, or failed with `error`.
    void end(const QString &error);

signals:
    void stopRequested();

private:
    QPointer<Workspace> m_workspace;
    quint32 m_endpoint = 0; // the replay's side while it runs
};

} // namespace PipeScope
