#pragma once

#include "nativepipe.h"
#include "replyrules.h"
#include "scriptcursor.h"

#include <QByteArray>
#include <QList>
#include <QMetaType>
#include <QString>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>

namespace PipeScope {

enum class AutoReply {
    Off,
    Echo,  // send every message back
    Fixed, // answer every message with the same bytes (the sample's "Default answer from server")
    Rules, // the first matching rule answers; no match, no answer
    Script, // the n-th message is answered with the n-th recorded replies (replay as a server)
};

struct ClientConfig
{
    QString name = QStringLiteral("mynamedpipe");
    Native::ClientOptions options;
    // Look for the name under every convention (PipeScope's, Qt's, .NET's)
    // and use the one whose pipe exists; options.convention if none does.
    bool automaticConvention = false;
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
    // A monitor: each client that connects is passed on to this pipe, and
    // everything either side sends to the other (RelayWorker); autoReply
    // does not apply.
    std::optional<ClientConfig> relayTo;
    // A monitor on a server that runs already (Linux): NAME's socket is
    // moved aside (Native::moveAside) while the monitor listens, the
    // monitor takes the server's pipe type, relayTo's name becomes the
    // moved socket, and the socket is put back when the monitor stops.
    bool interpose = false;
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

// Connects as the configuration says: its name, its options, and with
// automaticConvention the convention under which the pipe exists. Blocks
// while every instance is busy (up to options.waitMs; `onBusy` is called
// as that wait begins) or until `cancel`.
Native::Result<std::unique_ptr<Native::Connection>> connectClient(const ClientConfig &config,
                                                                  const std::atomic<bool> *cancel,
                                                                  std::function<void()> onBusy = {});

} // namespace PipeScope

Q_DECLARE_METATYPE(PipeScope::ServerConfig)
Q_DECLARE_METATYPE(PipeScope::ClientConfig)
Q_DECLARE_METATYPE(PipeScope::ConnectionInfo)
