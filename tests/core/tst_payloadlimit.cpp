// The store's memory limit for payloads: past it, a message keeps its record
// and the offset of its line in the file written ahead of the store (the
// journal), and every consumer reads its bytes back from there.
#include "capturehub.h"
#include "capturelog.h"
#include "coretestsupport.h"
#include "findmatches.h"
#include "units.h"
#include "payloadarena.h"
#include "payloadreader.h"
#include "replayclient.h"
#include "replycomparer.h"
#include "sessionio.h"
#include "sessionload.h"
#include "testmain.h"
#include "trafficmodel.h"
#include "trafficstore.h"

#include <QFile>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cstring>
#include <memory>

using namespace PipeScope;
using PipeScopeTest::dataEvent;

namespace {

// Distinct bytes for message i, every value among its first 256, with a
// size that varies.
QByteArray bytesOf(int i)
{
    QByteArray bytes(300 + (i * 37) % 9000, Qt::Uninitialized);
    for (qsizetype k = 0; k < bytes.size(); ++k)
        bytes[k] = char(k * 31 + i);
    return bytes;
}

// `count` messages written to a capture log in `dir`, in batches of 16, as
// the reading threads write them, then appended to `store` as the hub
// hands them over. The store's backing file is the log; its limit `limit`.
struct Capture
{
    QString path;
    TrafficBatch events; // as appended, with their offsets
};

Capture capture(const QTemporaryDir &dir, TrafficStore &store, int count, quint64 limit = 0)
{
    Capture c;
    c.path = dir.filePath(QStringLiteral("journal.pipescope"));
    QString error;
    std::unique_ptr<CaptureLog> log = CaptureLog::create(c.path, SessionHeader(), &error);
    if (!log)
        qFatal("%s", qPrintable(error));
    store.setBackingFile(c.path);
    store.setPayloadLimit(limit);
    for (int first = 0; first < count; first += 16) {
        TrafficBatch batch;
        for (int i = first; i < std::min(count, first + 16); ++i)
            batch << dataEvent(1, 1 + i % 3, i % 2 ? Direction::Out : Direction::In, bytesOf(i), 1000 + i);
        if (!log->append(batch))
            qFatal("the log failed");
        store.append(batch);
        c.events += batch;
    }
    log->close();
    return c;
}

} // namespace

class tst_PayloadLimit : public QObject
{
    Q_OBJECT
private slots:
    void init() { PipeScopeTest::failOnUnexpectedWarnings(); }
    void theLogGivesEachEventItsLine();
    void pastTheLimitOnlyBytesAFileHoldsAreLetGo();
    void aBlockHeldAlreadyCostsNothingMore();
    void everyMessageIsReadBackExactly_data();
    void everyMessageIsReadBackExactly();
    void aChangedBackingFileIsSaidNotMisread_data();
    void aChangedBackingFileIsSaidNotMisread();
    void savingWritesWhatWasNotKept();
    void replayReadsBackWhatWasNotKept();
    void aPatternCountsWhatItCouldNotSearch();
};

