// Replay's parts below the window and the command: conversations from a
// session, a selection of them, the cursor a replaying server walks, and
// the replaying server over real pipes.
#include "capturehub.h"
#include "coretestsupport.h"
#include "pipeserver.h"
#include "replaycapture.h"
#include "replayclient.h"
#include "replycomparer.h"
#include "replayresults.h"
#include "replayserver.h"
#include "sessionload.h"
#include "testmain.h"

#include <QDeadlineTimer>
#include <QScopeGuard>
#include "trafficstore.h"

#include <QAbstractItemModelTester>
#include <QBuffer>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

using namespace PipeScope;
using namespace PipeScopeTest;

namespace {

struct Loaded
{
    SessionHeader header;
    std::unique_ptr<TrafficStore> store = std::make_unique<TrafficStore>();
};

Loaded load(const QByteArray &text)
{
    Loaded loaded;
    QBuffer buffer;
    buffer.setData(text);
    buffer.open(QIODevice::ReadOnly);
    const SessionLoad result = loadSession(&buffer, *loaded.store);
    if (!result.ok)
        qFatal("%s", qPrintable(result.error));
    loaded.header = result.header;
    return loaded;
}

// One conversation recorded by each side: a server's instance (in = the
// client's messages) and a client (out = its messages).
const QByteArray kByServer = R"({"pipescope-session":1,"endpoints":[{"id":1,"kind":"server","name":"x"}]})" "\n"
                             R"({"t":100,"e":1,"i":1,"dir":"out","text":"welcome"})" "\n"
                             R"({"t":1000,"e":1,"i":1,"dir":"in","text":"GET 1"})" "\n"
                             R"({"t":2000,"e":1,"i":1,"dir":"out","text":"one"})" "\n"
                             R"({"t":5000,"e":1,"i":1,"dir":"in","text":"GET 2"})" "\n"
                             R"({"t":6000,"e":1,"i":1,"dir":"out","text":"two"})" "\n"
                             R"({"t":6100,"e":1,"i":1,"dir":"out","text":"two, again"})" "\n"
                             R"({"t":9000,"e":1,"i":1,"dir":"in","text":"BYE"})" "\n";
const QByteArray kByClient = R"({"pipescope-session":1,"endpoints":[{"id":4,"kind":"client","name":"x"}]})" "\n"
                             R"({"t":1000,"e":4,"dir":"out","text":"GET 1"})" "\n"
                             R"({"t":2000,"e":4,"dir":"in","text":"one"})" "\n"
                             R"({"t":5000,"e":4,"dir":"out","text":"GET 2"})" "\n"
                             R"({"t":6000,"e":4,"dir":"in","text":"two"})" "\n"
                             R"({"t":6100,"e":4,"dir":"in","text":"two, again"})" "\n"
                             R"({"t":9000,"e":4,"dir":"out","text":"BYE"})" "\n";

ReplayScript script(QList<ReplayStep> steps, Native::PipeType type = Native::PipeType::Message)
{
    ReplayScript s;
    s.title = QStringLiteral("test");
    s.type = type;
    s.steps = std::move(steps);
    return s;
}

// A replaying server on a name of its own, and what it reports.
struct Served
{
    Served(QList<ReplayScript> scripts, const char *tag, quint64 clients)
        : name(uniqueName(tag)),
          server(std::move(scripts))
    {
        QObject::connect(&server, &ReplayServer::exchanged, &server, [this](const ReplayExchange &x) { seen.append(x); });
        server.start(name, Native::Convention::PipeScope, clients);
    }
    const QString name;
    ReplayServer server;
    QSignalSpy listening{&server, &ReplayServer::listening};
    QSignalSpy stopped{&server, &ReplayServer::stopped};
    QList<ReplayExchange> seen;
};

} // namespace

