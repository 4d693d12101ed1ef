// The workspace the window works on, its endpoint tree model, and the
// auto-reply rules: real pipes, no widgets.
#include "capturehub.h"
#include "coretestsupport.h"
#include "endpointmodel.h"
#include "pipelistmodel.h"
#include "samplerunner.h"
#include "samplescenario.h"
#include "testmain.h"
#include "trafficstore.h"
#include "workspace.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

#include <algorithm>

using namespace PipeScope;
using namespace PipeScopeTest;

class tst_Workspace : public QObject
{
    Q_OBJECT
private slots:
    void init() { PipeScopeTest::failOnUnexpectedWarnings(); }
    void replyRulesMatchAndExpandCaptures();
    void badRulesAreNamed();
    void thePipeListChangesOnlyWhatChanged();
    void thePipeListListsTheMachinesPipes();
    void serverAndClientThroughTheirLives();
    void failedStartIsReportedAndCanBeRetried();
    void rulesAnswerOverAPipe();
    void settingsChangesAreRecordedWhenTheyHappen();
    void theSampleRunnerPlaysTheSeedsConversation();
    void automaticConventionFindsAQtServer();
    void aClientWaitingForABusyPipeSaysSo();
    void oneInstanceIsDisconnectedAndTheServerListensOn();
    void endedInstancesAreClearedAndTheirTrafficStays();
    void aRunningEndpointIsStoppedAndRemoved();
    void aReplaysSideIsShownWithItsTraffic();

public:
    static bool waitState(const Workspace &w, quint32 id, Workspace::State state)
    {
        return QTest::qWaitFor([&] { return w.endpoint(id)->state == state; }, 10000);
    }

    PrivateRuntime m_runtime;
};

void tst_Workspace::replyRulesMatchAndExpandCaptures()
{
    const ReplyRuleSet rules({
        {ReplyRule::Match::Contains, QStringLiteral("ping"), QStringLiteral("pong")},
        {ReplyRule::Match::Regex, QStringLiteral("^GET (\\w+) (\\d+)$"), QStringLiteral("\\1 #\\2 (\\0) \\\\1")},
        {ReplyRule::Match::Contains, QStringLiteral("GET"), QStringLiteral("never: the regex rule comes first")},
    });
    QCOMPARE(rules.replyTo("a ping here").value(), QByteArray("pong"));
    QCOMPARE(rules.replyTo("GET item 42").value(), QByteArray("item #42 (GET item 42) \\1"));
    QCOMPARE(rules.replyTo("GET item").value(), QByteArray("never: the regex rule comes first"));
    QVERIFY(!rules.replyTo("nothing matches").has_value());
    // Replies are UTF-8; messages are read as UTF-8.
    const ReplyRuleSet unicode({{ReplyRule::Match::Regex, QStringLiteral("grü(.)"), QStringLiteral("→\\1")}});
    QCOMPARE(unicode.replyTo(QStringLiteral("grüß").toUtf8()).value(), QStringLiteral("→ß").toUtf8());
}

void tst_Workspace::badRulesAreNamed()
{
    QVERIFY(validateReplyRule({ReplyRule::Match::Contains, QString(), QStringLiteral("x")}).contains(QLatin1String("empty")));
    const QString bad = validateReplyRule({ReplyRule::Match::Regex, QStringLiteral("a(b"), QStringLiteral("x")});
    QVERIFY2(bad.contains(QLatin1String("a(b")) && bad.contains(QLatin1String("position")), qPrintable(bad));
    QVERIFY(validateReplyRule({ReplyRule::Match::Regex, QStringLiteral("a(b)"), QStringLiteral("x")}).isEmpty());
    // A bad rule in a set never matches (and never crashes the instance).
    const ReplyRuleSet rules({{ReplyRule::Match::Regex, QStringLiteral("a(b"), QStringLiteral("x")}});
    QVERIFY(!rules.replyTo("a(b").has_value());
}

