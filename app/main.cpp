#include "cli.h"
#include "descriptors.h"
#include "mainwindow.h"
#include "preferences.h"
#include "processexit.h"
#include "profile.h"
#include "screenshot.h"
#include "workspace.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QSize>
#include <QTemporaryDir>

#include <cstdio>
#include <optional>

namespace {

// `pipescope --screenshot FILE [--size WxH] [--theme system|light|dark]`,
// once the QApplication exists.
int screenshotCommand()
{
    QCommandLineParser parser;
    const QCommandLineOption shot(QStringLiteral("screenshot"), QStringLiteral("The PNG to write."), QStringLiteral("file"));
    const QCommandLineOption size(QStringLiteral("size"), QStringLiteral("The window's size."), QStringLiteral("WxH"),
                                  QStringLiteral("1280x800"));
    const QCommandLineOption theme(QStringLiteral("theme"), QStringLiteral("system, light or dark."), QStringLiteral("theme"),
                                   QStringLiteral("system"));
    parser.addOptions({shot, size, theme});
    if (!parser.parse(QApplication::arguments())) {
        std::fprintf(stderr, "pipescope: %s\n", qPrintable(parser.errorText()));
        return 2;
    }
    const QStringList wh = parser.value(size).split(QLatin1Char('x'));
    const QSize windowSize(wh.value(0).toInt(), wh.value(1).toInt());
    if (wh.size() != 2 || windowSize.width() < 200 || windowSize.height() < 150 || windowSize.width() > 8000 ||
        windowSize.height() > 8000) {
        std::fprintf(stderr, "pipescope: --size must be WIDTHxHEIGHT, from 200x150 to 8000x8000, not \"%s\"\n",
                     qPrintable(parser.value(size)));
        return 2;
    }
    const QString themeName = parser.value(theme);
    if (themeName == QLatin1String("light"))
        PipeScope::applyTheme(PipeScope::Theme::Light);
    else if (themeName == QLatin1String("dark"))
        PipeScope::applyTheme(PipeScope::Theme::Dark);
    else if (themeName != QLatin1String("system")) {
        std::fprintf(stderr, "pipescope: --theme must be system, light or dark, not \"%s\"\n", qPrintable(themeName));
        return 2;
    }
    return PipeScope::screenshot(parser.value(shot), windowSize);
}

int run(int argc, char *argv[])
{
    // Every client served holds descriptors: take what the system allows.
    PipeScope::Native::raiseDescriptorLimit();
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
                    "       pipescope --screenshot FILE [--size WxH] [--theme dark|light]\n"
                    "                                 save the window running the sample as PNG\n"
                    "       pipescope COMMAND --help  options of a command\n");
        return 0;
    }

    QString shotFile;
    std::optional<QTemporaryDir> home;
    if (argc >= 2 && qstrcmp(argv[1], "--screenshot") == 0) {
        if (argc < 3) {
            std::fprintf(stderr, "pipescope: --screenshot needs a FILE\n");
            return 2;
        }
        shotFile = QString::fromLocal8Bit(argv[2]);
        // A picture never depends on the user's settings or journals: both
        // go to a profile of its own.
        PipeScope::Profile::use(home.emplace().path());
        PipeScope::prepareScreenshotPlatform();
    } else {
        PipeScope::Profile::useFromEnvironment();
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
        return screenshotCommand();
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

} // namespace

int main(int argc, char *argv[])
{
    return PipeScope::Native::finishProcess(run(argc, argv));
}
