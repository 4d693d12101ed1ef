#include "endpointjson.h"

#include "jsonline.h"

#include <QJsonArray>
#include <QObject>

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

namespace {

void serverToJson(QJsonObject &o, const ServerConfig &c)
{
        const Native::ServerOptions &s = c.options;
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
}

void clientToJson(QJsonObject &o, const ClientConfig &c)
{
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

} // namespace

QJsonObject endpointToJson(const SessionEndpoint &e)
{
    QJsonObject o;
    o[QLatin1String("id")] = qint64(e.id);
    switch (e.kind) {
    case SessionEndpoint::Kind::Server:
        o[QLatin1String("kind")] = QStringLiteral("server");
        serverToJson(o, e.server);
        break;
    case SessionEndpoint::Kind::Monitor: {
        // The listening side as a server's, without its answers (a monitor
        // answers nothing), and the pipe it passes clients on to.
        o[QLatin1String("kind")] = QStringLiteral("monitor");
        ServerConfig listen = e.server;
        listen.autoReply = AutoReply::Off;
        serverToJson(o, listen);
        o.remove(QLatin1String("autoReply"));
        QJsonObject target;
        clientToJson(target, e.server.relayTo.value_or(ClientConfig()));
        o[QLatin1String("target")] = target;
        if (e.server.interpose)
            o[QLatin1String("interpose")] = true;
        break;
    }
    case SessionEndpoint::Kind::Client:
        o[QLatin1String("kind")] = QStringLiteral("client");
        clientToJson(o, e.client);
        break;
    }
    return o;
}

namespace {

// The members every kind reads: numbers, and the convention ("automatic"
// only where the caller takes it).
struct Members
{
    const QJsonObject &o;
    QString text(const char *key) const { return o.value(QLatin1String(key)).toString(); }
    qint64 number(const char *key, qint64 fallback) const
    {
        return wholeNumber(o.value(QLatin1String(key))).value_or(fallback);
    }
    std::size_t maxMessage() const
    {
        return std::size_t(std::clamp<qint64>(number("maxMessage", qint64(Native::kDefaultMaxMessageSize)), 0, qint64(1) << 32));
    }
    bool convention(Native::Convention &out, bool *automatic, quint32 id, QString &why) const
    {
        const QString name = text("convention");
        const bool isAutomatic = name == QLatin1String("automatic");
        if (automatic)
            *automatic = isAutomatic;
        if (name.isEmpty() || (automatic && isAutomatic))
            return true;
        if (Native::parseConvention(name.toStdString(), out))
            return true;
        why = QStringLiteral("endpoint %1: unknown convention \"%2\"").arg(id).arg(name);
        return false;
    }
};

bool serverFromJson(const QJsonObject &o, ServerConfig &c, quint32 id, QString &why)
{
    const Members m{o};
    Native::ServerOptions &s = c.options;
    c.name = m.text("name");
    if (!m.convention(s.convention, nullptr, id, why))
        return false;
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
    s.outBufferSize = std::uint32_t(std::clamp<qint64>(m.number("outBuffer", 4096), 0, 1 << 30));
    s.inBufferSize = std::uint32_t(std::clamp<qint64>(m.number("inBuffer", 4096), 0, 1 << 30));
    s.defaultTimeoutMs = std::uint32_t(std::clamp<qint64>(m.number("timeoutMs", 50), 0, 3600000));
    s.firstInstance = o.value(QLatin1String("firstInstance")).toBool(false);
    s.rejectRemoteClients = o.value(QLatin1String("rejectRemote")).toBool(true);
    s.maxMessageSize = m.maxMessage();
    if (o.contains(QLatin1String("replyB64")))
        c.replyBytes = QByteArray::fromBase64(m.text("replyB64").toLatin1());
    else
        c.replyBytes = m.text("reply").toUtf8();
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

bool clientFromJson(const QJsonObject &o, ClientConfig &c, quint32 id, QString &why)
{
    const Members m{o};
    c.name = m.text("name");
    if (!m.convention(c.options.convention, &c.automaticConvention, id, why) ||
        !readOptionalName(o, "type", kPipeTypes, c.options.type, id, why) ||
        !readOptionalName(o, "readMode", kReadModes, c.options.readMode, id, why))
        return false;
    c.options.waitMs = std::uint32_t(std::clamp<qint64>(m.number("waitMs", 5000), 0, 3600000));
    c.options.serverUser = m.text("serverUser").toStdString();
    c.options.maxMessageSize = m.maxMessage();
    return true;
}

} // namespace

bool endpointFromJson(const QJsonObject &o, SessionEndpoint &e, QString &why)
{
    const qint64 number_id = Members{o}.number("id", -1);
    if (number_id <= 0 || number_id > std::numeric_limits<quint32>::max()) {
        why = QStringLiteral("an endpoint needs a positive \"id\"");
        return false;
    }
    const auto id = quint32(number_id);
    e.id = id;
    const QString kind = o.value(QLatin1String("kind")).toString();
    if (kind == QLatin1String("server")) {
        e.kind = SessionEndpoint::Kind::Server;
        return serverFromJson(o, e.server, id, why);
    }
    if (kind == QLatin1String("client")) {
        e.kind = SessionEndpoint::Kind::Client;
        return clientFromJson(o, e.client, id, why);
    }
    if (kind == QLatin1String("monitor")) {
        e.kind = SessionEndpoint::Kind::Monitor;
        if (!serverFromJson(o, e.server, id, why))
            return false;
        e.server.autoReply = AutoReply::Off;
        const QJsonValue target = o.value(QLatin1String("target"));
        if (!target.isObject()) {
            why = QStringLiteral("endpoint %1: a monitor needs \"target\", the pipe it passes clients on to").arg(id);
            return false;
        }
        ClientConfig to;
        if (!clientFromJson(target.toObject(), to, id, why))
            return false;
        e.server.relayTo = to;
        e.server.interpose = o.value(QLatin1String("interpose")).toBool(false);
        return true;
    }
    why = QStringLiteral("endpoint %1: \"kind\" must be \"server\", \"client\" or \"monitor\"").arg(id);
    return false;
}

namespace {

QString settingText(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Undefined:
        return QObject::tr("(none)");
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double:
        return wholeNumber(value) ? QString::number(*wholeNumber(value)) : QString::number(value.toDouble());
    case QJsonValue::String:
        return value.toString();
    case QJsonValue::Array:
        return value.toArray().size() == 1 ? QObject::tr("1 entry")
                                           : QObject::tr("%1 entries").arg(value.toArray().size());
    default:
        return {};
    }
}

} // namespace

QStringList settingsDifferences(const SessionEndpoint &before, const SessionEndpoint &after)
{
    const QJsonObject a = endpointToJson(before);
    const QJsonObject b = endpointToJson(after);
    QStringList keys = a.keys() + b.keys();
    keys.removeDuplicates();
    keys.sort();
    QStringList differences;
    for (const QString &key : std::as_const(keys)) {
        const QJsonValue was = a.value(key), is = b.value(key);
        if (was == is)
            continue;
        const QString from = settingText(was), to = settingText(is);
        // Objects, and arrays of the same length whose entries differ.
        differences.append(from.isEmpty() || from == to ? QObject::tr("%1: changed").arg(key)
                                                        : QStringLiteral("%1: %2 → %3").arg(key, from, to));
    }
    return differences;
}

} // namespace PipeScope
