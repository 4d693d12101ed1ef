// A monitor (PipeServer with relayTo, RelayWorker) end to end: real pipes
// on both sides, the client and the target server played by this test.
#include "capturehub.h"
#include "coretestsupport.h"
#include "endpointfixture.h"
#include "pipeserver.h"
#include "relayworker.h"
#include "testmain.h"
#include "trafficstore.h"

#include <QElapsedTimer>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTest>

#include <atomic>
#include <memory>
#include <optional>
#include <thread>

using namespace PipeScope;
using namespace PipeScopeTest;

namespace {

constexpr quint32 kMonitorId = 1;
constexpr quint32 kTargetId = 2;

// Waits a little for `c` to be readable (or writable); in the GUI thread
// the event loop runs meanwhile: the monitor's accepts pass through it.
void waitOn(Native::Connection &c, bool forWriting)
{
    if (QThread::currentThread() == QCoreApplication::instance()->thread())
        QCoreApplication::processEvents();
    if (forWriting)
        c.waitWritable(5);
    else
        c.waitReadable(5);
}

// The next whole message (or, in byte mode, what arrived), waiting up to
// `ms`; nothing when the pipe closed or nothing came.
std::optional<QByteArray> readNext(Native::Connection &c, int ms = 10000, Native::ReadStatus *status = nullptr)
{
    Native::StringSink sink;
    QElapsedTimer waited;
    waited.start();
    for (;;) {
        const Native::ReadResult r = c.read(sink);
        if (status)
            *status = r.status;
        if (r.status == Native::ReadStatus::Data)
            return QByteArray::fromStdString(sink.bytes);
        if (r.status != Native::ReadStatus::WouldBlock || waited.elapsed() > ms)
            return std::nullopt;
        c.flush();
        waitOn(c, false);
    }
}

bool writeAll(Native::Connection &c, const QByteArray &bytes)
{
    if (c.write(std::string_view(bytes.constData(), std::size_t(bytes.size()))).isError())
        return false;
    QElapsedTimer waited;
    waited.start();
    while (c.hasPendingWrites() && waited.elapsed() < 10000) {
        if (c.flush().isError())
            return false;
        waitOn(c, true);
    }
    return !c.hasPendingWrites();
}

std::unique_ptr<Native::Connection> connectTo(const QString &name, Native::ClientOptions options = {})
{
    auto connection = Native::connectToPipe(Native::PipeName::parse(name.toStdString()).value(), options);
    if (!connection) {
        qWarning() << "connect failed:" << connection.error().message().c_str();
        return nullptr;
    }
    return std::move(connection.value());
}

} // namespace

class tst_Relay : public QObject, EndpointFixture
{
    Q_OBJECT
public:
    tst_Relay() { qRegisterMetaType<ConnectionInfo>(); }

private slots:
    void init();
    void cleanup();

    void messagesPassBothWaysWhole();
    void byteStreamsPassAsRead();
#ifdef Q_OS_UNIX
    void aHalfCloseIsPassedOn();
#endif
    void aBusyTargetMakesTheClientWait();
    void aBusyTargetThatStaysBusyRefusesTheClient();
    void aMissingTargetDisconnectsTheClient();
    void aMessageOverTheLimitEndsTheConversation();
    void aTargetThatDoesNotReadThrottlesTheClient();
    void stoppingPassesOnWhatWasSent();
    void aMonitorSendsNothingOfItsOwn();

private:
    // A monitor passing clients on to a fresh name where this test
    // listens itself (the listener returned), to play the server by hand.
    std::unique_ptr<Native::Listener> startMonitorOnRawTarget(const char *tag, PipeServer **monitor = nullptr);
    // An echoing target (of `targetInstances` instances) and a monitor
    // passing clients on to it, waiting `waitMs` while the target is busy.
    PipeServer *startPair(const char *tag, Native::PipeType type = Native::PipeType::Message,
                          std::uint32_t waitMs = 5000, std::size_t maxMessage = Native::kDefaultMaxMessageSize,
                          int targetInstances = Native::kUnlimitedInstances);

