// The crash journal across processes: the real `pipescope` window captures
// traffic and is killed outright (SIGKILL; TerminateProcess on Windows);
// the next start offers what it had captured, and recovers all of it.
#include "mainwindow.h"
#include "nativepipe.h"
#include "pipename.h"
#include "profile.h"
#include "sessionformat.h"
#include "sessionjournal.h"
#include "samplescenario.h"
#include "sessionload.h"
#include "settingskeys.h"
#include "testmain.h"
#include "trafficstore.h"
#include "uniquename.h"
#include "windowtesting.h"
#include "workspace.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QMessageBox>
#include <QPointer>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace PipeScope;
using namespace PipeScopeTest;

namespace {

const QString kExecutable = QStringLiteral(PIPESCOPE_EXECUTABLE);

// The data events a journal holds so far (-1 while it has no header).
int journalledMessages(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return -1;
    SessionReader reader(&file);
    SessionHeader header;
    if (!reader.readHeader(header))
        return -1;
    TrafficEvent e;
    int messages = 0;
    while (reader.next(e) == SessionReader::Status::Event)
        messages += e.kind == EventKind::Data;
    return messages;
}

// Whether a pipe of this name is listening (PipeScope's convention).
bool listening(const QString &name)
{
    const auto address = Native::resolvePipeName(Native::PipeName::parse(name.toStdString()).value(),
                                                 Native::Convention::PipeScope);
    return address && Native::pipeExists(address.value());
}

// The window started as a program, serving on pipe `name`; false if it did
// not start or is not listening within ten seconds.
bool startServingWindow(QProcess &window, const QString &name)
{
    window.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    window.start(kExecutable, {QStringLiteral("--server"), name});
    return window.waitForStarted(10000) && QTest::qWaitFor([&] { return listening(name); }, 10000);
}

} // namespace

class tst_CrashRecovery : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void initTestCase();
    void theJournalRecordsSettingsChangesAsTheyHappen();
    void everythingCapturedIsInTheJournalAsItHappens();
    void aCrashedRunsJournalIsOfferedAtTheNextStart();
    void aJournalOfferedIsLetGoWhenTheWindowCloses();
    void aRecoveredJournalOpensAsAWindowOfItsEvents();
    void closingARecoveredWindowAsksAndDiscardRemovesTheFile();
    void killedWindowIsRecoveredWhole();
#ifdef Q_OS_UNIX
    void aSignalEndsTheWindowCleanlyAndKeepsItsJournal();
#endif
#ifdef Q_OS_LINUX
    void aSocketAKilledMonitorMovedIsOfferedBack();
#endif

private:
    QTemporaryDir m_home;
};

void tst_CrashRecovery::initTestCase()
{
    QVERIFY(m_home.isValid());
    // The window under test and this process share the same private
    // settings, journal directory and pipe directory, and the same names,
    // so both look in the same place.
    qputenv("XDG_RUNTIME_DIR", m_home.path().toLocal8Bit());
    qputenv(Profile::kEnvironmentVariable, m_home.path().toLocal8Bit());
    Profile::useFromEnvironment();
    QCoreApplication::setOrganizationName(QStringLiteral("PipeScope"));
    QCoreApplication::setApplicationName(QStringLiteral("PipeScope"));
}

void tst_CrashRecovery::init()
{
    // Each test from the same settings: no sample offered, saving asked.
    PipeScopeTest::failOnUnexpectedWarnings();
    QSettings().clear();
    QSettings().setValue(QLatin1String(SettingsKeys::kOfferSample), false);
}

