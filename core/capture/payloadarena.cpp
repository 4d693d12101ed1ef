#include "payloadarena.h"

#include <algorithm>
#include <cstring>

namespace PipeScope {

char *PayloadArena::resize(std::size_t size)
{
    if (!m_block || m_used + size > m_block->capacity()) {
        // A new block, doubling as traffic keeps coming, or as large as a
        // big message needs (twice, so a message growing part by part is
        // copied O(log n) times). The old block's tail stays unused; it is
        // freed with the last message that points into it.
        std::size_t capacity = std::max(m_nextBlock, size);
        if (size > m_nextBlock)
            capacity = std::max(size, m_current * 2);
        m_nextBlock = std::min(m_nextBlock * 2, kLargestBlock);
        auto block = std::make_shared<PayloadBlock>(capacity);
        if (m_current && m_block)
            std::memcpy(block->data(), m_block->data() + m_used, m_current);
        m_block = std::move(block);
        m_used = 0;
    }
    m_current = std::max(m_current, size);
    return m_block->data() + m_used;
}

PayloadArena::Taken PayloadArena::take(std::size_t size)
{
    m_current = 0;
    if (size == 0)
        return {};
    const char *data = m_block->data() + m_used;
    // Keep the next message 8-byte aligned.
    m_used = std::min(m_block->capacity(), m_used + ((size + 7) & ~std::size_t(7)));
    return {QByteArray::fromRawData(data, qsizetype(size)), m_block};
}

} // namespace PipeScope
