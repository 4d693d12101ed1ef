#include "replaycapture.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QMutex>
#include <QPointer>
#include <QWaitCondition>

#include <memory>

namespace PipeScope {

namespace {

// What the replay's thread posted and the context's thread has not taken.
struct Inbox
{
    QMutex mutex;
    QWaitCondition taken;
    TrafficBatch pending;
    qint64 bytes = 0;
    bool scheduled = false; // a hand-over is on its way
    bool gone = false;      // the context is: post nothing more
};

qint64 sizeOf(const TrafficEvent &event)
{
    return event.payload.size() + qint64(sizeof(TrafficEvent));
}

} // namespace

std::function<void(TrafficEvent)> replayCapturePoster(QObject *context, std::function<void(TrafficBatch)> deliver,
                                                      const std::atomic<bool> *cancel, qint64 limitBytes)
{
    auto inbox = std::make_shared<Inbox>();
    QPointer<QObject> guard(context);
    // Runs in the context's thread: takes everything, wakes a waiting poster.
    auto handOver = [inbox, guard, deliver = std::move(deliver)] {
        TrafficBatch batch;
        {
            QMutexLocker lock(&inbox->mutex);
            batch = std::exchange(inbox->pending, {});
            inbox->bytes = 0;
            inbox->scheduled = false;
            inbox->gone = !guard;
            inbox->taken.wakeAll();
        }
        if (guard && !batch.isEmpty())
            deliver(std::move(batch));
    };
    return [inbox, cancel, limitBytes, handOver](TrafficEvent event) {
        QMutexLocker lock(&inbox->mutex);
        // A hand-over is queued whenever bytes are pending: it comes.
        while (inbox->bytes > limitBytes && !inbox->gone && !(cancel && cancel->load()))
            inbox->taken.wait(&inbox->mutex, QDeadlineTimer(20));
        if (inbox->gone)
            return;
        inbox->bytes += sizeOf(event);
        inbox->pending.append(std::move(event));
        if (inbox->scheduled)
            return;
        inbox->scheduled = true;
        lock.unlock();
        // To the application, which outlives the context: `guard` says
        // there whether the context is still there.
        QMetaObject::invokeMethod(qApp, handOver, Qt::QueuedConnection);
    };
}

} // namespace PipeScope
