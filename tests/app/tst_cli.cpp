// The headless commands, run as a user runs them: separate processes.
#include "coretestsupport.h"
#include "nativepipe.h"
#include "pipename.h"
#include "sessionformat.h"
#include "sessionload.h"
#include "pipescope_version.h"
#include "testmain.h"
#include "trafficstore.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>

#include <functional>

#ifdef Q_OS_WIN
#include <windows.h>
#endif

#ifdef Q_OS_UNIX
#include <csignal>
#include <cstddef>
#include <cstring>
#include <fcntl.h>
#include <pwd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#endif

using namespace PipeScopeTest;

namespace {

const QString kExecutable = QStringLiteral(PIPESCOPE_EXECUTABLE);

// A `pipescope serve` (or `monitor`) in the background, started and ready
// to accept.
class ServeProcess
{
public:
    // `setup` prepares the process before it starts.
    explicit ServeProcess(const QStringList &arguments, const std::function<void(QProcess &)> &setup = {},
                          const QString &command = QStringLiteral("serve"))
    {
        if (setup)
            setup(m_process);
        m_process.start(kExecutable, QStringList{command} + arguments);
    }
    ~ServeProcess()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }
    bool waitListening()
    {
        // The status line goes to stderr; stdout carries only events.
        m_process.setReadChannel(QProcess::StandardError);
        QByteArray err;
        while (!err.contains("listening on")) {
            if (!m_process.waitForReadyRead(10000))
                break;
            err += m_process.readAllStandardError();
        }
        m_stderr += err;
        return err.contains("listening on");
    }
    bool finish(int timeoutMs = 10000) { return m_process.waitForFinished(timeoutMs); }
    QString output() { return QString::fromUtf8(m_stdout += m_process.readAllStandardOutput()); }
    QString errors() { return QString::fromUtf8(m_stderr += m_process.readAllStandardError()); }
    QProcess &process() { return m_process; }

private:
    QProcess m_process;
    QByteArray m_stdout;
    QByteArray m_stderr;
};

struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
};

Run runPipescope(const QStringList &arguments, const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment())
{
    QProcess p;
    p.setProcessEnvironment(environment);
    p.start(kExecutable, arguments);
    Run run;
    // Generous: under Wine, with the machine busy building, commands that
    // take 0.5-2 s alone were twice cut off at the former 20 s.
    if (!p.waitForFinished(60000)) {
        p.kill();
        run.err = QStringLiteral("did not finish within 60 s");
        return run;
    }
    run.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    run.out = QString::fromUtf8(p.readAllStandardOutput());
    run.err = QString::fromUtf8(p.readAllStandardError());
    return run;
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

// A session file read with the loader the app uses.
struct Recorded
{
    PipeScope::TrafficStore store;
    PipeScope::SessionLoad load;

    explicit Recorded(const QString &path)
    {
        QFile file(path);
        if (file.open(QIODevice::ReadOnly))
            load = PipeScope::loadSession(&file, store);
        else
            load.error = file.errorString();
    }
    QList<QByteArray> payloads(PipeScope::Direction direction) const
    {
        QList<QByteArray> out;
        for (qsizetype i = 0; i < store.count(); ++i)
            if (store.record(i).kind == PipeScope::EventKind::Data && store.record(i).direction == direction)
                out << store.payload(i).toByteArray();
        return out;
    }
    int count(PipeScope::EventKind kind) const
    {
        int n = 0;
        for (qsizetype i = 0; i < store.count(); ++i)
            n += store.record(i).kind == kind;
        return n;
    }
};

} // namespace

class tst_Cli : public QObject
{
    Q_OBJECT
private slots:
    void init() { PipeScopeTest::failOnUnexpectedWarnings(); }
    void sampleScenario();
    void encodingsReachTheServerExactly_data();
    void encodingsReachTheServerExactly();
    void byteModeRoundTrip();
    void listShowsARunningServer();
    void failuresExitNonZeroWithTheReason_data();
    void failuresExitNonZeroWithTheReason();
    void noReplyTimesOut();
    void helpListsTheCommandsAndTheWindowsOptions();
    void versionIsPrintedWithoutADisplay();
#ifdef Q_OS_UNIX
    // A plain file where the socket goes has no Windows counterpart.
    void serveRefusesAFileInTheWay();
    // Windows: ctrlCStopsServeCleanly, through serve's console.
    void interruptStopsServeCleanly_data();
    void interruptStopsServeCleanly();
    void aClosedOutputStopsServeCleanly();
    void clientsBeyondTheDescriptorLimitAreRefused();
    void aPipeDirectoryOpenToOthersIsRefusedByClients();
    void aServerOfAnotherUserIsRefused();
    void anAbstractNameSquattedByAnotherUserIsRefusedByDefault();
    void peerSuppliedTextIsNeverPrintedRaw();
#endif
    void screenshotRendersTheSample();
    void serveRecordsASession();
    void serveWritesPcapngAsItCaptures();
    void sendRecordsTheClientsSide();
    void monitorRecordsBothSidesForWiresharkAndReplay();
    void monitorMistakesAreNamed();
#ifdef Q_OS_LINUX
    void monitorInterposesOnALiveServerAndPutsItBack();
#endif
    void replayChecksRepliesAndExits012();
    void replayAsAServerAnswersAsRecorded();
    void recordingSurvivesAKill();
    void killedServeLosesNothingItAnswered();
#ifdef Q_OS_WIN
    void theSampleServerAnswersSend();
    void theSampleClientReadsServesLongReplyInParts();
    void theSamplesTalkThroughAMonitor();
    void theMonitorAddsInstancesToTheSampleServersPipe();
    void replayChecksAgainstTheSampleServer();
    void theConsoleCompanionIsWhatCmdRuns();
    void ctrlCStopsServeCleanly();
    void serverUserNamesAnAccount();
#endif

private:
#ifdef Q_OS_UNIX
    // `serve` ends as a clean stop ends: a normal exit with `exitCode`, its
    // socket file gone, its record `file` whole; `received` gets the
    // record's incoming messages. Check QTest::currentTestFailed() after.
    void expectCleanStop(ServeProcess &serve, int exitCode, const QString &name, const QString &file,
                         QList<QByteArray> &received);
#endif

    PrivateRuntime m_runtime;
};

#ifdef Q_OS_UNIX
void tst_Cli::expectCleanStop(ServeProcess &serve, int exitCode, const QString &name, const QString &file,
                              QList<QByteArray> &received)
{
    QVERIFY(serve.finish());
    QCOMPARE(serve.process().exitStatus(), QProcess::NormalExit);
    QCOMPARE(serve.process().exitCode(), exitCode);
    QVERIFY(!QFile::exists(m_runtime.path() + QStringLiteral("/pipescope/") + name));
    const Recorded session(file);
    QVERIFY2(session.load.ok && session.load.warning.isEmpty(), qPrintable(session.load.error + session.load.warning));
    received = session.payloads(PipeScope::Direction::In);
}
#endif

void tst_Cli::sampleScenario()
{
    const QString name = uniqueName("sample");
    ServeProcess serve({name, QStringLiteral("--reply"), QStringLiteral("Default answer from server"),
                        QStringLiteral("--count"), QStringLiteral("2")});
    QVERIFY2(serve.waitListening(), qPrintable(serve.errors()));

    const Run send = runPipescope({QStringLiteral("send"), name, QStringLiteral("Default message from client"),
                                   QStringLiteral("second")});
    QVERIFY2(send.exitCode == 0, qPrintable(send.err));
    QCOMPARE(send.out.count(QStringLiteral("<- 26 B  \"Default answer from server\"")), 2);
    QVERIFY2(send.out.contains(QStringLiteral("-> 27 B  \"Default message from client\"")), qPrintable(send.out));
    QVERIFY2(send.err.contains(QStringLiteral("connected to")), qPrintable(send.err));

    QVERIFY(serve.finish());
    QCOMPARE(serve.process().exitCode(), 0);
    const QString log = serve.output();
    QVERIFY2(log.contains(QRegularExpression(QStringLiteral("#1  connected  pid \\d+"))), qPrintable(log));
    QVERIFY2(log.contains(QStringLiteral("#1  <- 27 B  \"Default message from client\"")), qPrintable(log));
    QVERIFY2(log.contains(QStringLiteral("#1  -> 26 B  \"Default answer from server\"")), qPrintable(log));
    QVERIFY2(log.contains(QStringLiteral("#1  <- 6 B  \"second\"")), qPrintable(log));
}

void tst_Cli::encodingsReachTheServerExactly_data()
{
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("serverSees");
    QTest::newRow("utf16 + nul: the sample's TCHAR message")
        << QStringList{QStringLiteral("--utf16"), QStringLiteral("--nul")} << QStringLiteral("Hi")
        << QStringLiteral("<- 6 B  u\"Hi\\0\"");
    QTest::newRow("hex") << QStringList{QStringLiteral("--hex")} << QStringLiteral("de ad be ef")
                         << QStringLiteral("<- 4 B  de ad be ef");
    QTest::newRow("escapes") << QStringList{QStringLiteral("--escapes")} << QStringLiteral("a\\tb\\n")
                             << QStringLiteral("<- 4 B  \"a\\tb\\n\"");
    QTest::newRow("utf8") << QStringList() << QStringLiteral("héllo") << QStringLiteral("<- 6 B  \"héllo\"");
}

void tst_Cli::encodingsReachTheServerExactly()
{
    QFETCH(QStringList, options);
    QFETCH(QString, message);
    QFETCH(QString, serverSees);
    const QString name = uniqueName("enc");
    ServeProcess serve({name, QStringLiteral("--echo"), QStringLiteral("--count"), QStringLiteral("1")});
    QVERIFY2(serve.waitListening(), qPrintable(serve.errors()));
    const Run send = runPipescope(QStringList{QStringLiteral("send"), name, message} + options);
    QVERIFY2(send.exitCode == 0, qPrintable(send.err));
    QVERIFY(serve.finish());
    QVERIFY2(serve.output().contains(serverSees), qPrintable(serve.output()));
}

void tst_Cli::byteModeRoundTrip()
{
    const QString name = uniqueName("bytes");
    ServeProcess serve({name, QStringLiteral("--type"), QStringLiteral("byte"), QStringLiteral("--echo"),
                        QStringLiteral("--count"), QStringLiteral("1")});
    QVERIFY2(serve.waitListening(), qPrintable(serve.errors()));
    const Run send = runPipescope({QStringLiteral("send"), name, QStringLiteral("stream me")});
    QVERIFY2(send.exitCode == 0, qPrintable(send.err));
    QVERIFY2(send.err.contains(QStringLiteral("byte pipe")), qPrintable(send.err));
    QVERIFY2(send.out.contains(QStringLiteral("<- 9 B  \"stream me\"")), qPrintable(send.out));
    QVERIFY(serve.finish());
}

