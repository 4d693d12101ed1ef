// what a person types (text, hex, C escapes) turned into bytes, and the mistakes named.
#include "payloadinput.h"
#include "testmain.h"

#include <QTest>

using namespace PipeScope;

class tst_PayloadInput : public QObject
{
    Q_OBJECT
private slots:
    void init() { PipeScopeTest::failOnUnexpectedWarnings(); }
    void encode_data();
    void encode();
    void encodeErrors_data();
    void encodeErrors();
    void typedAgainGivesTheSameBytes_data();
    void typedAgainGivesTheSameBytes();
};

void tst_PayloadInput::encode_data()
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

void tst_PayloadInput::encode()
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

void tst_PayloadInput::encodeErrors_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<int>("format");
    QTest::addColumn<QString>("why");
    QTest::addColumn<int>("encoding");
    const int utf8 = int(TextEncoding::Utf8), latin1 = int(TextEncoding::Latin1);
    // What an encoding cannot carry is refused, not sent as '?'.
    QTest::newRow("latin-1 has no euro") << QStringLiteral("5 €") << int(InputFormat::Text)
                                         << QStringLiteral("Latin-1 has no \"€\" (U+20AC)") << latin1;
    QTest::newRow("latin-1 has no emoji") << QStringLiteral("ok 👍") << int(InputFormat::Text)
                                          << QStringLiteral("Latin-1 has no \"👍\" (U+1F44D)") << latin1;
    QTest::newRow("latin-1 escape past ff") << QStringLiteral("\\u0100") << int(InputFormat::Escapes)
                                            << QStringLiteral("(U+0100)") << latin1;
    QTest::newRow("lone surrogate, utf-8") << QStringLiteral("a\\uD800b") << int(InputFormat::Escapes)
                                           << QStringLiteral("a lone surrogate (U+D800)") << utf8;
    QTest::newRow("lone surrogate, latin-1") << QStringLiteral("\\uDC00") << int(InputFormat::Escapes)
                                             << QStringLiteral("a lone surrogate (U+DC00)") << latin1;
    QTest::newRow("bad hex digit") << QStringLiteral("de ag") << int(InputFormat::Hex) << QStringLiteral("'g' at position 5") << utf8;
    QTest::newRow("odd hex") << QStringLiteral("abc") << int(InputFormat::Hex) << QStringLiteral("odd number") << utf8;
    QTest::newRow("lone backslash") << QStringLiteral("abc\\") << int(InputFormat::Escapes) << QStringLiteral("lone") << utf8;
    QTest::newRow("short \\x") << QStringLiteral("\\x4") << int(InputFormat::Escapes) << QStringLiteral("two hex digits") << utf8;
    QTest::newRow("unknown escape") << QStringLiteral("\\q") << int(InputFormat::Escapes) << QStringLiteral("unknown escape") << utf8;
}

void tst_PayloadInput::encodeErrors()
{
    QFETCH(QString, input);
    QFETCH(int, format);
    QFETCH(QString, why);
    QFETCH(int, encoding);
    EncodeOptions options;
    options.format = InputFormat(format);
    options.encoding = TextEncoding(encoding);
    QByteArray out;
    QString error;
    QVERIFY(!encodePayload(input, options, out, &error));
    QVERIFY2(error.contains(why), qPrintable(error));
}

// A message put back into the composer: the form a person would type, and
// exactly the same bytes when sent.
void tst_PayloadInput::typedAgainGivesTheSameBytes_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("format");
    QTest::addColumn<int>("encoding");
    QTest::addColumn<bool>("trailingNul");
    QTest::addColumn<QString>("text");
    const int text = int(InputFormat::Text), escapes = int(InputFormat::Escapes), hex = int(InputFormat::Hex);
    const int utf8 = int(TextEncoding::Utf8), utf16 = int(TextEncoding::Utf16Le);
    QTest::newRow("plain") << QByteArray("Default message from client") << text << utf8 << false
                           << QStringLiteral("Default message from client");
    QTest::newRow("a backslash is typed as it is") << QByteArray("C:\\pipe") << text << utf8 << false
                                                   << QStringLiteral("C:\\pipe");
    QTest::newRow("utf-8") << QByteArray("gr\xc3\xbc\xc3\x9f") << text << utf8 << false << QStringLiteral("grüß");
    QTest::newRow("nul-terminated, as the sample client sends")
        << QByteArray("Default message from client", 28) << text << utf8 << true
        << QStringLiteral("Default message from client");
    QTest::newRow("utf-16le with its nul") << QByteArray("H\0i\0!\0\0\0", 8) << text << utf16 << true << QStringLiteral("Hi!");
    QTest::newRow("a line break and a tab") << QByteArray("GET /\r\n\tx\\y") << escapes << utf8 << false
                                            << QStringLiteral("GET /\\r\\n\\tx\\\\y");
    QTest::newRow("a NUL inside") << QByteArray("a\0b", 3) << escapes << utf8 << false << QStringLiteral("a\\0b");
    QTest::newRow("an escape character") << QByteArray("\x1b[2Jhello") << escapes << utf8 << false
                                         << QStringLiteral("\\u001b[2Jhello");
    QTest::newRow("binary") << QByteArray("\xde\xad\xbe\xef") << hex << utf8 << false << QStringLiteral("de ad be ef");
    QTest::newRow("controls that decode") << QByteArray("\x01\x02\x03\x04", 4) << hex << utf8 << false
                                          << QStringLiteral("01 02 03 04");
    QTest::newRow("empty") << QByteArray() << text << utf8 << false << QString();
    QTest::newRow("only a NUL") << QByteArray("\0", 1) << escapes << utf8 << false << QStringLiteral("\\0");
}

void tst_PayloadInput::typedAgainGivesTheSameBytes()
{
    QFETCH(QByteArray, bytes);
    QFETCH(int, format);
    QFETCH(int, encoding);
    QFETCH(bool, trailingNul);
    QFETCH(QString, text);
    const TypedInput typed = typedInputFor(bytes);
    QCOMPARE(typed.text, text);
    QCOMPARE(int(typed.options.format), format);
    QCOMPARE(int(typed.options.encoding), encoding);
    QCOMPARE(typed.options.trailingNul, trailingNul);
    QByteArray again;
    QString error;
    QVERIFY2(encodePayload(typed.text, typed.options, again, &error), qPrintable(error));
    QCOMPARE(again, bytes);
}

PIPESCOPE_TEST_GUILESS_MAIN(tst_PayloadInput)
#include "tst_payloadinput.moc"
