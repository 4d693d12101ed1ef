// An endpoint's configuration as JSON in a session file: what is written
// reads back the same, and a name the reader does not know is refused.
#include "endpointjson.h"
#include "testmain.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace PipeScope;

namespace {

SessionEndpoint roundTrip(const SessionEndpoint &e, bool *ok = nullptr)
{
    // Through text, as in a file.
    const QByteArray text = QJsonDocument(endpointToJson(e)).toJson(QJsonDocument::Compact);
    SessionEndpoint back;
    QString why;
    const bool read = endpointFromJson(QJsonDocument::fromJson(text).object(), back, why);
    if (ok)
        *ok = read;
    else if (!read)
        qWarning("%s", qPrintable(why));
    return back;
}

QJsonObject server(const char *key, const QJsonValue &value)
{
    QJsonObject o{{QStringLiteral("id"), 3}, {QStringLiteral("kind"), QStringLiteral("server")},
                  {QStringLiteral("name"), QStringLiteral("x")}};
    o.insert(QLatin1String(key), value);
    return o;
}

} // namespace

class tst_EndpointJson : public QObject
{
    Q_OBJECT
private slots:
    void init() { PipeScopeTest::failOnUnexpectedWarnings(); }
    void serverReadsBackTheSame_data();
    void serverReadsBackTheSame();
    void clientReadsBackTheSame();
    void monitorReadsBackTheSame();
    void aMonitorWithoutATargetIsRefused();
    void unknownNamesAreRefused_data();
    void unknownNamesAreRefused();
    void aReplayScriptReadsBackAsNoAnswer();
    void wholeNumbersAreExact();
};

void tst_EndpointJson::serverReadsBackTheSame_data()
{
    QTest::addColumn<int>("type");
    QTest::addColumn<int>("direction");
    QTest::addColumn<int>("access");
    QTest::addColumn<int>("reply");
    QTest::addColumn<int>("match");
    QTest::newRow("message, duplex, user, off")
        << int(Native::PipeType::Message) << int(Native::PipeDirection::Duplex) << int(Native::Access::CurrentUser)
        << int(AutoReply::Off) << int(ReplyRule::Match::Contains);
    QTest::newRow("byte, inbound, default, echo")
        << int(Native::PipeType::Byte) << int(Native::PipeDirection::Inbound) << int(Native::Access::Default)
        << int(AutoReply::Echo) << int(ReplyRule::Match::Contains);
    QTest::newRow("outbound, fixed")
        << int(Native::PipeType::Message) << int(Native::PipeDirection::Outbound) << int(Native::Access::CurrentUser)
        << int(AutoReply::Fixed) << int(ReplyRule::Match::Contains);
    QTest::newRow("rules, regex")
        << int(Native::PipeType::Byte) << int(Native::PipeDirection::Duplex) << int(Native::Access::CurrentUser)
        << int(AutoReply::Rules) << int(ReplyRule::Match::Regex);
}

void tst_EndpointJson::serverReadsBackTheSame()
{
    QFETCH(int, type);
    QFETCH(int, direction);
    QFETCH(int, access);
    QFETCH(int, reply);
    QFETCH(int, match);
    SessionEndpoint e;
    e.id = 7;
    e.kind = SessionEndpoint::Kind::Server;
    ServerConfig &c = e.server;
    c.name = QStringLiteral("\\\\.\\pipe\\round");
    c.options.type = Native::PipeType(type);
    c.options.readMode = Native::ReadMode::Byte;
    c.options.direction = Native::PipeDirection(direction);
    c.options.access = Native::Access(access);
    c.options.maxInstances = 5;
    c.options.outBufferSize = 123;
    c.options.inBufferSize = 456;
    c.options.defaultTimeoutMs = 789;
    c.options.firstInstance = true;
    c.options.maxMessageSize = 1000;
    c.autoReply = AutoReply(reply);
    c.replyBytes = "\x01\x02 not text";
    c.rules = {{ReplyRule::Match(match), QStringLiteral("ping"), QStringLiteral("pong")}};
    const SessionEndpoint back = roundTrip(e);
    QCOMPARE(back.id, 7u);
    QCOMPARE(back.kind, SessionEndpoint::Kind::Server);
    const ServerConfig &b = back.server;
    QCOMPARE(b.name, c.name);
    QCOMPARE(b.options.type, c.options.type);
    QCOMPARE(b.options.readMode, Native::ReadMode::Byte);
    QCOMPARE(b.options.direction, c.options.direction);
    QCOMPARE(b.options.access, c.options.access);
    QCOMPARE(b.options.maxInstances, 5);
    QCOMPARE(b.options.outBufferSize, 123u);
    QCOMPARE(b.options.inBufferSize, 456u);
    QCOMPARE(b.options.defaultTimeoutMs, 789u);
    QVERIFY(b.options.firstInstance);
    QCOMPARE(b.options.maxMessageSize, std::size_t(1000));
    QCOMPARE(b.autoReply, c.autoReply);
    if (c.autoReply == AutoReply::Fixed)
        QCOMPARE(b.replyBytes, c.replyBytes);
    if (c.autoReply == AutoReply::Rules) {
        QCOMPARE(b.rules.size(), 1);
        QCOMPARE(b.rules[0].match, c.rules[0].match);
        QCOMPARE(b.rules[0].pattern, QStringLiteral("ping"));
        QCOMPARE(b.rules[0].reply, QStringLiteral("pong"));
    }
}

