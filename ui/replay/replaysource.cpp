#include "replaysource.h"

#include "background.h"
#include "sessionio.h"

#include <algorithm>

namespace PipeScope {

ReplaySource::ReplaySource(QObject *parent) : QObject(parent) {}

// A file's capture still being read waits here for its reader (the dialog
// closed while its conversations were split out).
ReplaySource::~ReplaySource() = default;

quint64 ReplaySource::restart()
{
    m_ready = false;
    m_error.clear();
    m_scripts.clear();
    m_selection = false;
    return ++m_generation;
}

void ReplaySource::readCapture(const SessionHeader &header, TrafficStore::Snapshot snapshot,
                               const QList<qsizetype> &rows)
{
    restart();
    build(header, std::move(snapshot), rows, nullptr);
}

void ReplaySource::readFile(const QString &path)
{
    const quint64 generation = restart();
    auto *opener = SessionOpener::open(path, this);
    connect(opener, &SessionOpener::opened, this,
            [this, opener, path, generation](TrafficStore *store, const SessionHeader &header, const QString &) {
                opener->deleteLater();
                if (generation != m_generation) {
                    delete store; // never read: nothing waits
                    return;
                }
                if (m_file && m_reading.contains(m_file.get()))
                    m_retired.push_back(std::move(m_file));
                m_file.reset(store);
                emit fileRead(path, header);
                build(header, m_file->snapshot(), {}, m_file.get());
            });
    connect(opener, &SessionOpener::failed, this, [this, opener, generation](const QString &error) {
        opener->deleteLater();
        if (generation != m_generation)
            return;
        finish({}, error);
    });
}

void ReplaySource::build(const SessionHeader &header, TrafficStore::Snapshot snapshot, const QList<qsizetype> &rows,
                         const TrafficStore *from)
{
    // The conversations, as their clients saw them, or the chosen messages:
    // split out of the store in a thread of its own (it copies every client
    // message: about 0.2 s a million), from a snapshot of what was captured
    // so far, released there before the answer comes.
    if (from)
        m_reading.insert(from);
    auto conversations = [header, snapshot = std::move(snapshot), rows]() mutable {
        QString error;
        QList<ReplayScript> scripts = buildReplayScripts(header, snapshot, &error);
        snapshot.release();
        return std::pair(rows.isEmpty() ? scripts : selectReplaySteps(scripts, rows), error);
    };
    runInBackground(this, std::move(conversations),
                    [this, from, selection = !rows.isEmpty(), generation = m_generation](const auto &built) {
        if (from)
            retire(from);
        if (generation != m_generation)
            return; // another source was asked for meanwhile
        m_selection = selection;
        // A message that cannot be read back leaves nothing to replay: a
        // conversation with a gap would not be the one recorded.
        finish(built.first, built.second.isEmpty() ? QString() : tr("Cannot replay: %1").arg(built.second));
    });
}

void ReplaySource::finish(const QList<ReplayScript> &scripts, const QString &error)
{
    m_scripts = scripts;
    m_error = error;
    m_ready = true;
    emit ready();
}

void ReplaySource::retire(const TrafficStore *store)
{
    m_reading.remove(store);
    std::erase_if(m_retired, [store](const std::unique_ptr<TrafficStore> &s) { return s.get() == store; });
}

} // namespace PipeScope

#include "moc_replaysource.cpp"
