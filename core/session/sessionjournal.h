#pragma once

#include "sessionformat.h"
#include "workerthread.h"

#include <QLockFile>
#include <QObject>
#include <QStringList>

#include <memory>

namespace PipeScope {

class CaptureHub;

// Everything a window captures, in a session file as it happens, so that a
// crash or a kill loses nothing already read or answered: the journal is
// the hub's write-ahead log (CaptureLog), written by each reading thread
// before it answers or reads further, and synced to the disk within a
// second (so a power cut loses at most the last second). Opening, the
// endpoints' declarations and closing happen in a thread of the journal's
// own; the GUI thread only asks. A journal is locked while it is written;
// one whose lock is free belongs to a PipeScope that did not quit cleanly,
// and the next start offers to recover it. Its directory and file are the
// user's alone (0700, 0600).
class SessionJournal : public QObject
{
    Q_OBJECT
public:
    // Starts journal-<pid>.pipescope in `directory` (created if missing)
    // as `hub`'s log; what the hub gets meanwhile is written first.
    SessionJournal(const QString &directory, CaptureHub *hub, QObject *parent = nullptr);
    // Closes and joins; the hub has no log after. The file stays
    // (discard() removes it).
    ~SessionJournal() override;

    QString path() const { return m_path; }

    void declare(const SessionEndpoint &endpoint);
    // A clean end: stop writing and remove the file.
    void discard();

    // The app's journal directory (in its data location).
    static QString defaultDirectory();
    // Where journals were kept before (a data location that named the app
    // twice), looked in for orphans too; empty if the same.
    static QString legacyDirectory();

    struct Orphan
    {
        QString path;
        qint64 events = 0;
        // Sockets an interposing monitor of that window moved aside and did
        // not put back (Native::findMovedAside): their servers' clients
        // cannot reach them until they are.
        QStringList movedAside;
        // The orphan's lock, held by whoever found it until it is adopted,
        // removed or let go (this released): another PipeScope running at
        // the same time does not offer it too.
        std::shared_ptr<QLockFile> claim;
    };
    // Journals in these directories whose writer is gone and that nobody
    // else has claimed, oldest first, with the events each holds, each
    // claimed; those that hold none are removed. Reads every one: call it
    // off the GUI thread.
    static QList<Orphan> orphans(const QStringList &directories);
    // An orphan taken over: renamed so it is not offered again (kept until
    // the user saves what it holds), then its lock let go. The new path.
    static QString adopt(const Orphan &orphan);
    // An orphan thrown away, then its lock let go.
    static void remove(const Orphan &orphan);
    // A journal (a recovered one, say) thrown away, with its lock file.
    static void remove(const QString &journal);
    // Puts back sockets an orphan's monitors left moved aside
    // (Orphan::movedAside); what could not be, in words. Off the GUI thread.
    static QStringList putBack(const QStringList &movedAside);

signals:
    // Writing failed (disk full, say); the journal stops. In words.
    void failed(const QString &error);

private:
    class Writer;
    static void letGo(const Orphan &orphan);
    QString m_path;
    std::unique_ptr<WorkerThread<Writer>> m_thread;
};

} // namespace PipeScope
