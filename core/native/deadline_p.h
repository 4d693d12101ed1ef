#pragma once

// Deadlines of blocking waits (a connect, a flush), for both backends.

#include <algorithm>
#include <chrono>
#include <cstdint>

namespace PipeScope::Native {

using Clock = std::chrono::steady_clock;

// Milliseconds left until `deadline`; 0 once it has passed.
inline int remainingMs(Clock::time_point deadline)
{
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    return int(std::max<std::int64_t>(0, left.count()));
}

} // namespace PipeScope::Native
