#include "commandline.h"
#include "commands.h"
#include "descriptors.h"
#include "mainwindow.h"
#include "pipescope_version.h"
#include "settings.h"
#include "theme.h"
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

// The window's options, defined once. Parsed twice: before a display is
// needed (--help, --version, --screenshot's preparations), with the
// arguments as the system gives them, and once the QApplication exists,
// with Qt's own options (-platform, -style, ...) taken out by it.
struct WindowOptions
{
    QCommandLineOption help{{QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show this help.")};
    QCommandLineOption version{QStringLiteral("version"), QStringLiteral("Show the version.")};
    QCommandLineOption server{QStringLiteral("server"), QStringLiteral("Start a server on NAME."), QStringLiteral("name")};
    QCommandLineOption client{QStringLiteral("client"), QStringLiteral("Connect a client to NAME."),
                              QStringLiteral("name")};
    QCommandLineOption screenshot{QStringLiteral("screenshot"),
                                  QStringLiteral("Save the window, running the sample scenario, as a PNG, and quit."),
                                  QStringLiteral("file")};
    QCommandLineOption size{QStringLiteral("size"), QStringLiteral("With --screenshot: the window's size."),
                            QStringLiteral("WxH"), QStringLiteral("1280x800")};
    QCommandLineOption theme{QStringLiteral("theme"), QStringLiteral("With --screenshot: system, light or dark."),
                             QStringLiteral("theme"), QStringLiteral("system")};

    void addTo(QCommandLineParser &parser) const
    {
        QString description = QStringLiteral("Inspect named pipes: open the window (with these session files), "
                                             "or run a command without one.\n\nCommands (pipescope COMMAND --help "
                                             "for each):\n");
        for (const PipeScope::Cli::Command &command : PipeScope::Cli::commands())
            description += QStringLiteral("  pipescope %1\n      %2\n")
                               .arg((command.name + QLatin1Char(' ') + command.usage).trimmed(), command.summary);
        parser.setApplicationDescription(description);
        parser.addOptions({help, version, server, client, screenshot, size, theme});
        parser.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Session files to open."),
                                     QStringLiteral("[FILE...]"));
    }
};

int usageError(const QString &message)
{
    std::fprintf(stderr, "pipescope: %s (try pipescope --help)\n", qPrintable(message));
    return 2;
}

// --screenshot FILE [--size WxH] [--theme system|light|dark], once the
// QApplication exists.
int screenshotCommand(const QCommandLineParser &parser, const WindowOptions &options)
{
    const QStringList wh = parser.value(options.size).split(QLatin1Char('x'));
    const QSize windowSize(wh.value(0).toInt(), wh.value(1).toInt());
    if (wh.size() != 2 || windowSize.width() < 200 || windowSize.height() < 150 || windowSize.width() > 8000 ||
        windowSize.height() > 8000)
        return usageError(QStringLiteral("--size must be WIDTHxHEIGHT, from 200x150 to 8000x8000, not \"%1\"")
                              .arg(parser.value(options.size)));
    const QString themeName = parser.value(options.theme);
    if (themeName == QLatin1String("light"))
        PipeScope::applyTheme(PipeScope::Theme::Light);
    else if (themeName == QLatin1String("dark"))
        PipeScope::applyTheme(PipeScope::Theme::Dark);
    else if (themeName != QLatin1String("system"))
        return usageError(QStringLiteral("--theme must be system, light or dark, not \"%1\"").arg(themeName));
    return PipeScope::screenshot(parser.value(options.screenshot), windowSize);
}

// The arguments as the system gives them, before any application exists.
QStringList systemArguments(int argc, char *argv[])
{
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments.append(QString::fromLocal8Bit(argv[i]));
    return arguments;
}

int run(int argc, char *argv[])
{
    // Every client served holds descriptors: take what the system allows.
    PipeScope::Native::raiseDescriptorLimit();
    QCoreApplication::setOrganizationName(QStringLiteral("PipeScope"));
    QCoreApplication::setApplicationName(QStringLiteral("PipeScope"));
    // The desktop file and icons installed as io.github.pipescope.PipeScope.
    QGuiApplication::setDesktopFileName(QStringLiteral("io.github.pipescope.PipeScope"));
    // What --version, Help ▸ About, session files and pcapng exports name.
    QCoreApplication::setApplicationVersion(QStringLiteral(PIPESCOPE_VERSION " (commit " PIPESCOPE_COMMIT ")"));

    // Headless commands need no display: a QCoreApplication only.
    if (argc >= 2) {
        if (const PipeScope::Cli::Command *command = PipeScope::Cli::findCommand(QString::fromLocal8Bit(argv[1]))) {
            QCoreApplication app(argc, argv);
            return PipeScope::Cli::runCommand(*command, QCoreApplication::arguments().mid(2));
        }
    }

    const WindowOptions options;
    QCommandLineParser parser;
    options.addTo(parser);
    // A mistake is said once the QApplication has taken out Qt's options.
    (void)parser.parse(systemArguments(argc, argv));
    if (parser.isSet(options.help)) {
        // The help names the program as the application gives it.
        const QCoreApplication app(argc, argv);
        std::fputs(qPrintable(parser.helpText()), stdout);
        return 0;
    }
    if (parser.isSet(options.version)) {
        std::printf("pipescope %s (commit %s)\n", PIPESCOPE_VERSION, PIPESCOPE_COMMIT);
        return 0;
    }
    const bool screenshot = parser.isSet(options.screenshot);
    std::optional<QTemporaryDir> home;
    if (screenshot) {
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
    PipeScope::applyTheme(PipeScope::Settings::theme());
    if (!parser.parse(QApplication::arguments()))
        return usageError(parser.errorText());
    if (screenshot)
        return screenshotCommand(parser, options);
    PipeScope::MainWindow window;
    window.show();
    // SIGTERM, SIGINT, SIGHUP: stop every endpoint cleanly (a monitor puts
    // back the socket it moved), and keep the journal: nothing was saved.
    PipeScope::Cli::onInterrupt(&window, [&window] {
        window.keepJournalOnExit();
        // exit(), not quit(): Qt 6's quit() asks each window to close, and
        // one with unsaved traffic asks the user, who is not there.
        QCoreApplication::exit(0);
    });
    for (const QString &name : parser.values(options.server)) {
        PipeScope::ServerConfig config;
        config.name = name;
        window.workspace()->addServer(config);
    }
    for (const QString &name : parser.values(options.client)) {
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
