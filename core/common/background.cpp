#include "background.h"

#include <algorithm>
#include <mutex>
#include <vector>

namespace PipeScope {

namespace {

// Threads started by startDetached() that have not been deleted yet.
struct Detached
{
    std::mutex mutex;
    std::vector<QThread *> threads;
    QCoreApplication *waitsAtExit = nullptr; // the application that will wait
};

Detached &detached()
{
    static Detached d;
    return d;
}

// A post routine: runs in ~QCoreApplication, in the GUI thread, before the
// event dispatcher is deleted. Each thread is waited for (so it has posted
// all it will) and deleted (which drops its pending deleteLater).
void waitForDetached()
{
    for (;;) {
        QThread *thread = nullptr;
        {
            const std::lock_guard lock(detached().mutex);
            detached().waitsAtExit = nullptr;
            if (detached().threads.empty())
                return;
            thread = detached().threads.back();
        }
        thread->wait();
        delete thread; // its destroyed() handler forgets it
    }
}

} // namespace

void startDetached(QThread *thread)
{
    {
        const std::lock_guard lock(detached().mutex);
        detached().threads.push_back(thread);
        if (QCoreApplication::instance() && detached().waitsAtExit != QCoreApplication::instance()) {
            detached().waitsAtExit = QCoreApplication::instance();
            qAddPostRoutine(waitForDetached);
        }
    }
    QObject::connect(thread, &QObject::destroyed, [thread] {
        const std::lock_guard lock(detached().mutex);
        std::erase(detached().threads, thread);
    });
    QObject::connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    thread->start();
}

} // namespace PipeScope