class tst_Replay : public QObject
{
    Q_OBJECT
private slots:
    void init() { PipeScopeTest::failOnUnexpectedWarnings(); }
    void eitherSideRecordsTheSameConversation();
    void selectedMessagesKeepTheirReplies();
    void cursorCutsMessagesAndStreams();
    void serverAnswersEachClientFromItsConversation();
    void serverReportsWhatDiffersAndWhoLeftEarly();
    void serverAnswersAByteStreamWhereverItIsCut();
    void resultsArriveInBatchesFromAnyThread();
    void resultsOfAnEarlierReplayAreDropped();
    void theDifferingBytesAreFoundOutsideWhatIsIgnored();
    void repliesBeyondTheRecordingAreDifferences_data();
    void repliesBeyondTheRecordingAreDifferences();
    void aServerThatAnswersEverythingNeverStallsTheReplay();
    void cancelStopsAReplayAtOnce();
    void theReplaysOwnTrafficIsCapturedInOrder();
    void aCaptureNotTakenHoldsTheReplayBack();

private:
    // An echoing server on a fresh name, in this thread.
    struct Echo
    {
        explicit Echo(Native::PipeType type)
        {
            ServerConfig config;
            config.name = name;
            config.autoReply = AutoReply::Echo;
            config.options.type = type;
            config.options.readMode = type == Native::PipeType::Byte ? Native::ReadMode::Byte : Native::ReadMode::Message;
            QSignalSpy listening(&server, &PipeServer::listening);
            server.start(config);
            ok = listening.wait(10000);
        }
        const QString name = uniqueName("echo");
        CaptureHub hub;
        PipeServer server{1, &hub};
        bool ok = false;
    };

    // Replays `scripts` as a client in a thread of its own; the exchanges.
    static QList<ReplayExchange> replayAsClient(const QList<ReplayScript> &scripts, const QString &name,
                                                QString *error)
    {
        QList<ReplayExchange> exchanges;
        ReplayOptions options;
        options.fast = true;
        options.replyTimeoutMs = 3000;
        QThread *thread = QThread::create([&] {
            *error = replayToServer(scripts, Native::PipeName::parse(name.toStdString()).value(), options,
                                    [&](const ReplayExchange &x) { exchanges.append(x); });
        });
        thread->start();
        // The server lives in this thread: keep its events flowing.
        if (!QTest::qWaitFor([&] { return thread->isFinished(); }, 20000))
            qFatal("the replay did not end");
        delete thread;
        return exchanges;
    }

    PrivateRuntime m_runtime;
};

void tst_Replay::eitherSideRecordsTheSameConversation()
{
    const Loaded server = load(kByServer);
    const Loaded client = load(kByClient);
    const QList<ReplayScript> a = buildReplayScripts(server.header, *server.store);
    const QList<ReplayScript> b = buildReplayScripts(client.header, *client.store);
    QCOMPARE(a.size(), 1);
    QCOMPARE(b.size(), 1);
    QCOMPARE(a[0].title, QStringLiteral("server 1 instance 1 (x)"));
    QCOMPARE(b[0].title, QStringLiteral("client 4 (x)"));
    for (const ReplayScript &s : {a[0], b[0]}) {
        // The greeting before the client's first message is left out.
        QCOMPARE(s.steps.size(), 3);
        QCOMPARE(s.steps[0].send, QByteArray("GET 1"));
        QCOMPARE(s.steps[0].replies, QList<QByteArray>{"one"});
        QCOMPARE(s.steps[1].offsetNs, 4000);
        QCOMPARE(s.steps[1].replies, (QList<QByteArray>{"two", "two, again"}));
        QCOMPARE(s.steps[2].send, QByteArray("BYE"));
        QVERIFY(s.steps[2].replies.isEmpty());
        QCOMPARE(s.steps[2].offsetNs, 8000);
    }
    // Each step knows its row in the store.
    QCOMPARE(a[0].steps[1].row, 3);
    QCOMPARE(b[0].steps[1].row, 2);
}

