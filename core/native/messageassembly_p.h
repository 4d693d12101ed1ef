#pragma once

// Private to core/native: what both backends do while a message arrives in
// parts (records on Linux, ERROR_MORE_DATA parts on Windows).

#include "nativepipe.h"

#include <algorithm>
#include <string>

namespace PipeScope::Native {

class MessageAssembly
{
public:
    std::size_t size() const { return m_size; }

    // How many more bytes the message may keep under `limit`.
    std::size_t room(std::size_t limit) const { return limit > m_size ? limit - m_size : 0; }

    // A part of `partSize` bytes arrived, of which `kept` were stored.
    void addPart(std::size_t kept, std::size_t partSize)
    {
        m_size += kept;
        m_fullSize += partSize;
        ++m_parts;
        m_oversized = m_oversized || kept < partSize;
    }

    // The message ended: Data, or MessageTooLarge naming its real size and
    // keeping its first `limit` bytes. Starts over for the next message.
    ReadResult complete(std::size_t limit, const char *call, const std::string &subject)
    {
        if (!m_oversized)
            return take(ReadStatus::Data);
        const std::uint64_t full = m_fullSize;
        ReadResult result = take(ReadStatus::Failed);
        result.fullSize = full;
        result.error = makeError(ErrorCode::MessageTooLarge, call, subject,
                                 "a message of " + std::to_string(full) + " bytes exceeds the limit of " +
                                     std::to_string(limit) + " bytes; its first " +
                                     std::to_string(result.size) +
                                     " bytes are kept and the connection stays open");
        return result;
    }

    // The connection ended, maybe in the middle of a message.
    ReadResult closed() { return take(ReadStatus::Closed); }

private:
    ReadResult take(ReadStatus status)
    {
        ReadResult result;
        result.status = status;
        result.size = m_size;
        result.parts = m_parts;
        *this = MessageAssembly();
        return result;
    }

    std::size_t m_size = 0;
    std::uint32_t m_parts = 0;
    std::uint64_t m_fullSize = 0;
    bool m_oversized = false;
};

} // namespace PipeScope::Native
