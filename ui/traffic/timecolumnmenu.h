#pragma once

#include "units.h"

#include <QMenu>

namespace PipeScope {

// View ▸ Time Column: the time of day, the date and time, or seconds since
// the first event, for every table; the choice is kept for the next start
// (Settings::timeDisplay()).
class TimeColumnMenu : public QMenu
{
    Q_OBJECT
public:
    explicit TimeColumnMenu(QWidget *parent);

    // The form chosen, or kept from the last run.
    TimeDisplay chosen() const { return m_chosen; }

signals:
    void chosenChanged(PipeScope::TimeDisplay display);

private:
    TimeDisplay m_chosen;
};

} // namespace PipeScope
