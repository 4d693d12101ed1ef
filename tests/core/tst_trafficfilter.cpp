// TrafficFilter: the filter: text, hex and regex patterns, and the patterns it refuses.
#include "testmain.h"
#include "trafficfilter.h"

#include <QTest>

using namespace PipeScope;

class tst_TrafficFilter : public QObject
{
    Q_OBJECT
private slots:
    void init() { PipeScopeTest::failOnUnexpectedWarnings(); }
    void filterMatchesTextHexAndRegex_data();
    void filterMatchesTextHexAndRegex();
    void filterRefusesBadPatterns();
    void eventsAreSearchedByTheirWords();
    void caseCanBeIgnored_data();
    void caseCanBeIgnored();
};

void tst_TrafficFilter::eventsAreSearchedByTheirWords()
{
    const QByteArray peer("pid 4242, alice, client.exe");
    TrafficFilter filter;
    QVERIFY(filter.set(TrafficFilter::Mode::Text, QStringLiteral("4242")));
    QVERIFY(filter.matches(Direction::None, EventKind::Connected, peer));
    QVERIFY(!filter.matches(Direction::None, EventKind::Connected, "pid 17, bob"));
    QVERIFY(filter.set(TrafficFilter::Mode::Regex, QStringLiteral("client\\.exe$")));
    QVERIFY(filter.matches(Direction::None, EventKind::Connected, peer));
    // Ignoring case applies to them too.
    QVERIFY(filter.set(TrafficFilter::Mode::Text, QStringLiteral("ALICE"), TrafficFilter::ShowAll, nullptr,
                       Qt::CaseInsensitive));
    QVERIFY(filter.matches(Direction::None, EventKind::Connected, peer));
    // Leaving events out by direction still leaves them out.
    QVERIFY(filter.set(TrafficFilter::Mode::Text, QStringLiteral("4242"), TrafficFilter::ShowIn));
    QVERIFY(!filter.matches(Direction::None, EventKind::Connected, peer));
}

void tst_TrafficFilter::caseCanBeIgnored_data()
{
    QTest::addColumn<int>("mode");
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<bool>("matches");
    const int text = int(TrafficFilter::Mode::Text), regex = int(TrafficFilter::Mode::Regex);
    QTest::newRow("ascii utf-8") << text << "ANSWER" << QByteArray("Default answer") << true;
    QTest::newRow("ascii utf-16le") << text << "Hi" << QByteArray("h\0I\0", 4) << true;
    QTest::newRow("ascii at the end") << text << "VER" << QByteArray("server") << true;
    QTest::newRow("ascii absent") << text << "answers" << QByteArray("Default ANSWER") << false;
    QTest::newRow("non-ascii utf-8") << text << "GRÜSS" << QString("sag grüss").toUtf8() << true;
    QTest::newRow("non-ascii utf-16le") << text << "ÄB" << QByteArray("\xe4\0b\0", 4) << true;
    QTest::newRow("regex") << regex << "^default" << QByteArray("Default answer") << true;
}

void tst_TrafficFilter::caseCanBeIgnored()
{
    QFETCH(int, mode);
    QFETCH(QString, pattern);
    QFETCH(QByteArray, payload);
    QFETCH(bool, matches);
    TrafficFilter filter;
    QVERIFY(filter.set(TrafficFilter::Mode(mode), pattern, TrafficFilter::ShowAll, nullptr, Qt::CaseInsensitive));
    QCOMPARE(filter.matches(Direction::In, EventKind::Data, payload), matches);
    // Matching case, only the exact bytes match (none of these rows has them).
    QVERIFY(filter.set(TrafficFilter::Mode(mode), pattern, TrafficFilter::ShowAll, nullptr, Qt::CaseSensitive));
    QVERIFY(!filter.matches(Direction::In, EventKind::Data, payload));
}

void tst_TrafficFilter::filterMatchesTextHexAndRegex_data()
{
    QTest::addColumn<int>("mode");
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<bool>("matches");
    const int text = int(TrafficFilter::Mode::Text), hex = int(TrafficFilter::Mode::Hex),
              regex = int(TrafficFilter::Mode::Regex);
    QTest::newRow("text in utf-8") << text << "answer" << QByteArray("Default answer from server") << true;
    QTest::newRow("text is case-sensitive") << text << "Answer" << QByteArray("Default answer") << false;
    QTest::newRow("text in utf-16le") << text << "hi" << QByteArray("h\0i\0", 4) << true;
    QTest::newRow("non-ascii text") << text << "grüß" << QString("sag grüß").toUtf8() << true;
    QTest::newRow("text absent") << text << "nope" << QByteArray("Default answer") << false;
    QTest::newRow("hex bytes") << hex << "de ad" << QByteArray("\x01\xde\xad\x02", 4) << true;
    QTest::newRow("hex across NUL") << hex << "00ff" << QByteArray("a\0\xff", 3) << true;
    QTest::newRow("hex absent") << hex << "dead" << QByteArray("\xde\xaf", 2) << false;
    QTest::newRow("regex") << regex << "^Default .* server$" << QByteArray("Default answer from server") << true;
    QTest::newRow("regex no match") << regex << "^answer" << QByteArray("Default answer") << false;
}
void tst_TrafficFilter::filterMatchesTextHexAndRegex()
{
    QFETCH(int, mode);
    QFETCH(QString, pattern);
    QFETCH(QByteArray, payload);
    QFETCH(bool, matches);
    TrafficFilter filter;
    QString error;
    QVERIFY2(filter.set(TrafficFilter::Mode(mode), pattern, TrafficFilter::ShowAll, &error), qPrintable(error));
    QCOMPARE(filter.matches(Direction::In, EventKind::Data, payload), matches);
    // A hex pattern never matches connection events (their words are
    // searched by text and regex patterns: eventsAreSearchedByTheirWords).
    if (mode == int(TrafficFilter::Mode::Hex))
        QVERIFY(!filter.matches(Direction::None, EventKind::Connected, payload));
    // Directions still apply.
    filter.set(TrafficFilter::Mode(mode), pattern, TrafficFilter::ShowOut);
    QVERIFY(!filter.matches(Direction::In, EventKind::Data, payload));
    QCOMPARE(filter.matches(Direction::Out, EventKind::Data, payload), matches);
}
void tst_TrafficFilter::filterRefusesBadPatterns()
{
    TrafficFilter filter;
    filter.set(TrafficFilter::Mode::Text, QStringLiteral("kept"));
    QString error;
    QVERIFY(!filter.set(TrafficFilter::Mode::Hex, QStringLiteral("zz"), TrafficFilter::ShowAll, &error));
    QVERIFY2(error.contains(QLatin1String("hex")), qPrintable(error));
    QVERIFY(!filter.set(TrafficFilter::Mode::Regex, QStringLiteral("(open"), TrafficFilter::ShowAll, &error));
    QVERIFY2(error.contains(QLatin1String("position")), qPrintable(error));
    // A refused pattern leaves the filter as it was.
    QCOMPARE(filter.pattern(), QStringLiteral("kept"));
    QCOMPARE(filter.mode(), TrafficFilter::Mode::Text);
}

PIPESCOPE_TEST_GUILESS_MAIN(tst_TrafficFilter)
#include "tst_trafficfilter.moc"
