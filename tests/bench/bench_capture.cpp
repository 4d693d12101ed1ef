// Capture and round-trip benchmark. Prints figures; asserts nothing.
//
// Receive path: one independent flood client (raw socket calls, one send per
// message) against (1) a PipeScope server instance with capture into the
// TrafficStore, (2) a minimal raw reader, the limit on this machine, and
// (3) QLocalServer (byte mode only: Qt has no message mode).
// Round trip, 128 B: PipeScope client -> PipeScope echo server, raw sockets,
// and QLocalSocket -> QLocalServer.
#include "benchsupport.h"
#include "capturehub.h"
#include "memory.h"
#include "pipeclient.h"
#include "pipeserver.h"
#include "trafficstore.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QLocalServer>
#include <QLocalSocket>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace PipeScope;
using BenchSupport::addressOf;
using BenchSupport::rawConnect;
using Clock = std::chrono::steady_clock;

namespace {

int g_counter = 0;
QString g_dir;

QString uniquePath(const char *tag)
{
    return g_dir + QStringLiteral("/b%1-%2").arg(++g_counter).arg(QLatin1String(tag));
}

double secondsSince(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// The independent flood client: plain socket calls, one send per message.
void flood(const QString &path, int type, std::size_t size, quint64 count)
{
    const int fd = rawConnect(path, type);
    std::vector<char> buffer(size, 'x');
    for (quint64 i = 0; i < count; ++i) {
        std::size_t sent = 0;
        do {
            const ssize_t n = ::send(fd, buffer.data() + sent, size - sent, MSG_NOSIGNAL);
            if (n < 0) {
                std::perror("bench: flood send");
                std::exit(1);
            }
            sent += std::size_t(n);
        } while (sent < size && type == SOCK_STREAM);
    }
    ::close(fd);
}

// How the raw reader treats what it reads.
enum class Keep {
    Nothing, // recv into one reused buffer: the limit of the socket path
    Copies,  // copy each message into memory of its own, as a naive capture does
    Blocks,  // recv straight into 2 MiB huge-page blocks kept to the end: the
             // limit for any reader that retains every byte it reads
};

// A minimal reader: accept, then recv until everything came.
double rawReader(int type, std::size_t size, quint64 count, Keep keep)
{
    const QString path = uniquePath("raw");
    const sockaddr_un addr = addressOf(path);
    const int listener = ::socket(AF_UNIX, type | SOCK_CLOEXEC, 0);
    ::bind(listener, reinterpret_cast<const sockaddr *>(&addr), sizeof addr);
    ::listen(listener, 16);
    const auto start = Clock::now();
    std::thread client(flood, path, type, size, count);
    const int fd = ::accept(listener, nullptr, nullptr);
    std::vector<char> buffer(std::max<std::size_t>(size, 256 * 1024));
    const quint64 totalBytes = quint64(size) * count;
    quint64 messages = 0, bytes = 0;
    std::vector<std::unique_ptr<char[]>> kept;
    constexpr std::size_t kBlock = std::size_t(2) << 20;
    std::vector<char *> blocks;
    std::size_t blockUsed = kBlock;
    while (type == SOCK_SEQPACKET ? messages < count : bytes < totalBytes) {
        char *into = buffer.data();
        std::size_t room = buffer.size();
        if (keep == Keep::Blocks) {
            if (kBlock - blockUsed < std::max<std::size_t>(size, 4096)) {
                blocks.push_back(static_cast<char *>(Native::allocateLargeBlock(kBlock)));
                blockUsed = 0;
            }
            into = blocks.back() + blockUsed;
            room = kBlock - blockUsed;
        }
        const ssize_t n = ::recv(fd, into, room, 0);
        if (n <= 0)
            break;
        if (keep == Keep::Copies) {
            kept.push_back(std::make_unique_for_overwrite<char[]>(std::size_t(n)));
            std::memcpy(kept.back().get(), buffer.data(), std::size_t(n));
        } else if (keep == Keep::Blocks) {
            blockUsed += std::size_t(n);
        }
        ++messages;
        bytes += quint64(n);
    }
    const double seconds = secondsSince(start);
    client.join();
    for (char *block : blocks)
        Native::releaseLargeBlock(block, kBlock);
    ::close(fd);
    ::close(listener);
    ::unlink(path.toLocal8Bit().constData());
    return seconds;
}

// A PipeServer capturing into a store, as in the app, listening on `config`.
struct CapturingServer
{
    CaptureHub hub;
    TrafficStore store;
    PipeServer server{1, &hub};

    explicit CapturingServer(const ServerConfig &config)
    {
        QObject::connect(&hub, &CaptureHub::batchReady, &store, &TrafficStore::append);
        QEventLoop loop;
        QObject::connect(&server, &PipeServer::listening, &loop, &QEventLoop::quit);
        server.start(config);
        loop.exec();
    }
};

struct CaptureRun
{
    double seconds = 0;
    double bytesPerMessage = 0; // store memory beyond the payload
};

// A PipeScope server instance with capture on: every message becomes an
// event in the TrafficStore, as in the app.
CaptureRun pipeScopeCapture(Native::PipeType type, std::size_t size, quint64 count)
{
    ServerConfig config;
    config.name = uniquePath("ps");
    config.options.type = type;
    config.options.readMode = type == Native::PipeType::Message ? Native::ReadMode::Message : Native::ReadMode::Byte;
    CapturingServer capture(config);
    CaptureHub &hub = capture.hub;
    TrafficStore &store = capture.store;
    QEventLoop loop;

    const quint64 totalBytes = quint64(size) * count;
    quint64 messages = 0, bytes = 0;
    Clock::time_point done;
    QObject::connect(&hub, &CaptureHub::batchReady, &loop, [&](const TrafficBatch &batch) {
        for (const TrafficEvent &e : batch) {
            if (e.kind == EventKind::Data && e.direction == Direction::In) {
                ++messages;
                bytes += quint64(e.payload.size());
            }
        }
        if (type == Native::PipeType::Message ? messages >= count : bytes >= totalBytes) {
            done = Clock::now();
            loop.quit();
        }
    });
    const auto start = Clock::now();
    std::thread client(flood, config.name, type == Native::PipeType::Message ? SOCK_SEQPACKET : SOCK_STREAM, size, count);
    loop.exec();
    client.join();
    CaptureRun run;
    run.seconds = std::chrono::duration<double>(done - start).count();
    quint64 payload = 0;
    for (qsizetype i = 0; i < store.count(); ++i)
        payload += store.record(i).size;
    run.bytesPerMessage = double(store.memoryUsed() - payload) / double(store.count());
    return run;
}

double qLocalServerReader(std::size_t size, quint64 count)
{
    QLocalServer server;
    const QString path = uniquePath("qls");
    server.listen(path);
    const quint64 totalBytes = quint64(size) * count;
    quint64 bytes = 0;
    QEventLoop loop;
    Clock::time_point done;
    QObject::connect(&server, &QLocalServer::newConnection, &loop, [&] {
        QLocalSocket *socket = server.nextPendingConnection();
        socket->setReadBufferSize(0);
        QObject::connect(socket, &QLocalSocket::readyRead, &loop, [&, socket] {
            bytes += quint64(socket->readAll().size());
            if (bytes >= totalBytes) {
                done = Clock::now();
                loop.quit();
            }
        });
    });
    const auto start = Clock::now();
    std::thread client(flood, path, SOCK_STREAM, size, count);
    loop.exec();
    client.join();
    return std::chrono::duration<double>(done - start).count();
}

// This machine is shared and its speed drifts: the configurations run in
// turn, five rounds, and each reports its median, so drift hits all alike.
constexpr int kRounds = 5;

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

struct Latency
{
    double p50 = 0, p99 = 0;
};

Latency percentiles(std::vector<double> us)
{
    std::sort(us.begin(), us.end());
    return {us[us.size() / 2], us[us.size() * 99 / 100]};
}

constexpr int kRoundTrips = 20000;
constexpr std::size_t kRoundTripSize = 128;

Latency rawRoundTrip()
{
    int sv[2];
    ::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv);
    std::thread echo([fd = sv[1]] {
        char buffer[4096];
        for (;;) {
            const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
            if (n <= 0)
                return;
            ::send(fd, buffer, std::size_t(n), MSG_NOSIGNAL);
        }
    });
    std::vector<double> us;
    us.reserve(kRoundTrips);
    char out[kRoundTripSize] = {};
    char in[4096];
    for (int i = 0; i < kRoundTrips; ++i) {
        const auto t = Clock::now();
        ::send(sv[0], out, sizeof out, 0);
        ::recv(sv[0], in, sizeof in, 0);
        us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t).count());
    }
    ::shutdown(sv[0], SHUT_RDWR);
    echo.join();
    ::close(sv[0]);
    ::close(sv[1]);
    return percentiles(us);
}

