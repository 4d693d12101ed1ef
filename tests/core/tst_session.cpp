// The session file format: exact round trips, and every kind of bad input
// refused with its line and reason, never a crash.
#include "endpointjson.h"
#include "sessionformat.h"
#include "sessionload.h"
#include "sessionio.h"
#include "testmain.h"
#include "trafficstore.h"

#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#if defined(Q_OS_LINUX)
#include <csignal>
#include <sys/resource.h>
#endif

using namespace PipeScope;

namespace {

TrafficEvent makeEvent(qint64 t, quint32 endpoint, quint32 instance, Direction direction, EventKind kind,
                   QByteArray payload, quint32 parts = 0, quint8 flags = NoFlags, quint32 relayNs = 0)
{
    TrafficEvent e;
    e.relayNs = relayNs;
    e.timestampNs = t;
    e.endpoint = endpoint;
    e.instance = instance;
    e.direction = direction;
    e.kind = kind;
    e.payload = std::move(payload);
    e.parts = parts;
    e.flags = flags;
    return e;
}

struct Read
{
    SessionHeader header;
    QList<TrafficEvent> events;
    SessionReader::Status end = SessionReader::Status::Error;
    QString error;
    bool headerOk = false;
};

Read readAll(const QByteArray &file, std::size_t maxPayload = Native::kDefaultMaxMessageSize)
{
    QBuffer buffer;
    buffer.setData(file);
    buffer.open(QIODevice::ReadOnly);
    SessionReader reader(&buffer, maxPayload);
    Read read;
    read.headerOk = reader.readHeader(read.header);
    if (!read.headerOk) {
        read.error = reader.error();
        return read;
    }
    TrafficEvent e;
    while ((read.end = reader.next(e)) == SessionReader::Status::Event)
        read.events << e;
    read.error = reader.error();
    return read;
}

// A store of `count` small messages, in batches as capture appends them.
std::unique_ptr<TrafficStore> filledStore(int count)
{
    auto store = std::make_unique<TrafficStore>();
    TrafficBatch batch;
    for (int i = 0; i < count; ++i) {
        batch.append(makeEvent(1732536000000000000 + i, 1, 1, i % 2 ? Direction::Out : Direction::In, EventKind::Data,
                               "message " + QByteArray::number(i) + " of the session", 1));
        if (batch.size() == 4096 || i + 1 == count) {
            store->append(batch);
            batch.clear();
        }
    }
    return store;
}

qint64 eventsIn(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = file.errorString();
        return -1;
    }
    const Read read = readAll(file.readAll());
    *error = read.error;
    return read.end == SessionReader::Status::End ? read.events.size() : -1;
}

const QByteArray kHeader = R"({"pipescope-session":1,"app":"test","endpoints":[{"id":1,"kind":"server","name":"x"}]})"
                           "\n";

} // namespace

class tst_Session : public QObject
{
    Q_OBJECT
private slots:
    void init() { PipeScopeTest::failOnUnexpectedWarnings(); }
    void roundTripIsExact();
    void headerKeepsEndpointConfigurations();
    void textWhenPrintableElseBase64();
    void handWrittenLinesAreRead();
    void windowsLineEndingsAreRead();
    void badInputIsNamed_data();
    void badInputIsNamed();
    void truncatedLastLineKeepsEverythingBefore();
    void randomBytesNeverCrash();
    void endpointsDeclaredLaterAreRead();
    void settingsChangesKeepTheirTime();
    void saveEndsWhenItsStoreGoes();
#if defined(Q_OS_LINUX)
    // A full disk is made with RLIMIT_FSIZE, which only Linux has here;
    // the writer's handling of a short write is the same on Windows.
    void failedSaveKeepsThePreviousFile();
#endif
};

