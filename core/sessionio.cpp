#include "sessionio.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QPointer>
#include <QSaveFile>
#include <QThread>

namespace PipeScope {

namespace {
constexpr qsizetype kBatch = 4096;

// Runs `work` in a thread of its own, which deletes itself when done.
template<typename Work>
void runDetached(Work work)
{
    QThread *thread = QThread::create(std::move(work));
    QObject::connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    thread->start();
}
} // namespace

SessionSaver *SessionSaver::save(const QString &path, const SessionHeader &header, const TrafficStore &store,
                                 QObject *parent)
{
    auto *saver = new SessionSaver(parent);
    QPointer<SessionSaver> self(saver);
    const TrafficStore::Snapshot snapshot = store.snapshot();
    runDetached([self, path, header, snapshot] {
        QSaveFile file(path);
        QString error;
        qint64 written = 0;
        if (!file.open(QIODevice::WriteOnly)) {
            error = QObject::tr("cannot save %1: %2").arg(path, file.errorString());
        } else {
            SessionWriter writer(&file);
            bool ok = writer.writeHeader(header);
            TrafficBatch batch;
            batch.reserve(kBatch);
            for (qsizetype row = 0; ok && row < snapshot.count(); ++row) {
                batch.append(snapshot.eventAt(row));
                if (batch.size() == kBatch || row + 1 == snapshot.count()) {
                    ok = writer.write(batch);
                    written += batch.size();
                    batch.clear();
                }
            }
            if (!ok) {
                error = QObject::tr("cannot save %1: %2").arg(path, writer.errorString());
                file.cancelWriting();
            } else if (!file.commit()) {
                error = QObject::tr("cannot save %1: %2").arg(path, file.errorString());
            }
        }
        QMetaObject::invokeMethod(
            qApp,
            [self, error, written] {
                if (self)
                    emit self->finished(error.isEmpty(), error, error.isEmpty() ? written : 0);
            },
            Qt::QueuedConnection);
    });
    return saver;
}

SessionOpener *SessionOpener::open(const QString &path, QObject *parent)
{
    qRegisterMetaType<SessionHeader>();
    auto *opener = new SessionOpener(parent);
    QPointer<SessionOpener> self(opener);
    QThread *receiver = opener->thread();
    runDetached([self, path, receiver] {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            const QString error = QObject::tr("cannot open %1: %2").arg(path, file.errorString());
            QMetaObject::invokeMethod(qApp, [self, error] { if (self) emit self->failed(error); }, Qt::QueuedConnection);
            return;
        }
        auto *store = new TrafficStore;
        const SessionLoad load = loadSession(&file, *store);
        if (!load.ok) {
            delete store;
            const QString error = QStringLiteral("%1: %2").arg(QFileInfo(path).fileName(), load.error);
            QMetaObject::invokeMethod(qApp, [self, error] { if (self) emit self->failed(error); }, Qt::QueuedConnection);
            return;
        }
        // Hand the store to the receiver's thread; nothing here touches it again.
        store->moveToThread(receiver);
        const SessionHeader header = load.header;
        const QString warning = load.warning.isEmpty() ? QString()
                                                       : QStringLiteral("%1: %2").arg(QFileInfo(path).fileName(), load.warning);
        QMetaObject::invokeMethod(
            qApp,
            [self, store, header, warning] {
                if (self)
                    emit self->opened(store, header, warning);
                else
                    delete store;
            },
            Qt::QueuedConnection);
    });
    return opener;
}

} // namespace PipeScope
