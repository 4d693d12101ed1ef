#pragma once

#include <QWidget>

class QPushButton;

namespace PipeScope {

// A bar above the traffic offering something (the sample, a crashed run's
// journal, a socket to put back, a limit reached): a sentence and two
// buttons, either of which hides the bar (as Qt Creator's InfoBar and
// Wireshark's info banner do). Named, so tests and users' scripts find it.
class OfferBar : public QWidget
{
    Q_OBJECT
public:
    OfferBar(const char *name, const QString &text, QPushButton *accept, QPushButton *decline,
             QWidget *parent = nullptr);
};

} // namespace PipeScope
