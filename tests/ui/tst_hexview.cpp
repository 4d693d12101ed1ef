#include "hexview.h"
#include "testmain.h"

#include <QFontMetricsF>
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

PIPESCOPE_TEST_MAIN(tst_HexView)
#include "tst_hexview.moc"
