#pragma once

#include "capturehub.h"
#include "pipeserver.h"
#include "replayclient.h"
#include "replycomparer.h"

#include <QHash>
#include <QObject>

namespace PipeScope {

// Replays recorded conversations as a server: the n-th client that
// connects is answered from conversation n (in turn when there are fewer),
// each message it sends with the replies recorded for it, and every message
// it sends is reported beside the one recorded (an exchange whose `sent`
// is the replies sent, `expected` the recorded message, `got` the
// client's). A client that leaves before sending all the recorded messages
// is reported as one exchange with nothing got. Lives in its owner's
// thread and never blocks it.
class ReplayServer : public QObject
{
    Q_OBJECT
public:
    explicit ReplayServer(QList<ReplayScript> scripts, QObject *parent = nullptr);
    ~ReplayServer() override;

    // The server such a replay runs: the first conversation's pipe type.
    static ServerConfig configFor(const QList<ReplayScript> &scripts, const QString &name,
                                  Native::Convention convention);

    // Asynchronous: listening() or errorOccurred() follows. After `clients`
    // clients have come and gone it stops by itself (0: only on stop()).
    void start(const QString &name, Native::Convention convention, quint64 clients);
    // Asynchronous: stopped() follows, after every event was reported.
    void stop();
    bool isRunning() const;

signals:
    void listening(const QString &address);
    void errorOccurred(const QString &message);
    // Every event, as a server's log would show it: each batch the
    // server's hub hands over, whole.
    void captured(const PipeScope::TrafficBatch &batch);
    void exchanged(const PipeScope::ReplayExchange &exchange);
    void stopped();

private:
    void onBatch(const TrafficBatch &batch);
    ReplayExchange exchangeFor(quint32 instance, const ScriptCursor &cursor, qsizetype index) const;

    QList<ReplayScript> m_scripts;
    CaptureHub m_hub;
    PipeServer m_server;
    ServerConfig m_config;
    QHash<quint32, ScriptCursor> m_cursors; // per connected client
    quint64 m_clients = 0;
    quint64 m_ended = 0;
};

} // namespace PipeScope
