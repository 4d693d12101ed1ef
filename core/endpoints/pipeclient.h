#pragma once

#include "connectionworker.h"
#include "endpointconfig.h"
#include "workerthread.h"

#include <QObject>

#include <atomic>
#include <memory>

namespace PipeScope {

class CaptureHub;

// The client side of one connection, as the sample client: CreateFile,
// WaitNamedPipe while busy, SetNamedPipeHandleState, then reads and writes.
class ClientWorker : public ConnectionWorker
{
    Q_OBJECT
public:
    ClientWorker(CaptureHub *hub, quint32 endpoint, std::shared_ptr<std::atomic<bool>> cancel);

    // Blocks this worker's thread up to the configured wait time.
    // A failure goes into the capture only when `recordFailure`.
    void open(const PipeScope::ClientConfig &config, bool recordFailure = true);

signals:
    void failed(const QString &message);
    // Every instance of the pipe is busy: the wait for one begins.
    void waitingForInstance();

private:
    std::shared_ptr<std::atomic<bool>> m_cancel;
};

// A client endpoint, used from its owner's thread. Each open() runs a fresh
// worker thread that lives until the connection ends.
class PipeClient : public QObject
{
    Q_OBJECT
public:
    enum class State { Idle, Connecting, Connected, Closing };
    Q_ENUM(State)

    PipeClient(quint32 endpointId, CaptureHub *hub, QObject *parent = nullptr);
    ~PipeClient() override;

    quint32 endpointId() const { return m_endpointId; }
    const ClientConfig &config() const { return m_config; }
    State state() const { return m_state; }
    bool isRunning() const { return m_thread != nullptr; }

    // Runs `call` in the worker's thread, with the worker, for code that
    // must react inside that thread (Qt::DirectConnection to
    // messageReceived). False when there is no worker to run it.
    bool post(std::function<void(ClientWorker *)> call) { return m_thread && m_thread->post(std::move(call)); }

    // Asynchronous: connected() or errorOccurred() follows. A failure to
    // connect goes into the capture only when `recordFailure`.
    void open(const ClientConfig &config, bool recordFailure = true);
    void send(const QByteArray &bytes);
    // Cancels a wait in progress or closes the connection; disconnected()
    // follows once the worker's thread has ended.
    void close();

signals:
    void connected(const PipeScope::ConnectionInfo &info);
    void errorOccurred(const QString &message);
    // Every instance of the pipe is busy: waiting (up to the configured
    // time) for one to be free.
    void waitingForInstance();
    void disconnected();
    // Reading from the server paused or resumed (ConnectionWorker::throttled).
    void throttled(bool throttled, const QString &why);

private:
    void onThreadFinished();

    const quint32 m_endpointId;
    CaptureHub *m_hub;
    ClientConfig m_config;
    State m_state = State::Idle;
    std::unique_ptr<WorkerThread<ClientWorker>> m_thread;
    std::shared_ptr<std::atomic<bool>> m_cancel;
};

} // namespace PipeScope
