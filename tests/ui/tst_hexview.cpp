#include "hexpage.h"
#include "hexview.h"
#include "testmain.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QFontMetricsF>
#include <QLabel>
#include <QSplitter>
#include <QTreeWidget>
#include <QImage>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTest>

using namespace PipeScope;

class tst_HexView : public QObject
{
    Q_OBJECT
private slots:
    void init() { PipeScopeTest::failOnUnexpectedWarnings(); }
    void scrollsOverEveryLine();
    void clickSelectsTheByteUnderIt();
    void keysMoveTheSelectedByteAndTheViewFollows();
    void highlightsCoverTheirBytesGlyphs_data();
    void highlightsCoverTheirBytesGlyphs();
    void shiftAndDragSelectARange();
    void thePageSaysWhereAndWhatTheBytesRead();
    void theInspectorGivesWayWhenNarrow();
};

namespace {

// The horizontal extent, [first, last] pixel, of where two pictures differ,
// left of `split` and from it on; {-1, -1} where they do not.
struct Extents
{
    QPair<int, int> left{-1, -1};
    QPair<int, int> right{-1, -1};
};

Extents differences(const QImage &a, const QImage &b, int split)
{
    Extents e;
    for (int y = 0; y < a.height(); ++y)
        for (int x = 0; x < a.width(); ++x) {
            if (a.pixel(x, y) == b.pixel(x, y))
                continue;
            QPair<int, int> &range = x < split ? e.left : e.right;
            range.first = range.first < 0 ? x : std::min(range.first, x);
            range.second = std::max(range.second, x);
        }
    return e;
}

bool within(QPair<int, int> inner, QPair<int, int> outer)
{
    // A pixel of slack either side: glyphs and fills are antialiased.
    return inner.first >= 0 && outer.first >= 0 && inner.first >= outer.first - 1 && inner.second <= outer.second + 1;
}

} // namespace

void tst_HexView::keysMoveTheSelectedByteAndTheViewFollows()
{
    HexView view;
    view.resize(700, 300);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setData(QByteArray(16 * 1000, 'z')); // 1000 lines
    view.setFocus();
    QTest::keyClick(&view, Qt::Key_Right);
    QCOMPARE(view.selectedOffset(), 1);
    QTest::keyClick(&view, Qt::Key_Down);
    QCOMPARE(view.selectedOffset(), 17);
    QTest::keyClick(&view, Qt::Key_End);
    QCOMPARE(view.selectedOffset(), 31);
    QTest::keyClick(&view, Qt::Key_Home);
    QCOMPARE(view.selectedOffset(), 16);
    // Ctrl+End: the last byte, scrolled into view.
    QTest::keyClick(&view, Qt::Key_End, Qt::ControlModifier);
    QCOMPARE(view.selectedOffset(), 16 * 1000 - 1);
    QCOMPARE(view.verticalScrollBar()->value(), view.verticalScrollBar()->maximum());
    // Past the end stays at it.
    QTest::keyClick(&view, Qt::Key_PageDown);
    QCOMPARE(view.selectedOffset(), 16 * 1000 - 1);
    QTest::keyClick(&view, Qt::Key_PageUp);
    QVERIFY(view.selectedOffset() < 16 * 1000 - 16 * 5);
    QTest::keyClick(&view, Qt::Key_Home, Qt::ControlModifier);
    QCOMPARE(view.selectedOffset(), 0);
    QCOMPARE(view.verticalScrollBar()->value(), 0);
}

void tst_HexView::highlightsCoverTheirBytesGlyphs_data()
{
    QTest::addColumn<int>("pixelSize");
    for (const int size : {9, 11, 12, 13, 14, 15, 17, 19, 23})
        QTest::addRow("%d px", size) << size;
}

