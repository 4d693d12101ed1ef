#pragma once

#include "replayscript.h"
#include "sessionformat.h"
#include "trafficstore.h"

#include <QObject>
#include <QSet>

#include <memory>
#include <vector>

namespace PipeScope {

// What a replay dialog replays: the conversations of the window's capture
// (all, or the messages chosen from it) or of a session file opened for
// the replay. Each is read off the GUI thread; the last one asked for wins,
// and an earlier answer is dropped when it comes. A file's capture is kept
// here; one replaced while its conversations are still being split out is
// let go when that is done, never waited for on the GUI thread.
class ReplaySource : public QObject
{
    Q_OBJECT
public:
    explicit ReplaySource(QObject *parent = nullptr);
    ~ReplaySource() override;

    // The window's capture as it is now. `rows`: the store rows of the
    // messages chosen; empty: every conversation.
    void readCapture(const SessionHeader &header, TrafficStore::Snapshot snapshot, const QList<qsizetype> &rows = {});
    // A session file: its endpoints (fileRead()), then its conversations.
    void readFile(const QString &path);

    // Whether the last source asked for has been read (ready() came).
    bool isReady() const { return m_ready; }
    const QList<ReplayScript> &scripts() const { return m_scripts; }
    // Why the source cannot be replayed, in words; empty if it can.
    const QString &error() const { return m_error; }
    // The scripts hold only the messages chosen from the capture.
    bool isSelection() const { return m_selection; }

signals:
    // A file's endpoints as recorded: its server is the likely target.
    void fileRead(const QString &path, const PipeScope::SessionHeader &header);
    void ready();

private:
    // Forgets what was read; the next answer must be of `generation`.
    quint64 restart();
    void build(const SessionHeader &header, TrafficStore::Snapshot snapshot, const QList<qsizetype> &rows,
               const TrafficStore *from);
    void finish(const QList<ReplayScript> &scripts, const QString &error);
    // Lets go of a replaced file's capture once nothing reads it.
    void retire(const TrafficStore *store);

    QList<ReplayScript> m_scripts;
    QString m_error;
    bool m_selection = false;
    bool m_ready = false;
    quint64 m_generation = 0; // the source now wanted: each one asked for is the next
    std::unique_ptr<TrafficStore> m_file; // the capture of the file opened last
    std::vector<std::unique_ptr<TrafficStore>> m_retired; // replaced, still read
    QSet<const TrafficStore *> m_reading; // stores whose conversations are being split out
};

} // namespace PipeScope