void tst_Replay::selectedMessagesKeepTheirReplies()
{
    const Loaded server = load(kByServer);
    const QList<ReplayScript> all = buildReplayScripts(server.header, *server.store);
    // "GET 2" and "BYE" chosen: timed from "GET 2", replies kept although
    // they were not chosen.
    QList<ReplayScript> chosen = selectReplaySteps(all, {3, 6});
    QCOMPARE(chosen.size(), 1);
    QCOMPARE(chosen[0].steps.size(), 2);
    QCOMPARE(chosen[0].steps[0].send, QByteArray("GET 2"));
    QCOMPARE(chosen[0].steps[0].offsetNs, 0);
    QCOMPARE(chosen[0].steps[0].replies.size(), 2);
    QCOMPARE(chosen[0].steps[1].offsetNs, 4000);
    // Only replies chosen: nothing a client sent, nothing to replay.
    QVERIFY(selectReplaySteps(all, {0, 2, 4}).isEmpty());
    QVERIFY(selectReplaySteps(all, {}).isEmpty());
}

void tst_Replay::cursorCutsMessagesAndStreams()
{
    const QList<ReplayStep> steps = {{0, "GET 1", {"one"}, 0}, {0, "GET 22", {"two"}, 1}};
    // Messages: each one is the next step, whatever its length.
    ScriptCursor messages(steps, true);
    QList<ScriptCursor::Step> done = messages.feed("GET 1 and more");
    QCOMPARE(done.size(), 1);
    QCOMPARE(done[0].index, 0);
    QCOMPARE(done[0].got, QByteArray("GET 1 and more"));
    QCOMPARE(messages.feed("x").constFirst().index, 1);
    QCOMPARE(messages.feed("y").constFirst().index, 2); // beyond the recording
    QCOMPARE(messages.position(), 3);

    // A stream: cut where the recorded messages ended, however it came.
    ScriptCursor stream(steps, false);
    QVERIFY(stream.feed("GE").isEmpty());
    done = stream.feed("T 1GET");
    QCOMPARE(done.size(), 1);
    QCOMPARE(done[0].got, QByteArray("GET 1"));
    QCOMPARE(stream.pending(), QByteArray("GET"));
    done = stream.feed(" 22tail");
    QCOMPARE(done.size(), 2);
    QCOMPARE(done[0].index, 1);
    QCOMPARE(done[0].got, QByteArray("GET 22"));
    QCOMPARE(done[1].index, 2);
    QCOMPARE(done[1].got, QByteArray("tail"));
    QVERIFY(stream.pending().isEmpty());
}

