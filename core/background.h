#pragma once

#include <QCoreApplication>
#include <QPointer>
#include <QThread>

#include <utility>

namespace PipeScope {

// Runs `work` in a thread of its own, which deletes itself when done. For
// work that blocks (files, pipes) or takes long, so the GUI thread does not.
template <typename Work>
void runDetached(Work work)
{
    QThread *thread = QThread::create(std::move(work));
    QObject::connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    thread->start();
}

// Runs `work()` in a thread of its own, then `done(result)` in the GUI
// thread, unless `context` has gone meanwhile (its window was closed).
template <typename Work, typename Done>
void runInBackground(QObject *context, Work work, Done done)
{
    QPointer<QObject> guard(context);
    runDetached([guard, work = std::move(work), done = std::move(done)]() mutable {
        auto result = work();
        // `guard` is looked at in the GUI thread only, where its object lives.
        QMetaObject::invokeMethod(
            qApp,
            [guard, done = std::move(done), result = std::move(result)]() mutable {
                if (guard)
                    done(std::move(result));
            },
            Qt::QueuedConnection);
    });
}

} // namespace PipeScope
