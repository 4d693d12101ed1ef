// Session files at scale. Prints figures; asserts nothing.
//  - writes a 1,000,000-message session (64-byte messages, as a busy client
//    and server exchange them), then loads it into a TrafficStore as opening
//    it does: time, and memory per message beyond the payload — once with
//    text messages (written as JSON strings) and once with binary ones
//    (written as base64);
//  - splits the loaded session into its conversations, as the window's
//    Replay dialog does when it opens, and feeds 100,000 checked results
//    through the dialog's results model, as a fast replay does;
//  - replays 100,000 of its messages as fast as possible with the real
//    command, `pipescope replay --fast --check`, against `pipescope serve
//    --echo`, the recorded replies being echoes, so every reply is checked.
#include "replayclient.h"
#include "replycomparer.h"
#include "replayresults.h"
#include "sessionformat.h"
#include "sessionload.h"
#include "trafficexport.h"
#include "trafficstore.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <malloc.h>
#include <thread>
#include <unistd.h>

using namespace PipeScope;

namespace {

quint64 residentBytes()
{
    std::ifstream statm("/proc/self/statm");
    quint64 size = 0, resident = 0;
    statm >> size >> resident;
    return resident * quint64(::sysconf(_SC_PAGESIZE));
}

enum class Payloads { Text, Binary };

// A session of `messages` data events on one server instance: requests in,
// their echoes out. Text: 64 printable characters; binary: the same with
// bytes 0 to 7 in place of the last eight.
bool writeSession(const QString &path, qint64 messages, Payloads kind = Payloads::Text)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    SessionWriter writer(&file);
    SessionHeader header;
    header.app = QStringLiteral("bench");
    SessionEndpoint server;
    server.id = 1;
    server.server.name = QStringLiteral("bench");
    server.server.autoReply = AutoReply::Echo;
    header.endpoints = {server};
    if (!writer.writeHeader(header))
        return false;
    TrafficBatch batch;
    qint64 t = 1764072000000000000;
    for (qint64 i = 0; i < messages; ++i) {
        TrafficEvent e;
        e.timestampNs = t += 9000;
        e.endpoint = 1;
        e.instance = 1;
        e.direction = i % 2 ? Direction::Out : Direction::In;
        e.parts = e.direction == Direction::In ? 1 : 0;
        char text[96]; // 64 used; room for what the compiler cannot rule out
        // 48 characters of fields and 16 dots: 64 bytes, every one printed.
        std::snprintf(text, sizeof text, "reading %07lld sensor=%02lld value=%06lld status=ok................",
                      static_cast<long long>(i / 2), static_cast<long long>(i / 2 % 97),
                      static_cast<long long>(i / 2 * 7919 % 1000000));
        e.payload = QByteArray(text, 64);
        if (kind == Payloads::Binary)
            for (int k = 0; k < 8; ++k)
                e.payload[56 + k] = char(k);
        batch.append(e);
        if (batch.size() == 4096) {
            if (!writer.write(batch))
                return false;
            batch.clear();
        }
    }
    return writer.write(batch);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QTemporaryDir dir;
    qputenv("XDG_RUNTIME_DIR", dir.path().toLocal8Bit());
    const qint64 messages = argc > 1 ? QByteArray(argv[1]).toLongLong() : 1000000;
    const QString big = dir.filePath(QStringLiteral("big.pipescope"));
    std::printf("machine: %u cores; Qt %s\n", std::thread::hardware_concurrency(), qVersion());

    QElapsedTimer timer;
    // Write and load each kind; the text session's store stays for the rest.
    TrafficStore store;
    SessionLoad load;
    for (const Payloads kind : {Payloads::Binary, Payloads::Text}) {
        const char *what = kind == Payloads::Text ? "text" : "binary";
        timer.start();
        if (!writeSession(big, messages, kind)) {
            std::fprintf(stderr, "bench_session: cannot write %s\n", qPrintable(big));
            return 1;
        }
        const qint64 writeMs = timer.elapsed();
        std::printf("%s: write %lld messages of 64 B: %lld ms, file %.1f MB\n", what, static_cast<long long>(messages),
                    static_cast<long long>(writeMs), double(QFile(big).size()) / 1e6);
        // Load, as opening the file does (after a first read, so the page
        // cache is warm, as it is for a file just saved).
        {
            QFile warm(big);
            warm.open(QIODevice::ReadOnly);
            while (!warm.read(1 << 20).isEmpty()) {
            }
        }
        store.clear();
        ::malloc_trim(0);
        const quint64 before = residentBytes();
        QFile file(big);
        file.open(QIODevice::ReadOnly);
        timer.start();
        load = loadSession(&file, store);
        const qint64 loadMs = timer.elapsed();
        if (!load.ok) {
            std::fprintf(stderr, "bench_session: %s\n", qPrintable(load.error));
            return 1;
        }
        quint64 payload = 0;
        for (qsizetype i = 0; i < store.count(); ++i)
            payload += store.record(i).size;
        std::printf("%s: load %lld events: %lld ms (%.0f events/s); store %.1f B/msg beyond payload, resident %.1f "
                    "B/msg\n",
                    what, static_cast<long long>(load.events), static_cast<long long>(loadMs),
                    double(load.events) * 1000.0 / double(std::max<qint64>(loadMs, 1)),
                    double(store.memoryUsed() - payload) / double(store.count()),
                    (double(residentBytes()) - double(before) - double(payload)) / double(store.count()));
    }

