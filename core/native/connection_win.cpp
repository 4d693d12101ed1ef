// A connected pipe handle with overlapped I/O: one read always in flight, messages assembled from its parts (ERROR_MORE_DATA).
#include "nativepipe_win_p.h"

#include <algorithm>

namespace PipeScope::Native {

Connection::Connection(std::unique_ptr<Impl> impl) : d(std::move(impl)) {}
Connection::~Connection()
{
    if (d && d->pipe.valid())
        close(0);
}

const ConnectionBasics &basicsOf(const Connection::Impl &impl)
{
    return impl;
}

NativeHandle Connection::readHandle() const { return NativeHandle(d->readEvent.get()); }
NativeHandle Connection::writeHandle() const { return NativeHandle(d->writeEvent.get()); }
bool Connection::isOpen() const { return d->pipe.valid() && !d->disconnected; }
bool Connection::hasPendingWrites() const { return !d->pending.empty(); }
// Overlapped reads take one message part each; there is nothing to batch.
void Connection::setReadAhead(bool) {}
bool Connection::hasBufferedInput() const { return false; }
std::size_t Connection::pendingWriteBytes() const { return d->pendingBytes; }

void Connection::Impl::startRead()
{
    readOv = OVERLAPPED{};
    readOv.hEvent = readEvent.get();
    if (ReadFile(pipe.get(), readBuffer.data(), DWORD(readBuffer.size()), nullptr, &readOv)) {
        readPending = true; // done already; GetOverlappedResult reports it
        return;
    }
    const DWORD error = GetLastError();
    if (error == ERROR_IO_PENDING || error == ERROR_MORE_DATA) {
        readPending = true;
        return;
    }
    // Failed at once: nothing is in flight. Signal the event so that the
    // owner calls read() and learns why.
    readPending = false;
    readFailure = error;
    SetEvent(readEvent.get());
}

ReadResult Connection::read(ByteSink &sink)
{
    if (!isOpen())
        return d->partial.closed();
    for (;;) {
        if (d->readFailure != ERROR_SUCCESS) {
            const DWORD error = std::exchange(d->readFailure, ERROR_SUCCESS);
            if (isDisconnection(error))
                return d->partial.closed();
            ReadResult failed;
            failed.status = ReadStatus::Failed;
            failed.error = systemError(long(error), "ReadFile", d->description);
            return failed;
        }
        if (!d->readPending)
            d->startRead();
        if (!d->readPending)
            continue; // readFailure is set
        DWORD got = 0;
        bool more = false;
        if (!GetOverlappedResult(d->pipe.get(), &d->readOv, &got, FALSE)) {
            const DWORD error = GetLastError();
            if (error == ERROR_IO_INCOMPLETE)
                return {};
            if (error != ERROR_MORE_DATA) {
                d->readPending = false;
                d->readFailure = error;
                continue;
            }
            more = true; // ERROR_MORE_DATA: the message goes on
        }
        d->readPending = false;

        const std::size_t at = d->partial.size();
        const std::size_t take = std::min<std::size_t>(got, d->partial.room(d->maxMessageSize));
        if (take)
            std::copy_n(d->readBuffer.data(), take, sink.resize(at + take) + at);
        d->partial.addPart(take, got);
        // Keep a read in flight, so the event tells when more arrives.
        d->startRead();
        if (more && d->readMode == ReadMode::Message)
            continue;
        return d->partial.complete(d->maxMessageSize, "ReadFile", d->description);
    }
}

Result<Connection::PeekInfo> Connection::peek() const
{
    DWORD available = 0, left = 0;
    if (!PeekNamedPipe(d->pipe.get(), nullptr, 0, nullptr, &available, &left))
        return lastSystemError("PeekNamedPipe", d->description);
    PeekInfo info;
    info.bytesAvailable = available;
    info.messageBytesLeft = d->type == PipeType::Message ? left : 0;
    return info;
}

bool Connection::waitReadable(int timeoutMs)
{
    if (!d->readPending && d->readFailure == ERROR_SUCCESS && d->pipe.valid())
        d->startRead();
    return WaitForSingleObject(d->readEvent.get(), DWORD(timeoutMs)) == WAIT_OBJECT_0;
}

bool Connection::waitWritable(int timeoutMs)
{
    return WaitForSingleObject(d->writeEvent.get(), DWORD(timeoutMs)) == WAIT_OBJECT_0;
}

void Connection::Impl::cancelAndWait()
{
    // CancelIoEx asks; GetOverlappedResult(TRUE) waits until the operation
    // is really gone, so Windows no longer holds the OVERLAPPED or buffer.
    CancelIoEx(pipe.get(), nullptr);
    DWORD ignored = 0;
    if (readPending)
        GetOverlappedResult(pipe.get(), &readOv, &ignored, TRUE);
    if (writePending)
        GetOverlappedResult(pipe.get(), &writeOv, &ignored, TRUE);
    readPending = writePending = false;
}

namespace {

constexpr DWORD kCancelledFlushWaitMs = 100;

// FlushFileBuffers blocks until the peer has read everything, with no
// time-out of its own: run it on a helper thread and cancel it if it takes
// too long. Never wait for it without a bound: Wine 8.0's
// CancelSynchronousIo cancels nothing, and a peer that does not read (one
// closing at the same moment, in this process or another) would hold the
// closing thread for ever. Past the time-out the disconnect or close that
// follows ends the flush, and the helper with it.
void flushWithin(HANDLE pipe, int timeoutMs)
{
    HANDLE thread = CreateThread(
        nullptr, 0, [](LPVOID h) -> DWORD { return FlushFileBuffers(static_cast<HANDLE>(h)) ? 0 : 1; },
        pipe, 0, nullptr);
    if (!thread)
        return;
    if (WaitForSingleObject(thread, DWORD(timeoutMs)) == WAIT_TIMEOUT) {
        CancelSynchronousIo(thread);
        WaitForSingleObject(thread, kCancelledFlushWaitMs);
    }
    CloseHandle(thread);
}

} // namespace

// FlushFileBuffers and, on a server instance, DisconnectNamedPipe; then no
// I/O is left in flight. The handle stays open.
void Connection::Impl::endIo(Connection &self, int flushTimeoutMs)
{
    const auto started = Clock::now();
    if (flushTimeoutMs > 0 && self.flushBlocking(flushTimeoutMs).code == ErrorCode::None) {
        const int left = remainingMs(started + std::chrono::milliseconds(flushTimeoutMs));
        if (left > 0)
            flushWithin(pipe.get(), left);
    }
    if (serverSide)
        DisconnectNamedPipe(pipe.get());
    cancelAndWait();
    disconnected = true;
    pending.clear();
    pendingBytes = 0;
    SetEvent(readEvent.get());
}

NativeError Connection::shutdownWrite()
{
    return makeError(ErrorCode::Unsupported, "shutdownWrite", d->description,
                     "a Windows pipe cannot be closed for writing alone");
}

void Connection::disconnect(int flushTimeoutMs)
{
    if (!isOpen())
        return;
    d->endIo(*this, flushTimeoutMs);
    if (!d->serverSide)
        d->pipe.reset(); // only a server instance can be reused
}

void Connection::close(int flushTimeoutMs)
{
    if (!d->pipe.valid())
        return;
    if (!d->disconnected)
        d->endIo(*this, flushTimeoutMs);
    d->pipe.reset();
}

std::unique_ptr<Connection> makeConnection(HANDLE pipe, bool serverSide, PipeType type, ReadMode mode,
                                           std::size_t maxMessageSize, std::string description,
                                           DWORD readChunk)
{
    auto impl = std::make_unique<Connection::Impl>();
    impl->pipe = Handle(pipe);
    impl->serverSide = serverSide;
    impl->type = type;
    impl->readMode = mode;
    impl->maxMessageSize = maxMessageSize;
    impl->description = std::move(description);
    impl->peer = peerOf(pipe, serverSide);
    impl->readBuffer.resize(std::max<DWORD>(readChunk, 512));
    impl->startRead();
    return std::make_unique<Connection>(std::move(impl));
}

} // namespace PipeScope::Native