// PipeScope's client against PipeScope's echo server, capture on. The next
// request is sent from the client's own thread as the reply arrives.
Latency pipeScopeRoundTrip()
{
    ServerConfig config;
    config.name = uniquePath("rt");
    config.autoReply = AutoReply::Echo;
    CapturingServer capture(config);
    QEventLoop loop;
    PipeClient client(2, &capture.hub);
    QObject::connect(&client, &PipeClient::connected, &loop, &QEventLoop::quit);
    ClientConfig clientConfig;
    clientConfig.name = config.name;
    client.open(clientConfig);
    loop.exec();

    const QByteArray payload(kRoundTripSize, 'r');
    std::vector<double> us;
    us.reserve(kRoundTrips);
    Clock::time_point sentAt;
    client.post([&](ClientWorker *worker) {
        QObject::connect(worker, &ConnectionWorker::messageReceived, worker, [&, worker](const QByteArray &, quint32) {
            us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - sentAt).count());
            if (us.size() == std::size_t(kRoundTrips)) {
                QMetaObject::invokeMethod(&loop, &QEventLoop::quit, Qt::QueuedConnection);
                return;
            }
            sentAt = Clock::now();
            worker->send(payload);
        }, Qt::DirectConnection);
        sentAt = Clock::now();
        worker->send(payload);
    });
    loop.exec();
    return percentiles(us);
}

