#include "samplelauncher.h"
#include "actionregistry.h"
#include "icons.h"
#include "samplerunner.h"
#include "samplescenario.h"
#include "settings.h"
#include "traffictabs.h"
#include "warning.h"

#include <QPushButton>

namespace PipeScope {

SampleLauncher::SampleLauncher(Workspace *workspace, TrafficTabs *tabs, ActionRegistry *actions, QWidget *window)
    : QObject(window), m_tabs(tabs), m_runner(new SampleRunner(workspace, this))
{
    connect(m_runner, &SampleRunner::failed, this,
            [window](const QString &error) { showWarning(window, tr("Try the Sample"), error); });
    actions->add({"trySample", tr("Try the S&ample"), "sample", {QKeySequence(Qt::CTRL | Qt::Key_T)},
                  tr("Start Microsoft's sample server and a client talking to it")},
                 this, &SampleLauncher::start);
}

void SampleLauncher::start()
{
    startOn(SampleScenario::pipeName());
}

void SampleLauncher::startOn(const QString &pipeName)
{
    if (m_runner->isStarted()) {
        m_tabs->show(m_runner->server());
        emit message(tr("The sample runs already: this is its server's tab"), 8000);
        return;
    }
    if (m_offer)
        m_offer->hide();
    m_runner->start(pipeName);
}

void SampleLauncher::offer(const JournalKeeper::OfferHost &host)
{
    // First launch is useful on its own: one click shows live traffic.
    auto *tryIt = new QPushButton(appIcon("sample"), tr("Try the Sample"));
    tryIt->setObjectName(QStringLiteral("trySampleButton"));
    auto *dismiss = new QPushButton(tr("No Thanks"));
    m_offer = host("sampleOffer",
                   tr("New to PipeScope? Start Microsoft's sample pipe server and a client that "
                      "talks to it, and watch their messages here."),
                   tryIt, dismiss);
    connect(tryIt, &QPushButton::clicked, this, &SampleLauncher::start);
    for (QPushButton *button : {tryIt, dismiss})
        connect(button, &QPushButton::clicked, this, [] { Settings::setOfferSample(false); });
}

} // namespace PipeScope

#include "moc_samplelauncher.cpp"
