#include "pipeclient.h"

#include "capturehub.h"

#include <QThread>

namespace PipeScope {

ClientWorker::ClientWorker(CaptureHub *hub, quint32 endpoint, std::shared_ptr<std::atomic<bool>> cancel)
    : ConnectionWorker(hub, endpoint, 0), m_cancel(std::move(cancel))
{
}

void ClientWorker::open(const ClientConfig &config, bool recordFailure)
{
    // Queued for a busy pipe, the client is shown (its tree row and tab):
    // from then on how its attempt ends belongs in the capture.
    bool queued = false;
    auto connection = connectClient(config, m_cancel.get(), [this, &queued] {
        queued = true;
        emit waitingForInstance();
    });
    if (!connection) {
        if (recordFailure || queued) {
            recordError(connection.error());
            flushEvents();
        }
        emit failed(QString::fromStdString(connection.error().message()));
        emit finished();
        return;
    }
    attach(std::shared_ptr<Native::Connection>(std::move(connection.value())), nowNs());
}

PipeClient::PipeClient(quint32 endpointId, CaptureHub *hub, QObject *parent)
    : QObject(parent), m_endpointId(endpointId), m_hub(hub)
{
    qRegisterMetaType<ConnectionInfo>();
    qRegisterMetaType<ClientConfig>();
}

PipeClient::~PipeClient()
{
    close();
    // The worker ends in its own thread, which the WorkerThread joins.
}

void PipeClient::open(const ClientConfig &config, bool recordFailure)
{
    if (m_thread) {
        emit errorOccurred(QStringLiteral("the client is already connecting or connected"));
        return;
    }
    m_config = config;
    m_state = State::Connecting;
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    m_thread = std::make_unique<WorkerThread<ClientWorker>>(QStringLiteral("client %1").arg(m_endpointId));
    m_thread->whenEnded(this, &PipeClient::onThreadFinished);
    m_thread->post([config, recordFailure](ClientWorker *worker) { worker->open(config, recordFailure); });
    const auto make = [hub = m_hub, endpoint = m_endpointId, cancel = m_cancel] {
        return std::make_unique<ClientWorker>(hub, endpoint, cancel);
    };
    const auto wire = [this](ClientWorker *worker) {
        connect(worker, &ConnectionWorker::peerConnected, this, [this](const ConnectionInfo &info) {
            m_state = State::Connected;
            emit connected(info);
        });
        connect(worker, &ClientWorker::failed, this, &PipeClient::errorOccurred);
        connect(worker, &ClientWorker::waitingForInstance, this, &PipeClient::waitingForInstance);
        connect(worker, &ConnectionWorker::throttled, this, &PipeClient::throttled);
    };
    if (!m_thread->start(make, &ConnectionWorker::finished, wire)) {
        m_thread.reset();
        m_state = State::Idle;
        emit errorOccurred(tr("no thread could be started to connect"));
    }
}

void PipeClient::send(const QByteArray &bytes)
{
    if (!m_thread || m_state != State::Connected) {
        emit errorOccurred(QStringLiteral("cannot send: the client is not connected"));
        return;
    }
    m_thread->post([bytes](ClientWorker *worker) { worker->send(bytes); });
}

void PipeClient::close()
{
    if (!m_thread)
        return;
    m_state = State::Closing;
    m_cancel->store(true);
    m_thread->post(&ConnectionWorker::shutdown);
}

void PipeClient::onThreadFinished()
{
    if (!m_thread)
        return;
    m_thread->join();
    m_thread.reset();
    m_state = State::Idle;
    if (m_hub->thread() == QThread::currentThread())
        m_hub->flush();
    emit disconnected();
}

} // namespace PipeScope

#include "moc_pipeclient.cpp"
