// PipeServer and PipeClient end to end: real sockets, real threads, the
// capture path into the store.
#include "capturehub.h"
#include "connectionworker.h"
#include "coretestsupport.h"
#include "endpointfixture.h"
#include "pipeclient.h"
#include "pipeserver.h"
#include "testmain.h"
#include "trafficstore.h"

#include <QFile>
#include <QLocalServer>
#include <QLocalSocket>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include <atomic>
#include <memory>
#include <thread>

#ifdef Q_OS_UNIX
#include <csignal>
#include <cstring>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#endif

using namespace PipeScope;
using namespace PipeScopeTest;

namespace {

constexpr quint32 kServerId = 1;
constexpr quint32 kClientId = 100;

// Sends `size`-byte messages until the system has taken none for 300 ms
// (the reader stopped reading) or `limit` bytes were sent; the bytes sent,
// a message the system has not fully taken included.
qint64 floodUntilBlocked(Native::Connection &c, qsizetype size, qint64 limit)
{
    const std::string message(std::size_t(size), 'f');
    qint64 sent = 0;
    while (sent < limit) {
        if (c.hasPendingWrites()) {
            if (!c.waitWritable(300))
                return sent;
            if (c.flush().isError())
                return -1;
            continue;
        }
        if (c.write(message).isError())
            return -1;
        sent += size;
    }
    return sent;
}

qint64 bytesOf(const QList<TrafficEvent> &events)
{
    qint64 bytes = 0;
    for (const TrafficEvent &e : events)
        bytes += e.payload.size();
    return bytes;
}

} // namespace

class tst_Endpoints : public QObject, EndpointFixture
{
    Q_OBJECT
public:
    tst_Endpoints() { qRegisterMetaType<ConnectionInfo>(); }

private slots:
    void init();
    void cleanup();

    void sampleScenario();
    void connectedIsStampedWhenAccepted();
    void echoPayloads_data();
    void echoPayloads();
    void manyClientsNothingLostOrReordered();
    void stopWithClientsConnectedLosesNothing();
    void aServerStoppedWhileStartingStops();
    void oversizedMessageIsKeptTruncated();
    void maxInstancesBusyThenTimeout();
    void closingCancelsAWait();
    void aPeerThatDoesNotReadIsThrottled();
    void aCaptureThatFallsBehindThrottlesReading();
    void aThrottledPeerThatVanishesIsSeenGone();
#ifdef Q_OS_UNIX
    // Windows: tests/native/tst_win32.cpp kills a sample client mid-message.
    void peerKilledMidMessage();
    void answersAreDeliveredAfterThePeerHalfCloses_data();
    void answersAreDeliveredAfterThePeerHalfCloses();
#endif
    void qLocalSocketClientInterop();
    void clientToQLocalServerInterop();
    void badNamesAreReported_data();
    void badNamesAreReported();

private:
    PipeServer *startServer(const ServerConfig &config) { return EndpointFixture::startServer(kServerId, config); }
    // An echoing server on a fresh name and a plain native client of it.
    PipeServer *startEchoServer(const char *tag, std::unique_ptr<Native::Connection> &client);
    PipeClient *openClient(ClientConfig config, quint32 id = kClientId);
    // A server with one instance, taken by a connected client (returned).
    PipeClient *occupiedServer(const char *tag, ClientConfig &config);

    PrivateRuntime m_runtime;
};

void tst_Endpoints::init()
{
    setUpCapture();
}

void tst_Endpoints::cleanup()
{
    // Destroying an endpoint stops and joins its threads.
    tearDownCapture();
}

PipeServer *tst_Endpoints::startEchoServer(const char *tag, std::unique_ptr<Native::Connection> &client)
{
    ServerConfig config;
    config.name = uniqueName(tag);
    config.autoReply = AutoReply::Echo;
    PipeServer *server = startServer(config);
    if (!server)
        return nullptr;
    auto connection = Native::connectToPipe(Native::PipeName::parse(config.name.toStdString()).value(), {});
    if (!connection) {
        qWarning() << "connect failed:" << connection.error().message().c_str();
        return nullptr;
    }
    client = std::move(connection.value());
    return server;
}

PipeClient *tst_Endpoints::openClient(ClientConfig config, quint32 id)
{
    auto *client = new PipeClient(id, m_hub.get());
    m_endpoints << client;
    client->open(config);
    return client;
}

