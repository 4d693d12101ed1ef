#include "hexview.h"
#include "mainwindow.h"
#include "payload.h"
#include "trafficmodel.h"
#include "trafficstore.h"

#include <QAction>
#include <QClipboard>
#include <QGuiApplication>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace PipeScope;

class tst_MainWindow : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void sampleShowsTrafficInTheTable();

private:
    QTemporaryDir m_runtime;
};

void tst_MainWindow::initTestCase()
{
    qputenv("XDG_RUNTIME_DIR", m_runtime.path().toLocal8Bit());
}

void tst_MainWindow::sampleShowsTrafficInTheTable()
{
    MainWindow window;
    window.show();
    window.startSample();
    auto *table = window.findChild<QTableView *>();
    QVERIFY(table);
    // Server: connected, in, out. Client: connected, out, in.
    QTRY_COMPARE(window.store()->count(), 6);
    QAbstractItemModel *model = table->model();
    QCOMPARE(model->rowCount(), 6);
    QStringList previews;
    for (int row = 0; row < model->rowCount(); ++row)
        previews << model->index(row, TrafficModel::PreviewColumn).data().toString();
    QCOMPARE(previews.count(QStringLiteral("\"Default message from client\"")), 2);
    QCOMPARE(previews.count(QStringLiteral("\"Default answer from server\"")), 2);

    // Selecting a message shows its exact bytes in the hex pane.
    const int reply = int(previews.indexOf(QStringLiteral("\"Default answer from server\"")));
    table->setCurrentIndex(model->index(reply, 0));
    QCOMPARE(window.hexView()->data(), QByteArray("Default answer from server"));
    QCOMPARE(window.hexView()->layout().lineCount(), 2);

    // And copies it out as the user asks.
    auto *copyBase64 = table->findChild<QAction *>(QStringLiteral("copy%1").arg(int(CopyFormat::Base64)));
    QVERIFY(copyBase64);
    copyBase64->trigger();
    QCOMPARE(QGuiApplication::clipboard()->text(), QString::fromLatin1(QByteArray("Default answer from server").toBase64()));
    if (const QByteArray shot = qgetenv("PIPESCOPE_TEST_SCREENSHOT"); !shot.isEmpty())
        window.grab().save(QString::fromLocal8Bit(shot));
}

QTEST_MAIN(tst_MainWindow)
#include "tst_mainwindow.moc"
