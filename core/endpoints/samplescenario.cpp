#include "samplescenario.h"

#include "textencoding.h"

namespace PipeScope {

QString SampleScenario::pipeName()
{
    return QStringLiteral("\\\\.\\pipe\\mynamedpipe");
}

namespace {

// A Unicode build's TCHAR string as WriteFile sends it:
// (lstrlen(s) + 1) * sizeof(TCHAR) bytes, UTF-16LE with its NUL.
QByteArray tcharString(const QString &text)
{
    return encodeText(text, TextEncoding::Utf16Le) + QByteArray(2, '\0');
}

} // namespace

QByteArray SampleScenario::message()
{
    return tcharString(QStringLiteral("Default message from client."));
}

QByteArray SampleScenario::answer()
{
    return tcharString(QStringLiteral("Default answer from server"));
}

ServerConfig SampleScenario::server()
{
    ServerConfig server; // the defaults are the sample's
    server.name = pipeName();
    // The seed's name is the machine's: where another program serves it
    // (Microsoft's own sample, another window's), Windows would add our
    // instances to its pipe and our client could talk to its server. The
    // sample fails instead, saying the name is in use, as on Linux.
    server.options.firstInstance = true;
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
