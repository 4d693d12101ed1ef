#include "nativeerror.h"

#include <windows.h>

namespace PipeScope::Native {

namespace {

struct Known
{
    DWORD code;
    const char *name;
    ErrorCode mapped;
};

// Every code the pipe calls are documented to return, and a few more.
constexpr Known kKnown[] = {
    {ERROR_FILE_NOT_FOUND, "ERROR_FILE_NOT_FOUND", ErrorCode::NotFound},
    {ERROR_PATH_NOT_FOUND, "ERROR_PATH_NOT_FOUND", ErrorCode::NotFound},
    {ERROR_BAD_NETPATH, "ERROR_BAD_NETPATH", ErrorCode::NotFound},
    {ERROR_BAD_NET_NAME, "ERROR_BAD_NET_NAME", ErrorCode::NotFound},
    {ERROR_ACCESS_DENIED, "ERROR_ACCESS_DENIED", ErrorCode::AccessDenied},
    {ERROR_PRIVILEGE_NOT_HELD, "ERROR_PRIVILEGE_NOT_HELD", ErrorCode::AccessDenied},
    {ERROR_ALREADY_EXISTS, "ERROR_ALREADY_EXISTS", ErrorCode::AddressInUse},
    {ERROR_PIPE_BUSY, "ERROR_PIPE_BUSY", ErrorCode::Busy},
    {ERROR_SEM_TIMEOUT, "ERROR_SEM_TIMEOUT", ErrorCode::TimedOut},
    {WAIT_TIMEOUT, "WAIT_TIMEOUT", ErrorCode::TimedOut},
    {ERROR_BROKEN_PIPE, "ERROR_BROKEN_PIPE", ErrorCode::Disconnected},
    {ERROR_NO_DATA, "ERROR_NO_DATA", ErrorCode::Disconnected},
    {ERROR_PIPE_NOT_CONNECTED, "ERROR_PIPE_NOT_CONNECTED", ErrorCode::Disconnected},
    {ERROR_NETNAME_DELETED, "ERROR_NETNAME_DELETED", ErrorCode::Disconnected},
    {ERROR_INVALID_PARAMETER, "ERROR_INVALID_PARAMETER", ErrorCode::InvalidParameter},
    {ERROR_INVALID_FUNCTION, "ERROR_INVALID_FUNCTION", ErrorCode::InvalidParameter},
    {ERROR_INVALID_NAME, "ERROR_INVALID_NAME", ErrorCode::InvalidName},
    {ERROR_BAD_PATHNAME, "ERROR_BAD_PATHNAME", ErrorCode::InvalidName},
    {ERROR_FILENAME_EXCED_RANGE, "ERROR_FILENAME_EXCED_RANGE", ErrorCode::InvalidName},
    {ERROR_NOT_ENOUGH_MEMORY, "ERROR_NOT_ENOUGH_MEMORY", ErrorCode::ResourceExhausted},
    {ERROR_OUTOFMEMORY, "ERROR_OUTOFMEMORY", ErrorCode::ResourceExhausted},
    {ERROR_NO_SYSTEM_RESOURCES, "ERROR_NO_SYSTEM_RESOURCES", ErrorCode::ResourceExhausted},
    {ERROR_TOO_MANY_OPEN_FILES, "ERROR_TOO_MANY_OPEN_FILES", ErrorCode::ResourceExhausted},
    {ERROR_OPERATION_ABORTED, "ERROR_OPERATION_ABORTED", ErrorCode::Cancelled},
    {ERROR_CANCELLED, "ERROR_CANCELLED", ErrorCode::Cancelled},
    {ERROR_CALL_NOT_IMPLEMENTED, "ERROR_CALL_NOT_IMPLEMENTED", ErrorCode::Unsupported},
    {ERROR_BAD_DEV_TYPE, "ERROR_BAD_DEV_TYPE", ErrorCode::Unsupported},
    {ERROR_NOT_SUPPORTED, "ERROR_NOT_SUPPORTED", ErrorCode::Unsupported},
    {ERROR_MORE_DATA, "ERROR_MORE_DATA", ErrorCode::Other},
    {ERROR_PIPE_CONNECTED, "ERROR_PIPE_CONNECTED", ErrorCode::Other},
    {ERROR_IO_PENDING, "ERROR_IO_PENDING", ErrorCode::Other},
};

std::string systemText(DWORD code)
{
    char *buffer = nullptr;
    const DWORD n = FormatMessageA(FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM |
                                       FORMAT_MESSAGE_IGNORE_INSERTS,
                                   nullptr, code, MAKELANGID(LANG_ENGLISH, SUBLANG_DEFAULT),
                                   reinterpret_cast<LPSTR>(&buffer), 0, nullptr);
    std::string text = n && buffer ? std::string(buffer, n) : std::string();
    if (buffer)
        LocalFree(buffer);
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == '.' ||
                             text.back() == ' '))
        text.pop_back();
    return text.empty() ? "Windows error " + std::to_string(code) : text;
}

} // namespace

NativeError systemError(long nativeCode, std::string function, std::string subject)
{
    const auto code = DWORD(nativeCode);
    ErrorCode mapped = code == ERROR_SUCCESS ? ErrorCode::None : ErrorCode::Other;
    std::string name = "error " + std::to_string(code);
    for (const Known &k : kKnown) {
        if (k.code == code) {
            mapped = k.mapped;
            name = k.name;
            break;
        }
    }
    return NativeError{mapped, nativeCode, std::move(function), std::move(subject),
                       systemText(code) + " (" + name + ")"};
}

NativeError lastSystemError(std::string function, std::string subject)
{
    return systemError(long(GetLastError()), std::move(function), std::move(subject));
}

} // namespace PipeScope::Native