void tst_Session::roundTripIsExact()
{
    QByteArray all;
    for (int i = 0; i < 256; ++i)
        all += char(i);
    const TrafficBatch events = {
        makeEvent(1732536000123456789, 1, 1, Direction::None, EventKind::Connected, "pid 42, uid 1000 (alice)"),
        makeEvent(1732536000123456790, 1, 1, Direction::In, EventKind::Data, "Default message from client", 1),
        makeEvent(1732536000123456791, 1, 1, Direction::Out, EventKind::Data, "Default answer from server", 1),
        makeEvent(1732536000123456792, 2, 0, Direction::In, EventKind::Data, QByteArray(), 1),
        makeEvent(1732536000123456793, 2, 0, Direction::In, EventKind::Data, all, 3, Incomplete),
        makeEvent(1732536000123456794, 2, 0, Direction::Out, EventKind::Data, QStringLiteral("grüß \"dich\"\n\t\\").toUtf8(), 2),
        makeEvent(1732536000123456795, 2, 0, Direction::In, EventKind::Data, QByteArray("H\0i\0\0\0", 6), 1, Truncated),
        makeEvent(1732536000123456796, 1, 7, Direction::None, EventKind::Error, "read: Connection reset (ECONNRESET)"),
        makeEvent(1732536000123456797, 1, 1, Direction::None, EventKind::Disconnected, "closed by the peer"),
        // A monitor's messages: parts both ways, and the time passing them on took.
        makeEvent(1732536000123456798, 3, 1, Direction::In, EventKind::Data, "to the server", 2, NoFlags, 4321),
        makeEvent(1732536000123456799, 3, 1, Direction::Out, EventKind::Data, "to the client", 3, NoFlags, 4294967295u),
        makeEvent(1732536000123456800, 3, 1, Direction::In, EventKind::Disconnected, "the client closed its end"),
    };
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    SessionWriter writer(&buffer);
    SessionHeader header;
    header.app = QStringLiteral("1.2.3");
    QVERIFY(writer.writeHeader(header));
    QVERIFY(writer.write(events));
    const Read read = readAll(buffer.data());
    QVERIFY2(read.headerOk, qPrintable(read.error));
    QCOMPARE(read.end, SessionReader::Status::End);
    QCOMPARE(read.header.app, QStringLiteral("1.2.3"));
    QCOMPARE(read.events.size(), events.size());
    for (qsizetype i = 0; i < events.size(); ++i) {
        const TrafficEvent &a = events[i], &b = read.events[i];
        QCOMPARE(b.timestampNs, a.timestampNs); // nanoseconds exactly, beyond a double's 53 bits
        QCOMPARE(b.endpoint, a.endpoint);
        QCOMPARE(b.instance, a.instance);
        QCOMPARE(b.direction, a.direction);
        QCOMPARE(b.kind, a.kind);
        QCOMPARE(b.parts, a.parts);
        QCOMPARE(b.flags, a.flags);
        QCOMPARE(b.relayNs, a.relayNs);
        QCOMPARE(b.payload, a.payload);
    }
    // One line per event, after the header.
    QCOMPARE(buffer.data().count('\n'), events.size() + 1);
}

