#pragma once

#include "sessionformat.h"

#include <QObject>
#include <QStringList>

class QThread;

namespace PipeScope {

// Everything captured, appended to a session file as it happens, so that a
// crash or a kill loses nothing already received: each batch is written
// and flushed to the system as it arrives, and synced to the disk within a
// second (so a power cut loses at most the last second). Writing happens in a thread of
// its own; the GUI thread only posts. A journal is locked while its writer
// runs; one whose lock is free belongs to a PipeScope that did not quit
// cleanly, and the next start offers to recover it.
class SessionJournal : public QObject
{
    Q_OBJECT
public:
    // Starts journal-<pid>.pipescope in `directory` (created if missing).
    explicit SessionJournal(const QString &directory, QObject *parent = nullptr);
    // Writes what was posted, closes and joins. The file stays (discard()
    // removes it).
    ~SessionJournal() override;

    QString path() const { return m_path; }

    void declare(const SessionEndpoint &endpoint);
    void append(const TrafficBatch &batch);
    // A clean end: stop writing and remove the file.
    void discard();

    // The app's journal directory (in its data location).
    static QString defaultDirectory();

    struct Orphan
    {
        QString path;
        qint64 events = 0;
    };
    // Journals in `directory` whose writer is gone, oldest first, with the
    // events each holds; those that hold none are removed. Reads every one:
    // call it off the GUI thread.
    static QList<Orphan> orphans(const QString &directory);
    // An orphan taken over: renamed so it is not offered again (kept until
    // the user saves what it holds), its lock removed. The new path.
    static QString adopt(const QString &orphan);
    // An orphan thrown away, with its lock.
    static void remove(const QString &orphan);

signals:
    // Writing failed (disk full, say); the journal stops. In words.
    void failed(const QString &error);

private:
    class Writer;
    QString m_path;
    QThread *m_thread;
    Writer *m_writer;
};

} // namespace PipeScope
