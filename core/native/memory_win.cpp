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

} // namespace PipeScope::Native
