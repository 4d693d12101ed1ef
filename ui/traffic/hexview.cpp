#include "hexview.h"

#include <QFontDatabase>
#include <QFontInfo>
#include <QFontMetricsF>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>

#include <QtMath>

#include <algorithm>
#include <cmath>

namespace PipeScope {

namespace {
constexpr int kMargin = 4; // pixels around the text
}

HexView::HexView(QWidget *parent) : QAbstractScrollArea(parent)
{
    // Column positions assume every character is as wide as '0': insist on
    // a fixed-pitch font (the platform's "fixed" font is not always one).
    QFont font = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    if (!QFontInfo(font).fixedPitch()) {
        font.setFamily(QStringLiteral("monospace"));
        font.setStyleHint(QFont::Monospace);
        font.setFixedPitch(true);
    }
    setFont(font);
    viewport()->setBackgroundRole(QPalette::Base);
    setFocusPolicy(Qt::StrongFocus);
    updateScrollBars();
}

void HexView::setData(const QByteArray &data)
{
    m_data = data;
    m_layout = HexLayout(m_data.size());
    m_selected = -1;
    m_anchor = -1;
    m_marked.clear();
    verticalScrollBar()->setValue(0);
    horizontalScrollBar()->setValue(0);
    updateScrollBars();
    viewport()->update();
    emit selectionChanged();
}

void HexView::setSelectedOffset(qsizetype offset)
{
    setSelection(offset, offset);
}

void HexView::setSelection(qsizetype anchor, qsizetype cursor)
{
    if (cursor < -1 || cursor >= m_data.size() || anchor < -1 || anchor >= m_data.size())
        return;
    if (cursor < 0)
        anchor = -1;
    if (cursor == m_selected && anchor == m_anchor)
        return;
    const bool moved = cursor != m_selected;
    m_selected = cursor;
    m_anchor = anchor;
    viewport()->update();
    if (moved)
        emit selectedOffsetChanged(cursor);
    emit selectionChanged();
}

QPair<qsizetype, qsizetype> HexView::selection() const
{
    if (m_selected < 0)
        return {0, 0};
    return {std::min(m_anchor, m_selected), std::max(m_anchor, m_selected) + 1};
}

QByteArray HexView::selectedBytes() const
{
    const auto [first, end] = selection();
    return m_data.mid(first, end - first);
}

void HexView::setPlaceholderText(const QString &text)
{
    m_placeholder = text;
    viewport()->update();
}

void HexView::ensureVisible(qsizetype offset)
{
    if (offset < 0 || offset >= m_data.size())
        return;
    const qsizetype line = m_layout.lineOf(offset);
    const qsizetype first = verticalScrollBar()->value();
    const qsizetype shown = std::max(1, (viewport()->height() - 2 * kMargin) / lineHeight());
    if (line < first)
        verticalScrollBar()->setValue(int(line));
    else if (line >= first + shown)
        verticalScrollBar()->setValue(int(line - shown + 1));
}

void HexView::keyPressEvent(QKeyEvent *event)
{
    if (m_data.isEmpty()) {
        QAbstractScrollArea::keyPressEvent(event);
        return;
    }
    const qsizetype last = m_data.size() - 1;
    const qsizetype at = std::max<qsizetype>(m_selected, 0);
    const qsizetype perLine = m_layout.bytesPerLine();
    const qsizetype page = perLine * std::max(1, viewport()->height() / lineHeight() - 1);
    const bool ctrl = event->modifiers() & Qt::ControlModifier;
    if (event->matches(QKeySequence::SelectAll)) {
        setSelection(0, last);
        return event->accept();
    }
    qsizetype to = -1;
    switch (event->key()) {
    case Qt::Key_Left: to = at - 1; break;
    case Qt::Key_Right: to = at + 1; break;
    case Qt::Key_Up: to = at - perLine; break;
    case Qt::Key_Down: to = at + perLine; break;
    case Qt::Key_PageUp: to = at - page; break;
    case Qt::Key_PageDown: to = at + page; break;
    case Qt::Key_Home: to = ctrl ? 0 : at - at % perLine; break;
    case Qt::Key_End: to = ctrl ? last : at - at % perLine + perLine - 1; break;
    default: QAbstractScrollArea::keyPressEvent(event); return;
    }
    // Moving past either end stops at it.
    to = std::clamp<qsizetype>(to, 0, last);
    const bool extend = (event->modifiers() & Qt::ShiftModifier) && m_selected >= 0;
    setSelection(extend ? m_anchor : to, to);
    ensureVisible(to);
    event->accept();
}

int HexView::lineHeight() const
{
    return fontMetrics().height();
}

qreal HexView::charWidth() const
{
    if (m_cellWidth <= 0) {
        // The widest printable ASCII character: in a fixed-pitch font that
        // is every one; where none is to be had (a bare Wine prefix), the
        // widest ('~', 'W') still fits its cell.
        const QFontMetricsF metrics(font());
        for (char c = 0x20; c < 0x7f; ++c)
            m_cellWidth = std::max(m_cellWidth, metrics.horizontalAdvance(QLatin1Char(c)));
    }
    return m_cellWidth;
}

void HexView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::FontChange) {
        m_cellWidth = 0;
        updateScrollBars();
    }
    QAbstractScrollArea::changeEvent(event);
}

