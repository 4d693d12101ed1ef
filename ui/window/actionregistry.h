#pragma once

#include <QAction>
#include <QHash>
#include <QKeySequence>
#include <QList>
#include <QObject>
#include <QString>

#include <initializer_list>

class QWidget;

namespace PipeScope {

// The one place the window's actions are made, as Qt Creator's
// ActionManager registers them: each by an id (its object name, by which
// menus, the toolbar, context menus and tests find it) with its text,
// icon, keys and tip. Menus and the toolbar are then lists of ids, and a
// feature registers its own actions where it lives. The tip is said with
// the keys, and said again whenever a feature retitles an action for
// what it now acts on.
class ActionRegistry : public QObject
{
    Q_OBJECT
public:
    struct Spec
    {
        const char *id;
        QString text;               // with its mnemonic: "S&top"
        const char *icon = nullptr; // appIcon() name, or none
        QList<QKeySequence> keys;   // the first is shown in menus
        QString tip;                // when it says more than the text
    };

    // Actions are children of `window`, where their keys act.
    explicit ActionRegistry(QWidget *window);

    QAction *add(const Spec &spec);
    template <typename Receiver, typename Slot>
    QAction *add(const Spec &spec, const Receiver *receiver, Slot slot)
    {
        QAction *action = add(spec);
        connect(action, &QAction::triggered, receiver, slot);
        return action;
    }
    // The action registered as `id`; null (and a warning) for an unknown
    // id, which is a programming error.
    QAction *action(const char *id) const;
    // Adds the actions named to a menu, a toolbar or a widget (whose
    // actions are its context menu), in order; "|" is a separator.
    // Actions Qt made (a dock's toggle) are named by registerExisting()
    // first.
    void fill(QWidget *target, std::initializer_list<const char *> ids) const;
    // An action Qt made (QDockWidget::toggleViewAction()), kept under `id`.
    QAction *registerExisting(const char *id, QAction *action, const QList<QKeySequence> &keys);

    // Sets the text (and, if given, the short text of a toolbar button;
    // else Qt's: the text without mnemonic and ellipsis) and the tip
    // that goes with it: the tip given, or the text without its mnemonic,
    // followed by the keys.
    static void retitle(QAction *action, const QString &text, const QString &iconText = {},
                        const QString &tip = {});

    // The platform's first key for `standard`, or `otherwise` on a platform
    // that binds none (Save As and Preferences on X11).
    static QList<QKeySequence> keysOr(QKeySequence::StandardKey standard, const QKeySequence &otherwise);

private:
    QWidget *m_window;
    QHash<QString, QAction *> m_actions;
};

} // namespace PipeScope
