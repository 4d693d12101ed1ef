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
};

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
    // A pattern never matches connection events; directions still apply.
    QVERIFY(!filter.matches(Direction::None, EventKind::Connected, payload));
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
