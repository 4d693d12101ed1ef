#include "statussummary.h"

#include "trafficstore.h"
#include "units.h"
#include "workspace.h"

#include <QDateTime>
#include <QTimer>

namespace PipeScope {

namespace {
constexpr int kTickMs = 1000;
constexpr int kSoonMs = 250;
// A rate over less than this says little.
constexpr int kMinSpanMs = 200;
} // namespace

StatusSummary::StatusSummary(Workspace *workspace, QWidget *parent) : ElidedLabel(0, parent), m_workspace(workspace)
{
    setObjectName(QStringLiteral("statusSummary"));
    m_clock.start();
    auto *tick = new QTimer(this);
    tick->setInterval(kTickMs);
    connect(tick, &QTimer::timeout, this, &StatusSummary::refresh);
    tick->start();
    auto *soon = new QTimer(this);
    soon->setSingleShot(true);
    soon->setInterval(kSoonMs);
    connect(soon, &QTimer::timeout, this, &StatusSummary::refresh);
    connect(m_workspace->store(), &TrafficStore::appended, soon, [soon] {
        if (!soon->isActive())
            soon->start();
    });
    connect(m_workspace, &Workspace::endpointAdded, this, &StatusSummary::refresh);
    connect(m_workspace, &Workspace::endpointChanged, this, &StatusSummary::refresh);
    refresh();
}

// The rate over the last second: from the oldest total at most a second
// old (or, at the start of a burst, the last one before it) to now.
void StatusSummary::measureRate()
{
    const TrafficStore::InstanceStats totals = m_workspace->store()->totals();
    const Sample now{m_clock.elapsed(), totals.messagesIn + totals.messagesOut, totals.bytesIn + totals.bytesOut};
    while (m_samples.size() > 1 && now.ms - m_samples[1].ms >= kTickMs)
        m_samples.pop_front();
    if (!m_samples.empty() && now.ms - m_samples.front().ms >= kMinSpanMs &&
        now.messages >= m_samples.front().messages) {
        const Sample &from = m_samples.front();
        const double seconds = double(now.ms - from.ms) / 1000.0;
        m_rate = tr(" · %1 msg/s, %2/s")
                     .arg(double(now.messages - from.messages) / seconds, 0, 'f', 0)
                     .arg(formatSize(quint64(double(now.bytes - from.bytes) / seconds)));
    }
    m_samples.push_back(now);
}

void StatusSummary::refresh()
{
    measureRate();
    const TrafficStore *store = m_workspace->store();
    const TrafficStore::InstanceStats totals = store->totals();
    int running = 0;
    for (quint32 id : m_workspace->endpointIds()) {
        const auto state = m_workspace->endpoint(id)->state;
        running += state == Workspace::State::Listening || state == Workspace::State::Connected;
    }
    QString text = tr("%1 (%2 running) · %3 in, %4 out (%5 / %6)%7 · %8 held")
                       .arg(counted(m_workspace->endpointIds().size(), tr("endpoint"), tr("endpoints")))
                       .arg(running)
                       .arg(counted(qint64(totals.messagesIn), tr("message"), tr("messages")))
                       .arg(totals.messagesOut)
                       .arg(formatSize(totals.bytesIn), formatSize(totals.bytesOut), m_rate,
                            formatSize(store->memoryUsed()));
    if (store->notKept() > 0)
        text += tr(" · %1 on disk only").arg(store->notKept());
    setStatus(text);
    emit refreshed();
}

} // namespace PipeScope

#include "moc_statussummary.cpp"
