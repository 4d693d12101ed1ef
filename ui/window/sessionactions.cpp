#include "sessionactions.h"
#include "actionregistry.h"
#include "exportflow.h"
#include "replaydialog.h"
#include "sessionkeeper.h"
#include "trafficmodel.h"
#include "trafficpane.h"
#include "trafficstore.h"
#include "traffictabs.h"
#include "warning.h"
#include "workspace.h"

#include <QFileDialog>
#include <QFileInfo>

namespace PipeScope {

SessionActions::SessionActions(Workspace *workspace, TrafficTabs *tabs, SessionKeeper *keeper,
                               ActionRegistry *actions, QWidget *window)
    : QObject(window),
      m_workspace(workspace),
      m_tabs(tabs),
      m_keeper(keeper),
      m_export(new ExportFlow(workspace, window)),
      m_window(window)
{
    m_export->setParent(this);
    connect(m_export, &ExportFlow::exported, this, &SessionActions::exported);
    connect(m_export, &ExportFlow::message, this, &SessionActions::message);
    registerActions(actions);
}

void SessionActions::registerActions(ActionRegistry *actions)
{
    using Keys = QList<QKeySequence>;
    actions->add({"openSession", tr("&Open Session…"), nullptr, Keys{QKeySequence::Open}, {}}, this, [this] {
        const QString path = QFileDialog::getOpenFileName(m_window, tr("Open Session"), QString(),
                                                          tr("PipeScope sessions (*.pipescope);;All files (*)"));
        if (!path.isEmpty())
            openSession(path);
    });
    actions->add({"saveSessionAgain", tr("&Save Session"), nullptr, Keys{QKeySequence::Save},
                  tr("Save to the file saved to last (the first time, ask where)")},
                 m_keeper, &SessionKeeper::saveAgain);
    actions->add({"saveSession", tr("Save Session &As…"), nullptr,
                  ActionRegistry::keysOr(QKeySequence::SaveAs, QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S)), {}},
                 this, [this] {
                     if (const QString path = m_keeper->askSavePath(); !path.isEmpty())
                         saveSession(path);
                 });
    actions->add({"exportView", tr("&Export This View…"), nullptr, Keys{Qt::CTRL | Qt::SHIFT | Qt::Key_E},
                  tr("Write the rows this tab shows to a file: CSV, text as pipescope serve prints it, or the "
                     "messages' raw bytes")},
                 this, &SessionActions::exportView);
    actions->add({"replaySession", tr("&Replay…"), nullptr, Keys{Qt::CTRL | Qt::SHIFT | Qt::Key_R},
                  tr("Replay this session as a client to a server, or as a server to clients, and check")},
                 this, [this] { showReplay(); });
}

void SessionActions::watch(TrafficPane *pane)
{
    connect(pane, &TrafficPane::replayRequested, this, [this](const QList<qsizetype> &rows) { showReplay(rows); });
    connect(pane, &TrafficPane::exportRequested, this, [this](const QList<qsizetype> &rows) {
        if (const QString path = m_export->askPath(); !path.isEmpty())
            exportRows(rows, path);
    });
}

void SessionActions::exportView()
{
    const QString path = m_export->askPath();
    if (path.isEmpty())
        return;
    // What the current tab shows; All Traffic unfiltered is everything.
    const TrafficPane *pane = m_tabs->current();
    const bool everything =
        pane == m_tabs->allTraffic() && pane->model()->rowCount() == int(m_workspace->store()->count());
    exportRows(everything ? QList<qsizetype>() : pane->shownStoreRows(), path);
}

void SessionActions::openSession(const QString &path, bool recovered)
{
    emit message(tr("Opening %1…").arg(QFileInfo(path).fileName()), 0);
    auto *opener = SessionOpener::open(path, this);
    connect(opener, &SessionOpener::opened, this,
            [this, opener, path, recovered](TrafficStore *store, const SessionHeader &header, const QString &warning) {
                opener->deleteLater();
                emit message(QString(), 0);
                emit opened(store, header, path, recovered, warning);
            });
    connect(opener, &SessionOpener::failed, this, [this, opener](const QString &error) {
        opener->deleteLater();
        emit message(error, 0);
        showWarning(m_window, tr("Open Session"), error);
        emit failed(error);
    });
}

void SessionActions::saveSession(const QString &path)
{
    m_keeper->save(path);
}

void SessionActions::exportRows(const QList<qsizetype> &rows, const QString &path)
{
    m_export->run(rows, path);
}

ReplayDialog *SessionActions::showReplay(const QList<qsizetype> &rows)
{
    auto *dialog = new ReplayDialog(m_workspace, rows, m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
    return dialog;
}

} // namespace PipeScope

#include "moc_sessionactions.cpp"
