#include "traffictabs.h"

#include "trafficpane.h"
#include "workspace.h"

#include <QTabBar>

namespace PipeScope {

TrafficTabs::TrafficTabs(Workspace *workspace, QWidget *parent)
    : QTabWidget(parent), m_workspace(workspace), m_all(new TrafficPane(workspace, std::nullopt, 0, this))
{
    setObjectName(QStringLiteral("trafficTabs"));
    setTabsClosable(true);
    setMovable(true);
    setDocumentMode(true);
    addTab(m_all, title(std::nullopt, 0));
    setTabToolTip(0, tr("Every endpoint's traffic, in the order it happened"));
    tabBar()->setTabButton(0, QTabBar::RightSide, nullptr);
    tabBar()->setTabButton(0, QTabBar::LeftSide, nullptr);
    connect(this, &QTabWidget::tabCloseRequested, this, &TrafficTabs::close);
    connect(this, &QTabWidget::tabBarDoubleClicked, this,
            [this](int index) { keep(qobject_cast<TrafficPane *>(widget(index))); });
    // Titles follow names.
    connect(m_workspace, &Workspace::endpointChanged, this, [this](quint32 id) {
        for (int i = 0; i < count(); ++i) {
            auto *pane = qobject_cast<TrafficPane *>(widget(i));
            if (pane && pane->endpoint() == id)
                setTitle(i);
        }
    });
    // What is no longer in the tree has no tab: its traffic is in All Traffic.
    connect(m_workspace, &Workspace::endpointRemoved, this,
            [this](quint32 id) { closeTabsOf(id, std::nullopt); });
    connect(m_workspace, &Workspace::instanceRemoved, this,
            [this](quint32 id, quint32 instance) { closeTabsOf(id, instance); });
}

QString TrafficTabs::title(std::optional<quint32> endpoint, quint32 instance) const
{
    if (!endpoint)
        return tr("All Traffic");
    const Workspace::Endpoint *e = m_workspace->endpoint(*endpoint);
    if (!e)
        return tr("Endpoint %1").arg(*endpoint);
    const QString name = m_workspace->label(*endpoint);
    return instance ? tr("%1 #%2").arg(name).arg(instance) : name;
}

TrafficPane *TrafficTabs::find(std::optional<quint32> endpoint, quint32 instance) const
{
    for (int i = 0; i < count(); ++i) {
        auto *pane = qobject_cast<TrafficPane *>(widget(i));
        if (pane && pane->endpoint() == endpoint && pane->instance() == instance)
            return pane;
    }
    return nullptr;
}

TrafficPane *TrafficTabs::current() const
{
    return qobject_cast<TrafficPane *>(currentWidget());
}

TrafficPane *TrafficTabs::preview() const
{
    return m_preview;
}

void TrafficTabs::setTimeDisplay(TimeDisplay display)
{
    m_timeDisplay = display;
    for (TrafficPane *pane : findChildren<TrafficPane *>())
        pane->setTimeDisplay(display);
}

std::optional<TrafficTabs::Target> TrafficTabs::target() const
{
    const TrafficPane *pane = current();
    if (!pane || !pane->endpoint())
        return std::nullopt;
    return Target{*pane->endpoint(), pane->instance()};
}

TrafficPane *TrafficTabs::show(quint32 endpoint, quint32 instance, Open how)
{
    TrafficPane *pane = find(endpoint, instance);
    if (pane) {
        if (how == Open::Keep)
            keep(pane);
        setCurrentWidget(pane);
        return pane;
    }
    pane = new TrafficPane(m_workspace, endpoint, instance, this);
    pane->setTimeDisplay(m_timeDisplay);
    int at = count();
    if (how == Open::Preview && m_preview) {
        // The preview tab shows what was chosen last, in the same place.
        at = indexOf(m_preview);
        TrafficPane *old = m_preview;
        m_preview = nullptr;
        removeTab(at);
        old->deleteLater();
    }
    insertTab(at, pane, QString());
    if (how == Open::Preview)
        m_preview = pane;
    markPreview(at, how == Open::Preview);
    emit paneAdded(pane);
    setCurrentWidget(pane);
    return pane;
}

void TrafficTabs::keep(TrafficPane *pane)
{
    if (!pane || pane != m_preview)
        return;
    m_preview = nullptr;
    markPreview(indexOf(pane), false);
}

void TrafficTabs::markPreview(int index, bool preview)
{
    // In the colour of placeholder text, as editors show a preview tab.
    tabBar()->setTabTextColor(index, preview ? palette().color(QPalette::PlaceholderText) : QColor());
    setTitle(index);
}

void TrafficTabs::setTitle(int index)
{
    auto *pane = qobject_cast<TrafficPane *>(widget(index));
    if (!pane || pane == m_all)
        return;
    const QString whole = title(pane->endpoint(), pane->instance());
    const QFontMetrics metrics = tabBar()->fontMetrics();
    setTabText(index, metrics.elidedText(whole, Qt::ElideMiddle, kTitleChars * metrics.averageCharWidth()));
    setTabToolTip(index, pane == m_preview ? tr("%1\nPreview: the next endpoint you select replaces it. Double-click "
                                                "the tab, or the endpoint, to keep it open.")
                                                 .arg(whole)
                                           : whole);
}

void TrafficTabs::close(int index)
{
    QWidget *pane = widget(index);
    if (!pane || pane == m_all)
        return;
    removeTab(index);
    pane->deleteLater();
}

void TrafficTabs::closeTabsOf(quint32 endpoint, std::optional<quint32> instance)
{
    for (int i = count() - 1; i >= 0; --i) {
        auto *pane = qobject_cast<TrafficPane *>(widget(i));
        if (pane && pane->endpoint() == endpoint && (!instance || pane->instance() == *instance))
            close(i);
    }
}

void TrafficTabs::closeCurrent()
{
    if (current() && current() != m_all)
        emit tabCloseRequested(currentIndex());
}

void TrafficTabs::step(int by)
{
    if (count() > 1)
        setCurrentIndex((currentIndex() + by + count()) % count());
}

} // namespace PipeScope

#include "moc_traffictabs.cpp"
