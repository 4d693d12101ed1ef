#include "trafficevent.h"

#include "memory.h"

#include <chrono>

namespace PipeScope {

namespace {
// Blocks from this size up are committed in one call; smaller ones come
// from the heap, whose pages are mostly warm already.
constexpr std::size_t kCommitThreshold = std::size_t(1) << 20;
} // namespace

PayloadBlock::PayloadBlock(std::size_t capacity) : m_capacity(capacity)
{
    if (capacity >= kCommitThreshold) {
        m_data = static_cast<char *>(Native::allocateCommitted(capacity));
        m_committed = m_data != nullptr;
    }
    if (!m_data)
        m_data = new char[capacity];
}

PayloadBlock::~PayloadBlock()
{
    if (m_committed)
        Native::releaseCommitted(m_data, m_capacity);
    else
        delete[] m_data;
}

qint64 nowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

const char *directionName(Direction direction)
{
    switch (direction) {
    case Direction::In: return "in";
    case Direction::Out: return "out";
    case Direction::None: break;
    }
    return "";
}

const char *eventKindName(EventKind kind)
{
    switch (kind) {
    case EventKind::Connected: return "connected";
    case EventKind::Data: return "data";
    case EventKind::Disconnected: return "disconnected";
    case EventKind::Error: return "error";
    }
    return "";
}

} // namespace PipeScope
