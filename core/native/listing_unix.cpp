// The pipes that exist: the kernel's listening Unix sockets.
#include "interpose.h"
#include "nativepipe_unix_p.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <optional>
#include <sys/stat.h>
#include <unordered_map>

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
    std::uint64_t socketInode = 0;
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
    // A kernel older than a flag leaves out what it names.
    message.request.udiag_show = UDIAG_SHOW_NAME | UDIAG_SHOW_VFS | UDIAG_SHOW_RQLEN | UDIAG_SHOW_UID;
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
            entry.socketInode = diag->udiag_ino;
            int attributes = int(h->nlmsg_len - NLMSG_LENGTH(sizeof *diag));
            for (auto *a = reinterpret_cast<rtattr *>(const_cast<unix_diag_msg *>(diag) + 1); RTA_OK(a, attributes);
                 a = RTA_NEXT(a, attributes)) {
                if (a->rta_type == UNIX_DIAG_NAME && RTA_PAYLOAD(a) > 0)
                    entry.pipe.name = entryName(static_cast<const char *>(RTA_DATA(a)), RTA_PAYLOAD(a));
                else if (a->rta_type == UNIX_DIAG_VFS && RTA_PAYLOAD(a) >= sizeof(unix_diag_vfs))
                    entry.fileInode = static_cast<const unix_diag_vfs *>(RTA_DATA(a))->udiag_vfs_ino;
                else if (a->rta_type == UNIX_DIAG_UID && RTA_PAYLOAD(a) >= sizeof(uid_t))
                    entry.pipe.uid = *static_cast<const uid_t *>(RTA_DATA(a));
                else if (a->rta_type == UNIX_DIAG_RQLEN && RTA_PAYLOAD(a) >= sizeof(unix_diag_rqlen)) {
                    // A listening socket's queue is its waiting connections.
                    const auto *queue = static_cast<const unix_diag_rqlen *>(RTA_DATA(a));
                    entry.pipe.waiting = queue->udiag_rqueue;
                    entry.pipe.backlog = queue->udiag_wqueue;
                }
            }
            if (!entry.pipe.name.empty())
                entries.push_back(std::move(entry));
        }
    }
}
#pragma GCC diagnostic pop

// The listening sockets as /proc/net/unix tells them, where sock_diag is
// missing: "Num RefCount Protocol Flags Type St Inode Path". Listening
// sockets carry __SO_ACCEPTCON (0x10000) in Flags; Type is 1 for
// SOCK_STREAM and 5 for SOCK_SEQPACKET. The kernel prints a name's bytes
// raw, so a newline in one would split its line: a line that does not have
// the table's shape is not an entry.
Result<std::vector<DiagEntry>> listByProcTable()
{
    std::FILE *table = std::fopen("/proc/net/unix", "re");
    if (!table)
        return lastSystemError("open", "/proc/net/unix");
    std::vector<DiagEntry> entries;
    char line[512];
    std::fgets(line, sizeof line, table); // the header
    while (std::fgets(line, sizeof line, table)) {
        unsigned long flags = 0;
        unsigned type = 0;
        unsigned long inode = 0;
        int pathAt = 0;
        if (std::sscanf(line, "%*[0-9a-f]: %*x %*x %lx %x %*x %lu %n", &flags, &type, &inode, &pathAt) < 3 || pathAt == 0)
            continue;
        if (!(flags & 0x10000) || (type != SOCK_STREAM && type != SOCK_SEQPACKET))
            continue;
        std::string path(line + pathAt);
        while (!path.empty() && (path.back() == '\n' || path.back() == ' '))
            path.pop_back();
        if (path.empty())
            continue;
        DiagEntry entry;
        entry.pipe.name = std::move(path);
        entry.pipe.type = type == SOCK_SEQPACKET ? PipeType::Message : PipeType::Byte;
        entry.socketInode = inode;
        entries.push_back(std::move(entry));
    }
    std::fclose(table);
    return entries;
}

