#pragma once

#include <QTabWidget>

#include <optional>

namespace PipeScope {

class TrafficPane;
class Workspace;

// The traffic tabs: All Traffic first (it cannot be closed), then one per
// endpoint or instance the user opened, titled by name and following
// renames.
class TrafficTabs : public QTabWidget
{
    Q_OBJECT
public:
    TrafficTabs(Workspace *workspace, QWidget *parent = nullptr);

    TrafficPane *allTraffic() const { return m_all; }
    // The tab of this endpoint (instance 0) or instance, or of all traffic.
    TrafficPane *find(std::optional<quint32> endpoint, quint32 instance = 0) const;
    TrafficPane *current() const;
    // The tab of this endpoint or instance, opened if needed, made current.
    TrafficPane *show(quint32 endpoint, quint32 instance = 0);
    // Closes the current tab, unless it is All Traffic.
    void closeCurrent();

signals:
    // A tab was opened (All Traffic's comes before any signal can reach a
    // receiver: take it from allTraffic()).
    void paneAdded(PipeScope::TrafficPane *pane);

private:
    QString title(std::optional<quint32> endpoint, quint32 instance) const;

    Workspace *m_workspace;
    TrafficPane *m_all;
};

} // namespace PipeScope
