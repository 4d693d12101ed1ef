#include "hexview.h"
#include "testmain.h"

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
};

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
