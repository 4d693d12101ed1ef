#pragma once

#include <QLabel>

namespace PipeScope {

class Workspace;

// The status bar's summary: endpoints (running), messages and bytes in
// and out, the rate over the last second, memory held, and what is on disk
// only. Totals follow new traffic within a quarter of a second; the rate
// is measured on a one-second tick.
class StatusSummary : public QLabel
{
    Q_OBJECT
public:
    StatusSummary(Workspace *workspace, QWidget *parent = nullptr);

    // The totals now; the rate as last measured.
    void refresh();

signals:
    // The summary was brought up to date (on its own timers too).
    void refreshed();

private:
    void measureRate();

    Workspace *m_workspace;
    // For rates: totals at the last tick.
    quint64 m_lastMessages = 0;
    quint64 m_lastBytes = 0;
    qint64 m_lastTickMs = 0;
    QString m_rate;
};

} // namespace PipeScope
