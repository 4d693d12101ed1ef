#include "memory.h"

#include <sys/mman.h>

namespace PipeScope::Native {

void *allocateCommitted(std::size_t bytes)
{
    void *block = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE,
                         MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    return block == MAP_FAILED ? nullptr : block;
}

void releaseCommitted(void *block, std::size_t bytes)
{
    if (block)
        ::munmap(block, bytes);
}

} // namespace PipeScope::Native
