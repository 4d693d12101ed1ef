#include "endpointjson.h"

#include "jsonline.h"

#include <QJsonArray>

#include <algorithm>
#include <initializer_list>
#include <utility>

namespace PipeScope {

namespace {

// The names a member may hold for an enum, in the order they are listed in
// errors; the first name of a value is the one written.
template <typename T>
using Names = std::initializer_list<std::pair<T, const char *>>;

const Names<Native::PipeDirection> kDirections = {
    {Native::PipeDirection::Duplex, "duplex"},
    {Native::PipeDirection::Inbound, "inbound"},
    {Native::PipeDirection::Outbound, "outbound"},
};
const Names<Native::Access> kAccess = {{Native::Access::CurrentUser, "user"}, {Native::Access::Default, "default"}};
// A replay's script is the session it came from and is not in the file: a
// server written as "script" reads back as one that does not answer.
const Names<AutoReply> kAutoReplies = {
    {AutoReply::Off, "off"}, {AutoReply::Echo, "echo"}, {AutoReply::Fixed, "fixed"},
    {AutoReply::Rules, "rules"}, {AutoReply::Script, "script"},
};
const Names<ReplyRule::Match> kMatches = {{ReplyRule::Match::Contains, "contains"}, {ReplyRule::Match::Regex, "regex"}};
const Names<Native::PipeType> kPipeTypes = {{Native::PipeType::Message, "message"}, {Native::PipeType::Byte, "byte"}};
const Names<Native::ReadMode> kReadModes = {{Native::ReadMode::Message, "message"}, {Native::ReadMode::Byte, "byte"}};

template <typename T>
QString nameOf(const Names<T> &names, T value)
{
    for (const auto &[v, name] : names)
        if (v == value)
            return QString::fromLatin1(name);
    return {};
}

// Reads `key` of `o` into `out` when it is there; false, with `why`, when it
// holds a name not in `names`.
template <typename T>
bool readName(const QJsonObject &o, const char *key, const Names<T> &names, T &out, quint32 id, QString &why)
{
    const QJsonValue value = o.value(QLatin1String(key));
    if (value.isUndefined())
        return true;
    const QString text = value.toString();
    for (const auto &[v, name] : names) {
        if (text == QLatin1String(name)) {
            out = v;
            return true;
        }
    }
    QStringList allowed;
    for (const auto &entry : names)
        allowed << QString::fromLatin1(entry.second);
    why = QStringLiteral("endpoint %1: \"%2\" must be %3, not %4")
              .arg(id)
              .arg(QLatin1String(key), allowed.join(QStringLiteral(", ")),
                   value.isString() ? QStringLiteral("\"%1\"").arg(text) : QStringLiteral("a value of another kind"));
    return false;
}

template <typename T>
bool readOptionalName(const QJsonObject &o, const char *key, const Names<T> &names, std::optional<T> &out, quint32 id,
                      QString &why)
{
    if (!o.contains(QLatin1String(key)))
        return true;
    T value{};
    if (!readName(o, key, names, value, id, why))
        return false;
    out = value;
    return true;
}

QString conventionText(Native::Convention c)
{
    return QString::fromLatin1(Native::conventionName(c));
}

} // namespace

std::optional<qint64> wholeNumber(const QJsonValue &value)
{
    // toInteger() gives its default for anything but a whole number that a
    // qint64 holds: two defaults tell that case apart.
    const qint64 n = value.toInteger(0);
    if (n != value.toInteger(1))
        return std::nullopt;
    return n;
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
        o[QLatin1String("type")] = nameOf(kPipeTypes, s.type);
        o[QLatin1String("readMode")] = nameOf(kReadModes, s.readMode);
        o[QLatin1String("direction")] = nameOf(kDirections, s.direction);
        o[QLatin1String("maxInstances")] = s.maxInstances == Native::kUnlimitedInstances ? QJsonValue(QStringLiteral("unlimited"))
                                                                                           : QJsonValue(s.maxInstances);
        o[QLatin1String("outBuffer")] = qint64(s.outBufferSize);
        o[QLatin1String("inBuffer")] = qint64(s.inBufferSize);
        o[QLatin1String("timeoutMs")] = qint64(s.defaultTimeoutMs);
        o[QLatin1String("firstInstance")] = s.firstInstance;
        o[QLatin1String("rejectRemote")] = s.rejectRemoteClients;
        o[QLatin1String("access")] = nameOf(kAccess, s.access);
        o[QLatin1String("maxMessage")] = qint64(s.maxMessageSize);
        o[QLatin1String("autoReply")] = nameOf(kAutoReplies, c.autoReply);
        if (c.autoReply == AutoReply::Fixed) {
            if (isPrintableText(c.replyBytes))
                o[QLatin1String("reply")] = QString::fromUtf8(c.replyBytes);
            else
                o[QLatin1String("replyB64")] = QString::fromLatin1(c.replyBytes.toBase64());
        }
        if (c.autoReply == AutoReply::Rules) {
            QJsonArray rules;
            for (const ReplyRule &r : c.rules)
                rules.append(QJsonObject{{QLatin1String("match"), nameOf(kMatches, r.match)},
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
            o[QLatin1String("type")] = nameOf(kPipeTypes, *c.options.type);
        if (c.options.readMode)
            o[QLatin1String("readMode")] = nameOf(kReadModes, *c.options.readMode);
        o[QLatin1String("waitMs")] = qint64(c.options.waitMs);
        if (!c.options.serverUser.empty())
            o[QLatin1String("serverUser")] = QString::fromStdString(c.options.serverUser);
        o[QLatin1String("maxMessage")] = qint64(c.options.maxMessageSize);
    }
    return o;
}

bool endpointFromJson(const QJsonObject &o, SessionEndpoint &e, QString &why)
{
    const auto text = [&](const char *key) { return o.value(QLatin1String(key)).toString(); };
    const auto number = [&](const char *key, qint64 fallback) {
        return wholeNumber(o.value(QLatin1String(key))).value_or(fallback);
    };
    const auto maxMessage = [&] {
        return std::size_t(std::clamp<qint64>(number("maxMessage", qint64(Native::kDefaultMaxMessageSize)), 0, qint64(1) << 32));
    };
    const qint64 number_id = number("id", -1);
    if (number_id <= 0 || number_id > std::numeric_limits<quint32>::max()) {
        why = QStringLiteral("an endpoint needs a positive \"id\"");
        return false;
    }
    const auto id = quint32(number_id);
    e.id = id;
    const QString kind = text("kind");
    Native::Convention convention = Native::Convention::PipeScope;
    const QString conventionName = text("convention");
    const bool automatic = conventionName == QLatin1String("automatic");
    if (!conventionName.isEmpty() && !automatic && !Native::parseConvention(conventionName.toStdString(), convention)) {
        why = QStringLiteral("endpoint %1: unknown convention \"%2\"").arg(id).arg(conventionName);
        return false;
    }
    if (kind == QLatin1String("server")) {
        e.kind = SessionEndpoint::Kind::Server;
        ServerConfig &c = e.server;
        Native::ServerOptions &s = c.options;
        c.name = text("name");
        s.convention = convention;
        s.type = Native::PipeType::Message;
        if (!readName(o, "type", kPipeTypes, s.type, id, why))
            return false;
        s.readMode = s.type == Native::PipeType::Byte ? Native::ReadMode::Byte : Native::ReadMode::Message;
        if (!readName(o, "readMode", kReadModes, s.readMode, id, why) ||
            !readName(o, "direction", kDirections, s.direction, id, why) ||
            !readName(o, "access", kAccess, s.access, id, why) ||
            !readName(o, "autoReply", kAutoReplies, c.autoReply, id, why))
            return false;
        if (c.autoReply == AutoReply::Script)
            c.autoReply = AutoReply::Off; // its script is not in the file
        const QJsonValue instances = o.value(QLatin1String("maxInstances"));
        s.maxInstances = instances.isDouble() ? int(std::clamp(instances.toDouble(), 1.0, double(Native::kMaxLimitedInstances)))
                                              : Native::kUnlimitedInstances;
        s.outBufferSize = std::uint32_t(std::clamp<qint64>(number("outBuffer", 4096), 0, 1 << 30));
        s.inBufferSize = std::uint32_t(std::clamp<qint64>(number("inBuffer", 4096), 0, 1 << 30));
        s.defaultTimeoutMs = std::uint32_t(std::clamp<qint64>(number("timeoutMs", 50), 0, 3600000));
        s.firstInstance = o.value(QLatin1String("firstInstance")).toBool(false);
        s.rejectRemoteClients = o.value(QLatin1String("rejectRemote")).toBool(true);
        s.maxMessageSize = maxMessage();
        if (o.contains(QLatin1String("replyB64")))
            c.replyBytes = QByteArray::fromBase64(text("replyB64").toLatin1());
        else
            c.replyBytes = text("reply").toUtf8();
        for (const QJsonValue &r : o.value(QLatin1String("rules")).toArray()) {
            const QJsonObject rule = r.toObject();
            ReplyRule parsed;
            if (!readName(rule, "match", kMatches, parsed.match, id, why))
                return false;
            parsed.pattern = rule.value(QLatin1String("pattern")).toString();
            parsed.reply = rule.value(QLatin1String("reply")).toString();
            c.rules.append(parsed);
        }
        return true;
    }
    if (kind == QLatin1String("client")) {
        e.kind = SessionEndpoint::Kind::Client;
        ClientConfig &c = e.client;
        c.name = text("name");
        c.automaticConvention = automatic;
        c.options.convention = convention;
        if (!readOptionalName(o, "type", kPipeTypes, c.options.type, id, why) ||
            !readOptionalName(o, "readMode", kReadModes, c.options.readMode, id, why))
            return false;
        c.options.waitMs = std::uint32_t(std::clamp<qint64>(number("waitMs", 5000), 0, 3600000));
        c.options.serverUser = text("serverUser").toStdString();
        c.options.maxMessageSize = maxMessage();
        return true;
    }
    why = QStringLiteral("endpoint %1: \"kind\" must be \"server\" or \"client\"").arg(id);
    return false;
}

} // namespace PipeScope