PipeClient *tst_Endpoints::occupiedServer(const char *tag, ClientConfig &config)
{
    ServerConfig server;
    server.name = uniqueName(tag);
    server.options.maxInstances = 1;
    if (!startServer(server))
        return nullptr;
    config.name = server.name;
    PipeClient *first = openClient(config, kClientId);
    if (!QTest::qWaitFor([&] { return first->state() == PipeClient::State::Connected; }, 5000))
        return nullptr;
    return first;
}

void tst_Endpoints::sampleScenario()
{
    ServerConfig server;
    server.name = uniqueName("sample");
    server.autoReply = AutoReply::Fixed;
    server.replyBytes = "Default answer from server";
    QVERIFY(startServer(server));

    ClientConfig clientConfig;
    clientConfig.name = server.name;
    PipeClient *client = openClient(clientConfig);
    QSignalSpy connected(client, &PipeClient::connected);
    QTRY_COMPARE(connected.size(), 1);
    const auto info = connected.first().first().value<ConnectionInfo>();
    QCOMPARE(info.type, Native::PipeType::Message);
    QCOMPARE(info.readMode, Native::ReadMode::Message);
    QCOMPARE(info.peer.pid, qint64(QCoreApplication::applicationPid()));

    client->send("Default message from client");
    QTRY_COMPARE(eventsOf(*m_store, kClientId).size(), 2);
    QTRY_COMPARE(eventsOf(*m_store, kServerId).size(), 2);

    const auto clientData = eventsOf(*m_store, kClientId);
    QCOMPARE(clientData[0].direction, Direction::Out);
    QCOMPARE(clientData[0].payload, QByteArray("Default message from client"));
    QCOMPARE(clientData[1].direction, Direction::In);
    QCOMPARE(clientData[1].payload, QByteArray("Default answer from server"));
    QCOMPARE(clientData[1].parts, 1u);
    const auto serverData = eventsOf(*m_store, kServerId);
    QCOMPARE(serverData[0].direction, Direction::In);
    QCOMPARE(serverData[0].instance, 1u);
    QCOMPARE(serverData[0].payload, QByteArray("Default message from client"));
    QCOMPARE(serverData[1].direction, Direction::Out);
    QCOMPARE(serverData[1].payload, QByteArray("Default answer from server"));

    const auto connects = eventsOf(*m_store, kServerId, EventKind::Connected);
    QCOMPARE(connects.size(), 1);
    QVERIFY2(connects[0].payload.contains("pid " + QByteArray::number(QCoreApplication::applicationPid())),
             connects[0].payload.constData());
}

void tst_Endpoints::connectedIsStampedWhenAccepted()
{
    ServerConfig server;
    server.name = uniqueName("stamp");
    QVERIFY(startServer(server));

    // The accepted connection reaches its instance thread through this
    // (the owner's) event loop; keep that loop busy for a while.
    const auto name = Native::PipeName::parse(server.name.toStdString());
    QVERIFY(name);
    const qint64 before = nowNs();
    auto connection = Native::connectToPipe(name.value(), Native::ClientOptions{});
    QVERIFY2(connection, connection ? "" : connection.error().message().c_str());
    QThread::msleep(400);
    const qint64 ownerFree = nowNs();

    QTRY_COMPARE(eventsOf(*m_store, kServerId, EventKind::Connected).size(), 1);
    const qint64 stamped = eventsOf(*m_store, kServerId, EventKind::Connected).first().timestampNs;
    QVERIFY2(stamped >= before, "stamped before the client connected");
    QVERIFY2(stamped < ownerFree - 200'000'000,
             qPrintable(QStringLiteral("stamped %1 ms after the connect, when the instance thread started")
                            .arg((stamped - before) / 1e6)));
    connection.value()->close(0);
}

void tst_Endpoints::echoPayloads_data()
{
    QTest::addColumn<int>("size");
    QTest::newRow("0 B") << 0;
    QTest::newRow("1 B") << 1;
    QTest::newRow("4 KiB") << 4096;
    QTest::newRow("200000 B, one record") << 200000;
    QTest::newRow("1 MiB") << (1 << 20);
    QTest::newRow("16 MiB") << (16 << 20);
}

