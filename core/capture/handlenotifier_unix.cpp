#include "handlenotifier.h"

#include <QSocketNotifier>

namespace PipeScope {

// A descriptor is readable or writable: the socket notifier of that kind.
QSocketNotifier *HandleNotifier::createNotifier(Native::NativeHandle handle, bool forWriting)
{
    return new QSocketNotifier(qintptr(handle), forWriting ? QSocketNotifier::Write : QSocketNotifier::Read, this);
}

} // namespace PipeScope
