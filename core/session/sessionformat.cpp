#include "sessionformat.h"

#include "endpointjson.h"
#include "jsonline.h"
#include "units.h"

#include <QDateTime>
#include <QIODevice>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <limits>
#include <optional>

namespace PipeScope {

namespace {

// Whether a line is {"endpoint":{…}}: its first member is "endpoint",
// whatever the spaces a person put around it.
bool declaresEndpoint(QByteArrayView line)
{
    const auto skip = [&](qsizetype at) {
        while (at < line.size() && (line[at] == ' ' || line[at] == '\t' || line[at] == '\r'))
            ++at;
        return at;
    };
    const qsizetype brace = skip(0);
    if (brace >= line.size() || line[brace] != '{')
        return false;
    return line.sliced(skip(brace + 1)).startsWith("\"endpoint\"");
}

} // namespace

QByteArray encodeSessionHeader(const SessionHeader &header)
{
    QJsonObject o;
    o[QLatin1String("pipescope-session")] = header.version;
    o[QLatin1String("app")] = header.app;
    o[QLatin1String("created")] = header.created.isEmpty()
                                      ? QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)
                                      : header.created;
    QJsonArray endpoints;
    for (const SessionEndpoint &e : header.endpoints)
        endpoints.append(endpointToJson(e));
    o[QLatin1String("endpoints")] = endpoints;
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QByteArray encodeSessionEvent(const TrafficEvent &e)
{
    QByteArray out;
    out.reserve(96 + e.payload.size() * 4 / 3);
    out += "{\"t\":";
    out += QByteArray::number(e.timestampNs);
    out += ",\"e\":";
    out += QByteArray::number(e.endpoint);
    if (e.instance) {
        out += ",\"i\":";
        out += QByteArray::number(e.instance);
    }
    if (e.direction != Direction::None) {
        out += ",\"dir\":\"";
        out += directionName(e.direction);
        out += '"';
    }
    out += ",\"kind\":\"";
    out += eventKindName(e.kind);
    out += '"';
    // Parts are what a received message came in: every "in" message, and
    // a monitor's in both directions; and the records a sent one went out
    // in, when more than the default 1.
    if (e.kind == EventKind::Data && (e.direction == Direction::In || e.relayNs || e.parts > 1)) {
        out += ",\"parts\":";
        out += QByteArray::number(e.parts);
    }
    if (e.relayNs) {
        out += ",\"relay_ns\":";
        out += QByteArray::number(e.relayNs);
    }
    if (e.flags & Incomplete)
        out += ",\"incomplete\":true";
    if (e.flags & Truncated)
        out += ",\"truncated\":true";
    if (isPrintableText(e.payload)) {
        out += ",\"text\":";
        appendJsonString(out, e.payload);
    } else {
        out += ",\"b64\":\"";
        out += e.payload.toBase64();
        out += '"';
    }
    out += '}';
    return out;
}

bool SessionWriter::writeHeader(const SessionHeader &header)
{
    return writeLines(encodeSessionHeader(header) + '\n');
}

bool SessionWriter::writeEndpoint(const SessionEndpoint &endpoint)
{
    return writeLines(encodeSessionEndpoint(endpoint) + '\n');
}

QByteArray encodeSessionEndpoint(const SessionEndpoint &endpoint)
{
    // "endpoint" stays the first member (the reader tells such a line by
    // it): QJsonObject writes its members sorted.
    QJsonObject line{{QLatin1String("endpoint"), endpointToJson(endpoint)}};
    if (endpoint.sinceNs > 0)
        line[QLatin1String("t")] = endpoint.sinceNs;
    return QJsonDocument(line).toJson(QJsonDocument::Compact);
}

void SessionHeader::declare(const SessionEndpoint &endpoint)
{
    const auto known = std::find_if(endpoints.begin(), endpoints.end(),
                                    [&](const SessionEndpoint &e) { return e.id == endpoint.id; });
    if (known == endpoints.end()) {
        endpoints.append(endpoint);
        endpoints.last().sinceNs = 0;
    } else if (endpoint.sinceNs > 0) {
        changes.append(endpoint);
    } else {
        *known = endpoint;
    }
}

QByteArray encodeSessionEvents(const TrafficBatch &batch, QList<qsizetype> *lineStarts)
{
    // One allocation for the batch: base64 is 4/3 of a payload, and text
    // is rarely longer; the members take under 128 bytes.
    qsizetype estimate = 0;
    for (const TrafficEvent &e : batch)
        estimate += 128 + e.payload.size() * 4 / 3;
    QByteArray lines;
    lines.reserve(estimate);
    if (lineStarts) {
        lineStarts->clear();
        lineStarts->reserve(batch.size());
    }
    for (const TrafficEvent &e : batch) {
        if (lineStarts)
            lineStarts->append(lines.size());
        lines += encodeSessionEvent(e);
        lines += '\n';
    }
    return lines;
}

bool SessionWriter::write(const TrafficBatch &batch)
{
    return writeLines(encodeSessionEvents(batch));
}

bool SessionWriter::writeLines(const QByteArray &bytes)
{
    // A short write is not an error to the device: a file that reached its
    // size limit or a full disk takes what fits, and only the next write
    // fails, with the reason. A file that a QSaveFile would then commit
    // is cut short, so the rest is written until it all went or one fails.
    qsizetype written = 0;
    while (written < bytes.size()) {
        const qint64 n = m_device->write(bytes.constData() + written, bytes.size() - written);
        if (n <= 0) {
            m_error = n < 0 ? m_device->errorString()
                            : QStringLiteral("the device took %1 of %2 bytes").arg(written).arg(bytes.size());
            return false;
        }
        written += qsizetype(n);
    }
    return true;
}

SessionReader::SessionReader(QIODevice *device, std::size_t maxPayload)
    : m_device(device),
      m_maxPayload(maxPayload),
      // The longest line a payload of the limit can make: every byte a
      // \u00XX escape, plus the other members.
      m_maxLine(qint64(maxPayload) * 6 + 4096),
      m_chunkOffset(device->isSequential() ? 0 : device->pos())
{
}

bool SessionReader::fail(const QString &problem)
{
    m_error = QStringLiteral("line %1: %2").arg(m_line).arg(problem);
    return false;
}

SessionReader::LineStatus SessionReader::nextLine(QByteArrayView &line, qint64 maxLength)
{
    constexpr qsizetype kChunk = qsizetype(1) << 20;
    qsizetype searchFrom = m_pos;
    for (;;) {
        const qsizetype newline = m_chunk.indexOf('\n', searchFrom);
        if (newline >= 0) {
            if (newline - m_pos > maxLength)
                return LineStatus::TooLong;
            m_lineOffset = m_chunkOffset + m_pos;
            line = QByteArrayView(m_chunk.constData() + m_pos, newline - m_pos);
            m_pos = newline + 1;
            return LineStatus::Complete;
        }
        if (m_chunk.size() - m_pos > maxLength)
            return LineStatus::TooLong;
        if (m_eof) {
            if (m_pos == m_chunk.size())
                return LineStatus::End;
            m_lineOffset = m_chunkOffset + m_pos;
            line = QByteArrayView(m_chunk.constData() + m_pos, m_chunk.size() - m_pos);
            m_pos = m_chunk.size();
            return LineStatus::Unterminated;
        }
        // Keep the unfinished line, read more behind it.
        m_chunk.remove(0, m_pos);
        m_chunkOffset += m_pos;
        m_pos = 0;
        searchFrom = m_chunk.size();
        const qsizetype had = m_chunk.size();
        m_chunk.resize(had + kChunk);
        const qint64 got = m_device->read(m_chunk.data() + had, kChunk);
        if (got < 0) {
            m_chunk.resize(had);
            return LineStatus::ReadError;
        }
        m_chunk.resize(had + qsizetype(got));
        if (got == 0)
            m_eof = true;
    }
}

bool SessionReader::readHeader(SessionHeader &header)
{
    m_line = 1;
    QByteArrayView line;
    const LineStatus status = nextLine(line, qint64(1) << 24);
    if (status == LineStatus::End)
        return fail(QStringLiteral("the file is empty, not a PipeScope session"));
    if (status == LineStatus::ReadError)
        return fail(QStringLiteral("cannot read: %1").arg(m_device->errorString()));
    if (status == LineStatus::TooLong)
        return fail(QStringLiteral("not a PipeScope session (the first line is over 16 MiB)"));
    QJsonParseError parseError{};
    const QJsonDocument doc = QJsonDocument::fromJson(line.toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject())
        return fail(QStringLiteral("not a PipeScope session (the first line is not a JSON object%1)")
                        .arg(parseError.error != QJsonParseError::NoError ? QStringLiteral(": ") + parseError.errorString()
                                                                           : QString()));
    const QJsonObject o = doc.object();
    const QJsonValue versionValue = o.value(QLatin1String("pipescope-session"));
    if (!versionValue.isDouble())
        return fail(QStringLiteral("not a PipeScope session (no \"pipescope-session\" version)"));
    const std::optional<qint64> version = wholeNumber(versionValue);
    if (!version || *version < 1)
        return fail(QStringLiteral("\"pipescope-session\" must be a version number, 1 or more"));
    header.version = int(std::min<qint64>(*version, std::numeric_limits<int>::max()));
    if (header.version > kSessionFormatVersion)
        return fail(QStringLiteral("format version %1 is newer than this PipeScope reads (%2); a newer PipeScope opens it")
                        .arg(header.version)
                        .arg(kSessionFormatVersion));
    header.app = o.value(QLatin1String("app")).toString();
    header.created = o.value(QLatin1String("created")).toString();
    header.endpoints.clear();
    for (const QJsonValue &v : o.value(QLatin1String("endpoints")).toArray()) {
        SessionEndpoint e;
        QString why;
        if (!v.isObject() || !endpointFromJson(v.toObject(), e, why))
            return fail(why.isEmpty() ? QStringLiteral("an endpoint must be an object") : why);
        header.endpoints.append(e);
    }
    return true;
}

SessionReader::Status SessionReader::next(TrafficEvent &event)
{
    for (;;) {
        QByteArrayView line;
        const LineStatus status = nextLine(line, m_maxLine);
        if (status == LineStatus::End)
            return Status::End;
        ++m_line;
        if (status == LineStatus::ReadError) {
            fail(QStringLiteral("cannot read: %1").arg(m_device->errorString()));
            return Status::Error;
        }
        if (status == LineStatus::TooLong) {
            fail(QStringLiteral("longer than %1 bytes, more than a message of the size limit needs").arg(m_maxLine));
            return Status::Error;
        }
        if (line.trimmed().isEmpty()) {
            if (status == LineStatus::Unterminated)
                return Status::End;
            continue; // blank lines are allowed, for people editing by hand
        }
        const bool declaration = declaresEndpoint(line);
        if (declaration ? parseEndpoint(line) : parseEvent(line, event)) {
            if (declaration)
                continue;
            event.logOffset = m_lineOffset;
            ++m_events;
            return Status::Event;
        }
        if (status == LineStatus::Unterminated) {
            // The crash case: the last line was being written.
            m_error = QStringLiteral("line %1 is cut off (the session was not closed cleanly); the %2 events "
                                     "before it are loaded")
                          .arg(m_line)
                          .arg(m_events);
            return Status::Truncated;
        }
        return Status::Error;
    }
}

bool SessionReader::parseEndpoint(QByteArrayView line)
{
    QJsonParseError parseError{};
    const QJsonDocument doc = QJsonDocument::fromJson(line.toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return fail(QStringLiteral("an endpoint line that is not JSON: %1").arg(parseError.errorString()));
    const QJsonValue value = doc.object().value(QLatin1String("endpoint"));
    SessionEndpoint endpoint;
    QString why;
    if (!value.isObject())
        return fail(QStringLiteral("\"endpoint\" must be an object"));
    if (!endpointFromJson(value.toObject(), endpoint, why))
        return fail(why);
    const QJsonValue since = doc.object().value(QLatin1String("t"));
    if (!since.isUndefined()) {
        const std::optional<qint64> t = wholeNumber(since);
        if (!t || *t <= 0)
            return fail(QStringLiteral("an endpoint's \"t\" must be a time in nanoseconds, a whole number over 0"));
        endpoint.sinceNs = *t;
    }
    m_declared.append(endpoint);
    return true;
}

bool SessionReader::parseEvent(QByteArrayView line, TrafficEvent &event)
{
    event = TrafficEvent();
    bool haveTime = false, haveEndpoint = false, haveParts = false, haveKind = false;
    std::optional<QByteArray> text;
    std::optional<QByteArray> base64;
    QString problem;
    const auto is = [](QByteArrayView key, const char *name) { return key == QByteArrayView(name); };
    const auto take = [](Field &v) { return v.owned.isNull() ? v.string.toByteArray() : std::move(v.owned); };
    LineParser parser(line);
    const auto unsigned32 = [&](const Field &v, const char *key, quint32 &out) {
        if (v.type != Field::Type::Integer || v.integer < 0 || v.integer > std::numeric_limits<quint32>::max()) {
            problem = QStringLiteral("\"%1\" must be a whole number from 0 to 4294967295").arg(QLatin1String(key));
            return false;
        }
        out = quint32(v.integer);
        return true;
    };
    const bool parsed = parser.parseObject([&](QByteArrayView key, Field &v) {
        if (is(key, "t")) {
            if (v.type != Field::Type::Integer || v.integer < 0) {
                problem = QStringLiteral("\"t\" must be nanoseconds since 1970, a whole number");
                return false;
            }
            event.timestampNs = v.integer;
            haveTime = true;
        } else if (is(key, "e")) {
            if (!unsigned32(v, "e", event.endpoint))
                return false;
            haveEndpoint = true;
        } else if (is(key, "i")) {
            return unsigned32(v, "i", event.instance);
        } else if (is(key, "parts")) {
            haveParts = true;
            return unsigned32(v, "parts", event.parts);
        } else if (is(key, "relay_ns")) {
            return unsigned32(v, "relay_ns", event.relayNs);
        } else if (is(key, "dir")) {
            if (v.type == Field::Type::String && is(v.string, "in"))
                event.direction = Direction::In;
            else if (v.type == Field::Type::String && is(v.string, "out"))
                event.direction = Direction::Out;
            else if (!(v.type == Field::Type::Null || (v.type == Field::Type::String && v.string.isEmpty()))) {
                problem = QStringLiteral("\"dir\" must be \"in\" or \"out\"");
                return false;
            }
        } else if (is(key, "kind")) {
            haveKind = true;
            static const EventKind kinds[] = {EventKind::Data, EventKind::Connected, EventKind::Disconnected, EventKind::Error};
            bool known = false;
            for (EventKind k : kinds) {
                if (v.type == Field::Type::String && is(v.string, eventKindName(k))) {
                    event.kind = k;
                    known = true;
                }
            }
            if (!known) {
                problem = QStringLiteral("\"kind\" must be data, connected, disconnected or error");
                return false;
            }
        } else if (is(key, "text")) {
            if (v.type != Field::Type::String) {
                problem = QStringLiteral("\"text\" must be a string");
                return false;
            }
            text = take(v);
        } else if (is(key, "b64")) {
            if (v.type != Field::Type::String) {
                problem = QStringLiteral("\"b64\" must be a string");
                return false;
            }
            base64 = take(v);
        } else if (is(key, "incomplete")) {
            if (v.type == Field::Type::Bool && v.boolean)
                event.flags |= Incomplete;
        } else if (is(key, "truncated")) {
            if (v.type == Field::Type::Bool && v.boolean)
                event.flags |= Truncated;
        }
        // Other members are ignored: notes a person added, say.
        return true;
    });
    if (!parsed)
        return fail(problem.isEmpty() ? parser.error : problem);
    if (!haveTime)
        return fail(QStringLiteral("an event needs \"t\", its time in nanoseconds since 1970"));
    if (!haveEndpoint)
        return fail(QStringLiteral("an event needs \"e\", its endpoint's id"));
    if (!haveKind)
        event.kind = EventKind::Data;
    if (text && base64)
        return fail(QStringLiteral("an event has \"text\" or \"b64\", not both"));
    if (event.kind == EventKind::Data) {
        if (!text && !base64)
            return fail(QStringLiteral("a data event needs its payload, as \"text\" or \"b64\""));
        if (event.direction == Direction::None)
            return fail(QStringLiteral("a data event needs \"dir\": \"in\" or \"out\""));
    }
    if (base64) {
        // The decoded size, known before decoding anything: 3 bytes per 4
        // characters (a last, unpadded group counts whole), less the
        // padding — never below 0, whatever a short string holds.
        const quint64 padding = base64->endsWith("==") ? 2 : base64->endsWith('=') ? 1 : 0;
        const quint64 groups = (quint64(base64->size()) + 3) / 4;
        const quint64 size = groups * 3 - std::min(groups * 3, padding);
        if (size > m_maxPayload)
            return fail(QStringLiteral("a payload of %1 is over the limit of %2")
                            .arg(formatSize(size), formatSize(m_maxPayload)));
        auto decoded = QByteArray::fromBase64Encoding(std::move(*base64), QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded)
            return fail(QStringLiteral("\"b64\" is not valid base64"));
        event.payload = std::move(*decoded);
    } else if (text) {
        if (!QByteArrayView(*text).isValidUtf8())
            return fail(QStringLiteral("\"text\" is not valid UTF-8 (use \"b64\" for other bytes)"));
        event.payload = std::move(*text);
    }
    if (std::size_t(event.payload.size()) > m_maxPayload)
        return fail(QStringLiteral("a payload of %1 is over the limit of %2")
                        .arg(formatSize(quint64(event.payload.size())), formatSize(m_maxPayload)));
    if (event.kind == EventKind::Data && !haveParts)
        event.parts = 1;
    return true;
}

} // namespace PipeScope
