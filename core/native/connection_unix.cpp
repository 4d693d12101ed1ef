// A connected Unix socket: reading, and assembling messages from records (docs/linux-backend.md).
#include "nativepipe_unix_p.h"

#include "messageassembly_p.h"
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <poll.h>
#include <sys/ioctl.h>

namespace PipeScope::Native {

Connection::Connection(std::unique_ptr<Impl> impl) : d(std::move(impl)) {}
Connection::~Connection()
{
    if (d && d->fd.valid())
        close(0);
}

const ConnectionBasics &basicsOf(const Connection::Impl &impl)
{
    return impl;
}

NativeHandle Connection::readHandle() const { return d->fd.get(); }
NativeHandle Connection::writeHandle() const { return d->fd.get(); }
bool Connection::isOpen() const { return d->fd.valid(); }
void Connection::disconnect(int flushTimeoutMs) { close(flushTimeoutMs); }
bool Connection::hasPendingWrites() const { return !d->pending.empty(); }
std::size_t Connection::pendingWriteBytes() const { return d->pendingBytes; }
bool Connection::hasBufferedInput() const { return d->readAhead.holding(); }

void Connection::setReadAhead(bool on)
{
    d->readAheadOn = on && d->type == PipeType::Message;
    d->queuedKnown = 0; // counted before the read-ahead took records, or not counted while it ran
}

ReadResult Connection::Impl::failure(NativeError error)
{
    if (error.code == ErrorCode::Disconnected)
        return partial.closed();
    ReadResult failed;
    failed.status = ReadStatus::Failed;
    failed.error = std::move(error);
    return failed;
}

namespace {

Connection::Impl::Record stopped(ReadResult result)
{
    Connection::Impl::Record record;
    record.stop = result;
    return record;
}

} // namespace

Connection::Impl::Record Connection::Impl::nextRecord(ByteSink &sink)
{
    const std::size_t room = partial.room(maxMessageSize);
    const std::size_t partialSize = partial.size();
    if (readAheadOn || readAhead.holding())
        if (std::optional<Record> record = takeReadAhead(sink, room, partialSize))
            return *record;
    if (queuedKnown == 0) {
        int available = 0;
        if (::ioctl(fd.get(), FIONREAD, &available) == 0 && available > 0)
            queuedKnown = std::size_t(available);
    }
    if (queuedKnown > 0 && queuedKnown <= room)
        return takeQueued(sink, partialSize);
    return takeAfterPeek(sink, room, partialSize);
}

Connection::Impl::Record Connection::Impl::takeQueued(ByteSink &sink, std::size_t partialSize)
{
    // The next record is at most the bytes queued, so one call takes it
    // whole: into the sink's room, and for a record larger than that room
    // (only a foreign sender's records exceed kRecordSize) into a spill
    // buffer behind it. Bytes are still queued, so a 0 here is an empty
    // record, never the end of the connection.
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
            return stopped({});
        }
        return stopped(failure(lastSystemError("recv", description)));
    }
    Record record;
    record.size = std::size_t(n);
    record.taken = record.size;
    queuedKnown -= std::min(queuedKnown, record.size);
    char *whole = sink.resize(partialSize + record.taken);
    if (record.taken > inSink)
        std::memcpy(whole + partialSize + inSink, spill.data(), record.taken - inSink);
    return record;
}

Connection::Impl::Record Connection::Impl::takeAfterPeek(ByteSink &sink, std::size_t room, std::size_t partialSize)
{
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
    ssize_t length;
    do
        length = ::recvmsg(fd.get(), &peek, MSG_PEEK | MSG_TRUNC | MSG_DONTWAIT);
    while (length < 0 && errno == EINTR);
    if (length < 0)
        return stopped((errno == EAGAIN || errno == EWOULDBLOCK) ? ReadResult{}
                                                                 : failure(lastSystemError("recvmsg", description)));
    if (length == 0 && peek.msg_controllen == 0)
        return stopped(partial.closed());
    Record record;
    record.size = std::size_t(length);
    record.taken = std::min(record.size, room);
    char *buffer = record.taken ? sink.resize(partialSize + record.taken) + partialSize : nullptr;
    // Reading fewer bytes than the record holds drops the rest: that is
    // how an oversized message is cut at the limit.
    if (::recv(fd.get(), buffer, record.taken, MSG_DONTWAIT) < 0)
        return stopped(failure(lastSystemError("recv", description)));
    queuedKnown -= std::min(queuedKnown, record.size);
    return record;
}

std::optional<Connection::Impl::Record> Connection::Impl::takeReadAhead(ByteSink &sink, std::size_t room,
                                                                        std::size_t partialSize)
{
    if (!readAhead.holding()) {
        if (!readAheadOn)
            return std::nullopt;
        switch (readAhead.fill(fd.get(), maxMessageSize)) {
        case ReadAhead::Fill::Taken:
            break;
        case ReadAhead::Fill::WouldBlock:
            return stopped({});
        case ReadAhead::Fill::Failed:
            return stopped(failure(lastSystemError("recvmmsg", description)));
        case ReadAhead::Fill::Unavailable:
            readAheadOn = false;
            return std::nullopt;
        }
    }
    const ReadAhead::Held &held = readAhead.front();
    if (held.end)
        return stopped(partial.closed()); // still held: every later read is the end too
    // The slot holds the limit's worth of any record, so what may be kept
    // (room) is there; the rest of a longer record is dropped, as a short
    // recv drops it.
    Record record;
    record.size = held.size;
    record.taken = std::min(held.size, room);
    readAhead.take(record.taken ? sink.resize(partialSize + record.taken) + partialSize : nullptr, record.taken);
    return record;
}

ReadResult Connection::Impl::readRecord(ByteSink &sink)
{
    for (;;) {
        const Record record = nextRecord(sink);
        if (record.stop)
            return *record.stop;
        partial.addPart(record.taken, record.size);
        const bool continues = messageFraming() && record.size == kRecordSize;
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

Result<Connection::PeekInfo> Connection::peek() const
{
    PeekInfo info;
    int available = 0;
    if (::ioctl(d->fd.get(), FIONREAD, &available) != 0)
        return lastSystemError("ioctl FIONREAD", d->description);
    info.bytesAvailable = std::size_t(available) + d->readAhead.bytes();
    if (d->readAhead.holding()) {
        info.messageBytesLeft = d->readAhead.front().size;
    } else if (d->type == PipeType::Message && available > 0) {
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
    return hasBufferedInput() || waitHandle(readHandle(), timeoutMs);
}

bool Connection::waitWritable(int timeoutMs)
{
    pollfd p{d->fd.get(), POLLOUT, 0};
    return ::poll(&p, 1, timeoutMs) > 0;
}

NativeError Connection::shutdownWrite()
{
    if (!d->fd.valid())
        return makeError(ErrorCode::Disconnected, "shutdown", d->description, "the pipe is closed");
    if (::shutdown(d->fd.get(), SHUT_WR) != 0)
        return lastSystemError("shutdown", d->description);
    return {};
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
    d->readAhead.drop(); // unread, like what was queued in the socket
}

std::unique_ptr<Connection> makeConnection(Fd fd, PipeType type, ReadMode readMode,
                                           std::size_t maxMessageSize, std::string description,
                                           std::uint32_t sendBuffer, bool mayWrite)
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

} // namespace PipeScope::Native
