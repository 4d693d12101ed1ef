// A message connection's read-ahead: several records per system call
// (docs/linux-backend.md, "Reading ahead").
#include "nativepipe_unix_p.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <numeric>
#include <sys/mman.h>

namespace PipeScope::Native {

namespace {

std::size_t roundUpToPage(std::size_t bytes)
{
    static const std::size_t page = std::size_t(::sysconf(_SC_PAGESIZE));
    return (bytes + page - 1) / page * page;
}

} // namespace

ReadAhead::~ReadAhead()
{
    if (m_tails)
        ::munmap(m_tails, m_slots * m_tailSize);
}

bool ReadAhead::reserve(std::size_t maxMessageSize)
{
    if (m_heads)
        return true;
    const std::size_t tailSize = maxMessageSize > kHead ? roundUpToPage(maxMessageSize - kHead) : 0;
    const std::size_t slots = tailSize ? std::min(kMaxRecords, kTailSpace / tailSize) : kMaxRecords;
    if (slots < 2)
        return false; // a limit of hundreds of MiB: one record at a time
    if (tailSize) {
        void *tails = ::mmap(nullptr, slots * tailSize, PROT_READ | PROT_WRITE,
                             MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (tails == MAP_FAILED)
            return false; // strict overcommit (vm.overcommit_memory 2) counts reserved space
        // A large record's pages become memory one by one, not 2 MiB at a
        // time; and a core dump leaves out a gigabyte of holes.
        ::madvise(tails, slots * tailSize, MADV_NOHUGEPAGE);
        ::madvise(tails, slots * tailSize, MADV_DONTDUMP);
        m_tails = static_cast<char *>(tails);
    }
    m_tailSize = tailSize;
    m_slots = slots;
    m_heads = std::make_unique_for_overwrite<char[]>(slots * kHead);
    return true;
}

void ReadAhead::giveBackTails()
{
    for (std::size_t slot = 0; slot < m_slots; ++slot) {
        if (m_touched[slot] == 0)
            continue;
        ::madvise(m_tails + slot * m_tailSize, roundUpToPage(m_touched[slot]), MADV_DONTNEED);
        m_touched[slot] = 0;
    }
}

ReadAhead::Fill ReadAhead::fill(int fd, std::size_t maxMessageSize)
{
    if (!reserve(maxMessageSize))
        return Fill::Unavailable;
    if (std::accumulate(m_touched.cbegin(), m_touched.cend(), std::size_t(0)) > kTailKeep)
        giveBackTails(); // nothing is held: the last batch has been read
    std::array<mmsghdr, kMaxRecords> headers{};
    std::array<std::array<iovec, 2>, kMaxRecords> parts{};
    // With SO_PASSCRED every record carries credentials; the end carries none.
    alignas(cmsghdr) char control[kMaxRecords][CMSG_SPACE(sizeof(ucred))];
    for (std::size_t slot = 0; slot < m_slots; ++slot) {
        parts[slot][0] = iovec{m_heads.get() + slot * kHead, kHead};
        parts[slot][1] = iovec{m_tails + slot * m_tailSize, m_tailSize};
        msghdr &header = headers[slot].msg_hdr;
        header.msg_iov = parts[slot].data();
        header.msg_iovlen = m_tailSize ? 2 : 1;
        header.msg_control = control[slot];
        header.msg_controllen = sizeof control[slot];
    }
    // MSG_TRUNC: each length is the record's own, also where the limit cut it.
    int taken;
    do
        taken = ::recvmmsg(fd, headers.data(), unsigned(m_slots), MSG_DONTWAIT | MSG_TRUNC, nullptr);
    while (taken < 0 && errno == EINTR);
    if (taken < 0)
        return (errno == EAGAIN || errno == EWOULDBLOCK) ? Fill::WouldBlock : Fill::Failed;
    m_count = 0;
    m_next = 0;
    for (std::size_t slot = 0; slot < std::size_t(taken); ++slot) {
        const std::size_t length = headers[slot].msg_len;
        if (length == 0 && headers[slot].msg_hdr.msg_controllen == 0) {
            m_held[m_count++] = Held{0, true};
            break; // every slot after the end reads the end again
        }
        m_held[m_count++] = Held{length, false};
        const std::size_t inTail = std::min(length, kHead + m_tailSize) - std::min(length, kHead);
        m_touched[slot] = std::max(m_touched[slot], inTail);
    }
    return Fill::Taken;
}

void ReadAhead::take(char *to, std::size_t bytes)
{
    const std::size_t slot = m_next++;
    const std::size_t fromHead = std::min(bytes, kHead);
    if (fromHead)
        std::memcpy(to, m_heads.get() + slot * kHead, fromHead);
    if (bytes > fromHead)
        std::memcpy(to + fromHead, m_tails + slot * m_tailSize, bytes - fromHead);
}

std::size_t ReadAhead::bytes() const
{
    std::size_t total = 0;
    for (std::size_t i = m_next; i < m_count; ++i)
        total += m_held[i].size;
    return total;
}

} // namespace PipeScope::Native