    PrivateRuntime m_runtime;
    QString m_monitorName;
    QString m_targetName;
};

void tst_Relay::init()
{
    setUpCapture();
}

void tst_Relay::cleanup()
{
    tearDownCapture();
}

std::unique_ptr<Native::Listener> tst_Relay::startMonitorOnRawTarget(const char *tag, PipeServer **monitor)
{
    ServerConfig monitorConfig;
    m_monitorName = monitorConfig.name = uniqueName(tag);
    m_targetName = m_monitorName + QStringLiteral("-target");
    auto listener = Native::Listener::create(Native::PipeName::parse(m_targetName.toStdString()).value(), {});
    if (!listener) {
        qWarning() << "listen failed:" << listener.error().message().c_str();
        return nullptr;
    }
    ClientConfig to;
    to.name = m_targetName;
    monitorConfig.relayTo = to;
    PipeServer *started = startServer(kMonitorId, monitorConfig);
    if (monitor)
        *monitor = started;
    return started ? std::move(listener.value()) : nullptr;
}

PipeServer *tst_Relay::startPair(const char *tag, Native::PipeType type, std::uint32_t waitMs, std::size_t maxMessage,
                                 int targetInstances)
{
    const auto readMode = type == Native::PipeType::Message ? Native::ReadMode::Message : Native::ReadMode::Byte;
    ServerConfig target;
    m_targetName = target.name = uniqueName(tag) + QStringLiteral("-target");
    target.options.type = type;
    target.options.readMode = readMode;
    target.autoReply = AutoReply::Echo;
    target.options.maxInstances = targetInstances;
    if (!startServer(kTargetId, target))
        return nullptr;
    ServerConfig monitor;
    m_monitorName = monitor.name = uniqueName(tag);
    monitor.options.type = type;
    monitor.options.readMode = readMode;
    monitor.options.maxMessageSize = maxMessage;
    ClientConfig to;
    to.name = m_targetName;
    to.options.type = type;
    to.options.waitMs = waitMs;
    to.options.maxMessageSize = maxMessage;
    monitor.relayTo = to;
    return startServer(kMonitorId, monitor);
}

// Every size a message can take, the empty one too, arrives whole and
// alone, both ways, and the monitor records each once with the time it
// took to pass it on, and both peers' identities.
void tst_Relay::messagesPassBothWaysWhole()
{
    PipeServer *monitor = startPair("whole");
    QVERIFY(monitor);
    QSignalSpy relayed(monitor, &PipeServer::instanceRelayed);
    QSignalSpy connected(monitor, &PipeServer::instanceConnected);
    auto client = connectTo(m_monitorName);
    QVERIFY(client);
    const QList<qsizetype> sizes{5, 0, 1, 4096, 200000, 1 << 20, 0, 3};
    QList<QByteArray> sent;
    for (int i = 0; i < sizes.size(); ++i)
        sent << pattern(sizes[i], i);
    for (const QByteArray &message : sent)
        QVERIFY(writeAll(*client, message));
    for (const QByteArray &message : sent) {
        const std::optional<QByteArray> echoed = readNext(*client);
        QVERIFY2(echoed, "an echo did not come back");
        QCOMPARE(echoed->size(), message.size());
        QVERIFY(*echoed == message);
    }
    QTRY_COMPARE(eventsOf(*m_store, kMonitorId, EventKind::Data, Direction::Out).size(), sent.size());
    const auto toServer = eventsOf(*m_store, kMonitorId, EventKind::Data, Direction::In);
    const auto toClient = eventsOf(*m_store, kMonitorId, EventKind::Data, Direction::Out);
    QCOMPARE(toServer.size(), sent.size());
    for (int i = 0; i < sent.size(); ++i) {
        QVERIFY(toServer[i].payload == sent[i]);
        QVERIFY(toClient[i].payload == sent[i]);
        QVERIFY2(toServer[i].relayNs > 0 && toClient[i].relayNs > 0, "no relay time");
        QCOMPARE(toServer[i].instance, 1u);
    }
    // The target saw the client's messages as the client sent them.
    const auto atTarget = eventsOf(*m_store, kTargetId, EventKind::Data, Direction::In);
    QCOMPARE(atTarget.size(), sent.size());
    for (int i = 0; i < sent.size(); ++i)
        QVERIFY(atTarget[i].payload == sent[i]);

    const auto connects = eventsOf(*m_store, kMonitorId, EventKind::Connected);
    QCOMPARE(connects.size(), 1);
    const QByteArray pid = "pid " + QByteArray::number(QCoreApplication::applicationPid());
    QVERIFY2(connects[0].payload.startsWith("client: " + pid) && connects[0].payload.contains("; server: " + pid),
             connects[0].payload.constData());
    QVERIFY2(connects[0].payload.contains(m_targetName.toUtf8()), connects[0].payload.constData());
    QCOMPARE(connected.size(), 1);
    QTRY_COMPARE(relayed.size(), 1);
    QCOMPARE(relayed.first().at(1).value<ConnectionInfo>().peer.pid, qint64(QCoreApplication::applicationPid()));
    QVERIFY(eventsOf(*m_store, kMonitorId, EventKind::Error).isEmpty());

    client->close(0);
    QTRY_COMPARE(eventsOf(*m_store, kMonitorId, EventKind::Disconnected, Direction::None).size(), 1);
    QTRY_COMPARE(eventsOf(*m_store, kTargetId, EventKind::Disconnected).size(), 1);
}

