#include "handlenotifier.h"

#include <QSocketNotifier>

namespace PipeScope {

HandleNotifier::HandleNotifier(Native::NativeHandle readHandle, Native::NativeHandle writeHandle,
                               QObject *parent)
    : QObject(parent),
      m_read(new QSocketNotifier(qintptr(readHandle), QSocketNotifier::Read, this)),
      m_write(new QSocketNotifier(qintptr(writeHandle), QSocketNotifier::Write, this))
{
    m_write->setEnabled(false);
    connect(m_read, &QSocketNotifier::activated, this, &HandleNotifier::readable);
    connect(m_write, &QSocketNotifier::activated, this, &HandleNotifier::writable);
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
