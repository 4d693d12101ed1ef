// Named pipes on Win32, with overlapped I/O throughout, following the
// multithreaded pipe server sample and its client. No Qt: this file is
// cross-built with mingw-w64 and tested under Wine.
#include "nativepipe.h"

#include "messageassembly_p.h"

#include <windows.h>

#include <sddl.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <deque>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace PipeScope::Native {

namespace {

using Clock = std::chrono::steady_clock;

// A server reads in parts of its input buffer size, as the sample does with
// BUFSIZE.
constexpr DWORD kClientReadChunk = DWORD(kClientReadBuffer);
// Slice of WaitNamedPipe, so that a cancelled or expired wait is noticed.
constexpr DWORD kWaitSliceMs = 50;

std::wstring widen(const std::string &text)
{
    if (text.empty())
        return {};
    const int n = MultiByteToWideChar(CP_UTF8, 0, text.data(), int(text.size()), nullptr, 0);
    std::wstring out(std::size_t(n), L'\0');
    MultiByteToWideChar(CP_UTF8, 0, text.data(), int(text.size()), out.data(), n);
    return out;
}

std::string narrow(const std::wstring &text)
{
    if (text.empty())
        return {};
    const int n = WideCharToMultiByte(CP_UTF8, 0, text.data(), int(text.size()), nullptr, 0, nullptr, nullptr);
    std::string out(std::size_t(n), '\0');
    WideCharToMultiByte(CP_UTF8, 0, text.data(), int(text.size()), out.data(), n, nullptr, nullptr);
    return out;
}

class Handle
{
public:
    Handle() = default;
    explicit Handle(HANDLE h) : m_h(h == INVALID_HANDLE_VALUE ? nullptr : h) {}
    ~Handle() { reset(); }
    Handle(Handle &&other) noexcept : m_h(std::exchange(other.m_h, nullptr)) {}
    Handle &operator=(Handle &&other) noexcept
    {
        if (this != &other) {
            reset();
            m_h = std::exchange(other.m_h, nullptr);
        }
        return *this;
    }
    HANDLE get() const { return m_h; }
    bool valid() const { return m_h != nullptr; }
    HANDLE release() { return std::exchange(m_h, nullptr); }
    void reset()
    {
        if (m_h)
            CloseHandle(m_h);
        m_h = nullptr;
    }

private:
    HANDLE m_h = nullptr;
};

Handle manualResetEvent(bool signalled = false)
{
    return Handle(CreateEventW(nullptr, TRUE, signalled ? TRUE : FALSE, nullptr));
}

int remainingMs(Clock::time_point deadline)
{
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    return int(std::max<std::int64_t>(0, left.count()));
}

bool isDisconnection(DWORD error)
{
    return error == ERROR_BROKEN_PIPE || error == ERROR_NO_DATA || error == ERROR_PIPE_NOT_CONNECTED ||
           error == ERROR_NETNAME_DELETED;
}

// The TOKEN_USER of a process (its user's SID), empty if unavailable.
std::vector<char> tokenUser(HANDLE process)
{
    HANDLE token = nullptr;
    if (!OpenProcessToken(process, TOKEN_QUERY, &token))
        return {};
    Handle owned(token);
    DWORD size = 0;
    GetTokenInformation(token, TokenUser, nullptr, 0, &size);
    std::vector<char> buffer(size);
    if (size == 0 || !GetTokenInformation(token, TokenUser, buffer.data(), size, &size))
        return {};
    return buffer;
}

PSID sidOf(std::vector<char> &user)
{
    return reinterpret_cast<TOKEN_USER *>(user.data())->User.Sid;
}

// The current user's SID as a string, for a DACL that admits only them.
std::wstring currentUserSid()
{
    std::vector<char> user = tokenUser(GetCurrentProcess());
    LPWSTR text = nullptr;
    if (user.empty() || !ConvertSidToStringSidW(sidOf(user), &text))
        return {};
    std::wstring sid = text;
    LocalFree(text);
    return sid;
}

std::string accountOf(HANDLE process)
{
    std::vector<char> user = tokenUser(process);
    if (user.empty())
        return {};
    wchar_t name[256];
    wchar_t domain[256];
    DWORD nameSize = 256, domainSize = 256;
    SID_NAME_USE use;
    if (!LookupAccountSidW(nullptr, sidOf(user), name, &nameSize, domain, &domainSize, &use))
        return {};
    return domainSize ? narrow(domain) + "\\" + narrow(name) : narrow(name);
}

PeerInfo peerOf(HANDLE pipe, bool serverSide)
{
    PeerInfo info;
    ULONG pid = 0;
    const BOOL known = serverSide ? GetNamedPipeClientProcessId(pipe, &pid)
                                  : GetNamedPipeServerProcessId(pipe, &pid);
    if (!known || pid == 0)
        return info;
    info.pid = std::int64_t(pid);
    DWORD session = 0;
    if (ProcessIdToSessionId(pid, &session))
        info.sessionId = std::int64_t(session);
    Handle process(OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, pid));
    if (!process.valid())
        return info;
    wchar_t image[MAX_PATH];
    DWORD length = MAX_PATH;
    if (QueryFullProcessImageNameW(process.get(), 0, image, &length)) {
        const std::wstring path(image, length);
        info.process = narrow(path.substr(path.find_last_of(L"\\/") + 1));
    }
    info.user = accountOf(process.get());
    return info;
}

} // namespace

