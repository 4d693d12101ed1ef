#include "trafficstore.h"

#include "memory.h"
#include "payloadblock.h"

#include <condition_variable>
#include <cstring>
#include <mutex>

namespace PipeScope {

// How many snapshots are held, by any thread.
struct TrafficStore::Readers
{
    std::mutex mutex;
    std::condition_variable released;
    int count = 0;
};

TrafficStore::TrafficStore(QObject *parent)
    : QObject(parent),
      m_readers(std::make_shared<Readers>())
{
}

TrafficStore::~TrafficStore()
{
    waitForReaders();
}

void TrafficStore::waitForReaders() const
{
    std::unique_lock lock(m_readers->mutex);
    m_readers->released.wait(lock, [this] { return m_readers->count == 0; });
}

quint64 TrafficStore::defaultPayloadLimit()
{
    const std::uint64_t memory = Native::physicalMemory();
    return memory ? memory / 4 : quint64(1) << 30;
}

const char *TrafficStore::storePayload(const TrafficEvent &event, bool *kept)
{
    *kept = true;
    const QByteArray &bytes = event.payload;
    const auto size = std::size_t(bytes.size());
    if (size == 0)
        return nullptr;
    // Past the limit, a message a file holds costs its record only — unless
    // its bytes are in a block held already, where they cost nothing more.
    if (m_payloadLimit && payloadMemory() >= m_payloadLimit && event.kind == EventKind::Data &&
        event.logOffset >= 0 && !m_backingFile.isEmpty()) {
        const bool held = event.block && (event.block.get() == m_lastBlock || m_blockSet.contains(event.block.get()));
        if (!held) {
            *kept = false;
            return nullptr;
        }
    }
    if (event.block) {
        // Consecutive events mostly share a block: skip the set then.
        if (event.block.get() != m_lastBlock && !m_blockSet.contains(event.block.get())) {
            m_blockSet.insert(event.block.get());
            m_blocksHeld.push_back(event.block);
            m_blockBytes += event.block->capacity();
        }
        m_lastBlock = event.block.get();
        return bytes.constData();
    }
    if (bytes.size() > kAdoptSize) {
        QByteArray adopted = bytes;
        // A message that grew part by part may hold spare capacity.
        if (adopted.capacity() > adopted.size() + adopted.size() / 4)
            adopted.squeeze();
        m_adoptedBytes += quint64(adopted.capacity());
        m_adopted.push_back(std::move(adopted));
        return m_adopted.back().constData();
    }
    if (m_chunks.empty() || m_chunks.back().capacity - m_chunks.back().used < size) {
        Chunk chunk;
        chunk.data = std::make_unique_for_overwrite<char[]>(kChunkSize);
        chunk.capacity = kChunkSize;
        m_chunks.push_back(std::move(chunk));
        m_chunkBytes += kChunkSize;
    }
    Chunk &chunk = m_chunks.back();
    char *at = chunk.data.get() + chunk.used;
    std::memcpy(at, bytes.constData(), size);
    chunk.used += size;
    return at;
}

void TrafficStore::append(const TrafficBatch &batch)
{
    if (batch.isEmpty())
        return;
    const qsizetype first = m_count;
    bool limitReached = false;
    for (const TrafficEvent &event : batch) {
        const std::size_t block = std::size_t(m_count) >> kBlockShift;
        if (block == m_blocks.size())
            m_blocks.push_back(std::make_unique_for_overwrite<Record[]>(kBlockSize));
        Record &r = m_blocks[block][std::size_t(m_count) & kBlockMask];
        r.timestampNs = event.timestampNs;
        bool kept = true;
        r.payload = storePayload(event, &kept);
        r.size = quint32(event.payload.size());
        r.parts = event.parts;
        r.endpoint = event.endpoint;
        r.instance = event.instance;
        r.direction = event.direction;
        r.kind = event.kind;
        r.flags = event.flags & ~NotKept;
        r.relayNs = event.relayNs;
        if (!kept) {
            r.logOffset = event.logOffset;
            r.flags |= NotKept;
            if (m_notKept++ == 0)
                limitReached = true;
        }
        ++m_count;
        if (event.kind == EventKind::Data) {
            const quint64 size = quint64(event.payload.size());
            for (InstanceStats *s : {&m_stats[quint64(event.endpoint) << 32 | event.instance],
                                     &m_endpointStats[event.endpoint]}) {
                if (event.direction == Direction::In) {
                    ++s->messagesIn;
                    s->bytesIn += size;
                } else {
                    ++s->messagesOut;
                    s->bytesOut += size;
                }
            }
        }
    }
    emit appended(first, m_count - first);
    if (limitReached)
        emit payloadLimitReached();
}

QByteArrayView TrafficStore::payload(qsizetype row) const
{
    const Record &r = record(row);
    if (r.flags & NotKept)
        return {};
    return QByteArrayView(r.payload, qsizetype(r.size));
}

TrafficStore::Snapshot TrafficStore::snapshot() const
{
    Snapshot s;
    {
        std::lock_guard lock(m_readers->mutex);
        ++m_readers->count;
    }
    // The lease outlives the store if need be: it holds the counter.
    s.m_lease = std::shared_ptr<void>(nullptr, [readers = m_readers](void *) {
        std::lock_guard lock(readers->mutex);
        if (--readers->count == 0)
            readers->released.notify_all();
    });
    s.m_count = m_count;
    s.m_backingFile = m_backingFile;
    s.m_blocks.reserve(m_blocks.size());
    for (const auto &block : m_blocks)
        s.m_blocks.push_back(block.get());
    return s;
}

namespace {
// The event a record holds, its payload a view into the store.
TrafficEvent eventOf(const TrafficStore::Record &r)
{
    TrafficEvent e;
    e.timestampNs = r.timestampNs;
    e.endpoint = r.endpoint;
    e.instance = r.instance;
    e.direction = r.direction;
    e.kind = r.kind;
    e.flags = r.flags;
    e.parts = r.parts;
    e.relayNs = r.relayNs;
    if (r.flags & NotKept)
        e.logOffset = r.logOffset; // the payload: PayloadReader
    else
        e.payload = QByteArray::fromRawData(r.payload, qsizetype(r.size));
    return e;
}
} // namespace

TrafficEvent TrafficStore::Snapshot::eventAt(qsizetype row) const
{
    return eventOf(record(row));
}

TrafficEvent TrafficStore::eventAt(qsizetype row) const
{
    TrafficEvent e = eventOf(record(row));
    e.payload.detach(); // a copy of its own
    return e;
}

TrafficStore::InstanceStats TrafficStore::stats(quint32 endpoint, quint32 instance) const
{
    return m_stats.value(quint64(endpoint) << 32 | instance);
}

TrafficStore::InstanceStats TrafficStore::endpointStats(quint32 endpoint) const
{
    return m_endpointStats.value(endpoint);
}

TrafficStore::InstanceStats TrafficStore::totals() const
{
    InstanceStats sum;
    for (const InstanceStats &s : m_stats) {
        sum.messagesIn += s.messagesIn;
        sum.messagesOut += s.messagesOut;
        sum.bytesIn += s.bytesIn;
        sum.bytesOut += s.bytesOut;
    }
    return sum;
}

quint64 TrafficStore::memoryUsed() const
{
    quint64 total = quint64(m_blocks.size()) * kBlockSize * sizeof(Record);
    total += quint64(m_blocks.capacity()) * sizeof(void *);
    for (const Chunk &chunk : m_chunks)
        total += chunk.capacity;
    total += quint64(m_chunks.capacity()) * sizeof(Chunk);
    // An adopted array: its vector slot, the array's header and capacity.
    total += quint64(m_adopted.capacity()) * sizeof(QByteArray) + m_adopted.size() * 16 + m_adoptedBytes;
    total += m_blockBytes + quint64(m_blocksHeld.capacity()) * sizeof(m_blocksHeld[0]) +
             quint64(m_blockSet.capacity()) * sizeof(void *);
    return total;
}

void TrafficStore::clear()
{
    waitForReaders();
    m_blocks.clear();
    m_chunks.clear();
    m_chunkBytes = 0;
    m_notKept = 0;
    m_adopted.clear();
    m_adoptedBytes = 0;
    m_blocksHeld.clear();
    m_blockSet.clear();
    m_blockBytes = 0;
    m_lastBlock = nullptr;
    m_count = 0;
    m_stats.clear();
    m_endpointStats.clear();
    emit cleared();
}

} // namespace PipeScope

#include "moc_trafficstore.cpp"
