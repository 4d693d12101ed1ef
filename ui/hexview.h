#pragma once

#include "hexlayout.h"

#include <QAbstractScrollArea>
#include <QByteArray>

namespace PipeScope {

// A hex dump of one message: offset, hex and ASCII columns. Paints only the
// lines in view, so a 64 MiB message costs what one screenful does.
class HexView : public QAbstractScrollArea
{
    Q_OBJECT
public:
    explicit HexView(QWidget *parent = nullptr);

    void setData(const QByteArray &data);
    const QByteArray &data() const { return m_data; }
    const HexLayout &layout() const { return m_layout; }

    // The selected byte, or -1.
    qsizetype selectedOffset() const { return m_selected; }
    void setSelectedOffset(qsizetype offset);

    // The byte under a point in the viewport, or -1.
    qsizetype offsetAt(QPoint point) const;

    QSize sizeHint() const override;

signals:
    void selectedOffsetChanged(qsizetype offset);

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;

private:
    void updateScrollBars();
    int lineHeight() const;
    int charWidth() const;

    QByteArray m_data;
    HexLayout m_layout;
    qsizetype m_selected = -1;
};

} // namespace PipeScope
