#pragma once

// Replay as a client: a session's client messages sent to a server, its
// replies heard and handed over for comparison.

#include "replayexchange.h"
#include "replayscript.h"

#include <atomic>
#include <functional>

namespace PipeScope {

// How a replay runs as a client.
struct ReplayOptions
{
    Native::ClientOptions client; // convention and wait time; the type comes from the script
    double speed = 1.0;           // the recorded timing, this many times as fast
    bool fast = false;            // send each message as soon as its replies came
    int repeat = 1;
    int replyTimeoutMs = 5000;
};

// Replays the scripts to `pipe` as a client, blocking the calling thread
// (call it from a worker or a command-line tool). `onExchange` hears each
// message's outcome as it happens. Returns an error in words when the
// replay could not go on (no such pipe, a failed write), else empty.
// `cancel`, when set, stops it between messages.
QString replayToServer(const QList<ReplayScript> &scripts, const Native::PipeName &pipe, const ReplayOptions &options,
                       const std::function<void(const ReplayExchange &)> &onExchange,
                       const std::atomic<bool> *cancel = nullptr);

} // namespace PipeScope
