// The client side: connecting, waiting while every instance is busy.
#include "nativepipe_unix_p.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <poll.h>
#include <sys/stat.h>

namespace PipeScope::Native {

// --- Client -----------------------------------------------------------------

namespace {

enum class Attempt { Connected, Busy, WrongType, Failed };

Attempt tryConnect(const SocketAddress &addr, PipeType type, int sliceMs, const std::string &where,
                   Fd &out, NativeError &error)
{
    Fd s(::socket(AF_UNIX, socketType(type) | SOCK_CLOEXEC, 0));
    if (!s.valid()) {
        error = lastSystemError("socket", where);
        return Attempt::Failed;
    }
    // A blocking connect sleeps while the listen queue is full and wakes when
    // a place frees (the kernel's WaitNamedPipe); SO_SNDTIMEO bounds it.
    timeval tv{sliceMs / 1000, (sliceMs % 1000) * 1000};
    ::setsockopt(s.get(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    for (;;) {
        if (::connect(s.get(), reinterpret_cast<const sockaddr *>(&addr.addr), addr.length) == 0) {
            out = std::move(s);
            return Attempt::Connected;
        }
        if (errno == EINTR)
            continue;
        break;
    }
    if (errno == EAGAIN || errno == EINPROGRESS)
        return Attempt::Busy;
    if (errno == EPROTOTYPE)
        return Attempt::WrongType;
    error = lastSystemError("connect", where);
    return Attempt::Failed;
}

} // namespace

Result<std::unique_ptr<Connection>> connectToPipe(const PipeName &name, const ClientOptions &options,
                                                  const std::atomic<bool> *cancel)
{
    auto resolved = resolvePipeName(name, options.convention);
    if (!resolved)
        return resolved.error();
    const PipeAddress &address = resolved.value();
    const SocketAddress addr = socketAddress(address);
    const std::string where = address.display();
    // The same checks as the server's: a directory another user owns or
    // can write is refused before anything is sent through it. One that
    // does not exist yet is the server's to make: connect says "not found".
    if (!address.directory.empty() && ::access(address.directory.c_str(), F_OK) == 0)
        if (NativeError unsafe = checkPrivateDirectory(address.directory, "connect"); unsafe.isError())
            return unsafe;
    const Result<std::int64_t> requiredUid = requiredServerUid(options);
    if (!requiredUid)
        return requiredUid.error();

    std::vector<PipeType> types;
    if (options.type) {
        types.push_back(*options.type);
    } else {
        types.push_back(address.conventionalType);
        types.push_back(address.conventionalType == PipeType::Message ? PipeType::Byte
                                                                      : PipeType::Message);
    }

    const auto deadline = Clock::now() + std::chrono::milliseconds(options.waitMs);
    bool toldBusy = false;
    for (;;) {
        bool busy = false;
        for (PipeType type : types) {
            const int slice = std::clamp(remainingMs(deadline), 1, kConnectSliceMs);
            Fd fd;
            NativeError error;
            switch (tryConnect(addr, type, slice, where, fd, error)) {
            case Attempt::Connected: {
                const ReadMode mode = options.readMode.value_or(
                    type == PipeType::Message ? ReadMode::Message : ReadMode::Byte);
                if (type == PipeType::Byte && mode == ReadMode::Message)
                    return makeError(ErrorCode::InvalidParameter, "SetNamedPipeHandleState", where,
                                     "message read mode needs a message-type pipe; this server "
                                     "is a byte pipe (SOCK_STREAM)");
                if (!setNonBlocking(fd.get()))
                    return lastSystemError("fcntl", where);
                auto connection = makeConnection(std::move(fd), type, mode, options.maxMessageSize, where, 0);
                if (requiredUid.value() >= 0) {
                    const PeerInfo &server = connection->peer();
                    if (server.uid != requiredUid.value()) {
                        connection->close(0);
                        return makeError(ErrorCode::AccessDenied, "connect", where,
                                         "the server runs as uid " + std::to_string(server.uid) + " (" +
                                             server.user + "), pid " + std::to_string(server.pid) + " (" +
                                             server.process + "), not as uid " +
                                             std::to_string(requiredUid.value()) + " (" +
                                             userName(uid_t(requiredUid.value())) +
                                             "): refusing to talk to it" +
                                             allowServerUserHint(server.user.empty() ? std::to_string(server.uid)
                                                                                     : server.user));
                    }
                }
                return connection;
            }
            case Attempt::Busy:
                busy = true;
                break;
            case Attempt::WrongType:
                continue;
            case Attempt::Failed:
                // An abstract name has no file: nobody listening is the
                // kernel's ECONNREFUSED, and means the pipe does not exist.
                if (address.abstract &&
                    (error.code == ErrorCode::NotFound || error.code == ErrorCode::ConnectionRefused)) {
                    error.code = ErrorCode::NotFound;
                    error.text += "; no server listens on this abstract name";
                } else if (error.code == ErrorCode::NotFound) {
                    error.text += std::string("; no pipe of this name exists (convention ") +
                                  conventionName(options.convention) + ")";
                } else if (error.code == ErrorCode::ConnectionRefused) {
                    // connect() says the same of a file that is no socket.
                    struct stat st{};
                    if (::stat(address.path.c_str(), &st) == 0 && !S_ISSOCK(st.st_mode))
                        error.text += S_ISDIR(st.st_mode) ? "; it is a directory, not a pipe (socket)"
                                                          : "; it is a file, not a pipe (socket)";
                    else
                        error.text += "; a socket file exists but no server listens on it";
                }
                return error;
            }
            if (busy)
                break;
        }
        if (!busy)
            return makeError(ErrorCode::WrongPipeType, "connect", where,
                             std::string("the server's socket type is not ") +
                                 (options.type ? pipeTypeName(*options.type)
                                               : "a pipe type PipeScope knows"));
        if (!toldBusy && options.onBusy)
            options.onBusy();
        toldBusy = true;
        if (cancel && cancel->load())
            return makeError(ErrorCode::Cancelled, "WaitNamedPipe", where, "the wait was cancelled");
        if (remainingMs(deadline) == 0)
            return makeError(ErrorCode::TimedOut, "WaitNamedPipe", where,
                             "every instance of the pipe stayed busy for " +
                                 std::to_string(options.waitMs) + " ms");
    }
}

} // namespace PipeScope::Native
