#pragma once

namespace PipeScope::Native {

// What a server needs to stay up when clients come faster than the
// process's resources allow (Unix: file descriptors; every instance holds
// its socket, and its thread an event loop's wake-up descriptor).

// Raises the soft limit on open descriptors to the hard limit, as servers
// do at start: the usual soft limit of 1024 would otherwise cap a server
// at a few hundred clients. Nothing on Windows, whose handles have no such
// limit.
void raiseDescriptorLimit();

// How many more descriptors this process may open now; a large number on
// Windows. Linux counts /proc/self/fd: call it per connection, not per
// message.
long descriptorHeadroom();

} // namespace PipeScope::Native