void tst_Session::headerKeepsEndpointConfigurations()
{
    SessionHeader header;
    SessionEndpoint server;
    server.id = 1;
    server.server.name = QStringLiteral("\\\\.\\pipe\\mynamedpipe");
    server.server.options.type = Native::PipeType::Byte;
    server.server.options.readMode = Native::ReadMode::Byte;
    server.server.options.maxInstances = 4;
    server.server.options.outBufferSize = 512;
    server.server.options.convention = Native::Convention::DotNet;
    server.server.autoReply = AutoReply::Rules;
    server.server.rules = {{ReplyRule::Match::Regex, QStringLiteral("GET (\\d+)"), QStringLiteral("item \\1")}};
    SessionEndpoint fixed;
    fixed.id = 3;
    fixed.server.name = QStringLiteral("binary-reply");
    fixed.server.autoReply = AutoReply::Fixed;
    fixed.server.replyBytes = QByteArray("\x00\xff", 2);
    SessionEndpoint client;
    client.id = 2;
    client.kind = SessionEndpoint::Kind::Client;
    client.client.name = QStringLiteral("mynamedpipe");
    client.client.automaticConvention = true;
    client.client.options.readMode = Native::ReadMode::Message;
    client.client.options.waitMs = 1234;
    header.endpoints = {server, client, fixed};
    const Read read = readAll(encodeSessionHeader(header) + '\n');
    QVERIFY2(read.headerOk, qPrintable(read.error));
    QCOMPARE(read.header.endpoints.size(), 3);
    const SessionEndpoint &s = read.header.endpoints[0];
    QCOMPARE(s.kind, SessionEndpoint::Kind::Server);
    QCOMPARE(s.server.name, server.server.name);
    QCOMPARE(s.server.options.type, Native::PipeType::Byte);
    QCOMPARE(s.server.options.readMode, Native::ReadMode::Byte);
    QCOMPARE(s.server.options.maxInstances, 4);
    QCOMPARE(s.server.options.outBufferSize, 512u);
    QCOMPARE(s.server.options.convention, Native::Convention::DotNet);
    QCOMPARE(s.server.autoReply, AutoReply::Rules);
    QCOMPARE(s.server.rules.size(), 1);
    QCOMPARE(s.server.rules[0].match, ReplyRule::Match::Regex);
    QCOMPARE(s.server.rules[0].reply, QStringLiteral("item \\1"));
    const SessionEndpoint &c = read.header.endpoints[1];
    QCOMPARE(c.kind, SessionEndpoint::Kind::Client);
    QCOMPARE(c.client.name, QStringLiteral("mynamedpipe"));
    QVERIFY(c.client.automaticConvention);
    QCOMPARE(c.client.options.readMode, std::optional(Native::ReadMode::Message));
    QVERIFY(!c.client.options.type);
    QCOMPARE(c.client.options.waitMs, 1234u);
    QCOMPARE(read.header.endpoints[2].server.replyBytes, QByteArray("\x00\xff", 2));
}

void tst_Session::textWhenPrintableElseBase64()
{
    QCOMPARE(encodeSessionEvent(makeEvent(5, 1, 1, Direction::In, EventKind::Data, "hi", 1)),
             QByteArray(R"({"t":5,"e":1,"i":1,"dir":"in","kind":"data","parts":1,"text":"hi"})"));
    QCOMPARE(encodeSessionEvent(makeEvent(5, 2, 0, Direction::Out, EventKind::Data, QByteArray("a\0", 2))),
             QByteArray(R"({"t":5,"e":2,"dir":"out","kind":"data","b64":"YQA="})"));
    // Invalid UTF-8 is never written as text.
    QVERIFY(encodeSessionEvent(makeEvent(5, 2, 0, Direction::Out, EventKind::Data, "\xc3\x28")).contains("\"b64\""));
    QVERIFY(encodeSessionEvent(makeEvent(5, 2, 0, Direction::Out, EventKind::Data, "\xed\xa0\x80")).contains("\"b64\""));
}

void tst_Session::handWrittenLinesAreRead()
{
    // Any member order, spaces, blank lines, \u escapes (a surrogate pair),
    // defaults (kind data, parts 1), and notes of one's own are ignored.
    const QByteArray file = kHeader +
                            "\n"
                            R"(  { "kind" : "data", "dir":"out", "e":1, "t":10, "text":"GET 42\u0021 \ud83d\ude00", "note":"mine" } )"
                            "\n"
                            R"({"t":11,"e":1,"i":2,"dir":"in","text":"ok"})"
                            "\n";
    const Read read = readAll(file);
    QVERIFY2(read.end == SessionReader::Status::End, qPrintable(read.error));
    QCOMPARE(read.events.size(), 2);
    QCOMPARE(read.events[0].payload, QStringLiteral("GET 42! \U0001F600").toUtf8());
    QCOMPARE(read.events[0].direction, Direction::Out);
    // Parts default to 1 both ways: a sent message went out in one.
    QCOMPARE(read.events[0].parts, 1u);
    QCOMPARE(read.events[1].parts, 1u);
    QCOMPARE(read.events[1].instance, 2u);
    QCOMPARE(read.events[1].kind, EventKind::Data);
}

