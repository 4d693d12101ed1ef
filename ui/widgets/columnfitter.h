#pragma once

#include <QObject>

#include <limits>
#include <vector>

class QAbstractItemView;
class QFontMetrics;
class QHeaderView;
class QTimer;

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
    // The elastic column keeps at least 1/share of the view's width (or,
    // following the contents, what it shows when that is less).
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
    // From now on each other column's natural width is what it shows, the
    // widest of its cells and its header, measured again as the model
    // changes: rows added or removed a moment after, once for a burst;
    // values changed (counts ticking over) at most four times a second.
    // For views of a few hundred rows: measuring reads every row.
    void followContents();
    // Columns that leave the view, in this order, while even the headers
    // of the others do not fit beside the elastic column's share; they
    // come back when there is room. (A tree in a dock of 180 px shows the
    // name and the state rather than five columns of "…".)
    void setDropOrder(std::vector<int> columns);
    // Columns dropped for want of room now.
    const std::vector<int> &dropped() const { return m_dropped; }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void measureContents();
    // Brings the dropped columns back, then drops what must go for
    // `room`: the floors are each column's least width.
    void dropForRoom(int room, const QFontMetrics &metrics);
    int floorOf(int column, const QFontMetrics &metrics) const;

    QAbstractItemView *m_view;
    QHeaderView *m_header;
    const QObject *m_viewViewport = nullptr;
    const QObject *m_headerViewport = nullptr;
    int m_elastic;
    int m_share;
    Shrink m_shrink;
    std::vector<int> m_natural;
    int m_elasticNatural = std::numeric_limits<int>::max(); // measured when following the contents
    std::vector<int> m_dropOrder;
    std::vector<int> m_dropped;
    bool m_fitting = false;
    bool m_dragging = false; // a mouse button is down on the header
    bool m_userSized = false;
    QTimer *m_measure = nullptr; // followContents(): the next measuring
};

} // namespace PipeScope
