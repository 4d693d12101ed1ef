#pragma once

#include "hexlayout.h"

#include <QAbstractScrollArea>
#include <QByteArray>

class QPainter;

namespace PipeScope {

// A hex dump of one message: offset, hex and ASCII columns. Paints only the
// lines in view, so a 64 MiB message costs what one screenful does.
class HexView : public QAbstractScrollArea
{
    Q_OBJECT
public:
    explicit HexView(QWidget *parent = nullptr);

    void setData(const QByteArray &data);
    // Bytes to mark (the differences of a comparison): [first, end) ranges,
    // ascending; setData() clears them.
    void setMarked(const QList<QPair<qsizetype, qsizetype>> &ranges);
    const QList<QPair<qsizetype, qsizetype>> &marked() const { return m_marked; }
    const QByteArray &data() const { return m_data; }
    const HexLayout &layout() const { return m_layout; }

    // The cursor's byte, or -1.
    qsizetype selectedOffset() const { return m_selected; }
    // Moves the cursor there, the selection with it (one byte).
    void setSelectedOffset(qsizetype offset);
    // Selects from `anchor` to `cursor`, both included, in either order;
    // the cursor is where the data inspector reads.
    void setSelection(qsizetype anchor, qsizetype cursor);
    // The selected bytes: [first, end), empty when nothing is selected.
    QPair<qsizetype, qsizetype> selection() const;
    QByteArray selectedBytes() const;

    // The byte under a point in the viewport, or -1.
    qsizetype offsetAt(QPoint point) const;
    // Shown instead of a dump when there are no bytes.
    void setPlaceholderText(const QString &text);
    QString placeholderText() const { return m_placeholder; }
    // Scrolls so that this byte's line is in view.
    void ensureVisible(qsizetype offset);

    QSize sizeHint() const override;
    // A character cell's width, fractional as the font's advance is: every
    // cell is painted at its own position from this, so the highlight, the
    // marks, the glyphs and the click maths agree at any font and size.
    qreal charWidth() const;

signals:
    void selectedOffsetChanged(qsizetype offset);
    // The cursor or the selection's other end moved, or the data changed.
    void selectionChanged();

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    // Arrows move the cursor; Page Up/Down a screenful; Home/End to the
    // line's ends, with Ctrl to the message's; with Shift, each selects
    // from where the cursor was. Ctrl+A selects everything.
    void keyPressEvent(QKeyEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    using MarkIterator = QList<QPair<qsizetype, qsizetype>>::const_iterator;
    // Where character position `ch` of a line begins, scrolled.
    qreal cellX(int ch) const;
    // A line's marks (from `mark` on, which it advances), selection and
    // cursor; then its offset, hex and ASCII text over them.
    void paintFills(QPainter &painter, qsizetype line, int y, MarkIterator &mark) const;
    void paintLineText(QPainter &painter, qsizetype line, int y) const;
    void updateScrollBars();
    int lineHeight() const;

    QByteArray m_data;
    HexLayout m_layout;
    qsizetype m_selected = -1;
    qsizetype m_anchor = -1; // the selection's other end
    QString m_placeholder;
    QList<QPair<qsizetype, qsizetype>> m_marked;
    mutable qreal m_cellWidth = 0; // charWidth(), for the font now
};

} // namespace PipeScope