void tst_Session::windowsLineEndingsAreRead()
{
    // A session saved by an editor on Windows: every line ends in CR LF.
    QByteArray file = kHeader + "\n" R"({"t":10,"e":1,"dir":"out","text":"GET 42"})" "\n"
                      R"({"t":11,"e":1,"dir":"in","b64":"AAE="})" "\n";
    file.replace("\n", "\r\n");
    const Read read = readAll(file);
    QVERIFY2(read.end == SessionReader::Status::End, qPrintable(read.error));
    QCOMPARE(read.events.size(), 2);
    QCOMPARE(read.events[0].payload, QByteArray("GET 42"));
    QCOMPARE(read.events[1].payload, QByteArray("\x00\x01", 2));
}

void tst_Session::badInputIsNamed_data()
{
    QTest::addColumn<QByteArray>("file");
    QTest::addColumn<QString>("error");
    const QByteArray ok = R"({"t":1,"e":1,"dir":"in","text":"fine"})"
                          "\n";
    QTest::newRow("empty file") << QByteArray() << "line 1: the file is empty, not a PipeScope session";
    QTest::newRow("not json") << QByteArray("hello\n") << "line 1: not a PipeScope session (the first line is not a JSON object";
    QTest::newRow("no version") << QByteArray("{\"app\":\"x\"}\n") << "line 1: not a PipeScope session (no \"pipescope-session\" version)";
    QTest::newRow("huge version") << QByteArray("{\"pipescope-session\":1e300}\n")
                                  << "line 1: \"pipescope-session\" must be a version number, 1 or more";
    QTest::newRow("fractional version") << QByteArray("{\"pipescope-session\":1.5}\n")
                                        << "line 1: \"pipescope-session\" must be a version number, 1 or more";
    QTest::newRow("control character") << kHeader + "{\"t\":1,\"e\":1,\"dir\":\"in\",\"text\":\"a\x01\"}\n"
                                       << "line 2: a control character inside a string at column 34 (escape it)";
    QTest::newRow("future version") << QByteArray("{\"pipescope-session\":3}\n")
                                    << "line 1: format version 3 is newer than this PipeScope reads (2)";
    QTest::newRow("bad endpoint") << QByteArray("{\"pipescope-session\":1,\"endpoints\":[{\"id\":1,\"kind\":\"router\"}]}\n")
                                  << "line 1: endpoint 1: \"kind\" must be \"server\", \"client\" or \"monitor\"";
    QTest::newRow("bad base64") << kHeader + ok + R"({"t":2,"e":1,"dir":"in","b64":"!!!!"})" "\n"
                                << "line 3: \"b64\" is not valid base64";
    // Shorter than its padding: once measured as 16 GiB, an unsigned underflow.
    QTest::newRow("base64 of padding only") << kHeader + R"({"t":2,"e":1,"dir":"in","b64":"="})" "\n"
                                            << "line 2: \"b64\" is not valid base64";
    QTest::newRow("base64 of two paddings") << kHeader + R"({"t":2,"e":1,"dir":"in","b64":"=="})" "\n"
                                            << "line 2: \"b64\" is not valid base64";
    QTest::newRow("text not utf-8") << kHeader + "{\"t\":2,\"e\":1,\"dir\":\"in\",\"text\":\"\xff\"}\n"
                                    << "line 2: \"text\" is not valid UTF-8 (use \"b64\" for other bytes)";
    QTest::newRow("deep nesting") << kHeader + "{\"t\":2,\"e\":1,\"x\":" + QByteArray(10000, '[') + "\n"
                                  << "line 2: nested objects and arrays are not part of an event (column 18)";
    QTest::newRow("no time") << kHeader + R"({"e":1,"dir":"in","text":"x"})" "\n"
                             << "line 2: an event needs \"t\", its time in nanoseconds since 1970";
    QTest::newRow("time not a number") << kHeader + R"({"t":"soon","e":1,"dir":"in","text":"x"})" "\n"
                                       << "line 2: \"t\" must be nanoseconds since 1970, a whole number";
    QTest::newRow("huge number") << kHeader + R"({"t":99999999999999999999,"e":1})" "\n"
                                 << "line 2: number too large at column 24";
    QTest::newRow("no payload") << kHeader + R"({"t":1,"e":1,"dir":"in"})" "\n"
                                << "line 2: a data event needs its payload, as \"text\" or \"b64\"";
    QTest::newRow("both payloads") << kHeader + R"({"t":1,"e":1,"dir":"in","text":"a","b64":"YQ=="})" "\n"
                                   << "line 2: an event has \"text\" or \"b64\", not both";
    QTest::newRow("unknown kind") << kHeader + R"({"t":1,"e":1,"kind":"burp"})" "\n"
                                  << "line 2: \"kind\" must be data, connected, disconnected or error";
    QTest::newRow("unclosed string") << kHeader + R"({"t":1,"e":1,"dir":"in","text":"abc)" "\n" + ok
                                     << "line 2: a string is not closed";
    QTest::newRow("lone surrogate") << kHeader + R"({"t":1,"e":1,"dir":"in","text":"\ud800x"})" "\n"
                                    << "line 2: a lone UTF-16 surrogate in \\u escapes";
    QTest::newRow("trailing text") << kHeader + R"({"t":1,"e":1,"dir":"in","text":"a"} x)" "\n"
                                   << "line 2: text after the object at column 37";
    QTest::newRow("endpoint out of range") << kHeader + R"({"t":1,"e":-1,"dir":"in","text":"a"})" "\n"
                                           << "line 2: \"e\" must be a whole number from 0 to 4294967295";
}