void tst_EndpointJson::clientReadsBackTheSame()
{
    SessionEndpoint e;
    e.id = 2;
    e.kind = SessionEndpoint::Kind::Client;
    e.client.name = QStringLiteral("c");
    e.client.automaticConvention = true;
    e.client.options.type = Native::PipeType::Byte;
    e.client.options.readMode = Native::ReadMode::Byte;
    e.client.options.waitMs = 1234;
    e.client.options.serverUser = "alice";
    const SessionEndpoint back = roundTrip(e);
    QCOMPARE(back.kind, SessionEndpoint::Kind::Client);
    QVERIFY(back.client.automaticConvention);
    QCOMPARE(back.client.options.type, std::optional(Native::PipeType::Byte));
    QCOMPARE(back.client.options.readMode, std::optional(Native::ReadMode::Byte));
    QCOMPARE(back.client.options.waitMs, 1234u);
    QCOMPARE(back.client.options.serverUser, std::string("alice"));
    // Left out, the type and read mode stay the pipe's own.
    e.client.options.type.reset();
    e.client.options.readMode.reset();
    const SessionEndpoint plain = roundTrip(e);
    QVERIFY(!plain.client.options.type);
    QVERIFY(!plain.client.options.readMode);
}

void tst_EndpointJson::monitorReadsBackTheSame()
{
    SessionEndpoint e;
    e.id = 3;
    e.kind = SessionEndpoint::Kind::Monitor;
    e.server.name = QStringLiteral("app");
    e.server.options.type = Native::PipeType::Byte;
    e.server.options.readMode = Native::ReadMode::Byte;
    e.server.options.maxInstances = 2;
    e.server.options.maxMessageSize = 4096;
    ClientConfig to;
    to.name = QStringLiteral("/run/app.real");
    to.options.convention = Native::Convention::Qt;
    to.options.type = Native::PipeType::Byte;
    to.options.waitMs = 250;
    to.options.serverUser = "daemon";
    e.server.relayTo = to;
    const QJsonObject json = endpointToJson(e);
    QCOMPARE(json.value(QLatin1String("kind")).toString(), QStringLiteral("monitor"));
    QVERIFY2(!json.contains(QLatin1String("autoReply")), "a monitor answers nothing");
    QCOMPARE(json.value(QLatin1String("target")).toObject().value(QLatin1String("name")).toString(), to.name);
    const SessionEndpoint back = roundTrip(e);
    QCOMPARE(back.kind, SessionEndpoint::Kind::Monitor);
    QCOMPARE(back.name(), QStringLiteral("app"));
    QCOMPARE(back.server.options.type, Native::PipeType::Byte);
    QCOMPARE(back.server.options.maxInstances, 2);
    QCOMPARE(back.server.options.maxMessageSize, std::size_t(4096));
    QVERIFY(back.server.relayTo);
    const ClientConfig &b = *back.server.relayTo;
    QCOMPARE(b.name, to.name);
    QCOMPARE(b.options.convention, Native::Convention::Qt);
    QVERIFY(!b.automaticConvention);
    QCOMPARE(b.options.type, std::optional(Native::PipeType::Byte));
    QCOMPARE(b.options.waitMs, 250u);
    QCOMPARE(b.options.serverUser, std::string("daemon"));
    QVERIFY(!back.server.interpose);
    e.server.interpose = true;
    QVERIFY(roundTrip(e).server.interpose);
}