void tst_Workspace::serverAndClientThroughTheirLives()
{
    Workspace workspace;
    EndpointModel model(&workspace);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);

    ServerConfig server;
    server.name = uniqueName("ws");
    server.autoReply = AutoReply::Fixed;
    server.replyBytes = "Default answer from server";
    QSignalSpy added(&workspace, &Workspace::endpointAdded);
    const quint32 serverId = workspace.addServer(server);
    // Shown once it runs: the tree has it when it listens.
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(waitState(workspace, serverId, Workspace::State::Listening));
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(added.size(), 1);
    QVERIFY(!workspace.endpoint(serverId)->address.isEmpty());
    QCOMPARE(workspace.sendBlocker(serverId, 0), QStringLiteral("Choose an instance: a server sends to one connected client"));

    ClientConfig client;
    client.name = server.name;
    const quint32 clientId = workspace.addClient(client);
    QVERIFY(clientId != serverId);
    QVERIFY(waitState(workspace, clientId, Workspace::State::Connected));
    QCOMPARE(model.rowCount(), 2);
    QTRY_COMPARE(model.rowCount(model.indexFor(serverId)), 1);
    const QModelIndex instance = model.indexFor(serverId, 1);
    QVERIFY(instance.isValid());
    QCOMPARE(instance.parent(), model.indexFor(serverId));
    QCOMPARE(instance.data(EndpointModel::InstanceRole).toUInt(), 1u);
    QVERIFY2(instance.siblingAtColumn(EndpointModel::PeerColumn).data().toString().contains(
                 QStringLiteral("pid %1").arg(QCoreApplication::applicationPid())),
             qPrintable(instance.siblingAtColumn(EndpointModel::PeerColumn).data().toString()));
    QCOMPARE(model.indexFor(serverId).siblingAtColumn(EndpointModel::StateColumn).data().toString(),
             QStringLiteral("listening, 1 connected"));

    QVERIFY(workspace.sendBlocker(clientId).isEmpty());
    QVERIFY(workspace.send(clientId, 0, "Default message from client"));
    QTRY_COMPARE(workspace.store()->stats(clientId, 0).messagesIn, 1u);
    QCOMPARE(workspace.store()->stats(serverId, 1).messagesIn, 1u);
    QCOMPARE(workspace.store()->stats(serverId, 1).bytesOut, quint64(26));
    // The counts reach the tree within its refresh interval.
    QTRY_COMPARE(model.indexFor(serverId, 1).siblingAtColumn(EndpointModel::MessagesColumn).data().toString(),
                 QStringLiteral("1 / 1"));
    QVERIFY(workspace.send(serverId, 1, "from the server"));
    QTRY_COMPARE(workspace.store()->stats(clientId, 0).messagesIn, 2u);

    // The client stops: its instance ends, and neither can be sent to.
    workspace.stop(clientId);
    QVERIFY(waitState(workspace, clientId, Workspace::State::Stopped));
    QTRY_COMPARE(workspace.instance(serverId, 1)->state, Workspace::State::Stopped);
    QCOMPARE(workspace.sendBlocker(clientId), QStringLiteral("Not connected: the client is stopped"));
    QCOMPARE(workspace.sendBlocker(serverId, 1), QStringLiteral("Instance 1's client has disconnected"));
    QSignalSpy errors(&workspace, &Workspace::errorOccurred);
    QVERIFY(!workspace.send(clientId, 0, "x"));
    QCOMPARE(errors.size(), 1);

    // Restarted, the client is a second instance; the first stays listed.
    workspace.restart(clientId);
    QVERIFY(waitState(workspace, clientId, Workspace::State::Connected));
    QTRY_COMPARE(model.rowCount(model.indexFor(serverId)), 2);
    workspace.stop(serverId);
    QVERIFY(waitState(workspace, serverId, Workspace::State::Stopped));
    QVERIFY(waitState(workspace, clientId, Workspace::State::Stopped));
}

