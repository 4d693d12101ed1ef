// The real main window, offscreen, while a client floods a server instance
// at a fixed rate. Prints figures; asserts nothing.
//
//  - the GUI thread's stalls: a 5 ms precise timer on the GUI thread; a stall
//    is how late each tick came (p50, p99, worst);
//  - memory per captured message beyond its payload, at 1,000,000 messages:
//    the store's own accounting and the process's resident growth;
//  - the time to apply a text filter over all of them;
//  - with a second argument, the store's payload limit in MiB: what the store
//    held for payloads against what was captured, and how many messages
//    keep their bytes in the journal only.
//
// Usage: bench_gui [MESSAGES [LIMIT_MIB]]
#include "mainwindow.h"
#include "profile.h"
#include "trafficmodel.h"
#include "trafficpane.h"
#include "trafficstore.h"
#include "workspace.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QTemporaryDir>
#include <QTabWidget>
#include <QTimer>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <malloc.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace PipeScope;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kTickMs = 5;

quint64 residentBytes()
{
    std::ifstream statm("/proc/self/statm");
    quint64 size = 0, resident = 0;
    statm >> size >> resident;
    return resident * quint64(::sysconf(_SC_PAGESIZE));
}

// Sends `count` 64-byte messages at `rate` per second, in 1 ms slices.
void flood(const std::string &path, quint64 count, quint64 rate, std::atomic<quint64> &sent)
{
    const int fd = ::socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
    if (::connect(fd, reinterpret_cast<const sockaddr *>(&addr), sizeof addr) != 0) {
        std::perror("bench_gui: connect");
        std::exit(1);
    }
    char message[64];
    const auto start = Clock::now();
    for (quint64 i = 0; i < count; ++i) {
        // Varied text, so that a filter has something to choose from.
        std::snprintf(message, sizeof message, "reading %07llu sensor=%02llu value=%llu ok",
                      static_cast<unsigned long long>(i), static_cast<unsigned long long>(i % 97),
                      static_cast<unsigned long long>(i * 7919 % 100000));
        if (::send(fd, message, sizeof message, MSG_NOSIGNAL) < 0) {
            std::perror("bench_gui: send");
            std::exit(1);
        }
        sent.store(i + 1, std::memory_order_relaxed);
        if ((i + 1) % (rate / 1000) == 0) {
            const auto due = start + std::chrono::microseconds((i + 1) * 1000000 / rate);
            std::this_thread::sleep_until(due);
        }
    }
    ::close(fd);
}