void tst_Endpoints::echoPayloads()
{
    QFETCH(int, size);
    ServerConfig server;
    server.name = uniqueName("echo");
    server.autoReply = AutoReply::Echo;
    QVERIFY(startServer(server));
    ClientConfig clientConfig;
    clientConfig.name = server.name;
    PipeClient *client = openClient(clientConfig);
    QTRY_COMPARE(client->state(), PipeClient::State::Connected);

    const QByteArray payload = pattern(size, size);
    client->send(payload);
    QTRY_COMPARE_WITH_TIMEOUT(eventsOf(*m_store, kClientId, EventKind::Data, Direction::In).size(), 1, 30000);
    const auto echoed = eventsOf(*m_store, kClientId, EventKind::Data, Direction::In).first();
    QCOMPARE(echoed.payload.size(), payload.size());
    QVERIFY(echoed.payload == payload);
#ifdef Q_OS_WIN
    // ERROR_MORE_DATA parts of the client's read buffer.
    QCOMPARE(echoed.parts, quint32(size == 0 ? 1 : (size + Native::kClientReadBuffer - 1) / Native::kClientReadBuffer));
#endif
    // The server's own batch may reach the hub after the client's.
    QTRY_COMPARE(eventsOf(*m_store, kServerId, EventKind::Data, Direction::In).size(), 1);
#ifndef Q_OS_WIN
    // One record while the socket carries it, else records of kRecordSize
    // and a shorter closing one; the sender's log says how many went out.
    QTRY_COMPARE(eventsOf(*m_store, kServerId, EventKind::Data, Direction::Out).size(), 1);
    const quint32 records = eventsOf(*m_store, kServerId, EventKind::Data, Direction::Out).first().parts;
    QCOMPARE(echoed.parts, records);
    if (size < qsizetype(Native::kRecordSize) || size == 200000)
        QCOMPARE(records, 1u);
#endif
    const auto received = eventsOf(*m_store, kServerId, EventKind::Data, Direction::In).first();
    QVERIFY(received.payload == payload);
    QVERIFY(eventsOf(*m_store, kServerId, EventKind::Error).isEmpty());
}

void tst_Endpoints::manyClientsNothingLostOrReordered()
{
    constexpr int kClients = 32;
    constexpr int kMessages = 1000;
    ServerConfig server;
    server.name = uniqueName("many");
    PipeServer *pipeServer = startServer(server);
    QVERIFY(pipeServer);

    QList<PipeClient *> clients;
    for (int c = 0; c < kClients; ++c) {
        ClientConfig config;
        config.name = server.name;
        config.options.waitMs = 20000;
        clients << openClient(config, kClientId + quint32(c));
    }
    for (PipeClient *client : clients)
        QTRY_COMPARE_WITH_TIMEOUT(client->state(), PipeClient::State::Connected, 20000);
    for (int i = 0; i < kMessages; ++i)
        for (int c = 0; c < kClients; ++c)
            clients[c]->send(QByteArray::number(c) + ':' + QByteArray::number(i));

    QTRY_COMPARE_WITH_TIMEOUT(eventsOf(*m_store, kServerId, EventKind::Data, Direction::In).size(),
                              kClients * kMessages, 60000);
    QHash<quint32, int> clientOfInstance;
    QHash<quint32, int> next;
    for (const TrafficEvent &e : eventsOf(*m_store, kServerId, EventKind::Data, Direction::In)) {
        const auto parts = e.payload.split(':');
        const int c = parts[0].toInt();
        const int i = parts[1].toInt();
        if (!clientOfInstance.contains(e.instance))
            clientOfInstance[e.instance] = c;
        QCOMPARE(clientOfInstance[e.instance], c);
        QCOMPARE(i, next[e.instance]);
        ++next[e.instance];
    }
    QCOMPARE(clientOfInstance.size(), kClients);
    QCOMPARE(pipeServer->instances().size(), kClients);
}

// Stop before the listener has said it listens: the listening that comes
// after must not undo the stop (it did: the server stayed "listening" and
// stopped() never came, and a replay server stopped at once never ended).
void tst_Endpoints::aServerStoppedWhileStartingStops()
{
    ServerConfig config;
    config.name = uniqueName("stopped-early");
    CaptureHub hub;
    PipeServer server(1, &hub);
    QSignalSpy listening(&server, &PipeServer::listening);
    QSignalSpy stopped(&server, &PipeServer::stopped);
    server.start(config);
    QCOMPARE(server.state(), PipeServer::State::Starting);
    server.stop();
    QTRY_COMPARE(stopped.size(), 1);
    QCOMPARE(server.state(), PipeServer::State::Idle);
    QCOMPARE(listening.size(), 0);
    // And it starts again, as any stopped server does.
    server.start(config);
    QTRY_COMPARE(listening.size(), 1);
    server.stop();
    QTRY_COMPARE(stopped.size(), 2);
}