void tst_Cli::listShowsARunningServer()
{
    const QString name = uniqueName("listed");
    ServeProcess serve({name, QStringLiteral("--type"), QStringLiteral("byte")});
    QVERIFY2(serve.waitListening(), qPrintable(serve.errors()));
    const Run list = runPipescope({QStringLiteral("list")});
    if (runningUnderWine()) {
        // Wine cannot enumerate \\.\pipe\ at all; what holds there is that
        // the failure names the call and the system's reason.
        qInfo("Under Wine, FindFirstFileW on \\\\.\\pipe\\* fails (ERROR_BAD_DEV_TYPE): checking that list says "
              "so and exits 1. The listing itself is checked on Windows (.github/workflows/windows.yml).");
        QCOMPARE(list.exitCode, 1);
        QVERIFY2(list.err.contains(QLatin1String("FindFirstFileW \\\\.\\pipe\\*: Bad device type (ERROR_BAD_DEV_TYPE)")),
                 qPrintable(list.err));
        return;
    }
    QVERIFY2(list.exitCode == 0, qPrintable(list.err));
    const QString line = list.out.split(QLatin1Char('\n')).filter(name).value(0).trimmed();
    QVERIFY2(!line.isEmpty(), qPrintable(list.out));
#ifdef Q_OS_WIN
    // Windows lists names only; the type is not told.
    QVERIFY2(line.startsWith(QLatin1Char('-')) && line.endsWith(QStringLiteral("\\pipe\\") + name), qPrintable(line));
#else
    QVERIFY2(line.startsWith(QStringLiteral("byte")), qPrintable(line));
    // --long: the owner, the process that serves it, and its queue (no
    // client waits).
    const Run detailed = runPipescope({QStringLiteral("list"), QStringLiteral("--long")});
    QVERIFY2(detailed.exitCode == 0, qPrintable(detailed.err));
    const QString longLine = detailed.out.split(QLatin1Char('\n')).filter(name).value(0);
    const QStringList fields = longLine.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    QVERIFY2(fields.size() == 5, qPrintable(longLine));
    QCOMPARE(fields[0], QStringLiteral("byte"));
    QCOMPARE(fields[1], QStringLiteral("0"));
    QCOMPARE(fields[2], QString::fromLocal8Bit(::getpwuid(::getuid())->pw_name));
    QCOMPARE(fields[3], QStringLiteral("%1/pipescope").arg(serve.process().processId()));
    QVERIFY2(fields[4].endsWith(name), qPrintable(longLine));
#endif
}

void tst_Cli::failuresExitNonZeroWithTheReason_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("why");
    QTest::newRow("no such pipe") << QStringList{QStringLiteral("send"), QStringLiteral("no-such-pipe-here"), QStringLiteral("x")}
#ifdef Q_OS_WIN
                                  << 1 << QStringLiteral("(ERROR_FILE_NOT_FOUND)");
#else
                                  << 1 << QStringLiteral("No such file or directory (ENOENT)");
#endif
    QTest::newRow("empty name") << QStringList{QStringLiteral("send"), QString(), QStringLiteral("x")} << 1
                                << QStringLiteral("the name is empty");
    QTest::newRow("bad hex") << QStringList{QStringLiteral("send"), QStringLiteral("p"), QStringLiteral("zz"), QStringLiteral("--hex")}
                             << 2 << QStringLiteral("not a hex digit");
    QTest::newRow("bad type") << QStringList{QStringLiteral("serve"), QStringLiteral("p"), QStringLiteral("--type"), QStringLiteral("packet")}
                              << 2 << QStringLiteral("--type must be message or byte");
    QTest::newRow("bad instances") << QStringList{QStringLiteral("serve"), QStringLiteral("p"), QStringLiteral("--instances"), QStringLiteral("300")}
                                   << 2 << QStringLiteral("1 to 254 or unlimited");
    QTest::newRow("missing message") << QStringList{QStringLiteral("send"), QStringLiteral("p")} << 2
                                     << QStringLiteral("at least one MESSAGE");
    QTest::newRow("speed not a number") << QStringList{QStringLiteral("replay"), QStringLiteral("f"), QStringLiteral("--pipe"), QStringLiteral("p"), QStringLiteral("--speed"), QStringLiteral("nan")}
                                        << 2 << QStringLiteral("--speed must be a number from 0.001 to 1000000, not \"nan\"");
    QTest::newRow("speed too slow") << QStringList{QStringLiteral("replay"), QStringLiteral("f"), QStringLiteral("--pipe"), QStringLiteral("p"), QStringLiteral("--speed"), QStringLiteral("1e-300")}
                                    << 2 << QStringLiteral("--speed must be a number from 0.001 to 1000000");
    QTest::newRow("speed infinite") << QStringList{QStringLiteral("replay"), QStringLiteral("f"), QStringLiteral("--pipe"), QStringLiteral("p"), QStringLiteral("--speed"), QStringLiteral("inf")}
                                    << 2 << QStringLiteral("--speed must be a number from 0.001 to 1000000");
    QTest::newRow("unknown convention") << QStringList{QStringLiteral("send"), QStringLiteral("p"), QStringLiteral("x"), QStringLiteral("--convention"), QStringLiteral("java")}
                                        << 2 << QStringLiteral("pipescope, qt or dotnet");
    QTest::newRow("message reads of a byte pipe")
        << QStringList{QStringLiteral("serve"), QStringLiteral("p"), QStringLiteral("--type"), QStringLiteral("byte"),
                       QStringLiteral("--read-mode"), QStringLiteral("message")}
        << 2 << QStringLiteral("message read mode needs a message-type pipe");
    // One --wait, one bound, in every command that waits.
    QTest::newRow("send waits at most a day")
        << QStringList{QStringLiteral("send"), QStringLiteral("p"), QStringLiteral("x"), QStringLiteral("--wait"),
                       QStringLiteral("86400001")}
        << 2 << QStringLiteral("--wait must be milliseconds, from 0 to 86400000 (24 h), not \"86400001\"");
    QTest::newRow("replay waits at most a day")
        << QStringList{QStringLiteral("replay"), QStringLiteral("f"), QStringLiteral("--pipe"), QStringLiteral("p"),
                       QStringLiteral("--wait"), QStringLiteral("86400001")}
        << 2 << QStringLiteral("--wait must be milliseconds, from 0 to 86400000 (24 h), not \"86400001\"");
    QTest::newRow("a zero reply timeout")
        << QStringList{QStringLiteral("replay"), QStringLiteral("f"), QStringLiteral("--pipe"), QStringLiteral("p"),
                       QStringLiteral("--reply-timeout"), QStringLiteral("0")}
        << 2 << QStringLiteral("--reply-timeout must be milliseconds, from 1 to 86400000 (24 h)");
    QTest::newRow("client options given to a replaying server")
        << QStringList{QStringLiteral("replay"), QStringLiteral("f"), QStringLiteral("--serve"), QStringLiteral("p"),
                       QStringLiteral("--type"), QStringLiteral("byte")}
        << 2 << QStringLiteral("--type applies to --pipe (a client), not to --serve");
    QTest::newRow("an unknown window option")
        << QStringList{QStringLiteral("--no-such-option")} << 2 << QStringLiteral("Unknown option 'no-such-option'");
#ifdef Q_OS_LINUX
    QTest::newRow("no such abstract pipe")
        << QStringList{QStringLiteral("send"), QStringLiteral("@no-such-abstract-pipe-here"), QStringLiteral("x")} << 1
        << QStringLiteral("no server listens on this abstract name");
#endif
}

void tst_Cli::failuresExitNonZeroWithTheReason()
{
    QFETCH(QStringList, arguments);
    QFETCH(int, exitCode);
    QFETCH(QString, why);
    const Run run = runPipescope(arguments);
    QVERIFY2(run.exitCode == exitCode, qPrintable(QStringLiteral("exit code %1: %2").arg(run.exitCode).arg(run.err)));
    QVERIFY2(run.err.contains(why), qPrintable(run.err));
}

void tst_Cli::helpListsTheCommandsAndTheWindowsOptions()
{
    QProcessEnvironment noDisplay = QProcessEnvironment::systemEnvironment();
    for (const char *variable : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"})
        noDisplay.remove(QString::fromLatin1(variable));
    const Run run = runPipescope({QStringLiteral("--help")}, noDisplay);
    QCOMPARE(run.exitCode, 0);
    for (const char *expected : {"pipescope serve NAME", "pipescope monitor NAME --to TARGET",
                                 "pipescope send NAME MESSAGE...", "pipescope list",
                                 "pipescope replay FILE", "--server <name>", "--client <name>", "--screenshot <file>",
                                 "--size <WxH>", "--theme <theme>", "--version", "[FILE...]"})
        QVERIFY2(run.out.contains(QLatin1String(expected)), qPrintable(QLatin1String(expected) + u'\n' + run.out));
    // Each command's own help comes from its own options.
    const Run send = runPipescope({QStringLiteral("send"), QStringLiteral("--help")});
    QCOMPARE(send.exitCode, 0);
    for (const char *expected : {"--wait <ms>", "--reply-timeout <ms>", "--server-user <user>", "--hex", "--record"})
        QVERIFY2(send.out.contains(QLatin1String(expected)), qPrintable(QLatin1String(expected) + u'\n' + send.out));
    // Its usage names the command, however the program was started.
    QVERIFY2(send.out.startsWith(QLatin1String("Usage: pipescope send [options] NAME MESSAGE...")),
             qPrintable(send.out));
}

void tst_Cli::versionIsPrintedWithoutADisplay()
{
    QProcessEnvironment noDisplay = QProcessEnvironment::systemEnvironment();
    for (const char *variable : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"})
        noDisplay.remove(QString::fromLatin1(variable));
    const Run run = runPipescope({QStringLiteral("--version")}, noDisplay);
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(run.out.trimmed(), QStringLiteral("pipescope " PIPESCOPE_VERSION " (commit " PIPESCOPE_COMMIT ")"));
    // The project's version, a development one between releases; git's
    // commit, or "unknown" outside a checkout.
    QVERIFY(QRegularExpression(QStringLiteral("^" PIPESCOPE_TEST_VERSION "(~dev\\.[0-9]+)?$"))
                .match(QStringLiteral(PIPESCOPE_VERSION))
                .hasMatch());
    QVERIFY(QRegularExpression(QStringLiteral("^([0-9a-f]{12}(-dirty)?|unknown)$"))
                .match(QStringLiteral(PIPESCOPE_COMMIT))
                .hasMatch());
}

void tst_Cli::noReplyTimesOut()
{
    const QString name = uniqueName("silent");
    ServeProcess serve({name});
    QVERIFY2(serve.waitListening(), qPrintable(serve.errors()));
    const Run run = runPipescope({QStringLiteral("send"), name, QStringLiteral("anyone?"), QStringLiteral("--reply-timeout"), QStringLiteral("200")});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains(QStringLiteral("no reply within 200 ms")), qPrintable(run.err));
    const Run quiet = runPipescope({QStringLiteral("send"), name, QStringLiteral("fire and forget"), QStringLiteral("--no-reply")});
    QVERIFY2(quiet.exitCode == 0, qPrintable(quiet.err));
}

#ifdef Q_OS_UNIX
void tst_Cli::serveRefusesAFileInTheWay()
{
    const QString path = m_runtime.path() + QLatin1Char('/') + uniqueName("file");
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("data");
    file.close();
    const Run run = runPipescope({QStringLiteral("serve"), path});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains(QStringLiteral("not a socket")), qPrintable(run.err));
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), QByteArray("data"));
}

void tst_Cli::interruptStopsServeCleanly_data()
{
    QTest::addColumn<int>("signal");
    QTest::newRow("SIGTERM") << int(SIGTERM);
    QTest::newRow("SIGINT") << int(SIGINT);
    QTest::newRow("SIGHUP (the terminal closed)") << int(SIGHUP);
}

