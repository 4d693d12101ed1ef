#pragma once

// Ctrl+C for command-line tools, as a handle their event loop watches.

#include "nativepipe.h"

namespace PipeScope::Native {

// Becomes ready when SIGINT, SIGTERM or SIGHUP (Unix) or Ctrl+C (Windows)
// arrives. Installs the handlers once per process, and on Unix ignores
// SIGPIPE, so that a closed standard output is a write error to handle
// rather than the end of the process. -1 if it could not be set up (0 is a
// valid descriptor when stdin is closed).
NativeHandle interruptHandle();

} // namespace PipeScope::Native
