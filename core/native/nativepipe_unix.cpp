// Named pipes on Unix domain sockets: message type is SOCK_SEQPACKET, byte
// type is SOCK_STREAM. See docs/linux-backend.md for how each Win32 behaviour
// is reproduced.
#include "nativepipe.h"

#include "messageassembly_p.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <deque>
#include <fcntl.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <optional>
#include <poll.h>
#include <pwd.h>
#include <stddef.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace PipeScope::Native {

namespace {

using Clock = std::chrono::steady_clock;

// What a message socket asks for as its send buffer: more than any system's
// default cap (net.core.wmem_max, 208 KiB on Debian), so it gets the cap.
// That is at least one full framing record plus the kernel's overhead.
constexpr int kMaxSendBufferRequest = 64 * 1024 * 1024;
// How far below the send buffer the largest single record stays.
constexpr int kRecordMargin = 1024;
// Largest single read in byte mode; more waits for the next read() call.
constexpr std::size_t kMaxStreamChunk = 1024 * 1024;
// A byte-mode read asks for at least this much room, more if the sink has it.
constexpr std::size_t kMinStreamChunk = 64 * 1024;
// Slice of a blocking connect while every instance is busy, so that a
// cancelled or expired wait is noticed promptly.
constexpr int kConnectSliceMs = 50;

class Fd
{
public:
    Fd() = default;
    explicit Fd(int fd) : m_fd(fd) {}
    ~Fd() { reset(); }
    Fd(Fd &&other) noexcept : m_fd(std::exchange(other.m_fd, -1)) {}
    Fd &operator=(Fd &&other) noexcept
    {
        if (this != &other) {
            reset();
            m_fd = std::exchange(other.m_fd, -1);
        }
        return *this;
    }
    int get() const { return m_fd; }
    bool valid() const { return m_fd >= 0; }
    int release() { return std::exchange(m_fd, -1); }
    void reset()
    {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = -1;
    }

private:
    int m_fd = -1;
};

struct SocketAddress
{
    sockaddr_un addr{};
    socklen_t length = 0;
};

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

std::string userName(uid_t uid)
{
    std::vector<char> buffer(4096);
    passwd pwd{};
    passwd *found = nullptr;
    if (::getpwuid_r(uid, &pwd, buffer.data(), buffer.size(), &found) == 0 && found)
        return found->pw_name;
    return std::to_string(uid);
}

std::string processName(pid_t pid)
{
    // The executable's file name when we may read it, else the kernel's
    // 15-character comm.
    const std::string base = "/proc/" + std::to_string(pid);
    char target[4096];
    const ssize_t n = ::readlink((base + "/exe").c_str(), target, sizeof target - 1);
    if (n > 0) {
        std::string exe(target, std::size_t(n));
        const auto deleted = exe.rfind(" (deleted)");
        if (deleted != std::string::npos && deleted + 10 == exe.size())
            exe.resize(deleted);
        return exe.substr(exe.rfind('/') + 1);
    }
    Fd comm(::open((base + "/comm").c_str(), O_RDONLY | O_CLOEXEC));
    if (!comm.valid())
        return {};
    char name[64];
    const ssize_t got = ::read(comm.get(), name, sizeof name);
    if (got <= 0)
        return {};
    std::string out(name, std::size_t(got));
    while (!out.empty() && (out.back() == '\n' || out.back() == '\0'))
        out.pop_back();
    return out;
}

PeerInfo peerInfo(int fd)
{
    PeerInfo info;
    ucred cred{};
    socklen_t len = sizeof cred;
    if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0) {
        info.pid = cred.pid;
        info.uid = cred.uid;
        info.user = userName(cred.uid);
        if (cred.pid > 0)
            info.process = processName(cred.pid);
    }
    return info;
}

// A pipe directory (the PipeScope convention's) must be this user's alone,
// or another user could put a socket there first and answer in its place.
// The server checks it before it listens, a client before it connects.
NativeError checkPrivateDirectory(const std::string &dir, const char *what)
{
    struct stat st {};
    if (::lstat(dir.c_str(), &st) != 0)
        return lastSystemError("lstat", dir);
    if (S_ISDIR(st.st_mode) && st.st_uid == ::getuid() && (st.st_mode & 077) == 0)
        return {};
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", unsigned(st.st_mode & 07777));
    const std::string kind = S_ISDIR(st.st_mode) ? "directory" : "not a directory";
    return makeError(ErrorCode::AccessDenied, what, dir,
                     "the pipe directory (" + kind + ", mode " + mode + ") belongs to uid " +
                         std::to_string(st.st_uid) + " (" + userName(st.st_uid) +
                         "); it must be this user's own directory with mode 0700, "
                         "or another user could stand in for the pipe: refusing to use it");
}

