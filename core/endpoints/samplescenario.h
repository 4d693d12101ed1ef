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
    static QByteArray message(); // what the client sends
    static QByteArray answer();  // what the server answers
};

} // namespace PipeScope