// The widget as painted: where the selected (or a marked) byte's highlight
// goes in both columns, its glyphs are, for every column of a line.
void tst_HexView::highlightsCoverTheirBytesGlyphs()
{
    QFETCH(int, pixelSize);
    HexView view;
    QFont font = view.font();
    font.setPixelSize(pixelSize);
    view.setFont(font);
    QPalette palette = view.palette();
    palette.setColor(QPalette::Base, Qt::white);
    palette.setColor(QPalette::Text, Qt::black);
    palette.setColor(QPalette::Highlight, QColor(0, 200, 0));
    view.setPalette(palette);
    view.resize(view.sizeHint().width() + 40, 120);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    const HexLayout &layout = view.layout();
    const auto grab = [&] { return view.viewport()->grab().toImage(); };
    for (int column = 0; column < 16; ++column) {
        // "20" and ' ' everywhere; "7e" and '~' at the column.
        const QByteArray spaces(16, ' ');
        QByteArray tilde = spaces;
        tilde[column] = '~';
        view.setData(spaces);
        const QImage plain = grab();
        view.setData(tilde);
        const QImage glyphs = grab();
        view.setSelectedOffset(column);
        const QImage selected = grab();
        view.setSelectedOffset(-1);
        view.setMarked({{column, column + 1}});
        const QImage marked = grab();
        // Between the hex column's end and the ASCII column.
        const int split = 4 + int(view.charWidth() * (layout.asciiStart() - 1));
        const Extents ink = differences(plain, glyphs, split);
        for (const QImage &lit : {selected, marked}) {
            const Extents fill = differences(glyphs, lit, split);
            QVERIFY2(within(ink.left, fill.left) && within(ink.right, fill.right),
                     qPrintable(QStringLiteral("column %1: glyphs at %2-%3 and %4-%5, highlight at %6-%7 and %8-%9")
                                    .arg(column)
                                    .arg(ink.left.first).arg(ink.left.second).arg(ink.right.first).arg(ink.right.second)
                                    .arg(fill.left.first).arg(fill.left.second).arg(fill.right.first).arg(fill.right.second)));
        }
    }
}

void tst_HexView::scrollsOverEveryLine()
{
    HexView view;
    view.resize(700, 300);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setData(QByteArray(1 << 20, 'x')); // 65536 lines
    const int visible = view.verticalScrollBar()->pageStep();
    QVERIFY(visible > 1);
    QCOMPARE(view.verticalScrollBar()->maximum(), 65536 - visible);
    view.setData(QByteArray("tiny"));
    QCOMPARE(view.verticalScrollBar()->maximum(), 0);
}

void tst_HexView::clickSelectsTheByteUnderIt()
{
    HexView view;
    view.resize(700, 300);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setData(QByteArray(100, 'y'));
    QSignalSpy selected(&view, &HexView::selectedOffsetChanged);
    // Byte 0x13 = line 1, column 3: find its hex digits by scanning the viewport.
    QPoint target;
    for (int x = 0; x < view.viewport()->width() && target.isNull(); ++x)
        for (int y = 0; y < view.viewport()->height() && target.isNull(); y += 2)
            if (view.offsetAt(QPoint(x, y)) == 0x13)
                target = QPoint(x, y);
    QVERIFY(!target.isNull());
    QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, target);
    QCOMPARE(selected.size(), 1);
    QCOMPARE(view.selectedOffset(), qsizetype(0x13));
    view.setData(QByteArray("new"));
    QCOMPARE(view.selectedOffset(), qsizetype(-1));
}

namespace {
// A point over byte `offset`'s hex digits.
QPoint pointOf(const HexView &view, qsizetype offset)
{
    for (int y = 0; y < view.viewport()->height(); y += 2)
        for (int x = 0; x < view.viewport()->width(); ++x)
            if (view.offsetAt(QPoint(x, y)) == offset)
                return {x, y};
    return {};
}
} // namespace

