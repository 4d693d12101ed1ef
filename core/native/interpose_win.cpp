// Windows pipe names cannot be renamed: interposing is Linux's (interpose.h).
#include "interpose.h"

namespace PipeScope::Native {

namespace {

NativeError unsupported(const PipeAddress &address)
{
    return makeError(ErrorCode::Unsupported, "interpose", address.display(),
                     "a Windows pipe name cannot be moved aside; start the monitor on the name before the server "
                     "starts, with the server on another name (--to)");
}

} // namespace

std::string movedAsideName(const std::string &path)
{
    return path + ".pipescope-moved";
}

Result<MovedAside> moveAside(const PipeAddress &address)
{
    return unsupported(address);
}

NativeError putBack(const MovedAside &moved)
{
    PipeAddress address;
    address.path = moved.original;
    return unsupported(address);
}

Result<MovedAside> findMovedAside(const PipeAddress &address)
{
    return unsupported(address);
}

} // namespace PipeScope::Native