    // Export to pcapng (what Export does off the GUI thread, and `pipescope
    // export`), against the session file it came from.
    {
        const QString pcapng = dir.filePath(QStringLiteral("big.pcapng"));
        timer.start();
        QString error;
        const qint64 written = exportTraffic(store.snapshot(), {}, ExportFormat::Pcapng, pcapng,
                                             {{1, QStringLiteral("\\\\.\\pipe\\bench")}}, &error);
        const qint64 exportMs = timer.elapsed();
        if (written < 0) {
            std::fprintf(stderr, "bench_session: %s\n", qPrintable(error));
            return 1;
        }
        std::printf("export %lld events to pcapng: %lld ms (%.0f events/s), file %.1f MB (the text session: %.1f MB)\n",
                    static_cast<long long>(written), static_cast<long long>(exportMs),
                    double(written) * 1000.0 / double(std::max<qint64>(exportMs, 1)), double(QFile(pcapng).size()) / 1e6,
                    double(QFile(big).size()) / 1e6);
        QFile::remove(pcapng);
    }

    // The window's side of a replay: the conversations, then the results.
    timer.start();
    const QList<ReplayScript> scripts = buildReplayScripts(load.header, store);
    const qint64 splitMs = timer.elapsed();
    qsizetype steps = 0;
    for (const ReplayScript &script : scripts)
        steps += script.steps.size();
    std::printf("split into conversations: %lld ms, %lld conversation(s), %lld client messages\n",
                static_cast<long long>(splitMs), static_cast<long long>(scripts.size()), static_cast<long long>(steps));
    {
        constexpr int kResults = 100000;
        ReplayResults results;
        ReplyComparer comparer;
        comparer.setIgnore(QStringLiteral("value=\\d+"), nullptr);
        results.reset(ReplayResults::Side::Client, comparer);
        const ReplayResults::Poster post = results.poster();
        const QList<ReplayStep> &recorded = scripts.constFirst().steps;
        qint64 worstFlushNs = 0, flushes = 0;
        QElapsedTimer flush;
        timer.start();
        for (int k = 0; k < kResults; ++k) {
            const ReplayStep &step = recorded[k % recorded.size()];
            ReplayExchange x;
            x.script = scripts.constFirst().title;
            x.index = k;
            x.sent = step.send;
            x.expected = step.replies;
            x.got = {step.send};
            post(x);
            // About what a 16 ms interval collects at the replay's rate.
            if (k % 512 == 511 || k == kResults - 1) {
                flush.start();
                results.flush();
                worstFlushNs = std::max(worstFlushNs, flush.nsecsElapsed());
                ++flushes;
            }
        }
        const qint64 resultsMs = timer.elapsed();
        std::printf("results model: %d checked exchanges in %lld ms (%lld batches, worst %.2f ms), %lld matched\n",
                    kResults, static_cast<long long>(resultsMs), static_cast<long long>(flushes),
                    double(worstFlushNs) / 1e6, static_cast<long long>(results.matched()));
    }

    // Replay 100,000 client messages with the real commands: to a server
    // that echoes, then to a server that is itself a replay of the same
    // session (`replay --serve`), both sides checking every message.
    const QString small = dir.filePath(QStringLiteral("replay.pipescope"));
    if (!writeSession(small, 200000))
        return 1;
    const QString exe = QStringLiteral(PIPESCOPE_EXECUTABLE);
    const auto startServer = [&exe](QProcess &server, const QStringList &arguments) {
        // Its event lines are not read here: they must not fill a pipe.
        server.setStandardOutputFile(QProcess::nullDevice());
        server.setReadChannel(QProcess::StandardError);
        server.start(exe, arguments);
        QByteArray said;
        while (!said.contains("on ") && server.waitForReadyRead(10000))
            said += server.readAllStandardError();
    };
    const auto lastLine = [](const QByteArray &text) { return text.trimmed().split('\n').constLast(); };
    const auto replayTo = [&](const QString &pipe, const char *what) {
        QProcess replay;
        replay.setStandardOutputFile(QProcess::nullDevice());
        QElapsedTimer clock;
        clock.start();
        replay.start(exe, {QStringLiteral("replay"), small, QStringLiteral("--pipe"), pipe, QStringLiteral("--fast"),
                           QStringLiteral("--check")});
        replay.waitForFinished(600000);
        const qint64 ms = clock.elapsed();
        std::printf("replay 100000 messages --fast --check against %s: %lld ms (%.0f msg/s), exit %d\n  %s\n", what,
                    static_cast<long long>(ms), 100000.0 * 1000.0 / double(std::max<qint64>(ms, 1)), replay.exitCode(),
                    lastLine(replay.readAllStandardError()).constData());
    };

    QProcess echo;
    startServer(echo, {QStringLiteral("serve"), QStringLiteral("bench-echo"), QStringLiteral("--echo")});
    replayTo(QStringLiteral("bench-echo"), "pipescope serve --echo");
    echo.kill();
    echo.waitForFinished();

    QProcess served;
    startServer(served, {QStringLiteral("replay"), small, QStringLiteral("--serve"), QStringLiteral("bench-served"),
                         QStringLiteral("--check")});
    replayTo(QStringLiteral("bench-served"), "pipescope replay --serve --check");
    served.waitForFinished(60000);
    std::printf("  the replaying server, exit %d: %s\n", served.exitCode(),
                lastLine(served.readAllStandardError()).constData());
    return 0;
}
