// Exporting captured traffic: CSV, the text serve prints, raw bytes.
#include "coretestsupport.h"
#include "testmain.h"
#include "trafficexport.h"
#include "trafficstore.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

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
    QVERIFY2(lines[1].contains(",\"pid 7, \"\"quoted\"\" process\""), lines[1].constData());
    QVERIFY2(lines[2].contains(",1,2,in,data,3,1,612c62,\"\"\"a,b\"\"\""), lines[2].constData());
    QVERIFY2(lines[3].contains(",out,data,4,1,68006900,"), lines[3].constData());
    QVERIFY(lines[2].contains(",\\\\.\\pipe\\x,"));
    QVERIFY(lines[1].contains(",1700000000000000000,"));
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
}

PIPESCOPE_TEST_GUILESS_MAIN(tst_TrafficExport)
#include "tst_trafficexport.moc"