void tst_Relay::byteStreamsPassAsRead()
{
    QVERIFY(startPair("bytes", Native::PipeType::Byte));
    Native::ClientOptions options;
    options.type = Native::PipeType::Byte;
    auto client = connectTo(m_monitorName, options);
    QVERIFY(client);
    const QByteArray stream = pattern(300000, 7);
    for (qsizetype at = 0; at < stream.size(); at += 7001)
        QVERIFY(writeAll(*client, stream.mid(at, 7001)));
    QByteArray back;
    while (back.size() < stream.size()) {
        const std::optional<QByteArray> more = readNext(*client);
        QVERIFY2(more, qPrintable(QStringLiteral("the stream stopped after %1 bytes").arg(back.size())));
        back += *more;
    }
    QVERIFY(back == stream);
    // Recorded as read, chunk by chunk, which together are the stream.
    QByteArray recorded;
    QTRY_VERIFY((recorded = [&] {
                    QByteArray all;
                    for (const TrafficEvent &e : eventsOf(*m_store, kMonitorId, EventKind::Data, Direction::In))
                        all += e.payload;
                    return all;
                }()).size() == stream.size());
    QVERIFY(recorded == stream);
}

#ifdef Q_OS_UNIX
// The client closes its end for writing and waits for the answer: the
// server must see the end (after every message), and its answer must
// still reach the client.
void tst_Relay::aHalfCloseIsPassedOn()
{
    const std::unique_ptr<Native::Listener> listener = startMonitorOnRawTarget("half");
    QVERIFY(listener);

    std::atomic<int> seen{-1};
    std::thread server([&] {
        if (!Native::waitHandle(listener->handle(), 10000))
            return;
        auto accepted = listener->accept();
        if (!accepted || !accepted.value())
            return;
        Native::Connection &c = *accepted.value();
        int messages = 0;
        Native::ReadStatus status{};
        while (readNext(c, 10000, &status))
            ++messages;
        if (status != Native::ReadStatus::Closed)
            return;
        seen = messages;
        writeAll(c, "bye after " + QByteArray::number(messages));
        c.close(1000);
    });
    const auto joinServer = qScopeGuard([&] { server.join(); });

    auto client = connectTo(m_monitorName);
    QVERIFY(client);
    for (const char *m : {"one", "two", "three"})
        QVERIFY(writeAll(*client, m));
    QVERIFY(!client->shutdownWrite().isError());
    const std::optional<QByteArray> answer = readNext(*client);
    QVERIFY2(answer, "the server's answer after the half-close did not arrive");
    QCOMPARE(*answer, QByteArray("bye after 3"));
    Native::ReadStatus status{};
    QVERIFY(!readNext(*client, 5000, &status));
    QCOMPARE(status, Native::ReadStatus::Closed);
    QCOMPARE(seen.load(), 3);

    // In order: the client's close, the server's answer, the server's close.
    QTRY_COMPARE(eventsOf(*m_store, kMonitorId, EventKind::Disconnected, Direction::None).size(), 1);
    QList<TrafficEvent> order;
    for (qsizetype i = 0; i < m_store->count(); ++i)
        if (m_store->record(i).endpoint == kMonitorId)
            order << m_store->eventAt(i);
    QStringList kinds;
    for (const TrafficEvent &e : order)
        kinds << QStringLiteral("%1%2").arg(QLatin1String(eventKindName(e.kind)),
                                            e.direction == Direction::None ? QString()
                                                                           : QStringLiteral(":") + QLatin1String(directionName(e.direction)));
    QCOMPARE(kinds.join(QLatin1Char(' ')), QStringLiteral("connected data:in data:in data:in disconnected:in data:out "
                                                          "disconnected"));
    QCOMPARE(order[4].payload, QByteArray("the client closed its end"));
    QCOMPARE(order.last().payload, QByteArray("both sides closed"));
}
#endif

