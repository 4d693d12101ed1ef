#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace PipeScope::Native {

// One vocabulary for both platforms. Every errno and GetLastError value the
// backends meet maps to one of these; the native code and the failing call
// travel alongside so nothing precise is lost.
enum class ErrorCode {
    None,
    InvalidName,       // the name cannot be a pipe name (checked before any system call)
    NotFound,          // no pipe of that name, or a directory on the path is missing
    AccessDenied,      // permissions, or a peer of another user refused
    AddressInUse,      // a live server already owns the name
    PathOccupied,      // something that is not a socket sits where the pipe should go
    Busy,              // every instance is taken (ERROR_PIPE_BUSY)
    TimedOut,          // a wait ran out
    ConnectionRefused, // a socket file exists but nobody listens
    Disconnected,      // the peer went away (ERROR_BROKEN_PIPE, EPIPE, ECONNRESET)
    WrongPipeType,     // byte versus message mismatch (EPROTOTYPE)
    MessageTooLarge,   // a message beyond the configured limit
    InvalidParameter,  // an option the platform refuses
    ResourceExhausted, // out of memory, descriptors or buffer space
    Cancelled,         // the operation was stopped on request
    Unsupported,       // the platform has no such feature
    Other,
};

const char *errorCodeName(ErrorCode code);

struct NativeError
{
    ErrorCode code = ErrorCode::None;
    long nativeCode = 0;  // errno or GetLastError(), 0 when the error is PipeScope's own
    std::string function; // the call that failed: "connect", "CreateNamedPipeW", "name"
    std::string subject;  // what it was applied to: a path or pipe name, may be empty
    std::string text;     // the system's or PipeScope's words for the problem

    bool isError() const { return code != ErrorCode::None; }
    // "connect /tmp/x: Connection refused (ECONNREFUSED)"
    std::string message() const;
};

// How a client's refusal of another user's server ends: how to allow that
// user ("; to allow it: --server-user alice, or --server-user any for
// anyone"; only "any" for a user who cannot be named). serverUserToAllow() reads the user back out of an error's
// message, for a window that asks instead; empty when it is no such
// refusal.
std::string allowServerUserHint(const std::string &user);
std::string serverUserToAllow(std::string_view message);

// An error of PipeScope's own making (no native code).
NativeError makeError(ErrorCode code, std::string function, std::string subject, std::string text);

// Maps the calling thread's last system error (errno on Unix, GetLastError on
// Windows) for the named call. Implemented once per platform.
NativeError lastSystemError(std::string function, std::string subject = {});
NativeError systemError(long nativeCode, std::string function, std::string subject = {});

// A value or the error that prevented it.
template <typename T>
class Result
{
public:
    Result(T value) : m_state(std::move(value)) {}
    Result(NativeError error) : m_state(std::move(error)) {}

    bool ok() const { return m_state.index() == 0; }
    explicit operator bool() const { return ok(); }
    T &value() { return std::get<0>(m_state); }
    const T &value() const { return std::get<0>(m_state); }
    // No error (code None) when the result holds a value.
    const NativeError &error() const
    {
        static const NativeError none;
        return ok() ? none : std::get<1>(m_state);
    }

private:
    std::variant<T, NativeError> m_state;
};

} // namespace PipeScope::Native
