#include "sessionkeeper.h"

#include "background.h"
#include "sessionio.h"
#include "sessionjournal.h"
#include "settings.h"
#include "trafficstore.h"
#include "warning.h"
#include "units.h"
#include "workspace.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <QWidget>

#include <algorithm>
#include <utility>

namespace PipeScope {

SessionKeeper::SessionKeeper(Workspace *workspace, QWidget *window)
    : QObject(window), m_workspace(workspace), m_window(window)
{
}

qsizetype SessionKeeper::unsavedEvents() const
{
    // A recorded session is on disk already, unless it is a recovered
    // journal: that is in the journal directory only until this closes.
    if (m_workspace->isReadOnly() && m_recoveredFile.isEmpty())
        return 0;
    return m_workspace->store()->count() - m_savedEvents;
}

QString SessionKeeper::askSavePath()
{
    QString path = QFileDialog::getSaveFileName(m_window, tr("Save Session"), QString(),
                                                tr("PipeScope sessions (*.pipescope)"));
    if (!path.isEmpty() && QFileInfo(path).suffix().isEmpty())
        path += QStringLiteral(".pipescope");
    return path;
}

void SessionKeeper::saveAgain()
{
    const QString path = m_savedPath.isEmpty() ? askSavePath() : m_savedPath;
    if (!path.isEmpty())
        save(path);
}

void SessionKeeper::save(const QString &path)
{
    emit progress(tr("Saving %1…").arg(QFileInfo(path).fileName()));
    auto *saver = SessionSaver::save(path, m_workspace->sessionHeader(), *m_workspace->store(), this);
    connect(saver, &SessionSaver::finished, this, [this, saver, path](bool ok, const QString &error, qint64 events) {
        saver->deleteLater();
        if (ok) {
            m_savedEvents = std::max(m_savedEvents, qsizetype(events));
            m_savedPath = path;
        }
        emit changed();
        // Saved on the way out: the window may close now; if the save
        // failed, it stays, with its events, and says why.
        const bool closing = std::exchange(m_closeAfterSave, false);
        if (closing && ok) {
            m_closeConfirmed = true;
            m_window->close();
        }
        if (!ok) {
            showWarning(m_window, tr("Save Session"), error);
        }
        emit saved(ok, ok ? tr("Saved %1 to %2").arg(counted(events, tr("event"), tr("events")), path) : error);
    });
}

bool SessionKeeper::mayClose()
{
    // Nothing captured goes without the user saying so.
    if (!m_closeConfirmed && unsavedEvents() > 0 &&
        Settings::askToSave()) {
        askToSaveBeforeClosing();
        return false;
    }
    return true;
}

void SessionKeeper::closing()
{
    // A recovered journal goes once the user saved it or let it go; left
    // unasked (the question turned off), it stays where it is.
    if (!m_recoveredFile.isEmpty() && (m_closeConfirmed || unsavedEvents() == 0))
        runDetached([path = m_recoveredFile] { SessionJournal::remove(path); });
}

void SessionKeeper::askToSaveBeforeClosing()
{
    if (!m_prompt) {
        m_prompt = new QMessageBox(QMessageBox::Question, tr("Close"), QString(),
                                   QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, m_window);
        m_prompt->setObjectName(QStringLiteral("savePrompt"));
        m_prompt->setInformativeText(tr("Unless they are saved, they are gone once the window has closed."));
        m_prompt->setDefaultButton(QMessageBox::Save);
        connect(m_prompt, &QMessageBox::finished, this, [this] {
            switch (m_prompt->standardButton(m_prompt->clickedButton())) {
            case QMessageBox::Discard:
                m_closeConfirmed = true;
                m_window->close();
                break;
            case QMessageBox::Save:
                // Queued: the prompt goes first, then the file dialog.
                QMetaObject::invokeMethod(this, [this] {
                    if (const QString path = askSavePath(); !path.isEmpty()) {
                        m_closeAfterSave = true;
                        save(path);
                    }
                }, Qt::QueuedConnection);
                break;
            default:
                break; // stay open
            }
        });
    }
    m_prompt->setText(m_recoveredFile.isEmpty()
                          ? tr("Save the %1 events captured in this window before it closes?").arg(unsavedEvents())
                          : tr("Save the %1 recovered events before this window closes?").arg(unsavedEvents()));
    m_prompt->open();
}

} // namespace PipeScope

#include "moc_sessionkeeper.cpp"
