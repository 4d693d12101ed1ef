// Unix socket addresses and options.
#include "nativepipe_unix_p.h"

#include <algorithm>
#include <cstring>
#include <fcntl.h>
#include <stddef.h>

namespace PipeScope::Native {

SocketAddress socketAddress(const PipeAddress &address)
{
    SocketAddress out;
    out.addr.sun_family = AF_UNIX;
    if (address.abstract) {
        // Leading NUL, then the name; the length says where it ends.
        std::memcpy(out.addr.sun_path + 1, address.path.data(), address.path.size());
        out.length = socklen_t(offsetof(sockaddr_un, sun_path) + 1 + address.path.size());
    } else {
        std::memcpy(out.addr.sun_path, address.path.data(), address.path.size());
        out.length = socklen_t(offsetof(sockaddr_un, sun_path) + address.path.size() + 1);
    }
    return out;
}

int socketType(PipeType type)
{
    return type == PipeType::Message ? SOCK_SEQPACKET : SOCK_STREAM;
}

// Raises the send buffer as far as the system allows (net.core.wmem_max;
// at least what the user asked for), since it caps the largest message a
// SOCK_SEQPACKET socket carries as one record. Returns the largest record
// it can carry now.
std::size_t raiseSendBuffer(int fd, std::uint32_t requested)
{
    int current = 0;
    socklen_t len = sizeof current;
    ::getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &current, &len);
    // The kernel caps the request at wmem_max and doubles it for its own
    // bookkeeping: asking for much more simply gets the most there is.
    const int wanted = std::max<int>(kMaxSendBufferRequest, int(std::min<std::uint32_t>(requested, 1u << 30)));
    if (current < wanted)
        ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &wanted, sizeof wanted);
    len = sizeof current;
    ::getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &current, &len);
    // unix_dgram_sendmsg refuses a record over the buffer less 32 bytes;
    // keep a margin for what a newer kernel may add.
    return std::max<std::size_t>(kRecordSize, current > kRecordMargin ? std::size_t(current - kRecordMargin) : 0);
}

bool setNonBlocking(int fd)
{
    const int flags = ::fcntl(fd, F_GETFL);
    return flags >= 0 && ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0;
}

} // namespace PipeScope::Native
