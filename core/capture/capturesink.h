#pragma once

#include "trafficevent.h"

namespace PipeScope {

// Where a capture is written ahead: the hub's log (CaptureLog, in session/,
// writes a session file). The threads that read traffic append to it
// through CaptureHub::post(), before they answer what they read and before
// they read further.
class CaptureSink
{
public:
    virtual ~CaptureSink() = default;
    // Thread-safe. Writes the batch whole and gives each event written its
    // line's offset (TrafficEvent::logOffset). False once writing has
    // failed: nothing is written after a failure.
    virtual bool append(TrafficBatch &batch) = 0;
};

} // namespace PipeScope
