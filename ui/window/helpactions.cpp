#include "helpactions.h"
#include "actionregistry.h"
#include "userguidewindow.h"

#include <QAction>
#include <QApplication>
#include <QMessageBox>

namespace PipeScope {

HelpActions::HelpActions(ActionRegistry *actions, QWidget *window) : QObject(window), m_window(window)
{
    actions->add({"userGuide", tr("&User Guide"), nullptr, {QKeySequence(QKeySequence::HelpContents)}, {}}, this,
                 &HelpActions::showUserGuide);
    actions->add({"about", tr("&About PipeScope"), nullptr, {}, {}}, this, &HelpActions::showAbout)
        ->setMenuRole(QAction::AboutRole);
    actions->add({"aboutQt", tr("About &Qt"), nullptr, {}, {}}, qApp, &QApplication::aboutQt);
}

QWidget *HelpActions::showUserGuide()
{
    // Read from the app's resources, so it needs no network and no
    // installed files.
    if (m_guide) {
        m_guide->raise();
        m_guide->activateWindow();
        return m_guide;
    }
    auto *guide = new UserGuideWindow(m_window);
    guide->setAttribute(Qt::WA_DeleteOnClose);
    guide->show();
    m_guide = guide;
    return guide;
}

void HelpActions::showAbout()
{
    QMessageBox::about(
        m_window, tr("About PipeScope"),
        tr("<h3>PipeScope %1</h3>"
           "<p>An inspector for named pipes: create pipe servers, connect clients, send messages "
           "and watch every instance's traffic live.</p>"
           "<p>Win32 named pipes on Windows; Unix domain sockets on Linux (message pipes as "
           "SOCK_SEQPACKET, byte pipes as SOCK_STREAM), meeting Qt's QLocalServer and .NET's "
           "NamedPipeServerStream where they put their sockets.</p>"
           "<p>Built with Qt %2.</p>")
            .arg(QApplication::applicationVersion(), QString::fromLatin1(qVersion())));
}

} // namespace PipeScope

#include "moc_helpactions.cpp"
