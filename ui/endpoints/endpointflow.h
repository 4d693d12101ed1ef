#pragma once

#include <QObject>
#include <QPointer>

#include <functional>
#include <optional>

class QMessageBox;
class QWidget;

namespace PipeScope {

class ClientDialog;
class EndpointDialog;
class Workspace;

// New Server, Connect Client and Edit Settings, one flow for all: the
// dialog opens (its name completing from the recent names and the pipes
// that exist), its endpoint is
// created (or, edited, reconfigured) when the user submits, a failed
// attempt's endpoint is retried with the corrected settings, and the dialog
// closes once the endpoint runs or shows why it could not. Cancelling
// removes an endpoint that never ran and stops one still starting.
class EndpointFlow : public QObject
{
    Q_OBJECT
public:
    EndpointFlow(Workspace *workspace, QWidget *window);

    // Opens New Server / Connect Client, closing a dialog already open.
    EndpointDialog *newServer();
    // NAME, or NAME2, NAME3… : the first that `existing` does not hold.
    static QString freeName(const QString &name, const QStringList &existing);
    EndpointDialog *connectClient();
    // Connect Client with this pipe's name filled in (the pipe browser's
    // Connect); nothing in a recorded session.
    EndpointDialog *connectClientTo(const QString &name);
    // Connect Client to this server's pipe, in its convention (a server
    // selected in the tree); a plain Connect Client for anything else.
    EndpointDialog *connectClientToServer(quint32 server);
    // New Monitor interposing on this existing pipe (the pipe browser's
    // Monitor); nothing in a recorded session.
    EndpointDialog *monitorPipe(const QString &name);
    // New Monitor: a server passing each client on to another pipe.
    EndpointDialog *newMonitor();
    // The dialog of an ended endpoint, with its settings, to change them and
    // start it again. Null if the endpoint is running or not editable.
    EndpointDialog *edit(quint32 endpoint);
    // The dialog now open, if any.
    EndpointDialog *dialog() const;
    // True when `endpoint`'s errors are the open dialog's to show.
    bool showsErrorsOf(quint32 endpoint) const;

private:
    // A client refused another user's server: asks, showing who it is,
    // whether to allow that user, and connects again if so.
    void askToAllowServerUser(ClientDialog *dialog, const QString &error);
    // `onListed`, when set, hears the pipes that exist once they are listed.
    void open(EndpointDialog *dialog, const char *recentKey,
              std::function<void(const QStringList &)> onListed = {});
    template <class Dialog>
    void submit(const char *recentKey, const QString &busyText);
    void watch(quint32 endpoint);

    Workspace *m_workspace;
    QWidget *m_window;
    QPointer<EndpointDialog> m_dialog;
    std::optional<quint32> m_endpoint; // the dialog's endpoint, until it runs
    QPointer<QMessageBox> m_serverUserQuestion;
    const char *m_recentKey = nullptr; // where the dialog's name goes once its endpoint runs
};

} // namespace PipeScope
