// The server side: CreateNamedPipe instances up to max instances, ConnectNamedPipe overlapped, accepting.
#include "nativepipe_win_p.h"

#include <sddl.h>
#include <algorithm>

namespace PipeScope::Native {

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
    int passingOn = 0; // sharedName: accepted clients not yet passed on (rearm())

    ~Impl()
    {
        if (descriptor)
            LocalFree(descriptor);
    }

    bool unlimited() const { return options.maxInstances == kUnlimitedInstances; }
    bool belowMax() const { return unlimited() || active < options.maxInstances; }
    // Whether a listening instance may be made now.
    bool mayListen() const { return !closed && !listening.valid() && belowMax() && passingOn == 0; }
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
        if (!d->mayListen())
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
    if (d->options.sharedName)
        ++d->passingOn; // no instance of ours listens until rearm()
    // The next listening instance, at once, while below max instances: a
    // client never finds the pipe without one, and the name is never free
    // for another process to take.
    NativeError next = d->mayListen() ? d->createInstance() : NativeError{};
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
    if (ended && ended->d->serverSide && ended->d->disconnected && ended->d->pipe.valid() && d->mayListen()) {
        if (!d->listenOn(Handle(ended->d->pipe.release())).isError())
            return;
    }
    if (ended)
        ended->close(0);
    if (d->mayListen())
        d->createInstance();
}

void Listener::rearm()
{
    if (!d->options.sharedName || d->passingOn == 0)
        return;
    --d->passingOn;
    if (d->mayListen())
        d->createInstance();
}

void Listener::close()
{
    if (!d || d->closed)
        return;
    d->closed = true;
    d->dropListening();
}

} // namespace PipeScope::Native