void tst_HexView::shiftAndDragSelectARange()
{
    HexView view;
    view.resize(700, 300);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setData(QByteArray(100, 'y'));
    QCOMPARE(view.selection(), (QPair<qsizetype, qsizetype>{0, 0})); // nothing
    view.setFocus();
    view.setSelectedOffset(4);
    QCOMPARE(view.selection(), (QPair<qsizetype, qsizetype>{4, 5}));
    // Shift+arrows select from where the cursor was, either way.
    QTest::keyClick(&view, Qt::Key_Right, Qt::ShiftModifier);
    QTest::keyClick(&view, Qt::Key_Right, Qt::ShiftModifier);
    QCOMPARE(view.selection(), (QPair<qsizetype, qsizetype>{4, 7}));
    QCOMPARE(view.selectedOffset(), 6);
    QTest::keyClick(&view, Qt::Key_Up, Qt::ShiftModifier);
    QCOMPARE(view.selection(), (QPair<qsizetype, qsizetype>{0, 5})); // clamped at 0
    // A plain key starts afresh.
    QTest::keyClick(&view, Qt::Key_Down);
    QCOMPARE(view.selection(), (QPair<qsizetype, qsizetype>{16, 17}));
    // Shift+click, and a drag.
    QTest::mouseClick(view.viewport(), Qt::LeftButton, Qt::ShiftModifier, pointOf(view, 0x25));
    QCOMPARE(view.selection(), (QPair<qsizetype, qsizetype>{16, 0x26}));
    QTest::mousePress(view.viewport(), Qt::LeftButton, {}, pointOf(view, 0x30));
    QMouseEvent move(QEvent::MouseMove, pointOf(view, 0x22), view.viewport()->mapToGlobal(pointOf(view, 0x22)),
                     Qt::NoButton, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(view.viewport(), &move);
    QTest::mouseRelease(view.viewport(), Qt::LeftButton, {}, pointOf(view, 0x22));
    QCOMPARE(view.selection(), (QPair<qsizetype, qsizetype>{0x22, 0x31}));
    QCOMPARE(view.selectedBytes(), QByteArray(15, 'y'));
    // Ctrl+A: everything; new data: nothing.
    QTest::keyClick(&view, Qt::Key_A, Qt::ControlModifier);
    QCOMPARE(view.selection(), (QPair<qsizetype, qsizetype>{0, 100}));
    view.setData(QByteArray("new"));
    QCOMPARE(view.selection(), (QPair<qsizetype, qsizetype>{0, 0}));
}

void tst_HexView::thePageSaysWhereAndWhatTheBytesRead()
{
    HexPage page([](QByteArrayView) { return TextEncoding::Utf8; });
    page.resize(1400, 300);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    HexView *view = page.hexView();
    view->setData(QByteArray::fromHex("0300616263") + QByteArray(50, 'z'));
    QCOMPARE(page.readout()->text(), QStringLiteral("55 bytes"));
    QCOMPARE(page.inspector()->topLevelItem(0)->text(0), QStringLiteral("Click a byte to read what it starts"));
    view->setSelectedOffset(1);
    QCOMPARE(page.readout()->text(), QStringLiteral("Offset 0x1 (1) of 55 bytes"));
    // The inspector reads from the cursor: 00 61 → 24832 little-endian, 97 big.
    const auto row = [&](const QString &type) {
        const QList<QTreeWidgetItem *> found = page.inspector()->findItems(type, Qt::MatchExactly);
        return found.isEmpty() ? QString() : found[0]->text(1);
    };
    QCOMPARE(row(QStringLiteral("uint16")), QStringLiteral("24832"));
    page.byteOrder()->setCurrentIndex(1);
    QCOMPARE(row(QStringLiteral("uint16")), QStringLiteral("97"));
    view->setSelectedOffset(0);
    QCOMPARE(row(QStringLiteral("string (u8 length)")), QStringLiteral("\"\\x00ab\""));
    QCOMPARE(row(QStringLiteral("uint8")), QStringLiteral("3")); // one byte: no order
    page.byteOrder()->setCurrentIndex(0);
    // Near the end, what does not fit is said.
    view->setSelectedOffset(54);
    QCOMPARE(row(QStringLiteral("uint16")), QStringLiteral("—"));
    // A range: both ends, its length, the cursor; copied in each format.
    view->setSelection(2, 4);
    QCOMPARE(page.readout()->text(), QStringLiteral("Selected 0x2 (2) to 0x4 (4): 3 bytes of 55 · cursor at 0x4 (4)"));
    const auto copy = [&](const char *name) {
        QAction *action = view->findChild<QAction *>(QString::fromLatin1(name));
        if (!action || !action->isEnabled())
            return QStringLiteral("(none)");
        action->trigger();
        return QApplication::clipboard()->text();
    };
    QCOMPARE(copy("copyBytes1"), QStringLiteral("61 62 63")); // hex, Ctrl+C
    QCOMPARE(view->findChild<QAction *>(QStringLiteral("copyBytes1"))->shortcut(), QKeySequence(QKeySequence::Copy));
    QCOMPARE(copy("copyBytes0"), QStringLiteral("abc"));
    QCOMPARE(copy("copyBytes3"), QStringLiteral("YWJj"));
    QVERIFY(copy("copyBytes2").startsWith(QLatin1String("const unsigned char data[3]")));
    view->setData({});
    QCOMPARE(copy("copyBytes1"), QStringLiteral("(none)"));
}

void tst_HexView::theInspectorGivesWayWhenNarrow()
{
    HexPage page([](QByteArrayView) { return TextEncoding::Utf8; });
    page.resize(1400, 300);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    auto *splitter = page.findChild<QSplitter *>();
    // Wide: the dump whole, the inspector beside it.
    QTRY_VERIFY(splitter->sizes().at(1) > 0);
    QVERIFY(splitter->sizes().at(0) >= page.hexView()->sizeHint().width());
    // Narrow: the dump keeps the room.
    QVERIFY(page.byteOrder()->isVisible());
    page.resize(600, 300);
    QTRY_COMPARE(splitter->sizes().at(1), 0);
    QVERIFY(!page.byteOrder()->isVisible());
    page.resize(1400, 300);
    QTRY_VERIFY(splitter->sizes().at(1) > 0);
    QVERIFY(page.byteOrder()->isVisible());
}

PIPESCOPE_TEST_MAIN(tst_HexView)
#include "tst_hexview.moc"