void tst_Workspace::failedStartIsReportedAndCanBeRetried()
{
    Workspace workspace;
    EndpointModel model(&workspace);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy errors(&workspace, &Workspace::errorOccurred);

    // The same name twice: the second server is refused, with the reason.
    ServerConfig server;
    server.name = uniqueName("twice");
    const quint32 first = workspace.addServer(server);
    QVERIFY(waitState(workspace, first, Workspace::State::Listening));
    server.options.firstInstance = true;
    const quint32 second = workspace.addServer(server);
    QVERIFY(waitState(workspace, second, Workspace::State::Failed));
    const QString error = workspace.endpoint(second)->error;
    QVERIFY2(error.contains(server.name), qPrintable(error));
    QCOMPARE(errors.size(), 1);
    QCOMPARE(errors.first().at(0).toUInt(), second);
    // An attempt that never ran is neither in the tree nor in the capture.
    QVERIFY(!model.indexFor(second).isValid());
    QCOMPARE(workspace.endpointIds(), QList<quint32>{first});
    workspace.hub()->flush();
    QCOMPARE(workspace.store()->count(), 0);
    QCOMPARE(workspace.sessionHeader().endpoints.size(), 1);

    // Corrected and retried, the same endpoint listens, and is shown.
    server.name = uniqueName("retry");
    QVERIFY(workspace.reconfigure(second, server));
    workspace.restart(second);
    QVERIFY(waitState(workspace, second, Workspace::State::Listening));
    QCOMPARE(workspace.endpointIds(), (QList<quint32>{first, second}));
    QCOMPARE(workspace.endpoint(second)->name, server.name);
    QVERIFY(workspace.endpoint(second)->error.isEmpty());
    // A running endpoint cannot be reconfigured.
    QVERIFY(!workspace.reconfigure(second, server));

    // A client to a name no server has: it fails after its wait.
    ClientConfig client;
    client.name = uniqueName("nobody");
    client.options.waitMs = 100;
    const quint32 lonely = workspace.addClient(client);
    QVERIFY(waitState(workspace, lonely, Workspace::State::Failed));
    QVERIFY2(workspace.sendBlocker(lonely).startsWith(QStringLiteral("Not connected: ")),
             qPrintable(workspace.sendBlocker(lonely)));
    // Removed, it leaves nothing behind.
    QVERIFY(workspace.remove(lonely));
    QVERIFY(!workspace.endpoint(lonely));
    QCOMPARE(model.rowCount(), 2);

    // Once an endpoint has run, a failure to start again is part of its log.
    workspace.stop(second);
    QVERIFY(waitState(workspace, second, Workspace::State::Stopped));
    workspace.hub()->flush();
    const qsizetype before = workspace.store()->count();
    ServerConfig taken = server;
    taken.name = workspace.endpoint(first)->name;
    taken.options.firstInstance = true;
    QVERIFY(workspace.reconfigure(second, taken));
    workspace.restart(second);
    QVERIFY(waitState(workspace, second, Workspace::State::Failed));
    QTRY_COMPARE(workspace.store()->count(), before + 1);
    QCOMPARE(workspace.store()->record(before).kind, EventKind::Error);
    QVERIFY(model.indexFor(second).isValid());
}

void tst_Workspace::rulesAnswerOverAPipe()
{
    Workspace workspace;
    ServerConfig server;
    server.name = uniqueName("rules");
    server.autoReply = AutoReply::Rules;
    server.rules = {{ReplyRule::Match::Regex, QStringLiteral("^GET (\\d+)$"), QStringLiteral("item \\1")},
                    {ReplyRule::Match::Contains, QStringLiteral("bye"), QStringLiteral("see you")}};
    const quint32 serverId = workspace.addServer(server);
    QVERIFY(waitState(workspace, serverId, Workspace::State::Listening));
    ClientConfig client;
    client.name = server.name;
    const quint32 clientId = workspace.addClient(client);
    QVERIFY(waitState(workspace, clientId, Workspace::State::Connected));
    for (const char *message : {"GET 42", "no rule for this", "bye now"})
        workspace.send(clientId, 0, message);
    QTRY_COMPARE(workspace.store()->stats(serverId, 1).messagesIn, 3u);
    QTRY_COMPARE(workspace.store()->stats(clientId, 0).messagesIn, 2u);
    QList<QByteArray> replies;
    const TrafficStore *store = workspace.store();
    for (qsizetype i = 0; i < store->count(); ++i) {
        const auto &r = store->record(i);
        if (r.endpoint == clientId && r.kind == EventKind::Data && r.direction == Direction::In)
            replies << store->payload(i).toByteArray();
    }
    QCOMPARE(replies, (QList<QByteArray>{"item 42", "see you"}));
}