void tst_Cli::interruptStopsServeCleanly()
{
    QFETCH(int, signal);
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("interrupted.pipescope"));
    const QString name = uniqueName("interrupt");
    ServeProcess serve({name, QStringLiteral("--record"), file});
    QVERIFY2(serve.waitListening(), qPrintable(serve.errors()));
    const Run send = runPipescope({QStringLiteral("send"), name, QStringLiteral("last words"), QStringLiteral("--no-reply")});
    QVERIFY2(send.exitCode == 0, qPrintable(send.err));
    ::kill(pid_t(serve.process().processId()), signal);
    QList<QByteArray> received;
    expectCleanStop(serve, 0, name, file, received);
    if (QTest::currentTestFailed())
        return;
    QVERIFY2(serve.output().contains(QStringLiteral("<- 10 B  \"last words\"")), qPrintable(serve.output()));
    QCOMPARE(received, QList<QByteArray>{"last words"});
}

// With a limit of 64 descriptors, 150 clients: those it cannot serve are
// refused with the reason, the others are served, and serve neither
// aborts nor leaves its socket behind.
void tst_Cli::clientsBeyondTheDescriptorLimitAreRefused()
{
    namespace Native = PipeScope::Native;
    const QString name = uniqueName("descriptors");
    ServeProcess serve({name, QStringLiteral("--echo")}, [](QProcess &process) {
        process.setChildProcessModifier([] {
            const rlimit limit{64, 64};
            ::setrlimit(RLIMIT_NOFILE, &limit);
        });
    });
    QVERIFY2(serve.waitListening(), qPrintable(serve.errors()));
    std::vector<std::unique_ptr<Native::Connection>> clients;
    for (int i = 0; i < 150; ++i) {
        auto c = Native::connectToPipe(Native::PipeName::parse(name.toStdString()).value(), {});
        QVERIFY2(c.ok(), c.error().message().c_str());
        clients.push_back(std::move(c.value()));
    }
    int served = 0, refused = 0;
    for (auto &c : clients) {
        // A refused client may see its write fail: it is counted below.
        [[maybe_unused]] const auto written = c->write("ping");
        Native::StringSink sink;
        Native::ReadResult r;
        while ((r = c->read(sink)).status == Native::ReadStatus::WouldBlock)
            QVERIFY(c->waitReadable(10000));
        if (r.status == Native::ReadStatus::Data && sink.bytes == "ping")
            ++served;
        else
            ++refused;
    }
    qInfo("%d clients served, %d refused", served, refused);
    QVERIFY2(served >= 5 && refused >= 50, qPrintable(QStringLiteral("%1 served, %2 refused").arg(served).arg(refused)));
    QTRY_VERIFY2(serve.output().contains(QLatin1String("refused a client")), qPrintable(serve.output()));
    QVERIFY(serve.output().contains(QLatin1String("file descriptors are left")));
    clients.clear();
    QCOMPARE(serve.process().state(), QProcess::Running);
    ::kill(pid_t(serve.process().processId()), SIGTERM);
    QVERIFY(serve.finish());
    QCOMPARE(serve.process().exitStatus(), QProcess::NormalExit);
    QCOMPARE(serve.process().exitCode(), 0);
    QVERIFY(!QFile::exists(m_runtime.path() + QStringLiteral("/pipescope/") + name));
}

// Without XDG_RUNTIME_DIR the pipescope convention's directory is
// $TMPDIR/pipescope-UID, which another user could make first and listen
// in. A client refuses it as the server does, naming it and its owner, and
// sends nothing.
void tst_Cli::aPipeDirectoryOpenToOthersIsRefusedByClients()
{
    QTemporaryDir tmp;
    const QString directory = tmp.filePath(QStringLiteral("pipescope-%1").arg(::getuid()));
    QVERIFY(QDir().mkdir(directory));
    QVERIFY(::chmod(QFile::encodeName(directory).constData(), 0755) == 0);
    // As root, make it another user's too, as an attacker's would be.
    const bool asRoot = ::getuid() == 0;
    if (asRoot)
        QVERIFY(::chown(QFile::encodeName(directory).constData(), 65534, 65534) == 0);
    // The impostor: a plain socket listening where the pipe would be.
    const QString name = uniqueName("impostor");
    const QByteArray path = QFile::encodeName(directory + QLatin1Char('/') + name);
    const int impostor = ::socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::memcpy(address.sun_path, path.constData(), std::size_t(path.size()) + 1);
    QVERIFY(::bind(impostor, reinterpret_cast<const sockaddr *>(&address), sizeof address) == 0);
    QVERIFY(::listen(impostor, 8) == 0);

    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.remove(QStringLiteral("XDG_RUNTIME_DIR"));
    environment.insert(QStringLiteral("TMPDIR"), tmp.path());
    const Run send = runPipescope({QStringLiteral("send"), name, QStringLiteral("secret"), QStringLiteral("--no-reply")},
                                  environment);
    ::close(impostor);
    QCOMPARE(send.exitCode, 1);
    QVERIFY2(send.err.contains(directory) && send.err.contains(QLatin1String("mode 0755")), qPrintable(send.err));
    if (asRoot)
        QVERIFY2(send.err.contains(QLatin1String("belongs to uid 65534")), qPrintable(send.err));
    QVERIFY2(!send.out.contains(QLatin1String("secret")), qPrintable(send.out));
    // The server refuses it the same way.
    const Run serve = runPipescope({QStringLiteral("serve"), uniqueName("refused")}, environment);
    QCOMPARE(serve.exitCode, 1);
    QVERIFY2(serve.err.contains(directory) && serve.err.contains(QLatin1String("mode 0755")), qPrintable(serve.err));
}

// --server-user: a server that runs as someone else is refused once
// connected, with who it is, before anything is sent.
void tst_Cli::aServerOfAnotherUserIsRefused()
{
    const QString name = QStringLiteral("@") + uniqueName("whoami");
    ServeProcess serve({name});
    QVERIFY2(serve.waitListening(), qPrintable(serve.errors()));
    const QString other = QString::number(::getuid() + 4242);
    const Run refused = runPipescope({QStringLiteral("send"), name, QStringLiteral("secret"), QStringLiteral("--no-reply"),
                                      QStringLiteral("--server-user"), other});
    QCOMPARE(refused.exitCode, 1);
    QVERIFY2(refused.err.contains(QStringLiteral("the server runs as uid %1").arg(::getuid())) &&
                 refused.err.contains(QStringLiteral("not as uid %1").arg(other)),
             qPrintable(refused.err));
    const Run replay = runPipescope({QStringLiteral("send"), name, QStringLiteral("hello"), QStringLiteral("--no-reply"),
                                     QStringLiteral("--server-user"), QString::number(::getuid())});
    QVERIFY2(replay.exitCode == 0, qPrintable(replay.err));
    const Run unknown = runPipescope({QStringLiteral("send"), name, QStringLiteral("x"), QStringLiteral("--server-user"),
                                      QStringLiteral("no-such-user-here")});
    QCOMPARE(unknown.exitCode, 1);
    QVERIFY2(unknown.err.contains(QLatin1String("no user of this name")), qPrintable(unknown.err));
    // Only "hello" reached it.
    QTRY_VERIFY2(serve.output().contains(QLatin1String("\"hello\"")), qPrintable(serve.output()));
    QVERIFY(!serve.output().contains(QLatin1String("secret")));
}

// A client whose executable's name holds an escape sequence and a forged
// event line, and an abstract pipe whose name holds a newline: printed
// escaped, one line each, never raw.
void tst_Cli::anAbstractNameSquattedByAnotherUserIsRefusedByDefault()
{
    // Another user binds the abstract name first: a client sends nothing
    // to it unless told to, and says who it is and how to allow them.
    if (::getuid() != 0)
        QSKIP("needs root to run a server as another user (nobody); CI runs as root");
    const QByteArray name = uniqueName("squatted").toUtf8();
    int ready[2];
    QVERIFY(::pipe(ready) == 0);
    const pid_t child = ::fork();
    QVERIFY(child >= 0);
    if (child == 0) {
        // Only async-signal-safe calls in the child of a threaded process.
        ::alarm(20);
        if (::setgid(65534) != 0 || ::setuid(65534) != 0)
            ::_exit(1);
        const int fd = ::socket(AF_UNIX, SOCK_SEQPACKET, 0);
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        std::memcpy(addr.sun_path + 1, name.constData(), size_t(name.size()));
        const auto length = socklen_t(offsetof(sockaddr_un, sun_path) + 1 + size_t(name.size()));
        if (::bind(fd, reinterpret_cast<sockaddr *>(&addr), length) != 0 || ::listen(fd, 8) != 0)
            ::_exit(1);
        if (::write(ready[1], "r", 1) != 1)
            ::_exit(1);
        char buffer[256];
        for (;;) {
            const int client = ::accept(fd, nullptr, nullptr);
            while (client >= 0 && ::read(client, buffer, sizeof buffer) > 0) {
            }
            ::close(client);
        }
    }
    ::close(ready[1]);
    char r = 0;
    const bool listening = ::read(ready[0], &r, 1) == 1;
    ::close(ready[0]);
    const auto reap = qScopeGuard([child] {
        ::kill(child, SIGKILL);
        ::waitpid(child, nullptr, 0);
    });
    QVERIFY(listening);
    const QString abstract = QStringLiteral("@") + QString::fromUtf8(name);
    const Run refused = runPipescope({QStringLiteral("send"), abstract, QStringLiteral("secret"), QStringLiteral("--no-reply")});
    QCOMPARE(refused.exitCode, 1);
    QVERIFY2(refused.err.contains(QLatin1String("the server runs as uid 65534")) &&
                 refused.err.contains(QLatin1String("refusing to talk to it")) &&
                 refused.err.contains(QLatin1String("--server-user ")) &&
                 refused.err.contains(QLatin1String("--server-user any")),
             qPrintable(refused.err));
    // Allowed by name or as anyone, it goes.
    const Run allowed = runPipescope({QStringLiteral("send"), abstract, QStringLiteral("hello"), QStringLiteral("--no-reply"),
                                      QStringLiteral("--server-user"), QStringLiteral("any")});
    QVERIFY2(allowed.exitCode == 0, qPrintable(allowed.err));
    const Run byUid = runPipescope({QStringLiteral("send"), abstract, QStringLiteral("hello"), QStringLiteral("--no-reply"),
                                    QStringLiteral("--server-user"), QStringLiteral("65534")});
    QVERIFY2(byUid.exitCode == 0, qPrintable(byUid.err));
}

void tst_Cli::peerSuppliedTextIsNeverPrintedRaw()
{
    const QString name = uniqueName("escapes");
    ServeProcess serve({name});
    QVERIFY2(serve.waitListening(), qPrintable(serve.errors()));
    QTemporaryDir dir;
    const QString evil = dir.filePath(QStringLiteral("evil\x1b[2J\n12:00:00.000000  #9  connected  FAKE"));
    QVERIFY(QFile::copy(kExecutable, evil));
    QProcess client;
    client.start(evil, {QStringLiteral("send"), name, QStringLiteral("hi"), QStringLiteral("--no-reply")});
    QVERIFY(client.waitForFinished(20000));
    QCOMPARE(client.exitCode(), 0);
    QTRY_VERIFY2(serve.output().contains(QLatin1String("disconnected")), qPrintable(serve.output()));
    const QString out = serve.output();
    QVERIFY2(!out.contains(QChar(0x1b)), qPrintable(out));
    QVERIFY2(out.contains(QLatin1String("process evil\\x1b[2J\\x0a12:00:00.000000  #9  connected  FAKE")), qPrintable(out));
    for (const QString &line : out.split(QLatin1Char('\n'), Qt::SkipEmptyParts))
        QVERIFY2(!line.startsWith(QLatin1String("12:00:00.000000")), qPrintable(line));

#ifdef Q_OS_LINUX
    // An abstract name with a newline: one entry, escaped.
    const QByteArray abstract = '\0' + uniqueName("listed").toUtf8() + "\nforged";
    const int listening = ::socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::memcpy(address.sun_path, abstract.constData(), std::size_t(abstract.size()));
    QVERIFY(::bind(listening, reinterpret_cast<const sockaddr *>(&address),
                   socklen_t(offsetof(sockaddr_un, sun_path) + std::size_t(abstract.size()))) == 0);
    QVERIFY(::listen(listening, 1) == 0);
    const Run list = runPipescope({QStringLiteral("list")});
    ::close(listening);
    QCOMPARE(list.exitCode, 0);
    QVERIFY2(list.out.contains(QLatin1Char('@') + QString::fromUtf8(abstract.mid(1, abstract.size() - 8)) +
                               QLatin1String("\\x0aforged")),
             qPrintable(list.out));
    for (const QString &line : list.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts))
        QVERIFY2(!line.startsWith(QLatin1String("forged")), qPrintable(line));
