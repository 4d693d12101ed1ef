#pragma once

#include "elidedlabel.h"

#include <QElapsedTimer>

#include <deque>

namespace PipeScope {

class Workspace;

// The status bar's summary: endpoints (running), messages and bytes in
// and out, the rate over the last second, memory held, and what is on disk
// only. Totals and the rate follow new traffic within a quarter of a
// second; the rate is over the last second, sliding (a tick each second
// brings it down to 0 when traffic stops). While the status bar shows a
// message it asks for at most 50 characters' room, so the message is not
// cut by it; the whole summary is its tooltip.
class StatusSummary : public ElidedLabel
{
    Q_OBJECT
public:
    StatusSummary(Workspace *workspace, QWidget *parent = nullptr);

    // The totals and the rate now.
    void refresh();

signals:
    // The summary was brought up to date (on its own timers too).
    void refreshed();

private:
    void measureRate();

    struct Sample
    {
        qint64 ms;
        quint64 messages;
        quint64 bytes;
    };
    Workspace *m_workspace;
    QElapsedTimer m_clock;
    // Totals as they were over the last second (and one sample before it).
    std::deque<Sample> m_samples;
    QString m_rate;
};

} // namespace PipeScope