void tst_Endpoints::stopWithClientsConnectedLosesNothing()
{
    constexpr int kClients = 4;
    constexpr int kMessages = 500;
    ServerConfig server;
    server.name = uniqueName("stop");
    PipeServer *pipeServer = startServer(server);
    QVERIFY(pipeServer);
    // Plain native clients: their writes are done (in the socket, sent) the
    // moment write returns, before the server has read anything.
    std::vector<std::unique_ptr<Native::Connection>> clients;
    for (int c = 0; c < kClients; ++c) {
        auto connection = Native::connectToPipe(Native::PipeName::parse(server.name.toStdString()).value(), {});
        QVERIFY2(connection.ok(), connection.error().message().c_str());
        clients.push_back(std::move(connection.value()));
    }
    QTRY_COMPARE(pipeServer->instances().size(), kClients);
    for (int i = 0; i < kMessages; ++i)
        for (auto &c : clients)
            QVERIFY(!c->write(QByteArray::number(i).toStdString()).isError());
    for (auto &c : clients)
        QVERIFY(!c->flushBlocking(5000).isError());

    QSignalSpy stopped(pipeServer, &PipeServer::stopped);
    pipeServer->stop();
    QTRY_COMPARE(stopped.size(), 1);
    QCOMPARE(pipeServer->runningThreads(), 0);
    QCOMPARE(eventsOf(*m_store, kServerId, EventKind::Data, Direction::In).size(), kClients * kMessages);
    const auto ends = eventsOf(*m_store, kServerId, EventKind::Disconnected);
    QCOMPARE(ends.size(), kClients);
    for (const auto &client : clients) {
        Native::StringSink sink;
        QVERIFY(client->waitReadable(5000));
        QCOMPARE(client->read(sink).status, Native::ReadStatus::Closed);
    }
}

// A client floods an echoing server and never reads: the server stops
// reading once its write queue is full, says so, and the flood stalls in
// the kernel. When the client reads, everything comes back.
void tst_Endpoints::aPeerThatDoesNotReadIsThrottled()
{
    constexpr qsizetype kSize = 4096;
    constexpr qint64 kCap = qint64(128) << 20;
    std::unique_ptr<Native::Connection> connection;
    PipeServer *pipeServer = startEchoServer("not-reading", connection);
    QVERIFY(pipeServer);
    QSignalSpy throttled(pipeServer, &PipeServer::instanceThrottled);
    Native::Connection &client = *connection;

    // All the client's I/O in a thread of its own, so this one keeps taking
    // the capture (and on Windows the thread that started an overlapped
    // write lives until it is done).
    std::atomic<qint64> sent{0};
    std::atomic<qint64> echoed{0};
    std::atomic<bool> flooded{false}, readNow{false}, done{false};
    QString problem;
    std::thread peer([&] {
        sent = floodUntilBlocked(client, kSize, kCap);
        flooded = true;
        while (!readNow)
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        // The client reads: the server resumes, and nothing was dropped.
        while (echoed < sent) {
            Native::StringSink sink;
            const Native::ReadResult r = client.read(sink);
            if (r.status == Native::ReadStatus::Data) {
                echoed += qint64(r.size);
                continue;
            }
            const Native::NativeError flushed = client.flush();
            if (r.status != Native::ReadStatus::WouldBlock || flushed.isError() || !client.waitReadable(5000)) {
                problem = QString::fromStdString(flushed.isError() ? flushed.message() : r.error.message());
                break;
            }
        }
        done = true;
    });
    const auto joinPeer = qScopeGuard([&] {
        readNow = true;
        peer.join();
    });
    QTRY_VERIFY_WITH_TIMEOUT(flooded, 60000);
    QVERIFY2(sent > 0 && sent < kCap, qPrintable(QStringLiteral("sent %1 bytes").arg(sent.load())));
    QTRY_VERIFY(!throttled.isEmpty());
    QCOMPARE(throttled.first().at(1).toBool(), true);
    QVERIFY2(throttled.first().at(2).toString().contains(QLatin1String("does not read")),
             qPrintable(throttled.first().at(2).toString()));
    // What the server read is its write queue's limit, plus a wake-up's
    // reading and the sockets' buffers: nowhere near the flood's size.
    const qint64 read = bytesOf(eventsOf(*m_store, kServerId, EventKind::Data, Direction::In));
    QVERIFY2(read <= qint64(ConnectionWorker::kWriteQueueLimit) + (qint64(8) << 20),
             qPrintable(QStringLiteral("the server read %1 bytes").arg(read)));

    readNow = true;
    QTRY_VERIFY_WITH_TIMEOUT(done, 60000);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QCOMPARE(echoed.load(), sent.load());
    QTRY_COMPARE(bytesOf(eventsOf(*m_store, kServerId, EventKind::Data, Direction::In)), sent.load());
    // Said once reading has gone on for a second.
    QTRY_COMPARE(throttled.last().at(1).toBool(), false);
    QVERIFY(eventsOf(*m_store, kServerId, EventKind::Error).isEmpty());
}

