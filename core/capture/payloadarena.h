#pragma once

#include "nativepipe.h"
#include "payloadblock.h"
#include "trafficevent.h"

#include <memory>

namespace PipeScope {

// Where a worker's reads land: messages are written one after another into
// blocks the worker owns, and each finished message is handed out as a view
// that keeps its block alive. No allocation and no copy per message; the
// store adopts the blocks as they are. Not thread-safe: one worker's.
class PayloadArena final : public Native::ByteSink
{
public:
    // Native::ByteSink: room for the current message to grow to `size`.
    char *resize(std::size_t size) override;
    std::size_t capacity() const override { return m_block ? m_block->capacity() - m_used : 0; }

    // A finished message: a view of its bytes and the block that holds them.
    struct Taken
    {
        QByteArray bytes;
        std::shared_ptr<const PayloadBlock> block;
    };

    // Ends the current message at `size` bytes (at most what was resized)
    // and returns it.
    Taken take(std::size_t size);

private:
    static constexpr std::size_t kFirstBlock = 64 * 1024;
    static constexpr std::size_t kLargestBlock = 4 * 1024 * 1024;

    std::shared_ptr<PayloadBlock> m_block;
    std::size_t m_used = 0;    // bytes of finished messages in m_block
    std::size_t m_current = 0; // bytes of the message being read
    std::size_t m_nextBlock = kFirstBlock;
};

} // namespace PipeScope