// --- Connection -------------------------------------------------------------

struct Connection::Impl
{
    Handle pipe;
    bool serverSide = false;
    PipeType type = PipeType::Message;
    ReadMode readMode = ReadMode::Message;
    std::size_t maxMessageSize = kDefaultMaxMessageSize;
    PeerInfo peer;
    std::string description;

    // One ReadFile is always in flight; its event is the read handle. The
    // OVERLAPPED and the buffer stay put while Windows holds them.
    OVERLAPPED readOv{};
    Handle readEvent = manualResetEvent();
    std::vector<char> readBuffer;
    bool readPending = false;
    DWORD readFailure = ERROR_SUCCESS; // a ReadFile that failed at once
    bool disconnected = false;         // a server instance kept for reuse

    MessageAssembly partial; // a message whose parts are still arriving

    // Writes go out one overlapped WriteFile at a time, in order; each is
    // one message on a message pipe. Its buffer is pending.front().
    OVERLAPPED writeOv{};
    Handle writeEvent = manualResetEvent(true);
    std::deque<std::string> pending;
    std::size_t pendingBytes = 0;
    bool writePending = false;

    void startRead();
    NativeError startWrite();
    void cancelAndWait();
    void endIo(Connection &self, int flushTimeoutMs);
};

Connection::Connection(std::unique_ptr<Impl> impl) : d(std::move(impl)) {}
Connection::~Connection()
{
    if (d && d->pipe.valid())
        close(0);
}

PipeType Connection::type() const { return d->type; }
ReadMode Connection::readMode() const { return d->readMode; }
const PeerInfo &Connection::peer() const { return d->peer; }
std::string Connection::description() const { return d->description; }
NativeHandle Connection::readHandle() const { return NativeHandle(d->readEvent.get()); }
NativeHandle Connection::writeHandle() const { return NativeHandle(d->writeEvent.get()); }
bool Connection::isOpen() const { return d->pipe.valid() && !d->disconnected; }
bool Connection::hasPendingWrites() const { return !d->pending.empty(); }
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

NativeError Connection::Impl::startWrite()
{
    const std::string &front = pending.front();
    writeOv = OVERLAPPED{};
    writeOv.hEvent = writeEvent.get();
    if (!WriteFile(pipe.get(), front.data(), DWORD(front.size()), nullptr, &writeOv) &&
        GetLastError() != ERROR_IO_PENDING) {
        const DWORD error = GetLastError();
        pending.clear();
        pendingBytes = 0;
        SetEvent(writeEvent.get());
        return systemError(long(error), "WriteFile", description);
    }
    writePending = true;
    return {};
}

NativeError Connection::write(std::string_view data)
{
    if (!isOpen())
        return makeError(ErrorCode::Disconnected, "WriteFile", d->description, "the pipe is closed");
    d->pending.emplace_back(data);
    d->pendingBytes += data.size();
    if (!d->writePending) {
        if (NativeError error = d->startWrite(); error.isError())
            return error;
    }
    return flush();
}

std::uint32_t Connection::recordsFor(std::size_t) const
{
    return 1; // a Windows message is one WriteFile, whatever its size
}

