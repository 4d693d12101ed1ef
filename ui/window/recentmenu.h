#pragma once

#include <QMenu>

namespace PipeScope {

// File ▸ Recent: the sessions opened or saved lately, then the names of
// the servers made and of the pipes connected to, read from the settings
// each time it opens. Each entry asks for its session to be opened or for
// its dialog with the name filled in.
class RecentMenu : public QMenu
{
    Q_OBJECT
public:
    explicit RecentMenu(QWidget *parent);

signals:
    void openSessionRequested(const QString &path);
    void newServerRequested(const QString &name);
    void connectClientRequested(const QString &name);

private:
    void refill();
};

} // namespace PipeScope
