// Who is at the other end of a Unix socket, and whom a client trusts.
#include "nativepipe_unix_p.h"

#include <cstdio>
#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>

namespace PipeScope::Native {

std::string userName(uid_t uid)
{
    std::vector<char> buffer(4096);
    passwd pwd{};
    passwd *found = nullptr;
    if (::getpwuid_r(uid, &pwd, buffer.data(), buffer.size(), &found) == 0 && found)
        return found->pw_name;
    return std::to_string(uid);
}

std::string processName(pid_t pid)
{
    // The executable's file name when we may read it, else the kernel's
    // 15-character comm.
    const std::string base = "/proc/" + std::to_string(pid);
    char target[4096];
    const ssize_t n = ::readlink((base + "/exe").c_str(), target, sizeof target - 1);
    if (n > 0) {
        std::string exe(target, std::size_t(n));
        const auto deleted = exe.rfind(" (deleted)");
        if (deleted != std::string::npos && deleted + 10 == exe.size())
            exe.resize(deleted);
        return exe.substr(exe.rfind('/') + 1);
    }
    Fd comm(::open((base + "/comm").c_str(), O_RDONLY | O_CLOEXEC));
    if (!comm.valid())
        return {};
    char name[64];
    const ssize_t got = ::read(comm.get(), name, sizeof name);
    if (got <= 0)
        return {};
    std::string out(name, std::size_t(got));
    while (!out.empty() && (out.back() == '\n' || out.back() == '\0'))
        out.pop_back();
    return out;
}

PeerInfo peerInfo(int fd)
{
    PeerInfo info;
    ucred cred{};
    socklen_t len = sizeof cred;
    if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0) {
        info.pid = cred.pid;
        info.uid = cred.uid;
        info.user = userName(cred.uid);
        if (cred.pid > 0)
            info.process = processName(cred.pid);
    }
    return info;
}

// A pipe directory (the PipeScope convention's) must be this user's alone,
// or another user could put a socket there first and answer in its place.
// The server checks it before it listens, a client before it connects.
NativeError checkPrivateDirectory(const std::string &dir, const char *what)
{
    struct stat st {};
    if (::lstat(dir.c_str(), &st) != 0)
        return lastSystemError("lstat", dir);
    if (S_ISDIR(st.st_mode) && st.st_uid == ::getuid() && (st.st_mode & 077) == 0)
        return {};
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", unsigned(st.st_mode & 07777));
    const std::string kind = S_ISDIR(st.st_mode) ? "directory" : "not a directory";
    return makeError(ErrorCode::AccessDenied, what, dir,
                     "the pipe directory (" + kind + ", mode " + mode + ") belongs to uid " +
                         std::to_string(st.st_uid) + " (" + userName(st.st_uid) +
                         "); it must be this user's own directory with mode 0700, "
                         "or another user could stand in for the pipe: refusing to use it");
}

// Whom the server must run as (ClientOptions::serverUser): the user named
// or numbered there; anyone (-1) for "any"; else this user.
Result<std::int64_t> requiredServerUid(const ClientOptions &options)
{
    if (options.serverUser.empty())
        return std::int64_t(::getuid());
    if (options.serverUser == kAnyServerUser)
        return std::int64_t(-1);
    const std::string &user = options.serverUser;
    if (user.find_first_not_of("0123456789") == std::string::npos && user.size() < 10)
        return std::int64_t(std::stoul(user));
    passwd entry{};
    passwd *found = nullptr;
    std::vector<char> buffer(16384);
    if (::getpwnam_r(user.c_str(), &entry, buffer.data(), buffer.size(), &found) == 0 && found)
        return std::int64_t(found->pw_uid);
    return makeError(ErrorCode::InvalidParameter, "the server must run as", user, "there is no user of this name");
}

} // namespace PipeScope::Native
