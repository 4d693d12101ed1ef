#pragma once

#include "sessionformat.h"

#include <QObject>
#include <QStringList>

class QThread;

namespace PipeScope {

// Everything captured, appended to a session file as it happens, so that a
// crash or a kill loses nothing already received: each batch is written
// and flushed to the system as it arrives (a power cut may still lose what
// the system had not yet written to disk). Writing happens in a thread of
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
    // Journals in `directory` whose writer is gone, oldest first. Touches
    // the file system: call it off the GUI thread.
    static QStringList orphans(const QString &directory);

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