void tst_Workspace::settingsChangesAreRecordedWhenTheyHappen()
{
    Workspace workspace;
    QSignalSpy changes(&workspace, &Workspace::settingsChanged);
    ServerConfig server;
    server.name = uniqueName("changes");
    server.autoReply = AutoReply::Rules;
    server.rules = {{ReplyRule::Match::Contains, QStringLiteral("ping"), QStringLiteral("pong")}};
    const quint32 serverId = workspace.addServer(server);
    QVERIFY(waitState(workspace, serverId, Workspace::State::Listening));
    const auto talk = [&](const QByteArray &message) {
        ClientConfig client;
        client.name = server.name;
        const quint32 clientId = workspace.addClient(client);
        if (!waitState(workspace, clientId, Workspace::State::Connected))
            return false;
        workspace.send(clientId, 0, message);
        return QTest::qWaitFor([&] { return workspace.store()->stats(clientId, 0).messagesIn == 1; }, 10000);
    };
    QVERIFY(talk("ping"));
    const auto restartWith = [&](const ServerConfig &config) {
        workspace.stop(serverId);
        return waitState(workspace, serverId, Workspace::State::Stopped) && workspace.reconfigure(serverId, config) &&
               (workspace.restart(serverId), waitState(workspace, serverId, Workspace::State::Listening));
    };
    // Run again as it was: nothing changed.
    QVERIFY(restartWith(server));
    QCOMPARE(changes.size(), 0);
    const qint64 before = nowNs();
    ServerConfig echo = server;
    echo.autoReply = AutoReply::Echo;
    QVERIFY(restartWith(echo));
    QCOMPARE(changes.size(), 1);
    QVERIFY(talk("ping"));

    // The session: rules first, echo from when the server ran with it.
    const SessionHeader header = workspace.sessionHeader();
    const auto first = std::find_if(header.endpoints.begin(), header.endpoints.end(),
                                    [&](const SessionEndpoint &e) { return e.id == serverId; });
    QVERIFY(first != header.endpoints.end());
    QCOMPARE(first->server.autoReply, AutoReply::Rules);
    QCOMPARE(header.changes.size(), 1);
    QCOMPARE(header.changes.first().id, serverId);
    QCOMPARE(header.changes.first().server.autoReply, AutoReply::Echo);
    QVERIFY(header.changes.first().sinceNs >= before && header.changes.first().sinceNs <= nowNs());

    // Opened again (read-only), it shows both, and saves both.
    workspace.hub()->flush();
    auto *copy = new TrafficStore;
    TrafficBatch events;
    for (qsizetype row = 0; row < workspace.store()->count(); ++row)
        events.append(workspace.store()->eventAt(row));
    copy->append(events);
    Workspace recorded(copy, header);
    QCOMPARE(recorded.endpoint(serverId)->server.autoReply, AutoReply::Echo);
    QCOMPARE(recorded.endpoint(serverId)->ranWith.size(), 2);
    EndpointModel model(&recorded);
    const QString tip = model.indexFor(serverId).data(Qt::ToolTipRole).toString();
    QVERIFY2(tip.contains(QStringLiteral("Settings changed at ")) && tip.contains(QStringLiteral("autoReply: rules → echo")),
             qPrintable(tip));
    QCOMPARE(recorded.sessionHeader().changes.size(), 1);
    QCOMPARE(recorded.sessionHeader().changes.first().sinceNs, header.changes.first().sinceNs);
}

void tst_Workspace::theSampleRunnerPlaysTheSeedsConversation()
{
    Workspace workspace;
    SampleRunner sample(&workspace);
    QSignalSpy sent(&sample, &SampleRunner::sent);
    QSignalSpy failed(&sample, &SampleRunner::failed);
    const QString name = uniqueName("sample");
    sample.start(name);
    QVERIFY(sample.isStarted());
    QVERIFY(sent.wait(10000));
    QCOMPARE(workspace.endpoint(sample.server())->name, name);
    QCOMPARE(workspace.endpoint(sample.client())->kind, Workspace::Kind::Client);
    // The server answers the client's message, as the seed's does.
    QTRY_COMPARE(workspace.store()->stats(sample.client(), 0).messagesIn, 1u);
    QCOMPARE(workspace.store()->stats(sample.client(), 0).bytesOut, quint64(SampleScenario::message().size()));
    QCOMPARE(workspace.store()->stats(sample.client(), 0).bytesIn, quint64(SampleScenario::answer().size()));
    // Once per workspace.
    const quint32 server = sample.server();
    sample.start(uniqueName("again"));
    QCOMPARE(sample.server(), server);
    QCOMPARE(workspace.endpointIds().size(), 2);

    // On a name in use, it says why and goes no further: it does not add
    // instances to another server's pipe, as Windows would allow.
    Workspace other;
    ServerConfig inTheWay;
    inTheWay.name = uniqueName("in-the-way");
    const quint32 blocker = other.addServer(inTheWay);
    QVERIFY(waitState(other, blocker, Workspace::State::Listening));
    SampleRunner taken(&other);
    QSignalSpy takenFailed(&taken, &SampleRunner::failed);
    taken.start(inTheWay.name);
    QVERIFY(takenFailed.wait(10000));
    QVERIFY2(takenFailed.first().first().toString().contains(inTheWay.name),
             qPrintable(takenFailed.first().first().toString()));
    QCOMPARE(taken.client(), 0u);
    QCOMPARE(failed.size(), 0);
}