void tst_PayloadLimit::theLogGivesEachEventItsLine()
{
    QTemporaryDir dir;
    TrafficStore store;
    const Capture c = capture(dir, store, 100);
    QFile file(c.path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray all = file.readAll();
    qint64 previous = 0;
    for (const TrafficEvent &e : c.events) {
        QVERIFY(e.logOffset > previous); // after the header and each other
        previous = e.logOffset;
        QCOMPARE(all.at(e.logOffset - 1), '\n'); // a line starts there
        const qsizetype end = all.indexOf('\n', e.logOffset);
        QCOMPARE(all.mid(e.logOffset, end - e.logOffset), encodeSessionEvent(e));
    }
}

void tst_PayloadLimit::pastTheLimitOnlyBytesAFileHoldsAreLetGo()
{
    TrafficStore store;
    QSignalSpy reached(&store, &TrafficStore::payloadLimitReached);
    store.setPayloadLimit(64 * 1024);
    store.setBackingFile(QStringLiteral("/nonexistent/journal"));
    TrafficBatch batch;
    for (int i = 0; i < 200; ++i) {
        TrafficEvent e = dataEvent(1, 1, Direction::In, QByteArray(8000, char('a' + i % 26)), i);
        // Every other one is in no file: those stay, whatever the limit.
        e.logOffset = i % 2 ? 4096 + i : -1;
        batch << e;
    }
    TrafficEvent error;
    error.kind = EventKind::Error;
    error.payload = "an error, in no file";
    error.logOffset = 9999;
    batch << error;
    store.append(batch);
    QCOMPARE(store.count(), 201);
    QCOMPARE(reached.size(), 1);
    qsizetype notKept = 0;
    for (qsizetype row = 0; row < 200; ++row) {
        const TrafficStore::Record &r = store.record(row);
        QCOMPARE(r.size, 8000u);
        if (r.flags & NotKept) {
            ++notKept;
            QVERIFY(row % 2);
            QCOMPARE(r.logOffset, 4096 + row);
            QVERIFY(store.payload(row).isEmpty());
            QCOMPARE(store.eventAt(row).logOffset, 4096 + row);
        } else {
            QCOMPARE(store.payload(row), QByteArray(8000, char('a' + row % 26)));
        }
    }
    QCOMPARE(store.notKept(), notKept);
    QVERIFY(notKept >= 90); // all but the few odd ones before the limit
    // Nothing kept was let go: the memory is the limit plus the unbacked
    // ones, never less than what was kept.
    QVERIFY(store.payloadMemory() >= 64 * 1024);
    QCOMPARE(store.payload(200), QByteArrayView("an error, in no file"));
    // Without a backing file, every byte is kept.
    TrafficStore unbacked;
    unbacked.setPayloadLimit(1);
    TrafficBatch more;
    for (int i = 0; i < 10; ++i) {
        TrafficEvent e = dataEvent(1, 1, Direction::In, "kept", i);
        e.logOffset = 100 + i;
        more << e;
    }
    unbacked.append(more);
    QCOMPARE(unbacked.notKept(), 0);
    // The flag never comes from outside: a file cannot say "not kept".
    TrafficStore plain;
    TrafficEvent flagged = dataEvent(1, 1, Direction::In, "bytes", 1);
    flagged.flags = NotKept;
    plain.append({flagged});
    QCOMPARE(plain.payload(0), QByteArrayView("bytes"));
}

void tst_PayloadLimit::aBlockHeldAlreadyCostsNothingMore()
{
    TrafficStore store;
    store.setBackingFile(QStringLiteral("/nonexistent/journal"));
    store.setPayloadLimit(1);
    PayloadArena arena;
    TrafficBatch batch;
    for (int i = 0; i < 50; ++i) {
        char *at = arena.resize(100);
        std::memset(at, 'a' + i % 26, 100);
        PayloadArena::Taken taken = arena.take(100);
        TrafficEvent e = dataEvent(1, 1, Direction::In, taken.bytes, i);
        e.block = taken.block;
        e.logOffset = 100 + i;
        batch << e;
    }
    // The first message, from an empty store, is kept with its block; the
    // others are in that block, which the store holds anyway.
    store.append(batch);
    QCOMPARE(store.notKept(), 0);
    for (qsizetype row = 0; row < 50; ++row)
        QCOMPARE(store.payload(row), QByteArray(100, char('a' + row % 26)));
    // A message in a new block is not kept.
    TrafficEvent loose = dataEvent(1, 1, Direction::In, QByteArray(10, 'z'), 60);
    loose.logOffset = 999;
    store.append({loose});
    QCOMPARE(store.notKept(), 1);
}

void tst_PayloadLimit::everyMessageIsReadBackExactly_data()
{
    QTest::addColumn<QString>("order");
    QTest::newRow("forward") << QStringLiteral("forward");
    QTest::newRow("backward") << QStringLiteral("backward");
    QTest::newRow("random") << QStringLiteral("random");
}

void tst_PayloadLimit::everyMessageIsReadBackExactly()
{
    QFETCH(QString, order);
    QTemporaryDir dir;
    TrafficStore store;
    // Out of order, each read seeks and reads ahead: fewer of those.
    const int count = order == QLatin1String("forward") ? 3000 : 600;
    const Capture c = capture(dir, store, count, 256 * 1024);
    QVERIFY(store.notKept() > count * 8 / 10);
    QList<qsizetype> rows;
    for (qsizetype row = 0; row < store.count(); ++row)
        rows << row;
    if (order == QLatin1String("backward"))
        std::reverse(rows.begin(), rows.end());
    else if (order == QLatin1String("random"))
        std::shuffle(rows.begin(), rows.end(), *QRandomGenerator::global());
    PayloadReader reader(store.snapshot());
    for (qsizetype row : rows) {
        TrafficEvent e;
        QVERIFY2(reader.read(row, e), qPrintable(reader.error()));
        const TrafficEvent &sent = c.events.at(row);
        QCOMPARE(e.payload, sent.payload);
        QCOMPARE(e.timestampNs, sent.timestampNs);
        QCOMPARE(e.instance, sent.instance);
        QCOMPARE(e.direction, sent.direction);
        QVERIFY(!(e.flags & NotKept));
    }
}

void tst_PayloadLimit::aChangedBackingFileIsSaidNotMisread_data()
{
    QTest::addColumn<QString>("change");
    QTest::addColumn<QString>("said");
    QTest::newRow("cut short") << QStringLiteral("truncate") << QStringLiteral("ends before byte");
    QTest::newRow("another capture in its place") << QStringLiteral("shift") << QStringLiteral("byte");
    QTest::newRow("removed") << QStringLiteral("remove") << QStringLiteral("cannot be read");
}

void tst_PayloadLimit::aChangedBackingFileIsSaidNotMisread()
{
    QFETCH(QString, change);
    QFETCH(QString, said);
    QTemporaryDir dir;
    TrafficStore store;
    const Capture c = capture(dir, store, 400, 64 * 1024);
    const qsizetype last = store.count() - 1;
    QVERIFY(store.record(last).flags & NotKept);
    QFile file(c.path);
    if (change == QLatin1String("truncate")) {
        QVERIFY(file.resize(c.events.at(last).logOffset));
    } else if (change == QLatin1String("shift")) {
        // The same events a little later in the file: every line moved.
        QVERIFY(file.open(QIODevice::ReadOnly));
        QByteArray all = file.readAll();
        file.close();
        all.insert(all.indexOf('\n') + 1, "\n\n\n");
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(all);
        file.close();
    } else {
        QVERIFY(file.remove());
    }
    PayloadReader reader(store.snapshot());
    TrafficEvent e;
    QVERIFY(!reader.read(last, e));
    QVERIFY2(reader.error().contains(c.path), qPrintable(reader.error()));
    QVERIFY2(reader.error().contains(said), qPrintable(reader.error()));
    QVERIFY2(reader.error().contains(formatTime(c.events.at(last).timestampNs)), qPrintable(reader.error()));
    // A kept message is still there.
    QVERIFY(!(store.record(0).flags & NotKept));
    QVERIFY(reader.read(0, e));
    QCOMPARE(e.payload, c.events.at(0).payload);
}

void tst_PayloadLimit::savingWritesWhatWasNotKept()
{
    QTemporaryDir dir;
    TrafficStore store;
    const Capture c = capture(dir, store, 2000, 128 * 1024);
    QVERIFY(store.notKept() > 1500);
    const QString path = dir.filePath(QStringLiteral("saved.pipescope"));
    // The window's header declares each endpoint; here the one of capture().
    SessionHeader header;
    SessionEndpoint endpoint;
    endpoint.id = 1;
    header.endpoints.append(endpoint);
    const std::unique_ptr<SessionSaver> saver(SessionSaver::save(path, header, store));
    QSignalSpy finished(saver.get(), &SessionSaver::finished);
    QVERIFY(finished.wait(30000));
    QVERIFY2(finished.at(0).at(0).toBool(), qPrintable(finished.at(0).at(1).toString()));
    QCOMPARE(finished.at(0).at(2).toLongLong(), 2000);
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    TrafficStore loaded;
    const SessionLoad load = loadSession(&file, loaded);
    QVERIFY2(load.ok, qPrintable(load.error));
    QCOMPARE(loaded.count(), 2000);
    QCOMPARE(loaded.notKept(), 0); // loaded without a backing file
    for (qsizetype row = 0; row < loaded.count(); ++row) {
        QCOMPARE(loaded.payload(row), c.events.at(row).payload);
        QCOMPARE(loaded.record(row).timestampNs, c.events.at(row).timestampNs);
    }

    // When the journal cannot give a message back, nothing is saved over
    // the file, and the error says which message and why.
    QVERIFY(QFile::resize(c.path, c.events.at(1000).logOffset));
    const std::unique_ptr<SessionSaver> failing(SessionSaver::save(path, SessionHeader(), store));
    QSignalSpy failed(failing.get(), &SessionSaver::finished);
    QVERIFY(failed.wait(30000));
    QVERIFY(!failed.at(0).at(0).toBool());
    QVERIFY2(failed.at(0).at(1).toString().contains(c.path), qPrintable(failed.at(0).at(1).toString()));
    QFile again(path);
    QVERIFY(again.open(QIODevice::ReadOnly));
    TrafficStore reloaded;
    QCOMPARE(loadSession(&again, reloaded).events, 2000); // the earlier save is intact
}

void tst_PayloadLimit::replayReadsBackWhatWasNotKept()
{
    QTemporaryDir dir;
    TrafficStore store;
    const Capture c = capture(dir, store, 600, 64 * 1024);
    QVERIFY(store.notKept() > 500);
    SessionHeader header; // no endpoints: instances make it a server
    QString error;
    const QList<ReplayScript> scripts = buildReplayScripts(header, store.snapshot(), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(scripts.size(), 3);
    qsizetype steps = 0;
    for (const ReplayScript &script : scripts) {
        for (const ReplayStep &step : script.steps) {
            QCOMPARE(step.send, c.events.at(step.row).payload);
            ++steps;
        }
    }
    QCOMPARE(steps, 300); // the messages the clients sent: "in" at the server

    QVERIFY(QFile::remove(c.path));
    const QList<ReplayScript> none = buildReplayScripts(header, store.snapshot(), &error);
    QVERIFY(none.isEmpty());
    QVERIFY2(error.contains(c.path), qPrintable(error));
}

void tst_PayloadLimit::aPatternCountsWhatItCouldNotSearch()
{
    QTemporaryDir dir;
    TrafficStore store;
    capture(dir, store, 200, 64 * 1024);
    const qsizetype notKept = store.notKept();
    QVERIFY(notKept > 100);
    TrafficModel model(&store);
    TrafficFilter filter;
    // Bytes every message has: each kept one matches.
    QVERIFY(filter.set(TrafficFilter::Mode::Hex, QStringLiteral("00 1f"), TrafficFilter::ShowAll));
    model.setFilter(filter);
    QCOMPARE(model.rowCount() + model.unsearched(), 200);
    QCOMPARE(model.unsearched(), notKept);
    // Direction alone needs no bytes: nothing unsearched.
    QVERIFY(filter.set(TrafficFilter::Mode::Text, QString(), TrafficFilter::ShowIn));
    model.setFilter(filter);
    QCOMPARE(model.rowCount(), 100);
    QCOMPARE(model.unsearched(), 0);
    // A row not kept says so, with no bytes.
    const QModelIndex last = model.index(model.rowCount() - 1, TrafficModel::PreviewColumn);
    QVERIFY(last.data(TrafficModel::NotKeptRole).toBool());
    QVERIFY(last.data(TrafficModel::PayloadRole).isNull());
    QVERIFY(last.data().toString().contains(QLatin1String("on disk only")));

    // Find counts them apart, and never steps onto one.
    model.setFilter(TrafficFilter());
    FindMatches matches(&model);
    QVERIFY(filter.set(TrafficFilter::Mode::Hex, QStringLiteral("00 1f"), TrafficFilter::ShowAll));
    matches.setPattern(filter, QStringLiteral("00 1f"));
    QCOMPARE(matches.total(), 200 - notKept);
    QCOMPARE(matches.unsearched(), notKept);
    int row = -1;
    for (qsizetype n = 1; n <= matches.total(); ++n) {
        const FindMatches::Step step = matches.step(row, true);
        QCOMPARE(step.number, n);
        QVERIFY(!model.index(step.row, 0).data(TrafficModel::NotKeptRole).toBool());
        row = step.row;
    }
}

PIPESCOPE_TEST_GUILESS_MAIN(tst_PayloadLimit)
#include "tst_payloadlimit.moc"