void tst_CrashRecovery::theJournalRecordsSettingsChangesAsTheyHappen()
{
    MainWindow window;
    window.show();
    QVERIFY(window.journal());
    Workspace *workspace = window.workspace();
    ServerConfig server;
    server.name = uniqueName("changes");
    server.autoReply = AutoReply::Fixed;
    server.replyBytes = "first";
    const quint32 id = workspace->addServer(server);
    QTRY_COMPARE(workspace->endpoint(id)->state, Workspace::State::Listening);
    workspace->stop(id);
    QTRY_COMPARE(workspace->endpoint(id)->state, Workspace::State::Stopped);
    server.autoReply = AutoReply::Echo;
    QVERIFY(workspace->reconfigure(id, server));
    workspace->restart(id);
    QTRY_COMPARE(workspace->endpoint(id)->state, Workspace::State::Listening);
    // The journal, as a recovery would read it: fixed first, then echo
    // from when it ran so.
    const auto loaded = [&] {
        QFile file(window.journal()->path());
        TrafficStore store;
        return file.open(QIODevice::ReadOnly) ? loadSession(&file, store) : SessionLoad();
    };
    QTRY_COMPARE(loaded().header.changes.size(), 1);
    const SessionLoad load = loaded();
    QCOMPARE(load.header.endpoints.size(), 1);
    QCOMPARE(load.header.endpoints.first().server.autoReply, AutoReply::Fixed);
    QCOMPARE(load.header.changes.first().server.autoReply, AutoReply::Echo);
    QCOMPARE(load.header.changes.first().sinceNs, workspace->endpoint(id)->ranWith.last().sinceNs);
}

void tst_CrashRecovery::everythingCapturedIsInTheJournalAsItHappens()
{
    QString journalPath;
    {
        MainWindow window;
        window.show();
        QVERIFY(window.journal());
        journalPath = window.journal()->path();
        QVERIFY(sampleCaptured(window, uniqueName("journalled")));
        QTRY_COMPARE(journalEvents(journalPath), 6);
    }
    // A clean end removes the window's own journal.
    QTRY_VERIFY(!QFile::exists(journalPath));
}

void tst_CrashRecovery::aCrashedRunsJournalIsOfferedAtTheNextStart()
{
    const QString crashed = plantCrashedJournal(uniqueName("crashed"));
    QVERIFY(!crashed.isEmpty());
    MainWindow next;
    next.show();
    QSignalSpy offered(&next, &MainWindow::recoveryOffered);
    QTRY_COMPARE(offered.size(), 1);
    QCOMPARE(offered.first().first().toStringList(), QStringList{crashed});
    QVERIFY(next.recoveryOffer()->isVisible());
    QVERIFY2(next.recoveryOffer()->findChild<QLabel *>()->text().contains(QLatin1String("The 6 events")),
             qPrintable(next.recoveryOffer()->findChild<QLabel *>()->text()));
    // The running window's own journal is locked, not an orphan; the
    // crashed one is claimed by the window offering it: another PipeScope
    // (which looks the same way) finds nothing to offer.
    QVERIFY(QFile::exists(next.journal()->path()));
    QVERIFY(SessionJournal::orphans({SessionJournal::defaultDirectory()}).isEmpty());
}

void tst_CrashRecovery::aJournalOfferedIsLetGoWhenTheWindowCloses()
{
    const QString crashed = plantCrashedJournal(uniqueName("crashed"));
    QVERIFY(!crashed.isEmpty());
    {
        MainWindow next;
        next.show();
        QSignalSpy offered(&next, &MainWindow::recoveryOffered);
        QTRY_COMPARE(offered.size(), 1);
    }
    // Neither recovered nor discarded: offered again next time.
    const QList<SessionJournal::Orphan> again = SessionJournal::orphans({SessionJournal::defaultDirectory()});
    QCOMPARE(again.size(), 1);
    QCOMPARE(again.first().path, crashed);
    SessionJournal::remove(again.first());
    QVERIFY(!QFile::exists(crashed));
}