void tst_Workspace::automaticConventionFindsAQtServer()
{
    Workspace workspace;
    ServerConfig server;
    server.name = uniqueName("auto");
    server.options.convention = Native::Convention::Qt;
    server.options.type = Native::PipeType::Byte;
    server.options.readMode = Native::ReadMode::Byte;
    const quint32 serverId = workspace.addServer(server);
    QVERIFY(waitState(workspace, serverId, Workspace::State::Listening));

    ClientConfig client;
    client.name = server.name;
    client.options.waitMs = 200;
    const quint32 plain = workspace.addClient(client);
#ifdef Q_OS_WIN
    // On Windows every convention names the same \\.\pipe\NAME, where
    // QLocalServer listens too: a plain client finds it as well...
    QVERIFY(waitState(workspace, plain, Workspace::State::Connected));
#else
    // Under PipeScope's own convention there is no such pipe...
    QVERIFY(waitState(workspace, plain, Workspace::State::Failed));
#endif
    // ...and looking under every convention finds Qt's socket.
    client.automaticConvention = true;
    const quint32 automatic = workspace.addClient(client);
    QVERIFY(waitState(workspace, automatic, Workspace::State::Connected));
    QCOMPARE(workspace.endpoint(automatic)->info.type, Native::PipeType::Byte);
    QCOMPARE(workspace.endpoint(automatic)->address, workspace.endpoint(serverId)->address);
}

void tst_Workspace::aClientWaitingForABusyPipeSaysSo()
{
    Workspace workspace;
    EndpointModel model(&workspace);
    ServerConfig server;
    server.name = uniqueName("busy");
    server.options.maxInstances = 1;
    const quint32 serverId = workspace.addServer(server);
    QVERIFY(waitState(workspace, serverId, Workspace::State::Listening));
    ClientConfig client;
    client.name = server.name;
    const quint32 first = workspace.addClient(client);
    QVERIFY(waitState(workspace, first, Workspace::State::Connected));

    // The only instance is taken: the second client waits, and says why.
    client.options.waitMs = 60000;
    const quint32 second = workspace.addClient(client);
    QTRY_VERIFY(workspace.endpoint(second)->busy);
    QCOMPARE(workspace.endpoint(second)->state, Workspace::State::Connecting);
    QCOMPARE(model.indexFor(second).siblingAtColumn(EndpointModel::StateColumn).data().toString(),
             QStringLiteral("waiting: pipe busy"));
    QCOMPARE(workspace.sendBlocker(second),
             QStringLiteral("Waiting for a free instance: every instance of the pipe is busy"));

    // A third waits less: shown while it waits, its time-out is in the log.
    client.options.waitMs = 300;
    const quint32 third = workspace.addClient(client);
    QTRY_VERIFY(workspace.endpoint(third)->shown);
    QVERIFY(waitState(workspace, third, Workspace::State::Failed));
    const auto loggedError = [&workspace, third] {
        TrafficStore *store = workspace.store();
        for (qsizetype row = 0; row < store->count(); ++row)
            if (const TrafficEvent event = store->eventAt(row); event.endpoint == third && event.kind == EventKind::Error)
                return true;
        return false;
    };
    QTRY_VERIFY(loggedError());

    // The instance frees: it connects, and is no longer busy.
    workspace.stop(first);
    QVERIFY(waitState(workspace, second, Workspace::State::Connected));
    QVERIFY(!workspace.endpoint(second)->busy);
    QCOMPARE(model.indexFor(second).siblingAtColumn(EndpointModel::StateColumn).data().toString(),
             QStringLiteral("connected"));
}

namespace {
// A server and two clients connected to it (instances 1 and 2), each
// client having sent one message.
struct TwoClients
{
    Workspace workspace;
    quint32 server = 0;
    quint32 clients[2] = {};

    bool start()
    {
        ServerConfig config;
        config.name = uniqueName("two");
        server = workspace.addServer(config);
        if (!tst_Workspace::waitState(workspace, server, Workspace::State::Listening))
            return false;
        ClientConfig client;
        client.name = config.name;
        for (quint32 &id : clients) {
            id = workspace.addClient(client);
            if (!tst_Workspace::waitState(workspace, id, Workspace::State::Connected))
                return false;
            // One at a time: instance numbers follow the clients' order.
            if (!QTest::qWaitFor([&] { return workspace.connectedInstances(server) == int(&id - clients) + 1; }))
                return false;
            workspace.send(id, 0, "hello");
        }
        return QTest::qWaitFor([&] { return workspace.store()->stats(server, 2).messagesIn == 1; });
    }
};
} // namespace

