// a message's bytes in each copy format.
#include "copyformat.h"
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

PIPESCOPE_TEST_GUILESS_MAIN(tst_CopyFormat)
#include "tst_copyformat.moc"