#endif
}

// `pipescope serve … | head -1`: once the reader of its output has gone,
// serve stops as on SIGTERM — the record finished, the socket removed —
// and exits 1, saying why; it is not killed by SIGPIPE.
void tst_Cli::aClosedOutputStopsServeCleanly()
{
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("headed.pipescope"));
    const QString name = uniqueName("head");
    // Its output into a pipe whose reading end this test closes.
    int output[2];
    QCOMPARE(::pipe2(output, O_CLOEXEC), 0); // or serve would hold the reading end too
    ServeProcess serve({name, QStringLiteral("--record"), file}, [&](QProcess &process) {
        process.setStandardOutputFile(QStringLiteral("/proc/self/fd/%1").arg(output[1]));
    });
    ::close(output[1]);
    QVERIFY2(serve.waitListening(), qPrintable(serve.errors()));
    const Run send = runPipescope({QStringLiteral("send"), name, QStringLiteral("one"), QStringLiteral("two"),
                                   QStringLiteral("--no-reply")});
    QVERIFY2(send.exitCode == 0, qPrintable(send.err));
    // Written ahead: in the record once read. Then the reader goes, and the
    // next line serve prints (a client connecting) finds it gone.
    QTRY_COMPARE(Recorded(file).payloads(PipeScope::Direction::In), (QList<QByteArray>{"one", "two"}));
    ::close(output[0]);
    runPipescope({QStringLiteral("send"), name, QStringLiteral("three"), QStringLiteral("--no-reply")});
    QList<QByteArray> received;
    expectCleanStop(serve, 1, name, file, received);
    if (QTest::currentTestFailed())
        return;
    QVERIFY2(serve.errors().contains(QLatin1String("standard output")), qPrintable(serve.errors()));
    // With all it read: "three" too if it came before the stop.
    QVERIFY2(received == (QList<QByteArray>{"one", "two"}) || received == (QList<QByteArray>{"one", "two", "three"}),
             qPrintable(QString::fromUtf8(received.join(','))));
}

#endif

void tst_Cli::screenshotRendersTheSample()
{
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("shot.png"));
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
#ifdef Q_OS_WIN
    // Windows renders on its desktop; a Wine without an X display has none,
    // so there it renders offscreen as this test process does (Wine's own
    // desktop is pictured by scripts/screenshot-windows.sh).
    if (!runningUnderWine())
        env.remove(QStringLiteral("QT_QPA_PLATFORM"));
#else
    env.remove(QStringLiteral("QT_QPA_PLATFORM")); // it must need no display by itself
    env.remove(QStringLiteral("DISPLAY"));
    env.remove(QStringLiteral("WAYLAND_DISPLAY"));
#endif
    p.setProcessEnvironment(env);
    p.start(kExecutable, {QStringLiteral("--screenshot"), file});
    QVERIFY(p.waitForFinished(30000));
    QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
    QFile png(file);
    QVERIFY(png.open(QIODevice::ReadOnly));
    const QByteArray head = png.read(24);
    QVERIFY(head.startsWith("\x89PNG\r\n\x1a\n"));
    // IHDR: width and height, big-endian, at offsets 16 and 20.
    QCOMPARE(qFromBigEndian<quint32>(head.constData() + 16), 1280u);
    QCOMPARE(qFromBigEndian<quint32>(head.constData() + 20), 800u);
    QVERIFY2(png.size() > 20000, "a window with traffic, not a blank picture");
    png.close();

    // Smaller and dark, as a person checks a change.
    const QString small = dir.filePath(QStringLiteral("small-dark.png"));
    p.start(kExecutable, {QStringLiteral("--screenshot"), small, QStringLiteral("--size"), QStringLiteral("800x500"),
                          QStringLiteral("--theme"), QStringLiteral("dark")});
    QVERIFY(p.waitForFinished(30000));
    QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
    QFile smallPng(small);
    QVERIFY(smallPng.open(QIODevice::ReadOnly));
    const QByteArray smallHead = smallPng.read(24);
    QCOMPARE(qFromBigEndian<quint32>(smallHead.constData() + 16), 800u);
    QCOMPARE(qFromBigEndian<quint32>(smallHead.constData() + 20), 500u);
    // With the sample's name held by another server (a window running the
    // sample), it uses a name of its own rather than waiting for ever.
    {
        ServeProcess holder({QStringLiteral("mynamedpipe")});
        QVERIFY2(holder.waitListening(), qPrintable(holder.errors()));
        const QString held = dir.filePath(QStringLiteral("held.png"));
        p.start(kExecutable, {QStringLiteral("--screenshot"), held});
        QVERIFY2(p.waitForFinished(30000), "--screenshot hung while the sample's name was in use");
        QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
        QVERIFY(QFileInfo(held).size() > 20000);
    }
    const Run badSize = runPipescope({QStringLiteral("--screenshot"), small, QStringLiteral("--size"), QStringLiteral("big")});
    QCOMPARE(badSize.exitCode, 2);
    QVERIFY2(badSize.err.contains(QLatin1String("--size must be WIDTHxHEIGHT")), qPrintable(badSize.err));

    // Without a file name it is a usage error.
    const Run bad = runPipescope({QStringLiteral("--screenshot")});
    QCOMPARE(bad.exitCode, 2);
    QVERIFY2(bad.err.contains(QLatin1String("Missing value after '--screenshot'")), qPrintable(bad.err));
}

void tst_Cli::serveRecordsASession()
{
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("sample.pipescope"));
    const QString name = uniqueName("record");
    ServeProcess serve({name, QStringLiteral("--reply"), QStringLiteral("Default answer from server"),
                        QStringLiteral("--count"), QStringLiteral("2"), QStringLiteral("--record"), file});
    QVERIFY2(serve.waitListening(), qPrintable(serve.errors()));
    const Run send = runPipescope({QStringLiteral("send"), name, QStringLiteral("--hex"), QStringLiteral("00 ff"),
                                   QStringLiteral("--"), QStringLiteral("6869")});
    QVERIFY2(send.exitCode == 0, qPrintable(send.err));
    QVERIFY(serve.finish());
    QCOMPARE(serve.process().exitCode(), 0);

    const Recorded session(file);
    QVERIFY2(session.load.ok && session.load.warning.isEmpty(), qPrintable(session.load.error + session.load.warning));
    const PipeScope::SessionHeader &header = session.load.header;
    QCOMPARE(header.endpoints.size(), 1);
    QCOMPARE(header.endpoints[0].server.name, name);
    QCOMPARE(header.endpoints[0].server.autoReply, PipeScope::AutoReply::Fixed);
    QCOMPARE(header.endpoints[0].server.replyBytes, QByteArray("Default answer from server"));
    QCOMPARE(session.count(PipeScope::EventKind::Connected), 1);
    QCOMPARE(session.payloads(PipeScope::Direction::In), (QList<QByteArray>{QByteArray("\x00\xff", 2), "hi"}));
    QCOMPARE(session.payloads(PipeScope::Direction::Out),
             (QList<QByteArray>{"Default answer from server", "Default answer from server"}));

    // A file that cannot be written is refused before the pipe is made.
    const Run bad = runPipescope({QStringLiteral("serve"), uniqueName("norecord"), QStringLiteral("--record"),
                                  QStringLiteral("/no/such/dir/x.pipescope")});
    QCOMPARE(bad.exitCode, 1);
    QVERIFY2(bad.err.contains(QLatin1String("cannot record to /no/such/dir/x.pipescope")), qPrintable(bad.err));

    // export: the recorded session as pcapng (connected, 2 in, 2 out,
    // disconnected), and CSV by --format whatever the suffix.
    const QString pcapng = dir.filePath(QStringLiteral("sample.pcapng"));
    const Run exported = runPipescope({QStringLiteral("export"), file, pcapng});
    QVERIFY2(exported.exitCode == 0, qPrintable(exported.err));
    QVERIFY2(exported.err.contains(QStringLiteral("6 events written to")), qPrintable(exported.err));
    QFile written(pcapng);
    QVERIFY(written.open(QIODevice::ReadOnly));
    const QByteArray head = written.read(12);
    QCOMPARE(qFromLittleEndian<quint32>(head.constData()), 0x0A0D0D0Au);
    QCOMPARE(qFromLittleEndian<quint32>(head.constData() + 8), 0x1A2B3C4Du);
    const QString csv = dir.filePath(QStringLiteral("sample.out"));
    QCOMPARE(runPipescope({QStringLiteral("export"), file, csv, QStringLiteral("--format"), QStringLiteral("csv")}).exitCode, 0);
    QFile table(csv);
    QVERIFY(table.open(QIODevice::ReadOnly));
    QVERIFY(table.readLine().startsWith("time,time_ns,endpoint"));
    // Mistakes are named.
    const Run badFormat = runPipescope({QStringLiteral("export"), file, csv, QStringLiteral("--format"), QStringLiteral("xml")});
    QCOMPARE(badFormat.exitCode, 2);
    QVERIFY2(badFormat.err.contains(QLatin1String("--format: \"xml\" is not csv, text, raw or pcapng")), qPrintable(badFormat.err));
    const Run badDissector = runPipescope({QStringLiteral("export"), file, pcapng, QStringLiteral("--dissector"),
                                           QStringLiteral("my proto")});
    QCOMPARE(badDissector.exitCode, 2);
    QVERIFY2(badDissector.err.contains(QLatin1String("--dissector: \"my proto\" is not a dissector's name")),
             qPrintable(badDissector.err));
    const Run noSession = runPipescope({QStringLiteral("export"), dir.filePath(QStringLiteral("none.pipescope")), csv});
    QCOMPARE(noSession.exitCode, 2);
    QVERIFY2(noSession.err.contains(QLatin1String("cannot open")), qPrintable(noSession.err));
}