void tst_Workspace::oneInstanceIsDisconnectedAndTheServerListensOn()
{
    TwoClients two;
    QVERIFY(two.start());
    Workspace &workspace = two.workspace;
    QCOMPARE(workspace.connectedInstances(two.server), 2);

    // Two clients of one name are told apart, the later by its place.
    const QString name = workspace.endpoint(two.server)->name;
    QCOMPARE(workspace.label(two.clients[0]), QStringLiteral("\u2192 %1").arg(name));
    QCOMPARE(workspace.label(two.clients[1]), QStringLiteral("\u2192 %1 (2)").arg(name));
    QCOMPARE(workspace.label(two.server), name);

    QVERIFY(workspace.disconnectInstance(two.server, 1));
    QTRY_COMPARE(workspace.instance(two.server, 1)->state, Workspace::State::Stopped);
    // Its client sees the pipe end; the other goes on, and so does the server.
    QVERIFY(waitState(workspace, two.clients[0], Workspace::State::Stopped));
    QCOMPARE(workspace.endpoint(two.server)->state, Workspace::State::Listening);
    QCOMPARE(workspace.instance(two.server, 2)->state, Workspace::State::Connected);
    QCOMPARE(workspace.connectedInstances(two.server), 1);
    // The log says who ended it.
    workspace.hub()->flush();
    const TrafficStore *store = workspace.store();
    bool said = false;
    for (qsizetype row = 0; row < store->count(); ++row) {
        const TrafficStore::Record &r = store->record(row);
        if (r.endpoint == two.server && r.instance == 1 && r.kind == EventKind::Disconnected)
            said = store->payload(row) == "disconnected by the user";
    }
    QVERIFY(said);
    // An ended instance cannot be disconnected again; a new client still
    // gets served.
    QVERIFY(!workspace.disconnectInstance(two.server, 1));
    workspace.restart(two.clients[0]);
    QVERIFY(waitState(workspace, two.clients[0], Workspace::State::Connected));
    QTRY_COMPARE(workspace.connectedInstances(two.server), 2);
}

void tst_Workspace::endedInstancesAreClearedAndTheirTrafficStays()
{
    TwoClients two;
    QVERIFY(two.start());
    Workspace &workspace = two.workspace;
    EndpointModel model(&workspace);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(model.indexFor(two.server)), 2);
    // Nothing has ended yet: nothing to clear.
    QCOMPARE(workspace.clearEnded(two.server), 0);

    workspace.stop(two.clients[0]);
    QTRY_COMPARE(workspace.instance(two.server, 1)->state, Workspace::State::Stopped);
    QSignalSpy removed(&workspace, &Workspace::instanceRemoved);
    QCOMPARE(workspace.clearEnded(two.server), 1);
    QCOMPARE(removed.size(), 1);
    QVERIFY(!workspace.instance(two.server, 1));
    QCOMPARE(model.rowCount(model.indexFor(two.server)), 1);
    QCOMPARE(model.indexFor(two.server, 2).row(), 0);
    QVERIFY(!model.indexFor(two.server, 1).isValid());
    QCOMPARE(workspace.store()->stats(two.server, 1).messagesIn, 1u);
    // The other client is still connected.
    QCOMPARE(workspace.connectedInstances(two.server), 1);
}

void tst_Workspace::aRunningEndpointIsStoppedAndRemoved()
{
    TwoClients two;
    QVERIFY(two.start());
    Workspace &workspace = two.workspace;
    EndpointModel model(&workspace);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 3);

    QSignalSpy removed(&workspace, &Workspace::endpointRemoved);
    QVERIFY(workspace.remove(two.server));
    // It stops first (its clients see the pipe end), then leaves the tree.
    QTRY_COMPARE(removed.size(), 1);
    QCOMPARE(workspace.endpointIds(), (QList<quint32>{two.clients[0], two.clients[1]}));
    QCOMPARE(model.rowCount(), 2);
    QVERIFY(waitState(workspace, two.clients[0], Workspace::State::Stopped));
    QVERIFY(waitState(workspace, two.clients[1], Workspace::State::Stopped));
    // What it captured stays, under its name, and in a saved session.
    QVERIFY(workspace.endpoint(two.server)->removed);
    QCOMPARE(workspace.store()->stats(two.server, 2).messagesIn, 1u);
    QCOMPARE(workspace.sessionHeader().endpoints.size(), 3);
    // A removed endpoint cannot be restarted or sent to, or removed twice.
    workspace.restart(two.server);
    QCOMPARE(workspace.endpoint(two.server)->state, Workspace::State::Stopped);
    QCOMPARE(workspace.sendBlocker(two.server, 1), QStringLiteral("The endpoint was removed"));
    QVERIFY(!workspace.remove(two.server));
    // A stopped one goes at once.
    QVERIFY(workspace.remove(two.clients[0]));
    QCOMPARE(removed.size(), 2);
    QCOMPARE(model.rowCount(), 1);
}

