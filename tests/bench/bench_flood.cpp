// A peer that floods and never reads: the real `pipescope serve` under it.
// Prints figures; asserts nothing.
//
// For `serve --echo` and `serve --record FILE` (no echo), N clients each send
// 4 KiB messages as fast as the server takes them and never read, for D
// seconds; the server's resident memory is sampled every 100 ms. Prints the
// peak and the last sample, what the clients got the server to take, and
// (with --record) what the record holds.
//
//   bench_flood [SECONDS] [CLIENTS]      (defaults: 60 s, 6 clients)
#include "nativepipe.h"
#include "pipename.h"
#include "sessionformat.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace PipeScope;

namespace {

quint64 residentBytesOf(qint64 pid)
{
    std::ifstream statm("/proc/" + std::to_string(pid) + "/statm");
    quint64 size = 0, resident = 0;
    statm >> size >> resident;
    return resident * quint64(::sysconf(_SC_PAGESIZE));
}

struct Figures
{
    quint64 peak = 0;
    quint64 last = 0;
    qint64 taken = 0; // bytes the system took from the clients
};

Figures flood(const QStringList &serveArguments, const QString &name, int seconds, int clients)
{
    Figures figures;
    QProcess serve;
    serve.setStandardOutputFile(QProcess::nullDevice());
    serve.start(QStringLiteral(PIPESCOPE_EXECUTABLE), QStringList{QStringLiteral("serve"), name} + serveArguments);
    serve.setReadChannel(QProcess::StandardError);
    QByteArray said;
    while (!said.contains("listening on") && serve.waitForReadyRead(10000))
        said += serve.readAllStandardError();
    if (!said.contains("listening on")) {
        std::fprintf(stderr, "serve did not start: %s\n", said.constData());
        return figures;
    }
    std::atomic<bool> stop{false};
    std::atomic<qint64> taken{0};
    std::vector<std::thread> threads;
    for (int c = 0; c < clients; ++c) {
        threads.emplace_back([&] {
            auto connection = Native::connectToPipe(Native::PipeName::parse(name.toStdString()).value(), {});
            if (!connection)
                return;
            Native::Connection &pipe = *connection.value();
            const std::string message(4096, 'f');
            while (!stop) {
                if (pipe.hasPendingWrites()) {
                    pipe.waitWritable(100);
                    if (pipe.flush().isError())
                        return;
                    continue;
                }
                if (pipe.write(message).isError())
                    return;
                taken += qint64(message.size());
            }
            // Leave without reading: the server sees the peer vanish.
            pipe.close(0);
        });
    }
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < seconds * 1000) {
        figures.last = residentBytesOf(serve.processId());
        figures.peak = std::max(figures.peak, figures.last);
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    stop = true;
    for (std::thread &t : threads)
        t.join();
    figures.taken = taken;
    serve.terminate();
    serve.waitForFinished(30000);
    return figures;
}

void print(const char *what, const Figures &f, int seconds)
{
    std::printf("%-34s peak RSS %7.1f MiB, last %7.1f MiB; clients got %9.1f MiB taken in %d s\n", what,
                double(f.peak) / (1 << 20), double(f.last) / (1 << 20), double(f.taken) / (1 << 20), seconds);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const int seconds = argc > 1 ? std::max(1, std::atoi(argv[1])) : 60;
    const int clients = argc > 2 ? std::max(1, std::atoi(argv[2])) : 6;
    QTemporaryDir dir;
    qputenv("XDG_RUNTIME_DIR", dir.path().toLocal8Bit());
    std::printf("%d clients flooding 4 KiB messages, never reading\n", clients);

    print("serve --echo", flood({QStringLiteral("--echo")}, QStringLiteral("flood-echo"), seconds, clients), seconds);

    const QString record = dir.filePath(QStringLiteral("flood.pipescope"));
    const Figures recorded =
        flood({QStringLiteral("--record"), record}, QStringLiteral("flood-record"), seconds, clients);
    print("serve --record", recorded, seconds);
    QFile file(record);
    qint64 events = 0, bytes = 0;
    if (file.open(QIODevice::ReadOnly)) {
        SessionReader reader(&file);
        SessionHeader header;
        TrafficEvent event;
        if (reader.readHeader(header))
            while (reader.next(event) == SessionReader::Status::Event)
                if (event.kind == EventKind::Data) {
                    ++events;
                    bytes += event.payload.size();
                }
    }
    std::printf("%-34s %lld messages, %.1f MiB recorded (%.1f MiB on disk)\n", "  its record", static_cast<long long>(events),
                double(bytes) / (1 << 20), double(QFile(record).size()) / (1 << 20));
    return 0;
}