void tst_Relay::aBusyTargetMakesTheClientWait()
{
    // The target's one instance is taken…
    PipeServer *monitor = startPair("busy-wait", Native::PipeType::Message, 10000, Native::kDefaultMaxMessageSize, 1);
    QVERIFY(monitor);
    auto occupant = connectTo(m_targetName);
    QVERIFY(occupant);

    QSignalSpy waiting(monitor, &PipeServer::instanceWaitingForServer);
    auto client = connectTo(m_monitorName);
    QVERIFY(client);
    QVERIFY(writeAll(*client, "waited"));
    // …until the occupant leaves: then the client is passed on, and what
    // it sent meanwhile arrives.
    QTRY_COMPARE(waiting.size(), 1);
    QVERIFY(eventsOf(*m_store, kMonitorId, EventKind::Connected).isEmpty());
    occupant->close(0);
    const std::optional<QByteArray> echoed = readNext(*client);
    QVERIFY2(echoed, "the client was not passed on once the target was free");
    QCOMPARE(*echoed, QByteArray("waited"));
    const auto connects = eventsOf(*m_store, kMonitorId, EventKind::Connected);
    QCOMPARE(connects.size(), 1);
    QVERIFY2(connects[0].payload.contains("every instance of the server was busy: the client waited"),
             connects[0].payload.constData());
}

void tst_Relay::aBusyTargetThatStaysBusyRefusesTheClient()
{
    QVERIFY(startPair("busy-refuse", Native::PipeType::Message, 300, Native::kDefaultMaxMessageSize, 1));
    auto occupant = connectTo(m_targetName);
    QVERIFY(occupant);

    auto client = connectTo(m_monitorName);
    QVERIFY(client);
    Native::ReadStatus status{};
    QVERIFY(!readNext(*client, 10000, &status));
    QCOMPARE(status, Native::ReadStatus::Closed);
    QTRY_COMPARE(eventsOf(*m_store, kMonitorId, EventKind::Disconnected).size(), 1);
    const auto errors = eventsOf(*m_store, kMonitorId, EventKind::Error);
    QCOMPARE(errors.size(), 1);
    QVERIFY2(errors[0].payload.contains("cannot be passed on") && errors[0].payload.contains("busy") &&
                 errors[0].payload.contains("300 ms"),
             errors[0].payload.constData());
    QCOMPARE(eventsOf(*m_store, kMonitorId, EventKind::Disconnected).first().payload,
             QByteArray("the server could not be reached"));
}