void tst_EndpointJson::aMonitorWithoutATargetIsRefused()
{
    SessionEndpoint e;
    QString why;
    QVERIFY(!endpointFromJson(QJsonObject{{QLatin1String("id"), 4}, {QLatin1String("kind"), QStringLiteral("monitor")},
                                          {QLatin1String("name"), QStringLiteral("x")}},
                              e, why));
    QCOMPARE(why, QStringLiteral("endpoint 4: a monitor needs \"target\", the pipe it passes clients on to"));
    QVERIFY(!endpointFromJson(QJsonObject{{QLatin1String("id"), 4}, {QLatin1String("kind"), QStringLiteral("monitor")},
                                          {QLatin1String("target"), QJsonObject{{QLatin1String("convention"),
                                                                                 QStringLiteral("smoke")}}}},
                              e, why));
    QCOMPARE(why, QStringLiteral("endpoint 4: unknown convention \"smoke\""));
}

void tst_EndpointJson::unknownNamesAreRefused_data()
{
    QTest::addColumn<QJsonObject>("object");
    QTest::addColumn<QString>("said");
    QTest::newRow("type bytes") << server("type", QStringLiteral("bytes"))
                                << QStringLiteral("endpoint 3: \"type\" must be message, byte, not \"bytes\"");
    QTest::newRow("readMode") << server("readMode", QStringLiteral("msg")) << QStringLiteral("\"readMode\" must be message, byte");
    QTest::newRow("direction") << server("direction", QStringLiteral("both"))
                               << QStringLiteral("\"direction\" must be duplex, inbound, outbound, not \"both\"");
    QTest::newRow("access") << server("access", QStringLiteral("everyone")) << QStringLiteral("\"access\" must be user, default");
    QTest::newRow("autoReply") << server("autoReply", QStringLiteral("always")) << QStringLiteral("\"autoReply\" must be off, echo");
    QTest::newRow("a number for a name") << server("type", 1) << QStringLiteral("not a value of another kind");
    QTest::newRow("rule match")
        << server("rules", QJsonArray{QJsonObject{{QStringLiteral("match"), QStringLiteral("glob")}}})
        << QStringLiteral("\"match\" must be contains, regex, not \"glob\"");
    QJsonObject client{{QStringLiteral("id"), 4}, {QStringLiteral("kind"), QStringLiteral("client")},
                       {QStringLiteral("type"), QStringLiteral("stream")}};
    QTest::newRow("client type") << client << QStringLiteral("endpoint 4: \"type\" must be message, byte, not \"stream\"");
}

void tst_EndpointJson::unknownNamesAreRefused()
{
    QFETCH(QJsonObject, object);
    QFETCH(QString, said);
    SessionEndpoint e;
    QString why;
    QVERIFY(!endpointFromJson(object, e, why));
    QVERIFY2(why.contains(said), qPrintable(why));
}

void tst_EndpointJson::aReplayScriptReadsBackAsNoAnswer()
{
    // The conversations are the session itself, not in the header.
    SessionEndpoint e;
    e.id = 1;
    e.server.autoReply = AutoReply::Script;
    e.server.scripts = {{ReplayStep{0, "hello", {"hi"}, 0}}};
    QCOMPARE(endpointToJson(e).value(QLatin1String("autoReply")).toString(), QStringLiteral("script"));
    QCOMPARE(roundTrip(e).server.autoReply, AutoReply::Off);
}

void tst_EndpointJson::wholeNumbersAreExact()
{
    QCOMPARE(wholeNumber(QJsonValue(qint64(9007199254740993))), std::optional<qint64>(9007199254740993));
    QCOMPARE(wholeNumber(QJsonValue(-5)), std::optional<qint64>(-5));
    QCOMPARE(wholeNumber(QJsonValue(1.5)), std::nullopt);
    QCOMPARE(wholeNumber(QJsonValue(QStringLiteral("3"))), std::nullopt);
    QCOMPARE(wholeNumber(QJsonValue()), std::nullopt);
}

PIPESCOPE_TEST_GUILESS_MAIN(tst_EndpointJson)
#include "tst_endpointjson.moc"