// A refresh keeps the rows that stay (and a view's selection on them),
// removes the ones gone, appends the new, and tells two pipes of one name
// apart.
void tst_Workspace::thePipeListChangesOnlyWhatChanged()
{
    PipeListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const auto pipe = [](const char *name, std::uint32_t waiting) {
        Native::PipeEntry entry;
        entry.name = name;
        entry.type = Native::PipeType::Byte;
        entry.waiting = waiting;
        entry.backlog = 0;
        entry.holders.push_back({QCoreApplication::applicationPid(), "tst_workspace"});
        return entry;
    };
    model.setPipes({pipe("/a", 0), pipe("/b", 0), pipe("/c", 0)});
    QCOMPARE(model.rowCount(), 3);
    const QPersistentModelIndex c = model.index(2, PipeListModel::QueueColumn);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    // /b goes, /c gets two waiting clients, /d comes, and a second /a.
    model.setPipes({pipe("/d", 0), pipe("/c", 2), pipe("/a", 0), pipe("/a", 1)});
    QCOMPARE(removed.size(), 1);
    QCOMPARE(removed[0][1].toInt(), 1);
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(reset.size(), 0);
    QCOMPARE(model.rowCount(), 4);
    QVERIFY(c.isValid());
    QCOMPARE(c.row(), 1);
    QCOMPARE(c.data().toInt(), 2);
    QStringList names;
    for (int row = 0; row < model.rowCount(); ++row)
        names << model.index(row, 0).data(PipeListModel::PipeNameRole).toString();
    QCOMPARE(names, (QStringList{QStringLiteral("/a"), QStringLiteral("/c"), QStringLiteral("/d"), QStringLiteral("/a")}));
    QCOMPARE(model.index(3, PipeListModel::QueueColumn).data().toInt(), 1);
    QCOMPARE(model.index(0, PipeListModel::ProcessColumn).data().toString(),
             QStringLiteral("this PipeScope (pid %1)").arg(QCoreApplication::applicationPid()));
    QVERIFY(model.index(0, 0).data(PipeListModel::OwnRole).toBool());
    QCOMPARE(model.index(1, PipeListModel::QueueColumn).data(Qt::ToolTipRole).toString(),
             QStringLiteral("2 connections waiting to be accepted; the backlog holds 0"));
    // The name's tooltip tells all of it, for a dock too narrow for the rest.
    QCOMPARE(model.index(1, PipeListModel::NameColumn).data(Qt::ToolTipRole).toString(),
             QStringLiteral("/c\nByte pipe: a stream of bytes\nThe system does not tell the owner.\n"
                            "Held by this PipeScope (pid %1)\n"
                            "2 connections waiting to be accepted; the backlog holds 0")
                 .arg(QCoreApplication::applicationPid()));
    model.setPipes({});
    QCOMPARE(model.rowCount(), 0);
}

// The model lists the machine's pipes itself, off the calling thread: a
// server started here is in the next listing, and in the names offered to
// type.
void tst_Workspace::thePipeListListsTheMachinesPipes()
{
    Workspace workspace;
    ServerConfig server;
    server.name = uniqueName("listed");
    const quint32 id = workspace.addServer(server);
    QVERIFY(waitState(workspace, id, Workspace::State::Listening));
    PipeListModel model;
    QSignalSpy refreshed(&model, &PipeListModel::refreshed);
    model.refresh();
    model.refresh(); // during the first: runs once it has ended
    QVERIFY(refreshed.wait(10000));
    if (PipeScopeTest::runningUnderWine()) {
        // Wine lists no pipes: the model says why, naming the call.
        QVERIFY2(model.error().contains(QLatin1String("FindFirstFileW")), qPrintable(model.error()));
        QSKIP("Wine cannot list the pipe namespace (FindFirstFileW fails with ERROR_BAD_DEV_TYPE); the "
              "listing is proven on Linux");
    }
    QVERIFY2(model.error().isEmpty(), qPrintable(model.error()));
    const auto listed = [&] {
        for (int row = 0; row < model.rowCount(); ++row)
            if (model.index(row, 0).data(PipeListModel::PipeNameRole).toString().contains(server.name))
                return true;
        return false;
    };
    QVERIFY(listed());
    QTRY_COMPARE(refreshed.size(), 2);
    QStringList names;
    bool answered = false;
    PipeListModel::listNames(&model, [&](const QStringList &offered) {
        names = offered;
        answered = true;
    });
    QTRY_VERIFY(answered);
    QVERIFY2(std::any_of(names.cbegin(), names.cend(), [&](const QString &n) { return n.contains(server.name); }),
             qPrintable(names.join(QLatin1Char(' '))));
}

