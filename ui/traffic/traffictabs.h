#pragma once

#include "units.h"

#include <QPointer>
#include <QTabWidget>

#include <optional>

namespace PipeScope {

class TrafficPane;
class Workspace;

// The traffic tabs: All Traffic first (it cannot be closed), then one per
// endpoint or instance the user opened, titled by name and following
// renames. Looking at an endpoint (a click in the tree) opens it in the
// preview tab, which the next look replaces; opening it (double-click,
// Enter, or creating it) keeps its tab. So tabs do not pile up, and what
// is shown is always what was last chosen.
class TrafficTabs : public QTabWidget
{
    Q_OBJECT
public:
    enum class Open {
        Keep,    // a tab of its own, kept until closed
        Preview, // the preview tab, replaced by the next preview
    };

    TrafficTabs(Workspace *workspace, QWidget *parent = nullptr);

    TrafficPane *allTraffic() const { return m_all; }
    // The tab of this endpoint (instance 0) or instance, or of all traffic.
    TrafficPane *find(std::optional<quint32> endpoint, quint32 instance = 0) const;
    TrafficPane *current() const;
    // What the Endpoint menu's actions act on: the endpoint or instance of
    // the current tab, which the tree's selection follows; none on All
    // Traffic. The one place it is worked out.
    struct Target
    {
        quint32 endpoint = 0;
        quint32 instance = 0; // 0: the endpoint itself
    };
    std::optional<Target> target() const;
    // The preview tab, if one is open.
    TrafficPane *preview() const;
    // The tab of this endpoint or instance, opened if needed, made current.
    // A tab that is already open is reused (and kept, if asked to).
    TrafficPane *show(quint32 endpoint, quint32 instance = 0, Open how = Open::Keep);
    // Keeps the preview tab as a tab of its own.
    void keep(TrafficPane *pane);
    // Closes the current tab, unless it is All Traffic.
    void closeCurrent();
    // The next or previous tab, round the end (Ctrl+Tab, Ctrl+Shift+Tab).
    void step(int by);
    // The Time column's form, in every tab and every tab opened later.
    void setTimeDisplay(TimeDisplay display);

signals:
    // A tab was opened (All Traffic's comes before any signal can reach a
    // receiver: take it from allTraffic()).
    void paneAdded(PipeScope::TrafficPane *pane);

private:
    QString title(std::optional<quint32> endpoint, quint32 instance) const;
    // The tab's text: its title, elided in the middle past kTitleChars
    // (a monitor's "app ⇄ /run/…/app.real" took half the bar); whole in
    // its tooltip.
    void setTitle(int index);
    static constexpr int kTitleChars = 32;
    void close(int index);
    // Closes the tabs of an endpoint (every instance's too) or one instance.
    void closeTabsOf(quint32 endpoint, std::optional<quint32> instance);
    void markPreview(int index, bool preview);

    Workspace *m_workspace;
    TrafficPane *m_all;
    QPointer<TrafficPane> m_preview;
    TimeDisplay m_timeDisplay = TimeDisplay::TimeOfDay;
};

} // namespace PipeScope