void tst_Session::badInputIsNamed()
{
    QFETCH(QByteArray, file);
    QFETCH(QString, error);
    const Read read = readAll(file);
    QVERIFY(!read.headerOk || read.end == SessionReader::Status::Error);
    QVERIFY2(read.error.startsWith(error), qPrintable(read.error + QStringLiteral("\n  expected: ") + error));
}

void tst_Session::truncatedLastLineKeepsEverythingBefore()
{
    QByteArray file = kHeader;
    for (int i = 0; i < 3; ++i)
        file += R"({"t":)" + QByteArray::number(i) + R"(,"e":1,"dir":"in","text":"message"})" "\n";
    file += R"({"t":3,"e":1,"dir":"in","te)"; // the crash, mid-line
    const Read read = readAll(file);
    QCOMPARE(read.end, SessionReader::Status::Truncated);
    QCOMPARE(read.events.size(), 3);
    QCOMPARE(read.error, QStringLiteral("line 5 is cut off (the session was not closed cleanly); the 3 events before it are loaded"));
    // A payload over the limit is refused with both sizes.
    const Read big = readAll(kHeader + R"({"t":1,"e":1,"dir":"in","text":"0123456789"})" "\n", 4);
    QCOMPARE(big.end, SessionReader::Status::Error);
    QVERIFY2(big.error.startsWith(QLatin1String("line 2: longer than")) || big.error.contains(QLatin1String("over the limit")),
             qPrintable(big.error));
    const Read big64 = readAll(kHeader + R"({"t":1,"e":1,"dir":"in","b64":"MDEyMzQ1Njc4OQ=="})" "\n", 8);
    QVERIFY2(big64.error == QStringLiteral("line 2: a payload of 10 B is over the limit of 8 B"), qPrintable(big64.error));
}

