#pragma once

#include <QObject>

#include <vector>

class QAbstractItemView;
class QHeaderView;

namespace PipeScope {

// Keeps one "elastic" column of a view readable at any width: the other
// columns have the widths set when the fitter is made (each from the text
// it shows); the elastic one takes the room left, and when the view is too
// narrow for that to be at least its share of it, the others give up width
// in proportion, none narrower than its header's text while that fits. Once the user drags a
// column's edge, the widths are theirs and the fitter stops.
class ColumnFitter : public QObject
{
    Q_OBJECT
public:
    // How the other columns give up width.
    enum class Shrink {
        Proportionally, // each in proportion to its width
        WidestFirst,    // the widest down to the next widest, and so on: narrow columns stay whole
    };
    // The elastic column keeps at least 1/share of the view's width.
    ColumnFitter(QAbstractItemView *view, QHeaderView *header, int elasticColumn, int share,
                 Shrink shrink = Shrink::Proportionally);

    // No column is made narrower than this, in pixels.
    static constexpr int kNarrowest = 24;

    // Sets the widths for the view's width now (also done on every resize).
    void fit();
    // The widths have been set by the user (or restored from their settings).
    bool userSized() const { return m_userSized; }
    // The widths now are the natural ones, e.g. after a header state was restored.
    void takeNaturalWidths();
    // A column's text changed width (the Time column's form): its natural
    // width, applied at once.
    void setNaturalWidth(int column, int width);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QAbstractItemView *m_view;
    QHeaderView *m_header;
    const QObject *m_viewViewport = nullptr;
    const QObject *m_headerViewport = nullptr;
    int m_elastic;
    int m_share;
    Shrink m_shrink;
    std::vector<int> m_natural;
    bool m_fitting = false;
    bool m_dragging = false; // a mouse button is down on the header
    bool m_userSized = false;
};

} // namespace PipeScope