void tst_CrashRecovery::aRecoveredJournalOpensAsAWindowOfItsEvents()
{
    const QString crashed = plantCrashedJournal(uniqueName("crashed"));
    QVERIFY(!crashed.isEmpty());
    MainWindow next;
    next.show();
    MainWindow *recovered = recoverOffered(next);
    QVERIFY(recovered);
    QCOMPARE(recovered->store()->count(), 6);
    QCOMPARE(recovered->workspace()->endpointIds().size(), 2);
    QCOMPARE(recovered->workspace()->endpoint(recovered->workspace()->endpointIds().at(0))->server.replyBytes,
             SampleScenario::answer());
    // Recovered once, it is not offered again: it waits under a name of its
    // own until this window closes.
    QVERIFY(!QFile::exists(crashed));
    const QString kept = recovered->recoveredFile();
    QVERIFY2(QFileInfo(kept).fileName().startsWith(QLatin1String("recovered-")) && QFile::exists(kept), qPrintable(kept));
    QVERIFY(SessionJournal::orphans({SessionJournal::defaultDirectory()}).isEmpty());
    QTRY_VERIFY(recovered->isWindowModified());
    QSettings().setValue(QLatin1String(SettingsKeys::kAskToSave), false);
    recovered->close();
    QFile::remove(kept);
}

void tst_CrashRecovery::closingARecoveredWindowAsksAndDiscardRemovesTheFile()
{
    QVERIFY(!plantCrashedJournal(uniqueName("crashed")).isEmpty());
    MainWindow next;
    next.show();
    MainWindow *recovered = recoverOffered(next);
    QVERIFY(recovered);
    const QString kept = recovered->recoveredFile();
    QPointer<MainWindow> open(recovered);
    QMessageBox *prompt = askToClose(*recovered);
    QVERIFY(prompt);
    QVERIFY2(prompt->text().contains(QLatin1String("Save the 6 recovered events")), qPrintable(prompt->text()));
    QTest::mouseClick(prompt->button(QMessageBox::Discard), Qt::LeftButton);
    QTRY_VERIFY(!open);
    QTRY_VERIFY(!QFile::exists(kept)); // removed off the GUI thread
}

