#pragma once

#include <QByteArray>
#include <QList>
#include <QMetaType>

#include <memory>

namespace PipeScope {

enum class Direction : quint8 {
    None, // connection events
    In,   // received by this endpoint
    Out,  // sent by this endpoint
};

enum class EventKind : quint8 {
    Connected,    // payload: a description of the peer
    Data,         // payload: the bytes exactly as sent or received
    Disconnected, // payload: empty, or why
    Error,        // payload: the error message, UTF-8
};

enum EventFlag : quint8 {
    NoFlags = 0,
    Incomplete = 1, // the peer vanished before the message ended
    Truncated = 2,  // the message exceeded the size limit; payload holds its start
    // In memory only, never in a file: the store let go of the payload when
    // its limit was reached; the file behind it (TrafficStore::backingFile())
    // holds the event's line at `logOffset`.
    NotKept = 4,
};

class PayloadBlock; // payloadblock.h

struct TrafficEvent
{
    qint64 timestampNs = 0; // nanoseconds since the Unix epoch
    quint32 endpoint = 0;   // a server or client, numbered per process
    quint32 instance = 0;   // the server's pipe instance, 1..n; 0 for a client
    Direction direction = Direction::None;
    EventKind kind = EventKind::Data;
    quint8 flags = NoFlags;
    quint32 parts = 0; // records or ERROR_MORE_DATA parts a received message came in
    // A monitor's message: nanoseconds from reading it off one peer's pipe
    // to handing it to the other's (at least 1, at most 2^32 - 1 ≈ 4.3 s);
    // 0 for every other event.
    quint32 relayNs = 0;
    // The bytes. When `block` is set they are a raw view into it: copy them
    // (QByteArray(payload.constData(), payload.size())) to keep them longer
    // than the event.
    QByteArray payload;
    std::shared_ptr<const PayloadBlock> block;
    // Where the event's line starts in the file that holds it: the capture
    // log it was written to (CaptureLog::append) or the session it was read
    // from (SessionReader); -1 when no file holds it.
    qint64 logOffset = -1;
};

using TrafficBatch = QList<TrafficEvent>;

qint64 nowNs();
const char *directionName(Direction direction);
const char *eventKindName(EventKind kind);

} // namespace PipeScope

Q_DECLARE_METATYPE(PipeScope::TrafficEvent)
Q_DECLARE_METATYPE(PipeScope::TrafficBatch)
