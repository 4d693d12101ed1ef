// The monitor's cost: a client talking to a server directly, and through a
// PipeScope monitor (PipeServer with relayTo, capture on into the store, as
// in the app), and through three raw relays (below). Prints figures;
// asserts nothing.
//
// Round trip, 128 B: a raw client sends, waits for the echo of a raw echo
// server, sends again; p50 and p99 over 20 000 round trips.
// Throughput: a raw flood client (one send per message) into a raw reader
// that discards; message mode at 64 B and 64 KiB, byte mode with 64 KiB
// writes. Timing ends when the reader has everything.
//
// The cases run in turn for five rounds; each reports its median. The
// throughput cases also report the CPU time all threads spent per message
// and, from it, the most a monitor of that cost can keep of direct with the
// cores of this machine and with four.
//
//   bench_relay [ROUNDS [CASE]]   (CASE: run only the throughput cases whose
//                                 label holds it, through the monitor: for a profiler)
#include "benchsupport.h"
#include "capturehub.h"
#include "memory.h"
#include "pipeserver.h"
#include "trafficstore.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QTemporaryDir>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace PipeScope;
using BenchSupport::addressOf;
using BenchSupport::rawConnect;
using Clock = std::chrono::steady_clock;

namespace {

QString g_dir;
int g_counter = 0;

QString uniquePath(const char *tag)
{
    return g_dir + QStringLiteral("/r%1-%2").arg(++g_counter).arg(QLatin1String(tag));
}

int rawListen(const QString &path, int type)
{
    const sockaddr_un addr = addressOf(path);
    const int fd = ::socket(AF_UNIX, type | SOCK_CLOEXEC, 0);
    if (::bind(fd, reinterpret_cast<const sockaddr *>(&addr), sizeof addr) != 0 || ::listen(fd, 16) != 0) {
        std::perror("bench_relay: listen");
        std::exit(1);
    }
    return fd;
}

// A monitor on `name` passing clients on to `target`, capturing into a
// store as the app does; its events are counted so the store is used.
struct Monitor
{
    CaptureHub hub;
    TrafficStore store;
    PipeServer server{1, &hub};

