#pragma once

#include "journalkeeper.h"

#include <QObject>
#include <QString>

class QWidget;

namespace PipeScope {

class ActionRegistry;
class SampleRunner;
class TrafficTabs;
class Workspace;

// Try the Sample: Microsoft's sample server and a client that talks to it,
// started once per window (asked again, its server's tab is shown), and
// the bar that offers it on a first launch.
class SampleLauncher : public QObject
{
    Q_OBJECT
public:
    SampleLauncher(Workspace *workspace, TrafficTabs *tabs, ActionRegistry *actions, QWidget *window);

    // On the seed's pipe name.
    void start();
    // On another name (--screenshot, while the sample's own is in use).
    void startOn(const QString &pipeName);
    // The bar above the traffic; either of its buttons stops the offer for
    // later launches.
    void offer(const JournalKeeper::OfferHost &host);

signals:
    // For the status bar.
    void message(const QString &text, int timeoutMs);

private:
    TrafficTabs *m_tabs;
    SampleRunner *m_runner;
    QWidget *m_offer = nullptr;
};

} // namespace PipeScope
