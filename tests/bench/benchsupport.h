#pragma once

// What the Linux benchmarks share: plain socket calls for the baselines
// and the clients that stand in for other programs.

#include <QString>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sys/socket.h>
#include <sys/un.h>
#include <thread>
#include <unistd.h>

namespace BenchSupport {

inline sockaddr_un addressOf(const QString &path)
{
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    const QByteArray bytes = path.toLocal8Bit();
    std::memcpy(addr.sun_path, bytes.constData(), std::size_t(bytes.size()));
    return addr;
}

// Connects to `path`, trying for up to 2 s while it does not exist yet;
// exits the benchmark when it cannot.
inline int rawConnect(const QString &path, int type)
{
    const sockaddr_un addr = addressOf(path);
    for (int attempt = 0; attempt < 2000; ++attempt) {
        const int fd = ::socket(AF_UNIX, type | SOCK_CLOEXEC, 0);
        if (::connect(fd, reinterpret_cast<const sockaddr *>(&addr), sizeof addr) == 0)
            return fd;
        ::close(fd);
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    std::fprintf(stderr, "bench: cannot connect to %s\n", qPrintable(path));
    std::exit(1);
}

} // namespace BenchSupport