// Whom the server must run as (ClientOptions::serverUser): the user named
// or numbered there; else this user for a PipeScope-convention pipe, whose
// directory is this user's; else anyone (-1).
Result<std::int64_t> requiredServerUid(const ClientOptions &options, const PipeAddress &address)
{
    if (options.serverUser.empty())
        return address.directory.empty() ? std::int64_t(-1) : std::int64_t(::getuid());
    const std::string &user = options.serverUser;
    if (user.find_first_not_of("0123456789") == std::string::npos && user.size() < 10)
        return std::int64_t(std::stoul(user));
    passwd entry{};
    passwd *found = nullptr;
    std::vector<char> buffer(16384);
    if (::getpwnam_r(user.c_str(), &entry, buffer.data(), buffer.size(), &found) == 0 && found)
        return std::int64_t(found->pw_uid);
    return makeError(ErrorCode::InvalidParameter, "the server must run as", user, "there is no user of this name");
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

int remainingMs(Clock::time_point deadline)
{
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    return int(std::max<std::int64_t>(0, left.count()));
}

} // namespace

// --- Connection -------------------------------------------------------------

struct Connection::Impl
{
    Fd fd;
    PipeType type = PipeType::Message;
    ReadMode readMode = ReadMode::Message;
    std::size_t maxMessageSize = kDefaultMaxMessageSize;
    PeerInfo peer;
    std::string description;
    bool mayWrite = true; // false on the server side of an inbound pipe

    // Bytes of whole records known to be queued (a lower bound: FIONREAD
    // counts record bytes, and only this connection consumes them).
    std::size_t queuedKnown = 0;

    MessageAssembly partial; // a message whose records are still arriving
    std::vector<char> spill; // the rest of a record larger than the sink's room

    // Records (message type) or byte runs (byte type) the system has not taken.
    std::deque<std::string> pending;
    std::size_t pendingOffset = 0; // into pending.front(), byte type only
    std::size_t pendingBytes = 0;
    // The largest message sent as one record, as a plain SOCK_SEQPACKET
    // program sends and expects it; a larger one is framed (kRecordSize).
    std::size_t maxRecord = kRecordSize;

    bool singleRecord(std::size_t size) const { return size <= maxRecord && size != kRecordSize; }

    bool messageFraming() const { return type == PipeType::Message && readMode == ReadMode::Message; }

    ReadResult readRecord(ByteSink &sink);
    // Reads the next record into the sink; false means `out` is the result.
    bool nextRecord(ByteSink &sink, std::size_t &recordSize, std::size_t &taken, ReadResult &out);
    ReadResult failure(NativeError error);
    ReadResult readStream(ByteSink &sink);
    NativeError sendOne(const char *data, std::size_t size, std::size_t &sent);
};

Connection::Connection(std::unique_ptr<Impl> impl) : d(std::move(impl)) {}
Connection::~Connection()
{
    if (d && d->fd.valid())
        close(0);
}

PipeType Connection::type() const { return d->type; }
ReadMode Connection::readMode() const { return d->readMode; }
const PeerInfo &Connection::peer() const { return d->peer; }
std::string Connection::description() const { return d->description; }
NativeHandle Connection::readHandle() const { return d->fd.get(); }
NativeHandle Connection::writeHandle() const { return d->fd.get(); }
bool Connection::isOpen() const { return d->fd.valid(); }
void Connection::disconnect(int flushTimeoutMs) { close(flushTimeoutMs); }
bool Connection::hasPendingWrites() const { return !d->pending.empty(); }
std::size_t Connection::pendingWriteBytes() const { return d->pendingBytes; }

ReadResult Connection::Impl::failure(NativeError error)
{
    if (error.code == ErrorCode::Disconnected)
        return partial.closed();
    ReadResult failed;
    failed.status = ReadStatus::Failed;
    failed.error = std::move(error);
    return failed;
}

