#include "findmatches.h"
#include "trafficmodel.h"

#include <algorithm>

namespace PipeScope {

FindMatches::FindMatches(TrafficModel *model, QObject *parent) : QObject(parent), m_model(model)
{
    connect(model, &QAbstractItemModel::modelReset, this, &FindMatches::invalidate);
    connect(model, &QAbstractItemModel::rowsRemoved, this, &FindMatches::invalidate);
    connect(model, &QAbstractItemModel::layoutChanged, this, &FindMatches::invalidate);
    connect(model, &QAbstractItemModel::rowsInserted, this, [this](const QModelIndex &, int first) {
        // Appended rows are counted when next asked; rows put before
        // counted ones move them: count again.
        if (first < m_counted)
            invalidate();
    });
}

void FindMatches::setPattern(const TrafficFilter &pattern, const QString &key)
{
    if (key == m_key)
        return;
    m_pattern = pattern;
    m_key = key;
    invalidate();
}

void FindMatches::invalidate()
{
    m_rows.clear();
    m_counted = 0;
    m_unsearched = 0;
}

void FindMatches::catchUp()
{
    if (!m_pattern.hasPattern())
        return;
    const int rows = m_model->rowCount();
    for (; m_counted < rows; ++m_counted) {
        switch (m_model->rowMatches(m_counted, m_pattern)) {
        case TrafficModel::Match::Yes:
            m_rows.append(m_counted);
            break;
        case TrafficModel::Match::Unknown:
            ++m_unsearched;
            break;
        case TrafficModel::Match::No:
            break;
        }
    }
}

qsizetype FindMatches::total()
{
    catchUp();
    return m_rows.size();
}

qsizetype FindMatches::unsearched()
{
    catchUp();
    return m_unsearched;
}

FindMatches::Step FindMatches::step(int from, bool forward)
{
    catchUp();
    Step step;
    step.total = m_rows.size();
    if (m_rows.isEmpty())
        return step;
    qsizetype at;
    if (forward) {
        // The first match after `from`, or round to the first.
        const auto it = std::upper_bound(m_rows.cbegin(), m_rows.cend(), from);
        at = it == m_rows.cend() ? 0 : it - m_rows.cbegin();
    } else {
        // The last match before `from` (from -1: the last), or round.
        const int before = from < 0 ? m_model->rowCount() : from;
        const auto it = std::lower_bound(m_rows.cbegin(), m_rows.cend(), before);
        at = it == m_rows.cbegin() ? m_rows.size() - 1 : (it - m_rows.cbegin()) - 1;
    }
    step.row = m_rows.at(at);
    step.number = at + 1;
    return step;
}

} // namespace PipeScope

#include "moc_findmatches.cpp"
