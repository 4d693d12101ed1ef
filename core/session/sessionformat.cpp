#include "sessionformat.h"

#include "payload.h"

#include <QDateTime>
#include <QIODevice>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <optional>

namespace PipeScope {

namespace {

// --- UTF-8 and JSON strings --------------------------------------------------

// Well-formed UTF-8: no overlong forms, no surrogates, nothing past U+10FFFF.
bool isValidUtf8(QByteArrayView bytes)
{
    const auto *p = reinterpret_cast<const unsigned char *>(bytes.data());
    const auto *end = p + bytes.size();
    while (p < end) {
        const unsigned char c = *p;
        if (c < 0x80) {
            ++p;
            continue;
        }
        int extra;
        char32_t cp;
        if ((c & 0xe0) == 0xc0) {
            extra = 1;
            cp = c & 0x1f;
        } else if ((c & 0xf0) == 0xe0) {
            extra = 2;
            cp = c & 0x0f;
        } else if ((c & 0xf8) == 0xf0) {
            extra = 3;
            cp = c & 0x07;
        } else {
            return false;
        }
        if (end - p <= extra)
            return false;
        for (int i = 1; i <= extra; ++i) {
            if ((p[i] & 0xc0) != 0x80)
                return false;
            cp = (cp << 6) | (p[i] & 0x3f);
        }
        static constexpr char32_t kMin[] = {0, 0x80, 0x800, 0x10000};
        if (cp < kMin[extra] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return false;
        p += extra + 1;
    }
    return true;
}

// Text a person can read in the file: UTF-8 without control characters
// other than tab, newline and carriage return.
bool isPrintableText(QByteArrayView bytes)
{
    for (const char ch : bytes) {
        const auto c = static_cast<unsigned char>(ch);
        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f)
            return false;
    }
    return isValidUtf8(bytes);
}

void appendJsonString(QByteArray &out, QByteArrayView utf8)
{
    static const char kHex[] = "0123456789abcdef";
    out += '"';
    for (const char ch : utf8) {
        const auto c = static_cast<unsigned char>(ch);
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (c < 0x20 || c == 0x7f) {
                out += "\\u00";
                out += kHex[c >> 4];
                out += kHex[c & 15];
            } else {
                out += ch;
            }
        }
    }
    out += '"';
}

// --- a flat JSON object: one event line ---------------------------------------

struct Field
{
    enum class Type { String, Integer, Bool, Null } type = Type::Null;
    // UTF-8, unescaped: a view into the line when the string had no
    // escapes (no copy), else into `owned`.
    QByteArrayView string;
    QByteArray owned;
    qint64 integer = 0;
    bool boolean = false;
};

class LineParser
{
public:
    explicit LineParser(QByteArrayView text)
        : m_start(text.data()), m_p(text.data()), m_end(text.data() + text.size())
    {
    }

    // Calls `field(key, value)` for each member; false and `error` on a
    // malformed line.
    template<typename F>
    bool parseObject(F &&field)
    {
        skipSpace();
        if (!take('{'))
            return fail(QStringLiteral("an event line is one JSON object: {…}"));
        skipSpace();
        if (take('}'))
            return atEnd();
        for (;;) {
            skipSpace();
            QByteArrayView key;
            QByteArray keyBuffer;
            if (!parseString(key, keyBuffer))
                return false;
            skipSpace();
            if (!take(':'))
                return fail(QStringLiteral("expected ':' after \"%1\"").arg(QString::fromUtf8(key)));
            skipSpace();
            Field value;
            if (!parseValue(value))
                return false;
            if (!field(key, value))
                return false;
            skipSpace();
            if (take(','))
                continue;
            if (take('}'))
                return atEnd();
            return fail(QStringLiteral("expected ',' or '}' at column %1").arg(column()));
        }
    }

