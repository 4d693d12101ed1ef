#include "handlenotifier.h"

#include <windows.h>

#include <QWinEventNotifier>

namespace PipeScope {

// The backend's read and write handles are manual-reset events owned by the
// connection: signalled while a read has completed (or failed) or while no
// write is in flight. QWinEventNotifier reports each signal; the worker then
// calls read() or flush(), which restart the I/O and so reset the event.
HandleNotifier::HandleNotifier(Native::NativeHandle readHandle, Native::NativeHandle writeHandle,
                               QObject *parent)
    : QObject(parent),
      m_read(new QWinEventNotifier(reinterpret_cast<HANDLE>(readHandle), this)),
      m_write(new QWinEventNotifier(reinterpret_cast<HANDLE>(writeHandle), this))
{
    m_write->setEnabled(false);
    connect(m_read, &QWinEventNotifier::activated, this, &HandleNotifier::readable);
    connect(m_write, &QWinEventNotifier::activated, this, &HandleNotifier::writable);
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
