#include "copyformat.h"
#include "payloadinput.h"
#include "payloadpreview.h"
#include "units.h"
#include "testmain.h"

#include <QTest>

using namespace PipeScope;

class tst_Payload : public QObject
{
    Q_OBJECT
private slots:
    void init() { PipeScopeTest::failOnUnexpectedWarnings(); }
    void encode_data();
    void encode();
    void encodeErrors_data();
    void encodeErrors();
    void preview_data();
    void preview();
    void formatSizes();
    void printableText_data();
    void printableText();
    void copyFormats_data();
    void copyFormats();
};

void tst_Payload::encode_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<int>("format");
    QTest::addColumn<int>("encoding");
    QTest::addColumn<bool>("nul");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("utf8 text") << QStringLiteral("héllo") << int(InputFormat::Text) << int(TextEncoding::Utf8) << false
                               << QByteArray("h\xc3\xa9llo");
    QTest::newRow("utf16 text with NUL, as the sample's TCHAR client")
        << QStringLiteral("Hi") << int(InputFormat::Text) << int(TextEncoding::Utf16Le) << true
        << QByteArray("H\0i\0\0\0", 6);
    QTest::newRow("utf8 with NUL") << QStringLiteral("ab") << int(InputFormat::Text) << int(TextEncoding::Utf8) << true
                                   << QByteArray("ab\0", 3);
    QTest::newRow("latin1") << QStringLiteral("é") << int(InputFormat::Text) << int(TextEncoding::Latin1) << false
                            << QByteArray("\xe9");
    QTest::newRow("hex spaced") << QStringLiteral("de ad be ef") << int(InputFormat::Hex) << int(TextEncoding::Utf8)
                                << false << QByteArray("\xde\xad\xbe\xef");
    QTest::newRow("hex packed upper") << QStringLiteral("DEADBEEF") << int(InputFormat::Hex) << int(TextEncoding::Utf8)
                                      << false << QByteArray("\xde\xad\xbe\xef");
    QTest::newRow("hex 0x list") << QStringLiteral("0x01, 0x02,0xff") << int(InputFormat::Hex)
                                 << int(TextEncoding::Utf8) << false << QByteArray("\x01\x02\xff");
    QTest::newRow("hex empty") << QString() << int(InputFormat::Hex) << int(TextEncoding::Utf8) << false << QByteArray();
    QTest::newRow("escapes") << QStringLiteral("a\\n\\t\\x00\\\\\\\"") << int(InputFormat::Escapes)
                             << int(TextEncoding::Utf8) << false << QByteArray("a\n\t\0\\\"", 6);
    QTest::newRow("escapes utf16 keep \\x raw") << QStringLiteral("A\\x7fB") << int(InputFormat::Escapes)
                                                << int(TextEncoding::Utf16Le) << false << QByteArray("A\0\x7f" "B\0", 5);
    QTest::newRow("escapes \\u") << QStringLiteral("\\u263a") << int(InputFormat::Escapes) << int(TextEncoding::Utf8)
                                 << false << QByteArray("\xe2\x98\xba");
}

void tst_Payload::encode()
{
    QFETCH(QString, input);
    QFETCH(int, format);
    QFETCH(int, encoding);
    QFETCH(bool, nul);
    QFETCH(QByteArray, expected);
    EncodeOptions options{InputFormat(format), TextEncoding(encoding), nul};
    QByteArray out;
    QString error;
    QVERIFY2(encodePayload(input, options, out, &error), qPrintable(error));
    QCOMPARE(out, expected);
}

