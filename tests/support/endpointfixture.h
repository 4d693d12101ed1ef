#pragma once

// What the suites of live endpoints share: a hub that hands over at once
// into a store, and the endpoints a test made, destroyed — their threads
// stopped and joined — when it ends.

#include "capturehub.h"
#include "pipeserver.h"
#include "testmain.h"
#include "trafficstore.h"

#include <QList>
#include <QSignalSpy>
#include <QTest>

#include <memory>

namespace PipeScopeTest {

class EndpointFixture
{
protected:
    // From the suite's init() and cleanup().
    void setUpCapture()
    {
        PipeScopeTest::failOnUnexpectedWarnings();
        m_hub = std::make_unique<PipeScope::CaptureHub>();
        m_hub->setInterval(0);
        m_store = std::make_unique<PipeScope::TrafficStore>();
        QObject::connect(m_hub.get(), &PipeScope::CaptureHub::batchReady, m_store.get(),
                         &PipeScope::TrafficStore::append);
    }
    void tearDownCapture()
    {
        qDeleteAll(m_endpoints);
        m_endpoints.clear();
        m_hub.reset();
        m_store.reset();
    }

    // A server started and listening, or null (the reason is warned).
    PipeScope::PipeServer *startServer(quint32 id, const PipeScope::ServerConfig &config)
    {
        auto *server = new PipeScope::PipeServer(id, m_hub.get());
        m_endpoints << server;
        QSignalSpy listening(server, &PipeScope::PipeServer::listening);
        QSignalSpy failed(server, &PipeScope::PipeServer::errorOccurred);
        server->start(config);
        [&] { QTRY_VERIFY2(!listening.isEmpty() || !failed.isEmpty(), "the server neither listened nor failed"); }();
        if (!failed.isEmpty())
            qWarning() << "server failed:" << failed.first().first().toString();
        return listening.isEmpty() ? nullptr : server;
    }

    std::unique_ptr<PipeScope::CaptureHub> m_hub;
    std::unique_ptr<PipeScope::TrafficStore> m_store;
    QList<QObject *> m_endpoints;
};

} // namespace PipeScopeTest
