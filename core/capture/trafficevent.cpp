#include "trafficevent.h"

#include <chrono>

namespace PipeScope {

qint64 nowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

const char *directionName(Direction direction)
{
    switch (direction) {
    case Direction::In: return "in";
    case Direction::Out: return "out";
    case Direction::None: break;
    }
    return "";
}

const char *eventKindName(EventKind kind)
{
    switch (kind) {
    case EventKind::Connected: return "connected";
    case EventKind::Data: return "data";
    case EventKind::Disconnected: return "disconnected";
    case EventKind::Error: return "error";
    }
    return "";
}

} // namespace PipeScope
