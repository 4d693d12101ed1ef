// The server side: listening, the backlog plug that makes max instances hold, accepting.
#include "nativepipe_unix_p.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>

namespace PipeScope::Native {

// --- Listener ---------------------------------------------------------------

struct Listener::Impl
{
    Fd fd;
    PipeAddress address;
    ServerOptions options;
    SocketAddress socketAddr;
    dev_t device = 0; // identifies our socket file, so close() removes only ours
    ino_t inode = 0;
    int active = 0;

    // While every instance is taken the listen queue must refuse clients, so
    // that they see "busy" as with ERROR_PIPE_BUSY. A backlog of 0 still
    // queues one connection, so a connection of our own (the plug) fills
    // that last place. It is recognised by its autobound address on accept.
    Fd plug;
    std::string plugAddress;

    bool unlimited() const { return options.maxInstances == kUnlimitedInstances; }
    void updateBacklog();
    void insertPlug();
    bool isPlug(int acceptedFd) const;
};

Listener::Listener(std::unique_ptr<Impl> impl) : d(std::move(impl)) {}
Listener::~Listener() { close(); }

const PipeAddress &Listener::address() const { return d->address; }
const ServerOptions &Listener::options() const { return d->options; }
NativeHandle Listener::handle() const { return d->fd.get(); }
int Listener::activeInstances() const { return d->active; }
bool Listener::accepting() const
{
    return d->fd.valid() && (d->unlimited() || d->active < d->options.maxInstances);
}

void Listener::Impl::updateBacklog()
{
    if (unlimited() || !fd.valid())
        return;
    const int available = options.maxInstances - active;
    if (available > 0) {
        // A queue of `available` connections: the kernel admits backlog + 1.
        ::listen(fd.get(), available - 1);
    } else {
        ::listen(fd.get(), 0);
        insertPlug();
    }
}

void Listener::Impl::insertPlug()
{
    if (plug.valid())
        return; // still queued from an earlier full moment
    Fd s(::socket(AF_UNIX, socketType(options.type) | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (!s.valid())
        return;
    sockaddr_un self{};
    self.sun_family = AF_UNIX;
    // Binding only the family autobinds a unique abstract address.
    if (::bind(s.get(), reinterpret_cast<sockaddr *>(&self), sizeof(sa_family_t)) != 0)
        return;
    socklen_t len = sizeof self;
    ::getsockname(s.get(), reinterpret_cast<sockaddr *>(&self), &len);
    if (::connect(s.get(), reinterpret_cast<const sockaddr *>(&socketAddr.addr), socketAddr.length) != 0)
        return; // EAGAIN: a client took the last place first, and is queued
    plugAddress.assign(reinterpret_cast<const char *>(&self), len);
    plug = std::move(s);
}

bool Listener::Impl::isPlug(int acceptedFd) const
{
    if (!plug.valid())
        return false;
    sockaddr_un peerAddr{};
    socklen_t len = sizeof peerAddr;
    if (::getpeername(acceptedFd, reinterpret_cast<sockaddr *>(&peerAddr), &len) != 0)
        return false;
    return plugAddress == std::string(reinterpret_cast<const char *>(&peerAddr), len);
}

Result<std::unique_ptr<Listener>> Listener::create(const PipeName &name, const ServerOptions &options)
{
    if (NativeError invalid = validateServerOptions(options, name.text); invalid.isError())
        return invalid;
    auto resolved = resolvePipeName(name, options.convention);
    if (!resolved)
        return resolved.error();

    auto impl = std::make_unique<Impl>();
    impl->address = resolved.value();
    impl->options = options;
    impl->socketAddr = socketAddress(impl->address);
    const std::string where = impl->address.display();

    if (!impl->address.directory.empty()) {
        const std::string &dir = impl->address.directory;
        if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
            return lastSystemError("mkdir", dir);
        if (NativeError unsafe = checkPrivateDirectory(dir, "listen"); unsafe.isError())
            return unsafe;
    }

    Fd fd(::socket(AF_UNIX, socketType(options.type) | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (!fd.valid())
        return lastSystemError("socket", where);
    // The socket file takes its mode from the socket inode at bind(), so it
    // is never, even briefly, more open than this.
    const mode_t mode = options.access == Access::CurrentUser ? 0600 : 0666;
    if (!impl->address.abstract && ::fchmod(fd.get(), mode) != 0)
        return lastSystemError("fchmod", where);

    auto bindOnce = [&] {
        return ::bind(fd.get(), reinterpret_cast<const sockaddr *>(&impl->socketAddr.addr),
                      impl->socketAddr.length);
    };
    if (bindOnce() != 0) {
        if (errno != EADDRINUSE)
            return lastSystemError("bind", where);
        if (impl->address.abstract)
            return makeError(ErrorCode::AddressInUse, "bind", where,
                             "another server already listens on this abstract name");
        struct stat st {};
        if (::lstat(impl->address.path.c_str(), &st) != 0)
            return lastSystemError("lstat", where);
        if (!S_ISSOCK(st.st_mode))
            return makeError(ErrorCode::PathOccupied, "bind", where,
                             "a file that is not a socket is in the way; PipeScope leaves it "
                             "untouched");
        // A socket file: live if a socket listens on it, stale if not. The
        // kernel tells of the sockets of this network namespace without a
        // connection (which the server, PipeScope's own too, would log as
        // a client); any other is asked by connecting: refused means stale.
        const auto answers = [&] {
            Fd probe(::socket(AF_UNIX, socketType(options.type) | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
            return ::connect(probe.get(), reinterpret_cast<const sockaddr *>(&impl->socketAddr.addr),
                             impl->socketAddr.length) == 0 ||
                   errno != ECONNREFUSED;
        };
        if (knownListening(st.st_ino) || answers())
            return makeError(ErrorCode::AddressInUse, "bind", where,
                             options.firstInstance
                                 ? "the pipe already exists and first-instance was requested"
                                 : "another server is already listening on this pipe");
        if (::unlink(impl->address.path.c_str()) != 0 && errno != ENOENT)
            return lastSystemError("unlink (stale socket)", where);
        if (bindOnce() != 0)
            return lastSystemError("bind", where);
    }
    if (!impl->address.abstract) {
        struct stat st {};
        if (::lstat(impl->address.path.c_str(), &st) == 0) {
            impl->device = st.st_dev;
            impl->inode = st.st_ino;
        }
    }
    const int backlog = impl->unlimited() ? SOMAXCONN : options.maxInstances - 1;
    if (::listen(fd.get(), backlog) != 0)
        return lastSystemError("listen", where);
    impl->fd = std::move(fd);
    return std::make_unique<Listener>(std::move(impl));
}

Result<std::unique_ptr<Connection>> Listener::accept()
{
    const std::string where = d->address.display();
    while (accepting()) {
        Fd s(::accept4(d->fd.get(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC));
        if (!s.valid()) {
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return std::unique_ptr<Connection>();
            return lastSystemError("accept", where);
        }
        if (d->isPlug(s.get())) {
            d->plug.reset();
            d->plugAddress.clear();
            continue;
        }
        if (d->options.access == Access::CurrentUser) {
            ucred cred{};
            socklen_t len = sizeof cred;
            if (::getsockopt(s.get(), SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0 &&
                cred.uid != ::getuid())
                return makeError(ErrorCode::AccessDenied, "accept", where,
                                 "refused a client of user " + userName(cred.uid) + " (uid " +
                                     std::to_string(cred.uid) + ", pid " +
                                     std::to_string(cred.pid) +
                                     "): this pipe admits the current user only");
        }
        ++d->active;
        d->updateBacklog();
        return makeConnection(std::move(s), d->options.type, d->options.readMode,
                              d->options.maxMessageSize, where, d->options.outBufferSize,
                              d->options.direction != PipeDirection::Inbound);
    }
    return std::unique_ptr<Connection>();
}

void Listener::rearm() {}

void Listener::releaseInstance(std::shared_ptr<Connection> ended)
{
    // The listening socket outlives every instance: nothing to reuse.
    if (ended)
        ended->close(0);
    if (d->active > 0)
        --d->active;
    d->updateBacklog();
}

void Listener::close()
{
    if (!d || !d->fd.valid())
        return;
    d->fd.reset();
    d->plug.reset();
    if (!d->address.abstract) {
        // Remove the socket file only if it is still ours, not a successor's.
        struct stat st {};
        if (::lstat(d->address.path.c_str(), &st) == 0 && S_ISSOCK(st.st_mode) &&
            st.st_dev == d->device && st.st_ino == d->inode)
            ::unlink(d->address.path.c_str());
    }
}

} // namespace PipeScope::Native
