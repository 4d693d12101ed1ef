#pragma once

#include "nativepipe.h"

#include <QByteArray>
#include <QMetaType>
#include <QString>

namespace PipeScope {

enum class AutoReply {
    Off,
    Echo,  // send every message back
    Fixed, // answer every message with the same bytes (the sample's "Default answer from server")
};

struct ServerConfig
{
    QString name = QStringLiteral("mynamedpipe");
    Native::ServerOptions options;
    AutoReply autoReply = AutoReply::Off;
    QByteArray replyBytes;
};

struct ClientConfig
{
    QString name = QStringLiteral("mynamedpipe");
    Native::ClientOptions options;
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