struct CloseDirectory
{
    void operator()(DIR *directory) const { ::closedir(directory); }
};
using Directory = std::unique_ptr<DIR, CloseDirectory>;

bool allDigits(const char *text)
{
    if (!*text)
        return false;
    for (; *text; ++text)
        if (*text < '0' || *text > '9')
            return false;
    return true;
}

// Who holds each socket: every process's descriptors read as
// "socket:[INODE]". Another user's processes are not readable (unless
// this one is root) and stay untold.
void findHolders(std::vector<DiagEntry> &entries)
{
    std::unordered_map<std::uint64_t, std::size_t> byInode;
    for (std::size_t i = 0; i < entries.size(); ++i)
        if (entries[i].socketInode != 0)
            byInode.emplace(entries[i].socketInode, i);
    if (byInode.empty())
        return;
    Directory proc(::opendir("/proc"));
    if (!proc)
        return;
    std::unordered_map<std::int64_t, std::string> names;
    while (const dirent *process = ::readdir(proc.get())) {
        if (!allDigits(process->d_name))
            continue;
        const std::int64_t pid = std::strtoll(process->d_name, nullptr, 10);
        Directory fds(::opendir(("/proc/" + std::string(process->d_name) + "/fd").c_str()));
        if (!fds)
            continue;
        while (const dirent *fd = ::readdir(fds.get())) {
            char target[64];
            const ssize_t n = ::readlinkat(::dirfd(fds.get()), fd->d_name, target, sizeof target - 1);
            if (n <= 8 || std::strncmp(target, "socket:[", 8) != 0)
                continue;
            target[n] = '\0';
            const auto found = byInode.find(std::strtoull(target + 8, nullptr, 10));
            if (found == byInode.end())
                continue;
            std::vector<PipeHolder> &holders = entries[found->second].pipe.holders;
            if (holders.empty() || holders.back().pid != pid) {
                auto name = names.find(pid);
                if (name == names.end())
                    name = names.emplace(pid, processName(pid_t(pid))).first;
                holders.push_back({pid, name->second});
            }
        }
    }
}

// A socket keeps the name it was bound to when its file is renamed, so a
// server an interposing monitor moved aside (moveAside) would be listed
// under the monitor's name, twice. Such a socket is named by where its
// file is now.
void nameMovedSockets(std::vector<DiagEntry> &entries)
{
    for (DiagEntry &entry : entries) {
        if (entry.fileInode == 0 || entry.pipe.name.empty() || entry.pipe.name.front() != '/')
            continue; // abstract, not told, or relative to its server's directory
        struct stat file {};
        if (::lstat(entry.pipe.name.c_str(), &file) == 0 && file.st_ino == entry.fileInode)
            continue;
        std::string moved = movedAsideName(entry.pipe.name);
        if (::lstat(moved.c_str(), &file) == 0 && S_ISSOCK(file.st_mode) && file.st_ino == entry.fileInode)
            entry.pipe.name = std::move(moved);
    }
}

} // namespace

Result<std::vector<PipeEntry>> listPipes(ListDetail detail)
{
    std::optional<std::vector<DiagEntry>> listed = listByNetlink();
    if (!listed) {
        Result<std::vector<DiagEntry>> table = listByProcTable();
        if (!table)
            return table.error();
        listed = std::move(table.value());
    }
    nameMovedSockets(*listed);
    if (detail == ListDetail::Owners)
        findHolders(*listed);
    std::vector<PipeEntry> entries;
    entries.reserve(listed->size());
    std::unordered_map<std::int64_t, std::string> users;
    for (DiagEntry &entry : *listed) {
        if (entry.pipe.uid >= 0) {
            auto user = users.find(entry.pipe.uid);
            if (user == users.end())
                user = users.emplace(entry.pipe.uid, userName(uid_t(entry.pipe.uid))).first;
            entry.pipe.user = user->second;
        }
        entries.push_back(std::move(entry.pipe));
    }
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
