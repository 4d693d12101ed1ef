#pragma once

#include <QByteArray>
#include <QList>
#include <QMetaType>

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
};

struct TrafficEvent
{
    qint64 timestampNs = 0; // nanoseconds since the Unix epoch
    quint32 endpoint = 0;   // a server or client, numbered per process
    quint32 instance = 0;   // the server's pipe instance, 1..n; 0 for a client
    Direction direction = Direction::None;
    EventKind kind = EventKind::Data;
    quint8 flags = NoFlags;
    quint32 parts = 0; // records or ERROR_MORE_DATA parts a received message came in
    QByteArray payload;
};

using TrafficBatch = QList<TrafficEvent>;

qint64 nowNs();
const char *directionName(Direction direction);
const char *eventKindName(EventKind kind);

} // namespace PipeScope

Q_DECLARE_METATYPE(PipeScope::TrafficEvent)
Q_DECLARE_METATYPE(PipeScope::TrafficBatch)
