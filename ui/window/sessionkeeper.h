#pragma once

#include <QObject>
#include <QPointer>
#include <QString>

class QMessageBox;
class QWidget;

namespace PipeScope {

class Workspace;

// What a window owes its user before it closes: everything captured (or
// recovered) saved, or let go on purpose. It counts what is unsaved,
// saves off the GUI thread, asks "Save, Discard or Cancel?" when the window
// is closed with unsaved events, closes the window itself once a save on
// the way out has succeeded, and removes a recovered journal once its
// events were saved or let go.
class SessionKeeper : public QObject
{
    Q_OBJECT
public:
    SessionKeeper(Workspace *workspace, QWidget *window);

    // The window shows a crashed run's journal, taken over: it is unsaved
    // until saved, and removed when the window closes after that.
    void setRecoveredFile(const QString &path) { m_recoveredFile = path; }
    QString recoveredFile() const { return m_recoveredFile; }
    // Events captured here (or recovered) since the last successful save.
    qsizetype unsavedEvents() const;

    // Where to save, from the user; empty when cancelled.
    QString askSavePath();
    // File ▸ Save: to the file last saved to, else asks where.
    void saveAgain();
    // The file last saved to successfully, or empty.
    QString savedPath() const { return m_savedPath; }
    // Writes everything captured so far, atomically, off the GUI thread;
    // saved() follows.
    void save(const QString &path);

    // From the window's closeEvent(): true when it may close now. Else the
    // user is asked, and the window closed again once they have answered.
    bool mayClose();
    // The window is closing.
    void closing();

signals:
    // A save began (`progress`) or ended; in words, for the status bar.
    void progress(const QString &message);
    void saved(bool ok, const QString &message);
    // What unsavedEvents() says may have changed.
    void changed();

private:
    void askToSaveBeforeClosing();

    Workspace *m_workspace;
    QWidget *m_window;
    QPointer<QMessageBox> m_prompt;
    qsizetype m_savedEvents = 0; // in the last successful save
    QString m_recoveredFile;
    QString m_savedPath;
    bool m_closeAfterSave = false;
    bool m_closeConfirmed = false;
};

} // namespace PipeScope
