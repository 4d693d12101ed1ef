#pragma once

#include "nativepipe.h"
#include "replyrules.h"
#include "scriptcursor.h"

#include <QByteArray>
#include <QList>
#include <QMetaType>
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