void tst_Session::randomBytesNeverCrash()
{
    // Random and mutated input: every outcome is a named error or events.
    QRandomGenerator random(20261125);
    QBuffer sample;
    sample.open(QIODevice::WriteOnly);
    SessionWriter writer(&sample);
    writer.writeHeader({});
    writer.write({makeEvent(1, 1, 1, Direction::In, EventKind::Data, "abc\n\"x\"", 1),
                  makeEvent(2, 1, 1, Direction::Out, EventKind::Data, QByteArray("\0\1\2", 3))});
    const QByteArray good = sample.data();
    for (int round = 0; round < 2000; ++round) {
        QByteArray file = good;
        if (round % 2) {
            file = QByteArray(int(random.bounded(400)), Qt::Uninitialized);
            for (char &c : file)
                c = char(random.bounded(256));
            if (round % 4 == 1)
                file.prepend(kHeader);
        } else {
            for (int m = 0; m < 1 + int(random.bounded(5)); ++m)
                file[int(random.bounded(quint32(file.size())))] = char(random.bounded(256));
        }
        const Read read = readAll(file);
        if (!read.headerOk || read.end != SessionReader::Status::End)
            QVERIFY2(read.error.startsWith(QLatin1String("line ")), qPrintable(read.error));
    }
}

void tst_Session::endpointsDeclaredLaterAreRead()
{
    // A journal declares endpoints as they are created, after the header.
    SessionEndpoint client;
    client.id = 7;
    client.kind = SessionEndpoint::Kind::Client;
    client.client.name = QStringLiteral("late");
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    SessionWriter writer(&buffer);
    QVERIFY(writer.writeHeader({}));
    QVERIFY(writer.writeEndpoint(client));
    QVERIFY(writer.write({makeEvent(1, 7, 0, Direction::Out, EventKind::Data, "hello")}));
    const Read read = readAll(buffer.data());
    QCOMPARE(read.end, SessionReader::Status::End);
    QCOMPARE(read.events.size(), 1);
    QBuffer again;
    again.setData(buffer.data());
    again.open(QIODevice::ReadOnly);
    SessionReader reader(&again);
    SessionHeader header;
    QVERIFY(reader.readHeader(header));
    TrafficEvent e;
    QCOMPARE(reader.next(e), SessionReader::Status::Event);
    QCOMPARE(reader.declaredEndpoints().size(), 1);
    QCOMPARE(reader.declaredEndpoints().first().client.name, QStringLiteral("late"));
    // Written by hand, with spaces.
    const Read spaced = readAll(kHeader + R"(  {  "endpoint" : {"id":9,"kind":"client","name":"hand"} })" "\n");
    QVERIFY2(spaced.end == SessionReader::Status::End, qPrintable(spaced.error));
    // A bad declaration is named like any bad line.
    const Read bad = readAll(kHeader + R"({"endpoint":{"id":0}})" "\n");
    QCOMPARE(bad.error, QStringLiteral("line 2: an endpoint needs a positive \"id\""));
    const Read notObject = readAll(kHeader + R"({"endpoint":5})" "\n");
    QCOMPARE(notObject.error, QStringLiteral("line 2: \"endpoint\" must be an object"));

    // Loading refuses an event of an endpoint nothing declares, naming the
    // line where it first appears; one declared after its events is fine.
    QBuffer undeclared;
    undeclared.setData(kHeader + R"({"t":1,"e":1,"dir":"in","text":"a"})" "\n"
                       R"({"t":2,"e":2,"dir":"out","text":"b"})" "\n"
                       R"({"endpoint":{"id":2,"kind":"client","name":"b"}})" "\n"
                       R"({"t":3,"e":5,"dir":"in","text":"c"})" "\n"
                       R"({"t":4,"e":5,"dir":"in","text":"d"})" "\n");
    undeclared.open(QIODevice::ReadOnly);
    TrafficStore store;
    const SessionLoad load = loadSession(&undeclared, store);
    QVERIFY(!load.ok);
    QCOMPARE(load.error, QStringLiteral("line 5: endpoint 5 is not declared (in the header's \"endpoints\" or by an "
                                        "{\"endpoint\":…} line)"));
}

