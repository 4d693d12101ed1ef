#pragma once

#include <QLabel>

namespace PipeScope {

// A one-line label that never widens its window: however long its text,
// it asks for no more than `maxChars` characters' room (0: no more than
// its text) and shrinks to nothing, eliding what does not fit; the whole
// text is its tooltip.
// QLabel's size hint is its whole text, so a long status (a regex error,
// "… not searched …") pushed a window wider than the screen and squeezed
// its docks.
class ElidedLabel : public QLabel
{
    Q_OBJECT
public:
    explicit ElidedLabel(int maxChars, QWidget *parent = nullptr);

    // Plain text only; the tooltip is the text unless one is set after.
    void setStatus(const QString &text, const QString &toolTip = {});
    // The room it asks for, in characters; 0: its whole text.
    void setMaxChars(int maxChars);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    int m_maxChars;
};

} // namespace PipeScope
