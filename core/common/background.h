#pragma once

#include <QCoreApplication>
#include <QPointer>
#include <QThread>

#include <utility>

namespace PipeScope {

// Starts a thread made by QThread::create(), which deletes itself when done.
// The application waits for every such thread as it ends, before its event
// dispatcher goes: a thread still finishing posts to the GUI thread (its
// result, its own deleteLater), and a post that meets a dispatcher being
// deleted wakes freed memory (ThreadSanitizer saw it at a test's end, a
// save's thread still finishing).
void startDetached(QThread *thread);

// Runs `work` in a thread of its own, which deletes itself when done. For
// work that blocks (files, pipes) or takes long, so the GUI thread does not.
template <typename Work>
void runDetached(Work work)
{
    startDetached(QThread::create(std::move(work)));
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