PIPESCOPE_TEST_GUILESS_MAIN(tst_Workspace)
// A replaying server as the window shows it: an endpoint of its own, its
// instances as its events tell, its traffic in the store under its id; the
// replay's to run: not restarted, edited or sent to from the window; Stop
// asks the replay to stop.
void tst_Workspace::aReplaysSideIsShownWithItsTraffic()
{
    Workspace w;
    SessionEndpoint as;
    as.kind = SessionEndpoint::Kind::Server;
    as.server.name = QStringLiteral("replayed");
    QSignalSpy added(&w, &Workspace::endpointAdded);
    QSignalSpy instances(&w, &Workspace::instanceAdded);
    const quint32 id = w.addReplay(as);
    QVERIFY(id != 0);
    // Shown once it listens.
    QCOMPARE(w.endpoint(id)->state, Workspace::State::Starting);
    QCOMPARE(added.size(), 0);
    w.replayListening(id, QStringLiteral("/tmp/replayed"));
    QCOMPARE(added.size(), 1);
    QCOMPARE(w.endpoint(id)->state, Workspace::State::Listening);
    QCOMPARE(w.endpoint(id)->address, QStringLiteral("/tmp/replayed"));
    QCOMPARE(w.label(id), QStringLiteral("replayed (replay)"));
    QVERIFY(w.sendBlocker(id).contains(QLatin1String("replay")));

    TrafficBatch batch(3);
    batch[0].instance = 1;
    batch[0].kind = EventKind::Connected;
    batch[0].payload = "pid 42";
    batch[1].instance = 1;
    batch[1].direction = Direction::In;
    batch[1].payload = "hello";
    batch[2].instance = 1;
    batch[2].kind = EventKind::Disconnected;
    for (qsizetype i = 0; i < batch.size(); ++i)
        batch[i].timestampNs = 1000 + i;
    w.replayCaptured(id, batch);
    QCOMPARE(instances.size(), 1);
    QCOMPARE(w.instance(id, 1)->peerText, QStringLiteral("pid 42"));
    QCOMPARE(w.instance(id, 1)->state, Workspace::State::Stopped);
    QTRY_COMPARE(w.store()->count(), 3);
    QCOMPARE(w.store()->record(1).endpoint, id);
    QCOMPARE(w.store()->payload(1), QByteArrayView("hello"));

    QSignalSpy stopAsked(&w, &Workspace::replayStopRequested);
    w.stop(id);
    QCOMPARE(stopAsked.size(), 1);
    QCOMPARE(w.endpoint(id)->state, Workspace::State::Stopping);
    w.replayEnded(id, {});
    QCOMPARE(w.endpoint(id)->state, Workspace::State::Stopped);
    // Ended, it stays the replay's: nothing restarts it.
    w.restart(id);
    QCOMPARE(w.endpoint(id)->state, Workspace::State::Stopped);
    ServerConfig other;
    QVERIFY(!w.reconfigure(id, other));
    // In the session it is the server it ran as.
    QCOMPARE(w.sessionHeader().endpoints.size(), 1);
    QCOMPARE(w.sessionHeader().endpoints.first().server.name, QStringLiteral("replayed"));

    // A client replay that never connected (no such pipe) is not shown.
    SessionEndpoint client;
    client.kind = SessionEndpoint::Kind::Client;
    client.client.name = QStringLiteral("nobody");
    const quint32 never = w.addReplay(client);
    w.replayEnded(never, QStringLiteral("no pipe of this name exists"));
    QCOMPARE(w.endpoint(never)->state, Workspace::State::Failed);
    QCOMPARE(w.endpointIds(), QList<quint32>{id});
}

#include "tst_workspace.moc"
