#pragma once

#include <QObject>
#include <QString>

namespace PipeScope {

class Workspace;

// Runs Microsoft's sample in a workspace (SampleScenario): its server,
// then, once the server listens, its client, which sends the sample's
// message as soon as it is connected. Once per workspace: a second start
// while it runs does nothing (isStarted() says so).
class SampleRunner : public QObject
{
    Q_OBJECT
public:
    explicit SampleRunner(Workspace *workspace, QObject *parent = nullptr);

    // On SampleScenario::pipeName(), or on `pipeName` (a screenshot's own).
    void start(const QString &pipeName);
    bool isStarted() const { return m_server != 0; }
    quint32 server() const { return m_server; }
    quint32 client() const { return m_client; }

signals:
    // The server or the client could not start; `error` says why.
    void failed(const QString &error);
    // The client sent the message.
    void sent();

private:
    void follow(quint32 endpoint);

    Workspace *m_workspace;
    quint32 m_server = 0;
    quint32 m_client = 0;
    bool m_done = false;
};

} // namespace PipeScope
