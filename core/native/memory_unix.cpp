#include "memory.h"

#include <cstdint>
#include <sys/mman.h>
#include <unistd.h>

namespace PipeScope::Native {

namespace {
constexpr std::size_t kHugePage = std::size_t(2) << 20;
}

void *allocateLargeBlock(std::size_t bytes)
{
    // Map one huge page more, then unmap the ends so the block is aligned.
    const std::size_t span = bytes + kHugePage;
    void *raw = ::mmap(nullptr, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED)
        return nullptr;
    const auto start = reinterpret_cast<std::uintptr_t>(raw);
    const std::uintptr_t aligned = (start + kHugePage - 1) & ~std::uintptr_t(kHugePage - 1);
    if (aligned > start)
        ::munmap(raw, aligned - start);
    const std::uintptr_t end = start + span;
    if (end > aligned + bytes)
        ::munmap(reinterpret_cast<void *>(aligned + bytes), end - (aligned + bytes));
    void *block = reinterpret_cast<void *>(aligned);
    ::madvise(block, bytes, MADV_HUGEPAGE); // advice only: fine if refused
    return block;
}

void releaseLargeBlock(void *block, std::size_t bytes)
{
    if (block)
        ::munmap(block, bytes);
}

std::uint64_t physicalMemory()
{
    const long pages = ::sysconf(_SC_PHYS_PAGES);
    const long pageSize = ::sysconf(_SC_PAGESIZE);
    return pages > 0 && pageSize > 0 ? std::uint64_t(pages) * std::uint64_t(pageSize) : 0;
}

} // namespace PipeScope::Native
