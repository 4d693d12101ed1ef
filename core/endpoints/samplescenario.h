#pragma once

#include "endpointconfig.h"

namespace PipeScope {

// Microsoft's multithreaded pipe server sample and its client, as PipeScope
// plays them: "Try the Sample", the dialogs' defaults, `--screenshot` and
// the tests all take them from here.
struct SampleScenario
{
    // \\.\pipe\mynamedpipe, message type and read mode,
    // PIPE_UNLIMITED_INSTANCES, 4096-byte buffers, answering every message
    // with answer().
    static ServerConfig server();
    // The same name, in message read mode (SetNamedPipeHandleState).
    static ClientConfig client();
    static QString pipeName();
    // What the client sends and the server answers, byte for byte as the
    // samples built with UNICODE do: TEXT("Default message from client.")
    // and TEXT("Default answer from server"), UTF-16LE with their NUL.
    static QByteArray message();
    static QByteArray answer();
};

} // namespace PipeScope
