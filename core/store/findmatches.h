#pragma once

#include "trafficfilter.h"

#include <QList>
#include <QObject>

namespace PipeScope {

class TrafficModel;

// Find in a traffic view: the rows whose message a pattern matches, so
// that a step can say which match it reached and of how many ("3 of 41").
// The rows are counted once per pattern, then only those appended since
// (a live capture grows at its end); a reset or removal counts again.
// Messages whose bytes are on disk only are not looked into, and counted
// apart.
class FindMatches : public QObject
{
    Q_OBJECT
public:
    explicit FindMatches(TrafficModel *model, QObject *parent = nullptr);

    struct Step
    {
        int row = -1;         // the match reached, or -1 if there is none
        qsizetype number = 0; // its place among the matches, from 1
        qsizetype total = 0;  // matches in the view
    };

    // A pattern other than the one counted starts the count again.
    void setPattern(const TrafficFilter &pattern, const QString &key);
    // The next match after row `from` (the previous, !forward), round the
    // end; from -1, the first (the last).
    Step step(int from, bool forward);
    // Every match in the view now.
    qsizetype total();
    // Rows not looked into: their bytes are on disk only.
    qsizetype unsearched();

private:
    void invalidate();
    // Looks at the rows appended since the last count.
    void catchUp();

    TrafficModel *m_model;
    TrafficFilter m_pattern;
    QString m_key;
    QList<int> m_rows; // matching rows, ascending
    int m_counted = 0; // rows looked at
    qsizetype m_unsearched = 0;
};

} // namespace PipeScope
