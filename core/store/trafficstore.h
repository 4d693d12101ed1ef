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
//
// Payloads are bounded: past setPayloadLimit(), a message whose line a file
// holds (the window's journal, written ahead of the store; the session it
// was opened from) keeps its record — time, size, direction — and the
// offset of that line, not its bytes: it is flagged NotKept, and
// PayloadReader reads it back. Nothing is let go that no file holds, and
// nothing already kept is ever let go.
class TrafficStore : public QObject
{
    Q_OBJECT
public:
    struct Record
    {
        qint64 timestampNs;
        union {
            const char *payload; // into an arena chunk or an adopted array
            qint64 logOffset;    // NotKept: where the backing file holds its line
        };
        quint32 size;
        quint32 parts;
        quint32 endpoint;
        quint32 instance;
        Direction direction;
        EventKind kind;
        quint8 flags;
        quint32 relayNs; // in what was padding: the record stays 40 bytes
    };

    static_assert(sizeof(Record) == 40, "a record is 40 bytes: a million events take 40 MB");

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
    // Empty for a NotKept row: PayloadReader reads those back.
    QByteArrayView payload(qsizetype row) const;
    TrafficEvent eventAt(qsizetype row) const;

    InstanceStats stats(quint32 endpoint, quint32 instance) const;
    // An endpoint's, all its instances together (those the tree no longer
    // lists included: what its tab shows).
    InstanceStats endpointStats(quint32 endpoint) const;
    // Every endpoint's and instance's together.
    InstanceStats totals() const;

    // Bytes held: records, payload arenas and their slack.
    quint64 memoryUsed() const;
    // Bytes held for payloads alone: what the limit bounds.
    quint64 payloadMemory() const { return m_chunkBytes + m_adoptedBytes + m_blockBytes; }

    // The file that holds every event appended from now on that carries a
    // logOffset: the journal the hub writes ahead, or the session being
    // loaded. Without one, every payload is kept, whatever the limit.
    void setBackingFile(const QString &path) { m_backingFile = path; }
    QString backingFile() const { return m_backingFile; }
    // 0 (the default): no limit.
    void setPayloadLimit(quint64 bytes) { m_payloadLimit = bytes; }
    quint64 payloadLimit() const { return m_payloadLimit; }
    // Messages whose bytes are in the backing file only.
    qsizetype notKept() const { return m_notKept; }
    // The default limit: a quarter of the machine's memory (1 GiB when the
    // system does not say).
    static quint64 defaultPayloadLimit();

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
        QString backingFile() const { return m_backingFile; }
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
        // The event, its payload a view into the store (no copy); a
        // NotKept one has no payload, and its logOffset (PayloadReader).
        TrafficEvent eventAt(qsizetype row) const;

    private:
        friend class TrafficStore;
        std::shared_ptr<void> m_lease;
        std::vector<const Record *> m_blocks;
        qsizetype m_count = 0;
        QString m_backingFile;
    };
    Snapshot snapshot() const;

    void append(const TrafficBatch &batch);
    void clear();

signals:
    void appended(qsizetype first, qsizetype count);
    void cleared();
    // The first message past the limit was not kept in memory: said once
    // (again after clear()).
    void payloadLimitReached();

private:
    static constexpr std::size_t kBlockShift = 12;
    static constexpr std::size_t kBlockSize = std::size_t(1) << kBlockShift;
    static constexpr std::size_t kBlockMask = kBlockSize - 1;
    static constexpr std::size_t kChunkSize = std::size_t(1) << 20;
    // Above this a payload is adopted rather than copied.
    static constexpr qsizetype kAdoptSize = 4096;

    // Where the payload went, or null when it is not kept (*kept false).
    const char *storePayload(const TrafficEvent &event, bool *kept);
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
    quint64 m_chunkBytes = 0;
    std::vector<QByteArray> m_adopted;
    quint64 m_adoptedBytes = 0;
    // Workers' blocks that stored payloads point into.
    std::vector<std::shared_ptr<const PayloadBlock>> m_blocksHeld;
    QSet<const PayloadBlock *> m_blockSet;
    quint64 m_blockBytes = 0;
    const PayloadBlock *m_lastBlock = nullptr;
    QHash<quint64, InstanceStats> m_stats;
    QHash<quint32, InstanceStats> m_endpointStats;
    QString m_backingFile;
    quint64 m_payloadLimit = 0;
    qsizetype m_notKept = 0;
};

} // namespace PipeScope
