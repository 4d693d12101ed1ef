#pragma once

#include "capturesink.h"
#include "sessionformat.h"

#include <QFile>
#include <QString>

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

namespace PipeScope {

// The write-ahead log of a capture: a session file (docs/session-format.md)
// that the threads which read traffic append to themselves, through
// CaptureHub::post(), before they answer what they read and before they
// read further. So what PipeScope has read or answered is with the
// operating system (written, if not yet on the disk) before the peer can
// see an answer, and a killed process loses none of it. What was written
// is synced to the disk within a second (fdatasync; FlushFileBuffers on
// Windows), by a thread of the log's own, so a power cut loses at most the
// last second.
//
// One connection's events stay in order in the file; different
// connections' batches are in the order they were written, which may put
// one a little before another's earlier event.
class CaptureLog final : public CaptureSink
{
public:
    // Creates `path` user-only (0600; an existing file is emptied and made
    // so) and writes `header`. Null, with the reason in `error`, when it
    // cannot.
    static std::unique_ptr<CaptureLog> create(const QString &path, const SessionHeader &header, QString *error);
    // Syncs to the disk and closes.
    ~CaptureLog() override;
    CaptureLog(const CaptureLog &) = delete;
    CaptureLog &operator=(const CaptureLog &) = delete;

    QString path() const { return m_file.fileName(); }

    // Thread-safe; each appends whole lines with one write. False once
    // writing has failed: nothing is written after a failure. Each event
    // written is given its line's offset in the file (logOffset), so that
    // a store may let go of its bytes and read them back from here.
    bool append(TrafficBatch &batch) override;
    bool declare(const SessionEndpoint &endpoint);

    // Called once, in the thread whose write failed and with the log's
    // lock held (post elsewhere, never wait), with the reason in words
    // ("recording to FILE failed: No space left on device"). Never after
    // close() has returned.
    void setFailureHandler(std::function<void(const QString &)> handler);

    // Writes nothing more, syncs, closes; with `remove`, deletes the file.
    void close(bool remove = false);

private:
    explicit CaptureLog(const QString &path);
    // Where the lines start in the file, or -1 when they were not written.
    qint64 put(const QByteArray &lines);
    void syncLoop();

    std::mutex m_mutex; // the file, the writer and the state below
    QFile m_file;
    std::unique_ptr<SessionWriter> m_writer;
    std::function<void(const QString &)> m_onFailure;
    bool m_dirty = false;
    bool m_closing = false;
    std::condition_variable m_wake;
    std::thread m_syncer;
};

} // namespace PipeScope
