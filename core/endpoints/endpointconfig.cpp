#include "endpointconfig.h"

#include "payloadpreview.h"

#include <QStringList>

namespace PipeScope {

QString describePeer(const Native::PeerInfo &peer)
{
    QStringList parts;
    if (peer.pid >= 0)
        parts << QStringLiteral("pid %1").arg(peer.pid);
    if (peer.uid >= 0)
        parts << QStringLiteral("uid %1 (%2)").arg(peer.uid).arg(printable(QString::fromStdString(peer.user)));
    else if (!peer.user.empty())
        parts << QStringLiteral("user %1").arg(printable(QString::fromStdString(peer.user)));
    // The peer chose its executable's name: never shown raw.
    if (!peer.process.empty())
        parts << QStringLiteral("process %1").arg(printable(QString::fromStdString(peer.process)));
    if (peer.sessionId >= 0)
        parts << QStringLiteral("session %1").arg(peer.sessionId);
    return parts.isEmpty() ? QStringLiteral("peer unknown") : parts.join(QStringLiteral(", "));
}

Native::Result<std::unique_ptr<Native::Connection>> connectClient(const ClientConfig &config,
                                                                  const std::atomic<bool> *cancel,
                                                                  std::function<void()> onBusy)
{
    auto name = Native::PipeName::parse(config.name.toStdString());
    if (!name)
        return name.error();
    Native::ClientOptions options = config.options;
    options.onBusy = std::move(onBusy);
    if (config.automaticConvention)
        options.convention = Native::findConvention(name.value()).value_or(options.convention);
    return Native::connectToPipe(name.value(), options, cancel);
}

} // namespace PipeScope
