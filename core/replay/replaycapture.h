#pragma once

#include "trafficevent.h"

#include <QObject>

#include <atomic>
#include <functional>

namespace PipeScope {

// A client replay's own traffic on its way to the window: a poster, called
// in the replay's thread (ReplayOptions::capture), collects the events;
// they are handed to `deliver` in the GUI thread, where `context` lives,
// in batches, one per turn of its event loop at most. Bounded: with more than `limitBytes`
// waiting to be handed over, the poster waits until they have been (the
// replay slows down) or `cancel` is set (the replay is ending). Once
// `context` is gone what it posts is dropped: no window is there to show it.
std::function<void(TrafficEvent)> replayCapturePoster(QObject *context, std::function<void(TrafficBatch)> deliver,
                                                      const std::atomic<bool> *cancel,
                                                      qint64 limitBytes = qint64(8) << 20);

} // namespace PipeScope
