#pragma once

#include "endpointconfig.h"
#include "trafficevent.h"

#include <QByteArray>
#include <QList>
#include <QString>

class QIODevice;

namespace PipeScope {

// A PipeScope session file: JSON Lines, UTF-8 (docs/session-format.md).
// Line 1 is the header (format version, app version, each endpoint's
// configuration); every further line is one event. Streamable both ways:
// the writer appends a line per event, the reader takes a line at a time.
// Version 2 added monitors (an endpoint of kind "monitor") and the relay
// time of their messages ("relay_ns"); version 1 files load as they are.
inline constexpr int kSessionFormatVersion = 2;

struct SessionEndpoint
{
    // A monitor is a server (`server`, its listening side) whose clients
    // are passed on to server.relayTo.
    enum class Kind { Server, Client, Monitor };
    quint32 id = 0;
    Kind kind = Kind::Server;
    ServerConfig server; // Kind::Server, Kind::Monitor
    ClientConfig client; // Kind::Client
    // When these settings took effect (ns since the epoch): 0 for an
    // endpoint's first, a time for a change (it ran again with others).
    qint64 sinceNs = 0;
    QString name() const { return kind == Kind::Client ? client.name : server.name; }
};

struct SessionHeader
{
    int version = kSessionFormatVersion;
    QString app;     // the PipeScope version that wrote it
    QString created; // ISO 8601, UTC
    // Each endpoint's first settings, one per id.
    QList<SessionEndpoint> endpoints;
    // Settings an endpoint ran with later, in the order they took effect
    // (each with its sinceNs): a server that ran with rules, then echo.
    QList<SessionEndpoint> changes;

    // Takes a declaration read after the header: a first one is an
    // endpoint; one with a time, of an id declared before, a change; one
    // without a time replaces the endpoint's first settings.
    void declare(const SessionEndpoint &endpoint);
};

// The header's line and an event's line, without the newline.
QByteArray encodeSessionHeader(const SessionHeader &header);
QByteArray encodeSessionEvent(const TrafficEvent &event);
// Every event of a batch as lines, each ending in a newline; with
// `lineStarts`, where each event's line starts in what is returned.
QByteArray encodeSessionEvents(const TrafficBatch &batch, QList<qsizetype> *lineStarts = nullptr);
// A line declaring an endpoint after the header: {"endpoint":{…}}, for a
// file written while endpoints come and go (the journal); a change of its
// settings carries the time it took effect: {"endpoint":{…},"t":T}.
QByteArray encodeSessionEndpoint(const SessionEndpoint &endpoint);

// Writes a session to a device as events come. Not thread-safe.
class SessionWriter
{
public:
    explicit SessionWriter(QIODevice *device) : m_device(device) {}
    bool writeHeader(const SessionHeader &header);
    bool writeEndpoint(const SessionEndpoint &endpoint);
    // Appends every event of the batch; one write for the whole batch.
    bool write(const TrafficBatch &batch);
    // Appends lines already encoded (encodeSessionEvents()), whole.
    bool writeLines(const QByteArray &lines);
    QString errorString() const { return m_error; }

private:
    QIODevice *m_device;
    QString m_error;
};

// Reads a session a line at a time. Every problem is named with its line:
// "line 7: \"b64\" is not valid base64".
class SessionReader
{
public:
    enum class Status {
        Event,     // `event` holds the next one
        End,       // the file ended cleanly
        Truncated, // the last line was cut off (a crash while writing); error() says so
        Error,     // error() says what and where; nothing after it is read
    };

    SessionReader(QIODevice *device, std::size_t maxPayload = Native::kDefaultMaxMessageSize);

    // Reads and checks line 1.
    bool readHeader(SessionHeader &header);
    Status next(TrafficEvent &event);
    const QString &error() const { return m_error; }
    qint64 line() const { return m_line; }
    // Where the last line read starts in the device (its position when the
    // reader was made counts as where the reader started).
    qint64 lineOffset() const { return m_lineOffset; }
    // Endpoints declared by lines after the header, so far, in order (give
    // each to SessionHeader::declare()).
    const QList<SessionEndpoint> &declaredEndpoints() const { return m_declared; }

private:
    enum class LineStatus { Complete, Unterminated, End, TooLong, ReadError };
    // The next line, without its newline; valid until the next call.
    LineStatus nextLine(QByteArrayView &line, qint64 maxLength);
    bool fail(const QString &problem);
    bool parseEvent(QByteArrayView line, TrafficEvent &event);
    bool parseEndpoint(QByteArrayView line);

    QIODevice *m_device;
    std::size_t m_maxPayload;
    qint64 m_maxLine;
    qint64 m_line = 0;
    qint64 m_events = 0;
    QList<SessionEndpoint> m_declared;
    QString m_error;
    // Read ahead in large chunks; lines are split out of it without copies.
    QByteArray m_chunk;
    qsizetype m_pos = 0;
    qint64 m_chunkOffset = 0; // where m_chunk[0] is in the device
    qint64 m_lineOffset = -1;
    bool m_eof = false;
};

} // namespace PipeScope