QSize HexView::sizeHint() const
{
    return {qCeil(m_layout.lineWidth() * charWidth()) + 2 * kMargin + verticalScrollBar()->sizeHint().width(),
            10 * lineHeight()};
}

void HexView::updateScrollBars()
{
    const int visibleLines = std::max(1, (viewport()->height() - 2 * kMargin) / lineHeight());
    const qsizetype lines = m_layout.lineCount();
    verticalScrollBar()->setRange(0, int(std::min<qsizetype>(INT_MAX, std::max<qsizetype>(0, lines - visibleLines))));
    verticalScrollBar()->setPageStep(visibleLines);
    verticalScrollBar()->setSingleStep(1);
    const int textWidth = qCeil(m_layout.lineWidth() * charWidth()) + 2 * kMargin;
    horizontalScrollBar()->setRange(0, std::max(0, textWidth - viewport()->width()));
    horizontalScrollBar()->setPageStep(viewport()->width());
}

void HexView::resizeEvent(QResizeEvent *event)
{
    QAbstractScrollArea::resizeEvent(event);
    updateScrollBars();
}

qsizetype HexView::offsetAt(QPoint point) const
{
    const int x = point.x() + horizontalScrollBar()->value() - kMargin;
    const int y = point.y() - kMargin;
    if (x < 0 || y < 0)
        return -1;
    const qsizetype line = verticalScrollBar()->value() + y / lineHeight();
    const int column = m_layout.columnAtChar(int(std::floor(x / charWidth())));
    if (column < 0)
        return -1;
    const qsizetype offset = m_layout.offsetAt(line, column);
    return offset < m_data.size() ? offset : -1;
}

void HexView::mousePressEvent(QMouseEvent *event)
{
    const qsizetype offset = offsetAt(event->position().toPoint());
    if (offset < 0 || event->button() != Qt::LeftButton)
        return QAbstractScrollArea::mousePressEvent(event); // not ours: the parent may use it
    // Shift+click selects from the cursor; a plain click starts afresh,
    // and a drag from it selects.
    const bool extend = (event->modifiers() & Qt::ShiftModifier) && m_selected >= 0;
    setSelection(extend ? m_anchor : offset, offset);
    event->accept();
}

void HexView::mouseMoveEvent(QMouseEvent *event)
{
    if (!(event->buttons() & Qt::LeftButton) || m_selected < 0)
        return QAbstractScrollArea::mouseMoveEvent(event);
    if (const qsizetype offset = offsetAt(event->position().toPoint()); offset >= 0)
        setSelection(m_anchor, offset);
    event->accept();
}

void HexView::mouseReleaseEvent(QMouseEvent *event)
{
    // The release that ends a click on a byte.
    if (event->button() == Qt::LeftButton && offsetAt(event->position().toPoint()) >= 0)
        return event->accept();
    QAbstractScrollArea::mouseReleaseEvent(event);
}

void HexView::setMarked(const QList<QPair<qsizetype, qsizetype>> &ranges)
{
    m_marked = ranges;
    viewport()->update();
}

