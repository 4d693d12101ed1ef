#pragma once

// Replay as a client: a session's client messages sent to a server, its
// replies heard and handed over for comparison.

#include "replayexchange.h"
#include "replayscript.h"
#include "trafficevent.h"

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
    // After the last message's replies: how long the server must stay
    // quiet before the conversation is taken as over. What it sends until
    // then, recorded or not, is compared.
    int settleMs = 200;
    // When set: every event of the replay's connections, as a client's
    // log shows them (connected, each message sent and received,
    // disconnected), called in the replay's thread as it happens. It may
    // block: the replay waits meanwhile (ReplayCapture does, to bound
    // what waits for the window).
    std::function<void(TrafficEvent)> capture;
};

// Replays the scripts to `pipe` as a client, blocking the calling thread
// (call it from a worker or a command-line tool). `onExchange` hears each
// message's outcome once the next message is about to go: everything the
// server sent until then is that message's, and replies beyond those
// recorded are differences. The server is read whenever the replay waits,
// so it never stalls on a full pipe. Returns an error in words when the
// replay could not go on (no such pipe, a failed write), else empty.
// `cancel`, when set, stops it within a few milliseconds.
QString replayToServer(const QList<ReplayScript> &scripts, const Native::PipeName &pipe, const ReplayOptions &options,
                       const std::function<void(const ReplayExchange &)> &onExchange,
                       const std::atomic<bool> *cancel = nullptr);

} // namespace PipeScope
