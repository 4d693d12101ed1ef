#include "memory.h"

#include <windows.h>

namespace PipeScope::Native {

void *allocateLargeBlock(std::size_t bytes)
{
    // Reserved and committed; Windows backs pages on first touch.
    return VirtualAlloc(nullptr, bytes, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
}

void releaseLargeBlock(void *block, std::size_t)
{
    if (block)
        VirtualFree(block, 0, MEM_RELEASE);
}

std::uint64_t physicalMemory()
{
    MEMORYSTATUSEX status{};
    status.dwLength = sizeof status;
    return GlobalMemoryStatusEx(&status) ? std::uint64_t(status.ullTotalPhys) : 0;
}

} // namespace PipeScope::Native
