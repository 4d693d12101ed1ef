// SIGINT, SIGTERM and SIGHUP as a handle a command can wait on.
#include "nativepipe_unix_p.h"

#include "interrupt.h"
#include <algorithm>
#include <csignal>
#include <cerrno>
#include <fcntl.h>
#include <poll.h>

namespace PipeScope::Native {

// --- Interrupts -------------------------------------------------------------

namespace {
int g_interruptPipe[2] = {-1, -1};

void onInterrupt(int)
{
    const char byte = 1;
    [[maybe_unused]] const ssize_t ignored = ::write(g_interruptPipe[1], &byte, 1);
}
} // namespace

NativeHandle interruptHandle()
{
    static const int fd = [] {
        if (::pipe2(g_interruptPipe, O_CLOEXEC | O_NONBLOCK) != 0)
            return -1;
        struct sigaction action {};
        action.sa_handler = onInterrupt;
        sigemptyset(&action.sa_mask);
        action.sa_flags = SA_RESTART;
        ::sigaction(SIGINT, &action, nullptr);
        ::sigaction(SIGTERM, &action, nullptr);
        // The terminal went away: stop as cleanly as on SIGTERM.
        ::sigaction(SIGHUP, &action, nullptr);
        // A reader of our output that went away (`serve | head -1`) shows
        // as a failed write, which the tool handles, not as a kill.
        ::signal(SIGPIPE, SIG_IGN);
        return g_interruptPipe[0];
    }();
    return fd;
}

bool waitHandle(NativeHandle handle, int timeoutMs)
{
    pollfd p{int(handle), POLLIN, 0};
    for (;;) {
        const int n = ::poll(&p, 1, timeoutMs);
        if (n < 0 && errno == EINTR)
            continue;
        return n > 0;
    }
}

bool anyReadyNow(std::span<const NativeHandle> handles)
{
    pollfd polled[8];
    const std::size_t count = std::min(handles.size(), std::size(polled));
    for (std::size_t i = 0; i < count; ++i)
        polled[i] = pollfd{int(handles[i]), POLLIN, 0};
    return ::poll(polled, nfds_t(count), 0) > 0;
}

int busyPollMicros()
{
    return 50;
}

} // namespace PipeScope::Native