bool Connection::Impl::nextRecord(ByteSink &sink, std::size_t &recordSize, std::size_t &taken,
                                  ReadResult &out)
{
    const std::size_t room = partial.room(maxMessageSize);
    const std::size_t partialSize = partial.size();
    if (queuedKnown == 0) {
        int available = 0;
        if (::ioctl(fd.get(), FIONREAD, &available) == 0 && available > 0)
            queuedKnown = std::size_t(available);
    }
    if (queuedKnown > 0 && queuedKnown <= room) {
        // The next record is at most the bytes queued, so one call takes it
        // whole: into the sink's room, and for a record larger than that
        // room (only a foreign sender's records exceed kRecordSize) into a
        // spill buffer behind it. Bytes are still queued, so a 0 here is an
        // empty record, never the end of the connection.
        sink.resize(partialSize + std::min(queuedKnown, kRecordSize));
        const std::size_t inSink = std::min(queuedKnown, sink.capacity() - partialSize);
        char *at = sink.resize(partialSize + inSink) + partialSize;
        const std::size_t inSpill = queuedKnown - inSink;
        ssize_t n;
        if (inSpill == 0) {
            n = ::recv(fd.get(), at, inSink, MSG_DONTWAIT);
        } else {
            if (spill.size() < inSpill)
                spill.resize(inSpill);
            iovec parts[2] = {{at, inSink}, {spill.data(), inSpill}};
            msghdr message{};
            message.msg_iov = parts;
            message.msg_iovlen = 2;
            n = ::recvmsg(fd.get(), &message, MSG_DONTWAIT);
        }
        if (n < 0) {
            sink.resize(partialSize);
            if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) {
                queuedKnown = 0;
                out = {};
                return false;
            }
            out = failure(lastSystemError("recv", description));
            return false;
        }
        recordSize = std::size_t(n);
        queuedKnown -= std::min(queuedKnown, recordSize);
        taken = recordSize;
        char *whole = sink.resize(partialSize + taken);
        if (taken > inSink)
            std::memcpy(whole + partialSize + inSink, spill.data(), taken - inSink);
        return true;
    }

    // Large records, or nothing but empty records (or the end) queued: learn
    // the next record's length without copying it. With SO_PASSCRED every
    // record carries credentials, which tells an empty record from the end
    // of the connection: both read as 0 bytes.
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(ucred))];
    iovec none{nullptr, 0};
    msghdr peek{};
    peek.msg_iov = &none;
    peek.msg_iovlen = 1;
    peek.msg_control = control;
    peek.msg_controllen = sizeof control;
    const ssize_t length = ::recvmsg(fd.get(), &peek, MSG_PEEK | MSG_TRUNC | MSG_DONTWAIT);
    if (length < 0) {
        if (errno == EINTR)
            return nextRecord(sink, recordSize, taken, out);
        out = (errno == EAGAIN || errno == EWOULDBLOCK) ? ReadResult{}
                                                         : failure(lastSystemError("recvmsg", description));
        return false;
    }
    if (length == 0 && peek.msg_controllen == 0) {
        out = partial.closed();
        return false;
    }
    recordSize = std::size_t(length);
    taken = std::min(recordSize, room);
    char *buffer = taken ? sink.resize(partialSize + taken) + partialSize : nullptr;
    // Reading fewer bytes than the record holds drops the rest: that is
    // how an oversized message is cut at the limit.
    if (::recv(fd.get(), buffer, taken, MSG_DONTWAIT) < 0) {
        out = failure(lastSystemError("recv", description));
        return false;
    }
    queuedKnown -= std::min(queuedKnown, recordSize);
    return true;
}

ReadResult Connection::Impl::readRecord(ByteSink &sink)
{
    for (;;) {
        std::size_t recordSize = 0;
        std::size_t take = 0;
        ReadResult stop;
        if (!nextRecord(sink, recordSize, take, stop))
            return stop;
        partial.addPart(take, recordSize);
        const bool continues = messageFraming() && recordSize == kRecordSize;
        if (!continues)
            return partial.complete(maxMessageSize, "read", description);
    }
}

