// A connection's writes: one overlapped WriteFile at a time, in order, the rest queued.
#include "nativepipe_win_p.h"

#include <algorithm>

namespace PipeScope::Native {

NativeError Connection::Impl::startWrite()
{
    const std::string &front = pending.front();
    writeOv = OVERLAPPED{};
    writeOv.hEvent = writeEvent.get();
    if (!WriteFile(pipe.get(), front.data(), DWORD(front.size()), nullptr, &writeOv) &&
        GetLastError() != ERROR_IO_PENDING) {
        const DWORD error = GetLastError();
        pending.clear();
        pendingBytes = 0;
        SetEvent(writeEvent.get());
        return systemError(long(error), "WriteFile", description);
    }
    writePending = true;
    return {};
}

NativeError Connection::write(std::string_view data)
{
    if (!isOpen())
        return makeError(ErrorCode::Disconnected, "WriteFile", d->description, "the pipe is closed");
    d->pending.emplace_back(data);
    d->pendingBytes += data.size();
    if (!d->writePending) {
        if (NativeError error = d->startWrite(); error.isError())
            return error;
    }
    return flush();
}

NativeError Connection::writeMany(std::span<const std::string_view> messages, std::size_t &taken)
{
    // One overlapped WriteFile per message, as write() does: Windows has no
    // call that sends several messages at once.
    for (taken = 0; taken < messages.size(); ++taken)
        if (NativeError error = write(messages[taken]); error.isError())
            return error;
    return {};
}

std::uint32_t Connection::recordsFor(std::size_t) const
{
    return 1; // a Windows message is one WriteFile, whatever its size
}

NativeError Connection::flush()
{
    while (d->writePending) {
        DWORD written = 0;
        if (!GetOverlappedResult(d->pipe.get(), &d->writeOv, &written, FALSE)) {
            const DWORD error = GetLastError();
            if (error == ERROR_IO_INCOMPLETE)
                return {};
            d->writePending = false;
            d->pending.clear();
            d->pendingBytes = 0;
            return systemError(long(error), "WriteFile", d->description);
        }
        d->writePending = false;
        d->pendingBytes -= d->pending.front().size();
        d->pending.pop_front();
        if (!d->pending.empty()) {
            if (NativeError error = d->startWrite(); error.isError())
                return error;
        }
    }
    return {};
}

} // namespace PipeScope::Native
