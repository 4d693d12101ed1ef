#include "handlenotifier.h"

#include <windows.h>

#include <QWinEventNotifier>

namespace PipeScope {

// The backend's read and write handles are manual-reset events owned by the
// connection: signalled while a read has completed (or failed) or while no
// write is in flight. QWinEventNotifier reports each signal; the worker then
// calls read() or flush(), which restart the I/O and so reset the event.
QWinEventNotifier *HandleNotifier::createNotifier(Native::NativeHandle handle, bool)
{
    return new QWinEventNotifier(reinterpret_cast<HANDLE>(handle), this);
}

} // namespace PipeScope
