// MessageDetailView: the selected message as hex and as text, without a
// window or a table around it.
#include "hexview.h"
#include "messagedetailview.h"
#include "testmain.h"

#include <QComboBox>
#include <QPlainTextEdit>
#include <QTest>

using namespace PipeScope;

class tst_MessageDetailView : public QObject
{
    Q_OBJECT
private slots:
    void init() { PipeScopeTest::failOnUnexpectedWarnings(); }
    void automaticDecodesAsThePreviewColumnDoes();
    void binaryIsSaidToBeBinaryUntilAnEncodingIsChosen();
    void aLongMessagesTextStopsAtOneMebibyte();
    void anEventThatIsNotAMessageIsSaidInWords();
    void aMessageOnDiskIsSaidToBeReadThenShown();
    void nothingSelectedShowsNothing();
};

void tst_MessageDetailView::automaticDecodesAsThePreviewColumnDoes()
{
    MessageDetailView view;
    view.showMessage("hello");
    QCOMPARE(view.hexView()->data(), QByteArray("hello"));
    QCOMPARE(view.textView()->toPlainText(), QStringLiteral("hello"));
    QCOMPARE(view.encodingChoice()->currentText(), QStringLiteral("Automatic (UTF-8)"));
    const QByteArray utf16("h\0i\0", 4);
    view.showMessage(utf16);
    QCOMPARE(view.textView()->toPlainText(), QStringLiteral("hi"));
    QCOMPARE(view.encodingChoice()->currentText(), QStringLiteral("Automatic (UTF-16LE)"));
    QCOMPARE(view.encodingFor(utf16), TextEncoding::Utf16Le);
    // An encoding chosen is the one used, for the pane and for copies.
    view.encodingChoice()->setCurrentIndex(
        view.encodingChoice()->findData(int(TextEncoding::Utf8)));
    QCOMPARE(view.encodingFor(utf16), TextEncoding::Utf8);
    QCOMPARE(view.textView()->toPlainText(), QString::fromUtf8(utf16));
}

void tst_MessageDetailView::binaryIsSaidToBeBinaryUntilAnEncodingIsChosen()
{
    MessageDetailView view;
    view.showMessage(QByteArray("\xff\xfe\x80", 3));
    QVERIFY2(view.textView()->toPlainText().startsWith(QLatin1String("Binary data (3 B)")),
             qPrintable(view.textView()->toPlainText()));
    QCOMPARE(view.encodingChoice()->currentText(), QStringLiteral("Automatic"));
    view.encodingChoice()->setCurrentIndex(
        view.encodingChoice()->findData(int(TextEncoding::Latin1)));
    QCOMPARE(view.textView()->toPlainText(),
             QString::fromLatin1(QByteArray("\xff\xfe\x80", 3)));
}

void tst_MessageDetailView::aLongMessagesTextStopsAtOneMebibyte()
{
    MessageDetailView view;
    const QByteArray big((1 << 20) + 10, 'a');
    view.showMessage(big);
    QCOMPARE(view.hexView()->data().size(), big.size()); // the Hex tab has it all
    const QString text = view.textView()->toPlainText();
    QVERIFY(text.startsWith(QString(1 << 20, QLatin1Char('a')) + QLatin1Char('\n')));
    QVERIFY2(text.endsWith(QLatin1String("more; the hex pane shows all]")),
             qPrintable(text.right(60)));
}

void tst_MessageDetailView::anEventThatIsNotAMessageIsSaidInWords()
{
    MessageDetailView view;
    view.showMessage("before");
    view.showOtherEvent(QStringLiteral("connected"), QStringLiteral("process 42"));
    QVERIFY(view.hexView()->data().isEmpty());
    QVERIFY(view.hexView()->placeholderText().contains(
        QLatin1String("connected event carries no message")));
    QCOMPARE(view.textView()->toPlainText(), QStringLiteral("connected: process 42"));
    // The encoding changed meanwhile leaves the words as they are.
    view.encodingChoice()->setCurrentIndex(
        view.encodingChoice()->findData(int(TextEncoding::Latin1)));
    QCOMPARE(view.textView()->toPlainText(), QStringLiteral("connected: process 42"));
    // A message after it is decoded again.
    view.showMessage("after");
    QCOMPARE(view.textView()->toPlainText(), QStringLiteral("after"));
}

void tst_MessageDetailView::aMessageOnDiskIsSaidToBeReadThenShown()
{
    MessageDetailView view;
    view.showReading(QStringLiteral("/tmp/journal"));
    QVERIFY(view.hexView()->data().isEmpty());
    QCOMPARE(view.textView()->toPlainText(),
             QStringLiteral("Reading this message from /tmp/journal…"));
    view.showUnreadable(QStringLiteral("the journal is gone"));
    QCOMPARE(view.textView()->toPlainText(),
             QStringLiteral("Cannot show this message: the journal is gone"));
    view.showMessage("read");
    QCOMPARE(view.textView()->toPlainText(), QStringLiteral("read"));
}

void tst_MessageDetailView::nothingSelectedShowsNothing()
{
    MessageDetailView view;
    view.showMessage("something");
    view.showNothing();
    QVERIFY(view.hexView()->data().isEmpty());
    QCOMPARE(view.hexView()->placeholderText(),
             QStringLiteral("Select a message to see its bytes"));
    QVERIFY(view.textView()->toPlainText().isEmpty());
}

PIPESCOPE_TEST_MAIN(tst_MessageDetailView)
#include "tst_messagedetailview.moc"