void tst_Session::settingsChangesKeepTheirTime()
{
    // A server that ran with rules, then echo: the header holds the first
    // settings, a line with "t" the change, where it happened.
    SessionEndpoint rules;
    rules.id = 1;
    rules.server.name = QStringLiteral("x");
    rules.server.autoReply = AutoReply::Rules;
    rules.server.rules = {{ReplyRule::Match::Contains, QStringLiteral("a"), QStringLiteral("b")}};
    SessionEndpoint echo = rules;
    echo.server.autoReply = AutoReply::Echo;
    echo.sinceNs = 1764072000123456789; // exact: more digits than a double holds
    QVERIFY(encodeSessionEndpoint(echo).endsWith(R"(},"t":1764072000123456789})"));
    QBuffer file;
    file.setData(kHeader + R"({"t":1764072000000000000,"e":1,"dir":"in","text":"a"})" "\n" + encodeSessionEndpoint(echo) +
                 "\n" R"({"t":1764072000200000000,"e":1,"dir":"in","text":"a"})" "\n"
                 // Without a time, a declaration of a known id replaces
                 // its first settings (a journal of an older PipeScope).
                 R"({"endpoint":{"id":1,"kind":"server","name":"renamed"}})" "\n");
    file.open(QIODevice::ReadOnly);
    TrafficStore store;
    const SessionLoad load = loadSession(&file, store);
    QVERIFY2(load.ok, qPrintable(load.error));
    QCOMPARE(load.header.endpoints.size(), 1);
    QCOMPARE(load.header.endpoints.first().server.name, QStringLiteral("renamed"));
    QCOMPARE(load.header.endpoints.first().sinceNs, 0);
    QCOMPARE(load.header.changes.size(), 1);
    QCOMPARE(load.header.changes.first().sinceNs, echo.sinceNs);
    QCOMPARE(load.header.changes.first().server.autoReply, AutoReply::Echo);
    // Rules are written only for a server that answers by them.
    QCOMPARE(settingsDifferences(rules, echo),
             (QStringList{QStringLiteral("autoReply: rules → echo"), QStringLiteral("rules: 1 entry → (none)")}));
    SessionEndpoint moreRules = rules;
    moreRules.server.rules.append(rules.server.rules.first());
    QCOMPARE(settingsDifferences(rules, moreRules), QStringList{QStringLiteral("rules: 1 entry → 2 entries")});
    moreRules.server.rules.first().reply = QStringLiteral("c");
    moreRules.server.rules.removeLast();
    QCOMPARE(settingsDifferences(rules, moreRules), QStringList{QStringLiteral("rules: changed")});

    // Saved again, the change stands between the events it came between.
    TrafficStore saved;
    saved.append({makeEvent(1764072000000000000, 1, 1, Direction::In, EventKind::Data, "a"),
                  makeEvent(1764072000200000000, 1, 1, Direction::In, EventKind::Data, "a")});
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("changes.pipescope"));
    std::unique_ptr<SessionSaver> saver(SessionSaver::save(path, load.header, saved));
    QSignalSpy finished(saver.get(), &SessionSaver::finished);
    QVERIFY(finished.wait(10000));
    QVERIFY2(finished.first().at(0).toBool(), qPrintable(finished.first().at(1).toString()));
    QFile written(path);
    QVERIFY(written.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = written.readAll().split('\n');
    QCOMPARE(lines.size(), 5); // header, event, change, event, ""
    QVERIFY2(lines[1].contains("1764072000000000000") && lines[3].contains("1764072000200000000"), lines[1].constData());
    QCOMPARE(lines[2], encodeSessionEndpoint(load.header.changes.first()));

    // A change's time must be one.
    const Read bad = readAll(kHeader + R"({"endpoint":{"id":1,"kind":"server","name":"x"},"t":"later"})" "\n");
    QCOMPARE(bad.error, QStringLiteral("line 2: an endpoint's \"t\" must be a time in nanoseconds, a whole number over 0"));
}