ReadResult Connection::Impl::readStream(ByteSink &sink)
{
    // One recv into all the room the sink has (within bounds): a stream
    // socket returns what is queued, and 0 only at the end of the stream.
    const std::size_t room = sink.capacity();
    const std::size_t want = room >= kMinStreamChunk ? std::min(room, kMaxStreamChunk) : kMinStreamChunk;
    char *buffer = sink.resize(want);
    for (;;) {
        const ssize_t got = ::recv(fd.get(), buffer, want, MSG_DONTWAIT);
        if (got < 0 && errno == EINTR)
            continue;
        sink.resize(got > 0 ? std::size_t(got) : 0);
        if (got == 0)
            return partial.closed();
        if (got < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return {};
            return failure(lastSystemError("recv", description));
        }
        ReadResult result;
        result.status = ReadStatus::Data;
        result.size = std::size_t(got);
        result.parts = 1;
        return result;
    }
}

ReadResult Connection::read(ByteSink &sink)
{
    if (!d->fd.valid()) {
        ReadResult closed;
        closed.status = ReadStatus::Closed;
        return closed;
    }
    return d->type == PipeType::Message ? d->readRecord(sink) : d->readStream(sink);
}

NativeError Connection::Impl::sendOne(const char *data, std::size_t size, std::size_t &sent)
{
    sent = 0;
    for (;;) {
        const ssize_t n = ::send(fd.get(), data, size, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n >= 0) {
            sent = std::size_t(n);
            return {};
        }
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK)
            return {};
        return lastSystemError("send", description);
    }
}

NativeError Connection::write(std::string_view data)
{
    if (!d->fd.valid())
        return makeError(ErrorCode::Disconnected, "write", d->description, "the pipe is closed");
    if (!d->mayWrite)
        return makeError(ErrorCode::AccessDenied, "write", d->description,
                         "the pipe is inbound: its server only reads");

    if (d->type == PipeType::Byte) {
        std::size_t offset = 0;
        if (d->pending.empty()) {
            if (NativeError error = d->sendOne(data.data(), data.size(), offset); error.isError())
                return error;
        }
        if (offset < data.size()) {
            d->pending.emplace_back(data.data() + offset, data.size() - offset);
            d->pendingBytes += data.size() - offset;
        }
        return {};
    }

    // Message type: one record whenever the socket can carry it, so a
    // program that knows nothing of PipeScope gets each message as the
    // record it expects.
    if (d->singleRecord(data.size())) {
        std::size_t sent = 0;
        NativeError error;
        if (d->pending.empty())
            error = d->sendOne(data.data(), data.size(), sent);
        if (!error.isError()) {
            if (sent != data.size()) {
                d->pending.emplace_back(data);
                d->pendingBytes += data.size();
            }
            return {};
        }
        if (error.nativeCode != EMSGSIZE && error.nativeCode != ENOBUFS)
            return error;
        // Less room than the buffer's size promised: frame this one, and
        // every one as large.
        d->maxRecord = kRecordSize - 1;
    }
    // Longer: full records of kRecordSize and a shorter closing one.
    std::size_t offset = 0;
    bool last = false;
    while (!last) {
        const std::size_t remaining = data.size() - offset;
        const std::size_t record = std::min(remaining, kRecordSize);
        last = record < kRecordSize;
        if (d->pending.empty()) {
            std::size_t sent = 0;
            if (NativeError error = d->sendOne(data.data() + offset, record, sent); error.isError())
                return error;
            if (sent == record) {
                offset += record;
                continue;
            }
        }
        d->pending.emplace_back(data.data() + offset, record);
        d->pendingBytes += record;
        offset += record;
    }
    return {};
}

std::uint32_t Connection::recordsFor(std::size_t size) const
{
    if (d->type == PipeType::Byte || d->singleRecord(size))
        return 1;
    return std::uint32_t(size / kRecordSize + 1);
}

NativeError Connection::flush()
{
    while (!d->pending.empty() && d->fd.valid()) {
        std::string &front = d->pending.front();
        const std::size_t offset = d->type == PipeType::Byte ? d->pendingOffset : 0;
        std::size_t sent = 0;
        if (NativeError error = d->sendOne(front.data() + offset, front.size() - offset, sent);
            error.isError())
            return error;
        if (d->type == PipeType::Message) {
            if (sent != front.size())
                return {}; // a record is all or nothing: try again later
        } else if (offset + sent < front.size()) {
            d->pendingOffset += sent;
            d->pendingBytes -= sent;
            return {};
        }
        d->pendingBytes -= front.size() - offset;
        d->pendingOffset = 0;
        d->pending.pop_front();
    }
    return {};
}

