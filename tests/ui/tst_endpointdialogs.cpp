// New Server and Connect Client as a user meets them: defaults that work,
// choices that follow each other, labels and editors that look right.
#include "endpointdialogs.h"
#include "mainwindow.h"
#include "profile.h"
#include "settingskeys.h"
#include "testmain.h"
#include "windowprofile.h"
#include "uniquename.h"
#include "workspace.h"

#include <QComboBox>
#include <QCompleter>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace PipeScope;
using PipeScopeTest::uniqueName;

class tst_EndpointDialogs : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void aClientReadsAsThePipesTypeByDefaultAndMeetsAByteServer();
    void aServersReadModeFollowsItsType();
    void everyLabelNamesItsFieldWithoutAnAmpersand();
    void theFixedReplyIsOneLineAtTheTop();
    void theRulesTableShowsEveryColumn();
    void aNameCompletesFromThePipesThatExist();

private:
    PipeScopeTest::WindowProfile m_profile;
};

void tst_EndpointDialogs::initTestCase()
{
    m_profile.use("tst_endpointdialogs");
}

void tst_EndpointDialogs::init()
{
    PipeScopeTest::WindowProfile::reset(PipeScopeTest::WindowProfile::Sample::NotOffered);
}

void tst_EndpointDialogs::aClientReadsAsThePipesTypeByDefaultAndMeetsAByteServer()
{
    MainWindow window;
    window.show();
    ServerConfig server;
    server.name = uniqueName("bytes");
    server.options.type = Native::PipeType::Byte;
    server.options.readMode = Native::ReadMode::Byte;
    const quint32 serverId = window.workspace()->addServer(server);
    QTRY_COMPARE(window.workspace()->endpoint(serverId)->state, Workspace::State::Listening);

    window.connectClient();
    auto *dialog = qobject_cast<ClientDialog *>(window.openDialog());
    QVERIFY(dialog);
    QVERIFY(!dialog->config().options.readMode.has_value());
    dialog->nameField()->edit()->setText(server.name);
    QTest::mouseClick(dialog->buttons()->button(QDialogButtonBox::Ok), Qt::LeftButton);
    QTRY_VERIFY(!window.openDialog());
    const quint32 clientId = window.workspace()->endpointIds().value(1);
    QCOMPARE(window.workspace()->endpoint(clientId)->state, Workspace::State::Connected);
    QCOMPARE(window.workspace()->endpoint(clientId)->info.type, Native::PipeType::Byte);
}

void tst_EndpointDialogs::aServersReadModeFollowsItsType()
{
    ServerDialog dialog;
    auto *type = dialog.findChild<QComboBox *>(QStringLiteral("pipeType"));
    auto *readMode = dialog.findChild<QComboBox *>(QStringLiteral("readMode"));
    QVERIFY(type && readMode);
    type->setCurrentIndex(type->findData(int(Native::PipeType::Byte)));
    QCOMPARE(dialog.config().options.type, Native::PipeType::Byte);
    QCOMPARE(dialog.config().options.readMode, Native::ReadMode::Byte);
    QVERIFY(dialog.buttons()->button(QDialogButtonBox::Ok)->isEnabled());
    type->setCurrentIndex(type->findData(int(Native::PipeType::Message)));
    QCOMPARE(dialog.config().options.readMode, Native::ReadMode::Message);
    // A message pipe may still be read as bytes.
    readMode->setCurrentIndex(readMode->findData(int(Native::ReadMode::Byte)));
    QCOMPARE(dialog.config().options.readMode, Native::ReadMode::Byte);
    QVERIFY(dialog.buttons()->button(QDialogButtonBox::Ok)->isEnabled());
}

void tst_EndpointDialogs::everyLabelNamesItsFieldWithoutAnAmpersand()
{
    ServerDialog server;
    ClientDialog client;
    for (QDialog *dialog : {static_cast<QDialog *>(&server), static_cast<QDialog *>(&client)}) {
        for (QFormLayout *form : dialog->findChildren<QFormLayout *>()) {
            for (int row = 0; row < form->rowCount(); ++row) {
                auto *label = qobject_cast<QLabel *>(form->itemAt(row, QFormLayout::LabelRole)
                                                         ? form->itemAt(row, QFormLayout::LabelRole)->widget()
                                                         : nullptr);
                if (!label)
                    continue;
                // A label with a mnemonic shows it underlined only with a
                // buddy; without one it shows the "&".
                if (label->text().contains(QLatin1Char('&')))
                    QVERIFY2(label->buddy(), qPrintable(label->text()));
            }
        }
    }
}

void tst_EndpointDialogs::theFixedReplyIsOneLineAtTheTop()
{
    ServerDialog dialog;
    dialog.resize(900, 600);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    dialog.autoReply()->setCurrentIndex(dialog.autoReply()->findData(int(AutoReply::Fixed)));
    QLineEdit *reply = dialog.fixedReply();
    QCOMPARE(reply->height(), reply->sizeHint().height());
    QCOMPARE(reply->y(), 0);
}

void tst_EndpointDialogs::theRulesTableShowsEveryColumn()
{
    ServerDialog dialog;
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    dialog.autoReply()->setCurrentIndex(dialog.autoReply()->findData(int(AutoReply::Rules)));
    dialog.addRule({ReplyRule::Match::Regex, QStringLiteral("^GET (\\d+)$"), QStringLiteral("item \\1")});
    QTableWidget *rules = dialog.rules();
    QHeaderView *header = rules->horizontalHeader();
    int total = 0;
    for (int column = 0; column < rules->columnCount(); ++column) {
        QVERIFY(header->sectionSize(column) > 40);
        total += header->sectionSize(column);
    }
    QVERIFY2(total <= rules->viewport()->width(), qPrintable(QString::number(total)));
}

void tst_EndpointDialogs::aNameCompletesFromThePipesThatExist()
{
    MainWindow window;
    window.show();
    ServerConfig server;
    server.name = uniqueName("completes");
    const quint32 serverId = window.workspace()->addServer(server);
    QTRY_COMPARE(window.workspace()->endpoint(serverId)->state, Workspace::State::Listening);
    const QString recent = uniqueName("used-before");
    QSettings().setValue(QLatin1String(SettingsKeys::kRecentClients), QStringList{recent});
    window.connectClient();
    auto *dialog = qobject_cast<ClientDialog *>(window.openDialog());
    QVERIFY(dialog);
    QCompleter *completer = dialog->nameField()->edit()->completer();
    QVERIFY(completer);
    // A recent name, from any part of it.
    completer->setCompletionPrefix(QStringLiteral("USED-BEFORE"));
    QCOMPARE(completer->completionCount(), 1);
    QCOMPARE(completer->currentCompletion(), recent);
    if (PipeScopeTest::runningUnderWine()) {
        // Wine cannot enumerate \\.\pipe\* (docs/platforms.md): the
        // existing pipes are not offered there; the Windows workflow and
        // the Linux run check that part.
        qInfo("Wine lists no pipes: completing from recent names only");
        return;
    }
    // Part of the name, in another case, finds it once the pipes are listed.
    completer->setCompletionPrefix(QStringLiteral("COMPLETES"));
    QTRY_VERIFY(completer->completionCount() > 0);
    QStringList offered;
    for (int i = 0; completer->setCurrentRow(i); ++i)
        offered << completer->currentCompletion();
    QVERIFY2(offered.contains(server.name), qPrintable(offered.join(QLatin1Char(','))));
}

PIPESCOPE_TEST_MAIN(tst_EndpointDialogs)
#include "tst_endpointdialogs.moc"
