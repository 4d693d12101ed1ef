#include "payloadblock.h"

#include "memory.h"

namespace PipeScope {

namespace {
// Blocks from this size up come from the large-block allocator (huge
// pages); smaller ones from the heap, whose pages are mostly warm already.
constexpr std::size_t kLargeBlock = std::size_t(2) << 20;
} // namespace

PayloadBlock::PayloadBlock(std::size_t capacity) : m_capacity(capacity)
{
    if (capacity >= kLargeBlock) {
        m_data = static_cast<char *>(Native::allocateLargeBlock(capacity));
        m_large = m_data != nullptr;
    }
    if (!m_data)
        m_data = new char[capacity];
}

PayloadBlock::~PayloadBlock()
{
    if (m_large)
        Native::releaseLargeBlock(m_data, m_capacity);
    else
        delete[] m_data;
}

} // namespace PipeScope
