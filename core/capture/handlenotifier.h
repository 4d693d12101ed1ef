#pragma once

#include "nativepipe.h"

#include <QObject>

class QSocketNotifier;
class QWinEventNotifier;

namespace PipeScope {

// Turns the backend's waitable handles into Qt notifications in the thread
// that creates it: QSocketNotifier on Unix, QWinEventNotifier on Windows.
// The only platform-specific Qt code in PipeScope.
class HandleNotifier : public QObject
{
    Q_OBJECT
public:
    HandleNotifier(Native::NativeHandle readHandle, Native::NativeHandle writeHandle,
                   QObject *parent = nullptr);
    ~HandleNotifier() override;

    void setReadEnabled(bool enabled);
    void setWriteEnabled(bool enabled);

signals:
    void readable();
    void writable();

private:
#ifdef Q_OS_WIN
    using Notifier = QWinEventNotifier;
#else
    using Notifier = QSocketNotifier;
#endif
    // The platform's part (handlenotifier_unix.cpp, handlenotifier_win.cpp):
    // a notifier for a handle, to read or to write.
    Notifier *createNotifier(Native::NativeHandle handle, bool forWriting);

    Notifier *m_read = nullptr;
    Notifier *m_write = nullptr;
};

} // namespace PipeScope
