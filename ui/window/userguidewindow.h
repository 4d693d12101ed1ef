#pragma once

#include <QDialog>

namespace PipeScope {

// Help ▸ User Guide: docs/user-guide.md, read from the app's resources (no
// network, no installed files), its links to the README and the session
// format followed inside, a Back button for them.
class UserGuideWindow : public QDialog
{
    Q_OBJECT
public:
    explicit UserGuideWindow(QWidget *parent = nullptr);
};

} // namespace PipeScope
