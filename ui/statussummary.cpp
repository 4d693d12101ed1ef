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
} // namespace

StatusSummary::StatusSummary(Workspace *workspace, QWidget *parent) : QLabel(parent), m_workspace(workspace)
{
    setObjectName(QStringLiteral("statusSummary"));
    auto *tick = new QTimer(this);
    tick->setInterval(kTickMs);
    connect(tick, &QTimer::timeout, this, [this] {
        measureRate();
        refresh();
    });
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

// Rates over the last interval, measured on the timer's ticks only.
void StatusSummary::measureRate()
{
    const TrafficStore::InstanceStats totals = m_workspace->store()->totals();
    const quint64 messages = totals.messagesIn + totals.messagesOut;
    const quint64 bytes = totals.bytesIn + totals.bytesOut;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (m_lastTickMs > 0 && now > m_lastTickMs && messages >= m_lastMessages) {
        const double seconds = double(now - m_lastTickMs) / 1000.0;
        m_rate = tr(" · %1 msg/s, %2/s")
                     .arg(double(messages - m_lastMessages) / seconds, 0, 'f', 0)
                     .arg(formatSize(quint64(double(bytes - m_lastBytes) / seconds)));
    }
    m_lastTickMs = now;
    m_lastMessages = messages;
    m_lastBytes = bytes;
}

void StatusSummary::refresh()
{
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
    setText(text);
    emit refreshed();
}

} // namespace PipeScope
