#include "actionregistry.h"
#include "icons.h"

#include <QAction>
#include <QMenu>
#include <QToolBar>

namespace PipeScope {

ActionRegistry::ActionRegistry(QWidget *window) : QObject(window), m_window(window) {}

QAction *ActionRegistry::add(const Spec &spec)
{
    auto *action = new QAction(m_window);
    action->setObjectName(QLatin1String(spec.id));
    if (spec.icon)
        action->setIcon(appIcon(spec.icon));
    action->setShortcuts(spec.keys);
    retitle(action, spec.text, {}, spec.tip);
    m_actions.insert(action->objectName(), action);
    return action;
}

QAction *ActionRegistry::registerExisting(const char *id, QAction *action,
                                          const QList<QKeySequence> &keys)
{
    action->setObjectName(QLatin1String(id));
    action->setShortcuts(keys);
    m_actions.insert(action->objectName(), action);
    return action;
}

QAction *ActionRegistry::action(const char *id) const
{
    QAction *found = m_actions.value(QLatin1String(id));
    if (!found)
        qWarning("ActionRegistry: no action %s", id);
    return found;
}

void ActionRegistry::fill(QWidget *target, std::initializer_list<const char *> ids) const
{
    for (const char *id : ids) {
        if (qstrcmp(id, "|") == 0) {
            if (auto *menu = qobject_cast<QMenu *>(target)) {
                menu->addSeparator();
            } else if (auto *bar = qobject_cast<QToolBar *>(target)) {
                bar->addSeparator();
            } else {
                // A widget's own actions, shown as its context menu.
                auto *separator = new QAction(target);
                separator->setSeparator(true);
                target->addAction(separator);
            }
        } else if (QAction *a = action(id)) {
            target->addAction(a);
        }
    }
}

void ActionRegistry::retitle(QAction *action, const QString &text, const QString &iconText,
                             const QString &tip)
{
    action->setText(text);
    const QString plain = QString(text).remove(QLatin1Char('&'));
    if (!iconText.isEmpty())
        action->setIconText(iconText);
    const QString said = tip.isEmpty() ? plain : tip;
    const QString keys = action->shortcut().toString(QKeySequence::NativeText);
    action->setToolTip(keys.isEmpty() ? said : tr("%1 (%2)").arg(said, keys));
}

QList<QKeySequence> ActionRegistry::keysOr(QKeySequence::StandardKey standard, const QKeySequence &otherwise)
{
    const QList<QKeySequence> bound = QKeySequence::keyBindings(standard);
    return {bound.isEmpty() ? otherwise : bound.first()};
}

} // namespace PipeScope

#include "moc_actionregistry.cpp"
