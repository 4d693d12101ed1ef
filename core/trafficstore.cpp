#include "trafficstore.h"

#include <cstring>

namespace PipeScope {

TrafficStore::TrafficStore(QObject *parent) : QObject(parent) {}
TrafficStore::~TrafficStore() = default;

quint64 TrafficStore::storePayload(const QByteArray &bytes)
{
    const auto size = std::size_t(bytes.size());
    if (size == 0)
        return 0;
    // Payloads above a quarter chunk get a chunk of their own, so that the
    // shared chunks never waste more than a quarter of their space.
    if (size > kChunkSize / 4) {
        Chunk chunk;
        chunk.data = std::make_unique_for_overwrite<char[]>(size);
        chunk.capacity = chunk.used = size;
        std::memcpy(chunk.data.get(), bytes.constData(), size);
        m_chunks.push_back(std::move(chunk));
        return quint64(m_chunks.size() - 1) << 32;
    }
    if (m_openChunk == std::size_t(-1) || m_chunks[m_openChunk].capacity - m_chunks[m_openChunk].used < size) {
        Chunk chunk;
        chunk.data = std::make_unique_for_overwrite<char[]>(kChunkSize);
        chunk.capacity = kChunkSize;
        m_chunks.push_back(std::move(chunk));
        m_openChunk = m_chunks.size() - 1;
    }
    Chunk &chunk = m_chunks[m_openChunk];
    const std::size_t offset = chunk.used;
    std::memcpy(chunk.data.get() + offset, bytes.constData(), size);
    chunk.used += size;
    return quint64(m_openChunk) << 32 | quint64(offset);
}

void TrafficStore::append(const TrafficBatch &batch)
{
    if (batch.isEmpty())
        return;
    const qsizetype first = m_count;
    for (const TrafficEvent &event : batch) {
        const std::size_t block = std::size_t(m_count) >> kBlockShift;
        if (block == m_blocks.size())
            m_blocks.push_back(std::make_unique_for_overwrite<Record[]>(kBlockSize));
        Record &r = m_blocks[block][std::size_t(m_count) & kBlockMask];
        r.timestampNs = event.timestampNs;
        r.payloadRef = storePayload(event.payload);
        r.size = quint32(event.payload.size());
        r.parts = event.parts;
        r.endpoint = event.endpoint;
        r.instance = event.instance;
        r.direction = event.direction;
        r.kind = event.kind;
        r.flags = event.flags;
        ++m_count;
        if (event.kind == EventKind::Data) {
            InstanceStats &s = m_stats[quint64(event.endpoint) << 32 | event.instance];
            if (event.direction == Direction::In) {
                ++s.messagesIn;
                s.bytesIn += quint64(event.payload.size());
            } else {
                ++s.messagesOut;
                s.bytesOut += quint64(event.payload.size());
            }
        }
    }
    emit appended(first, m_count - first);
}

QByteArrayView TrafficStore::payload(qsizetype row) const
{
    const Record &r = record(row);
    if (r.size == 0)
        return {};
    const Chunk &chunk = m_chunks[std::size_t(r.payloadRef >> 32)];
    return QByteArrayView(chunk.data.get() + (r.payloadRef & 0xffffffffu), qsizetype(r.size));
}

TrafficEvent TrafficStore::event(qsizetype row) const
{
    const Record &r = record(row);
    TrafficEvent e;
    e.timestampNs = r.timestampNs;
    e.endpoint = r.endpoint;
    e.instance = r.instance;
    e.direction = r.direction;
    e.kind = r.kind;
    e.flags = r.flags;
    e.parts = r.parts;
    e.payload = payload(row).toByteArray();
    return e;
}

TrafficStore::InstanceStats TrafficStore::stats(quint32 endpoint, quint32 instance) const
{
    return m_stats.value(quint64(endpoint) << 32 | instance);
}

quint64 TrafficStore::memoryUsed() const
{
    quint64 total = quint64(m_blocks.size()) * kBlockSize * sizeof(Record);
    total += quint64(m_blocks.capacity()) * sizeof(void *);
    for (const Chunk &chunk : m_chunks)
        total += chunk.capacity;
    total += quint64(m_chunks.capacity()) * sizeof(Chunk);
    return total;
}

void TrafficStore::clear()
{
    m_blocks.clear();
    m_chunks.clear();
    m_openChunk = std::size_t(-1);
    m_count = 0;
    m_stats.clear();
    emit cleared();
}

} // namespace PipeScope
