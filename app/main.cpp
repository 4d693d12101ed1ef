#include "cli.h"
#include "endpointmodel.h"
#include "mainwindow.h"
#include "preferences.h"
#include "trafficmodel.h"
#include "trafficpane.h"
#include "trafficstore.h"
#include "workspace.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QTableView>
#include <QTemporaryDir>
#include <QTreeView>

#include <cstdio>

namespace {

// `pipescope --screenshot FILE`: the main window with the sample scenario
// running, rendered to a PNG (no display needed).
int screenshot(const QString &file)
{
    PipeScope::MainWindow window;
    window.resize(1280, 800);
    window.show();
    window.startSample();
    PipeScope::Workspace *workspace = window.workspace();
    // Server: connected, in, out; client: connected, out, in.
    const QDeadlineTimer deadline(10000);
    while (window.store()->count() < 6 && !deadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents, 50);
    if (window.store()->count() < 6) {
        std::fprintf(stderr, "pipescope: the sample did not run within 10 s; nothing saved\n");
        return 1;
    }
    // Show the server instance's log with the client's message selected.
    const quint32 server = workspace->endpointIds().value(0);
    auto *endpoints = static_cast<PipeScope::EndpointModel *>(window.endpointTree()->model());
    window.endpointTree()->setCurrentIndex(endpoints->indexFor(server, 1));
    PipeScope::TrafficPane *pane = window.showTraffic(server, 1);
    QTableView *table = pane->table();
    for (int row = 0; row < table->model()->rowCount(); ++row) {
        if (table->model()->index(row, 0).data(PipeScope::TrafficModel::PayloadRole).toByteArray().startsWith("Default message")) {
            table->selectRow(row);
            break;
        }
    }
    // Let the tree's and the status bar's counts catch up.
    const QDeadlineTimer settle(500);
    while (!settle.hasExpired())
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    if (!window.grab().save(file)) {
        std::fprintf(stderr, "pipescope: cannot write %s\n", qPrintable(file));
        return 1;
    }
    std::printf("%s\n", qPrintable(file));
    return 0;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication::setOrganizationName(QStringLiteral("PipeScope"));
    QCoreApplication::setApplicationName(QStringLiteral("PipeScope"));
    QCoreApplication::setApplicationVersion(QStringLiteral(PIPESCOPE_VERSION));

    // Headless subcommands need no display: a QCoreApplication only.
    if (argc >= 2 && PipeScope::isCommand(QString::fromLocal8Bit(argv[1]))) {
        QCoreApplication app(argc, argv);
        QStringList arguments = app.arguments();
        const QString command = arguments.value(1);
        return PipeScope::runCommand(command, arguments.mid(2));
    }
    if (argc >= 2 && (qstrcmp(argv[1], "--version") == 0)) {
        QCoreApplication app(argc, argv);
        std::printf("pipescope %s\n", PIPESCOPE_VERSION);
        return 0;
    }
    if (argc >= 2 && (qstrcmp(argv[1], "--help") == 0 || qstrcmp(argv[1], "-h") == 0)) {
        std::printf("Usage: pipescope [FILE...]       open the inspector window (and these sessions)\n"
                    "       pipescope --server NAME   ... with a server listening on NAME\n"
                    "       pipescope --client NAME   ... with a client connected to NAME\n"
                    "       pipescope serve NAME ...  run a pipe server, print its traffic\n"
                    "       pipescope send NAME MESSAGE...  connect, send, print replies\n"
                    "       pipescope list            list the pipes that exist\n"
                    "       pipescope replay FILE --pipe NAME [--check]  replay a session to a server\n"
                    "       pipescope replay FILE --serve NAME [--check]  ... or as the server, to clients\n"
                    "       pipescope --screenshot FILE  save the window running the sample as PNG\n"
                    "       pipescope COMMAND --help  options of a command\n");
        return 0;
    }

    QString shotFile;
    if (argc >= 2 && qstrcmp(argv[1], "--screenshot") == 0) {
        if (argc < 3) {
            std::fprintf(stderr, "pipescope: --screenshot needs a FILE\n");
            return 2;
        }
        shotFile = QString::fromLocal8Bit(argv[2]);
        // A picture needs no display, and never depends on the user's
        // settings or journals: both go to a directory of its own.
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
        static QTemporaryDir home;
        qputenv("XDG_CONFIG_HOME", home.path().toLocal8Bit());
        qputenv("XDG_DATA_HOME", home.path().toLocal8Bit());
    }

#if defined(Q_OS_LINUX)
    // Without a display Qt would abort with a message about plugins; say
    // what is wrong and what works instead.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") && qEnvironmentVariableIsEmpty("DISPLAY")
        && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY")) {
        std::fprintf(stderr, "pipescope: no display to open the window on (DISPLAY and WAYLAND_DISPLAY are unset).\n"
                             "The commands serve, send, list and replay need none (pipescope --help).\n");
        return 1;
    }
#endif
    QApplication app(argc, argv);
    PipeScope::applyTheme(PipeScope::savedTheme());
    if (!shotFile.isEmpty())
        return screenshot(shotFile);
    // The window's own arguments: endpoints to start and sessions to open.
    QCommandLineParser parser;
    QCommandLineOption server(QStringLiteral("server"), QStringLiteral("Start a server on NAME."), QStringLiteral("name"));
    QCommandLineOption client(QStringLiteral("client"), QStringLiteral("Connect a client to NAME."), QStringLiteral("name"));
    parser.addOptions({server, client});
    parser.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Session files to open."), QStringLiteral("[FILE...]"));
    if (!parser.parse(QApplication::arguments())) {
        std::fprintf(stderr, "pipescope: %s (try pipescope --help)\n", qPrintable(parser.errorText()));
        return 2;
    }
    PipeScope::MainWindow window;
    window.show();
    for (const QString &name : parser.values(server)) {
        PipeScope::ServerConfig config;
        config.name = name;
        window.workspace()->addServer(config);
    }
    for (const QString &name : parser.values(client)) {
        PipeScope::ClientConfig config;
        config.name = name;
        config.automaticConvention = true; // wherever a server by that name listens
        window.workspace()->addClient(config);
    }
    for (const QString &file : parser.positionalArguments())
        window.openSession(file);
    return QApplication::exec();
}
