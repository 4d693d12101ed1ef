#include "handlenotifier.h"

#ifdef Q_OS_WIN
#include <QWinEventNotifier>
#else
#include <QSocketNotifier>
#endif

namespace PipeScope {

HandleNotifier::HandleNotifier(Native::NativeHandle readHandle, Native::NativeHandle writeHandle,
                               QObject *parent)
    : QObject(parent), m_read(createNotifier(readHandle, false)), m_write(createNotifier(writeHandle, true))
{
    m_write->setEnabled(false);
    connect(m_read, &Notifier::activated, this, &HandleNotifier::readable);
    connect(m_write, &Notifier::activated, this, &HandleNotifier::writable);
}

HandleNotifier::~HandleNotifier() = default;

void HandleNotifier::setReadEnabled(bool enabled)
{
    m_read->setEnabled(enabled);
}

void HandleNotifier::setWriteEnabled(bool enabled)
{
    m_write->setEnabled(enabled);
}

} // namespace PipeScope

#include "moc_handlenotifier.cpp"
