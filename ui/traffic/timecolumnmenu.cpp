#include "timecolumnmenu.h"
#include "settings.h"

#include <QActionGroup>

namespace PipeScope {

TimeColumnMenu::TimeColumnMenu(QWidget *parent)
    : QMenu(tr("T&ime Column"), parent), m_chosen(Settings::timeDisplay())
{
    auto *forms = new QActionGroup(this);
    const struct
    {
        const char *text;
        const char *name;
        TimeDisplay display;
    } choices[] = {
        {QT_TR_NOOP("Time of &Day"), "timeOfDay", TimeDisplay::TimeOfDay},
        {QT_TR_NOOP("Date &and Time"), "dateAndTime", TimeDisplay::DateAndTime},
        {QT_TR_NOOP("&Seconds Since the First Event"), "sinceStart", TimeDisplay::SinceStart},
    };
    for (const auto &choice : choices) {
        QAction *action = addAction(tr(choice.text));
        action->setObjectName(QLatin1String(choice.name));
        action->setCheckable(true);
        action->setChecked(choice.display == m_chosen);
        forms->addAction(action);
        const TimeDisplay display = choice.display;
        connect(action, &QAction::triggered, this, [this, display] {
            Settings::setTimeDisplay(display);
            m_chosen = display;
            emit chosenChanged(display);
        });
    }
}

} // namespace PipeScope

#include "moc_timecolumnmenu.cpp"
