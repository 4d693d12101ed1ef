#include "cli.h"
#include "mainwindow.h"

#include <QApplication>
#include <QCoreApplication>

#include <cstdio>

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
        std::printf("Usage: pipescope                 open the inspector window\n"
                    "       pipescope serve NAME ...  run a pipe server, print its traffic\n"
                    "       pipescope send NAME MESSAGE...  connect, send, print replies\n"
                    "       pipescope list            list the pipes that exist\n"
                    "       pipescope COMMAND --help  options of a command\n");
        return 0;
    }

    QApplication app(argc, argv);
    PipeScope::MainWindow window;
    window.show();
    return QApplication::exec();
}
