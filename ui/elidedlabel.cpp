#include "elidedlabel.h"

#include <QPainter>
#include <QStyle>

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
    const int whole = fontMetrics().horizontalAdvance(text()) + 2 * margin();
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
    const QRect area = contentsRect();
    const QString shown = fontMetrics().elidedText(text(), Qt::ElideRight, area.width());
    style()->drawItemText(&painter, area, int(alignment()), palette(), isEnabled(), shown, foregroundRole());
}

} // namespace PipeScope
