// sizes as PipeScope writes them.
#include "units.h"
#include "testmain.h"

#include <QDateTime>
#include <QTest>

#include <limits>

using namespace PipeScope;

class tst_Units : public QObject
{
    Q_OBJECT
private slots:
    void init() { PipeScopeTest::failOnUnexpectedWarnings(); }
    void formatSizes();
    void countsTakeTheirNounsNumber();
    void gapsAreInTheUnitThatSuitsThem();
    void timesInEachForm();
};

void tst_Units::countsTakeTheirNounsNumber()
{
    QCOMPARE(counted(0, QStringLiteral("message"), QStringLiteral("messages")), QStringLiteral("0 messages"));
    QCOMPARE(counted(1, QStringLiteral("message"), QStringLiteral("messages")), QStringLiteral("1 message"));
    QCOMPARE(counted(2, QStringLiteral("endpoint"), QStringLiteral("endpoints")), QStringLiteral("2 endpoints"));
}

void tst_Units::gapsAreInTheUnitThatSuitsThem()
{
    QCOMPARE(formatDelta(0), QStringLiteral("+0 µs"));
    QCOMPARE(formatDelta(412'000), QStringLiteral("+412 µs"));
    QCOMPARE(formatDelta(12'345'000), QStringLiteral("+12.345 ms"));
    QCOMPARE(formatDelta(3'021'000'000), QStringLiteral("+3.021 s"));
    // 11423.772 s: the gap issue 13 saw clipped as "+11423.772…" ms.
    QCOMPARE(formatDelta(683'800'000'000), QStringLiteral("+11 min 23.8 s"));
    QCOMPARE(formatDelta(11'423'772'000'000), QStringLiteral("+3 h 10 min"));
    QCOMPARE(formatDelta(-2'500'000), QStringLiteral("\u2212" "2.500 ms"));
    QVERIFY(!formatDelta(std::numeric_limits<qint64>::min()).isEmpty());
    // A duration (a monitor's relay time, a wait): no sign, finer below 1 ms.
    QCOMPARE(formatDuration(740), QStringLiteral("740 ns"));
    QCOMPARE(formatDuration(6'200), QStringLiteral("6.2 µs"));
    QCOMPARE(formatDuration(999'949), QStringLiteral("999.9 µs"));
    QCOMPARE(formatDuration(12'345'000), QStringLiteral("12.345 ms"));
    QCOMPARE(formatDuration(683'800'000'000), QStringLiteral("11 min 23.8 s"));
    QCOMPARE(formatDuration(-5), QStringLiteral("0 ns"));
}

void tst_Units::formatSizes()
{
    QCOMPARE(formatSize(27), QStringLiteral("27 B"));
    QCOMPARE(formatSize(4096), QStringLiteral("4.0 KiB"));
    QCOMPARE(formatSize(16u << 20), QStringLiteral("16.0 MiB"));
}

void tst_Units::timesInEachForm()
{
    // 2026-12-02 18:33:50.011451 local time, and a start 3723.4 s before.
    const QDateTime when(QDate(2026, 12, 2), QTime(18, 33, 50, 11));
    const qint64 ns = when.toMSecsSinceEpoch() * 1000000 + 451000;
    const qint64 start = ns - 3723400000000;
    QCOMPARE(formatTime(ns, TimeDisplay::TimeOfDay, start), QStringLiteral("18:33:50.011451"));
    QCOMPARE(formatTime(ns), QStringLiteral("18:33:50.011451"));
    QCOMPARE(formatTime(ns, TimeDisplay::DateAndTime, start), QStringLiteral("2026-12-02 18:33:50.011451"));
    QCOMPARE(formatTime(ns, TimeDisplay::SinceStart, start), QStringLiteral("3723.400000"));
    QCOMPARE(formatTime(start, TimeDisplay::SinceStart, start), QStringLiteral("0.000000"));
    // An event posted late can be a little earlier than the first one.
    QCOMPARE(formatTime(start - 1500, TimeDisplay::SinceStart, start), QStringLiteral("-0.000001"));
}

PIPESCOPE_TEST_GUILESS_MAIN(tst_Units)
#include "tst_units.moc"
