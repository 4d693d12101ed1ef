// a message's bytes in each copy format.
#include "copyformat.h"
#include "datainspector.h"
#include "testmain.h"

#include <QTest>

using namespace PipeScope;

class tst_CopyFormat : public QObject
{
    Q_OBJECT
private slots:
    void init() { PipeScopeTest::failOnUnexpectedWarnings(); }
    void copyFormats_data();
    void copyFormats();
    void theInspectorReadsBothByteOrders();
};

void tst_CopyFormat::copyFormats_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("format");
    QTest::addColumn<QString>("expected");
    QTest::newRow("text") << QByteArray("h\xc3\xa9") << int(CopyFormat::Text) << QStringLiteral("hé");
    QTest::newRow("text, lines kept") << QByteArray("a\r\nb\tc") << int(CopyFormat::Text) << QStringLiteral("a\r\nb\tc");
    // Neither U+FFFD nor a NUL reaches the clipboard: C escapes, or hex.
    QTest::newRow("text with a control") << QByteArray("a\x01" "b") << int(CopyFormat::Text) << QStringLiteral("a\\u0001b");
    QTest::newRow("binary") << QByteArray("\xff\xfe\x00", 3) << int(CopyFormat::Text) << QStringLiteral("ff fe 00");
    QTest::newRow("hex") << QByteArray("\x00\x7f\xff", 3) << int(CopyFormat::Hex) << QStringLiteral("00 7f ff");
    QTest::newRow("base64") << QByteArray("Default") << int(CopyFormat::Base64) << QStringLiteral("RGVmYXVsdA==");
    QTest::newRow("c array") << QByteArray("\x01\x02\x0a") << int(CopyFormat::CArray)
                             << QStringLiteral("const unsigned char data[3] = {\n    0x01, 0x02, 0x0a\n};");
    QTest::newRow("c array, two lines") << QByteArray(13, '\x11') << int(CopyFormat::CArray)
                                        << (QStringLiteral("const unsigned char data[13] = {\n    ") +
                                            QStringList(12, QStringLiteral("0x11")).join(QStringLiteral(", ")) +
                                            QStringLiteral(",\n    0x11\n};"));
    QTest::newRow("c array, empty") << QByteArray() << int(CopyFormat::CArray) << QStringLiteral("const unsigned char data[0] = {};");
}

void tst_CopyFormat::copyFormats()
{
    QFETCH(QByteArray, bytes);
    QFETCH(int, format);
    QFETCH(QString, expected);
    QCOMPARE(formatPayload(bytes, CopyFormat(format)), expected);
}

namespace {
// The inspector's reading of `type` at `offset`: {little, big}.
QPair<QString, QString> inspected(const QByteArray &bytes, qsizetype offset, const char *type)
{
    for (const InspectedValue &value : inspectBytes(bytes, offset))
        if (value.type == QLatin1String(type))
            return {value.littleEndian, value.bigEndian};
    qFatal("no %s", type);
}
} // namespace

void tst_CopyFormat::theInspectorReadsBothByteOrders()
{
    const QByteArray counting = QByteArray::fromHex("0102030405060708");
    QCOMPARE(inspected(counting, 0, "binary").first, QStringLiteral("00000001"));
    QCOMPARE(inspected(counting, 0, "uint8"), (QPair<QString, QString>{"1", ""}));
    QCOMPARE(inspected(counting, 0, "int16"), (QPair<QString, QString>{"513", "258"}));
    QCOMPARE(inspected(counting, 0, "uint32"), (QPair<QString, QString>{"67305985", "16909060"}));
    QCOMPARE(inspected(counting, 0, "uint64"),
             (QPair<QString, QString>{"578437695752307201", "72623859790382856"}));
    // From the cursor on: at byte 6, two bytes are left.
    QCOMPARE(inspected(counting, 6, "uint16"), (QPair<QString, QString>{"2055", "1800"}));
    QCOMPARE(inspected(counting, 6, "uint32"), (QPair<QString, QString>{"", ""}));
    QVERIFY(inspectBytes(counting, 8).isEmpty());
    // Signed and unsigned.
    const QByteArray ones = QByteArray::fromHex("ffff");
    QCOMPARE(inspected(ones, 0, "int8").first, QStringLiteral("-1"));
    QCOMPARE(inspected(ones, 0, "int16").first, QStringLiteral("-1"));
    QCOMPARE(inspected(ones, 0, "uint16").first, QStringLiteral("65535"));
    // Floats, read back shortest.
    QCOMPARE(inspected(QByteArray::fromHex("0000803f"), 0, "float32").first, QStringLiteral("1"));
    QCOMPARE(inspected(QByteArray::fromHex("3dcccccd"), 0, "float32").second, QStringLiteral("0.1"));
    QCOMPARE(inspected(QByteArray::fromHex("9a9999999999b93f"), 0, "float64").first, QStringLiteral("0.1"));
    // A string behind its length; a length past the end is said.
    const QByteArray framed = QByteArray::fromHex("0300616263");
    QCOMPARE(inspected(framed, 0, "string (u8 length)").first, QStringLiteral("\"\\x00ab\""));
    QCOMPARE(inspected(framed, 0, "string (u16 length)"),
             (QPair<QString, QString>{"\"abc\"", "length 768: 3 bytes left"}));
    QCOMPARE(inspected(framed, 1, "string (u8 length)").first, QStringLiteral("\"\""));
}

PIPESCOPE_TEST_GUILESS_MAIN(tst_CopyFormat)
#include "tst_copyformat.moc"
