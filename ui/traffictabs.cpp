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
    tabBar()->setTabButton(0, QTabBar::RightSide, nullptr);
    tabBar()->setTabButton(0, QTabBar::LeftSide, nullptr);
    connect(this, &QTabWidget::tabCloseRequested, this, [this](int index) {
        QWidget *pane = widget(index);
        if (pane == m_all)
            return;
        removeTab(index);
        pane->deleteLater();
    });
    // Titles follow names.
    connect(m_workspace, &Workspace::endpointChanged, this, [this](quint32 id) {
        for (int i = 0; i < count(); ++i) {
            auto *pane = qobject_cast<TrafficPane *>(widget(i));
            if (pane && pane->endpoint() == id)
                setTabText(i, title(id, pane->instance()));
        }
    });
}

QString TrafficTabs::title(std::optional<quint32> endpoint, quint32 instance) const
{
    if (!endpoint)
        return tr("All Traffic");
    const Workspace::Endpoint *e = m_workspace->endpoint(*endpoint);
    if (!e)
        return tr("Endpoint %1").arg(*endpoint);
    const QString name = Workspace::title(*e);
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

TrafficPane *TrafficTabs::show(quint32 endpoint, quint32 instance)
{
    TrafficPane *pane = find(endpoint, instance);
    if (!pane) {
        pane = new TrafficPane(m_workspace, endpoint, instance, this);
        addTab(pane, title(endpoint, instance));
        emit paneAdded(pane);
    }
    setCurrentWidget(pane);
    return pane;
}

void TrafficTabs::closeCurrent()
{
    if (current() && current() != m_all)
        emit tabCloseRequested(currentIndex());
}

} // namespace PipeScope
