#pragma once

#include <QObject>

class QTableView;

namespace PipeScope {

class TrafficModel;

// Keeps a traffic table's place as a person left it: following the newest
// rows while the view is at its bottom — however the viewport's height
// changes (a bar appears) — and, across the model's resets (a filter set
// or cleared, Clear and Show Again, the pane hidden and shown), the
// current row, selected or not, and the row at the top. Rows the reset
// took away are simply gone; the rest stays in view, as Wireshark keeps
// the selected packet when a display filter changes.
class ViewPlace : public QObject
{
    Q_OBJECT
public:
    ViewPlace(QTableView *table, TrafficModel *model);

    // Keeps the place as it is now until the model's next reset in which
    // it is active (the pane is hidden: its rows go until it is shown).
    void hold();
    bool isFollowing() const { return m_following; }

private:
    void save();
    void restore();

    QTableView *m_table;
    TrafficModel *m_model;
    bool m_following = true;
    bool m_held = false;
    qsizetype m_current = -1; // store rows
    bool m_currentSelected = false;
    qsizetype m_top = -1;
};

} // namespace PipeScope
