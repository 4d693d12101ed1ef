#include "elidedlabel.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QStyle>

#include <cmath>

namespace PipeScope {

ElidedLabel::ElidedLabel(int maxChars, QWidget *parent) : QLabel(parent), m_maxChars(maxChars)
{
    setTextFormat(Qt::PlainText);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Preferred);
}

void ElidedLabel::setStatus(const QString &text, const QString &toolTip)
{
    setText(text);
    setToolTip(toolTip.isEmpty() ? text : toolTip);
    updateGeometry();
}

void ElidedLabel::setMaxChars(int maxChars)
{
    if (maxChars == m_maxChars)
        return;
    m_maxChars = maxChars;
    updateGeometry();
}

QSize ElidedLabel::sizeHint() const
{
    // Its margins too: the status bar's counters have some, and were cut
    // by their width with room to spare.
    const QMargins margins = contentsMargins();
    // The exact advance, rounded up: whole pixels lose up to one per
    // character, and elidedText() cuts a text wider than its room by any.
    const int advance = int(std::ceil(QFontMetricsF(font()).horizontalAdvance(text())));
    const int whole = advance + 2 * margin() + margins.left() + margins.right();
    const int room = m_maxChars > 0 ? fontMetrics().averageCharWidth() * m_maxChars : whole;
    return {std::min(whole, room), QLabel::sizeHint().height()};
}

QSize ElidedLabel::minimumSizeHint() const
{
    return {0, QLabel::minimumSizeHint().height()};
}

void ElidedLabel::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    const QRect area = contentsRect().adjusted(margin(), margin(), -margin(), -margin());
    const QString shown = fontMetrics().elidedText(text(), Qt::ElideRight, area.width());
    style()->drawItemText(&painter, area, int(alignment()), palette(), isEnabled(), shown, foregroundRole());
}

} // namespace PipeScope

#include "moc_elidedlabel.cpp"