    QString error;

private:
    bool fail(const QString &why)
    {
        error = why;
        return false;
    }
    int column() const { return int(m_p - m_start) + 1; }
    void skipSpace()
    {
        while (m_p < m_end && (*m_p == ' ' || *m_p == '\t' || *m_p == '\r' || *m_p == '\n'))
            ++m_p;
    }
    bool take(char c)
    {
        if (m_p < m_end && *m_p == c) {
            ++m_p;
            return true;
        }
        return false;
    }
    bool atEnd()
    {
        skipSpace();
        return m_p == m_end ? true : fail(QStringLiteral("text after the object at column %1").arg(column()));
    }
    bool literal(const char *word)
    {
        const qsizetype n = qsizetype(std::strlen(word));
        if (m_end - m_p >= n && std::memcmp(m_p, word, size_t(n)) == 0) {
            m_p += n;
            return true;
        }
        return false;
    }

    bool parseValue(Field &value)
    {
        if (m_p == m_end)
            return fail(QStringLiteral("the line ends where a value should be"));
        const char c = *m_p;
        if (c == '"') {
            value.type = Field::Type::String;
            return parseString(value.string, value.owned);
        }
        if (c == '-' || (c >= '0' && c <= '9')) {
            value.type = Field::Type::Integer;
            return parseInteger(value.integer);
        }
        if (literal("true") || literal("false")) {
            value.type = Field::Type::Bool;
            value.boolean = m_p[-1] == 'e' && m_p[-2] == 'u';
            return true;
        }
        if (literal("null"))
            return true;
        if (c == '{' || c == '[')
            return fail(QStringLiteral("nested objects and arrays are not part of an event (column %1)").arg(column()));
        return fail(QStringLiteral("unexpected '%1' at column %2").arg(QLatin1Char(c)).arg(column()));
    }

    bool parseInteger(qint64 &out)
    {
        const bool negative = take('-');
        if (m_p == m_end || *m_p < '0' || *m_p > '9')
            return fail(QStringLiteral("a number expected at column %1").arg(column()));
        quint64 value = 0;
        while (m_p < m_end && *m_p >= '0' && *m_p <= '9') {
            const unsigned digit = unsigned(*m_p - '0');
            if (value > (quint64(std::numeric_limits<qint64>::max()) - digit) / 10)
                return fail(QStringLiteral("number too large at column %1").arg(column()));
            value = value * 10 + digit;
            ++m_p;
        }
        if (m_p < m_end && (*m_p == '.' || *m_p == 'e' || *m_p == 'E'))
            return fail(QStringLiteral("whole numbers only, at column %1").arg(column()));
        out = negative ? -qint64(value) : qint64(value);
        return true;
    }

    static int hexDigit(char c)
    {
        if (c >= '0' && c <= '9')
            return c - '0';
        if (c >= 'a' && c <= 'f')
            return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
            return c - 'A' + 10;
        return -1;
    }

    bool parseHex4(char32_t &out)
    {
        if (m_end - m_p < 4)
            return fail(QStringLiteral("\\u needs four hex digits"));
        out = 0;
        for (int i = 0; i < 4; ++i) {
            const int d = hexDigit(m_p[i]);
            if (d < 0)
                return fail(QStringLiteral("\\u needs four hex digits, at column %1").arg(column()));
            out = (out << 4) | char32_t(d);
        }
        m_p += 4;
        return true;
    }

    static void appendUtf8(QByteArray &out, char32_t cp)
    {
        if (cp < 0x80) {
            out += char(cp);
        } else if (cp < 0x800) {
            out += char(0xc0 | (cp >> 6));
            out += char(0x80 | (cp & 0x3f));
        } else if (cp < 0x10000) {
            out += char(0xe0 | (cp >> 12));
            out += char(0x80 | ((cp >> 6) & 0x3f));
            out += char(0x80 | (cp & 0x3f));
        } else {
            out += char(0xf0 | (cp >> 18));
            out += char(0x80 | ((cp >> 12) & 0x3f));
            out += char(0x80 | ((cp >> 6) & 0x3f));
            out += char(0x80 | (cp & 0x3f));
        }
    }

