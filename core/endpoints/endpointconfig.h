#pragma once

#include "nativepipe.h"
#include "scriptcursor.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QMetaType>
#include <QRegularExpression>
#include <QString>

#include <optional>

namespace PipeScope {

enum class AutoReply {
    Off,
    Echo,  // send every message back
    Fixed, // answer every message with the same bytes (the sample's "Default answer from server")
    Rules, // the first matching rule answers; no match, no answer
    Script, // the n-th message is answered with the n-th recorded replies (replay as a server)
};

// "When a message contains X (or matches regex X), answer Y." The message is
// read as UTF-8. In a regex rule's reply, \0 is the whole match and \1..\9
// its capture groups; a reply is sent as UTF-8.
struct ReplyRule
{
    enum class Match { Contains, Regex };
    Match match = Match::Contains;
    QString pattern;
    QString reply;
};

// Checks a rule before it is used: a regex that does not compile is named
// with the position of the mistake. Empty when the rule is good.
QString validateReplyRule(const ReplyRule &rule);

// Rules compiled once, for the instance thread that answers with them.
class ReplyRuleSet
{
public:
    ReplyRuleSet() = default;
    explicit ReplyRuleSet(const QList<ReplyRule> &rules);
    // The first matching rule's reply, or nullopt when none matches.
    std::optional<QByteArray> replyTo(QByteArrayView message) const;

private:
    struct Compiled
    {
        ReplyRule rule;
        QRegularExpression regex;
    };
    QList<Compiled> m_rules;
};

struct ServerConfig
{
    QString name = QStringLiteral("mynamedpipe");
    Native::ServerOptions options;
    AutoReply autoReply = AutoReply::Off;
    QByteArray replyBytes;     // AutoReply::Fixed
    QList<ReplyRule> rules;    // AutoReply::Rules
    // AutoReply::Script: recorded conversations; the n-th client is answered
    // from conversation n (in turn when there are fewer), each message it
    // sends with the replies recorded for it.
    QList<QList<ReplayStep>> scripts;
};

struct ClientConfig
{
    QString name = QStringLiteral("mynamedpipe");
    Native::ClientOptions options;
    // Look for the name under every convention (PipeScope's, Qt's, .NET's)
    // and use the one whose pipe exists; options.convention if none does.
    bool automaticConvention = false;
};

// The convention under which a pipe with this name exists now, if any.
// Touches the file system: call it off the GUI thread.
std::optional<Native::Convention> findConvention(const Native::PipeName &name);

// What a connection turned out to be once established.
struct ConnectionInfo
{
    Native::PeerInfo peer;
    Native::PipeType type = Native::PipeType::Message;
    Native::ReadMode readMode = Native::ReadMode::Message;
    QString address;
};

// "pid 1234, uid 1000 (alice), process socat"
QString describePeer(const Native::PeerInfo &peer);

} // namespace PipeScope

Q_DECLARE_METATYPE(PipeScope::ServerConfig)
Q_DECLARE_METATYPE(PipeScope::ClientConfig)
Q_DECLARE_METATYPE(PipeScope::ConnectionInfo)