Latency qLocalSocketRoundTrip()
{
    QLocalServer server;
    const QString path = uniquePath("qrt");
    server.listen(path);
    QObject::connect(&server, &QLocalServer::newConnection, &server, [&] {
        QLocalSocket *socket = server.nextPendingConnection();
        QObject::connect(socket, &QLocalSocket::readyRead, socket, [socket] { socket->write(socket->readAll()); });
    });
    std::vector<double> us;
    us.reserve(kRoundTrips);
    QEventLoop loop;
    std::thread client([&] {
        QLocalSocket socket;
        socket.connectToServer(path);
        socket.waitForConnected(5000);
        const QByteArray payload(kRoundTripSize, 'q');
        for (int i = 0; i < kRoundTrips; ++i) {
            const auto t = Clock::now();
            socket.write(payload);
            socket.waitForBytesWritten(5000);
            qint64 got = 0;
            while (got < qint64(kRoundTripSize) && socket.waitForReadyRead(5000))
                got += socket.readAll().size();
            us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t).count());
        }
        QMetaObject::invokeMethod(&loop, &QEventLoop::quit, Qt::QueuedConnection);
    });
    loop.exec();
    client.join();
    return percentiles(us);
}

void printMachine()
{
    utsname u{};
    ::uname(&u);
    std::string cpu = "unknown CPU";
    std::ifstream info("/proc/cpuinfo");
    for (std::string line; std::getline(info, line);)
        if (line.rfind("model name", 0) == 0) {
            cpu = line.substr(line.find(':') + 2);
            break;
        }
    std::printf("machine: %s, %u cores, Linux %s, Qt %s\n\n", cpu.c_str(), std::thread::hardware_concurrency(),
                u.release, qVersion());
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QTemporaryDir dir;
    g_dir = dir.path();
    // --profile N: only PipeScope's side of receive case N, once, for a profiler.
    const QStringList args = app.arguments();
    const qsizetype profileAt = args.indexOf(QStringLiteral("--profile"));
    const int profileCase = profileAt > 0 ? args.value(profileAt + 1).toInt() : -1;
    if (profileCase < 0)
        printMachine();

    struct Case
    {
        const char *name;
        Native::PipeType type;
        std::size_t size;
        quint64 count;
    };
    const Case cases[] = {
        {"message 64 B", Native::PipeType::Message, 64, 400000},
        {"message 1 KiB", Native::PipeType::Message, 1024, 300000},
        {"message 64 KiB", Native::PipeType::Message, 65536, 15000},
        {"byte, 64 KiB writes", Native::PipeType::Byte, 65536, 15000},
    };
    if (profileCase >= 0) {
        const Case &c = cases[std::clamp(profileCase, 0, 3)];
        const CaptureRun run = pipeScopeCapture(c.type, c.size, c.count);
        std::printf("%s: %.0f msg/s, %.0f MB/s\n", c.name, double(c.count) / run.seconds,
                    double(c.count) * double(c.size) / 1e6 / run.seconds);
        return 0;
    }
    std::printf("Receive path, one flood client (raw sends), median of %d interleaved runs\n", kRounds);
    std::printf("%-20s %13s %13s %13s %13s %13s %7s %9s %9s %7s\n", "case", "raw reader", "raw, copies",
                "raw, blocks", "PipeScope", "QLocalServer", "PS/raw", "PS/blocks", "blocks/raw", "B/msg");
    for (const Case &c : cases) {
        const int sockType = c.type == Native::PipeType::Message ? SOCK_SEQPACKET : SOCK_STREAM;
        const bool bytes = c.type == Native::PipeType::Byte;
        std::vector<double> rawRuns, copyRuns, blockRuns, psRuns, qtRuns;
        double perMessage = 0;
        for (int round = 0; round < kRounds; ++round) {
            rawRuns.push_back(rawReader(sockType, c.size, c.count, Keep::Nothing));
            copyRuns.push_back(rawReader(sockType, c.size, c.count, Keep::Copies));
            blockRuns.push_back(rawReader(sockType, c.size, c.count, Keep::Blocks));
            const CaptureRun run = pipeScopeCapture(c.type, c.size, c.count);
            perMessage = run.bytesPerMessage;
            psRuns.push_back(run.seconds);
            if (bytes)
                qtRuns.push_back(qLocalServerReader(c.size, c.count));
        }
        const double raw = median(rawRuns);
        const double blocks = median(blockRuns);
        const double ps = median(psRuns);
        const double mb = double(c.size) * double(c.count) / 1e6;
        auto rate = [&](double seconds) {
            char text[32];
            if (bytes)
                std::snprintf(text, sizeof text, "%.0f MB/s", mb / seconds);
            else
                std::snprintf(text, sizeof text, "%.0f msg/s", double(c.count) / seconds);
            return std::string(text);
        };
        const std::string qt = bytes ? rate(median(qtRuns)) : std::string("n/a");
        std::printf("%-20s %13s %13s %13s %13s %13s %6.0f%% %8.0f%% %9.0f%% %7.1f\n", c.name, rate(raw).c_str(),
                    rate(median(copyRuns)).c_str(), rate(blocks).c_str(), rate(ps).c_str(), qt.c_str(),
                    100.0 * raw / ps, 100.0 * blocks / ps, 100.0 * raw / blocks, perMessage);
        std::fflush(stdout);
    }

    std::printf("\nRound trip, %zu B, %d round trips\n", kRoundTripSize, kRoundTrips);
    std::printf("%-34s %10s %10s\n", "path", "p50 (µs)", "p99 (µs)");
    const Latency raw = rawRoundTrip();
    const Latency ps = pipeScopeRoundTrip();
    const Latency qt = qLocalSocketRoundTrip();
    std::printf("%-34s %10.1f %10.1f\n", "raw sockets (seqpacket)", raw.p50, raw.p99);
    std::printf("%-34s %10.1f %10.1f\n", "PipeScope client -> echo server", ps.p50, ps.p99);
    std::printf("%-34s %10.1f %10.1f\n", "QLocalSocket -> QLocalServer", qt.p50, qt.p99);
    std::printf("PipeScope adds %.1f µs p50 over raw\n", ps.p50 - raw.p50);
    return 0;
}