// serve --pcapng -: standard output is pcapng (no event lines), written
// as events come, so it can be piped into Wireshark; --pcapng FILE writes
// the file and prints the lines as before.
void tst_Cli::serveWritesPcapngAsItCaptures()
{
    const QString name = uniqueName("livepcapng");
    ServeProcess serve({name, QStringLiteral("--echo"), QStringLiteral("--count"), QStringLiteral("2"),
                        QStringLiteral("--pcapng"), QStringLiteral("-")});
    QVERIFY2(serve.waitListening(), qPrintable(serve.errors()));
    const Run send = runPipescope({QStringLiteral("send"), name, QStringLiteral("one"), QStringLiteral("two")});
    QVERIFY2(send.exitCode == 0, qPrintable(send.err));
    QVERIFY(serve.finish());
    QCOMPARE(serve.process().exitCode(), 0);
    const QByteArray bytes = serve.process().readAllStandardOutput();
    QVERIFY(bytes.size() > 12);
    QCOMPARE(qFromLittleEndian<quint32>(bytes.constData()), 0x0A0D0D0Au);
    QCOMPARE(qFromLittleEndian<quint32>(bytes.constData() + 8), 0x1A2B3C4Du);
    QVERIFY2(!bytes.contains("<- 3 B"), "no event line on a pcapng standard output");
    QVERIFY(bytes.contains("one") && bytes.contains("two"));
#ifndef Q_OS_WIN
    // As Wireshark reads it: connected, in and out twice (the echo), and
    // the disconnection, in order.
    QTemporaryDir dir;
    QFile file(dir.filePath(QStringLiteral("live.pcapng")));
    QVERIFY(file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size());
    file.close();
    QProcess tshark;
    tshark.start(QStringLiteral("tshark"), {QStringLiteral("-r"), file.fileName(), QStringLiteral("-T"), QStringLiteral("fields"),
                                            QStringLiteral("-e"), QStringLiteral("frame.packet_flags_direction"),
                                            QStringLiteral("-e"), QStringLiteral("data.data")});
    QVERIFY2(tshark.waitForFinished(60000) && tshark.exitCode() == 0, tshark.readAllStandardError().constData());
    QCOMPARE(QString::fromUtf8(tshark.readAllStandardOutput()).split(QLatin1Char('\n'), Qt::SkipEmptyParts),
             (QStringList{QStringLiteral("\t"), QStringLiteral("0x00000001\t6f6e65"), QStringLiteral("0x00000002\t6f6e65"),
                          QStringLiteral("0x00000001\t74776f"), QStringLiteral("0x00000002\t74776f"), QStringLiteral("\t")}));
#endif
    // A file that cannot be written is refused before the pipe is made.
    const Run bad = runPipescope({QStringLiteral("serve"), uniqueName("nopcapng"), QStringLiteral("--pcapng"),
                                  QStringLiteral("/no/such/dir/x.pcapng")});
    QCOMPARE(bad.exitCode, 1);
    QVERIFY2(bad.err.contains(QLatin1String("cannot write pcapng to /no/such/dir/x.pcapng")), qPrintable(bad.err));
}

// A client talks to a server through `pipescope monitor`: the client gets
// the server's answers, the monitor prints both sides, records a session
// that replays in both roles, and writes pcapng Wireshark reads.
void tst_Cli::monitorRecordsBothSidesForWiresharkAndReplay()
{
    QTemporaryDir dir;
    const QString session = dir.filePath(QStringLiteral("monitored.pipescope"));
    const QString pcapng = dir.filePath(QStringLiteral("monitored.pcapng"));
    const QString target = uniqueName("montarget");
    const QString name = uniqueName("monitor");
    ServeProcess server({target, QStringLiteral("--reply"), QStringLiteral("ack")});
    QVERIFY2(server.waitListening(), qPrintable(server.errors()));
    ServeProcess monitor({name, QStringLiteral("--to"), target, QStringLiteral("--count"), QStringLiteral("4"),
                          QStringLiteral("--record"), session, QStringLiteral("--pcapng"), pcapng},
                         {}, QStringLiteral("monitor"));
    QVERIFY2(monitor.waitListening(), qPrintable(monitor.errors()));
    QVERIFY2(monitor.errors().contains(QStringLiteral("passing each client on to ") + target), qPrintable(monitor.errors()));
    const Run send = runPipescope({QStringLiteral("send"), name, QStringLiteral("one"), QStringLiteral("two")});
    QVERIFY2(send.exitCode == 0, qPrintable(send.err));
    QCOMPARE(send.out.count(QLatin1String("<- 3 B  \"ack\"")), 2);
    QVERIFY(monitor.finish());
    QCOMPARE(monitor.process().exitCode(), 0);
    const QString lines = monitor.output();
    for (const char *expected : {"c->s 3 B (passed on in", "s->c 3 B (passed on in", "connected  client: pid",
                                 "; server: pid"})
        QVERIFY2(lines.contains(QLatin1String(expected)), qPrintable(QLatin1String(expected) + u'\n' + lines));

    const Recorded recorded(session);
    QVERIFY2(recorded.load.ok && recorded.load.warning.isEmpty(), qPrintable(recorded.load.error + recorded.load.warning));
    QCOMPARE(recorded.load.header.version, 2);
    QCOMPARE(recorded.load.header.endpoints.size(), 1);
    const PipeScope::SessionEndpoint &endpoint = recorded.load.header.endpoints[0];
    QCOMPARE(endpoint.kind, PipeScope::SessionEndpoint::Kind::Monitor);
    QCOMPARE(endpoint.server.name, name);
    QVERIFY(endpoint.server.relayTo);
    QCOMPARE(endpoint.server.relayTo->name, target);
    QCOMPARE(recorded.payloads(PipeScope::Direction::In), (QList<QByteArray>{"one", "two"}));
    QCOMPARE(recorded.payloads(PipeScope::Direction::Out), (QList<QByteArray>{"ack", "ack"}));
    for (qsizetype i = 0; i < recorded.store.count(); ++i)
        if (recorded.store.record(i).kind == PipeScope::EventKind::Data)
            QVERIFY2(recorded.store.record(i).relayNs > 0, "a monitored message without its relay time");

    // Replayed as the client, against the real server: the check passes.
    const Run check = runPipescope({QStringLiteral("replay"), session, QStringLiteral("--pipe"), target,
                                    QStringLiteral("--check"), QStringLiteral("--fast")});
    QVERIFY2(check.exitCode == 0, qPrintable(check.out + check.err));
    QVERIFY2(check.err.contains(QLatin1String("2 replies matched, 0 differed")), qPrintable(check.err));
    // Replayed as the server, answering a real client as the server did.
    const QString standIn = uniqueName("monstandin");
    QProcess replay;
    replay.start(kExecutable, {QStringLiteral("replay"), session, QStringLiteral("--serve"), standIn});
    replay.setReadChannel(QProcess::StandardError);
    QByteArray said;
    while (!said.contains("as a server on") && replay.waitForReadyRead(10000))
        said += replay.readAllStandardError();
    QVERIFY2(said.contains("as a server on"), said.constData());
    const Run client = runPipescope({QStringLiteral("send"), standIn, QStringLiteral("one"), QStringLiteral("two")});
    QVERIFY2(client.exitCode == 0, qPrintable(client.err));
    QCOMPARE(client.out.count(QLatin1String("<- 3 B  \"ack\"")), 2);
    QVERIFY(replay.waitForFinished(10000));

    QFile file(pcapng);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(qFromLittleEndian<quint32>(file.read(4).constData()), 0x0A0D0D0Au);
#ifndef Q_OS_WIN
    // As Wireshark reads it: the connection, then each message with its
    // direction (inbound: client to server), and the disconnection.
    QProcess tshark;
    tshark.start(QStringLiteral("tshark"), {QStringLiteral("-r"), pcapng, QStringLiteral("-T"), QStringLiteral("fields"),
                                            QStringLiteral("-e"), QStringLiteral("frame.packet_flags_direction"),
                                            QStringLiteral("-e"), QStringLiteral("data.data")});
    QVERIFY2(tshark.waitForFinished(60000) && tshark.exitCode() == 0, tshark.readAllStandardError().constData());
    const QStringList packets = QString::fromUtf8(tshark.readAllStandardOutput()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QVERIFY2(packets.size() >= 6, qPrintable(packets.join(QLatin1Char('\n'))));
    QCOMPARE(packets.mid(1, 4), (QStringList{QStringLiteral("0x00000001\t6f6e65"), QStringLiteral("0x00000002\t61636b"),
                                             QStringLiteral("0x00000001\t74776f"), QStringLiteral("0x00000002\t61636b")}));
#endif
}

void tst_Cli::monitorMistakesAreNamed()
{
    const Run noTarget = runPipescope({QStringLiteral("monitor"), uniqueName("mon")});
    QCOMPARE(noTarget.exitCode, 2);
    QVERIFY2(noTarget.err.contains(QLatin1String("monitor needs --to TARGET")), qPrintable(noTarget.err));
    const Run badType = runPipescope({QStringLiteral("monitor"), uniqueName("mon"), QStringLiteral("--to"),
                                      QStringLiteral("x"), QStringLiteral("--to-type"), QStringLiteral("bytes")});
    QCOMPARE(badType.exitCode, 2);
    QVERIFY2(badType.err.contains(QLatin1String("--to-type must be message or byte, not \"bytes\"")), qPrintable(badType.err));
    const Run badName = runPipescope({QStringLiteral("monitor"), uniqueName("mon"), QStringLiteral("--to"), QString()});
    QCOMPARE(badName.exitCode, 2);
    // A monitor answers nothing of its own.
    const Run echo = runPipescope({QStringLiteral("monitor"), uniqueName("mon"), QStringLiteral("--to"),
                                   QStringLiteral("x"), QStringLiteral("--echo")});
    QCOMPARE(echo.exitCode, 2);
    QVERIFY2(echo.err.contains(QLatin1String("Unknown option 'echo'")), qPrintable(echo.err));
}

#ifdef Q_OS_LINUX
// monitor --interpose on a server that is running: new clients go through
// the monitor, a connection made before goes on directly, the socket is
// put back when the monitor stops — cleanly, or after a SIGKILL with
// --restore — and what cannot work is refused with the reason.
void tst_Cli::monitorInterposesOnALiveServerAndPutsItBack()
{
    const QString path = m_runtime.path() + QLatin1Char('/') + uniqueName("live");
    const QString moved = path + QStringLiteral(".pipescope-moved");
    ServeProcess server({path, QStringLiteral("--echo")});
    QVERIFY2(server.waitListening(), qPrintable(server.errors()));
    auto before = PipeScope::Native::connectToPipe(PipeScope::Native::PipeName::parse(path.toStdString()).value(), {});
    QVERIFY(before);

    QTemporaryDir dir;
    const QString session = dir.filePath(QStringLiteral("interposed.pipescope"));
    ServeProcess monitor({path, QStringLiteral("--interpose"), QStringLiteral("--count"), QStringLiteral("2"),
                          QStringLiteral("--record"), session},
                         {}, QStringLiteral("monitor"));
    QVERIFY2(monitor.waitListening(), qPrintable(monitor.errors()));
    QTRY_VERIFY(monitor.errors().contains(QLatin1String("are not seen")));
    QVERIFY(QFileInfo::exists(moved));
    // Listed once under each name: the monitor at the name, the server at
    // the name its file was moved to (its socket still says the old one).
    const Run listed = runPipescope({QStringLiteral("list")});
    QCOMPARE(listed.exitCode, 0);
    const QStringList rows = listed.out.split(QLatin1Char('\n'));
    const auto rowsNaming = [&rows](const QString &name) {
        return std::count_if(rows.cbegin(), rows.cend(),
                             [&name](const QString &row) { return row.endsWith(QLatin1Char(' ') + name); });
    };
    QVERIFY2(rowsNaming(path) == 1 && rowsNaming(moved) == 1, qPrintable(listed.out));
    // The connection made before still reaches the server, unseen.
    QVERIFY(!before.value()->write("old").isError());
    QVERIFY(before.value()->waitReadable(10000));
    PipeScope::Native::StringSink sink;
    QCOMPARE(before.value()->read(sink).status, PipeScope::Native::ReadStatus::Data);
    QCOMPARE(sink.bytes, std::string("old"));
    const Run through = runPipescope({QStringLiteral("send"), path, QStringLiteral("new")});
    QVERIFY2(through.exitCode == 0, qPrintable(through.err));
    QVERIFY(through.out.contains(QLatin1String("<- 3 B  \"new\"")));
    QVERIFY(monitor.finish());
    QCOMPARE(monitor.process().exitCode(), 0);
    const QString lines = monitor.output();
    QVERIFY2(lines.contains(QLatin1String("c->s 3 B")) && !lines.contains(QLatin1String("\"old\"")), qPrintable(lines));
    QVERIFY2(monitor.errors().contains(QStringLiteral("put back ") + path), qPrintable(monitor.errors()));
    QVERIFY(!QFileInfo::exists(moved));
    // The record names the monitor, and the moved socket it passed clients on to.
    const Recorded recorded(session);
    QVERIFY2(recorded.load.ok, qPrintable(recorded.load.error));
    QCOMPARE(recorded.load.header.endpoints.size(), 1);
    QVERIFY(recorded.load.header.endpoints[0].server.interpose);
    QCOMPARE(recorded.load.header.endpoints[0].server.relayTo->name, moved);
    const Run direct = runPipescope({QStringLiteral("send"), path, QStringLiteral("direct")});
    // Straight to the server again: its own pid is the peer.
    QVERIFY2(direct.exitCode == 0 && direct.err.contains(QStringLiteral("pid %1,").arg(server.process().processId())),
             qPrintable(direct.err));

    // Killed, the monitor cannot put it back: the next one refuses until
    // --restore has.
    {
        ServeProcess killed({path, QStringLiteral("--interpose")}, {}, QStringLiteral("monitor"));
        QVERIFY2(killed.waitListening(), qPrintable(killed.errors()));
        const Run whileRunning = runPipescope({QStringLiteral("monitor"), path, QStringLiteral("--restore")});
        QCOMPARE(whileRunning.exitCode, 1);
        QVERIFY2(whileRunning.err.contains(QLatin1String("a process still listens on it")), qPrintable(whileRunning.err));
        killed.process().kill();
        QVERIFY(killed.finish());
    }
    QVERIFY(QFileInfo::exists(moved));
    const Run again = runPipescope({QStringLiteral("monitor"), path, QStringLiteral("--interpose")});
    QCOMPARE(again.exitCode, 1);
    QVERIFY2(again.err.contains(QStringLiteral("pipescope monitor --restore ") + path), qPrintable(again.err));
    const Run restore = runPipescope({QStringLiteral("monitor"), path, QStringLiteral("--restore")});
    QVERIFY2(restore.exitCode == 0, qPrintable(restore.err));
    QVERIFY(!QFileInfo::exists(moved));
    const Run afterRestore = runPipescope({QStringLiteral("send"), path, QStringLiteral("back")});
    QVERIFY2(afterRestore.exitCode == 0, qPrintable(afterRestore.err));
    const Run nothing = runPipescope({QStringLiteral("monitor"), path, QStringLiteral("--restore")});
    QCOMPARE(nothing.exitCode, 1);
    QVERIFY2(nothing.err.contains(QLatin1String("nothing to put back")), qPrintable(nothing.err));

    // What cannot be moved aside.
    const Run abstract = runPipescope({QStringLiteral("monitor"), QStringLiteral("@") + uniqueName("abs"),
                                       QStringLiteral("--interpose")});
    QCOMPARE(abstract.exitCode, 1);
    QVERIFY2(abstract.err.contains(QLatin1String("an abstract name has no file to move aside")), qPrintable(abstract.err));
    const QString file = m_runtime.path() + QLatin1Char('/') + uniqueName("plain");
    QVERIFY(writeFile(file, "not a socket"));
    const Run notSocket = runPipescope({QStringLiteral("monitor"), file, QStringLiteral("--interpose")});
    QCOMPARE(notSocket.exitCode, 1);
    QVERIFY2(notSocket.err.contains(QLatin1String("not a socket")), qPrintable(notSocket.err));
    const Run bothWays = runPipescope({QStringLiteral("monitor"), path, QStringLiteral("--interpose"),
                                       QStringLiteral("--to"), QStringLiteral("x")});
    QCOMPARE(bothWays.exitCode, 2);
    before.value()->close(0);
}
#endif

void tst_Cli::sendRecordsTheClientsSide()
{
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("client.pipescope"));
    const QString name = uniqueName("sendrecord");
    ServeProcess serve({name, QStringLiteral("--echo"), QStringLiteral("--count"), QStringLiteral("2")});
    QVERIFY2(serve.waitListening(), qPrintable(serve.errors()));
    const Run send = runPipescope({QStringLiteral("send"), name, QStringLiteral("one"), QStringLiteral("two"),
                                   QStringLiteral("--record"), file});
    QVERIFY2(send.exitCode == 0, qPrintable(send.err));
    const Recorded session(file);
    QVERIFY2(session.load.ok && session.load.warning.isEmpty(), qPrintable(session.load.error + session.load.warning));
    QCOMPARE(session.load.header.endpoints.size(), 1);
    QCOMPARE(session.load.header.endpoints[0].kind, PipeScope::SessionEndpoint::Kind::Client);
    QCOMPARE(session.load.header.endpoints[0].client.name, name);
    QCOMPARE(session.count(PipeScope::EventKind::Connected), 1);
    QCOMPARE(session.count(PipeScope::EventKind::Disconnected), 1);
    QCOMPARE(session.payloads(PipeScope::Direction::Out), (QList<QByteArray>{"one", "two"}));
    QCOMPARE(session.payloads(PipeScope::Direction::In), (QList<QByteArray>{"one", "two"}));
    QVERIFY(serve.finish());

    // A file that cannot be written is refused before connecting.
    const Run bad = runPipescope({QStringLiteral("send"), name, QStringLiteral("x"), QStringLiteral("--record"),
                                  dir.filePath(QStringLiteral("no/such/dir/x.pipescope"))});
    QCOMPARE(bad.exitCode, 1);
    QVERIFY2(bad.err.contains(QLatin1String("cannot record to")), qPrintable(bad.err));
    QVERIFY2(!bad.err.contains(QLatin1String("connected to")), qPrintable(bad.err));
}