NativeError Connection::flush()
{
    while (d->writePending) {
        DWORD written = 0;
        if (!GetOverlappedResult(d->pipe.get(), &d->writeOv, &written, FALSE)) {
            const DWORD error = GetLastError();
            if (error == ERROR_IO_INCOMPLETE)
                return {};
            d->writePending = false;
            d->pending.clear();
            d->pendingBytes = 0;
            return systemError(long(error), "WriteFile", d->description);
        }
        d->writePending = false;
        d->pendingBytes -= d->pending.front().size();
        d->pending.pop_front();
        if (!d->pending.empty()) {
            if (NativeError error = d->startWrite(); error.isError())
                return error;
        }
    }
    return {};
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

// FlushFileBuffers blocks until the peer has read everything, with no
// time-out of its own: run it on a helper thread and cancel it if it takes
// too long.
void flushWithin(HANDLE pipe, int timeoutMs)
{
    HANDLE thread = CreateThread(
        nullptr, 0, [](LPVOID h) -> DWORD { return FlushFileBuffers(static_cast<HANDLE>(h)) ? 0 : 1; },
        pipe, 0, nullptr);
    if (!thread)
        return;
    if (WaitForSingleObject(thread, DWORD(timeoutMs)) == WAIT_TIMEOUT) {
        CancelSynchronousIo(thread);
        WaitForSingleObject(thread, INFINITE);
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

namespace {

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

} // namespace

// --- Listener ---------------------------------------------------------------

struct Listener::Impl
{
    PipeAddress address;
    ServerOptions options;
    std::wstring wideName;
    PSECURITY_DESCRIPTOR descriptor = nullptr;
    SECURITY_ATTRIBUTES security{};
    bool createdFirst = false;

    // The instance waiting for a client: its ConnectNamedPipe is in flight
    // and its event is the listener's handle.
    Handle listening;
    OVERLAPPED connectOv{};
    Handle connectEvent = manualResetEvent();
    bool connectPending = false;
    int active = 0;
    bool closed = false;

    ~Impl()
    {
        if (descriptor)
            LocalFree(descriptor);
    }

    bool unlimited() const { return options.maxInstances == kUnlimitedInstances; }
    bool belowMax() const { return unlimited() || active < options.maxInstances; }
    NativeError createInstance();
    NativeError listenOn(Handle pipe);
    void dropListening();
};

NativeError Listener::Impl::createInstance()
{
    DWORD openMode = FILE_FLAG_OVERLAPPED;
    switch (options.direction) {
    case PipeDirection::Duplex: openMode |= PIPE_ACCESS_DUPLEX; break;
    case PipeDirection::Inbound: openMode |= PIPE_ACCESS_INBOUND; break;
    case PipeDirection::Outbound: openMode |= PIPE_ACCESS_OUTBOUND; break;
    }
    if (options.firstInstance && !createdFirst) {
        openMode |= FILE_FLAG_FIRST_PIPE_INSTANCE;
        // The flag makes creation fail atomically if the pipe exists. Ask
        // first as well: the answer is then the same clear error where the
        // flag is not honoured (Wine 8 ignores it).
        if (pipeExists(address))
            return makeError(ErrorCode::AddressInUse, "CreateNamedPipeW", address.display(),
                             "the pipe already exists and first-instance was requested");
    }
    DWORD pipeMode = PIPE_WAIT;
    pipeMode |= options.type == PipeType::Message ? PIPE_TYPE_MESSAGE : PIPE_TYPE_BYTE;
    pipeMode |= options.readMode == ReadMode::Message ? PIPE_READMODE_MESSAGE : PIPE_READMODE_BYTE;
    if (options.rejectRemoteClients)
        pipeMode |= PIPE_REJECT_REMOTE_CLIENTS;
    const DWORD instances = unlimited() ? PIPE_UNLIMITED_INSTANCES : DWORD(options.maxInstances);
    Handle pipe(CreateNamedPipeW(wideName.c_str(), openMode, pipeMode, instances, options.outBufferSize,
                                 options.inBufferSize, options.defaultTimeoutMs,
                                 descriptor ? &security : nullptr));
    if (!pipe.valid()) {
        NativeError error = lastSystemError("CreateNamedPipeW", address.display());
        if (options.firstInstance && !createdFirst && error.nativeCode == ERROR_ACCESS_DENIED) {
            error.code = ErrorCode::AddressInUse;
            error.text += "; the pipe already exists and first-instance was requested";
        }
        return error;
    }
    createdFirst = true;
    return listenOn(std::move(pipe));
}

// Starts the overlapped ConnectNamedPipe that makes `pipe` the listening
// instance: a new one, or an ended one being reused.
NativeError Listener::Impl::listenOn(Handle pipe)
{
    ResetEvent(connectEvent.get());
    connectOv = OVERLAPPED{};
    connectOv.hEvent = connectEvent.get();
    connectPending = false;
    if (!ConnectNamedPipe(pipe.get(), &connectOv)) {
        switch (GetLastError()) {
        case ERROR_IO_PENDING:
            connectPending = true;
            break;
        case ERROR_PIPE_CONNECTED:
            // A client came between CreateNamedPipe and ConnectNamedPipe:
            // connected all the same.
            SetEvent(connectEvent.get());
            break;
        default:
            return lastSystemError("ConnectNamedPipe", address.display());
        }
    } else {
        SetEvent(connectEvent.get());
    }
    listening = std::move(pipe);
    return {};
}

void Listener::Impl::dropListening()
{
    if (!listening.valid())
        return;
    if (connectPending) {
        CancelIoEx(listening.get(), &connectOv);
        DWORD ignored = 0;
        GetOverlappedResult(listening.get(), &connectOv, &ignored, TRUE);
        connectPending = false;
    }
    listening.reset();
    ResetEvent(connectEvent.get());
}

Listener::Listener(std::unique_ptr<Impl> impl) : d(std::move(impl)) {}
Listener::~Listener() { close(); }

const PipeAddress &Listener::address() const { return d->address; }
const ServerOptions &Listener::options() const { return d->options; }
NativeHandle Listener::handle() const { return NativeHandle(d->connectEvent.get()); }
int Listener::activeInstances() const { return d->active; }
bool Listener::accepting() const { return !d->closed && d->belowMax(); }

Result<std::unique_ptr<Listener>> Listener::create(const PipeName &name, const ServerOptions &options)
{
    if (NativeError invalid = validateServerOptions(options, name.text); invalid.isError())
        return invalid;
    if (name.kind == PipeName::Kind::Remote)
        return makeError(ErrorCode::InvalidName, "CreateNamedPipeW", name.text,
                         "a server creates pipes on this machine only (\\\\.\\pipe\\NAME)");
    auto resolved = resolvePipeName(name, options.convention);
    if (!resolved)
        return resolved.error();
    auto impl = std::make_unique<Impl>();
    impl->address = resolved.value();
    impl->options = options;
    impl->wideName = widen(impl->address.path);
    if (options.access == Access::CurrentUser) {
        // Protected DACL: full access for this user, nobody else.
        const std::wstring sid = currentUserSid();
        const std::wstring sddl = L"D:P(A;;GA;;;" + sid + L")";
        if (sid.empty() || !ConvertStringSecurityDescriptorToSecurityDescriptorW(
                               sddl.c_str(), SDDL_REVISION_1, &impl->descriptor, nullptr))
            return lastSystemError("ConvertStringSecurityDescriptorToSecurityDescriptorW", impl->address.display());
        impl->security.nLength = sizeof impl->security;
        impl->security.lpSecurityDescriptor = impl->descriptor;
        impl->security.bInheritHandle = FALSE;
    }
    if (NativeError error = impl->createInstance(); error.isError())
        return error;
    return std::make_unique<Listener>(std::move(impl));
}

Result<std::unique_ptr<Connection>> Listener::accept()
{
    if (d->closed)
        return std::unique_ptr<Connection>();
    if (!d->listening.valid()) {
        if (!d->belowMax())
            return std::unique_ptr<Connection>();
        if (NativeError error = d->createInstance(); error.isError())
            return error;
    }
    if (WaitForSingleObject(d->connectEvent.get(), 0) != WAIT_OBJECT_0)
        return std::unique_ptr<Connection>();
    if (d->connectPending) {
        DWORD ignored = 0;
        const BOOL ok = GetOverlappedResult(d->listening.get(), &d->connectOv, &ignored, FALSE);
        const DWORD error = ok ? ERROR_SUCCESS : GetLastError();
        if (error == ERROR_IO_INCOMPLETE)
            return std::unique_ptr<Connection>();
        d->connectPending = false;
        if (error != ERROR_SUCCESS && error != ERROR_PIPE_CONNECTED) {
            // The client left before we saw it: start over with a fresh instance.
            d->listening.reset();
            if (NativeError again = d->createInstance(); again.isError())
                return again;
            if (isDisconnection(error))
                return std::unique_ptr<Connection>();
            return systemError(long(error), "ConnectNamedPipe", d->address.display());
        }
    }
    HANDLE connected = d->listening.release();
    ResetEvent(d->connectEvent.get());
    ++d->active;
    // The next listening instance, at once, while below max instances: a
    // client never finds the pipe without one, and the name is never free
    // for another process to take.
    NativeError next = d->belowMax() ? d->createInstance() : NativeError{};
    (void)next; // a failure here is retried by the next accept()
    const ReadMode mode = d->options.readMode;
    return makeConnection(connected, true, d->options.type, mode, d->options.maxMessageSize,
                          d->address.display(), std::max<std::uint32_t>(d->options.inBufferSize, 512));
}

void Listener::releaseInstance(std::shared_ptr<Connection> ended)
{
    if (d->active > 0)
        --d->active;
    // Reusing the ended instance keeps the pipe in existence throughout: a
    // client finds it busy, never missing, and no other process can take the
    // name in between.
    if (ended && ended->d->serverSide && ended->d->disconnected && ended->d->pipe.valid() &&
        !d->closed && !d->listening.valid() && d->belowMax()) {
        if (!d->listenOn(Handle(ended->d->pipe.release())).isError())
            return;
    }
    if (ended)
        ended->close(0);
    if (!d->closed && !d->listening.valid() && d->belowMax())
        d->createInstance();
}

void Listener::close()
{
    if (!d || d->closed)
        return;
    d->closed = true;
    d->dropListening();
}

// --- Client -----------------------------------------------------------------

Result<std::unique_ptr<Connection>> connectToPipe(const PipeName &name, const ClientOptions &options,
                                                  const std::atomic<bool> *cancel)
{
    auto resolved = resolvePipeName(name, options.convention);
    if (!resolved)
        return resolved.error();
    const PipeAddress &address = resolved.value();
    const std::wstring wideName = widen(address.path);
    const std::string where = address.display();
    const auto deadline = Clock::now() + std::chrono::milliseconds(options.waitMs);

    // SECURITY_IDENTIFICATION: the server may learn who we are but cannot
    // act as us.
    const DWORD flags = FILE_FLAG_OVERLAPPED | SECURITY_SQOS_PRESENT | SECURITY_IDENTIFICATION;
    // Read and write; for a one-way pipe, the one direction plus the
    // attribute access SetNamedPipeHandleState needs.
    const DWORD accessTries[] = {GENERIC_READ | GENERIC_WRITE, GENERIC_WRITE | FILE_READ_ATTRIBUTES,
                                 GENERIC_READ | FILE_WRITE_ATTRIBUTES};
    Handle pipe;
    bool seenBusy = false;
    for (;;) {
        DWORD error = ERROR_SUCCESS;
        for (DWORD access : accessTries) {
            pipe = Handle(CreateFileW(wideName.c_str(), access, 0, nullptr, OPEN_EXISTING, flags, nullptr));
            error = pipe.valid() ? ERROR_SUCCESS : GetLastError();
            if (error != ERROR_ACCESS_DENIED)
                break;
        }
        if (pipe.valid())
            break;
        // A pipe seen busy that is briefly gone is a server replacing the
        // instance that just ended (with max instances 1 there is a moment
        // with none): keep waiting, as long as the wait time lasts.
        const bool cycling = seenBusy && error == ERROR_FILE_NOT_FOUND && remainingMs(deadline) > 0;
        if (error != ERROR_PIPE_BUSY && !cycling) {
            NativeError failed = systemError(long(error), "CreateFileW", where);
            if (failed.code == ErrorCode::NotFound)
                failed.text += "; no pipe of this name exists";
            return failed;
        }
        if (!seenBusy && options.onBusy)
            options.onBusy();
        seenBusy = true;
        if (cancel && cancel->load())
            return makeError(ErrorCode::Cancelled, "WaitNamedPipeW", where, "the wait was cancelled");
        const int left = remainingMs(deadline);
        if (left == 0)
            return makeError(ErrorCode::TimedOut, "WaitNamedPipeW", where,
                             "every instance of the pipe stayed busy for " + std::to_string(options.waitMs) +
                                 " ms");
        // Returns at once when an instance frees; false when the slice ran
        // out, or at once when no instance exists (then sleep the slice).
        if (!WaitNamedPipeW(wideName.c_str(), std::min<DWORD>(DWORD(left), kWaitSliceMs)) &&
            GetLastError() == ERROR_FILE_NOT_FOUND)
            Sleep(std::min<DWORD>(DWORD(left), 10));
    }

    DWORD pipeFlags = 0;
    if (!GetNamedPipeInfo(pipe.get(), &pipeFlags, nullptr, nullptr, nullptr))
        return lastSystemError("GetNamedPipeInfo", where);
    const PipeType type = (pipeFlags & PIPE_TYPE_MESSAGE) ? PipeType::Message : PipeType::Byte;
    if (options.type && *options.type != type)
        return makeError(ErrorCode::WrongPipeType, "GetNamedPipeInfo", where,
                         std::string("the server's pipe is a ") + pipeTypeName(type) + " pipe, not " +
                             pipeTypeName(*options.type));
    const ReadMode mode = options.readMode.value_or(type == PipeType::Message ? ReadMode::Message : ReadMode::Byte);
    if (type == PipeType::Byte && mode == ReadMode::Message)
        return makeError(ErrorCode::InvalidParameter, "SetNamedPipeHandleState", where,
                         "message read mode needs a message-type pipe; this server is a byte pipe");
    DWORD pipeMode = mode == ReadMode::Message ? PIPE_READMODE_MESSAGE : PIPE_READMODE_BYTE;
    if (!SetNamedPipeHandleState(pipe.get(), &pipeMode, nullptr, nullptr))
        return lastSystemError("SetNamedPipeHandleState", where);
    auto connection = makeConnection(pipe.release(), false, type, mode, options.maxMessageSize, where, kClientReadChunk);
    if (!options.serverUser.empty()) {
        // The account is DOMAIN\NAME; NAME alone names it too.
        const std::string &user = connection->peer().user;
        const auto same = [](std::string_view a, std::string_view b) {
            return a.size() == b.size() &&
                   std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return std::tolower(x) == std::tolower(y); });
        };
        const std::size_t slash = user.find('\\');
        if (!same(user, options.serverUser) &&
            !(slash != std::string::npos && same(std::string_view(user).substr(slash + 1), options.serverUser))) {
            connection->close(0);
            return makeError(ErrorCode::AccessDenied, "connect", where,
                             "the server runs as " + (user.empty() ? std::string("an account it cannot tell") : user) +
                                 ", pid " + std::to_string(connection->peer().pid) + ", not as " + options.serverUser +
                                 ": refusing to talk to it");
        }
    }
    return connection;
}

// --- Listing ----------------------------------------------------------------

Result<std::vector<PipeEntry>> listPipes()
{
    std::vector<PipeEntry> entries;
    WIN32_FIND_DATAW found;
    HANDLE search = FindFirstFileW(L"\\\\.\\pipe\\*", &found);
    if (search == INVALID_HANDLE_VALUE) {
        if (GetLastError() == ERROR_FILE_NOT_FOUND)
            return entries;
        return lastSystemError("FindFirstFileW", "\\\\.\\pipe\\*");
    }
    do {
        entries.push_back({"\\\\.\\pipe\\" + narrow(found.cFileName), std::nullopt});
    } while (FindNextFileW(search, &found));
    FindClose(search);
    return entries;
}

bool pipeExists(const PipeAddress &address)
{
    // True at once if an instance is free; a busy pipe times out instead
    // of being not found.
    return WaitNamedPipeW(widen(address.path).c_str(), 1) || GetLastError() != ERROR_FILE_NOT_FOUND;
}

// --- Interrupts -------------------------------------------------------------

namespace {
HANDLE g_interrupt = nullptr;

BOOL WINAPI onConsoleEvent(DWORD)
{
    SetEvent(g_interrupt);
    return TRUE;
}
} // namespace

NativeHandle interruptHandle()
{
    static const HANDLE event = [] {
        g_interrupt = CreateEventW(nullptr, TRUE, FALSE, nullptr);
        SetConsoleCtrlHandler(onConsoleEvent, TRUE);
        return g_interrupt;
    }();
    return event ? NativeHandle(event) : NativeHandle(-1);
}

bool waitHandle(NativeHandle handle, int timeoutMs)
{
    return WaitForSingleObject(reinterpret_cast<HANDLE>(handle), DWORD(timeoutMs)) == WAIT_OBJECT_0;
}

} // namespace PipeScope::Native