    // `view` is the string: into the line itself when it has no escapes,
    // else into `out`, where the unescaped bytes are built.
    bool parseString(QByteArrayView &view, QByteArray &out)
    {
        if (!take('"'))
            return fail(QStringLiteral("a string expected at column %1").arg(column()));
        // Fast path: a run without escapes is the string itself.
        const char *run = m_p;
        while (m_p < m_end && *m_p != '"' && *m_p != '\\' && static_cast<unsigned char>(*m_p) >= 0x20)
            ++m_p;
        if (m_p < m_end && *m_p == '"') {
            view = QByteArrayView(run, m_p - run);
            ++m_p;
            return true;
        }
        out = QByteArray(run, m_p - run);
        while (m_p < m_end) {
            const char c = *m_p++;
            if (c == '"') {
                view = out;
                return true;
            }
            if (static_cast<unsigned char>(c) < 0x20)
                return fail(QStringLiteral("a control character inside a string at column %1 (escape it)").arg(column() - 1));
            if (c != '\\') {
                out += c;
                continue;
            }
            if (m_p == m_end)
                break;
            const char e = *m_p++;
            switch (e) {
            case '"': out += '"'; break;
            case '\\': out += '\\'; break;
            case '/': out += '/'; break;
            case 'b': out += '\b'; break;
            case 'f': out += '\f'; break;
            case 'n': out += '\n'; break;
            case 'r': out += '\r'; break;
            case 't': out += '\t'; break;
            case 'u': {
                char32_t cp;
                if (!parseHex4(cp))
                    return false;
                if (cp >= 0xd800 && cp <= 0xdbff) {
                    char32_t low;
                    if (!take('\\') || !take('u') || !parseHex4(low) || low < 0xdc00 || low > 0xdfff)
                        return fail(QStringLiteral("a lone UTF-16 surrogate in \\u escapes"));
                    cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
                } else if (cp >= 0xdc00 && cp <= 0xdfff) {
                    return fail(QStringLiteral("a lone UTF-16 surrogate in \\u escapes"));
                }
                appendUtf8(out, cp);
                break;
            }
            default:
                return fail(QStringLiteral("unknown escape \\%1 at column %2").arg(QLatin1Char(e)).arg(column() - 1));
            }
        }
        return fail(QStringLiteral("a string is not closed"));
    }