void tst_Cli::replayChecksRepliesAndExits012()
{
    // A session written by hand, as the format allows: two exchanges, the
    // second answered with a timestamp that changes from run to run.
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("script.pipescope"));
    QVERIFY(writeFile(file, R"({"pipescope-session":1,"endpoints":[{"id":1,"kind":"client","name":"x"}]})" "\n"
                            R"({"t":1000000000,"e":1,"dir":"out","text":"GET 42"})" "\n"
                            R"({"t":1001000000,"e":1,"dir":"in","text":"item 42"})" "\n"
                            R"({"t":1002000000,"e":1,"dir":"out","text":"TIME"})" "\n"
                            R"({"t":1003000000,"e":1,"dir":"in","text":"now 12:00:00"})" "\n"));
    // The server under test echoes, which is not what was recorded.
    const QString name = uniqueName("replay");
    ServeProcess serve({name, QStringLiteral("--echo")});
    QVERIFY2(serve.waitListening(), qPrintable(serve.errors()));

    // Its answers differ: exit 1, with each difference.
    Run run = runPipescope({QStringLiteral("replay"), file, QStringLiteral("--pipe"), name, QStringLiteral("--check"),
                            QStringLiteral("--speed"), QStringLiteral("10")});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains(QLatin1String("MISMATCH client 1 (x), message 1, reply 1:")), qPrintable(run.err));
    QVERIFY2(run.err.contains(QLatin1String("expected: \"item 42\" (7 B)")), qPrintable(run.err));
    QVERIFY2(run.err.contains(QLatin1String("got: \"GET 42\" (6 B)")), qPrintable(run.err));
    QVERIFY2(run.err.contains(QLatin1String("2 messages sent; 0 replies matched, 2 differed")), qPrintable(run.err));
    QVERIFY2(run.out.contains(QLatin1String("-> 6 B  \"GET 42\"")), qPrintable(run.out));

    // Ignoring every letter and digit, echo and record differ only in length.
    run = runPipescope({QStringLiteral("replay"), file, QStringLiteral("--pipe"), name, QStringLiteral("--check"),
                        QStringLiteral("--fast"), QStringLiteral("--ignore"), QStringLiteral("[\\w: ]+")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY2(run.err.contains(QLatin1String("2 replies matched, 0 differed")), qPrintable(run.err));

    // A message recorded without a reply, answered now: a difference.
    const QString unanswered = dir.filePath(QStringLiteral("unanswered.pipescope"));
    QVERIFY(writeFile(unanswered, R"({"pipescope-session":1,"endpoints":[{"id":1,"kind":"client","name":"x"}]})" "\n"
                                  R"({"t":1000000000,"e":1,"dir":"out","text":"NOTE"})" "\n"));
    run = runPipescope({QStringLiteral("replay"), unanswered, QStringLiteral("--pipe"), name, QStringLiteral("--check")});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains(QLatin1String("MISMATCH client 1 (x), message 1: 1 reply more than recorded:")),
             qPrintable(run.err));
    QVERIFY2(run.err.contains(QLatin1String("got: \"NOTE\" (4 B)")), qPrintable(run.err));
    QVERIFY2(run.err.contains(QLatin1String("0 replies matched, 1 differed")), qPrintable(run.err));

    // Without --check the replies are printed and it exits 0.
    run = runPipescope({QStringLiteral("replay"), file, QStringLiteral("--pipe"), name, QStringLiteral("--fast"),
                        QStringLiteral("--repeat"), QStringLiteral("2")});
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(run.out.count(QStringLiteral("<- 4 B  \"TIME\"")), 2);

    // Errors exit 2: no such pipe, a corrupt file, bad arguments.
    run = runPipescope({QStringLiteral("replay"), file, QStringLiteral("--pipe"), uniqueName("absent"),
                        QStringLiteral("--wait"), QStringLiteral("50")});
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains(QLatin1String("no pipe of this name exists")), qPrintable(run.err));
    const QString corrupt = dir.filePath(QStringLiteral("corrupt.pipescope"));
    QVERIFY(writeFile(corrupt, R"({"pipescope-session":1})" "\n" R"({"t":1,"e":1,"dir":"out","b64":"%%"})" "\n"));
    run = runPipescope({QStringLiteral("replay"), corrupt, QStringLiteral("--pipe"), name});
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains(QLatin1String("corrupt.pipescope: line 2: \"b64\" is not valid base64")), qPrintable(run.err));
    run = runPipescope({QStringLiteral("replay"), file});
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains(QLatin1String("--pipe")), qPrintable(run.err));
}

