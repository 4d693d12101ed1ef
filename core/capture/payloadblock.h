#pragma once

#include <cstddef>

namespace PipeScope {

// Memory a worker read payloads into. An event whose payload points into a
// block holds the block, and so does the store that keeps the event.
class PayloadBlock
{
public:
    explicit PayloadBlock(std::size_t capacity);
    ~PayloadBlock();
    PayloadBlock(const PayloadBlock &) = delete;
    PayloadBlock &operator=(const PayloadBlock &) = delete;

    char *data() const { return m_data; }
    std::size_t capacity() const { return m_capacity; }

private:
    char *m_data = nullptr;
    std::size_t m_capacity = 0;
    bool m_large = false;
};

} // namespace PipeScope