void tst_CrashRecovery::killedWindowIsRecoveredWhole()
{
    const QString name = QStringLiteral("crash-%1").arg(QCoreApplication::applicationPid());
    QProcess window;
    QVERIFY2(startServingWindow(window, name), qPrintable(window.errorString()));
    // Clients send 300 messages: text, binary and empty ones, as the
    // journal must keep each.
    QStringList messages;
    for (int i = 0; i < 300; ++i)
        messages << (i % 3 == 0 ? QStringLiteral("message %1").arg(i)
                     : i % 3 == 1 ? QStringLiteral("00ff%1").arg(i % 256, 2, 16, QLatin1Char('0'))
                                  : QString());
    QProcess send;
    send.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    send.setStandardOutputFile(QProcess::nullDevice());
    // Two connections: text and empty messages, then the same count as hex.
    QStringList first = {QStringLiteral("send"), name, QStringLiteral("--no-reply"), QStringLiteral("--wait"),
                         QStringLiteral("10000")};
    QStringList second = first;
    second << QStringLiteral("--hex");
    for (int i = 0; i < messages.size(); ++i)
        (i % 3 == 1 ? second : first) << messages[i];
    for (const QStringList &arguments : {first, second}) {
        send.start(kExecutable, arguments);
        QVERIFY(send.waitForFinished(20000));
        QCOMPARE(send.exitCode(), 0);
    }

    // Everything captured reaches the journal as it happens...
    const QString directory = SessionJournal::defaultDirectory();
    const QString journal = directory + QStringLiteral("/journal-%1.pipescope").arg(window.processId());
    QTRY_COMPARE_WITH_TIMEOUT(journalledMessages(journal), 300, 10000);
#ifdef Q_OS_UNIX
    // What it captured is the user's alone: the file and its directory.
    constexpr QFile::Permissions others = QFile::ReadGroup | QFile::WriteGroup | QFile::ExeGroup | QFile::ReadOther |
                                          QFile::WriteOther | QFile::ExeOther;
    QCOMPARE(QFileInfo(journal).permissions() & others, QFile::Permissions());
    QCOMPARE(QFileInfo(directory).permissions() & others, QFile::Permissions());
#endif
    // ...and is there when the window is killed without a chance to react.
    window.kill();
    QVERIFY(window.waitForFinished(10000));
    QCOMPARE(window.exitStatus(), QProcess::CrashExit);
    QCOMPARE(journalledMessages(journal), 300);

    // The next start offers it...
    MainWindow next;
    next.show();
    QSignalSpy offered(&next, &MainWindow::recoveryOffered);
    QTRY_COMPARE(offered.size(), 1);
    QCOMPARE(offered.first().first().toStringList(), QStringList{journal});
    const QString offer = next.recoveryOffer()->findChild<QLabel *>()->text();
    QVERIFY2(offer.contains(QLatin1String("did not quit cleanly")), qPrintable(offer));

    // ...and recovers every message as it was received, in order.
    QSignalSpy opened(&next, &MainWindow::sessionOpened);
    QTest::mouseClick(next.recoveryOffer()->findChild<QPushButton *>(QStringLiteral("recoverButton")), Qt::LeftButton);
    QTRY_COMPARE(opened.size(), 1);
    auto *recovered = opened.first().first().value<MainWindow *>();
    const Workspace *workspace = recovered->workspace();
    QCOMPARE(workspace->endpointIds().size(), 1);
    const Workspace::Endpoint *server = workspace->endpoint(workspace->endpointIds().first());
    QCOMPARE(server->kind, Workspace::Kind::Server);
    QCOMPARE(server->name, name);
    QList<QByteArray> received;
    int connections = 0;
    const TrafficStore *store = recovered->store();
    for (qsizetype row = 0; row < store->count(); ++row) {
        const TrafficStore::Record &r = store->record(row);
        connections += r.kind == EventKind::Connected;
        if (r.kind == EventKind::Data && r.direction == Direction::In)
            received << store->payload(row).toByteArray();
    }
    QCOMPARE(connections, 2);
    QList<QByteArray> expected;
    for (int i = 0; i < messages.size(); ++i)
        if (i % 3 != 1)
            expected << messages[i].toUtf8();
    for (int i = 0; i < messages.size(); ++i)
        if (i % 3 == 1)
            expected << QByteArray::fromHex(messages[i].toLatin1());
    QCOMPARE(received, expected);
    // Recovered once, it is not offered again; saved where the user wants
    // it, the window closes without asking and the recovered copy goes.
    QVERIFY(!QFile::exists(journal));
    const QString kept = recovered->recoveredFile();
    QVERIFY(QFile::exists(kept));
    QTemporaryDir saveTo;
    const PipeScopeTest::Saved saved =
        PipeScopeTest::saveSession(*recovered, saveTo.filePath(QStringLiteral("after-the-crash.pipescope")));
    QVERIFY2(saved.ok, qPrintable(saved.message));
    QVERIFY(recovered->close());
    QTRY_VERIFY(!QFile::exists(kept)); // removed off the GUI thread
    QCOMPARE(journalledMessages(saveTo.filePath(QStringLiteral("after-the-crash.pipescope"))), 300);
}