Result<Connection::PeekInfo> Connection::peek() const
{
    PeekInfo info;
    int available = 0;
    if (::ioctl(d->fd.get(), FIONREAD, &available) != 0)
        return lastSystemError("ioctl FIONREAD", d->description);
    info.bytesAvailable = std::size_t(available);
    if (d->type == PipeType::Message && available > 0) {
        iovec none{nullptr, 0};
        msghdr peekHeader{};
        peekHeader.msg_iov = &none;
        peekHeader.msg_iovlen = 1;
        const ssize_t next = ::recvmsg(d->fd.get(), &peekHeader, MSG_PEEK | MSG_TRUNC | MSG_DONTWAIT);
        if (next > 0)
            info.messageBytesLeft = std::size_t(next);
    }
    return info;
}

bool Connection::waitReadable(int timeoutMs)
{
    return waitHandle(readHandle(), timeoutMs);
}

bool Connection::waitWritable(int timeoutMs)
{
    pollfd p{d->fd.get(), POLLOUT, 0};
    return ::poll(&p, 1, timeoutMs) > 0;
}

void Connection::close(int flushTimeoutMs)
{
    if (!d->fd.valid())
        return;
    // FlushFileBuffers: send what is pending, then wait until the peer has
    // read it (SIOCOUTQ counts bytes sent but not yet consumed on AF_UNIX).
    const auto deadline = Clock::now() + std::chrono::milliseconds(flushTimeoutMs);
    if (flushTimeoutMs > 0 && flushBlocking(flushTimeoutMs).code == ErrorCode::None) {
        for (;;) {
            int unread = 0;
            if (::ioctl(d->fd.get(), TIOCOUTQ, &unread) != 0 || unread == 0)
                break;
            if (remainingMs(deadline) == 0)
                break;
            pollfd p{d->fd.get(), POLLRDHUP, 0};
            if (::poll(&p, 1, 1) > 0 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR)))
                break;
        }
    }
    // DisconnectNamedPipe, CloseHandle.
    ::shutdown(d->fd.get(), SHUT_RDWR);
    d->fd.reset();
    d->pending.clear();
    d->pendingBytes = 0;
}