qreal HexView::cellX(int ch) const
{
    return kMargin - horizontalScrollBar()->value() + ch * charWidth();
}

void HexView::paintEvent(QPaintEvent *)
{
    QPainter painter(viewport());
    if (m_data.isEmpty() && !m_placeholder.isEmpty()) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(viewport()->rect().adjusted(kMargin, kMargin, -kMargin, -kMargin),
                         Qt::AlignCenter | Qt::TextWordWrap, m_placeholder);
        return;
    }
    const int height = lineHeight();
    const qsizetype first = verticalScrollBar()->value();
    const qsizetype last = std::min(m_layout.lineCount(), first + viewport()->height() / height + 2);
    auto mark = std::lower_bound(m_marked.cbegin(), m_marked.cend(), m_layout.offsetAt(first, 0),
                                 [](const QPair<qsizetype, qsizetype> &range, qsizetype offset) { return range.second <= offset; });
    for (qsizetype line = first; line < last; ++line) {
        const int y = kMargin + int(line - first) * height;
        paintFills(painter, line, y, mark);
        paintLineText(painter, line, y);
    }
}

void HexView::paintFills(QPainter &painter, qsizetype line, int y, MarkIterator &mark) const
{
    const qreal width = charWidth();
    const int height = lineHeight();
    // One byte's cells: `chars` from its hex digits, and its ASCII cell.
    const auto fillByte = [&](int column, int chars, const QColor &color) {
        painter.fillRect(QRectF(cellX(m_layout.hexCharOf(column)), y, chars * width, height), color);
        painter.fillRect(QRectF(cellX(m_layout.asciiCharOf(column)), y, width, height), color);
    };
    const qsizetype lineStart = m_layout.offsetAt(line, 0);
    const qsizetype lineEnd = std::min(lineStart + m_layout.bytesPerLine(), qsizetype(m_data.size()));
    // The bytes [from, to) of this line as one band, over the gaps between
    // them.
    const auto band = [&](qsizetype from, qsizetype to, const QColor &color) {
        to = std::min(to, lineEnd);
        for (qsizetype offset = std::max(from, lineStart); offset < to; ++offset) {
            const int column = m_layout.columnOf(offset);
            fillByte(column, offset + 1 < to ? m_layout.hexCharOf(column + 1) - m_layout.hexCharOf(column) : 2, color);
        }
    };
    // Marked bytes on a red wash that reads on light and dark palettes.
    for (; mark != m_marked.cend() && mark->first < lineEnd; ++mark) {
        band(mark->first, mark->second, QColor(220, 50, 47, 96));
        if (mark->second > lineEnd)
            break; // goes on into the next line
    }
    if (m_selected < 0)
        return;
    // The selection on a wash of the highlight; the cursor's byte in it.
    QColor selectionColor = palette().color(QPalette::Highlight);
    selectionColor.setAlpha(80);
    const auto [from, to] = selection();
    if (to - from > 1)
        band(from, to, selectionColor);
    if (m_layout.lineOf(m_selected) == line)
        fillByte(m_layout.columnOf(m_selected), 2, palette().color(QPalette::Highlight));
}

void HexView::paintLineText(QPainter &painter, qsizetype line, int y) const
{
    // Each byte drawn in its own cells, where the fills went.
    const QString text = m_layout.lineText(QByteArrayView(m_data), line);
    const qreal baseline = y + fontMetrics().ascent();
    painter.setPen(palette().color(QPalette::PlaceholderText));
    painter.drawText(QPointF(cellX(0), baseline), text.left(m_layout.offsetDigits()));
    painter.setPen(palette().color(QPalette::Text));
    const qsizetype lineStart = m_layout.offsetAt(line, 0);
    const int bytes = int(std::min(lineStart + m_layout.bytesPerLine(), qsizetype(m_data.size())) - lineStart);
    for (int column = 0; column < bytes; ++column) {
        painter.drawText(QPointF(cellX(m_layout.hexCharOf(column)), baseline), text.mid(m_layout.hexCharOf(column), 2));
        painter.drawText(QPointF(cellX(m_layout.asciiCharOf(column)), baseline), text.mid(m_layout.asciiCharOf(column), 1));
    }
}

} // namespace PipeScope

#include "moc_hexview.cpp"