#ifdef Q_OS_UNIX
// SIGTERM is not a crash: the window stops its endpoints as on quitting —
// the server's socket file is removed, as a monitor's moved socket would
// be put back — and exits 0; but nothing was saved, so the journal stays
// and the next start offers it.
void tst_CrashRecovery::aSignalEndsTheWindowCleanlyAndKeepsItsJournal()
{
    const QString name = QStringLiteral("signalled-%1").arg(QCoreApplication::applicationPid());
    QProcess window;
    QVERIFY2(startServingWindow(window, name), qPrintable(window.errorString()));
    QProcess send;
    send.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    send.setStandardOutputFile(QProcess::nullDevice());
    send.start(kExecutable, {QStringLiteral("send"), name, QStringLiteral("--no-reply"), QStringLiteral("one"),
                             QStringLiteral("two")});
    QVERIFY(send.waitForFinished(20000));
    QCOMPARE(send.exitCode(), 0);
    const QString journal =
        SessionJournal::defaultDirectory() + QStringLiteral("/journal-%1.pipescope").arg(window.processId());
    QTRY_COMPARE_WITH_TIMEOUT(journalledMessages(journal), 2, 10000);
    const QString socket = qEnvironmentVariable("XDG_RUNTIME_DIR") + QStringLiteral("/pipescope/") + name;
    QVERIFY(QFile::exists(socket));

    window.terminate(); // SIGTERM
    QVERIFY(window.waitForFinished(10000));
    QCOMPARE(window.exitStatus(), QProcess::NormalExit);
    QCOMPARE(window.exitCode(), 0);
    QVERIFY2(!QFile::exists(socket), "the server did not stop cleanly: its socket file is left");
    QCOMPARE(journalledMessages(journal), 2);
    QFile::remove(journal);
}
#endif

#ifdef Q_OS_LINUX
// A window whose interposing monitor was killed left the server's socket
// moved aside: the next start finds it through that window's journal and
// offers to put it back; Put It Back does.
void tst_CrashRecovery::aSocketAKilledMonitorMovedIsOfferedBack()
{
    const QString path = m_home.path() + QStringLiteral("/moved-%1").arg(QCoreApplication::applicationPid());
    const QString moved = path + QStringLiteral(".pipescope-moved");
    // The server's socket, where the monitor had moved it.
    auto server = Native::Listener::create(Native::PipeName::parse(moved.toStdString()).value(), {});
    QVERIFY(server);
    // The dead window's journal: the monitor, and what it captured.
    SessionHeader header;
    SessionEndpoint monitor;
    monitor.id = 1;
    monitor.kind = SessionEndpoint::Kind::Monitor;
    monitor.server.name = path;
    monitor.server.interpose = true;
    ClientConfig target;
    target.name = moved;
    monitor.server.relayTo = target;
    header.endpoints = {monitor};
    const QString journal = SessionJournal::defaultDirectory() + QStringLiteral("/journal-999999.pipescope");
    QVERIFY(QDir().mkpath(SessionJournal::defaultDirectory()));
    {
        QFile file(journal);
        QVERIFY(file.open(QIODevice::WriteOnly));
        SessionWriter writer(&file);
        QVERIFY(writer.writeHeader(header));
        TrafficEvent connected;
        connected.timestampNs = 1;
        connected.endpoint = 1;
        connected.instance = 1;
        connected.kind = EventKind::Connected;
        connected.payload = "client: pid 1; server: pid 2";
        QVERIFY(writer.write({connected}));
    }

    MainWindow next;
    next.show();
    QTRY_VERIFY(next.putBackOffer() && next.putBackOffer()->isVisible());
    const QString offer = next.putBackOffer()->findChild<QLabel *>()->text();
    QVERIFY2(offer.contains(path) && offer.contains(moved), qPrintable(offer));
    QSignalSpy done(&next, &MainWindow::putBackDone);
    QTest::mouseClick(next.putBackOffer()->findChild<QPushButton *>(QStringLiteral("putBackButton")), Qt::LeftButton);
    QTRY_COMPARE(done.size(), 1);
    QCOMPARE(done.first().first().toStringList(), QStringList());
    QVERIFY(QFileInfo::exists(path));
    QVERIFY(!QFileInfo::exists(moved));
    // The server is reached at its own name again.
    auto client = Native::connectToPipe(Native::PipeName::parse(path.toStdString()).value(), {});
    QVERIFY2(client, client ? "" : client.error().message().c_str());
    // Discarded, the journal is not offered again.
    QTest::mouseClick(next.recoveryOffer()->findChild<QPushButton *>(QStringLiteral("discardButton")), Qt::LeftButton);
    QTRY_VERIFY(!QFile::exists(journal));
}
#endif

PIPESCOPE_TEST_MAIN(tst_CrashRecovery)
#include "tst_crashrecovery.moc"
