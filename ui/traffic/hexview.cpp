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
    m_marked.clear();
    verticalScrollBar()->setValue(0);
    horizontalScrollBar()->setValue(0);
    updateScrollBars();
    viewport()->update();
}

void HexView::setSelectedOffset(qsizetype offset)
{
    if (offset < -1 || offset >= m_data.size() || offset == m_selected)
        return;
    m_selected = offset;
    viewport()->update();
    emit selectedOffsetChanged(offset);
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
    setSelectedOffset(to);
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
    setSelectedOffset(offset);
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

void HexView::paintEvent(QPaintEvent *)
{
    QPainter painter(viewport());
    const int height = lineHeight();
    const qreal width = charWidth();
    const qreal left = kMargin - horizontalScrollBar()->value();
    // Where character position `ch` of a line begins.
    const auto at = [&](int ch) { return left + ch * width; };
    const qsizetype first = verticalScrollBar()->value();
    const qsizetype last = std::min(m_layout.lineCount(), first + viewport()->height() / height + 2);
    const QByteArrayView bytes(m_data);
    const QColor offsetColor = palette().color(QPalette::PlaceholderText);
    if (m_data.isEmpty() && !m_placeholder.isEmpty()) {
        painter.setPen(offsetColor);
        painter.drawText(viewport()->rect().adjusted(kMargin, kMargin, -kMargin, -kMargin),
                         Qt::AlignCenter | Qt::TextWordWrap, m_placeholder);
        return;
    }
    // Marked bytes on a red wash that reads on light and dark palettes.
    const QColor markColor(220, 50, 47, 96);
    auto mark = std::lower_bound(m_marked.cbegin(), m_marked.cend(), m_layout.offsetAt(first, 0),
                                 [](const QPair<qsizetype, qsizetype> &range, qsizetype offset) { return range.second <= offset; });
    const int digits = m_layout.offsetDigits();
    for (qsizetype line = first; line < last; ++line) {
        const int y = kMargin + int(line - first) * height;
        // One byte's cells: `chars` from its hex digits, and its ASCII cell.
        const auto fillByte = [&](int column, int chars, const QColor &color) {
            painter.fillRect(QRectF(at(m_layout.hexCharOf(column)), y, chars * width, height), color);
            painter.fillRect(QRectF(at(m_layout.asciiCharOf(column)), y, width, height), color);
        };
        const qsizetype lineStart = m_layout.offsetAt(line, 0);
        const qsizetype lineEnd = std::min(lineStart + m_layout.bytesPerLine(), qsizetype(m_data.size()));
        for (; mark != m_marked.cend() && mark->first < lineEnd; ++mark) {
            const qsizetype markEnd = std::min(mark->second, lineEnd);
            for (qsizetype offset = std::max(mark->first, lineStart); offset < markEnd; ++offset) {
                const int column = m_layout.columnOf(offset);
                // A run of marked bytes is one band, over the gaps between them.
                const int chars = offset + 1 < markEnd ? m_layout.hexCharOf(column + 1) - m_layout.hexCharOf(column) : 2;
                fillByte(column, chars, markColor);
            }
            if (mark->second > lineEnd)
                break; // goes on into the next line
        }
        if (m_selected >= 0 && m_layout.lineOf(m_selected) == line)
            fillByte(m_layout.columnOf(m_selected), 2, palette().color(QPalette::Highlight));
        // Each byte drawn in its own cells, where the fills above went.
        const QString text = m_layout.lineText(bytes, line);
        const qreal baseline = y + fontMetrics().ascent();
        painter.setPen(offsetColor);
        painter.drawText(QPointF(left, baseline), text.left(digits));
        painter.setPen(palette().color(QPalette::Text));
        for (int column = 0; column < int(lineEnd - lineStart); ++column) {
            painter.drawText(QPointF(at(m_layout.hexCharOf(column)), baseline), text.mid(m_layout.hexCharOf(column), 2));
            painter.drawText(QPointF(at(m_layout.asciiCharOf(column)), baseline), text.mid(m_layout.asciiCharOf(column), 1));
        }
    }
}

} // namespace PipeScope

#include "moc_hexview.cpp"
