// Moving a live Unix socket aside for a monitor, and putting it back.
#include "interpose.h"
#include "nativepipe.h"

#include <cerrno>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

namespace PipeScope::Native {

namespace {

constexpr std::size_t kMaxPath = sizeof(sockaddr_un::sun_path) - 1;

bool isSocket(const std::string &path)
{
    struct stat st{};
    return ::lstat(path.c_str(), &st) == 0 && S_ISSOCK(st.st_mode);
}

// Whether a server listens at the socket path now, by the name sockets
// were bound to (no connection made).
bool listening(const std::string &path)
{
    PipeAddress address;
    address.path = path;
    return pipeExists(address);
}

// Whether a process listens on the socket file at `path` now. The name a
// socket was bound to stays with it when its file is renamed, so after a
// move only a connection tells: refused at once by a socket file nobody
// listens on (a crashed monitor's), taken by a live one.
bool answers(const std::string &path)
{
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (path.size() > kMaxPath)
        return false;
    path.copy(addr.sun_path, path.size());
    for (const int type : {SOCK_STREAM, SOCK_SEQPACKET}) {
        const int fd = ::socket(AF_UNIX, type | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (fd < 0)
            return false;
        const int result = ::connect(fd, reinterpret_cast<const sockaddr *>(&addr), sizeof addr);
        const int error = errno;
        ::close(fd);
        if (result == 0 || error == EAGAIN)
            return true;
        if (error != EPROTOTYPE)
            return false;
    }
    return false;
}

} // namespace

std::string movedAsideName(const std::string &path)
{
    return path + ".pipescope-moved";
}

Result<MovedAside> moveAside(const PipeAddress &address)
{
    const std::string subject = address.display();
    if (address.abstract)
        return makeError(ErrorCode::Unsupported, "interpose", subject,
                         "an abstract name has no file to move aside; run the monitor on another name and have the "
                         "client use it (relay only)");
    MovedAside moved{address.path, movedAsideName(address.path)};
    if (moved.moved.size() > kMaxPath)
        return makeError(ErrorCode::InvalidName, "interpose", subject,
                         "the moved name " + moved.moved + " would be longer than a socket path may be (" +
                             std::to_string(kMaxPath) + " bytes); run the monitor on another name (relay only)");
    if (isSocket(moved.moved))
        return makeError(ErrorCode::AddressInUse, "interpose", subject,
                         "an earlier monitor's moved socket is still at " + moved.moved +
                             "; put it back first: pipescope monitor --restore " + subject);
    struct stat st{};
    if (::lstat(address.path.c_str(), &st) != 0)
        return lastSystemError("stat", subject);
    if (!S_ISSOCK(st.st_mode))
        return makeError(ErrorCode::PathOccupied, "interpose", subject, "not a socket, so not a pipe to monitor");
    if (!listening(address.path))
        return makeError(ErrorCode::ConnectionRefused, "interpose", subject,
                         "no server listens on this socket; start the server first");
    if (::rename(address.path.c_str(), moved.moved.c_str()) != 0) {
        NativeError error = lastSystemError("rename", subject);
        if (error.nativeCode == EACCES || error.nativeCode == EPERM || error.nativeCode == EROFS)
            error.text += " (moving the socket aside needs write permission on its directory; relay only: run the "
                          "monitor on another name)";
        return error;
    }
    return moved;
}

NativeError putBack(const MovedAside &moved)
{
    if (!isSocket(moved.moved))
        return makeError(ErrorCode::NotFound, "restore", moved.original,
                         "the moved socket " + moved.moved + " is not there (the server may have ended)");
    if (isSocket(moved.original)) {
        if (answers(moved.original))
            return makeError(ErrorCode::AddressInUse, "restore", moved.original,
                             "a process still listens on it (a monitor still running?); stop it first");
        ::unlink(moved.original.c_str()); // a crashed monitor's socket
    }
    if (::rename(moved.moved.c_str(), moved.original.c_str()) != 0)
        return lastSystemError("rename", moved.moved);
    return {};
}

Result<MovedAside> findMovedAside(const PipeAddress &address)
{
    MovedAside moved{address.path, movedAsideName(address.path)};
    if (address.abstract || !isSocket(moved.moved))
        return makeError(ErrorCode::NotFound, "restore", address.display(),
                         "no moved socket at " + moved.moved + ": nothing to put back");
    return moved;
}

} // namespace PipeScope::Native