void tst_Relay::aMissingTargetDisconnectsTheClient()
{
    ServerConfig monitorConfig;
    monitorConfig.name = uniqueName("missing");
    ClientConfig to;
    to.name = uniqueName("nobody-here");
    monitorConfig.relayTo = to;
    QVERIFY(startServer(kMonitorId, monitorConfig));
    auto client = connectTo(monitorConfig.name);
    QVERIFY(client);
    Native::ReadStatus status{};
    QVERIFY(!readNext(*client, 10000, &status));
    QCOMPARE(status, Native::ReadStatus::Closed);
    QTRY_COMPARE(eventsOf(*m_store, kMonitorId, EventKind::Error).size(), 1);
    const QByteArray error = eventsOf(*m_store, kMonitorId, EventKind::Error).first().payload;
    QVERIFY2(error.contains(to.name.toUtf8()) && error.contains("cannot be passed on"), error.constData());
    // The client's identity is still recorded.
    const auto connects = eventsOf(*m_store, kMonitorId, EventKind::Connected);
    QCOMPARE(connects.size(), 1);
    QVERIFY2(connects[0].payload.startsWith("client: pid "), connects[0].payload.constData());
}

void tst_Relay::aMessageOverTheLimitEndsTheConversation()
{
    QVERIFY(startPair("limit", Native::PipeType::Message, 5000, 1000));
    auto client = connectTo(m_monitorName);
    QVERIFY(client);
    QVERIFY(writeAll(*client, "small"));
    QCOMPARE(readNext(*client).value_or("nothing"), QByteArray("small"));
    QVERIFY(writeAll(*client, pattern(5000, 1)));
    Native::ReadStatus status{};
    QVERIFY(!readNext(*client, 10000, &status));
    QCOMPARE(status, Native::ReadStatus::Closed);
    QTRY_COMPARE(eventsOf(*m_store, kMonitorId, EventKind::Disconnected, Direction::None).size(), 1);
    const auto in = eventsOf(*m_store, kMonitorId, EventKind::Data, Direction::In);
    QCOMPARE(in.size(), 2);
    QVERIFY(in[1].flags & Truncated);
    QCOMPARE(in[1].payload.size(), 1000);
    const auto errors = eventsOf(*m_store, kMonitorId, EventKind::Error);
    QCOMPARE(errors.size(), 2);
    QVERIFY2(errors[1].payload.contains("cannot be passed on whole"), errors[1].payload.constData());
    // The server never saw a cut-off message.
    QTRY_COMPARE(eventsOf(*m_store, kTargetId, EventKind::Disconnected).size(), 1);
    QCOMPARE(eventsOf(*m_store, kTargetId, EventKind::Data, Direction::In).size(), 1);
}

