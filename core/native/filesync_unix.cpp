#include "filesync.h"

#include <cerrno>
#include <unistd.h>

namespace PipeScope::Native {

NativeError syncToDisk(int fd)
{
    // The data and what is needed to read it back (its size); not times.
    int rc;
    do {
        rc = ::fdatasync(fd);
    } while (rc != 0 && errno == EINTR);
    return rc == 0 ? NativeError{} : lastSystemError("fdatasync");
}

} // namespace PipeScope::Native
