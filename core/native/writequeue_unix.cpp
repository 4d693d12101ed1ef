// A connection's writes: records sent whole, the rest queued and flushed in order.
#include "nativepipe_unix_p.h"

#include <algorithm>
#include <cerrno>
#include <poll.h>
#include <sys/socket.h>

namespace PipeScope::Native {

NativeError Connection::Impl::sendOne(const char *data, std::size_t size, std::size_t &sent, bool &taken)
{
    sent = 0;
    taken = false;
    for (;;) {
        const ssize_t n = ::send(fd.get(), data, size, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n >= 0) {
            sent = std::size_t(n);
            taken = true;
            return {};
        }
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK)
            return {};
        return lastSystemError("send", description);
    }
}

NativeError Connection::write(std::string_view data)
{
    if (!d->fd.valid())
        return makeError(ErrorCode::Disconnected, "write", d->description, "the pipe is closed");
    if (!d->mayWrite)
        return makeError(ErrorCode::AccessDenied, "write", d->description,
                         "the pipe is inbound: its server only reads");

    if (d->type == PipeType::Byte) {
        std::size_t offset = 0;
        bool taken = false;
        if (d->pending.empty()) {
            if (NativeError error = d->sendOne(data.data(), data.size(), offset, taken); error.isError())
                return error;
        }
        if (offset < data.size()) {
            d->pending.emplace_back(data.data() + offset, data.size() - offset);
            d->pendingBytes += data.size() - offset;
        }
        return {};
    }

    // Message type: one record whenever the socket can carry it, so a
    // program that knows nothing of PipeScope gets each message as the
    // record it expects.
    if (d->singleRecord(data.size())) {
        std::size_t sent = 0;
        bool taken = false;
        NativeError error;
        if (d->pending.empty())
            error = d->sendOne(data.data(), data.size(), sent, taken);
        if (!error.isError()) {
            if (!taken) {
                d->pending.emplace_back(data);
                d->pendingBytes += data.size();
            }
            return {};
        }
        if (error.nativeCode != EMSGSIZE && error.nativeCode != ENOBUFS)
            return error;
        // Less room than the buffer's size promised: frame this one, and
        // every one as large.
        d->maxRecord = kRecordSize - 1;
    }
    // Longer: full records of kRecordSize and a shorter closing one.
    std::size_t offset = 0;
    bool last = false;
    while (!last) {
        const std::size_t remaining = data.size() - offset;
        const std::size_t record = std::min(remaining, kRecordSize);
        last = record < kRecordSize;
        if (d->pending.empty()) {
            std::size_t sent = 0;
            bool taken = false;
            if (NativeError error = d->sendOne(data.data() + offset, record, sent, taken); error.isError())
                return error;
            if (taken) {
                offset += record;
                continue;
            }
        }
        d->pending.emplace_back(data.data() + offset, record);
        d->pendingBytes += record;
        offset += record;
    }
    return {};
}

NativeError Connection::writeMany(std::span<const std::string_view> messages, std::size_t &taken)
{
    taken = 0;
    // A run of messages that fit a record each, with nothing queued before
    // them, goes in one sendmmsg; whatever it did not send (the socket
    // full, an error) goes through write(), which queues it or says why.
    if (d->type == PipeType::Message && d->fd.valid() && d->mayWrite && d->pending.empty()) {
        constexpr std::size_t kBatch = 64;
        mmsghdr headers[kBatch];
        iovec parts[kBatch];
        std::size_t count = 0;
        while (count < std::min(messages.size(), kBatch) && d->singleRecord(messages[count].size())) {
            parts[count] = iovec{const_cast<char *>(messages[count].data()), messages[count].size()};
            headers[count] = mmsghdr{};
            headers[count].msg_hdr.msg_iov = &parts[count];
            headers[count].msg_hdr.msg_iovlen = 1;
            ++count;
        }
        if (count > 1) {
            int sent;
            do
                sent = ::sendmmsg(d->fd.get(), headers, unsigned(count), MSG_NOSIGNAL | MSG_DONTWAIT);
            while (sent < 0 && errno == EINTR);
            if (sent > 0)
                taken = std::size_t(sent);
        }
    }
    for (; taken < messages.size(); ++taken)
        if (NativeError error = write(messages[taken]); error.isError())
            return error;
    return {};
}

std::uint32_t Connection::recordsFor(std::size_t size) const
{
    if (d->type == PipeType::Byte || d->singleRecord(size))
        return 1;
    return std::uint32_t(size / kRecordSize + 1);
}

NativeError Connection::flush()
{
    while (!d->pending.empty() && d->fd.valid()) {
        std::string &front = d->pending.front();
        const std::size_t offset = d->type == PipeType::Byte ? d->pendingOffset : 0;
        std::size_t sent = 0;
        bool taken = false;
        if (NativeError error = d->sendOne(front.data() + offset, front.size() - offset, sent, taken);
            error.isError())
            return error;
        if (d->type == PipeType::Message) {
            if (!taken)
                return {}; // a record is all or nothing: try again later
        } else if (offset + sent < front.size()) {
            d->pendingOffset += sent;
            d->pendingBytes -= sent;
            return {};
        }
        d->pendingBytes -= front.size() - offset;
        d->pendingOffset = 0;
        d->pending.pop_front();
    }
    return {};
}

} // namespace PipeScope::Native
