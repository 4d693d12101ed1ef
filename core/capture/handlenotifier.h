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
    QWinEventNotifier *m_read = nullptr;
    QWinEventNotifier *m_write = nullptr;
#else
    QSocketNotifier *m_read = nullptr;
    QSocketNotifier *m_write = nullptr;
#endif
};

} // namespace PipeScope