// The capture's consumer stops taking batches (this thread blocks): the
// hub's limit stops the instance from reading, the flood stalls in the
// kernel, and once the consumer goes on everything arrives.
void tst_Endpoints::aCaptureThatFallsBehindThrottlesReading()
{
    constexpr qsizetype kSize = 4096;
    constexpr qint64 kCap = qint64(128) << 20;
    constexpr qint64 kLimit = qint64(1) << 20;
    m_hub->setPendingLimit(kLimit);
    ServerConfig server;
    server.name = uniqueName("behind");
    PipeServer *pipeServer = startServer(server);
    QVERIFY(pipeServer);
    QSignalSpy throttled(pipeServer, &PipeServer::instanceThrottled);
    auto connection = Native::connectToPipe(Native::PipeName::parse(server.name.toStdString()).value(), {});
    QVERIFY2(connection.ok(), connection.error().message().c_str());
    QTRY_COMPARE(pipeServer->instances().size(), 1);

    // No event loop here meanwhile: nothing is handed over.
    const qint64 sent = floodUntilBlocked(*connection.value(), kSize, kCap);
    QVERIFY2(sent > 0 && sent < kCap, qPrintable(QStringLiteral("sent %1 bytes").arg(sent)));
    // The limit, plus at most one wake-up's reading (4 MiB) and a message.
    QVERIFY2(m_hub->pendingBytes() <= kLimit + (qint64(5) << 20),
             qPrintable(QStringLiteral("the hub holds %1 bytes").arg(m_hub->pendingBytes())));

    // The rest goes once the capture is taken again (this loop runs).
    Native::Connection &client = *connection.value();
    QTRY_VERIFY(!client.flush().isError() && !client.hasPendingWrites());
    QTRY_COMPARE(bytesOf(eventsOf(*m_store, kServerId, EventKind::Data, Direction::In)), sent);
    QVERIFY(!throttled.isEmpty());
    QVERIFY2(throttled.first().at(2).toString().contains(QLatin1String("capture is behind")),
             qPrintable(throttled.first().at(2).toString()));
}

// A client floods an echoing server without reading, then vanishes while
// the server is throttled: the server reads what it left, ends the
// connection once — no storm of write errors — and keeps serving.
void tst_Endpoints::aThrottledPeerThatVanishesIsSeenGone()
{
    std::unique_ptr<Native::Connection> connection;
    PipeServer *pipeServer = startEchoServer("vanishing", connection);
    QVERIFY(pipeServer);
    QSignalSpy throttled(pipeServer, &PipeServer::instanceThrottled);
    QSignalSpy disconnected(pipeServer, &PipeServer::instanceDisconnected);
    qint64 sent = 0;
    std::thread peer([&] {
        sent = floodUntilBlocked(*connection, 4096, qint64(128) << 20);
        connection->close(0);
    });
    const auto joinPeer = qScopeGuard([&] {
        if (peer.joinable())
            peer.join();
    });
    QTRY_VERIFY_WITH_TIMEOUT(!throttled.isEmpty(), 30000);
    QTRY_COMPARE_WITH_TIMEOUT(disconnected.size(), 1, 30000);
    QCOMPARE(pipeServer->runningThreads(), 1); // the listener alone
    const auto ends = eventsOf(*m_store, kServerId, EventKind::Disconnected);
    QCOMPARE(ends.size(), 1);
    QCOMPARE(ends.first().payload, QByteArray("closed by the peer"));
    // At most the write that found the pipe broken and the answers that
    // could not go: a few events, not one per wake-up.
    const auto errors = eventsOf(*m_store, kServerId, EventKind::Error);
    QVERIFY2(errors.size() <= 3, qPrintable(QStringLiteral("%1 error events").arg(errors.size())));
    // Nothing the client managed to send is missing.
    peer.join();
    const qint64 read = bytesOf(eventsOf(*m_store, kServerId, EventKind::Data, Direction::In));
    QVERIFY2(read == sent || read == sent - 4096, qPrintable(QStringLiteral("read %1 of %2").arg(read).arg(sent)));
}

