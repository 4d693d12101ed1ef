// one-line previews of payloads, and peer text made safe to print.
#include "payloadpreview.h"
#include "testmain.h"

#include <QRandomGenerator>
#include <QTest>

using namespace PipeScope;

class tst_PayloadPreview : public QObject
{
    Q_OBJECT
private slots:
    void init() { PipeScopeTest::failOnUnexpectedWarnings(); }
    void preview_data();
    void preview();
    void printableText_data();
    void printableText();
    void utf16IsRecognisedInEveryScript_data();
    void utf16IsRecognisedInEveryScript();
    void randomBytesAreNotTakenForUtf16();
};

void tst_PayloadPreview::preview_data()
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

void tst_PayloadPreview::preview()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, expected);
    QCOMPARE(previewPayload(bytes, 10 + (bytes.size() == 200 ? 0 : 90)), expected);
}

void tst_PayloadPreview::utf16IsRecognisedInEveryScript_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("latin") << QStringLiteral("Default message from client.");
    QTest::newRow("cyrillic") << QStringLiteral("Привет, сервер! Как дела?");
    QTest::newRow("chinese") << QStringLiteral("你好，世界。这是一条消息。");
    QTest::newRow("japanese") << QStringLiteral("日本語のテキストです。カタカナも。");
    QTest::newRow("greek and digits") << QStringLiteral("Καλημέρα 2026");
    QTest::newRow("emoji") << QStringLiteral("ok 👍 done");
}

void tst_PayloadPreview::utf16IsRecognisedInEveryScript()
{
    QFETCH(QString, text);
    QByteArray bytes(reinterpret_cast<const char *>(text.utf16()), text.size() * 2);
    QCOMPARE(likelyEncoding(bytes), TextEncoding::Utf16Le);
    QCOMPARE(previewPayload(bytes, 100), QStringLiteral("u\"%1\"").arg(text));
    // As the sample's TCHAR client sends it: with its NUL.
    bytes.append(2, '\0');
    QCOMPARE(likelyEncoding(bytes), TextEncoding::Utf16Le);
    QCOMPARE(previewPayload(bytes, 100), QStringLiteral("u\"%1\\0\"").arg(text));
    // The same text in UTF-8 stays UTF-8.
    QCOMPARE(likelyEncoding(text.toUtf8()), TextEncoding::Utf8);
    QCOMPARE(previewPayload(text.toUtf8(), 100), QStringLiteral("\"%1\"").arg(text));
}

void tst_PayloadPreview::randomBytesAreNotTakenForUtf16()
{
    // Binary messages of 8 to 64 bytes: at most 1 in 100 shown as UTF-16
    // text (13 of these 2000, all of 8 bytes: four Han characters).
    QRandomGenerator random(27);
    int taken = 0;
    constexpr int kMessages = 2000;
    for (int i = 0; i < kMessages; ++i) {
        QByteArray bytes(8 + 2 * int(random.bounded(29)), Qt::Uninitialized);
        for (char &b : bytes)
            b = char(random.bounded(256));
        taken += likelyEncoding(bytes) == TextEncoding::Utf16Le;
    }
    QVERIFY2(taken * 100 <= kMessages, qPrintable(QString::number(taken)));
}

void tst_PayloadPreview::printableText_data()
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

void tst_PayloadPreview::printableText()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    QCOMPARE(printable(text), expected);
    QCOMPARE(printable(QByteArrayView(text.toUtf8())), expected);
}

PIPESCOPE_TEST_GUILESS_MAIN(tst_PayloadPreview)
#include "tst_payloadpreview.moc"
