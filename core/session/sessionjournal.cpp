#include "sessionjournal.h"

#include <algorithm>

#include "capturehub.h"
#include "capturelog.h"
#include "interpose.h"
#include "profile.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLockFile>
#include <QLoggingCategory>
#include <QThread>

#include <memory>

namespace PipeScope {

namespace {

QString lockPathFor(const QString &journal)
{
    return journal.chopped(int(QStringLiteral(".pipescope").size())) + QStringLiteral(".lock");
}
} // namespace

// Lives in the journal's thread: opens the log and holds the lock.
class SessionJournal::Writer : public QObject
{
public:
    Writer(QString path, CaptureHub *hub) : m_path(std::move(path)), m_hub(hub) {}

    // In the writer's thread. `onFailure` is called in the thread whose
    // write failed.
    QString open(std::function<void(const QString &)> onFailure)
    {
        const QString directory = QFileInfo(m_path).absolutePath();
        QDir().mkpath(directory);
        // Captured traffic is the user's alone, as the pipes' directories are.
        QFile::setPermissions(directory, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
        m_lock = std::make_unique<QLockFile>(lockPathFor(m_path));
        m_lock->setStaleLockTime(0);
        QString error;
        if (!m_lock->tryLock(0))
            error = QObject::tr("the journal %1 is in use").arg(m_path);
        SessionHeader header;
        header.app = QCoreApplication::applicationVersion();
        if (error.isEmpty())
            m_log = CaptureLog::create(m_path, header, &error);
        if (m_log)
            m_log->setFailureHandler(std::move(onFailure));
        // Also when it failed: the hub stops keeping what it awaited.
        m_hub->setLog(m_log);
        return m_log ? QString() : error;
    }
    void declare(const SessionEndpoint &endpoint)
    {
        // A failure is reported by the log's handler.
        if (m_log)
            m_log->declare(endpoint);
    }
    void close(bool remove)
    {
        m_hub->setLog(nullptr);
        if (m_log)
            m_log->close(remove);
        m_log.reset();
        if (m_lock)
            m_lock->unlock();
        m_lock.reset();
    }

private:
    QString m_path;
    CaptureHub *m_hub;
    std::shared_ptr<CaptureLog> m_log;
    std::unique_ptr<QLockFile> m_lock;
};

SessionJournal::SessionJournal(const QString &directory, CaptureHub *hub, QObject *parent)
    : QObject(parent),
      m_path(QDir(directory).filePath(QStringLiteral("journal-%1.pipescope").arg(QCoreApplication::applicationPid()))),
      m_thread(std::make_unique<WorkerThread<Writer>>(QStringLiteral("journal")))
{
    // Everything captured from now on is kept until the log is open.
    hub->awaitLog();
    const auto report = [this](const QString &error) {
        QMetaObject::invokeMethod(this, [this, error] { emit failed(error); }, Qt::QueuedConnection);
    };
    m_thread->post([report](Writer *writer) {
        const QString error = writer->open(report);
        if (!error.isEmpty())
            report(error);
    });
    if (!m_thread->start([path = m_path, hub] { return std::make_unique<Writer>(path, hub); })) {
        hub->setLog(nullptr);
        report(tr("the journal %1 could not be started: no thread to spare").arg(m_path));
    }
}

SessionJournal::~SessionJournal()
{
    // The close runs after everything asked before it (a discard, say),
    // then the thread ends; the writer is deleted in it.
    m_thread->finish([](Writer *writer) { writer->close(false); });
    m_thread->join();
}

void SessionJournal::declare(const SessionEndpoint &endpoint)
{
    m_thread->post([endpoint](Writer *writer) { writer->declare(endpoint); });
}

void SessionJournal::discard()
{
    m_thread->post([](Writer *writer) { writer->close(true); });
}

QString SessionJournal::defaultDirectory()
{
    return Profile::dataDirectory() + QStringLiteral("/journal");
}

QString SessionJournal::legacyDirectory()
{
    const QString legacy = Profile::legacyDataDirectory();
    return legacy.isEmpty() ? QString() : legacy + QStringLiteral("/journal");
}

namespace {

// The sockets the interposing monitors among `endpoints` left moved aside.
QStringList stillMovedAside(const QList<SessionEndpoint> &endpoints)
{
    QStringList moved;
    for (const SessionEndpoint &e : endpoints) {
        if (e.kind != SessionEndpoint::Kind::Monitor || !e.server.interpose)
            continue;
        const auto name = Native::PipeName::parse(e.server.name.toStdString());
        const auto address = name ? Native::resolvePipeName(name.value(), e.server.options.convention, Native::Probe::None)
                                  : Native::Result<Native::PipeAddress>(name.error());
        if (address && Native::findMovedAside(address.value()))
            moved << QString::fromStdString(address.value().display());
    }
    moved.removeDuplicates();
    return moved;
}

} // namespace

QList<SessionJournal::Orphan> SessionJournal::orphans(const QStringList &directories)
{
    QList<Orphan> found;
    QFileInfoList files;
    for (const QString &directory : directories)
        if (!directory.isEmpty())
            files += QDir(directory).entryInfoList({QStringLiteral("journal-*.pipescope")}, QDir::Files);
    std::sort(files.begin(), files.end(),
              [](const QFileInfo &a, const QFileInfo &b) { return a.lastModified() < b.lastModified(); });
    for (const QFileInfo &file : files) {
        // A free lock (its process gone, or never taken) means nobody
        // writes it, and nobody else offers it: taken, it is ours to offer.
        auto lock = std::make_shared<QLockFile>(lockPathFor(file.absoluteFilePath()));
        lock->setStaleLockTime(0);
        if (!lock->tryLock(0))
            continue;
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
        const QStringList moved = stillMovedAside(header.endpoints + reader.declaredEndpoints());
        if (events == 0 && moved.isEmpty())
            remove(file.absoluteFilePath()); // nothing was captured: nothing to offer
        else
            found.append({file.absoluteFilePath(), events, moved, std::move(lock)});
    }
    return found;
}

QStringList SessionJournal::putBack(const QStringList &movedAside)
{
    QStringList problems;
    for (const QString &path : movedAside) {
        Native::PipeAddress address;
        address.path = path.toStdString();
        const auto found = Native::findMovedAside(address);
        const Native::NativeError error = found ? Native::putBack(found.value()) : found.error();
        if (error.isError())
            problems << QString::fromStdString(error.message());
    }
    return problems;
}

QString SessionJournal::adopt(const Orphan &orphan)
{
    const QFileInfo file(orphan.path);
    const QString adopted = file.absolutePath() + QStringLiteral("/recovered-%1-%2.pipescope")
                                                      .arg(file.completeBaseName().section(QLatin1Char('-'), 1),
                                                           QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss")));
    const bool renamed = QFile::rename(orphan.path, adopted);
    // Renamed first: no other PipeScope can claim it in between.
    letGo(orphan);
    return renamed ? adopted : orphan.path;
}

void SessionJournal::remove(const Orphan &orphan)
{
    QFile::remove(orphan.path);
    letGo(orphan);
}

void SessionJournal::letGo(const Orphan &orphan)
{
    if (orphan.claim && orphan.claim->isLocked())
        orphan.claim->unlock(); // removes the lock file
    else
        QFile::remove(lockPathFor(orphan.path));
}

void SessionJournal::remove(const QString &journal)
{
    QFile::remove(journal);
    QFile::remove(lockPathFor(journal));
}

} // namespace PipeScope

#include "moc_sessionjournal.cpp"
