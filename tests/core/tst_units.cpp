// sizes as PipeScope writes them.
#include "units.h"
#include "testmain.h"

#include <QTest>

using namespace PipeScope;

class tst_Units : public QObject
{
    Q_OBJECT
private slots:
    void init() { PipeScopeTest::failOnUnexpectedWarnings(); }
    void formatSizes();
    void countsTakeTheirNounsNumber();
};

void tst_Units::countsTakeTheirNounsNumber()
{
    QCOMPARE(counted(0, QStringLiteral("message"), QStringLiteral("messages")), QStringLiteral("0 messages"));
    QCOMPARE(counted(1, QStringLiteral("message"), QStringLiteral("messages")), QStringLiteral("1 message"));
    QCOMPARE(counted(2, QStringLiteral("endpoint"), QStringLiteral("endpoints")), QStringLiteral("2 endpoints"));
}

void tst_Units::formatSizes()
{
    QCOMPARE(formatSize(27), QStringLiteral("27 B"));
    QCOMPARE(formatSize(4096), QStringLiteral("4.0 KiB"));
    QCOMPARE(formatSize(16u << 20), QStringLiteral("16.0 MiB"));
}

PIPESCOPE_TEST_GUILESS_MAIN(tst_Units)
#include "tst_units.moc"
