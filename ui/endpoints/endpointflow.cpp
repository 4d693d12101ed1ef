#include "endpointflow.h"

#include "clientdialog.h"
#include "monitordialog.h"
#include "nativepipe.h"
#include "recent.h"
#include "serverdialog.h"
#include "pipelistmodel.h"
#include "settingskeys.h"
#include "workspace.h"

#include <QCompleter>
#include <QMessageBox>
#include <QPushButton>
#include <QStringListModel>
#include <QLineEdit>

namespace PipeScope {

QString EndpointFlow::freeName(const QString &name, const QStringList &existing)
{
    // \\.\pipe\NAME and NAME are one pipe.
    const auto bare = [](const QString &n) {
        static const QString prefix = QStringLiteral("\\\\.\\pipe\\");
        return n.startsWith(prefix, Qt::CaseInsensitive) ? n.mid(prefix.size()) : n;
    };
    QStringList taken;
    for (const QString &n : existing)
        taken << bare(n);
    QString free = name;
    for (int n = 2; taken.contains(bare(free), Qt::CaseInsensitive); ++n)
        free = name + QString::number(n);
    return free;
}

EndpointFlow::EndpointFlow(Workspace *workspace, QWidget *window)
    : QObject(window), m_workspace(workspace), m_window(window)
{
}

EndpointDialog *EndpointFlow::dialog() const
{
    return m_dialog;
}

bool EndpointFlow::showsErrorsOf(quint32 endpoint) const
{
    return m_dialog && m_endpoint == endpoint;
}

EndpointDialog *EndpointFlow::newServer()
{
    auto *dialog = new ServerDialog(m_window);
    connect(dialog, &EndpointDialog::submitted, this,
            [this] { submit<ServerDialog>(SettingsKeys::kRecentServers, tr("Creating the pipe…")); });
    // The proposed name is one no pipe has yet, unless a name was given
    // meanwhile: typed by the user, or set by Edit Settings (its own).
    const QString proposed = dialog->nameField()->edit()->text();
    open(dialog, SettingsKeys::kRecentServers, [dialog, proposed](const QStringList &existing) {
        const QLineEdit *edit = dialog->nameField()->edit();
        if (!edit->isModified() && edit->text() == proposed)
            dialog->nameField()->setName(freeName(proposed, existing));
    });
    return dialog;
}

EndpointDialog *EndpointFlow::newMonitor()
{
    auto *dialog = new MonitorDialog(m_window);
    connect(dialog, &EndpointDialog::submitted, this,
            [this] { submit<MonitorDialog>(SettingsKeys::kRecentMonitors, tr("Creating the pipe…")); });
    open(dialog, SettingsKeys::kRecentMonitors);
    return dialog;
}

EndpointDialog *EndpointFlow::connectClient()
{
    auto *dialog = new ClientDialog(m_window);
    connect(dialog, &EndpointDialog::submitted, this, [this, dialog] {
        submit<ClientDialog>(SettingsKeys::kRecentClients,
                             tr("Connecting (waiting up to %1 ms while the pipe is busy)…")
                                 .arg(dialog->config().options.waitMs));
    });
    open(dialog, SettingsKeys::kRecentClients);
    return dialog;
}

EndpointDialog *EndpointFlow::connectClientTo(const QString &name)
{
    if (m_workspace->isReadOnly())
        return nullptr;
    auto *dialog = static_cast<ClientDialog *>(connectClient());
    ClientConfig config = dialog->config();
    config.name = name;
    dialog->setConfig(config);
    return dialog;
}

EndpointDialog *EndpointFlow::connectClientToServer(quint32 server)
{
    auto *dialog = static_cast<ClientDialog *>(connectClient());
    const Workspace::Endpoint *e = m_workspace->endpoint(server);
    if (!e || e->kind != Workspace::Kind::Server)
        return dialog;
    ClientConfig config = dialog->config();
    config.name = e->name;
    config.options.convention = e->server.options.convention;
    config.automaticConvention = false;
    dialog->setConfig(config);
    return dialog;
}

EndpointDialog *EndpointFlow::monitorPipe(const QString &name)
{
    if (m_workspace->isReadOnly())
        return nullptr;
    // A pipe that exists has its server running: the monitor interposes on
    // it, listening on its name (unchecked, the name stays the target's,
    // and the listening side is the user's to name).
    auto *dialog = static_cast<MonitorDialog *>(newMonitor());
    ServerConfig config = dialog->config();
    config.name = name;
    config.relayTo->name = name;
    config.interpose = true;
    dialog->setConfig(config);
    return dialog;
}

EndpointDialog *EndpointFlow::edit(quint32 endpoint)
{
    const Workspace::Endpoint *e = m_workspace->endpoint(endpoint);
    if (!e || e->removed || m_workspace->isReadOnly() || Workspace::isRunning(e->state))
        return nullptr;
    EndpointDialog *dialog = nullptr;
    if (e->kind == Workspace::Kind::Server && e->server.relayTo) {
        auto *monitor = static_cast<MonitorDialog *>(newMonitor());
        monitor->setConfig(e->server);
        dialog = monitor;
    } else if (e->kind == Workspace::Kind::Server) {
        auto *server = static_cast<ServerDialog *>(newServer());
        server->setConfig(e->server);
        server->nameField()->edit()->setModified(true); // its own name, even the proposed one
        dialog = server;
    } else {
        auto *client = static_cast<ClientDialog *>(connectClient());
        client->setConfig(e->client);
        dialog = client;
    }
    dialog->setWindowTitle(tr("Edit Settings of %1").arg(e->name));
    m_endpoint = endpoint; // submitting reconfigures and restarts it
    return dialog;
}

void EndpointFlow::open(EndpointDialog *dialog, const char *recentKey,
                        std::function<void(const QStringList &)> onListed)
{
    if (m_dialog)
        m_dialog->close();
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    // The name completes from the recent names at once, and from the pipes
    // that exist once they are listed (off this thread): typing part of a
    // name offers every one that holds it.
    const QStringList recent = recentEntries(recentKey);
    auto *names = new QStringListModel(recent, dialog);
    auto *completer = new QCompleter(names, dialog);
    completer->setFilterMode(Qt::MatchContains);
    completer->setCaseSensitivity(Qt::CaseInsensitive);
    dialog->nameField()->edit()->setCompleter(completer);
    PipeListModel::listNames(dialog, [names, recent, onListed](const QStringList &existing) {
        QStringList all = recent;
        for (const QString &name : existing)
            if (!all.contains(name))
                all << name;
        names->setStringList(all);
        if (onListed)
            onListed(existing);
    });
    m_dialog = dialog;
    m_endpoint.reset();
    connect(dialog, &QDialog::rejected, this, [this] {
        const Workspace::Endpoint *e = m_endpoint ? m_workspace->endpoint(*m_endpoint) : nullptr;
        if (!e)
            return;
        // An attempt that never ran leaves nothing; one still starting stops.
        if (!e->shown)
            m_workspace->remove(e->id);
        else if (Workspace::isRunning(e->state))
            m_workspace->stop(e->id);
    });
    dialog->open();
}

template <class Dialog>
void EndpointFlow::submit(const char *recentKey, const QString &busyText)
{
    auto *dialog = qobject_cast<Dialog *>(m_dialog.data());
    if (!dialog)
        return;
    const auto config = dialog->config();
    m_recentKey = recentKey;
    dialog->setBusy(true, busyText);
    // A failed attempt's endpoint, or the one edited, starts again with
    // these settings.
    const Workspace::Endpoint *ended = m_endpoint ? m_workspace->endpoint(*m_endpoint) : nullptr;
    if (ended && !Workspace::isRunning(ended->state)) {
        m_workspace->reconfigure(*m_endpoint, config);
        m_workspace->restart(*m_endpoint);
    } else if constexpr (std::is_same_v<Dialog, ServerDialog> || std::is_same_v<Dialog, MonitorDialog>) {
        m_endpoint = m_workspace->addServer(config);
    } else {
        m_endpoint = m_workspace->addClient(config);
    }
    watch(*m_endpoint);
}

// Closes the dialog once its endpoint runs, or shows why it could not.
void EndpointFlow::askToAllowServerUser(ClientDialog *dialog, const QString &error)
{
    const QString user = QString::fromStdString(Native::serverUserToAllow(error.toStdString()));
    if (user.isEmpty() || m_serverUserQuestion)
        return;
    const bool anyone = user == QLatin1String(Native::kAnyServerUser);
    // The identity as the refusal gives it: uid or account, pid, process.
    const QString who = error.section(QStringLiteral(": refusing"), 0, 0);
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Another User's Server"),
                                tr("%1.\n\nWhoever creates a pipe's name first receives what is sent to it. "
                                   "Connect to this server anyway?")
                                    .arg(who),
                                QMessageBox::Cancel, dialog);
    box->setAttribute(Qt::WA_DeleteOnClose);
    QPushButton *allow = box->addButton(anyone ? tr("Allow Anyone") : tr("Allow %1").arg(user), QMessageBox::AcceptRole);
    box->setDefaultButton(QMessageBox::Cancel);
    connect(allow, &QPushButton::clicked, dialog, [dialog, user] {
        ClientConfig config = dialog->config();
        config.options.serverUser = user.toStdString();
        dialog->setConfig(config);
        emit dialog->submitted();
    });
    m_serverUserQuestion = box;
    box->open();
}

void EndpointFlow::watch(quint32 endpoint)
{
    EndpointDialog *dialog = m_dialog;
    auto check = [this, dialog, endpoint] {
        if (m_dialog != dialog || m_endpoint != endpoint)
            return;
        const Workspace::Endpoint *e = m_workspace->endpoint(endpoint);
        if (!e)
            return;
        if (e->state == Workspace::State::Listening || e->state == Workspace::State::Connected) {
            // Remembered once it ran: a name that failed is not offered again.
            rememberRecent(m_recentKey, e->name);
            m_endpoint.reset();
            dialog->accept();
        } else if (e->state == Workspace::State::Failed) {
            dialog->showError(e->error);
            if (auto *client = qobject_cast<ClientDialog *>(dialog))
                askToAllowServerUser(client, e->error);
        }
    };
    connect(m_workspace, &Workspace::endpointChanged, dialog, [check, endpoint](quint32 id) {
        if (id == endpoint)
            check();
    });
    check();
}

} // namespace PipeScope

#include "moc_endpointflow.cpp"