namespace {

std::unique_ptr<Connection> makeConnection(Fd fd, PipeType type, ReadMode readMode,
                                           std::size_t maxMessageSize, std::string description,
                                           std::uint32_t sendBuffer, bool mayWrite = true)
{
    auto impl = std::make_unique<Connection::Impl>();
    if (type == PipeType::Message) {
        const int one = 1;
        ::setsockopt(fd.get(), SOL_SOCKET, SO_PASSCRED, &one, sizeof one);
        impl->maxRecord = raiseSendBuffer(fd.get(), sendBuffer);
    }
    impl->peer = peerInfo(fd.get());
    impl->fd = std::move(fd);
    impl->type = type;
    impl->readMode = readMode;
    impl->maxMessageSize = maxMessageSize;
    impl->description = std::move(description);
    impl->mayWrite = mayWrite;
    return std::make_unique<Connection>(std::move(impl));
}

} // namespace

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
        // A socket file: live if anything answers, stale if refused.
        Fd probe(::socket(AF_UNIX, socketType(options.type) | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
        const int probed = ::connect(probe.get(), reinterpret_cast<const sockaddr *>(&impl->socketAddr.addr),
                                     impl->socketAddr.length);
        if (probed == 0 || errno != ECONNREFUSED)
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
    const Result<std::int64_t> requiredUid = requiredServerUid(options, address);
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
                                             "): refusing to talk to it");
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

// --- Listing ----------------------------------------------------------------

namespace {

// An abstract name as PipeScope writes it: "@" and the bytes after the
// leading NUL.
std::string entryName(const char *name, std::size_t length)
{
    if (length > 0 && name[0] == '\0')
        return "@" + std::string(name + 1, length - 1);
    return std::string(name, ::strnlen(name, length));
}

// The listening Unix domain sockets, exactly, from the kernel's sock_diag
// netlink interface (what `ss -x` uses): names come as the bytes they are,
// so one holding a newline is still one entry. Nothing when the kernel has
// no unix_diag.
// The netlink macros (NLMSG_*, RTA_*) are the kernel's C, with C casts.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wold-style-cast"
#pragma GCC diagnostic ignored "-Wsign-conversion"
#pragma GCC diagnostic ignored "-Wcast-align"
std::optional<std::vector<PipeEntry>> listByNetlink()
{
    Fd s(::socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG));
    if (!s.valid())
        return std::nullopt;
    struct
    {
        nlmsghdr header;
        unix_diag_req request;
    } message{};
    message.header.nlmsg_len = sizeof message;
    message.header.nlmsg_type = SOCK_DIAG_BY_FAMILY;
    message.header.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    message.request.sdiag_family = AF_UNIX;
    message.request.udiag_states = 1u << 10; // TCP_LISTEN
    message.request.udiag_show = UDIAG_SHOW_NAME;
    sockaddr_nl kernel{};
    kernel.nl_family = AF_NETLINK;
    if (::sendto(s.get(), &message, sizeof message, 0, reinterpret_cast<sockaddr *>(&kernel), sizeof kernel) < 0)
        return std::nullopt;
    std::vector<PipeEntry> entries;
    alignas(nlmsghdr) char buffer[32768];
    for (;;) {
        const ssize_t n = ::recv(s.get(), buffer, sizeof buffer, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return std::nullopt;
        int left = int(n);
        for (auto *h = reinterpret_cast<nlmsghdr *>(buffer); NLMSG_OK(h, left); h = NLMSG_NEXT(h, left)) {
            if (h->nlmsg_type == NLMSG_DONE)
                return entries;
            if (h->nlmsg_type == NLMSG_ERROR)
                return std::nullopt;
            const auto *diag = static_cast<const unix_diag_msg *>(NLMSG_DATA(h));
            if (diag->udiag_type != SOCK_STREAM && diag->udiag_type != SOCK_SEQPACKET)
                continue;
            int attributes = int(h->nlmsg_len - NLMSG_LENGTH(sizeof *diag));
            for (auto *a = reinterpret_cast<rtattr *>(const_cast<unix_diag_msg *>(diag) + 1); RTA_OK(a, attributes);
                 a = RTA_NEXT(a, attributes)) {
                if (a->rta_type != UNIX_DIAG_NAME || RTA_PAYLOAD(a) == 0)
                    continue;
                entries.push_back({entryName(static_cast<const char *>(RTA_DATA(a)), RTA_PAYLOAD(a)),
                                   diag->udiag_type == SOCK_SEQPACKET ? PipeType::Message : PipeType::Byte});
            }
        }
    }
}
#pragma GCC diagnostic pop

} // namespace

Result<std::vector<PipeEntry>> listPipes()
{
    if (std::optional<std::vector<PipeEntry>> exact = listByNetlink())
        return std::move(*exact);
    // /proc/net/unix: "Num RefCount Protocol Flags Type St Inode Path".
    // Listening sockets carry __SO_ACCEPTCON (0x10000) in Flags; Type is
    // 1 for SOCK_STREAM and 5 for SOCK_SEQPACKET. The kernel prints a
    // name's bytes raw, so a newline in one would split its line: a line
    // that does not have the table's shape is not an entry.
    std::FILE *table = std::fopen("/proc/net/unix", "re");
    if (!table)
        return lastSystemError("open", "/proc/net/unix");
    std::vector<PipeEntry> entries;
    char line[512];
    std::fgets(line, sizeof line, table); // the header
    while (std::fgets(line, sizeof line, table)) {
        unsigned long flags = 0;
        unsigned type = 0;
        int pathAt = 0;
        if (std::sscanf(line, "%*[0-9a-f]: %*x %*x %lx %x %*x %*u %n", &flags, &type, &pathAt) < 2 || pathAt == 0)
            continue;
        if (!(flags & 0x10000) || (type != SOCK_STREAM && type != SOCK_SEQPACKET))
            continue;
        std::string path(line + pathAt);
        while (!path.empty() && (path.back() == '\n' || path.back() == ' '))
            path.pop_back();
        if (path.empty())
            continue;
        entries.push_back({path, type == SOCK_SEQPACKET ? PipeType::Message : PipeType::Byte});
    }
    std::fclose(table);
    return entries;
}

bool pipeExists(const PipeAddress &address)
{
    const Result<std::vector<PipeEntry>> pipes = listPipes();
    if (!pipes)
        return false;
    const std::string name = address.display();
    for (const PipeEntry &pipe : pipes.value())
        if (pipe.name == name)
            return true;
    return false;
}

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

} // namespace PipeScope::Native