double percentile(std::vector<double> v, double p)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, std::size_t(p * double(v.size())))];
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QTemporaryDir runtime;
    qputenv("XDG_RUNTIME_DIR", runtime.path().toLocal8Bit());
    PipeScope::Profile::use(runtime.path()); // settings, and the journal written as in the app
    QApplication app(argc, argv);
    const quint64 count = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1000000;
    const quint64 rate = 100000;

    MainWindow window;
    window.resize(1280, 800);
    window.show();
    Workspace *workspace = window.workspace();
    if (argc > 2)
        workspace->store()->setPayloadLimit(std::strtoull(argv[2], nullptr, 10) << 20);
    ServerConfig config;
    config.name = QStringLiteral("bench-gui");
    const quint32 server = workspace->addServer(config);
    while (workspace->endpoint(server)->state != Workspace::State::Listening)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    // Watch the instance's own tab (as a user would), all traffic behind it.
    const std::string path = workspace->endpoint(server)->address.toStdString();

    std::printf("machine: %u cores; Qt %s, offscreen platform; %llu messages of 64 B at %llu msg/s\n",
                std::thread::hardware_concurrency(), qVersion(), static_cast<unsigned long long>(count),
                static_cast<unsigned long long>(rate));
    const quint64 residentBefore = residentBytes();
    std::vector<double> lateMs;
    lateMs.reserve(std::size_t(count / rate + 10) * 1000 / kTickMs);
    QElapsedTimer clock;
    qint64 lastTick = -1;
    QTimer tick;
    tick.setTimerType(Qt::PreciseTimer);
    tick.setInterval(kTickMs);
    QObject::connect(&tick, &QTimer::timeout, [&] {
        const qint64 now = clock.nsecsElapsed();
        if (lastTick >= 0)
            lateMs.push_back(std::max(0.0, double(now - lastTick) / 1e6 - kTickMs));
        lastTick = now;
    });
    std::atomic<quint64> sent{0};
    std::thread client(flood, path, count, rate, std::ref(sent));
    bool instanceShown = false;
    clock.start();
    tick.start();
    const auto start = Clock::now();
    while (quint64(workspace->store()->stats(server, 1).messagesIn) < count) {
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
        if (!instanceShown && workspace->instance(server, 1)) {
            window.showTraffic(server, 1);
            instanceShown = true;
        }
        if (Clock::now() - start > std::chrono::seconds(120)) {
            std::fprintf(stderr, "bench_gui: only %llu of %llu messages captured after 120 s\n",
                         static_cast<unsigned long long>(workspace->store()->stats(server, 1).messagesIn),
                         static_cast<unsigned long long>(count));
            return 1;
        }
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    tick.stop();
    client.join();

    const TrafficStore *store = workspace->store();
    // What was captured, and of that what is in memory (past a limit, the
    // rest is in the journal only): "beyond payload" is beyond the latter.
    quint64 captured = 0, payload = 0;
    for (qsizetype i = 0; i < store->count(); ++i) {
        captured += store->record(i).size;
        if (!(store->record(i).flags & NotKept))
            payload += store->record(i).size;
    }
    const double storePerMessage = double(store->memoryUsed() - payload) / double(store->count());
    const double residentPerMessage =
        (double(residentBytes()) - double(residentBefore) - double(payload)) / double(store->count());
    // The same after returning the allocator's free memory to the system:
    // what the capture holds, without the heap's slack from transient batches.
    ::malloc_trim(0);
    const double heldPerMessage =
        (double(residentBytes()) - double(residentBefore) - double(payload)) / double(store->count());

    std::printf("captured %lld events in %.2f s (%.0f msg/s)\n", static_cast<long long>(store->count()), seconds,
                double(count) / seconds);
    std::printf("GUI thread lateness over %zu ticks of %d ms: p50 %.2f ms, p99 %.2f ms, worst %.2f ms\n",
                lateMs.size(), kTickMs, percentile(lateMs, 0.5), percentile(lateMs, 0.99),
                lateMs.empty() ? 0.0 : *std::max_element(lateMs.begin(), lateMs.end()));
    std::printf("memory beyond payload: store %.1f B/msg; process resident %.1f B/msg, %.1f B/msg after malloc_trim\n",
                storePerMessage, residentPerMessage, heldPerMessage);
    std::printf("process resident growth after malloc_trim: %.1f MiB\n",
                (double(residentBytes()) - double(residentBefore)) / 1048576.0);
    std::printf("payloads: %.1f MiB captured, %.1f MiB held (limit %.1f MiB); %lld messages on disk only\n",
                double(captured) / 1048576.0, double(store->payloadMemory()) / 1048576.0,
                double(store->payloadLimit()) / 1048576.0, static_cast<long long>(store->notKept()));

    // A text filter over everything, as typed into the all-traffic tab.
    TrafficPane *all = window.allTraffic();
    QElapsedTimer switchTimer;
    switchTimer.start();
    window.tabs()->setCurrentWidget(all);
    std::printf("switching to the all-traffic tab (its rows rebuilt): %lld ms\n",
                static_cast<long long>(switchTimer.elapsed()));
    switchTimer.start();
    window.showTraffic(server, 1);
    std::printf("switching back to the instance tab (a scoped view rebuilt): %lld ms\n",
                static_cast<long long>(switchTimer.elapsed()));
    window.tabs()->setCurrentWidget(all);
    for (const char *pattern : {"sensor=42", "value=99999", "no such text"}) {
        all->filterEdit()->setText(QLatin1String(pattern));
        QElapsedTimer timer;
        timer.start();
        all->applyFilter();
        const qint64 ms = timer.elapsed();
        std::printf("text filter \"%s\" over %lld events: %lld ms, %d shown\n", pattern,
                    static_cast<long long>(store->count()), static_cast<long long>(ms), all->model()->rowCount());
    }
    all->filterEdit()->clear();
    all->applyFilter();
    return 0;
}
