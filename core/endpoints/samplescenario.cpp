#include "samplescenario.h"

namespace PipeScope {

QString SampleScenario::pipeName()
{
    return QStringLiteral("\\\\.\\pipe\\mynamedpipe");
}

QByteArray SampleScenario::message()
{
    return QByteArrayLiteral("Default message from client");
}

QByteArray SampleScenario::answer()
{
    return QByteArrayLiteral("Default answer from server");
}

ServerConfig SampleScenario::server()
{
    ServerConfig server; // the defaults are the sample's
    server.name = pipeName();
    server.autoReply = AutoReply::Fixed;
    server.replyBytes = answer();
    return server;
}

ClientConfig SampleScenario::client()
{
    ClientConfig client;
    client.name = pipeName();
    client.options.readMode = Native::ReadMode::Message;
    return client;
}

} // namespace PipeScope
