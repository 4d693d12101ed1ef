#include "sessionjournal.h"

#include "filesync.h"
#include "profile.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLockFile>
#include <QLoggingCategory>
#include <QThread>
#include <QTimer>

#include <memory>

namespace PipeScope {

namespace {
Q_LOGGING_CATEGORY(lcJournal, "pipescope.core", QtWarningMsg)

// What a power cut may lose at most: what was written in the last second.
// Syncing each batch would cost a disk round trip per batch, 60 a second.
constexpr int kSyncIntervalMs = 1000;

QString lockPathFor(const QString &journal)
{
    return journal.chopped(int(QStringLiteral(".pipescope").size())) + QStringLiteral(".lock");
}
} // namespace

// Lives in the journal's thread: owns the file and its lock.
class SessionJournal::Writer : public QObject
{
public:
    explicit Writer(QString path) : m_path(std::move(path)) {}

    // In the writer's thread.
    QString open()
    {
        m_sync = new QTimer(this);
        m_sync->setSingleShot(true);
        m_sync->setInterval(kSyncIntervalMs);
        connect(m_sync, &QTimer::timeout, this, [this] { sync(); });
        QDir().mkpath(QFileInfo(m_path).absolutePath());
        m_lock = std::make_unique<QLockFile>(lockPathFor(m_path));
        m_lock->setStaleLockTime(0);
        if (!m_lock->tryLock(0))
            return QObject::tr("the journal %1 is in use").arg(m_path);
        m_file.setFileName(m_path);
        if (!m_file.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return QObject::tr("cannot write the journal %1: %2").arg(m_path, m_file.errorString());
        m_writer = std::make_unique<SessionWriter>(&m_file);
        SessionHeader header;
        header.app = QCoreApplication::applicationVersion();
        return check(m_writer->writeHeader(header));
    }
    QString declare(const SessionEndpoint &endpoint) { return m_writer ? check(m_writer->writeEndpoint(endpoint)) : QString(); }
    QString write(const TrafficBatch &batch) { return m_writer ? check(m_writer->write(batch)) : QString(); }
    void close(bool remove)
    {
        if (!remove)
            sync();
        m_writer.reset();
        m_file.close();
        if (remove)
            QFile::remove(m_path);
        if (m_lock)
            m_lock->unlock();
    }

private:
    QString check(bool ok)
    {
        if (ok && m_file.flush()) {
            if (!m_sync->isActive())
                m_sync->start();
            return {};
        }
        const QString error = QObject::tr("the journal %1 stopped: %2").arg(m_path, m_file.errorString());
        m_writer.reset(); // nothing more after a failure
        return error;
    }

    // What was flushed to the system goes to the disk too. A failure is
    // only logged: the data is still in the system's hands, and the
    // journal goes on.
    void sync()
    {
        if (m_sync)
            m_sync->stop();
        if (!m_file.isOpen())
            return;
        if (const Native::NativeError error = Native::syncToDisk(m_file.handle()); error.isError())
            qCWarning(lcJournal, "the journal %s: %s", qPrintable(m_path), error.message().c_str());
    }

    QString m_path;
    QTimer *m_sync = nullptr;
    QFile m_file;
    std::unique_ptr<QLockFile> m_lock;
    std::unique_ptr<SessionWriter> m_writer;
};

SessionJournal::SessionJournal(const QString &directory, QObject *parent)
    : QObject(parent),
      m_path(QDir(directory).filePath(QStringLiteral("journal-%1.pipescope").arg(QCoreApplication::applicationPid()))),
      m_thread(new QThread),
      m_writer(new Writer(m_path))
{
    m_thread->setObjectName(QStringLiteral("journal"));
    m_writer->moveToThread(m_thread);
    // Deferred deletions still run in a thread that is finishing.
    connect(m_thread, &QThread::finished, m_writer, &QObject::deleteLater);
    m_thread->start();
    Writer *writer = m_writer;
    QMetaObject::invokeMethod(writer, [this, writer] {
        const QString error = writer->open();
        if (!error.isEmpty())
            QMetaObject::invokeMethod(this, [this, error] { emit failed(error); }, Qt::QueuedConnection);
    }, Qt::QueuedConnection);
}

SessionJournal::~SessionJournal()
{
    // Blocking, so the close certainly runs: a queued call could still be
    // waiting behind earlier batches when quit() ends the thread's loop.
    // The writer and its timer are deleted in their own thread as it ends.
    Writer *writer = m_writer;
    QMetaObject::invokeMethod(writer, [writer] { writer->close(false); }, Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
    delete m_thread;
}

void SessionJournal::declare(const SessionEndpoint &endpoint)
{
    Writer *writer = m_writer;
    QMetaObject::invokeMethod(writer, [this, writer, endpoint] {
        const QString error = writer->declare(endpoint);
        if (!error.isEmpty())
            QMetaObject::invokeMethod(this, [this, error] { emit failed(error); }, Qt::QueuedConnection);
    }, Qt::QueuedConnection);
}

void SessionJournal::append(const TrafficBatch &batch)
{
    // The batch is shared, not copied; its payloads are immutable.
    Writer *writer = m_writer;
    QMetaObject::invokeMethod(writer, [this, writer, batch] {
        const QString error = writer->write(batch);
        if (!error.isEmpty())
            QMetaObject::invokeMethod(this, [this, error] { emit failed(error); }, Qt::QueuedConnection);
    }, Qt::QueuedConnection);
}

void SessionJournal::discard()
{
    Writer *writer = m_writer;
    QMetaObject::invokeMethod(writer, [writer] { writer->close(true); }, Qt::QueuedConnection);
}

QString SessionJournal::defaultDirectory()
{
    return Profile::dataDirectory() + QStringLiteral("/journal");
}

QList<SessionJournal::Orphan> SessionJournal::orphans(const QString &directory)
{
    QList<Orphan> found;
    const QFileInfoList files = QDir(directory).entryInfoList({QStringLiteral("journal-*.pipescope")}, QDir::Files, QDir::Time | QDir::Reversed);
    for (const QFileInfo &file : files) {
        // A free lock (its process gone, or never taken) means nobody writes it.
        QLockFile lock(lockPathFor(file.absoluteFilePath()));
        lock.setStaleLockTime(0);
        if (!lock.tryLock(0))
            continue;
        lock.unlock();
        QFile journal(file.absoluteFilePath());
        if (!journal.open(QIODevice::ReadOnly))
            continue;
        SessionReader reader(&journal);
        SessionHeader header;
        TrafficEvent event;
        qint64 events = 0;
        if (reader.readHeader(header))
            while (reader.next(event) == SessionReader::Status::Event)
                ++events;
        journal.close();
        if (events == 0)
            remove(file.absoluteFilePath()); // nothing was captured: nothing to offer
        else
            found.append({file.absoluteFilePath(), events});
    }
    return found;
}

QString SessionJournal::adopt(const QString &orphan)
{
    const QFileInfo file(orphan);
    const QString adopted = file.absolutePath() + QStringLiteral("/recovered-%1-%2.pipescope")
                                                      .arg(file.completeBaseName().section(QLatin1Char('-'), 1),
                                                           QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss")));
    QFile::remove(lockPathFor(orphan));
    return QFile::rename(orphan, adopted) ? adopted : orphan;
}

void SessionJournal::remove(const QString &orphan)
{
    QFile::remove(orphan);
    QFile::remove(lockPathFor(orphan));
}

} // namespace PipeScope