void tst_Endpoints::oversizedMessageIsKeptTruncated()
{
    ServerConfig server;
    server.name = uniqueName("oversized");
    server.options.maxMessageSize = 100000;
    QVERIFY(startServer(server));
    ClientConfig config;
    config.name = server.name;
    PipeClient *client = openClient(config);
    QTRY_COMPARE(client->state(), PipeClient::State::Connected);
    const QByteArray big = pattern(300000, 11);
    client->send(big);
    client->send("after");
    QTRY_COMPARE(eventsOf(*m_store, kServerId, EventKind::Data, Direction::In).size(), 2);
    const auto data = eventsOf(*m_store, kServerId, EventKind::Data, Direction::In);
    QVERIFY(data[0].flags & Truncated);
    QCOMPARE(data[0].payload.size(), 100000);
    QVERIFY(data[0].payload == big.left(100000));
    QCOMPARE(data[1].payload, QByteArray("after")); // the connection survived
    const auto errors = eventsOf(*m_store, kServerId, EventKind::Error);
    QCOMPARE(errors.size(), 1);
    QVERIFY2(errors[0].payload.contains("300000 bytes"), errors[0].payload.constData());
}

void tst_Endpoints::maxInstancesBusyThenTimeout()
{
    ClientConfig config;
    PipeClient *first = occupiedServer("busy", config);
    QVERIFY(first);

    config.options.waitMs = 300;
    PipeClient *second = openClient(config, kClientId + 1);
    QSignalSpy failed(second, &PipeClient::errorOccurred);
    QTRY_COMPARE(failed.size(), 1);
    const QString message = failed.first().first().toString();
    QVERIFY2(message.contains(QStringLiteral("busy")) && message.contains(QStringLiteral("300 ms")), qPrintable(message));
    QTRY_VERIFY(!second->isRunning());

    QSignalSpy firstGone(first, &PipeClient::disconnected);
    first->close();
    QTRY_COMPARE(firstGone.size(), 1);
    config.options.waitMs = 5000;
    PipeClient *third = openClient(config, kClientId + 2);
    QTRY_COMPARE(third->state(), PipeClient::State::Connected);
}

void tst_Endpoints::closingCancelsAWait()
{
    ClientConfig config;
    QVERIFY(occupiedServer("cancel", config));
    config.options.waitMs = 60000;
    PipeClient *waiting = openClient(config, kClientId + 1);
    QSignalSpy failed(waiting, &PipeClient::errorOccurred);
    QSignalSpy gone(waiting, &PipeClient::disconnected);
    QSignalSpy busy(waiting, &PipeClient::waitingForInstance);
    // The wait is what is cancelled: close once it has begun.
    QTRY_COMPARE(busy.size(), 1);
    waiting->close();
    QTRY_COMPARE_WITH_TIMEOUT(gone.size(), 1, 2000);
    QCOMPARE(failed.size(), 1);
    QVERIFY2(failed.first().first().toString().contains(QStringLiteral("cancelled")),
             qPrintable(failed.first().first().toString()));
}