void tst_Replay::serverAnswersEachClientFromItsConversation()
{
    const QList<ReplayScript> scripts = {
        script({{0, "GET 1", {"one"}, 0}, {0, "GET 2", {"two", "two, again"}, 1}}),
        script({{0, "HELLO", {"hi"}, 2}}),
    };
    Served served(scripts, "rs-turns", 3);
    QVERIFY(served.listening.wait(5000));
    const QString &name = served.name;
    QList<ReplayExchange> &seen = served.seen;

    // The same scripts replayed as a client: three connections, conversation
    // 1, 2, then 1 again; every reply as recorded.
    QString error;
    QList<ReplayScript> clients = scripts;
    clients.append(scripts[0]);
    const QList<ReplayExchange> got = replayAsClient(clients, name, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(got.size(), 5);
    ReplyComparer comparer;
    for (const ReplayExchange &x : got)
        QVERIFY2(comparer.countDifferences(x) == 0 && x.got == x.expected, qPrintable(x.script));
    QCOMPARE(got[1].got, (QList<QByteArray>{"two", "two, again"}));
    QCOMPARE(got[2].got, QList<QByteArray>{"hi"});

    // Three clients served: it stops by itself, having reported each message.
    QTRY_COMPARE_WITH_TIMEOUT(served.stopped.size(), 1, 5000); // it may have stopped already
    QVERIFY(!served.server.isRunning());
    QCOMPARE(seen.size(), 5);
    QCOMPARE(seen[2].script, QStringLiteral("client #2, conversation 2"));
    QCOMPARE(seen[2].sent, QByteArray("hi"));
    QCOMPARE(seen[4].script, QStringLiteral("client #3, conversation 1"));
    QCOMPARE(seen[4].sent, QByteArray("twotwo, again"));
    for (const ReplayExchange &x : seen)
        QCOMPARE(comparer.countDifferences(x), 0);
}

void tst_Replay::serverReportsWhatDiffersAndWhoLeftEarly()
{
    const QList<ReplayScript> scripts = {
        script({{0, "id=1 GET", {"ok"}, 0}, {0, "id=2 GET", {"ok"}, 1}, {0, "BYE", {}, 2}})};
    Served served(scripts, "rs-differs", 2);
    QVERIFY(served.listening.wait(5000));
    const QString &name = served.name;
    QList<ReplayExchange> &seen = served.seen;

    // Client 1 says something else first, then leaves after two messages.
    QString error;
    replayAsClient({script({{0, "id=9 GET", {"ok"}, 0}, {0, "id=2 GET", {"ok"}, 1}})}, name, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    // Client 2 sends one message more than was recorded.
    replayAsClient({script({{0, "id=1 GET", {}, 0}, {0, "id=2 GET", {}, 1}, {0, "BYE", {}, 2}, {0, "extra", {}, 3}})},
                   name, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QTRY_COMPARE_WITH_TIMEOUT(served.stopped.size(), 1, 5000); // it may have stopped already

    QCOMPARE(seen.size(), 7);
    ReplyComparer exact;
    QCOMPARE(exact.countDifferences(seen[0]), 1);
    QCOMPARE(seen[0].got, QList<QByteArray>{"id=9 GET"});
    QCOMPARE(exact.countDifferences(seen[1]), 0);
    // The message client 1 never sent.
    QCOMPARE(seen[2].index, 2);
    QCOMPARE(seen[2].expected, QList<QByteArray>{"BYE"});
    QVERIFY(seen[2].got.isEmpty());
    QCOMPARE(seen[2].problem, QStringLiteral("the client left after 2 of 3 messages"));
    QCOMPARE(exact.countDifferences(seen[2]), 1);
    // Client 2: as recorded, and one more.
    for (int k = 3; k < 6; ++k)
        QCOMPARE(exact.countDifferences(seen[k]), 0);
    // BYE had no reply on record, and none went: not an empty reply.
    QVERIFY(!seen[3].sentNothing);
    QVERIFY(seen[5].sentNothing);
    ReplayResults results;
    results.reset(ReplayResults::Side::Server, exact);
    results.poster()(seen[3]);
    results.poster()(seen[5]);
    results.flush();
    QCOMPARE(results.index(0, ReplayResults::SentColumn).data().toString(), QStringLiteral("\"ok\""));
    QCOMPARE(results.index(1, ReplayResults::SentColumn).data().toString(), QStringLiteral("(nothing)"));
    QCOMPARE(seen[6].index, 3);
    QVERIFY(seen[6].expected.isEmpty());
    QCOMPARE(seen[6].problem, QStringLiteral("more than the 3 recorded messages"));
    QCOMPARE(exact.countDifferences(seen[6]), 1);
    // Ignoring what matches a regex, client 1's first message is the same.
    ReplyComparer loose;
    QVERIFY(loose.setIgnore(QStringLiteral("id=\\d+"), nullptr));
    QCOMPARE(loose.countDifferences(seen[0]), 0);
}

void tst_Replay::serverAnswersAByteStreamWhereverItIsCut()
{
    const QList<ReplayScript> scripts = {
        script({{0, "GET 1;", {"one;"}, 0}, {0, "GET 2;", {"two;"}, 1}}, Native::PipeType::Byte)};
    Served served(scripts, "rs-bytes", 1);
    QVERIFY(served.listening.wait(5000));
    const QString &name = served.name;
    QList<ReplayExchange> &seen = served.seen;

    // Both requests in one write, as a stream may carry them: both answered.
    QByteArray replies;
    QThread *thread = QThread::create([&] {
        Native::ClientOptions options;
        options.type = Native::PipeType::Byte;
        auto connection = Native::connectToPipe(Native::PipeName::parse(name.toStdString()).value(), options);
        if (!connection)
            return;
        Native::Connection &c = *connection.value();
        const std::string both = "GET 1;GET 2;";
        if (c.write(both).isError() || c.flushBlocking(3000).isError())
            return;
        Native::StringSink sink;
        QDeadlineTimer deadline(5000);
        while (replies.size() < 8 && !deadline.hasExpired()) {
            const Native::ReadResult r = c.read(sink);
            if (r.status == Native::ReadStatus::Data) {
                replies += QByteArray::fromStdString(sink.bytes);
                sink.bytes.clear();
            } else if (r.status != Native::ReadStatus::WouldBlock || !c.waitReadable(int(deadline.remainingTime()))) {
                break;
            }
        }
        c.close(1000);
    });
    thread->start();
    QVERIFY(QTest::qWaitFor([&] { return thread->isFinished(); }, 10000));
    delete thread;
    QCOMPARE(replies, QByteArray("one;two;"));
    QTRY_COMPARE_WITH_TIMEOUT(served.stopped.size(), 1, 5000); // it may have stopped already
    QCOMPARE(seen.size(), 2);
    QCOMPARE(seen[0].got, QList<QByteArray>{"GET 1;"});
    QCOMPARE(seen[1].got, QList<QByteArray>{"GET 2;"});
}

void tst_Replay::resultsArriveInBatchesFromAnyThread()
{
    ReplayResults results;
    QAbstractItemModelTester tester(&results, QAbstractItemModelTester::FailureReportingMode::QtTest);
    ReplyComparer comparer;
    QVERIFY(comparer.setIgnore(QStringLiteral("t=\\d+"), nullptr));
    results.reset(ReplayResults::Side::Client, comparer);
    QCOMPARE(results.headerData(ReplayResults::ExpectedColumn, Qt::Horizontal).toString(), QStringLiteral("Recorded reply"));
    QSignalSpy inserted(&results, &QAbstractItemModel::rowsInserted);

    // A replay as fast as possible, from a thread of its own: every 1000th
    // reply differs, every 997th is missing, and the timestamps never match.
    constexpr int kExchanges = 20000;
    const ReplayResults::Poster post = results.poster();
    QThread *thread = QThread::create([post] {
        for (int k = 0; k < kExchanges; ++k) {
            ReplayExchange x;
            x.script = QStringLiteral("c");
            x.index = k;
            x.sent = "GET " + QByteArray::number(k);
            x.expected = {"ok t=1"};
            if (k % 997 != 996)
                x.got = {k % 1000 == 999 ? QByteArray("no t=2") : QByteArray("ok t=" + QByteArray::number(k))};
            else
                x.problem = QStringLiteral("no reply within 5000 ms");
            post(x);
        }
    });
    thread->start();
    QVERIFY(QTest::qWaitFor([&] { return thread->isFinished(); }, 20000));
    delete thread;
    QTRY_COMPARE(results.rowCount(), kExchanges);
    // Batches, not one insert per exchange.
    QVERIFY2(inserted.size() < kExchanges / 10, qPrintable(QString::number(inserted.size())));
    const int missing = kExchanges / 997, differing = kExchanges / 1000;
    QCOMPARE(results.received(), qint64(kExchanges - missing));
    QCOMPARE(results.differed(), qint64(missing + differing));
    QCOMPARE(results.matched(), qint64(kExchanges - missing - differing));
    QCOMPARE(results.firstDifference(), 996);
    const auto cell = [&](int row, int column) { return results.index(row, column).data().toString(); };
    QCOMPARE(cell(996, ReplayResults::ResultColumn), QStringLiteral("missing: no reply within 5000 ms"));
    QCOMPARE(cell(999, ReplayResults::ResultColumn), QStringLiteral("differs"));
    QCOMPARE(cell(1000, ReplayResults::ResultColumn), QStringLiteral("same"));
    QCOMPARE(cell(1000, ReplayResults::StepColumn), QStringLiteral("#1001"));
    QCOMPARE(cell(1000, ReplayResults::SentColumn), QStringLiteral("\"GET 1000\""));
    QCOMPARE(results.index(999, 0).data(ReplayResults::GotRole).toByteArray(), QByteArray("no t=2"));
    QVERIFY(results.index(999, 0).data(ReplayResults::DiffersRole).toBool());
    QVERIFY(!results.index(1000, 0).data(ReplayResults::DiffersRole).toBool());

    // Without a check the exchanges are only listed.
    results.reset(ReplayResults::Side::Server, std::nullopt);
    QCOMPARE(results.headerData(ReplayResults::ExpectedColumn, Qt::Horizontal).toString(), QStringLiteral("Recorded message"));
    ReplayExchange x;
    x.expected = {"a"};
    x.got = {"b"};
    results.poster()(x);
    results.flush();
    QCOMPARE(results.rowCount(), 1);
    QCOMPARE(cell(0, ReplayResults::ResultColumn), QString());
    QCOMPARE(results.differed(), 0);
    QCOMPARE(results.firstDifference(), -1);
}

void tst_Replay::resultsOfAnEarlierReplayAreDropped()
{
    auto results = std::make_unique<ReplayResults>();
    results->reset(ReplayResults::Side::Client, ReplyComparer());
    const ReplayResults::Poster earlier = results->poster();
    results->reset(ReplayResults::Side::Client, ReplyComparer());
    const ReplayResults::Poster current = results->poster();
    ReplayExchange x;
    x.expected = {"a"};
    x.got = {"a"};
    earlier(x);
    current(x);
    // The earlier post was queued first, so it has been handled by the
    // time the current one shows: only the current one does.
    QTRY_COMPARE(results->rowCount(), 1);
    QCoreApplication::processEvents();
    QCOMPARE(results->rowCount(), 1);
    // A replay's thread may outlive the window that started it.
    results.reset();
    current(x);
    QCoreApplication::processEvents();
}

void tst_Replay::theDifferingBytesAreFoundOutsideWhatIsIgnored()
{
    using Range = ReplyComparer::Range;
    const ReplyComparer exact;
    QCOMPARE(exact.differingBytes("same", "same"), QList<Range>());
    QCOMPARE(exact.differingBytes("id=7 ok", "id=7 no"), (QList<Range>{{5, 7}}));
    // One goes on past the other: its tail differs.
    QCOMPARE(exact.differingBytes("abc", "abcdef"), (QList<Range>{{3, 6}}));
    QCOMPARE(exact.differingBytes("xbcx", "abca"), (QList<Range>{{0, 1}, {3, 4}}));
    // What the regex matches in either side is not marked; the rest is.
    ReplyComparer loose;
    QVERIFY(loose.setIgnore(QStringLiteral("t=\\d+"), nullptr));
    QCOMPARE(loose.differingBytes("t=12 ok", "t=34 no"), (QList<Range>{{5, 7}}));
    QCOMPARE(loose.differingBytes("t=12 ok", "t=34 ok"), QList<Range>());
    // Bytes, not characters: "é" is two bytes before the difference.
    QCOMPARE(loose.differingBytes("é t=1 a", "é t=2 b"), (QList<Range>{{7, 8}}));
}

void tst_Replay::repliesBeyondTheRecordingAreDifferences_data()
{
    QTest::addColumn<Native::PipeType>("type");
    QTest::addColumn<bool>("fast");
    QTest::newRow("message, timed") << Native::PipeType::Message << false;
    QTest::newRow("message, fast") << Native::PipeType::Message << true;
    QTest::newRow("byte, fast") << Native::PipeType::Byte << true;
}

void tst_Replay::repliesBeyondTheRecordingAreDifferences()
{
    // Recorded: "a" answered by "a", then "b" and "c" with no answer. The
    // echoing server answers both: two replies the recording does not
    // have, each a difference, and neither is lost.
    QFETCH(Native::PipeType, type);
    QFETCH(bool, fast);
    Echo echo(type);
    QVERIFY(echo.ok);
    const QList<ReplayScript> scripts{script({{0, "a", {"a"}}, {200000000, "b", {}}, {400000000, "c", {}}}, type)};
    QList<ReplayExchange> exchanges;
    ReplayOptions options;
    options.fast = fast;
    QThread *thread = QThread::create([&] {
        const QString error = replayToServer(scripts, Native::PipeName::parse(echo.name.toStdString()).value(), options,
                                             [&](const ReplayExchange &x) { exchanges.append(x); });
        if (!error.isEmpty())
            qWarning("replay: %s", qPrintable(error));
    });
    thread->start();
    QVERIFY(QTest::qWaitFor([&] { return thread->isFinished(); }, 20000));
    delete thread;
    QCOMPARE(exchanges.size(), 3);
    ReplayResults results;
    results.reset(ReplayResults::Side::Client, ReplyComparer());
    for (const ReplayExchange &x : exchanges)
        results.poster()(x);
    results.flush();
    QCOMPARE(results.index(0, ReplayResults::ResultColumn).data().toString(), QStringLiteral("same"));
    // Every byte the server sent is attributed to one message or another.
    QByteArray got;
    for (const ReplayExchange &x : exchanges)
        got += x.got.join();
    QCOMPARE(got, QByteArray("abc"));
    QCOMPARE(results.matched(), 1);
    // A byte stream's answers may come together: one difference or two.
    if (type == Native::PipeType::Message)
        QCOMPARE(results.differed(), 2);
    else
        QVERIFY(results.differed() >= 1);
    if (!fast) {
        // Timed, each answer comes before the next message goes.
        QCOMPARE(exchanges[1].got, QList<QByteArray>{"b"});
        QCOMPARE(results.index(1, ReplayResults::ResultColumn).data().toString(),
                 QStringLiteral("1 reply more than recorded"));
        QCOMPARE(results.index(2, ReplayResults::ResultColumn).data().toString(),
                 QStringLiteral("1 reply more than recorded"));
    }
}

void tst_Replay::aServerThatAnswersEverythingNeverStallsTheReplay()
{
    // 3000 messages of 1 KiB with no answer on record, to a server that
    // answers each: 3 MiB of answers, more than the pipe holds, all read.
    Echo echo(Native::PipeType::Message);
    QVERIFY(echo.ok);
    QList<ReplayStep> steps;
    for (int k = 0; k < 3000; ++k)
        steps.append({0, pattern(1024, k), {}});
    QString error;
    QList<ReplayExchange> exchanges;
    ReplayOptions options;
    options.fast = true;
    options.replyTimeoutMs = 2000;
    QThread *thread = QThread::create([&] {
        error = replayToServer({script(steps)}, Native::PipeName::parse(echo.name.toStdString()).value(), options,
                               [&](const ReplayExchange &x) { exchanges.append(x); });
    });
    thread->start();
    QVERIFY(QTest::qWaitFor([&] { return thread->isFinished(); }, 60000));
    delete thread;
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(exchanges.size(), 3000);
    qsizetype answers = 0;
    for (const ReplayExchange &x : exchanges)
        answers += x.got.size();
    QCOMPARE(answers, 3000);
}

void tst_Replay::cancelStopsAReplayAtOnce()
{
    // A server that never answers, a reply on record, a minute to wait for
    // it: the cancel ends the wait, not the minute.
    const QString name = uniqueName("silent");
    ServerConfig config;
    config.name = name;
    CaptureHub hub;
    PipeServer server(1, &hub);
    QSignalSpy listening(&server, &PipeServer::listening);
    server.start(config);
    QVERIFY(listening.wait(10000));
    int received = 0;
    QObject::connect(&hub, &CaptureHub::batchReady, &hub, [&](const TrafficBatch &batch) {
        for (const TrafficEvent &e : batch)
            received += e.kind == EventKind::Data && e.direction == Direction::In;
    });
    std::atomic<bool> cancel = false;
    QString error;
    ReplayOptions options;
    options.fast = true;
    options.replyTimeoutMs = 60000;
    QThread *thread = QThread::create([&] {
        error = replayToServer({script({{0, "hello", {"hi"}}})}, Native::PipeName::parse(name.toStdString()).value(),
                               options, [&](const ReplayExchange &) {}, &cancel);
    });
    thread->start();
    // The message went; the replay waits for its reply.
    QTRY_COMPARE(received, 1);
    cancel = true;
    QVERIFY(QTest::qWaitFor([&] { return thread->isFinished(); }, 10000));
    delete thread;
    QCOMPARE(error, QStringLiteral("cancelled"));
}

PIPESCOPE_TEST_GUILESS_MAIN(tst_Replay)
#include "tst_replay.moc"

// ReplayOptions::capture through a ReplayCapture poster: the client's log
// of each connection (connected, out, in, disconnected), delivered in this
// thread in order.
void tst_Replay::theReplaysOwnTrafficIsCapturedInOrder()
{
    Echo echo(Native::PipeType::Message);
    QVERIFY(echo.ok);
    const QList<ReplayScript> scripts{script({{0, "one", {"one"}}, {0, "two", {"two"}}})};
    QObject context;
    TrafficBatch captured;
    std::atomic<bool> cancel{false};
    ReplayOptions options;
    options.fast = true;
    options.repeat = 2;
    options.capture =
        replayCapturePoster(&context, [&](TrafficBatch batch) { captured += batch; }, &cancel);
    QString error = QStringLiteral("not run");
    std::unique_ptr<QThread> thread(QThread::create([&] {
        error = replayToServer(scripts, Native::PipeName::parse(echo.name.toStdString()).value(), options,
                               [](const ReplayExchange &) {});
    }));
    const auto end = qScopeGuard([&] {
        cancel = true;
        thread->wait();
    });
    thread->start();
    QVERIFY(QTest::qWaitFor([&] { return thread->isFinished(); }, 20000));
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QTRY_COMPARE(captured.size(), 12); // twice: connected, 2 × (out, in), disconnected
    QStringList log;
    for (const TrafficEvent &e : captured)
        log << (e.kind == EventKind::Data
                    ? QStringLiteral("%1 %2").arg(directionName(e.direction), QString::fromUtf8(e.payload))
                    : QString::fromLatin1(eventKindName(e.kind)));
    const QStringList once{QStringLiteral("connected"), QStringLiteral("out one"), QStringLiteral("in one"),
                           QStringLiteral("out two"),   QStringLiteral("in two"),  QStringLiteral("disconnected")};
    QCOMPARE(log, once + once);
    for (qsizetype i = 1; i < captured.size(); ++i)
        QVERIFY(captured[i].timestampNs >= captured[i - 1].timestampNs);
}

// Nothing taken (this thread's event loop not turning): past the bound the
// poster waits, until the cancel flag lets it go with what it has.
void tst_Replay::aCaptureNotTakenHoldsTheReplayBack()
{
    QObject context;
    qsizetype delivered = 0;
    std::atomic<bool> cancel{false};
    auto post = replayCapturePoster(&context, [&](TrafficBatch batch) { delivered += batch.size(); }, &cancel, 1000);
    std::atomic<int> posted{0};
    std::unique_ptr<QThread> thread(QThread::create([&] {
        for (int i = 0; i < 10; ++i) {
            TrafficEvent e;
            e.payload = QByteArray(600, 'x');
            post(std::move(e));
            ++posted;
        }
    }));
    // However this test ends, the poster is let go and its thread ends.
    const auto end = qScopeGuard([&] {
        cancel = true;
        thread->wait();
    });
    thread->start();
    // Two fit (the second goes past the bound); the third waits while this
    // thread takes nothing (its event loop does not turn here), however
    // long: a fifth of a second, where all ten take well under a millisecond.
    const QDeadlineTimer deadline(5000);
    while (posted.load() < 2 && !deadline.hasExpired())
        QThread::msleep(1);
    QCOMPARE(posted.load(), 2);
    QVERIFY(!thread->wait(200));
    QCOMPARE(posted.load(), 2);
    // Taken, room is made: the rest go through.
    QTRY_VERIFY(thread->isFinished());
    QTRY_COMPARE(delivered, 10);
}