void tst_Cli::replayAsAServerAnswersAsRecorded()
{
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("client.pipescope"));
    // Recorded by a client: what it sent (out) and what came back (in).
    QVERIFY(writeFile(file, R"({"pipescope-session":1,"endpoints":[{"id":2,"kind":"client","name":"x"}]})" "\n"
                            R"({"t":1000,"e":2,"dir":"out","text":"GET 42"})" "\n"
                            R"({"t":2000,"e":2,"dir":"in","text":"item 42"})" "\n"
                            R"({"t":3000,"e":2,"dir":"in","text":"and more"})" "\n"
                            R"({"t":4000,"e":2,"dir":"out","text":"TIME"})" "\n"
                            R"({"t":5000,"e":2,"dir":"in","b64":"AAE="})" "\n"));
    for (const bool same : {true, false}) {
        const QString name = uniqueName("asserver");
        QProcess replay;
        replay.start(kExecutable, {QStringLiteral("replay"), file, QStringLiteral("--serve"), name, QStringLiteral("--check")});
        replay.setReadChannel(QProcess::StandardError);
        QByteArray said;
        while (!said.contains("as a server on") && replay.waitForReadyRead(10000))
            said += replay.readAllStandardError();
        QVERIFY2(said.contains("as a server on"), said.constData());
        if (same) {
            // The same session replayed as the client: both sides check,
            // and each message gets its recorded replies, in order.
            const Run client = runPipescope({QStringLiteral("replay"), file, QStringLiteral("--pipe"), name,
                                             QStringLiteral("--check"), QStringLiteral("--fast")});
            QVERIFY2(client.exitCode == 0, qPrintable(client.err));
            QVERIFY2(client.err.contains(QLatin1String("3 replies matched, 0 differed")), qPrintable(client.err));
            QVERIFY2(client.out.contains(QLatin1String("<- 2 B  00 01")), qPrintable(client.out));
        } else {
            const Run client = runPipescope({QStringLiteral("send"), name, QStringLiteral("GET 43")});
            QVERIFY2(client.exitCode == 0, qPrintable(client.err));
            QVERIFY2(client.out.contains(QLatin1String("<- 7 B  \"item 42\"")), qPrintable(client.out));
        }
        // One client served: it ends, 0 when the client said what was recorded.
        QVERIFY(replay.waitForFinished(10000));
        const QString errors = QString::fromUtf8(said + replay.readAllStandardError());
        QCOMPARE(replay.exitCode(), same ? 0 : 1);
        if (same) {
            QVERIFY2(errors.contains(QLatin1String("2 messages received; 2 matched, 0 differed")), qPrintable(errors));
        } else {
            QVERIFY2(errors.contains(QLatin1String("MISMATCH client #1, conversation 1, message 1:")), qPrintable(errors));
            QVERIFY2(errors.contains(QLatin1String("first difference at byte 5")), qPrintable(errors));
            // It sent one of the two recorded messages, then left.
            QVERIFY2(errors.contains(QLatin1String("got: nothing (the client left after 1 of 2 messages)")),
                     qPrintable(errors));
            QVERIFY2(errors.contains(QLatin1String("1 messages received; 0 matched, 2 differed")), qPrintable(errors));
        }
    }
    // --pipe and --serve exclude each other.
    const Run both = runPipescope({QStringLiteral("replay"), file, QStringLiteral("--pipe"), QStringLiteral("a"),
                                   QStringLiteral("--serve"), QStringLiteral("b")});
    QCOMPARE(both.exitCode, 2);
}

void tst_Cli::recordingSurvivesAKill()
{
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("killed.pipescope"));
    const QString name = uniqueName("killed");
    ServeProcess serve({name, QStringLiteral("--echo"), QStringLiteral("--record"), file});
    QVERIFY2(serve.waitListening(), qPrintable(serve.errors()));
    const Run send = runPipescope({QStringLiteral("send"), name, QStringLiteral("one"), QStringLiteral("two"),
                                   QStringLiteral("three")});
    QVERIFY2(send.exitCode == 0, qPrintable(send.err));
    // Once serve has reported the last message, it is in the file: kill it
    // then, without a chance to close anything.
    QTRY_VERIFY2(serve.output().contains(QLatin1String("\"three\"")), qPrintable(serve.output()));
    // SIGKILL on Unix, TerminateProcess on Windows.
    serve.process().kill();
    QVERIFY(serve.finish());
    const Recorded session(file);
    QVERIFY2(session.load.ok, qPrintable(session.load.error));
    QCOMPARE(session.payloads(PipeScope::Direction::In), (QList<QByteArray>{"one", "two", "three"}));
}

namespace {

// Connects to `name` and sends `count` messages, each once the echo of the
// one before came back; the messages whose echo came back.
QList<QByteArray> echoRoundTrips(const QString &name, int count)
{
    namespace Native = PipeScope::Native;
    QList<QByteArray> echoed;
    auto connection = Native::connectToPipe(Native::PipeName::parse(name.toStdString()).value(), {});
    if (!connection)
        return echoed;
    Native::Connection &c = *connection.value();
    for (int i = 0; i < count; ++i) {
        const QByteArray message = "message " + QByteArray::number(i) + QByteArray(100, 'x');
        if (c.write(std::string_view(message.constData(), std::size_t(message.size()))).isError() ||
            c.flushBlocking(5000).isError())
            return echoed;
        Native::StringSink sink;
        Native::ReadResult r;
        while ((r = c.read(sink)).status == Native::ReadStatus::WouldBlock)
            if (!c.waitReadable(5000))
                return echoed;
        if (r.status != Native::ReadStatus::Data || QByteArray::fromStdString(sink.bytes) != message)
            return echoed;
        echoed << message;
    }
    return echoed;
}

} // namespace

// Write-ahead: a message is in the record before its echo leaves, so a
// serve killed the moment the client saw its last echo has every one.
void tst_Cli::killedServeLosesNothingItAnswered()
{
    QTemporaryDir dir;
    for (int trial = 0; trial < 3; ++trial) {
        const QString file = dir.filePath(QStringLiteral("killed-%1.pipescope").arg(trial));
        const QString name = uniqueName("write-ahead");
        ServeProcess serve({name, QStringLiteral("--echo"), QStringLiteral("--record"), file});
        QVERIFY2(serve.waitListening(), qPrintable(serve.errors()));
        const QList<QByteArray> echoed = echoRoundTrips(name, 300);
        serve.process().kill(); // at once: SIGKILL on Unix, TerminateProcess on Windows
        QVERIFY(serve.finish());
        QCOMPARE(echoed.size(), 300);
        const Recorded session(file);
        QVERIFY2(session.load.ok, qPrintable(session.load.error));
        QCOMPARE(session.payloads(PipeScope::Direction::In), echoed);
        QCOMPARE(session.payloads(PipeScope::Direction::Out), echoed);
#ifdef Q_OS_UNIX
        // Captured traffic is the user's alone (Windows: the profile's ACL).
        QCOMPARE(QFileInfo(file).permissions() & (QFile::ReadOther | QFile::ReadGroup | QFile::WriteOther),
                 QFile::Permissions());
#endif
    }
}

#ifdef Q_OS_WIN
namespace {

// The Microsoft-style sample programs (tests/native/win32), built beside
// this test.
QString sample(const char *program)
{
    return QCoreApplication::applicationDirPath() + QLatin1Char('/') + QLatin1String(program) + QStringLiteral(".exe");
}

// The sample server, running until the test ends.
class SampleServer
{
public:
    explicit SampleServer(const QString &pipe)
    {
        m_process.start(sample("sample_server"), {pipe});
        m_started = m_process.waitForStarted(10000);
    }
    ~SampleServer()
    {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
    // Started, and its pipe exists.
    bool ready(const QString &pipe)
    {
        const auto address = PipeScope::Native::resolvePipeName(
            PipeScope::Native::PipeName::parse(pipe.toStdString()).value(), PipeScope::Native::Convention::PipeScope);
        for (int i = 0; m_started && i < 100; ++i) {
            if (PipeScope::Native::pipeExists(address.value()))
                return true;
            QTest::qWait(50);
        }
        return false;
    }

private:
    QProcess m_process;
    bool m_started = false;
};

} // namespace

void tst_Cli::theSampleServerAnswersSend()
{
    const QString pipe = QStringLiteral("\\\\.\\pipe\\") + uniqueName("sample-server");
    SampleServer server(pipe);
    QVERIFY(server.ready(pipe));
    // What the sample client sends: TCHAR text with its NUL.
    const Run send = runPipescope({QStringLiteral("send"), pipe, QStringLiteral("Default message from client"),
                                   QStringLiteral("--utf16"), QStringLiteral("--nul")});
    QVERIFY2(send.exitCode == 0, qPrintable(send.err));
    QVERIFY2(send.out.contains(QLatin1String("-> 56 B  u\"Default message from client\\0\"")), qPrintable(send.out));
    QVERIFY2(send.out.contains(QLatin1String("<- 54 B  u\"Default answer from server\\0\"")), qPrintable(send.out));
    QVERIFY2(send.err.contains(QLatin1String("process sample_server.exe")), qPrintable(send.err));
}

void tst_Cli::theSampleClientReadsServesLongReplyInParts()
{
    const QString name = uniqueName("sample-client");
    // 3000 bytes: the sample client reads 512 TCHARs (1024 bytes) at a time,
    // so the reply arrives through its ERROR_MORE_DATA loop in 3 parts.
    const QString reply = QString(3000, QLatin1Char('r'));
    ServeProcess serve({name, QStringLiteral("--reply"), reply, QStringLiteral("--count"), QStringLiteral("1")});
    QVERIFY2(serve.waitListening(), qPrintable(serve.errors()));
    QProcess client;
    client.start(sample("sample_client"), {QStringLiteral("\\\\.\\pipe\\") + name, QStringLiteral("hello"),
                                           QStringLiteral("3000")});
    QVERIFY(client.waitForFinished(20000));
    const QString said = QString::fromLocal8Bit(client.readAllStandardOutput() + client.readAllStandardError());
    QVERIFY2(client.exitCode() == 0, qPrintable(said));
    QVERIFY2(said.contains(QLatin1String("reply: 3000 bytes in 3 parts")), qPrintable(said));
    QVERIFY(serve.finish());
    QCOMPARE(serve.process().exitCode(), 0);
    QVERIFY2(serve.output().contains(QLatin1String("<- 12 B  u\"hello\\0\"")), qPrintable(serve.output()));
    QVERIFY2(serve.output().contains(QLatin1String("-> 3000 B")), qPrintable(serve.output()));
}

// Windows (a): the monitor starts on the name the client uses, before the
// server, and the server on another name. Microsoft-style programs on
// both sides, neither knowing of PipeScope: the client's message and the
// server's answer pass whole, the client's ERROR_MORE_DATA loop included.
// (--interpose is Linux's: a pipe name cannot be renamed.)
void tst_Cli::theSamplesTalkThroughAMonitor()
{
    const QString name = uniqueName("watched");
    const QString pipe = QStringLiteral("\\\\.\\pipe\\") + name;
    ServeProcess monitor({name, QStringLiteral("--to"), pipe + QStringLiteral(".real"), QStringLiteral("--count"),
                          QStringLiteral("2")},
                         {}, QStringLiteral("monitor"));
    QVERIFY2(monitor.waitListening(), qPrintable(monitor.errors()));
    SampleServer server(pipe + QStringLiteral(".real"));
    QVERIFY(server.ready(pipe + QStringLiteral(".real")));
    QProcess client;
    // The sample server answers with 54 bytes ("Default answer from server").
    client.start(sample("sample_client"), {pipe, QStringLiteral("Default message from client"), QStringLiteral("54")});
    QVERIFY(client.waitForFinished(30000));
    const QString said = QString::fromLocal8Bit(client.readAllStandardOutput() + client.readAllStandardError());
    QVERIFY2(client.exitCode() == 0, qPrintable(said));
    QVERIFY(monitor.finish(30000));
    QCOMPARE(monitor.process().exitCode(), 0);
    const QString lines = monitor.output();
    for (const char *expected : {"c->s 56 B (passed on in", "u\"Default message from client\\0\"",
                                 "s->c 54 B (passed on in", "u\"Default answer from server\\0\"",
                                 "process sample_client.exe", "process sample_server.exe"})
        QVERIFY2(lines.contains(QLatin1String(expected)), qPrintable(QLatin1String(expected) + u'\n' + lines));
}

// Windows (b): the server runs already; the monitor adds instances to its
// pipe, as pipe-intercept does. Clients are served first come, first
// served by the listening instances, so some reach the monitor and some
// the server directly — every one must be answered, and the monitor must
// have seen some of them. What cannot work is refused.
void tst_Cli::theMonitorAddsInstancesToTheSampleServersPipe()
{
    const QString pipe = QStringLiteral("\\\\.\\pipe\\") + uniqueName("shared");
    const Run early = runPipescope({QStringLiteral("monitor"), pipe, QStringLiteral("--interpose")});
    QCOMPARE(early.exitCode, 1);
    QVERIFY2(early.err.contains(QLatin1String("no server has this pipe")), qPrintable(early.err));
    SampleServer server(pipe);
    QVERIFY(server.ready(pipe));
    ServeProcess monitor({pipe, QStringLiteral("--interpose")}, {}, QStringLiteral("monitor"));
    QVERIFY2(monitor.waitListening(), qPrintable(monitor.errors()));
    QVERIFY2(monitor.errors().contains(QLatin1String("adding instances to the server's pipe")), qPrintable(monitor.errors()));
    for (int i = 0; i < 6; ++i) {
        QProcess client;
        client.start(sample("sample_client"), {pipe, QStringLiteral("message %1").arg(i), QStringLiteral("54")});
        QVERIFY(client.waitForFinished(30000));
        const QString said = QString::fromLocal8Bit(client.readAllStandardOutput() + client.readAllStandardError());
        QVERIFY2(client.exitCode() == 0, qPrintable(said));
    }
    // Which instance a client reaches is the system's choice, so how many
    // go through the monitor is not fixed; each that does is passed on
    // whole: its own message one way, the server's answer back (printed
    // once the monitor has read both).
    const auto count = [&](const QString &what) { return int(monitor.output().count(what)); };
    QTRY_VERIFY2_WITH_TIMEOUT(count(QStringLiteral("c->s ")) >= 1,
                              qPrintable(QStringLiteral("no client went through the monitor:\n") + monitor.output()),
                              10000);
    QTRY_COMPARE_WITH_TIMEOUT(count(QStringLiteral("s->c 54 B")), count(QStringLiteral("c->s ")), 10000);
    const QString lines = monitor.output();
    const int seen = count(QStringLiteral("c->s "));
    int named = 0;
    for (int i = 0; i < 6; ++i) {
        const int times = int(lines.count(QStringLiteral("u\"message %1\\0\"").arg(i)));
        QVERIFY2(times <= 1, qPrintable(lines));
        named += times;
    }
    QVERIFY2(named == seen, qPrintable(lines));
    const Run restore = runPipescope({QStringLiteral("monitor"), pipe, QStringLiteral("--restore")});
    QCOMPARE(restore.exitCode, 1);
    QVERIFY2(restore.err.contains(QLatin1String("nothing is moved on Windows")), qPrintable(restore.err));
}

void tst_Cli::replayChecksAgainstTheSampleServer()
{
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("sample.pipescope"));
    const QString pipe = QStringLiteral("\\\\.\\pipe\\") + uniqueName("recorded");
    SampleServer server(pipe);
    QVERIFY(server.ready(pipe));
    // Recorded by the client side, against the sample server.
    const Run send = runPipescope({QStringLiteral("send"), pipe, QStringLiteral("first"), QStringLiteral("second"),
                                   QStringLiteral("--utf16"), QStringLiteral("--nul"), QStringLiteral("--record"), file});
    QVERIFY2(send.exitCode == 0, qPrintable(send.err));
    const Recorded session(file);
    QVERIFY2(session.load.ok, qPrintable(session.load.error));
    QCOMPARE(session.payloads(PipeScope::Direction::In).size(), 2);