    const char *m_start;
    const char *m_p;
    const char *m_end;
};

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

// --- endpoints in the header -------------------------------------------------

// A JSON number that is a whole number a double holds exactly; nothing for
// anything else (converting a huge or fractional double is not safe).
std::optional<qint64> wholeNumber(const QJsonValue &value)
{
    if (!value.isDouble())
        return std::nullopt;
    const double d = value.toDouble();
    constexpr double kExact = 9007199254740992.0; // 2^53
    if (!(d >= -kExact && d <= kExact) || d != std::floor(d))
        return std::nullopt;
    return qint64(d);
}

QString conventionText(Native::Convention c)
{
    return QString::fromLatin1(Native::conventionName(c));
}

QJsonObject endpointToJson(const SessionEndpoint &e)
{
    QJsonObject o;
    o[QLatin1String("id")] = qint64(e.id);
    if (e.kind == SessionEndpoint::Kind::Server) {
        const ServerConfig &c = e.server;
        const Native::ServerOptions &s = c.options;
        o[QLatin1String("kind")] = QStringLiteral("server");
        o[QLatin1String("name")] = c.name;
        o[QLatin1String("convention")] = conventionText(s.convention);
        o[QLatin1String("type")] = QString::fromLatin1(Native::pipeTypeName(s.type));
        o[QLatin1String("readMode")] = QString::fromLatin1(Native::readModeName(s.readMode));
        o[QLatin1String("direction")] = s.direction == Native::PipeDirection::Duplex    ? QStringLiteral("duplex")
                                        : s.direction == Native::PipeDirection::Inbound ? QStringLiteral("inbound")
                                                                                         : QStringLiteral("outbound");
        o[QLatin1String("maxInstances")] = s.maxInstances == Native::kUnlimitedInstances ? QJsonValue(QStringLiteral("unlimited"))
                                                                                           : QJsonValue(s.maxInstances);
        o[QLatin1String("outBuffer")] = qint64(s.outBufferSize);
        o[QLatin1String("inBuffer")] = qint64(s.inBufferSize);
        o[QLatin1String("timeoutMs")] = qint64(s.defaultTimeoutMs);
        o[QLatin1String("firstInstance")] = s.firstInstance;
        o[QLatin1String("rejectRemote")] = s.rejectRemoteClients;
        o[QLatin1String("access")] = s.access == Native::Access::CurrentUser ? QStringLiteral("user") : QStringLiteral("default");
        o[QLatin1String("maxMessage")] = qint64(s.maxMessageSize);
        // A replay's script is the session it came from; it is not repeated here.
        static const char *const kReplies[] = {"off", "echo", "fixed", "rules", "script"};
        o[QLatin1String("autoReply")] = QLatin1String(kReplies[int(c.autoReply)]);
        if (c.autoReply == AutoReply::Fixed) {
            if (isPrintableText(c.replyBytes))
                o[QLatin1String("reply")] = QString::fromUtf8(c.replyBytes);
            else
                o[QLatin1String("replyB64")] = QString::fromLatin1(c.replyBytes.toBase64());
        }
        if (c.autoReply == AutoReply::Rules) {
            QJsonArray rules;
            for (const ReplyRule &r : c.rules)
                rules.append(QJsonObject{
                    {QLatin1String("match"), r.match == ReplyRule::Match::Regex ? QStringLiteral("regex") : QStringLiteral("contains")},
                    {QLatin1String("pattern"), r.pattern},
                    {QLatin1String("reply"), r.reply}});
            o[QLatin1String("rules")] = rules;
        }
    } else {
        const ClientConfig &c = e.client;
        o[QLatin1String("kind")] = QStringLiteral("client");
        o[QLatin1String("name")] = c.name;
        o[QLatin1String("convention")] = c.automaticConvention ? QStringLiteral("automatic") : conventionText(c.options.convention);
        if (c.options.type)
            o[QLatin1String("type")] = QString::fromLatin1(Native::pipeTypeName(*c.options.type));
        if (c.options.readMode)
            o[QLatin1String("readMode")] = QString::fromLatin1(Native::readModeName(*c.options.readMode));
        o[QLatin1String("waitMs")] = qint64(c.options.waitMs);
        if (!c.options.serverUser.empty())
            o[QLatin1String("serverUser")] = QString::fromStdString(c.options.serverUser);
        o[QLatin1String("maxMessage")] = qint64(c.options.maxMessageSize);
    }
    return o;
}

// Reads what endpointToJson() wrote; a missing member keeps its default.
bool endpointFromJson(const QJsonObject &o, SessionEndpoint &e, QString &why)
{
    const auto text = [&](const char *key) { return o.value(QLatin1String(key)).toString(); };
    const auto number = [&](const char *key, qint64 fallback) {
        return wholeNumber(o.value(QLatin1String(key))).value_or(fallback);
    };
    const qint64 id = number("id", -1);
    if (id <= 0 || id > std::numeric_limits<quint32>::max()) {
        why = QStringLiteral("an endpoint needs a positive \"id\"");
        return false;
    }
    e.id = quint32(id);
    const QString kind = text("kind");
    Native::Convention convention = Native::Convention::PipeScope;
    const QString conventionName = text("convention");
    const bool automatic = conventionName == QLatin1String("automatic");
    if (!conventionName.isEmpty() && !automatic && !Native::parseConvention(conventionName.toStdString(), convention)) {
        why = QStringLiteral("endpoint %1: unknown convention \"%2\"").arg(id).arg(conventionName);
        return false;
    }
    const auto pipeType = [&](const QString &t) {
        return t == QLatin1String("byte") ? Native::PipeType::Byte : Native::PipeType::Message;
    };
    const auto readMode = [&](const QString &t) {
        return t == QLatin1String("byte") ? Native::ReadMode::Byte : Native::ReadMode::Message;
    };
    if (kind == QLatin1String("server")) {
        e.kind = SessionEndpoint::Kind::Server;
        ServerConfig &c = e.server;
        Native::ServerOptions &s = c.options;
        c.name = text("name");
        s.convention = convention;
        s.type = pipeType(text("type"));
        s.readMode = o.contains(QLatin1String("readMode")) ? readMode(text("readMode"))
                                                            : (s.type == Native::PipeType::Byte ? Native::ReadMode::Byte
                                                                                                 : Native::ReadMode::Message);
        const QString direction = text("direction");
        s.direction = direction == QLatin1String("inbound")    ? Native::PipeDirection::Inbound
                      : direction == QLatin1String("outbound") ? Native::PipeDirection::Outbound
                                                               : Native::PipeDirection::Duplex;
        const QJsonValue instances = o.value(QLatin1String("maxInstances"));
        s.maxInstances = instances.isDouble() ? int(std::clamp(instances.toDouble(), 1.0, double(Native::kMaxLimitedInstances)))
                                              : Native::kUnlimitedInstances;
        s.outBufferSize = std::uint32_t(std::clamp<qint64>(number("outBuffer", 4096), 0, 1 << 30));
        s.inBufferSize = std::uint32_t(std::clamp<qint64>(number("inBuffer", 4096), 0, 1 << 30));
        s.defaultTimeoutMs = std::uint32_t(std::clamp<qint64>(number("timeoutMs", 50), 0, 3600000));
        s.firstInstance = o.value(QLatin1String("firstInstance")).toBool(false);
        s.rejectRemoteClients = o.value(QLatin1String("rejectRemote")).toBool(true);
        s.access = text("access") == QLatin1String("default") ? Native::Access::Default : Native::Access::CurrentUser;
        s.maxMessageSize = std::size_t(std::clamp<qint64>(number("maxMessage", qint64(Native::kDefaultMaxMessageSize)), 0,
                                                          qint64(1) << 32));
        const QString reply = text("autoReply");
        c.autoReply = reply == QLatin1String("echo")    ? AutoReply::Echo
                      : reply == QLatin1String("fixed") ? AutoReply::Fixed
                      : reply == QLatin1String("rules") ? AutoReply::Rules
                                                        : AutoReply::Off;
        if (o.contains(QLatin1String("replyB64")))
            c.replyBytes = QByteArray::fromBase64(text("replyB64").toLatin1());
        else
            c.replyBytes = text("reply").toUtf8();
        for (const QJsonValue &r : o.value(QLatin1String("rules")).toArray()) {
            const QJsonObject rule = r.toObject();
            c.rules.append({rule.value(QLatin1String("match")).toString() == QLatin1String("regex") ? ReplyRule::Match::Regex
                                                                                                    : ReplyRule::Match::Contains,
                            rule.value(QLatin1String("pattern")).toString(), rule.value(QLatin1String("reply")).toString()});
        }
        return true;
    }
    if (kind == QLatin1String("client")) {
        e.kind = SessionEndpoint::Kind::Client;
        ClientConfig &c = e.client;
        c.name = text("name");
        c.automaticConvention = automatic;
        c.options.convention = convention;
        if (o.contains(QLatin1String("type")))
            c.options.type = pipeType(text("type"));
        if (o.contains(QLatin1String("readMode")))
            c.options.readMode = readMode(text("readMode"));
        c.options.waitMs = std::uint32_t(std::clamp<qint64>(number("waitMs", 5000), 0, 3600000));
        c.options.serverUser = text("serverUser").toStdString();
        c.options.maxMessageSize = std::size_t(std::clamp<qint64>(number("maxMessage", qint64(Native::kDefaultMaxMessageSize)), 0,
                                                                  qint64(1) << 32));
        return true;
    }
    why = QStringLiteral("endpoint %1: \"kind\" must be \"server\" or \"client\"").arg(id);
    return false;
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
    if (e.kind == EventKind::Data && e.direction == Direction::In) {
        out += ",\"parts\":";
        out += QByteArray::number(e.parts);
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
    return QJsonDocument(QJsonObject{{QLatin1String("endpoint"), endpointToJson(endpoint)}}).toJson(QJsonDocument::Compact);
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
        if (!isValidUtf8(*text))
            return fail(QStringLiteral("\"text\" is not valid UTF-8 (use \"b64\" for other bytes)"));
        event.payload = std::move(*text);
    }
    if (std::size_t(event.payload.size()) > m_maxPayload)
        return fail(QStringLiteral("a payload of %1 is over the limit of %2")
                        .arg(formatSize(quint64(event.payload.size())), formatSize(m_maxPayload)));
    if (event.kind == EventKind::Data && event.direction == Direction::In && !haveParts)
        event.parts = 1;
    return true;
}

} // namespace PipeScope
