// The pipes that exist: the kernel's listening Unix sockets.
#include "nativepipe_unix_p.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <optional>
#include <sys/stat.h>

namespace PipeScope::Native {

// --- Listing ----------------------------------------------------------------

namespace {

// An abstract name as PipeScope writes it: "@" and the bytes after the
// leading NUL.
std::string entryName(const char *name, std::size_t length)
{
    if (length > 0 && name[0] == '\0')
        return "@" + std::string(name + 1, length - 1);
    return std::string(name, ::strnlen(name, length));
}

// A listening socket as sock_diag tells it: its name, type, and the inode
// of the file it is bound to (0 for an abstract name, or when not told).
struct DiagEntry
{
    PipeEntry pipe;
    std::uint64_t fileInode = 0;
};

// The listening Unix domain sockets, exactly, from the kernel's sock_diag
// netlink interface (what `ss -x` uses): names come as the bytes they are,
// so one holding a newline is still one entry. Nothing when the kernel has
// no unix_diag.
// The netlink macros (NLMSG_*, RTA_*) are the kernel's C, with C casts.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wold-style-cast"
#pragma GCC diagnostic ignored "-Wsign-conversion"
#pragma GCC diagnostic ignored "-Wcast-align"
std::optional<std::vector<DiagEntry>> listByNetlink()
{
    Fd s(::socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG));
    if (!s.valid())
        return std::nullopt;
    struct
    {
        nlmsghdr header;
        unix_diag_req request;
    } message{};
    message.header.nlmsg_len = sizeof message;
    message.header.nlmsg_type = SOCK_DIAG_BY_FAMILY;
    message.header.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    message.request.sdiag_family = AF_UNIX;
    message.request.udiag_states = 1u << 10; // TCP_LISTEN
    message.request.udiag_show = UDIAG_SHOW_NAME | UDIAG_SHOW_VFS;
    sockaddr_nl kernel{};
    kernel.nl_family = AF_NETLINK;
    if (::sendto(s.get(), &message, sizeof message, 0, reinterpret_cast<sockaddr *>(&kernel), sizeof kernel) < 0)
        return std::nullopt;
    std::vector<DiagEntry> entries;
    alignas(nlmsghdr) char buffer[32768];
    for (;;) {
        const ssize_t n = ::recv(s.get(), buffer, sizeof buffer, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return std::nullopt;
        int left = int(n);
        for (auto *h = reinterpret_cast<nlmsghdr *>(buffer); NLMSG_OK(h, left); h = NLMSG_NEXT(h, left)) {
            if (h->nlmsg_type == NLMSG_DONE)
                return entries;
            if (h->nlmsg_type == NLMSG_ERROR)
                return std::nullopt;
            const auto *diag = static_cast<const unix_diag_msg *>(NLMSG_DATA(h));
            if (diag->udiag_type != SOCK_STREAM && diag->udiag_type != SOCK_SEQPACKET)
                continue;
            DiagEntry entry;
            entry.pipe.type = diag->udiag_type == SOCK_SEQPACKET ? PipeType::Message : PipeType::Byte;
            int attributes = int(h->nlmsg_len - NLMSG_LENGTH(sizeof *diag));
            for (auto *a = reinterpret_cast<rtattr *>(const_cast<unix_diag_msg *>(diag) + 1); RTA_OK(a, attributes);
                 a = RTA_NEXT(a, attributes)) {
                if (a->rta_type == UNIX_DIAG_NAME && RTA_PAYLOAD(a) > 0)
                    entry.pipe.name = entryName(static_cast<const char *>(RTA_DATA(a)), RTA_PAYLOAD(a));
                else if (a->rta_type == UNIX_DIAG_VFS && RTA_PAYLOAD(a) >= sizeof(unix_diag_vfs))
                    entry.fileInode = static_cast<const unix_diag_vfs *>(RTA_DATA(a))->udiag_vfs_ino;
            }
            if (!entry.pipe.name.empty())
                entries.push_back(std::move(entry));
        }
    }
}
#pragma GCC diagnostic pop

} // namespace

Result<std::vector<PipeEntry>> listPipes()
{
    if (std::optional<std::vector<DiagEntry>> exact = listByNetlink()) {
        std::vector<PipeEntry> entries;
        entries.reserve(exact->size());
        for (DiagEntry &entry : *exact)
            entries.push_back(std::move(entry.pipe));
        return entries;
    }
    // /proc/net/unix: "Num RefCount Protocol Flags Type St Inode Path".
    // Listening sockets carry __SO_ACCEPTCON (0x10000) in Flags; Type is
    // 1 for SOCK_STREAM and 5 for SOCK_SEQPACKET. The kernel prints a
    // name's bytes raw, so a newline in one would split its line: a line
    // that does not have the table's shape is not an entry.
    std::FILE *table = std::fopen("/proc/net/unix", "re");
    if (!table)
        return lastSystemError("open", "/proc/net/unix");
    std::vector<PipeEntry> entries;
    char line[512];
    std::fgets(line, sizeof line, table); // the header
    while (std::fgets(line, sizeof line, table)) {
        unsigned long flags = 0;
        unsigned type = 0;
        int pathAt = 0;
        if (std::sscanf(line, "%*[0-9a-f]: %*x %*x %lx %x %*x %*u %n", &flags, &type, &pathAt) < 2 || pathAt == 0)
            continue;
        if (!(flags & 0x10000) || (type != SOCK_STREAM && type != SOCK_SEQPACKET))
            continue;
        std::string path(line + pathAt);
        while (!path.empty() && (path.back() == '\n' || path.back() == ' '))
            path.pop_back();
        if (path.empty())
            continue;
        entries.push_back({path, type == SOCK_SEQPACKET ? PipeType::Message : PipeType::Byte});
    }
    std::fclose(table);
    return entries;
}

bool knownListening(std::uint64_t fileInode)
{
    const std::optional<std::vector<DiagEntry>> listening = listByNetlink();
    return listening && std::any_of(listening->cbegin(), listening->cend(),
                                    [fileInode](const DiagEntry &entry) { return entry.fileInode == fileInode; });
}

bool pipeExists(const PipeAddress &address)
{
    const Result<std::vector<PipeEntry>> pipes = listPipes();
    if (!pipes)
        return false;
    const std::string name = address.display();
    for (const PipeEntry &pipe : pipes.value())
        if (pipe.name == name)
            return true;
    return false;
}

} // namespace PipeScope::Native
