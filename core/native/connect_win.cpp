// The client side: CreateFile, WaitNamedPipe while every instance is busy, SetNamedPipeHandleState.
#include "nativepipe_win_p.h"

#include <algorithm>
#include <cctype>

namespace PipeScope::Native {

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
    if (options.serverUser != kAnyServerUser) {
        // The account is DOMAIN\NAME; NAME alone names it too. By default
        // this process's own account.
        const std::string required = options.serverUser.empty() ? currentAccount() : options.serverUser;
        const std::string &user = connection->peer().user;
        const auto same = [](std::string_view a, std::string_view b) {
            return a.size() == b.size() &&
                   std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return std::tolower(x) == std::tolower(y); });
        };
        const std::size_t slash = user.find('\\');
        if (user.empty() || (!same(user, required) &&
                             !(slash != std::string::npos && same(std::string_view(user).substr(slash + 1), required)))) {
            connection->close(0);
            return makeError(ErrorCode::AccessDenied, "connect", where,
                             "the server runs as " + (user.empty() ? std::string("an account it cannot tell") : user) +
                                 ", pid " + std::to_string(connection->peer().pid) + ", not as " + required +
                                 ": refusing to talk to it" + allowServerUserHint(user));
        }
    }
    return connection;
}

} // namespace PipeScope::Native
