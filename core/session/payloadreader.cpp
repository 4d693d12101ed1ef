#include "payloadreader.h"

#include "units.h"

namespace PipeScope {

namespace {
// How far the reader goes on line by line rather than seek.
constexpr qint64 kReadForward = qint64(1) << 20;
} // namespace

PayloadReader::PayloadReader(TrafficStore::Snapshot snapshot) : m_snapshot(std::move(snapshot)) {}

PayloadReader::~PayloadReader() = default;

void PayloadReader::release()
{
    m_reader.reset();
    m_file.close();
    m_snapshot.release();
}

bool PayloadReader::fail(const TrafficStore::Record &record, const QString &why)
{
    m_error = QObject::tr("the %1 message of %2 was not kept in memory, and %3 %4")
                  .arg(formatSize(record.size), formatTime(record.timestampNs), m_snapshot.backingFile(), why);
    m_reader.reset();
    return false;
}

bool PayloadReader::read(qsizetype row, TrafficEvent &event)
{
    event = m_snapshot.eventAt(row);
    if (!(event.flags & NotKept))
        return true;
    const TrafficStore::Record &record = m_snapshot.record(row);
    const qint64 offset = record.logOffset;
    if (!m_file.isOpen()) {
        m_file.setFileName(m_snapshot.backingFile());
        if (!m_file.open(QIODevice::ReadOnly))
            return fail(record, QObject::tr("cannot be read: %1").arg(m_file.errorString()));
    }
    // Forward from the line read last when it is near, or afresh from the
    // row's own line.
    if (!m_reader || m_reader->lineOffset() >= offset || offset - m_reader->lineOffset() > kReadForward) {
        m_reader.reset();
        if (!m_file.seek(offset))
            return fail(record, QObject::tr("cannot be read at byte %1: %2").arg(offset).arg(m_file.errorString()));
        m_reader = std::make_unique<SessionReader>(&m_file);
    }
    TrafficEvent read;
    do {
        const SessionReader::Status status = m_reader->next(read);
        if (status == SessionReader::Status::Error)
            return fail(record, QObject::tr("does not hold it at byte %1 (%2)").arg(offset).arg(m_reader->error()));
        if (status != SessionReader::Status::Event)
            return fail(record, QObject::tr("ends before byte %1, where it was").arg(offset));
    } while (m_reader->lineOffset() < offset);
    // The same event, or the file was changed since.
    if (m_reader->lineOffset() != offset || read.timestampNs != event.timestampNs || read.endpoint != event.endpoint ||
        read.instance != event.instance || read.direction != event.direction || read.kind != event.kind ||
        read.payload.size() != qsizetype(record.size))
        return fail(record, QObject::tr("holds another event at byte %1: it was changed since").arg(offset));
    event.payload = std::move(read.payload);
    event.flags = read.flags;
    event.parts = read.parts;
    return true;
}

} // namespace PipeScope
