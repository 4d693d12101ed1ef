#include "sessionio.h"

#include "background.h"
#include "payloadreader.h"
#include "sessionload.h"
#include "userfile.h"

#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

#include <limits>

namespace PipeScope {

namespace {
constexpr qsizetype kBatch = 4096;
} // namespace

SessionSaver *SessionSaver::save(const QString &path, const SessionHeader &header, const TrafficStore &store,
                                 QObject *parent)
{
    auto *saver = new SessionSaver(parent);
    struct Saved
    {
        QString error;
        qint64 events = 0;
    };
    // Rows whose bytes the store did not keep are read back from its
    // backing file (the journal) as they come.
    auto save = [path, header, reader = std::make_shared<PayloadReader>(store.snapshot())]() mutable {
        const TrafficStore::Snapshot &snapshot = reader->snapshot();
        QSaveFile file(path);
        QString error;
        qint64 written = 0;
        if (!openUserOnly(file)) {
            error = QObject::tr("cannot save %1: %2").arg(path, file.errorString());
        } else {
            SessionWriter writer(&file);
            bool ok = writer.writeHeader(header);
            TrafficBatch batch;
            batch.reserve(kBatch);
            QString lost;
            // Settings changes go where they happened among the events.
            qsizetype change = 0;
            const auto writeChangesUntil = [&](qint64 timeNs) {
                const bool due = change < header.changes.size() && header.changes[change].sinceNs <= timeNs;
                if (due) {
                    ok = ok && writer.write(batch);
                    written += batch.size();
                    batch.clear();
                }
                for (; ok && change < header.changes.size() && header.changes[change].sinceNs <= timeNs; ++change)
                    ok = writer.writeEndpoint(header.changes[change]);
            };
            for (qsizetype row = 0; ok && row < snapshot.count(); ++row) {
                TrafficEvent event;
                if (!reader->read(row, event)) {
                    lost = reader->error();
                    break;
                }
                writeChangesUntil(event.timestampNs);
                batch.append(std::move(event));
                if (batch.size() == kBatch || row + 1 == snapshot.count()) {
                    ok = ok && writer.write(batch);
                    written += batch.size();
                    batch.clear();
                }
            }
            writeChangesUntil(std::numeric_limits<qint64>::max());
            if (!lost.isEmpty()) {
                error = QObject::tr("cannot save %1: %2").arg(path, lost);
                file.cancelWriting();
            } else if (!ok) {
                error = QObject::tr("cannot save %1: %2").arg(path, writer.errorString());
                file.cancelWriting();
            } else if (!file.commit()) {
                error = QObject::tr("cannot save %1: %2").arg(path, file.errorString());
            }
        }
        // The store may be waiting to go (its window closed): let it.
        reader->release();
        return Saved{error, error.isEmpty() ? written : 0};
    };
    runInBackground(saver, std::move(save), [saver](const Saved &saved) {
        emit saver->finished(saved.error.isEmpty(), saved.error, saved.events);
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

#include "moc_sessionio.cpp"
