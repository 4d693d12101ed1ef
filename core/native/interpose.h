#pragma once

// Interposing a monitor on a pipe that already has a server (Linux): the
// server's socket file is renamed to a sibling name, the monitor binds the
// original path and passes each new client on to the moved socket, and
// the socket is put back when the monitor stops. A socket is found by its
// path, whoever bound it, so the server keeps serving under the new name
// and the connections it already has go on (unseen).
//
// Windows pipe names cannot be renamed: there moveAside() checks that the
// pipe exists and answers with a shared name (nothing to put back), and
// the monitor adds instances to it, as pipe-intercept does.

#include "nativeerror.h"
#include "pipename.h"

#include <string>

namespace PipeScope::Native {

struct MovedAside
{
    std::string original; // where clients connect: the monitor's now
    std::string moved;    // where the server's socket is meanwhile
    // Windows: nothing moves. The monitor adds instances to the server's
    // pipe (ServerOptions::sharedName) and passes on, by the same name,
    // the clients that reach them; the others reach the server directly.
    bool sharedName = false;
};

// The sibling name a socket is moved to: PATH.pipescope-moved.
std::string movedAsideName(const std::string &path);

// Checks that `address` is a socket file a server listens on, that this
// user may rename it, and that no earlier move is left to restore; then
// renames it. Refuses, naming the reason: an abstract name (nothing to
// rename: relay only), no such file, not a socket, nobody listening, a
// moved name too long for a socket path, a directory this user may not
// write, a previous move not restored.
Result<MovedAside> moveAside(const PipeAddress &address);

// Renames the moved socket back. A socket file left at the original path
// that nobody listens on (the monitor's, after a crash) is removed first;
// one a live process listens on is left alone, and that is the error.
NativeError putBack(const MovedAside &moved);

// What a monitor that ended without putting the socket back left at
// `address`: the moved socket, if there is one.
Result<MovedAside> findMovedAside(const PipeAddress &address);

} // namespace PipeScope::Native