    Monitor(const QString &name, const QString &target, Native::PipeType type)
    {
        QObject::connect(&hub, &CaptureHub::batchReady, &store, &TrafficStore::append);
        ServerConfig config;
        config.name = name;
        config.options.type = type;
        config.options.readMode = type == Native::PipeType::Message ? Native::ReadMode::Message : Native::ReadMode::Byte;
        ClientConfig to;
        to.name = target;
        to.options.type = type;
        config.relayTo = to;
        QEventLoop loop;
        QObject::connect(&server, &PipeServer::listening, &loop, &QEventLoop::quit);
        QObject::connect(&server, &PipeServer::errorOccurred, &loop, [&](const QString &message) {
            std::fprintf(stderr, "bench_relay: %s\n", qPrintable(message));
            std::exit(1);
        });
        server.start(config);
        loop.exec();
    }
};

// The limit of any relay on this machine: a thread that accepts one
// client, connects it on to `target`, and passes whatever either sends to
// the other with plain blocking calls. It records nothing. Keeping, it
// receives into fresh 2 MiB huge-page blocks kept to the end, as any relay
// that keeps every byte must (the cost of fresh memory, alone). Batching,
// it takes up to 64 messages per recvmmsg and passes them on in one
// sendmmsg, and polls for 50 µs before it sleeps: what fewer system calls
// and wake-ups could give.
enum class RelayKind { Plain, Keeping, Batching };

void batchingRelay(int client, int server, int type)
{
    constexpr int kBatch = 64;
    constexpr std::size_t kRoom = 65536;
    std::vector<char> buffer(kBatch * kRoom);
    mmsghdr headers[kBatch];
    iovec parts[kBatch];
    pollfd fds[2] = {{client, POLLIN, 0}, {server, POLLIN, 0}};
    for (;;) {
        const auto until = Clock::now() + std::chrono::microseconds(50);
        int ready;
        while ((ready = ::poll(fds, 2, 0)) == 0 && Clock::now() < until) {
        }
        if (ready == 0)
            ready = ::poll(fds, 2, -1);
        if (ready < 0)
            return;
        for (int i = 0; i < 2; ++i) {
            if (!(fds[i].revents & (POLLIN | POLLHUP)))
                continue;
            if (type == SOCK_STREAM) {
                const ssize_t n = ::recv(fds[i].fd, buffer.data(), buffer.size(), 0);
                if (n <= 0)
                    return;
                for (std::size_t sent = 0; sent < std::size_t(n);) {
                    const ssize_t m = ::send(fds[1 - i].fd, buffer.data() + sent, std::size_t(n) - sent, MSG_NOSIGNAL);
                    if (m < 0)
                        return;
                    sent += std::size_t(m);
                }
                continue;
            }
            for (int k = 0; k < kBatch; ++k) {
                parts[k] = iovec{buffer.data() + std::size_t(k) * kRoom, kRoom};
                headers[k] = mmsghdr{};
                headers[k].msg_hdr.msg_iov = &parts[k];
                headers[k].msg_hdr.msg_iovlen = 1;
            }
            const int n = ::recvmmsg(fds[i].fd, headers, kBatch, MSG_DONTWAIT, nullptr);
            if (n <= 0 || (headers[0].msg_len == 0 && (fds[i].revents & POLLHUP)))
                return; // (the benchmark sends no empty messages)
            for (int k = 0; k < n; ++k)
                parts[k].iov_len = headers[k].msg_len;
            for (int done = 0; done < n;) {
                const int m = ::sendmmsg(fds[1 - i].fd, headers + done, unsigned(n - done), MSG_NOSIGNAL);
                if (m <= 0)
                    return;
                done += m;
            }
        }
    }
}

class RawRelay
{
public:
    RawRelay(const QString &path, const QString &target, int type, RelayKind kind)
        : m_listener(rawListen(path, type))
    {
        m_thread = std::thread([this, target, type, kind] {
            const bool keep = kind == RelayKind::Keeping;
            const int client = ::accept(m_listener, nullptr, nullptr);
            const int server = rawConnect(target, type);
            if (kind == RelayKind::Batching) {
                batchingRelay(client, server, type);
                ::close(client);
                ::close(server);
                return;
            }
            constexpr std::size_t kBlock = std::size_t(2) << 20;
            std::vector<char> reused(std::size_t(1) << 20);
            std::vector<char *> blocks;
            std::size_t used = kBlock;
            pollfd fds[2] = {{client, POLLIN, 0}, {server, POLLIN, 0}};
            for (;;) {
                if (::poll(fds, 2, -1) <= 0)
                    break;
                bool ended = false;
                for (int i = 0; i < 2; ++i) {
                    if (!(fds[i].revents & (POLLIN | POLLHUP)))
                        continue;
                    char *into = reused.data();
                    std::size_t room = reused.size();
                    if (keep) {
                        if (kBlock - used < 65536 + 4096) {
                            blocks.push_back(static_cast<char *>(Native::allocateLargeBlock(kBlock)));
                            used = 0;
                        }
                        into = blocks.back() + used;
                        room = kBlock - used;
                    }
                    const ssize_t n = ::recv(fds[i].fd, into, room, 0);
                    if (n <= 0) {
                        ended = true;
                        break;
                    }
                    if (keep)
                        used += (std::size_t(n) + 7) & ~std::size_t(7);
                    std::size_t sent = 0;
                    do {
                        const ssize_t m = ::send(fds[1 - i].fd, into + sent, std::size_t(n) - sent, MSG_NOSIGNAL);
                        if (m < 0)
                            break;
                        sent += std::size_t(m);
                    } while (sent < std::size_t(n) && type == SOCK_STREAM);
                }
                if (ended)
                    break;
            }
            ::close(client);
            ::close(server);
            for (char *block : blocks)
                Native::releaseLargeBlock(block, kBlock);
        });
    }
    ~RawRelay()
    {
        m_thread.join();
        ::close(m_listener);
    }

private:
    int m_listener;
    std::thread m_thread;
};

enum class Path { Direct, RawRelay, KeepingRelay, BatchingRelay, Monitor };
constexpr int kPathCount = 5;

RelayKind relayKind(Path via)
{
    return via == Path::KeepingRelay ? RelayKind::Keeping
           : via == Path::BatchingRelay ? RelayKind::Batching
                                        : RelayKind::Plain;
}

// Runs `work` in a thread while this thread's event loop runs (the
// monitor's accepts pass through it); returns once the work is done.
template <class Work>
void whileLooping(Work work)
{
    QEventLoop loop;
    std::atomic<bool> done{false};
    std::thread worker([&] {
        work();
        done = true;
        QMetaObject::invokeMethod(&loop, &QEventLoop::quit, Qt::QueuedConnection);
    });
    if (!done)
        loop.exec();
    worker.join();
}

struct Latency
{
    double p50 = 0, p99 = 0;
};

// 128-byte round trips through `path` to an echo server listening on `echoPath`.
Latency roundTrips(Path via, int count)
{
    const QString echoPath = uniquePath("echo");
    const int listener = rawListen(echoPath, SOCK_SEQPACKET);
    std::thread echo([listener] {
        const int fd = ::accept(listener, nullptr, nullptr);
        char buffer[65536];
        for (;;) {
            const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
            if (n <= 0)
                break;
            ::send(fd, buffer, std::size_t(n), MSG_NOSIGNAL);
        }
        ::close(fd);
    });
    std::unique_ptr<Monitor> monitor;
    std::unique_ptr<RawRelay> raw;
    QString path = echoPath;
    if (via == Path::Monitor) {
        path = uniquePath("monitor");
        monitor = std::make_unique<Monitor>(path, echoPath, Native::PipeType::Message);
    } else if (via != Path::Direct) {
        path = uniquePath("rawrelay");
        raw = std::make_unique<RawRelay>(path, echoPath, SOCK_SEQPACKET, relayKind(via));
    }
    std::vector<double> micros;
    micros.reserve(std::size_t(count));
    whileLooping([&] {
        const int fd = rawConnect(path, SOCK_SEQPACKET);
        char message[128];
        std::memset(message, 'r', sizeof message);
        char reply[256];
        for (int i = 0; i < count + 200; ++i) {
            const auto start = Clock::now();
            ::send(fd, message, sizeof message, MSG_NOSIGNAL);
            if (::recv(fd, reply, sizeof reply, 0) != sizeof message) {
                std::fprintf(stderr, "bench_relay: the echo did not come back\n");
                std::exit(1);
            }
            if (i >= 200) // warm-up left out
                micros.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
        }
        ::close(fd);
    });
    raw.reset();
    echo.join();
    ::close(listener);
    monitor.reset();
    std::sort(micros.begin(), micros.end());
    return {micros[micros.size() / 2], micros[micros.size() * 99 / 100]};
}

// The CPU time of this process (every thread: flood client, reader, relay, capture).
double processCpuSeconds()
{
    timespec now{};
    ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
    return double(now.tv_sec) + double(now.tv_nsec) / 1e9;
}

struct Run
{
    double seconds = 0; // for `count` messages to reach the reader
    double cpu = 0;     // CPU seconds the process spent meanwhile
};

// `count` messages of `size` bytes into a discarding reader.
Run throughput(Path via, int type, std::size_t size, quint64 count)
{
    const QString readerPath = uniquePath("reader");
    const int listener = rawListen(readerPath, type);
    const quint64 total = quint64(size) * count;
    Clock::time_point done;
    std::thread reader([&] {
        const int fd = ::accept(listener, nullptr, nullptr);
        std::vector<char> buffer(std::max<std::size_t>(size, 256 * 1024));
        quint64 messages = 0, bytes = 0;
        while (type == SOCK_SEQPACKET ? messages < count : bytes < total) {
            const ssize_t n = ::recv(fd, buffer.data(), buffer.size(), 0);
            if (n <= 0)
                break;
            ++messages;
            bytes += quint64(n);
        }
        done = Clock::now();
        ::close(fd);
    });
    std::unique_ptr<Monitor> monitor;
    std::unique_ptr<RawRelay> raw;
    QString path = readerPath;
    if (via == Path::Monitor) {
        path = uniquePath("monitor");
        monitor = std::make_unique<Monitor>(path, readerPath,
                                            type == SOCK_SEQPACKET ? Native::PipeType::Message : Native::PipeType::Byte);
    } else if (via != Path::Direct) {
        path = uniquePath("rawrelay");
        raw = std::make_unique<RawRelay>(path, readerPath, type, relayKind(via));
    }
    Clock::time_point start;
    double cpuStart = 0, cpuEnd = 0;
    whileLooping([&] {
        const int fd = rawConnect(path, type);
        std::vector<char> buffer(size, 'x');
        cpuStart = processCpuSeconds();
        start = Clock::now();
        for (quint64 i = 0; i < count; ++i) {
            std::size_t sent = 0;
            do {
                const ssize_t n = ::send(fd, buffer.data() + sent, size - sent, MSG_NOSIGNAL);
                if (n < 0) {
                    std::perror("bench_relay: send");
                    std::exit(1);
                }
                sent += std::size_t(n);
            } while (sent < size && type == SOCK_STREAM);
        }
        reader.join();
        cpuEnd = processCpuSeconds();
        ::close(fd);
    });
    raw.reset();
    ::close(listener);
    monitor.reset();
    return {std::chrono::duration<double>(done - start).count(), cpuEnd - cpuStart};
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int rounds = argc > 1 ? std::max(1, std::atoi(argv[1])) : 5;
    QTemporaryDir dir;
    g_dir = dir.path();

    constexpr Path kPaths[kPathCount] = {Path::Direct, Path::RawRelay, Path::KeepingRelay, Path::BatchingRelay,
                                         Path::Monitor};
    struct Case
    {
        const char *label;
        int type;
        std::size_t size;
        quint64 count;
        std::vector<double> seconds[kPathCount];
        std::vector<double> cpu[kPathCount];
    };
    std::vector<Case> cases{{"message 64 B", SOCK_SEQPACKET, 64, 300000, {}, {}},
                            {"message 64 KiB", SOCK_SEQPACKET, 65536, 10000, {}, {}},
                            {"byte, 64 KiB writes", SOCK_STREAM, 65536, 10000, {}, {}}};
    std::vector<double> p50[kPathCount], p99[kPathCount];
    if (argc > 2) {
        for (const Case &c : cases)
            if (std::strstr(c.label, argv[2]))
                std::printf("%s through the monitor: %.3f s\n", c.label,
                            throughput(Path::Monitor, c.type, c.size, c.count).seconds);
        return 0;
    }
    for (int round = 0; round < rounds; ++round) {
        for (int p = 0; p < kPathCount; ++p) {
            const Latency l = roundTrips(kPaths[p], 20000);
            p50[p].push_back(l.p50);
            p99[p].push_back(l.p99);
        }
        for (Case &c : cases)
            for (int p = 0; p < kPathCount; ++p) {
                const Run run = throughput(kPaths[p], c.type, c.size, c.count);
                c.seconds[p].push_back(run.seconds);
                c.cpu[p].push_back(run.cpu);
            }
        std::fprintf(stderr, "round %d of %d done\n", round + 1, rounds);
    }

    const char *names[kPathCount] = {"direct (raw sockets)", "a raw relay", "a raw relay keeping bytes",
                                     "a raw relay batching", "a PipeScope monitor"};
    std::printf("Round trip, 128 B, 20000 round trips, median of %d runs\n", rounds);
    std::printf("%-28s %9s %9s\n", "path", "p50 (µs)", "p99 (µs)");
    for (int p = 0; p < kPathCount; ++p)
        std::printf("%-28s %9.1f %9.1f\n", names[p], median(p50[p]), median(p99[p]));
    std::printf("the monitor adds %.1f µs p50 (%.1f µs p99) to a direct round trip; a raw relay adds %.1f µs p50, "
                "a batching one %.1f µs\n\n",
                median(p50[4]) - median(p50[0]), median(p99[4]) - median(p99[0]), median(p50[1]) - median(p50[0]),
                median(p50[3]) - median(p50[0]));
    std::printf("Throughput, one flood client, median of %d runs\n", rounds);
    std::printf("%-20s %13s %13s %13s %13s %13s %8s %8s %8s\n", "case", "direct", "raw relay", "raw, keeping",
                "raw, batching", "monitor", "mon/dir", "bat/dir", "mon/bat");
    for (const Case &c : cases) {
        const bool bytes = c.type == SOCK_STREAM;
        double rate[kPathCount];
        for (int p = 0; p < kPathCount; ++p) {
            const double seconds = median(c.seconds[p]);
            rate[p] = bytes ? double(c.size * c.count) / seconds / 1e6 : double(c.count) / seconds;
        }
        const char *unit = bytes ? "MB/s " : "msg/s";
        std::printf("%-20s %7.0f %s %7.0f %s %7.0f %s %7.0f %s %7.0f %s %7.0f%% %7.0f%% %7.0f%%\n", c.label, rate[0],
                    unit, rate[1], unit, rate[2], unit, rate[3], unit, rate[4], unit, 100.0 * rate[4] / rate[0],
                    100.0 * rate[3] / rate[0], 100.0 * rate[4] / rate[3]);
    }

    // CPU is what the flood client, the reader and a relay share: direct,
    // two threads keep the cores busy; a relay adds its work beside them.
    // At c µs of CPU per message, n cores carry at most n / c messages a
    // second: the relay's ceiling as a share of direct.
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    std::printf("\nCPU per message, all threads (µs), and cores kept busy, median of %d runs\n", rounds);
    std::printf("%-20s %13s %13s %13s %13s %13s %18s %18s\n", "case", "direct", "raw relay", "raw, keeping",
                "raw, batching", "monitor", "mon. ceiling here", "mon. ceiling 4 c.");
    for (const Case &c : cases) {
        double perMessage[kPathCount], busy[kPathCount];
        for (int p = 0; p < kPathCount; ++p) {
            perMessage[p] = median(c.cpu[p]) / double(c.count) * 1e6;
            busy[p] = median(c.cpu[p]) / median(c.seconds[p]);
        }
        const double directRate = double(c.count) / median(c.seconds[0]);
        const auto ceiling = [&](unsigned n) {
            return std::min(100.0, 100.0 * double(n) / (perMessage[4] / 1e6) / directRate);
        };
        std::printf("%-20s", c.label);
        for (int p = 0; p < kPathCount; ++p)
            std::printf(" %6.2f (%4.2f)", perMessage[p], busy[p]);
        std::printf(" %10.0f%% (%u c.) %17.0f%%\n", ceiling(cores), cores, ceiling(4));
    }
    return 0;
}
