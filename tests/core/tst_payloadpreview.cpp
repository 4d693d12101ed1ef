// one-line previews of payloads, and peer text made safe to print.
#include "payloadpreview.h"
#include "testmain.h"

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