// The server stops reading: the monitor's queue for it fills to its
// limit, the monitor stops reading from the client, and the client's
// writes stall in the kernel; once the server reads, all of it arrives.
void tst_Relay::aTargetThatDoesNotReadThrottlesTheClient()
{
    PipeServer *monitor = nullptr;
    const std::unique_ptr<Native::Listener> listener = startMonitorOnRawTarget("stall", &monitor);
    QVERIFY(listener && monitor);
    QSignalSpy throttled(monitor, &PipeServer::instanceThrottled);

    constexpr qsizetype kSize = 4096;
    constexpr qint64 kCap = qint64(128) << 20;
    std::atomic<qint64> sent{0}, received{0};
    std::atomic<bool> flooded{false}, readNow{false}, done{false};
    // Both ends stay open until the test ends.
    std::unique_ptr<Native::Connection> client, serverEnd;
    std::thread peers([&] {
        client = connectTo(m_monitorName);
        if (!Native::waitHandle(listener->handle(), 10000) || !client)
            return;
        auto accepted = listener->accept();
        if (!accepted || !accepted.value())
            return;
        serverEnd = std::move(accepted.value());
        const std::string message(std::size_t(kSize), 's');
        while (sent < kCap) {
            if (client->hasPendingWrites()) {
                if (!client->waitWritable(300))
                    break;
                client->flush();
                continue;
            }
            if (client->write(message).isError())
                return;
            sent += kSize;
        }
        flooded = true;
        while (!readNow)
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        Native::Connection &server = *serverEnd;
        while (received < sent) {
            if (client->hasPendingWrites())
                client->flush();
            const std::optional<QByteArray> next = readNext(server, 10000);
            if (!next)
                break;
            received += next->size();
        }
        done = true;
    });
    const auto joinPeers = qScopeGuard([&] {
        readNow = true;
        peers.join();
    });
    QTRY_VERIFY_WITH_TIMEOUT(flooded, 60000);
    QVERIFY2(sent > 0 && sent < kCap, qPrintable(QStringLiteral("the client sent %1 bytes").arg(sent.load())));
    QTRY_VERIFY(!throttled.isEmpty());
    QCOMPARE(throttled.first().at(1).toBool(), true);
    QVERIFY2(throttled.first().at(2).toString().contains(QLatin1String("the server does not read what the client sends")),
             qPrintable(throttled.first().at(2).toString()));
    qint64 relayed = 0;
    for (const TrafficEvent &e : eventsOf(*m_store, kMonitorId, EventKind::Data, Direction::In))
        relayed += e.payload.size();
    QVERIFY2(relayed <= qint64(RelayWorker::kWriteQueueLimit) + (qint64(8) << 20),
             qPrintable(QStringLiteral("the monitor read %1 bytes").arg(relayed)));

    readNow = true;
    QTRY_VERIFY_WITH_TIMEOUT(done, 60000);
    QCOMPARE(received.load(), sent.load());
    // Said once reading has gone on for a second (both ends still open).
    QTRY_COMPARE(throttled.last().at(1).toBool(), false);
    QVERIFY(eventsOf(*m_store, kMonitorId, EventKind::Error).isEmpty());
}

void tst_Relay::stoppingPassesOnWhatWasSent()
{
    PipeServer *monitor = startPair("stop");
    QVERIFY(monitor);
    auto client = connectTo(m_monitorName);
    QVERIFY(client);
    QVERIFY(writeAll(*client, "first"));
    QCOMPARE(readNext(*client).value_or("nothing"), QByteArray("first"));
    QVERIFY(writeAll(*client, "last words"));
    QSignalSpy stopped(monitor, &PipeServer::stopped);
    monitor->stop();
    QTRY_COMPARE(stopped.size(), 1);
    QTRY_COMPARE(eventsOf(*m_store, kTargetId, EventKind::Data, Direction::In).size(), 2);
    QCOMPARE(eventsOf(*m_store, kTargetId, EventKind::Data, Direction::In).last().payload, QByteArray("last words"));
    const auto ends = eventsOf(*m_store, kMonitorId, EventKind::Disconnected, Direction::None);
    QCOMPARE(ends.size(), 1);
    QCOMPARE(ends[0].payload, QByteArray("stopped by PipeScope"));
}

void tst_Relay::aMonitorSendsNothingOfItsOwn()
{
    PipeServer *monitor = startPair("no-send");
    QVERIFY(monitor);
    QSignalSpy connected(monitor, &PipeServer::instanceConnected);
    auto client = connectTo(m_monitorName);
    QVERIFY(client);
    QTRY_COMPARE(connected.size(), 1);
    QVERIFY(monitor->send(1, "injected"));
    QTRY_COMPARE(eventsOf(*m_store, kMonitorId, EventKind::Error).size(), 1);
    QVERIFY(eventsOf(*m_store, kMonitorId, EventKind::Error).first().payload.startsWith("not sent: a monitor"));
    QVERIFY(eventsOf(*m_store, kMonitorId, EventKind::Data).isEmpty());
    QVERIFY(eventsOf(*m_store, kTargetId, EventKind::Data).isEmpty());
}

PIPESCOPE_TEST_GUILESS_MAIN(tst_Relay)
#include "tst_relay.moc"
