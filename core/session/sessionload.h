#pragma once

#include "sessionformat.h"

class QIODevice;

namespace PipeScope {

class TrafficStore;

// Reads a whole session into a store, in batches, as a live capture fills
// it. A cut-off last line is not a failure: `warning` says so.
struct SessionLoad
{
    bool ok = false;
    SessionHeader header;
    qint64 events = 0;
    QString error;   // why it failed: "line 7: …"
    QString warning; // loaded, but: "line 9 is cut off …"
};
SessionLoad loadSession(QIODevice *device, TrafficStore &store,
                        std::size_t maxPayload = Native::kDefaultMaxMessageSize);

} // namespace PipeScope
