#pragma once

#include "trafficevent.h"

#include <QByteArrayView>
#include <QHash>
#include <QSet>
#include <QObject>

#include <memory>
#include <vector>

namespace PipeScope {

// Every captured event, append-only and compact: a 40-byte record per event.
// Payloads are not copied on the consumer's thread where avoidable: those a
// worker read into its blocks stay there (the store holds the blocks), large
// arrays are adopted as they are, and only small loose payloads (sent
// messages, errors) are packed into 1 MiB chunks of the store's own.
// Records and payloads never move once stored, so views of them stay valid
// until clear().
class TrafficStore : public QObject
{
    Q_OBJECT
public:
    struct Record
    {
        qint64 timestampNs;
        const char *payload; // into an arena chunk or an adopted array
        quint32 size;
        quint32 parts;
        quint32 endpoint;
        quint32 instance;
        Direction direction;
        EventKind kind;
        quint8 flags;
    };

    struct InstanceStats
    {
        quint64 messagesIn = 0;
        quint64 messagesOut = 0;
        quint64 bytesIn = 0;
        quint64 bytesOut = 0;
    };

    explicit TrafficStore(QObject *parent = nullptr);
    ~TrafficStore() override;

    qsizetype count() const { return m_count; }
    const Record &record(qsizetype row) const
    {
        return m_blocks[std::size_t(row) >> kBlockShift][std::size_t(row) & kBlockMask];
    }
    QByteArrayView payload(qsizetype row) const;
    TrafficEvent eventAt(qsizetype row) const;

    InstanceStats stats(quint32 endpoint, quint32 instance) const;
    // Every endpoint's and instance's together.
    InstanceStats totals() const;

    // Bytes held: records, payload arenas and their slack.
    quint64 memoryUsed() const;

    // The first `count` rows as they are now, readable from another thread
    // while this one goes on appending: records and payloads never move.
    // While any copy of a snapshot is held, clear() and the destructor wait
    // for it to be released, so a reader never sees its memory go: a save
    // that has begun ends, even when its window closes. A thread drops its
    // snapshot with release() when done, not when the thread object is
    // deleted later.
    class Snapshot
    {
    public:
        qsizetype count() const { return m_count; }
        void release()
        {
            m_lease.reset();
            m_blocks.clear();
            m_count = 0;
        }
        const Record &record(qsizetype row) const
        {
            return m_blocks[std::size_t(row) >> kBlockShift][std::size_t(row) & kBlockMask];
        }
        // The event, its payload a view into the store (no copy).
        TrafficEvent eventAt(qsizetype row) const;

    private:
        friend class TrafficStore;
        std::shared_ptr<void> m_lease;
        std::vector<const Record *> m_blocks;
        qsizetype m_count = 0;
    };
    Snapshot snapshot() const;

    void append(const TrafficBatch &batch);
    void clear();

signals:
    void appended(qsizetype first, qsizetype count);
    void cleared();

private:
    static constexpr std::size_t kBlockShift = 12;
    static constexpr std::size_t kBlockSize = std::size_t(1) << kBlockShift;
    static constexpr std::size_t kBlockMask = kBlockSize - 1;
    static constexpr std::size_t kChunkSize = std::size_t(1) << 20;
    // Above this a payload is adopted rather than copied.
    static constexpr qsizetype kAdoptSize = 4096;

    const char *storePayload(const TrafficEvent &event);
    // Returns once no snapshot is held.
    void waitForReaders() const;

    struct Readers;
    std::shared_ptr<Readers> m_readers;

    std::vector<std::unique_ptr<Record[]>> m_blocks;
    qsizetype m_count = 0;

    struct Chunk
    {
        std::unique_ptr<char[]> data;
        std::size_t capacity = 0;
        std::size_t used = 0;
    };
    std::vector<Chunk> m_chunks;
    std::vector<QByteArray> m_adopted;
    quint64 m_adoptedBytes = 0;
    // Workers' blocks that stored payloads point into.
    std::vector<std::shared_ptr<const PayloadBlock>> m_blocksHeld;
    QSet<const PayloadBlock *> m_blockSet;
    quint64 m_blockBytes = 0;
    const PayloadBlock *m_lastBlock = nullptr;
    QHash<quint64, InstanceStats> m_stats;
};

} // namespace PipeScope