#ifdef Q_OS_UNIX
void tst_Endpoints::peerKilledMidMessage()
{
    const QString path = m_runtime.path() + QLatin1Char('/') + uniqueName("killed");
    ServerConfig server;
    server.name = path;
    QVERIFY(startServer(server));
    const QByteArray part = pattern(qsizetype(Native::kRecordSize), 5);
    const QByteArray pathBytes = path.toLocal8Bit();
    const pid_t child = ::fork();
    QVERIFY(child >= 0);
    if (child == 0) {
        // Only async-signal-safe calls in the child of a threaded process.
        const int fd = ::socket(AF_UNIX, SOCK_SEQPACKET, 0);
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        std::memcpy(addr.sun_path, pathBytes.constData(), size_t(pathBytes.size()));
        if (::connect(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0)
            ::_exit(1);
        if (::send(fd, part.constData(), size_t(part.size()), 0) != part.size())
            ::_exit(1);
        ::raise(SIGKILL);
    }
    int status = 0;
    ::waitpid(child, &status, 0);
    QVERIFY(WIFSIGNALED(status));
    QTRY_COMPARE(eventsOf(*m_store, kServerId, EventKind::Disconnected).size(), 1);
    const auto data = eventsOf(*m_store, kServerId, EventKind::Data);
    QCOMPARE(data.size(), 1);
    QCOMPARE(data[0].payload.size(), part.size());
    QVERIFY(data[0].payload == part);
    QVERIFY(data[0].flags & Incomplete);
    const auto errors = eventsOf(*m_store, kServerId, EventKind::Error);
    QCOMPARE(errors.size(), 1);
    QVERIFY2(errors[0].payload.contains("in the middle of a message"), errors[0].payload.constData());
}

void tst_Endpoints::answersAreDeliveredAfterThePeerHalfCloses_data()
{
    QTest::addColumn<Native::PipeType>("type");
    QTest::newRow("message") << Native::PipeType::Message;
    QTest::newRow("byte") << Native::PipeType::Byte;
}

void tst_Endpoints::answersAreDeliveredAfterThePeerHalfCloses()
{
    // As the seed's server flushes before it disconnects: a client that
    // sends, ends its side (shutdown(SHUT_WR)) and reads gets every answer.
    QFETCH(Native::PipeType, type);
    ServerConfig server;
    server.name = uniqueName("halfclose");
    server.autoReply = AutoReply::Echo;
    server.options.type = type;
    server.options.readMode = type == Native::PipeType::Byte ? Native::ReadMode::Byte : Native::ReadMode::Message;
    QVERIFY(startServer(server));
    Native::ClientOptions options;
    options.type = type;
    auto connected = Native::connectToPipe(Native::PipeName::parse(server.name.toStdString()).value(), options);
    QVERIFY2(connected, connected ? "" : connected.error().message().c_str());
    Native::Connection &c = *connected.value();
    const QByteArray big = pattern(2 << 20, 3);
    const qint64 expected = 3 + big.size() + 5;
    qint64 received = 0;
    Native::StringSink sink;
    auto readWhatCame = [&] {
        Native::ReadResult r;
        while ((r = c.read(sink)).status == Native::ReadStatus::Data) {
            received += qint64(sink.bytes.size());
            sink.bytes.clear();
        }
        return r.status;
    };
    for (const QByteArray &message : {QByteArrayLiteral("one"), big, QByteArrayLiteral("three")})
        QVERIFY(!c.write(std::string_view(message.constData(), size_t(message.size()))).isError());
    // The answers come while the rest is still being written.
    QDeadlineTimer deadline(20000);
    while (c.hasPendingWrites() && !deadline.hasExpired()) {
        QVERIFY(!c.flush().isError());
        readWhatCame();
        // The server accepts and captures through this thread's events.
        QCoreApplication::processEvents();
        c.waitReadable(10);
    }
    QVERIFY(!c.hasPendingWrites());
    QVERIFY(!c.shutdownWrite().isError());
    Native::ReadStatus status = Native::ReadStatus::WouldBlock;
    while (status != Native::ReadStatus::Closed && !deadline.hasExpired()) {
        status = readWhatCame();
        QCoreApplication::processEvents();
        if (status == Native::ReadStatus::WouldBlock)
            c.waitReadable(10);
    }
    QCOMPARE(status, Native::ReadStatus::Closed);
    QCOMPARE(received, expected);
    QTRY_COMPARE(eventsOf(*m_store, kServerId, EventKind::Disconnected).size(), 1);
    QCOMPARE(bytesOf(eventsOf(*m_store, kServerId, EventKind::Data, Direction::Out)), expected);
    const auto errors = eventsOf(*m_store, kServerId, EventKind::Error);
    QVERIFY2(errors.isEmpty(), errors.isEmpty() ? "" : errors.first().payload.constData());
}

#endif

void tst_Endpoints::qLocalSocketClientInterop()
{
    ServerConfig server;
    server.name = uniqueName("qlocal");
    server.options.convention = Native::Convention::Qt;
    server.options.type = Native::PipeType::Byte;
    server.options.readMode = Native::ReadMode::Byte;
    server.autoReply = AutoReply::Echo;
    QVERIFY(startServer(server));

    // Asynchronous, as a Qt program uses it: the server hands each accepted
    // connection to its owner's (this thread's) event loop.
    QLocalSocket socket;
    socket.connectToServer(server.name);
    QTRY_COMPARE(socket.state(), QLocalSocket::ConnectedState);
    socket.write("hello from QLocalSocket");
    QByteArray echoed;
    QTRY_COMPARE((echoed += socket.readAll()), QByteArray("hello from QLocalSocket"));
    QTRY_COMPARE(eventsOf(*m_store, kServerId, EventKind::Data, Direction::In).size(), 1);
    QCOMPARE(eventsOf(*m_store, kServerId, EventKind::Data, Direction::In).first().payload,
             QByteArray("hello from QLocalSocket"));
}

void tst_Endpoints::clientToQLocalServerInterop()
{
    QLocalServer qtServer;
    const QString name = uniqueName("qserver");
    QVERIFY2(qtServer.listen(name), qPrintable(qtServer.errorString()));
    ClientConfig config;
    config.name = name;
    config.options.convention = Native::Convention::Qt; // type not given: finds the stream socket
    PipeClient *client = openClient(config);
    QSignalSpy connected(client, &PipeClient::connected);
    QTRY_VERIFY(qtServer.hasPendingConnections() || qtServer.waitForNewConnection(100));
    QLocalSocket *peer = qtServer.nextPendingConnection();
    QVERIFY(peer);
    QTRY_COMPARE(connected.size(), 1);
    QCOMPARE(connected.first().first().value<ConnectionInfo>().type, Native::PipeType::Byte);

    client->send("to QLocalServer");
    QByteArray got;
    QTRY_VERIFY((got += peer->readAll()).size() >= 15);
    QCOMPARE(got, QByteArray("to QLocalServer"));
    peer->write("from QLocalServer");
    peer->flush();
    QTRY_COMPARE(eventsOf(*m_store, kClientId, EventKind::Data, Direction::In).size(), 1);
    QCOMPARE(eventsOf(*m_store, kClientId, EventKind::Data, Direction::In).first().payload,
             QByteArray("from QLocalServer"));
}

void tst_Endpoints::badNamesAreReported_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("regularFile");
    QTest::addColumn<QString>("why");
    QTest::newRow("empty") << QString() << false << QStringLiteral("the name is empty");
    QTest::newRow("too long for a pipe name") << QString(300, u'n') << false << QStringLiteral("at most 256");
#ifdef Q_OS_UNIX
    QTest::newRow("missing directory") << QStringLiteral("/no/such/dir/pipe") << false << QStringLiteral("does not exist");
    QTest::newRow("too long for sun_path") << QString(120, u'n') << false << QStringLiteral("at most 107");
    QTest::newRow("a regular file in the way") << QString() << true << QStringLiteral("not a socket");
#else
    QTest::newRow("a Unix path") << QStringLiteral("/tmp/pipe") << false << QStringLiteral("Unix socket");
#endif
}

