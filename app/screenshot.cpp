#include "screenshot.h"

#include "endpointmodel.h"
#include "hexview.h"
#include "mainwindow.h"
#include "nativepipe.h"
#include "pipebrowser.h"
#include "samplescenario.h"
#include "trafficmodel.h"
#include "trafficpane.h"
#include "trafficstore.h"
#include "workspace.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QTableView>
#include <QTreeView>

#include <cstdio>

namespace PipeScope {

namespace {

bool pipeInUse(const QString &name)
{
    const auto parsed = Native::PipeName::parse(name.toStdString());
    if (!parsed)
        return false;
    const auto address = Native::resolvePipeName(parsed.value(), Native::Convention::PipeScope);
    return address && Native::pipeExists(address.value());
}

} // namespace

void prepareScreenshotPlatform()
{
#ifdef Q_OS_WIN
    if (qEnvironmentVariable("QT_QPA_PLATFORM") == QLatin1String("offscreen") &&
        qEnvironmentVariableIsEmpty("QT_QPA_FONTDIR"))
        qputenv("QT_QPA_FONTDIR", qgetenv("SystemRoot") + "\\Fonts");
#else
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
#endif
}

int screenshot(const QString &file, QSize size)
{
    MainWindow window;
    // Rendered, never shown: grab() paints it all the same.
    window.setAttribute(Qt::WA_DontShowOnScreen);
    window.resize(size);
    window.show();
    // A window running the sample holds its name: use one of our own then.
    QString name = SampleScenario::pipeName();
    if (pipeInUse(name))
        name = QStringLiteral("mynamedpipe-screenshot-%1").arg(QCoreApplication::applicationPid());
    window.startSampleOn(name);
    Workspace *workspace = window.workspace();
    // Server: connected, in, out; client: connected, out, in.
    const QDeadlineTimer deadline(10000);
    QString failed;
    QObject::connect(workspace, &Workspace::errorOccurred, &window,
                     [&failed](quint32, const QString &error) { failed = error; });
    while (window.store()->count() < 6 && !deadline.hasExpired() && failed.isEmpty())
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents, 50);
    if (!failed.isEmpty()) {
        std::fprintf(stderr, "pipescope: the sample could not run: %s; nothing saved\n", qPrintable(failed));
        return 1;
    }
    if (window.store()->count() < 6) {
        std::fprintf(stderr, "pipescope: the sample did not run within 10 s; nothing saved\n");
        return 1;
    }
    // Show the server instance's log with the client's message selected.
    const quint32 server = workspace->endpointIds().value(0);
    auto *endpoints = static_cast<EndpointModel *>(window.endpointTree()->model());
    window.endpointTree()->setCurrentIndex(endpoints->indexFor(server, 1));
    TrafficPane *pane = window.showTraffic(server, 1);
    QTableView *table = pane->table();
    for (int row = 0; row < table->model()->rowCount(); ++row) {
        if (table->model()->index(row, 0).data(TrafficModel::PayloadRole).toByteArray() == SampleScenario::message()) {
            table->selectRow(row);
            break;
        }
    }
    // The pipe browser lists the pipes again (the sample's among them) and
    // the tree's and the status bar's counts catch up.
    window.pipeBrowser()->refresh();
    const QDeadlineTimer settle(500);
    while (!settle.hasExpired())
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    // The message's first line of bytes selected, the inspector reading
    // from its first: the readout and the data inspector in view. (Once the
    // message is shown: a slower platform shows it during the wait.)
    pane->hexView()->setSelection(15, 0);
    QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    if (!window.grab().save(file)) {
        std::fprintf(stderr, "pipescope: cannot write %s\n", qPrintable(file));
        return 1;
    }
    std::printf("%s\n", qPrintable(file));
    return 0;
}

} // namespace PipeScope
