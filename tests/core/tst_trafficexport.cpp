// Exporting captured traffic: CSV, the text serve prints, raw bytes, pcapng.
#include "coretestsupport.h"
#include "testmain.h"
#include "trafficexport.h"
#include "trafficstore.h"

#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>

using namespace PipeScope;
using PipeScopeTest::dataEvent;

class tst_TrafficExport : public QObject
{
    Q_OBJECT
private slots:
    void init() { PipeScopeTest::failOnUnexpectedWarnings(); }
    void csvHasAHeaderAndOneQuotedRowPerEvent();
    void textIsWhatServePrints();
    void rawIsTheSelectedMessagesBytes();
    void aFileThatCannotBeWrittenIsNamed();
    void theFormatFollowsTheSuffix();
    void pcapngHasOneInterfacePerConnectionThatTsharkReads();
    void pcapngNamesTheProcessThatSentEachMessage();

private:
    // A connection (whose peer text has a comma and a quote) and two
    // messages, "a,b" in and UTF-16LE "hi" out.
    static void fill(TrafficStore &store)
    {
        TrafficEvent connected;
        connected.kind = EventKind::Connected;
        connected.endpoint = 1;
        connected.instance = 2;
        connected.timestampNs = 1'700'000'000'000'000'000;
        connected.payload = "pid 7, \"quoted\" process";
        store.append({connected, dataEvent(1, 2, Direction::In, "a,b", 1'700'000'000'000'001'000),
                      dataEvent(1, 2, Direction::Out, QByteArray("h\0i\0", 4), 1'700'000'000'000'002'000)});
    }
    static QByteArray read(const QString &path)
    {
        QFile file(path);
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    }
    QTemporaryDir m_dir;
};

