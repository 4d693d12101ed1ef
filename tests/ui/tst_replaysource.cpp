#include "replaysource.h"
#include "sessionio.h"
#include "sessionload.h"
#include "testmain.h"

#include <QBuffer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace PipeScope;

namespace {

// A server's recorded conversation: what its client sent (in) and the
// replies (out).
QByteArray session(const QString &server, const QStringList &sent)
{
    QByteArray text = QStringLiteral(R"({"pipescope-session":1,"endpoints":[{"id":1,"kind":"server","name":"%1"}]})")
                          .arg(server)
                          .toUtf8()
                      + '\n';
    qint64 t = 1000;
    for (const QString &message : sent) {
        text += QStringLiteral(R"({"t":%1,"e":1,"i":1,"dir":"in","text":"%2"})").arg(t++).arg(message).toUtf8() + '\n';
        text += QStringLiteral(R"({"t":%1,"e":1,"i":1,"dir":"out","text":"ok"})").arg(t++).toUtf8() + '\n';
    }
    return text;
}

QString write(const QTemporaryDir &dir, const QString &name, const QByteArray &text)
{
    const QString path = dir.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size())
        qFatal("cannot write %s", qPrintable(path));
    return path;
}

QStringList sentIn(const ReplaySource &source)
{
    QStringList sent;
    for (const ReplayScript &script : source.scripts())
        for (const ReplayStep &step : script.steps)
            sent << QString::fromUtf8(step.send);
    return sent;
}

} // namespace

class tst_ReplaySource : public QObject
{
    Q_OBJECT
private slots:
    void init() { PipeScopeTest::failOnUnexpectedWarnings(); }
    void theCaptureOrItsChosenMessages();
    void aFileSaysItsServerThenItsConversations();
    void theLastFileAskedForWins();
    void anUnreadableFileIsNamed();
};

void tst_ReplaySource::theCaptureOrItsChosenMessages()
{
    TrafficStore store;
    QBuffer buffer;
    buffer.setData(session(QStringLiteral("x"), {QStringLiteral("one"), QStringLiteral("two")}));
    QVERIFY(buffer.open(QIODevice::ReadOnly));
    const SessionLoad loaded = loadSession(&buffer, store);
    QVERIFY(loaded.ok);

    ReplaySource source;
    QSignalSpy ready(&source, &ReplaySource::ready);
    source.readCapture(loaded.header, store.snapshot());
    QVERIFY(!source.isReady());
    QTRY_COMPARE(ready.size(), 1);
    QCOMPARE(sentIn(source), (QStringList{QStringLiteral("one"), QStringLiteral("two")}));
    QVERIFY(!source.isSelection());
    QVERIFY(source.error().isEmpty());

    // Row 2 is the second message the client sent.
    source.readCapture(loaded.header, store.snapshot(), {2});
    QVERIFY(!source.isReady());
    QTRY_COMPARE(ready.size(), 2);
    QCOMPARE(sentIn(source), QStringList{QStringLiteral("two")});
    QVERIFY(source.isSelection());
}

void tst_ReplaySource::aFileSaysItsServerThenItsConversations()
{
    QTemporaryDir dir;
    const QString path = write(dir, QStringLiteral("a.pipescope"), session(QStringLiteral("recorded"), {QStringLiteral("hi")}));
    ReplaySource source;
    QSignalSpy read(&source, &ReplaySource::fileRead);
    QSignalSpy ready(&source, &ReplaySource::ready);
    source.readFile(path);
    QTRY_COMPARE(ready.size(), 1);
    QCOMPARE(read.size(), 1);
    QCOMPARE(read.first().at(0).toString(), path);
    QCOMPARE(read.first().at(1).value<SessionHeader>().endpoints.first().name(), QStringLiteral("recorded"));
    QCOMPARE(sentIn(source), QStringList{QStringLiteral("hi")});
}

// Files opened one after the other, faster than they are read: only the
// last one's conversations are taken, also when the one before was read
// and its conversations were still being split out.
void tst_ReplaySource::theLastFileAskedForWins()
{
    QTemporaryDir dir;
    QStringList many;
    for (int i = 0; i < 20000; ++i)
        many << QStringLiteral("m%1").arg(i);
    const QString big = write(dir, QStringLiteral("big.pipescope"), session(QStringLiteral("big"), many));
    const QString a = write(dir, QStringLiteral("a.pipescope"), session(QStringLiteral("a"), {QStringLiteral("from a")}));
    const QString b = write(dir, QStringLiteral("b.pipescope"), session(QStringLiteral("b"), {QStringLiteral("from b")}));

    ReplaySource source;
    QSignalSpy read(&source, &ReplaySource::fileRead);
    QSignalSpy ready(&source, &ReplaySource::ready);
    source.readFile(a);
    source.readFile(b);
    QTRY_COMPARE(ready.size(), 1);
    QCOMPARE(read.size(), 1);
    QCOMPARE(read.first().at(0).toString(), b);
    QCOMPARE(sentIn(source), QStringList{QStringLiteral("from b")});

    // The big file read, then replaced as soon as its conversations are
    // being split out (or, on a fast machine, already were: then it said
    // ready once more). Its answer, if it comes later, is dropped.
    source.readFile(big);
    QTRY_COMPARE(read.size(), 2);
    const qsizetype before = ready.size();
    source.readFile(a);
    QTRY_COMPARE(ready.size(), before + 1);
    QCOMPARE(read.last().at(0).toString(), a);
    QCOMPARE(sentIn(source), QStringList{QStringLiteral("from a")});
}

void tst_ReplaySource::anUnreadableFileIsNamed()
{
    QTemporaryDir dir;
    const QString path = write(dir, QStringLiteral("bad.pipescope"), "not a session\n");
    ReplaySource source;
    QSignalSpy ready(&source, &ReplaySource::ready);
    source.readFile(path);
    QTRY_COMPARE(ready.size(), 1);
    QVERIFY(source.scripts().isEmpty());
    QVERIFY2(source.error().contains(QLatin1String("bad.pipescope")), qPrintable(source.error()));
}

int main(int argc, char *argv[])
{
    return PipeScopeTest::runSuite<QCoreApplication, tst_ReplaySource>(argc, argv);
}

#include "tst_replaysource.moc"
