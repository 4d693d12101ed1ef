#pragma once

#include <QWidget>

class QComboBox;
class QLineEdit;
class QTableView;
class QToolButton;

namespace PipeScope {

class ElidedLabel;
class FindMatches;
class TrafficFilter;
class TrafficModel;

// Above a traffic table: which events to show (all, in, out, messages,
// connection events) and a pattern (text in UTF-8 or UTF-16LE, hex bytes,
// or a regex; matching case or not) that either filters the rows, as the
// user types, or finds among them (Enter, F3 and Shift+F3 jump between
// matches, and the bar says which: "3 of 41"). A wrong pattern is said beside the field, and the filter in
// force stays. Ctrl+F and F3 act anywhere in `pane`.
class FilterBar : public QWidget
{
    Q_OBJECT
public:
    FilterBar(TrafficModel *model, QTableView *table, QWidget *pane);

    QLineEdit *edit() const { return m_text; }
    QComboBox *mode() const { return m_mode; }
    QComboBox *direction() const { return m_direction; }
    QComboBox *findMode() const { return m_findMode; }
    QToolButton *matchCase() const { return m_matchCase; }

    // Applies the bar as it is set now.
    void apply();
    // Selects the next (previous) match of the pattern: in Find mode, among
    // every row; filtering, the next row shown.
    void findNext(bool forward);

private:
    void addShortcuts(QWidget *pane);
    bool isFinding() const;
    void updatePlaceholder();
    // The pattern as the bar sets it; false (and said) when it is wrong.
    bool readPattern(TrafficFilter &filter, int directions);
    // Find mode: the pattern given to the match count; false if it is
    // wrong (and said) or empty.
    bool updateMatches();
    // "41 matches", and how many rows were not searched.
    QString matchesText(qsizetype number = 0);

    TrafficModel *m_model;
    QTableView *m_table;
    QComboBox *m_direction;
    QComboBox *m_findMode;
    QComboBox *m_mode;
    QLineEdit *m_text;
    QToolButton *m_matchCase;
    ElidedLabel *m_status;
    FindMatches *m_matches;
};

} // namespace PipeScope