void tst_TrafficExport::csvHasAHeaderAndOneQuotedRowPerEvent()
{
    TrafficStore store;
    fill(store);
    const QString path = m_dir.filePath(QStringLiteral("all.csv"));
    QString error;
    QCOMPARE(exportTraffic(store.snapshot(), {}, ExportFormat::Csv, path, {{1, QStringLiteral("\\\\.\\pipe\\x")}},
                           &error),
             3);
    const QList<QByteArray> lines = read(path).split('\n');
    QCOMPARE(lines.size(), 5); // header, three rows, and the empty rest
    QVERIFY(lines[0].startsWith("time,time_ns,endpoint,endpoint_id,instance,direction,event,size,parts"));
    // A connection's description is text, with no bytes of a message.
    QVERIFY2(lines[1].contains(",connected,,,,\"pid 7, \"\"quoted\"\" process\""), lines[1].constData());
    // Messages: their bytes, and the text they hold as it is, unquoted
    // but for CSV's own quoting; UTF-16LE decoded.
    QVERIFY2(lines[2].contains(",1,2,in,data,3,1,612c62,\"a,b\"\r"), lines[2].constData());
    QVERIFY2(lines[3].endsWith(",out,data,4,1,68006900,hi\r"), lines[3].constData());
    QVERIFY(lines[2].contains(",\\\\.\\pipe\\x,"));
    QVERIFY(lines[1].contains(",1700000000000000000,"));

    // Data, not previews: a long text whole, binary only as hex.
    TrafficStore more;
    const QByteArray longText = QByteArray(3000, 'x') + "\n" + QByteArray(3000, 'y');
    more.append({dataEvent(1, 1, Direction::In, longText, 1), dataEvent(1, 1, Direction::In, "\x01\x02\xff", 2)});
    const QString morePath = m_dir.filePath(QStringLiteral("more.csv"));
    QCOMPARE(exportTraffic(more.snapshot(), {}, ExportFormat::Csv, morePath, {}, &error), 2);
    const QByteArray written = read(morePath);
    QVERIFY(written.contains(",\"" + longText + "\"\r\n"));
    QVERIFY2(written.endsWith(",0102ff,\r\n"), written.right(40).constData());
#ifdef Q_OS_UNIX
    // Captured traffic is the user's alone, even over a file open to all.
    QFile::setPermissions(morePath, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadOther);
    for (const ExportFormat format : {ExportFormat::Csv, ExportFormat::Text, ExportFormat::Raw, ExportFormat::Pcapng}) {
        QVERIFY(exportTraffic(more.snapshot(), {}, format, morePath, {}, &error) >= 0);
        QCOMPARE(QFile::permissions(morePath) & ~(QFileDevice::ReadUser | QFileDevice::WriteUser),
                 QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    }
#endif
}

void tst_TrafficExport::textIsWhatServePrints()
{
    TrafficStore store;
    fill(store);
    const QString path = m_dir.filePath(QStringLiteral("all.txt"));
    QCOMPARE(exportTraffic(store.snapshot(), {}, ExportFormat::Text, path, {}, nullptr), 3);
    const QList<QByteArray> lines = read(path).split('\n');
    QCOMPARE(lines.size(), 4);
    for (qsizetype row = 0; row < 3; ++row) {
        const TrafficEvent event = store.snapshot().eventAt(row);
        QCOMPARE(QString::fromUtf8(lines[row]), formatEventLine(event));
    }
    QVERIFY(lines[1].contains("#2  <- 3 B  \"a,b\""));
}

void tst_TrafficExport::rawIsTheSelectedMessagesBytes()
{
    TrafficStore store;
    fill(store);
    const QString path = m_dir.filePath(QStringLiteral("chosen.bin"));
    // The connection is chosen too: it has no bytes of a message.
    QCOMPARE(exportTraffic(store.snapshot(), {0, 2}, ExportFormat::Raw, path, {}, nullptr), 1);
    QCOMPARE(read(path), QByteArray("h\0i\0", 4));
}

void tst_TrafficExport::aFileThatCannotBeWrittenIsNamed()
{
    TrafficStore store;
    fill(store);
    const QString path = m_dir.filePath(QStringLiteral("no/such/directory/x.csv"));
    QString error;
    QCOMPARE(exportTraffic(store.snapshot(), {}, ExportFormat::Csv, path, {}, &error), -1);
    QVERIFY2(error.contains(path), qPrintable(error));
}

void tst_TrafficExport::theFormatFollowsTheSuffix()
{
    QCOMPARE(exportFormatFor(QStringLiteral("a.CSV")), ExportFormat::Csv);
    QCOMPARE(exportFormatFor(QStringLiteral("a.txt")), ExportFormat::Text);
    QCOMPARE(exportFormatFor(QStringLiteral("a.log")), ExportFormat::Text);
    QCOMPARE(exportFormatFor(QStringLiteral("a.bin")), ExportFormat::Raw);
    QCOMPARE(exportFormatFor(QStringLiteral("a")), ExportFormat::Raw);
    QCOMPARE(exportFormatFor(QStringLiteral("a.pcapng")), ExportFormat::Pcapng);
}

namespace {

// A pcapng file's blocks: type and body, each length checked at both ends.
struct Block
{
    quint32 type;
    QByteArray body;
};

QList<Block> blocksOf(const QByteArray &file, QString *problem)
{
    QList<Block> blocks;
    for (qsizetype at = 0; at < file.size();) {
        if (file.size() - at < 12) {
            *problem = QStringLiteral("a block cut short at %1").arg(at);
            return {};
        }
        const quint32 type = qFromLittleEndian<quint32>(file.constData() + at);
        const quint32 length = qFromLittleEndian<quint32>(file.constData() + at + 4);
        if (length % 4 != 0 || length < 12 || at + length > file.size() ||
            qFromLittleEndian<quint32>(file.constData() + at + length - 4) != length) {
            *problem = QStringLiteral("block at %1: length %2 does not hold").arg(at).arg(length);
            return {};
        }
        blocks.append({type, file.mid(at + 8, length - 12)});
        at += length;
    }
    return blocks;
}

// An Enhanced Packet Block's options by code, after its padded packet.
QHash<quint16, QByteArray> optionsOf(const QByteArray &epb)
{
    QHash<quint16, QByteArray> options;
    const quint32 captured = qFromLittleEndian<quint32>(epb.constData() + 12);
    for (qsizetype at = 20 + (qsizetype(captured) + 3) / 4 * 4; at + 4 <= epb.size();) {
        const quint16 code = qFromLittleEndian<quint16>(epb.constData() + at);
        const quint16 length = qFromLittleEndian<quint16>(epb.constData() + at + 2);
        if (code == 0)
            break;
        options.insert(code, epb.mid(at + 4, length));
        at += 4 + (length + 3) / 4 * 4;
    }
    return options;
}

} // namespace

// One interface per connection, every event a packet with its time in
// nanoseconds, its direction, its bytes after the exported-PDU tags, and
// connection events as comments: checked block by block, and (where
// tshark is, as the test command installs it on Linux) as Wireshark reads it.
void tst_TrafficExport::pcapngHasOneInterfacePerConnectionThatTsharkReads()
{
    TrafficStore store;
    fill(store);
    TrafficEvent closed;
    closed.kind = EventKind::Disconnected;
    closed.endpoint = 3;
    closed.timestampNs = 1'700'000'000'000'004'000;
    closed.payload = "closed by the peer";
    store.append({dataEvent(3, 0, Direction::Out, "ping", 1'700'000'000'000'003'000), closed});
    const QString path = m_dir.filePath(QStringLiteral("all.pcapng"));
    QString error;
    QCOMPARE(exportTraffic(store.snapshot(), {}, ExportFormat::Pcapng, path,
                           {{1, QStringLiteral("\\\\.\\pipe\\x")}, {3, QStringLiteral("→ x")}}, &error),
             5);
    QString problem;
    const QList<Block> blocks = blocksOf(read(path), &problem);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QList<quint32> types;
    for (const Block &block : blocks)
        types << block.type;
    // Section header, then each connection's interface before its first packet.
    QCOMPARE(types, (QList<quint32>{0x0A0D0D0A, 1, 6, 6, 6, 1, 6, 6}));
    QCOMPARE(qFromLittleEndian<quint32>(blocks[0].body.constData()), 0x1A2B3C4Du);
    QCOMPARE(qFromLittleEndian<quint16>(blocks[1].body.constData()), quint16(252));
    // The second message's packet: interface 0, nanoseconds, its bytes last.
    const QByteArray &packet = blocks[3].body;
    QCOMPARE(qFromLittleEndian<quint32>(packet.constData()), 0u);
    const quint64 ns = quint64(qFromLittleEndian<quint32>(packet.constData() + 4)) << 32 |
                       qFromLittleEndian<quint32>(packet.constData() + 8);
    QCOMPARE(ns, quint64(1'700'000'000'000'001'000));
    const quint32 captured = qFromLittleEndian<quint32>(packet.constData() + 12);
    QVERIFY(packet.mid(20, captured).endsWith("a,b"));
    // The exported-PDU tags first: the dissector's name (padded to four).
    QVERIFY(packet.mid(20, captured).startsWith(QByteArray("\x00\x0c\x00\x04" "data", 8)));
    // Another dissector, named by the user, for their own protocol.
    const QString json = m_dir.filePath(QStringLiteral("json.pcapng"));
    QCOMPARE(exportTraffic(store.snapshot(), {}, ExportFormat::Pcapng, json, {}, &error, QStringLiteral("json")), 5);
    QVERIFY(read(json).contains(QByteArray("\x00\x0c\x00\x04" "json", 8)));
#ifndef Q_OS_WIN
    const QString tshark = QStandardPaths::findExecutable(QStringLiteral("tshark"));
    QVERIFY2(!tshark.isEmpty(), "tshark is not installed (scripts/install-deps.sh --tests installs it)");
    QProcess run;
    run.start(tshark, {QStringLiteral("-r"), path, QStringLiteral("-T"), QStringLiteral("fields"), QStringLiteral("-E"),
                        QStringLiteral("separator=|"), QStringLiteral("-e"), QStringLiteral("frame.interface_name"),
                        QStringLiteral("-e"), QStringLiteral("frame.packet_flags_direction"), QStringLiteral("-e"),
                        QStringLiteral("frame.time_epoch"), QStringLiteral("-e"), QStringLiteral("data.data"),
                        QStringLiteral("-e"), QStringLiteral("frame.comment")});
    QVERIFY(run.waitForFinished(60000));
    QVERIFY2(run.exitCode() == 0, run.readAllStandardError().constData());
    const QStringList lines = QString::fromUtf8(run.readAllStandardOutput()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    const QStringList expected{
        QStringLiteral("\\\\.\\pipe\\x #2||1700000000.000000000||connected: pid 7, \"quoted\" process"),
        QStringLiteral("\\\\.\\pipe\\x #2|0x00000001|1700000000.000001000|612c62|"),
        QStringLiteral("\\\\.\\pipe\\x #2|0x00000002|1700000000.000002000|68006900|"),
        QStringLiteral("→ x|0x00000002|1700000000.000003000|70696e67|"),
        QStringLiteral("→ x||1700000000.000004000||disconnected: closed by the peer"),
    };
    QCOMPARE(lines, expected);
#endif
}

// epb_processid_threadid (option 8: the pid, then the thread, 0 for not
// known) where the capture knows who sent a message: the peer of a server
// instance or a client, and for a monitor the client and the server, each
// by the direction; never for what PipeScope itself sent.
void tst_TrafficExport::pcapngNamesTheProcessThatSentEachMessage()
{
    TrafficStore store;
    fill(store);
    TrafficEvent monitored;
    monitored.kind = EventKind::Connected;
    monitored.endpoint = 5;
    monitored.instance = 1;
    monitored.timestampNs = 1'700'000'000'000'010'000;
    monitored.payload = "client: pid 11, uid 1000 (a), process c; server: pid 12, uid 1000 (a), process s at /x";
    TrafficEvent up = dataEvent(5, 1, Direction::In, "up", 1'700'000'000'000'011'000);
    TrafficEvent down = dataEvent(5, 1, Direction::Out, "down", 1'700'000'000'000'012'000);
    up.relayNs = down.relayNs = 5000;
    store.append({monitored, up, down});
    const QString path = m_dir.filePath(QStringLiteral("pids.pcapng"));
    QString error;
    QCOMPARE(exportTraffic(store.snapshot(), {}, ExportFormat::Pcapng, path, {}, &error), 6);
    QString problem;
    const QList<Block> blocks = blocksOf(read(path), &problem);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QList<QHash<quint16, QByteArray>> packets;
    for (const Block &block : blocks)
        if (block.type == 6)
            packets << optionsOf(block.body);
    QCOMPARE(packets.size(), 6);
    const auto pid = [](const QHash<quint16, QByteArray> &options) -> qint64 {
        if (!options.contains(8))
            return -1;
        const QByteArray ids = options.value(8);
        return ids.size() == 8 && qFromLittleEndian<quint32>(ids.constData() + 4) == 0
                   ? qint64(qFromLittleEndian<quint32>(ids.constData()))
                   : -2;
    };
    QCOMPARE(pid(packets[0]), -1); // a connection event carries none
    QCOMPARE(pid(packets[1]), 7);  // in: the client of the server instance
    QCOMPARE(pid(packets[2]), -1); // out: PipeScope's own answer
    QCOMPARE(pid(packets[4]), 11); // a monitor's in: its client
    QCOMPARE(pid(packets[5]), 12); // a monitor's out: the real server
    QVERIFY(packets[1].contains(2)); // epb_flags still there
}

PIPESCOPE_TEST_GUILESS_MAIN(tst_TrafficExport)
#include "tst_trafficexport.moc"