void tst_Endpoints::badNamesAreReported()
{
    QFETCH(QString, name);
    QFETCH(bool, regularFile);
    QFETCH(QString, why);
    if (regularFile) {
        name = m_runtime.path() + QLatin1Char('/') + uniqueName("file");
        QFile file(name);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("keep me");
    }
    ServerConfig server;
    server.name = name;
    auto *pipeServer = new PipeServer(kServerId, m_hub.get());
    m_endpoints << pipeServer;
    QSignalSpy failed(pipeServer, &PipeServer::errorOccurred);
    pipeServer->start(server);
    QTRY_COMPARE(failed.size(), 1);
    QVERIFY2(failed.first().first().toString().contains(why), qPrintable(failed.first().first().toString()));
    QTRY_COMPARE(pipeServer->runningThreads(), 0);
    // The error is in the capture too, so nothing happens only on a console.
    QTRY_COMPARE(eventsOf(*m_store, kServerId, EventKind::Error).size(), 1);
    if (regularFile) {
        QFile file(name);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), QByteArray("keep me"));
    }

    ClientConfig client;
    client.name = name;
    PipeClient *pipeClient = openClient(client);
    QSignalSpy clientFailed(pipeClient, &PipeClient::errorOccurred);
    QTRY_COMPARE(clientFailed.size(), 1);
    QVERIFY(!clientFailed.first().first().toString().isEmpty());
    // A file is no pipe: said so, not that no server listens on it.
    if (regularFile)
        QVERIFY2(clientFailed.first().first().toString().contains(QLatin1String("it is a file, not a pipe (socket)")),
                 qPrintable(clientFailed.first().first().toString()));
}

PIPESCOPE_TEST_GUILESS_MAIN(tst_Endpoints)
#include "tst_endpoints.moc"
