#include "nativeerror.h"

#include <cerrno>
#include <cstring>

namespace PipeScope::Native {

namespace {

ErrorCode codeForErrno(int err)
{
    switch (err) {
    case 0: return ErrorCode::None;
    case ENOENT:
    case ENOTDIR: return ErrorCode::NotFound;
    case EACCES:
    case EPERM:
    case EROFS: return ErrorCode::AccessDenied;
    case EADDRINUSE:
    case EEXIST: return ErrorCode::AddressInUse;
    case EAGAIN: return ErrorCode::Busy;
    case ETIMEDOUT: return ErrorCode::TimedOut;
    case ECONNREFUSED: return ErrorCode::ConnectionRefused;
    case EPIPE:
    case ECONNRESET:
    case ENOTCONN:
    case ESHUTDOWN: return ErrorCode::Disconnected;
    case EPROTOTYPE: return ErrorCode::WrongPipeType;
    case EMSGSIZE: return ErrorCode::MessageTooLarge;
    case ENAMETOOLONG: return ErrorCode::InvalidName;
    case EINVAL:
    case EOPNOTSUPP:
    case EAFNOSUPPORT: return ErrorCode::InvalidParameter;
    case ENOMEM:
    case ENOBUFS:
    case EMFILE:
    case ENFILE:
    case ENOSPC: return ErrorCode::ResourceExhausted;
    case ECANCELED:
    case EINTR: return ErrorCode::Cancelled;
    case ENOSYS: return ErrorCode::Unsupported;
    default: return ErrorCode::Other;
    }
}

std::string errnoName(int err)
{
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 32))
    if (const char *name = strerrorname_np(err))
        return name;
#endif
    return "errno " + std::to_string(err);
}

} // namespace

NativeError systemError(long nativeCode, std::string function, std::string subject)
{
    const int err = static_cast<int>(nativeCode);
    std::string text = std::strerror(err);
    text += " (" + errnoName(err) + ")";
    return NativeError{codeForErrno(err), nativeCode, std::move(function), std::move(subject),
                       std::move(text)};
}

NativeError lastSystemError(std::string function, std::string subject)
{
    return systemError(errno, std::move(function), std::move(subject));
}

} // namespace PipeScope::Native
