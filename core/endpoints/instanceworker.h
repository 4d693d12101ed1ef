#pragma once

#include "endpointconfig.h"
#include "nativepipe.h"

#include <QObject>

class QTimer;

#include <memory>
#include <utility>

namespace PipeScope {

// What a server runs in an instance's thread for each client it accepts:
// a ConnectionWorker that talks to the client itself, or a RelayWorker
// that passes the client on to another pipe (a monitor). Created
// parentless in that thread; every call runs there.
class InstanceWorker : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    // What may wait to be sent to a peer before the worker stops reading
    // what is to go to it; reading resumes once half of it has gone.
    static constexpr std::size_t kWriteQueueLimit = std::size_t(4) << 20;
    // Messages read per wake-up before the worker returns to its event
    // loop, so that a flooding peer cannot starve sends and shutdown
    // requests; and bytes, so that what one wake-up holds before it is
    // posted (and counted against the hub's limit) stays small whatever
    // the message size. Past them a worker still reads what its pipe's
    // read-ahead holds (one batch at most), since the pipe's handle would
    // not wake it for that (Native::Connection::setReadAhead).
    static constexpr int kReadBudget = 4096;
    static constexpr std::size_t kReadByteBudget = std::size_t(4) << 20;

    // Takes over a pipe that connected at `connectedAtNs` (nowNs() clock)
    // and starts serving it.
    virtual void attach(std::shared_ptr<Native::Connection> connection, qint64 connectedAtNs) = 0;
    // Records the message as sent and queues it.
    virtual void send(const QByteArray &bytes) = 0;
    // Reads what is still there, flushes, closes; the log gives `why`.
    virtual void shutdownBecause(const QString &why) = 0;
    void shutdown() { shutdownBecause(QStringLiteral("stopped by PipeScope")); }

    // After the thread has ended: the disconnected pipe, for the listener
    // to reuse (Windows keeps the instance), or null.
    std::shared_ptr<Native::Connection> takeEnded() { return std::move(m_ended); }

signals:
    void peerConnected(const PipeScope::ConnectionInfo &info);
    // Reading from a peer paused (`throttled`, with the reason in words)
    // or resumed. A resume is said only once reading has gone on for a
    // second, so a flood does not flicker.
    void throttled(bool throttled, const QString &why);
    // The connection is over; the worker may be deleted.
    void finished();

protected:
    // Says throttled(true, why) once per pause, and throttled(false) once
    // reading has gone on for a second after resumed().
    void reportPaused(const QString &why);
    void reportResumed();
    // Ends the reporting (the worker finishes).
    void stopReporting();

    std::shared_ptr<Native::Connection> m_ended;

private:
    bool m_saidThrottled = false;
    QTimer *m_resumeTimer = nullptr;
};

} // namespace PipeScope