void tst_Session::saveEndsWhenItsStoreGoes()
{
    // A window closed while its session is being saved: the store waits
    // for the save, which writes everything there was when it began.
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("closing.pipescope"));
    constexpr int kEvents = 200000;
    std::unique_ptr<TrafficStore> store = filledStore(kEvents);
    auto *saver = SessionSaver::save(path, SessionHeader(), *store);
    QSignalSpy finished(saver, &SessionSaver::finished);
    store.reset();
    QTRY_COMPARE(finished.size(), 1);
    QVERIFY2(finished.first().at(0).toBool(), qPrintable(finished.first().at(1).toString()));
    QCOMPARE(finished.first().at(2).toLongLong(), qint64(kEvents));
    QString error;
    QCOMPARE(eventsIn(path, &error), qint64(kEvents));
#ifdef Q_OS_UNIX
    // Captured traffic is the user's alone (on Windows, the folder's ACL).
    QCOMPARE(QFileInfo(path).permissions() & (QFile::ReadGroup | QFile::ReadOther | QFile::WriteGroup | QFile::WriteOther),
             QFile::Permissions());
#endif
    delete saver;
}

#if defined(Q_OS_LINUX)
void tst_Session::failedSaveKeepsThePreviousFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("kept.pipescope"));
    // The previous save: a small session.
    {
        std::unique_ptr<TrafficStore> small = filledStore(10);
        SessionSaver *saver = SessionSaver::save(path, SessionHeader(), *small);
        QSignalSpy finished(saver, &SessionSaver::finished);
        QTRY_COMPARE(finished.size(), 1);
        QVERIFY(finished.first().at(0).toBool());
        delete saver;
    }
    QFile previous(path);
    QVERIFY(previous.open(QIODevice::ReadOnly));
    const QByteArray before = previous.readAll();
    previous.close();

    // The disk fills up halfway through the next one: files may grow to
    // 1 MiB in this process (root is not exempt), the session needs ~8.
    std::unique_ptr<TrafficStore> big = filledStore(200000);
    const auto oldHandler = std::signal(SIGXFSZ, SIG_IGN);
    rlimit oldLimit {};
    QCOMPARE(::getrlimit(RLIMIT_FSIZE, &oldLimit), 0);
    rlimit limit = oldLimit;
    limit.rlim_cur = 1 << 20;
    QCOMPARE(::setrlimit(RLIMIT_FSIZE, &limit), 0);
    SessionSaver *saver = SessionSaver::save(path, SessionHeader(), *big);
    QSignalSpy finished(saver, &SessionSaver::finished);
    const bool ended = QTest::qWaitFor([&] { return finished.size() == 1; }, 20000);
    ::setrlimit(RLIMIT_FSIZE, &oldLimit);
    std::signal(SIGXFSZ, oldHandler);
    QVERIFY(ended);
    delete saver;

    // Refused, saying why, and the previous file is as it was: no partial
    // file in its place and none left beside it.
    QVERIFY(!finished.first().at(0).toBool());
    const QString error = finished.first().at(1).toString();
    QVERIFY2(error.startsWith(QStringLiteral("cannot save %1: ").arg(path)) && error.contains(QLatin1String("large")),
             qPrintable(error));
    QCOMPARE(finished.first().at(2).toLongLong(), 0);
    QVERIFY(previous.open(QIODevice::ReadOnly));
    QCOMPARE(previous.readAll(), before);
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList{QStringLiteral("kept.pipescope")});
}
#endif

PIPESCOPE_TEST_GUILESS_MAIN(tst_Session)
#include "tst_session.moc"
