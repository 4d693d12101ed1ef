#include "filesync.h"

#include <io.h>
#include <windows.h>

namespace PipeScope::Native {

NativeError syncToDisk(int fd)
{
    const auto handle = reinterpret_cast<HANDLE>(::_get_osfhandle(fd));
    if (handle == INVALID_HANDLE_VALUE)
        return makeError(ErrorCode::InvalidParameter, "_get_osfhandle", {}, "not an open file descriptor");
    return ::FlushFileBuffers(handle) ? NativeError{} : lastSystemError("FlushFileBuffers");
}

} // namespace PipeScope::Native
