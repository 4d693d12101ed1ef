// The hex dump's geometry, without any widget.
#include "hexlayout.h"
#include "testmain.h"

#include <QTest>

using namespace PipeScope;

class tst_HexLayout : public QObject
{
    Q_OBJECT
private slots:
    void init() { PipeScopeTest::failOnUnexpectedWarnings(); }
    void lineCounts_data();
    void lineCounts();
    void lineTextMatchesTheDumpFormat();
    void shortLastLine();
    void everyOffsetRoundTrips();
    void charactersMapBackToColumns();
    void offsetsGrowPastFourGiB();
};

void tst_HexLayout::lineCounts_data()
{
    QTest::addColumn<qsizetype>("size");
    QTest::addColumn<qsizetype>("lines");
    QTest::newRow("empty") << qsizetype(0) << qsizetype(0);
    QTest::newRow("one byte") << qsizetype(1) << qsizetype(1);
    QTest::newRow("exactly one line") << qsizetype(16) << qsizetype(1);
    QTest::newRow("one past") << qsizetype(17) << qsizetype(2);
    QTest::newRow("64 MiB") << qsizetype(64) * 1024 * 1024 << qsizetype(4) * 1024 * 1024;
}

void tst_HexLayout::lineCounts()
{
    QFETCH(qsizetype, size);
    QFETCH(qsizetype, lines);
    QCOMPARE(HexLayout(size).lineCount(), lines);
}

void tst_HexLayout::lineTextMatchesTheDumpFormat()
{
    QByteArray data(16, '\0'); // line 0
    data += QByteArray("Hello, world!\n\x00\xff", 16);
    const HexLayout layout(data.size());
    QCOMPARE(layout.lineText(data, 1),
             QStringLiteral("00000010  48 65 6c 6c 6f 2c 20 77  6f 72 6c 64 21 0a 00 ff  Hello, world!..."));
    QCOMPARE(layout.lineWidth(), layout.lineText(data, 1).size());
}

void tst_HexLayout::shortLastLine()
{
    const QByteArray data("ABCDEFGHIJKLMNOPQRS"); // 19 bytes: 16 + 3
    const HexLayout layout(data.size());
    QCOMPARE(layout.lineText(data, 1), QStringLiteral("00000010  51 52 53") + QString(layout.asciiStart() - 18, u' ') + QStringLiteral("QRS"));
}

void tst_HexLayout::everyOffsetRoundTrips()
{
    const HexLayout layout(1000, 16);
    for (qsizetype offset = 0; offset < 1000; ++offset) {
        const qsizetype line = layout.lineOf(offset);
        const int column = layout.columnOf(offset);
        QCOMPARE(layout.offsetAt(line, column), offset);
        QCOMPARE(layout.columnAtChar(layout.hexCharOf(column)), column);
        QCOMPARE(layout.columnAtChar(layout.hexCharOf(column) + 1), column);
        QCOMPARE(layout.columnAtChar(layout.asciiCharOf(column)), column);
    }
}

void tst_HexLayout::charactersMapBackToColumns()
{
    const HexLayout layout(64);
    QCOMPARE(layout.columnAtChar(0), -1);                          // the offset column
    QCOMPARE(layout.columnAtChar(layout.hexCharOf(0) + 2), -1);    // the space after a byte
    QCOMPARE(layout.hexCharOf(8) - layout.hexCharOf(7), 4);        // the group gap
    QCOMPARE(layout.columnAtChar(layout.hexCharOf(8) - 1), -1);
    QCOMPARE(layout.columnAtChar(layout.asciiStart() - 1), -1);
    QCOMPARE(layout.columnAtChar(layout.lineWidth()), -1);
}

void tst_HexLayout::offsetsGrowPastFourGiB()
{
    QCOMPARE(HexLayout(qsizetype(1) << 32).offsetDigits(), 8);
    QCOMPARE(HexLayout((qsizetype(1) << 32) + 1).offsetDigits(), 9);
}

PIPESCOPE_TEST_GUILESS_MAIN(tst_HexLayout)
#include "tst_hexlayout.moc"
