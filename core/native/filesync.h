#pragma once

#include "nativeerror.h"

namespace PipeScope::Native {

// Asks the system to put what was written to this file on the disk itself
// (fdatasync; FlushFileBuffers on Windows), so that a power cut loses
// nothing written before. `fd` is a C runtime file descriptor, as
// QFile::handle() gives. Blocks until the disk has it: call it from a
// thread that may wait.
NativeError syncToDisk(int fd);

} // namespace PipeScope::Native
