// Windows pipe names cannot be renamed: a monitor adds instances to the
// server's pipe instead (interpose.h).
#include "interpose.h"
#include "nativepipe.h"

namespace PipeScope::Native {

std::string movedAsideName(const std::string &path)
{
    return path;
}

Result<MovedAside> moveAside(const PipeAddress &address)
{
    if (!pipeExists(address))
        return makeError(ErrorCode::NotFound, "interpose", address.display(),
                         "no server has this pipe; start the server first, or start the monitor first on this name "
                         "with the server on another (--to)");
    MovedAside shared{address.path, address.path, true};
    return shared;
}

NativeError putBack(const MovedAside &)
{
    return {}; // nothing was moved: the monitor's instances go with it
}

Result<MovedAside> findMovedAside(const PipeAddress &address)
{
    return makeError(ErrorCode::NotFound, "restore", address.display(),
                     "nothing is moved on Windows (a monitor adds instances to the pipe, and they end with it): "
                     "nothing to put back");
}

} // namespace PipeScope::Native