void tst_Payload::encodeErrors_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<int>("format");
    QTest::addColumn<QString>("why");
    QTest::newRow("bad hex digit") << QStringLiteral("de ag") << int(InputFormat::Hex) << QStringLiteral("'g' at position 5");
    QTest::newRow("odd hex") << QStringLiteral("abc") << int(InputFormat::Hex) << QStringLiteral("odd number");
    QTest::newRow("lone backslash") << QStringLiteral("abc\\") << int(InputFormat::Escapes) << QStringLiteral("lone");
    QTest::newRow("short \\x") << QStringLiteral("\\x4") << int(InputFormat::Escapes) << QStringLiteral("two hex digits");
    QTest::newRow("unknown escape") << QStringLiteral("\\q") << int(InputFormat::Escapes) << QStringLiteral("unknown escape");
}

void tst_Payload::encodeErrors()
{
    QFETCH(QString, input);
    QFETCH(int, format);
    QFETCH(QString, why);
    EncodeOptions options;
    options.format = InputFormat(format);
    QByteArray out;
    QString error;
    QVERIFY(!encodePayload(input, options, out, &error));
    QVERIFY2(error.contains(why), qPrintable(error));
}

void tst_Payload::preview_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("expected");
    QTest::newRow("empty") << QByteArray() << QStringLiteral("(empty)");
    QTest::newRow("text") << QByteArray("Default answer from server") << QStringLiteral("\"Default answer from server\"");
    QTest::newRow("text with controls") << QByteArray("a\r\n\0", 4) << QStringLiteral("\"a\\r\\n\\0\"");
    QTest::newRow("utf16 tchar") << QByteArray("H\0i\0\0\0", 6) << QStringLiteral("u\"Hi\\0\"");
    QTest::newRow("binary") << QByteArray("\xde\xad\xbe\xef") << QStringLiteral("de ad be ef");
    QTest::newRow("long text is cut") << QByteArray(200, 'x') << (QStringLiteral("\"") + QString(10, u'x') + QStringLiteral("\"…"));
}

void tst_Payload::preview()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, expected);
    QCOMPARE(previewPayload(bytes, 10 + (bytes.size() == 200 ? 0 : 90)), expected);
}

void tst_Payload::printableText_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    QTest::newRow("plain") << QStringLiteral("pipescope (alice)") << QStringLiteral("pipescope (alice)");
    QTest::newRow("unicode stays") << QStringLiteral("naïve ☺") << QStringLiteral("naïve ☺");
    QTest::newRow("escape sequence") << QStringLiteral("evil\x1b[2J") << QStringLiteral("evil\\x1b[2J");
    QTest::newRow("a forged line") << QStringLiteral("x\n12:00:00.000000  #9  connected  FAKE")
                                   << QStringLiteral("x\\x0a12:00:00.000000  #9  connected  FAKE");
    QTest::newRow("carriage return, DEL, C1") << QStringLiteral("a\rb\x7f\u009b") << QStringLiteral("a\\x0db\\x7f\\x9b");
    QTest::newRow("bidi override") << QStringLiteral("exe\u202Etxt.bat") << QStringLiteral("exe\\u202etxt.bat");
    QTest::newRow("line separator") << QStringLiteral("a\u2028b") << QStringLiteral("a\\u2028b");
}

void tst_Payload::printableText()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    QCOMPARE(printable(text), expected);
    QCOMPARE(printable(QByteArrayView(text.toUtf8())), expected);
}

void tst_Payload::formatSizes()
{
    QCOMPARE(formatSize(27), QStringLiteral("27 B"));
    QCOMPARE(formatSize(4096), QStringLiteral("4.0 KiB"));
    QCOMPARE(formatSize(16u << 20), QStringLiteral("16.0 MiB"));
}

void tst_Payload::copyFormats_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("format");
    QTest::addColumn<QString>("expected");
    QTest::newRow("text") << QByteArray("h\xc3\xa9") << int(CopyFormat::Text) << QStringLiteral("hé");
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

void tst_Payload::copyFormats()
{
    QFETCH(QByteArray, bytes);
    QFETCH(int, format);
    QFETCH(QString, expected);
    QCOMPARE(formatPayload(bytes, CopyFormat(format)), expected);
}

PIPESCOPE_TEST_GUILESS_MAIN(tst_Payload)
#include "tst_payload.moc"
