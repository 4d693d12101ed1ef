#pragma once

class QMessageBox;
class QString;
class QWidget;

namespace PipeScope {

// A warning over `parent` that never blocks: window-modal, deleted when
// closed, returned at once (a nested event loop would stall a caller that
// drives the window itself, as --screenshot does).
QMessageBox *showWarning(QWidget *parent, const QString &title, const QString &text);

} // namespace PipeScope
