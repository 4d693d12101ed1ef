#include "descriptors.h"

#include <dirent.h>
#include <sys/resource.h>

#include <climits>

namespace PipeScope::Native {

void raiseDescriptorLimit()
{
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= limit.rlim_max)
        return;
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit); // a refusal leaves the old limit, which still works
}

long descriptorHeadroom()
{
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY)
        return LONG_MAX;
    DIR *dir = ::opendir("/proc/self/fd");
    if (!dir)
        return LONG_MAX; // cannot tell: let the calls themselves fail
    long open = -1;      // the directory's own descriptor is listed too
    while (const dirent *entry = ::readdir(dir))
        open += entry->d_name[0] != '.';
    ::closedir(dir);
    return long(limit.rlim_cur) - open;
}

} // namespace PipeScope::Native
