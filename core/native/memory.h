#pragma once

#include <cstddef>

namespace PipeScope::Native {

// Memory for captured payloads, committed up front. On a machine where page
// faults are expensive, committing a block in one call (MAP_POPULATE) costs
// about half of touching it page by page while the kernel copies into it.
void *allocateCommitted(std::size_t bytes);
void releaseCommitted(void *block, std::size_t bytes);

} // namespace PipeScope::Native
