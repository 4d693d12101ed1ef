#include "pipeclient.h"

#include "workergate.h"

#include "capturehub.h"

#include <QThread>

namespace PipeScope {

ClientWorker::ClientWorker(CaptureHub *hub, quint32 endpoint, std::shared_ptr<std::atomic<bool>> cancel)
    : ConnectionWorker(hub, endpoint, 0), m_cancel(std::move(cancel))
{
}

void ClientWorker::open(const ClientConfig &config)
{
    auto name = Native::PipeName::parse(config.name.toStdString());
    Native::ClientOptions options = config.options;
    if (name && config.automaticConvention)
        options.convention = findConvention(name.value()).value_or(options.convention);
    auto connection = name ? Native::connectToPipe(name.value(), options, m_cancel.get())
                           : Native::Result<std::unique_ptr<Native::Connection>>(name.error());
    if (!connection) {
        recordError(connection.error());
        flushEvents();
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
    if (!m_thread)
        return;
    close();
    join();
}

// The worker is deleted by its owner once its thread has ended, so the
// pointer stays valid for queued calls until then.
void PipeClient::join()
{
    m_thread->wait();
    delete m_worker;
    delete m_thread;
    m_worker = nullptr;
    m_thread = nullptr;
    m_gate.reset();
}

void PipeClient::open(const ClientConfig &config)
{
    if (m_thread) {
        emit errorOccurred(QStringLiteral("the client is already connecting or connected"));
        return;
    }
    m_config = config;
    m_state = State::Connecting;
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    m_thread = new QThread;
    m_thread->setObjectName(QStringLiteral("client %1").arg(m_endpointId));
    m_worker = new ClientWorker(m_hub, m_endpointId, m_cancel);
    m_worker->moveToThread(m_thread);
    m_gate = WorkerGate::closeAndQuitOn(m_worker, &ConnectionWorker::finished, m_thread);
    connect(m_thread, &QThread::finished, this, &PipeClient::onThreadFinished);
    connect(m_worker, &ConnectionWorker::peerConnected, this, [this](const ConnectionInfo &info) {
        m_state = State::Connected;
        emit connected(info);
    });
    connect(m_worker, &ClientWorker::failed, this, &PipeClient::errorOccurred);
    connect(m_worker, &ConnectionWorker::throttled, this, &PipeClient::throttled);
    m_thread->start();
    ClientWorker *worker = m_worker;
    m_gate->post(worker, [worker, config] { worker->open(config); });
}

void PipeClient::send(const QByteArray &bytes)
{
    if (!m_worker || m_state != State::Connected) {
        emit errorOccurred(QStringLiteral("cannot send: the client is not connected"));
        return;
    }
    ClientWorker *worker = m_worker;
    m_gate->post(worker, [worker, bytes] { worker->send(bytes); });
}

void PipeClient::close()
{
    if (!m_worker)
        return;
    m_state = State::Closing;
    m_cancel->store(true);
    m_gate->post(m_worker, &ConnectionWorker::shutdown);
}

void PipeClient::onThreadFinished()
{
    if (!m_thread)
        return;
    join();
    m_state = State::Idle;
    if (m_hub->thread() == QThread::currentThread())
        m_hub->flush();
    emit disconnected();
}

} // namespace PipeScope