    // Against the same server: every reply as recorded.
    Run replay = runPipescope({QStringLiteral("replay"), file, QStringLiteral("--pipe"), pipe, QStringLiteral("--check"),
                               QStringLiteral("--fast")});
    QVERIFY2(replay.exitCode == 0, qPrintable(replay.err));
    QVERIFY2(replay.err.contains(QLatin1String("2 replies matched, 0 differed")), qPrintable(replay.err));

    // Against a server that answers otherwise: a mismatch, exit 1.
    const QString other = uniqueName("other");
    ServeProcess echo({other, QStringLiteral("--echo")});
    QVERIFY2(echo.waitListening(), qPrintable(echo.errors()));
    replay = runPipescope({QStringLiteral("replay"), file, QStringLiteral("--pipe"), other, QStringLiteral("--check"),
                           QStringLiteral("--fast")});
    QVERIFY2(replay.exitCode == 1, qPrintable(QStringLiteral("exit code %1: %2").arg(replay.exitCode).arg(replay.err)));
    QVERIFY2(replay.err.contains(QLatin1String("0 replies matched, 2 differed")), qPrintable(replay.err));
}

void tst_Cli::theConsoleCompanionIsWhatCmdRuns()
{
    // The PE header's Subsystem: 2 is a GUI program (no console window
    // from Explorer), 3 a console one (output in cmd.exe, which waits).
    const auto subsystem = [](const QString &path) -> int {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return -1;
        const QByteArray image = file.read(4096);
        if (image.size() < 0x40 || !image.startsWith("MZ"))
            return -1;
        const quint32 pe = qFromLittleEndian<quint32>(image.constData() + 0x3c);
        // "PE\0\0", the 20-byte file header, then Subsystem at 68 into the optional header.
        const qsizetype at = qsizetype(pe) + 4 + 20 + 68;
        if (at + 2 > image.size() || image.mid(pe, 4) != QByteArray("PE\0\0", 4))
            return -1;
        return qFromLittleEndian<quint16>(image.constData() + at);
    };
    const QFileInfo console(kExecutable);
    QCOMPARE(console.suffix(), QStringLiteral("com"));
    QCOMPARE(subsystem(console.absoluteFilePath()), 3);
    QCOMPARE(subsystem(console.absolutePath() + QStringLiteral("/pipescope.exe")), 2);

    // Typed as `pipescope` in cmd.exe: .COM comes before .EXE in PATHEXT,
    // the output arrives in the console and the exit code is returned.
    QVERIFY2(qEnvironmentVariable("PATHEXT").toUpper().indexOf(QLatin1String(".COM")) <
                 qEnvironmentVariable("PATHEXT").toUpper().indexOf(QLatin1String(".EXE")),
             qPrintable(qEnvironmentVariable("PATHEXT")));
    const QString name = uniqueName("cmd");
    ServeProcess serve({name, QStringLiteral("--echo"), QStringLiteral("--count"), QStringLiteral("1")});
    QVERIFY2(serve.waitListening(), qPrintable(serve.errors()));
    QProcess cmd;
    cmd.setWorkingDirectory(console.absolutePath());
    cmd.start(QStringLiteral("cmd.exe"), {QStringLiteral("/c"), QStringLiteral("pipescope send %1 hello").arg(name)});
    QVERIFY(cmd.waitForFinished(20000));
    QCOMPARE(cmd.exitCode(), 0);
    QVERIFY2(cmd.readAllStandardOutput().contains("<- 5 B  \"hello\""), "the reply in cmd's console");
    cmd.start(QStringLiteral("cmd.exe"), {QStringLiteral("/c"), QStringLiteral("pipescope send %1 x").arg(uniqueName("absent"))});
    QVERIFY(cmd.waitForFinished(20000));
    QCOMPARE(cmd.exitCode(), 1);
    QVERIFY2(cmd.readAllStandardError().contains("ERROR_FILE_NOT_FOUND"), "the reason in cmd's console");
}

void tst_Cli::ctrlCStopsServeCleanly()
{
    // serve in a console of its own, as a user's cmd.exe would run it.
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("ctrlc.pipescope"));
    const QString name = uniqueName("ctrlc");
    QProcess serve;
    serve.setCreateProcessArgumentsModifier(
        [](QProcess::CreateProcessArguments *arguments) { arguments->flags |= CREATE_NEW_CONSOLE; });
    serve.start(kExecutable, {QStringLiteral("serve"), name, QStringLiteral("--record"), file});
    QVERIFY(serve.waitForStarted(10000));
    QByteArray said;
    while (!said.contains("listening on") && serve.waitForReadyRead(10000))
        said += serve.readAllStandardError();
    QVERIFY2(said.contains("listening on"), said.constData());
    const Run send = runPipescope({QStringLiteral("send"), name, QStringLiteral("last words"), QStringLiteral("--no-reply")});
    QVERIFY2(send.exitCode == 0, qPrintable(send.err));
    // Recorded as it came: in the file before the interrupt.
    const auto recorded = [&file] { return Recorded(file).payloads(PipeScope::Direction::In); };
    QTRY_COMPARE(recorded(), QList<QByteArray>{"last words"});

    // Ctrl+C in that console: join it for the moment of the keypress,
    // without this process taking the event itself.
    FreeConsole();
    QVERIFY2(AttachConsole(DWORD(serve.processId())), qPrintable(QString::number(GetLastError())));
    SetConsoleCtrlHandler(nullptr, TRUE);
    const bool sent = GenerateConsoleCtrlEvent(CTRL_C_EVENT, 0);
    FreeConsole();
    QVERIFY2(sent, qPrintable(QString::number(GetLastError())));
    QVERIFY(serve.waitForFinished(10000));
    SetConsoleCtrlHandler(nullptr, FALSE);
    QCOMPARE(serve.exitStatus(), QProcess::NormalExit);
    QCOMPARE(serve.exitCode(), 0);
    QVERIFY2(serve.readAllStandardOutput().contains("\"last words\""), "its events were printed");
    const Recorded session(file);
    QVERIFY2(session.load.ok, qPrintable(session.load.error));
    QCOMPARE(session.count(PipeScope::EventKind::Disconnected), 1);
}

// --server-user on Windows: an account, DOMAIN\NAME or NAME, compared
// with the account the server's process runs as, before anything is sent.
void tst_Cli::serverUserNamesAnAccount()
{
    const QString name = uniqueName("account");
    ServeProcess serve({name});
    QVERIFY2(serve.waitListening(), qPrintable(serve.errors()));
    const Run plain = runPipescope({QStringLiteral("send"), name, QStringLiteral("who"), QStringLiteral("--no-reply")});
    QVERIFY2(plain.exitCode == 0, qPrintable(plain.err));
    // "connected to … (message pipe, pid 32, user VM\root, process …)"
    const QRegularExpressionMatch user = QRegularExpression(QStringLiteral(", user ([^,]+),")).match(plain.err);
    QVERIFY2(user.hasMatch(), qPrintable(plain.err));
    const QString account = user.captured(1);
    const QString bare = account.section(QLatin1Char('\\'), -1);
    for (const QString &accepted : {account, bare.toUpper()}) {
        const Run ok = runPipescope({QStringLiteral("send"), name, QStringLiteral("ok"), QStringLiteral("--no-reply"),
                                     QStringLiteral("--server-user"), accepted});
        QVERIFY2(ok.exitCode == 0, qPrintable(accepted + QLatin1Char(' ') + ok.err));
    }
    const Run refused = runPipescope({QStringLiteral("send"), name, QStringLiteral("secret"), QStringLiteral("--no-reply"),
                                      QStringLiteral("--server-user"), QStringLiteral("someone-else")});
    QCOMPARE(refused.exitCode, 1);
    QVERIFY2(refused.err.contains(QStringLiteral("the server runs as %1").arg(account)) &&
                 refused.err.contains(QLatin1String("not as someone-else")),
             qPrintable(refused.err));
    QTRY_VERIFY2(serve.output().count(QLatin1String("\"ok\"")) == 2, qPrintable(serve.output()));
    QVERIFY(!serve.output().contains(QLatin1String("secret")));
}

#endif

PIPESCOPE_TEST_GUILESS_MAIN(tst_Cli)
#include "tst_cli.moc"
