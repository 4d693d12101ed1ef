// ActionRegistry: the window's actions made in one place, found by id,
// and menus, toolbars and context menus built from lists of ids.
#include "actionregistry.h"
#include "testmain.h"

#include <QMenu>
#include <QSignalSpy>
#include <QTest>
#include <QToolBar>
#include <QWidget>

using namespace PipeScope;

class tst_ActionRegistry : public QObject
{
    Q_OBJECT
private slots:
    void init() { PipeScopeTest::failOnUnexpectedWarnings(); }
    void anActionIsMadeFromItsSpecAndFoundByItsId();
    void theTipSaysTheKeys();
    void menusToolbarsAndContextMenusAreListsOfIds();
    void anActionQtMadeIsRegisteredUnderAnId();
    void anUnknownIdIsAProgrammingErrorSaidAsSuch();
};

void tst_ActionRegistry::anActionIsMadeFromItsSpecAndFoundByItsId()
{
    QWidget window;
    ActionRegistry actions(&window);
    int triggered = 0;
    QAction *stop = actions.add({"stopEndpoint",
                                 QStringLiteral("S&top"),
                                 nullptr,
                                 {QKeySequence(Qt::CTRL | Qt::Key_Period)},
                                 {}},
                                &window, [&triggered] { ++triggered; });
    QCOMPARE(stop->objectName(), QStringLiteral("stopEndpoint"));
    QCOMPARE(stop->parent(), &window);
    QCOMPARE(stop->text(), QStringLiteral("S&top"));
    QCOMPARE(stop->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_Period));
    QCOMPARE(actions.action("stopEndpoint"), stop);
    stop->trigger();
    QCOMPARE(triggered, 1);
}

void tst_ActionRegistry::theTipSaysTheKeys()
{
    QWidget window;
    ActionRegistry actions(&window);
    QAction *server = actions.add({"newServer",
                                   QStringLiteral("New &Server…"),
                                   nullptr,
                                   {QKeySequence(Qt::CTRL | Qt::Key_N)},
                                   QStringLiteral("Create a pipe server")});
    const QString keys = QKeySequence(Qt::CTRL | Qt::Key_N).toString(QKeySequence::NativeText);
    QCOMPARE(server->toolTip(), QStringLiteral("Create a pipe server (%1)").arg(keys));
    // Without a tip, the text without its mnemonic; without keys, no
    // parentheses.
    QAction *edit =
        actions.add({"editEndpoint", QStringLiteral("&Edit Settings…"), nullptr, {}, {}});
    QCOMPARE(edit->toolTip(), QStringLiteral("Edit Settings…"));
    // Retitled for what it acts on: text, toolbar text and tip together.
    QAction *stop = actions.add({"stopEndpoint",
                                 QStringLiteral("S&top"),
                                 nullptr,
                                 {QKeySequence(Qt::CTRL | Qt::Key_Period)},
                                 {}});
    ActionRegistry::retitle(stop, QStringLiteral("S&top Server “x”"), QStringLiteral("Stop"));
    QCOMPARE(stop->text(), QStringLiteral("S&top Server “x”"));
    QCOMPARE(stop->iconText(), QStringLiteral("Stop"));
    QCOMPARE(stop->toolTip(),
             QStringLiteral("Stop Server “x” (%1)")
                 .arg(QKeySequence(Qt::CTRL | Qt::Key_Period).toString(QKeySequence::NativeText)));
}

void tst_ActionRegistry::menusToolbarsAndContextMenusAreListsOfIds()
{
    QWidget window;
    ActionRegistry actions(&window);
    QAction *a = actions.add({"a", QStringLiteral("A"), nullptr, {}, {}});
    QAction *b = actions.add({"b", QStringLiteral("B"), nullptr, {}, {}});
    QMenu menu;
    actions.fill(&menu, {"a", "|", "b"});
    QCOMPARE(menu.actions().size(), 3);
    QCOMPARE(menu.actions().at(0), a);
    QVERIFY(menu.actions().at(1)->isSeparator());
    QCOMPARE(menu.actions().at(2), b);
    QToolBar bar;
    actions.fill(&bar, {"b", "|", "a"});
    QCOMPARE(bar.actions().size(), 3);
    QCOMPARE(bar.actions().at(0), b);
    QVERIFY(bar.actions().at(1)->isSeparator());
    // A widget's actions are its context menu: the separator is an action.
    QWidget tree;
    actions.fill(&tree, {"a", "|", "b"});
    QCOMPARE(tree.actions().size(), 3);
    QVERIFY(tree.actions().at(1)->isSeparator());
    QCOMPARE(tree.actions().at(2), b);
}

void tst_ActionRegistry::anActionQtMadeIsRegisteredUnderAnId()
{
    QWidget window;
    ActionRegistry actions(&window);
    auto *toggle = new QAction(QStringLiteral("Pipes"), &window);
    QCOMPARE(actions.registerExisting("showPipes", toggle, {QKeySequence(Qt::CTRL | Qt::Key_B)}),
             toggle);
    QCOMPARE(actions.action("showPipes"), toggle);
    QCOMPARE(toggle->objectName(), QStringLiteral("showPipes"));
    QCOMPARE(toggle->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_B));
}

void tst_ActionRegistry::anUnknownIdIsAProgrammingErrorSaidAsSuch()
{
    QWidget window;
    ActionRegistry actions(&window);
    QTest::ignoreMessage(QtWarningMsg, "ActionRegistry: no action nothing");
    QCOMPARE(actions.action("nothing"), nullptr);
    QMenu menu;
    QTest::ignoreMessage(QtWarningMsg, "ActionRegistry: no action missing");
    actions.fill(&menu, {"missing"});
    QVERIFY(menu.actions().isEmpty());
}

PIPESCOPE_TEST_MAIN(tst_ActionRegistry)
#include "tst_actionregistry.moc"
