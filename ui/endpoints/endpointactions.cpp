#include "endpointactions.h"
#include "actionregistry.h"
#include "endpointflow.h"
#include "traffictabs.h"
#include "units.h"
#include "workspace.h"

#include <QAction>
#include <QMessageBox>
#include <QPushButton>

namespace PipeScope {

EndpointActions::EndpointActions(Workspace *workspace, TrafficTabs *tabs, EndpointFlow *flow,
                                 ActionRegistry *actions, QWidget *window)
    : QObject(window), m_workspace(workspace), m_tabs(tabs), m_flow(flow), m_window(window)
{
    using Keys = QList<QKeySequence>;
    m_stop =
        actions->add({"stopEndpoint", tr("S&top"), "stop", Keys{Qt::CTRL | Qt::Key_Period}, {}},
                     this, &EndpointActions::stop);
    m_disconnect = actions->add({"disconnectInstance",
                                 tr("&Disconnect Instance"),
                                 "disconnect",
                                 Keys{Qt::CTRL | Qt::SHIFT | Qt::Key_Period},
                                 {}},
                                this, &EndpointActions::disconnectInstance);
    m_restart =
        actions->add({"restartEndpoint", tr("&Restart"), "restart", Keys{Qt::CTRL | Qt::Key_R}, {}},
                     this, &EndpointActions::restart);
    m_edit = actions->add({"editEndpoint", tr("&Edit Settings…"), nullptr, {}, {}}, this,
                          &EndpointActions::edit);
    m_clearEnded =
        actions->add({"clearEndedInstances", tr("&Clear Ended Instances"), nullptr, {}, {}}, this,
                     &EndpointActions::clearEnded);
    m_remove =
        actions->add({"removeEndpoint", tr("Re&move"), nullptr, Keys{QKeySequence::Delete}, {}},
                     this, &EndpointActions::remove);
    // Delete acts in the tree only: elsewhere it belongs to text fields.
    m_remove->setShortcutContext(Qt::WidgetWithChildrenShortcut);
}

void EndpointActions::update()
{
    const auto t = m_tabs->target();
    const Workspace::Endpoint *e = t ? m_workspace->endpoint(t->endpoint) : nullptr;
    const Workspace::Instance *i =
        e && t->instance ? m_workspace->instance(t->endpoint, t->instance) : nullptr;
    const bool editable = e && !e->removed && !m_workspace->isReadOnly();
    const bool running =
        editable && Workspace::isRunning(e->state) && e->state != Workspace::State::Stopping;
    // A replay's side is the replay's to run: it can be stopped, not
    // restarted, edited or have an instance disconnected from here.
    const bool ended = editable && !e->replay && !Workspace::isRunning(e->state);
    const bool server = e && e->kind == Workspace::Kind::Server;
    // Every action says what it acts on.
    const QString name =
        e ? m_window->fontMetrics().elidedText(e->name, Qt::ElideMiddle, 320) : QString();
    const QString what = !e       ? QString()
                         : server ? tr("Server “%1”").arg(name)
                                  : tr("Client “%1”").arg(name);
    m_stop->setEnabled(running);
    ActionRegistry::retitle(m_stop, e ? tr("S&top %1").arg(what) : tr("S&top"), tr("Stop"));
    m_disconnect->setEnabled(editable && !e->replay && i && i->state == Workspace::State::Connected);
    ActionRegistry::retitle(
        m_disconnect, i ? tr("&Disconnect Instance %1").arg(i->id) : tr("&Disconnect Instance"),
        tr("Disconnect"));
    m_restart->setEnabled(ended);
    ActionRegistry::retitle(m_restart, e ? tr("&Restart %1").arg(what) : tr("&Restart"),
                            tr("Restart"));
    m_edit->setEnabled(ended);
    ActionRegistry::retitle(
        m_edit, e ? tr("&Edit Settings of %1…").arg(what) : tr("&Edit Settings…"), tr("Edit"));
    m_remove->setEnabled(editable);
    ActionRegistry::retitle(m_remove, e ? tr("Re&move %1").arg(what) : tr("Re&move"), tr("Remove"));
    m_clearEnded->setEnabled(editable && server &&
                             e->instances.size() > m_workspace->connectedInstances(e->id));
    ActionRegistry::retitle(m_clearEnded, tr("&Clear Ended Instances"), tr("Clear Ended"));
}

void EndpointActions::confirmIfConnected(quint32 endpoint, const QString &verb,
                                         const std::function<void()> &act)
{
    const Workspace::Endpoint *e = m_workspace->endpoint(endpoint);
    const int connected =
        e && e->kind == Workspace::Kind::Server ? m_workspace->connectedInstances(endpoint) : 0;
    if (connected == 0) {
        act();
        return;
    }
    auto *box = new QMessageBox(
        QMessageBox::Question, tr("%1 Server").arg(verb),
        tr("%1 the server “%2”? Its %3 will be disconnected.")
            .arg(verb, e->name,
                 counted(connected, tr("connected client"), tr("connected clients"))),
        QMessageBox::Cancel, m_window);
    box->setObjectName(QStringLiteral("confirmStop"));
    box->setInformativeText(tr("What they have sent is read first; the traffic stays in the log."));
    QPushButton *yes = box->addButton(verb, QMessageBox::AcceptRole);
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(yes, &QPushButton::clicked, this, act);
    box->open();
}

void EndpointActions::stop()
{
    if (const auto t = m_tabs->target())
        confirmIfConnected(t->endpoint, tr("Stop"),
                           [this, id = t->endpoint] { m_workspace->stop(id); });
}

void EndpointActions::disconnectInstance()
{
    if (const auto t = m_tabs->target(); t && t->instance)
        m_workspace->disconnectInstance(t->endpoint, t->instance);
}

void EndpointActions::restart()
{
    if (const auto t = m_tabs->target())
        m_workspace->restart(t->endpoint);
}

void EndpointActions::edit()
{
    if (const auto t = m_tabs->target())
        m_flow->edit(t->endpoint);
}

void EndpointActions::remove()
{
    if (const auto t = m_tabs->target())
        confirmIfConnected(t->endpoint, tr("Remove"),
                           [this, id = t->endpoint] { m_workspace->remove(id); });
}

void EndpointActions::clearEnded()
{
    if (const auto t = m_tabs->target()) {
        const int cleared = m_workspace->clearEnded(t->endpoint);
        emit message(tr("Cleared %1; their traffic stays in All Traffic.")
                         .arg(counted(cleared, tr("ended instance"), tr("ended instances"))),
                     15000);
    }
}

} // namespace PipeScope

#include "moc_endpointactions.cpp"
