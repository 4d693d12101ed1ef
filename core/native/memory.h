#pragma once

#include <cstddef>
#include <cstdint>

namespace PipeScope::Native {

// Memory for captured payloads in large blocks. Filling fresh memory is what
// limits a capture at high rates: every new page is a fault and a zeroed
// page. On Linux the block is aligned to 2 MiB and advised for transparent
// huge pages, so it faults in 2 MiB at a time (measured 2.5x faster than
// 4 KiB faults on a virtual machine) and untouched pages cost nothing.
void *allocateLargeBlock(std::size_t bytes);
void releaseLargeBlock(void *block, std::size_t bytes);

// The machine's physical memory in bytes; 0 when the system does not say.
std::uint64_t physicalMemory();

} // namespace PipeScope::Native
