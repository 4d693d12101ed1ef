#include "capturelog.h"

#include "filesync.h"
#include "userfile.h"

#include <QLoggingCategory>

#include <chrono>
#include <utility>

namespace PipeScope {

namespace {
Q_LOGGING_CATEGORY(lcLog, "pipescope.session", QtWarningMsg)

// What a power cut may lose at most: what was written in the last second.
// Syncing each write would cost a disk round trip per wake-up of every
// reading thread.
constexpr std::chrono::milliseconds kSyncInterval{1000};
} // namespace

CaptureLog::CaptureLog(const QString &path) : m_file(path) {}

std::unique_ptr<CaptureLog> CaptureLog::create(const QString &path, const SessionHeader &header, QString *error)
{
    std::unique_ptr<CaptureLog> log(new CaptureLog(path));
    QFile &file = log->m_file;
    // Unbuffered: each write goes to the system at once, which is what
    // makes the log write-ahead.
    if (!openUserOnly(file, QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Unbuffered)) {
        *error = QObject::tr("cannot record to %1: %2").arg(path, file.errorString());
        return nullptr;
    }
    log->m_writer = std::make_unique<SessionWriter>(&file);
    if (!log->m_writer->writeHeader(header)) {
        *error = QObject::tr("cannot record to %1: %2").arg(path, log->m_writer->errorString());
        return nullptr;
    }
    log->m_syncer = std::thread([raw = log.get()] { raw->syncLoop(); });
    return log;
}

CaptureLog::~CaptureLog()
{
    close();
}

void CaptureLog::setFailureHandler(std::function<void(const QString &)> handler)
{
    const std::lock_guard lock(m_mutex);
    m_onFailure = std::move(handler);
}

bool CaptureLog::append(TrafficBatch &batch)
{
    if (batch.isEmpty())
        return true;
    // Encoded outside the lock, so threads encode in parallel and only
    // take turns to write.
    QList<qsizetype> lineStarts;
    const QByteArray lines = encodeSessionEvents(batch, &lineStarts);
    const qint64 at = put(lines);
    if (at < 0)
        return false;
    for (qsizetype i = 0; i < batch.size(); ++i)
        batch[i].logOffset = at + lineStarts[i];
    return true;
}

bool CaptureLog::declare(const SessionEndpoint &endpoint)
{
    return put(encodeSessionEndpoint(endpoint) + '\n') >= 0;
}

qint64 CaptureLog::put(const QByteArray &lines)
{
    const std::lock_guard lock(m_mutex);
    if (!m_writer)
        return -1;
    // Opened unbuffered and only ever appended to: the position is the end.
    const qint64 at = m_file.pos();
    if (m_writer->writeLines(lines)) {
        m_dirty = true;
        return at;
    }
    const QString reason = QObject::tr("recording to %1 failed: %2; nothing more is written to it")
                               .arg(m_file.fileName(), m_writer->errorString());
    m_writer.reset();
    // Under the lock, so that once close() has returned no handler runs.
    if (const auto onFailure = std::exchange(m_onFailure, {}))
        onFailure(reason);
    return -1;
}

void CaptureLog::syncLoop()
{
    std::unique_lock lock(m_mutex);
    while (!m_closing) {
        m_wake.wait_for(lock, kSyncInterval, [this] { return m_closing; });
        if (!m_dirty || !m_file.isOpen())
            continue;
        m_dirty = false;
        const int fd = m_file.handle();
        // The writers go on meanwhile: the system syncs what it has.
        lock.unlock();
        const Native::NativeError error = Native::syncToDisk(fd);
        lock.lock();
        if (error.isError())
            qCWarning(lcLog, "%s: %s", qPrintable(m_file.fileName()), error.message().c_str());
    }
}

void CaptureLog::close(bool remove)
{
    {
        const std::lock_guard lock(m_mutex);
        m_closing = true;
        m_writer.reset();
    }
    m_wake.notify_all();
    if (m_syncer.joinable())
        m_syncer.join();
    if (!m_file.isOpen())
        return;
    if (remove) {
        m_file.remove();
        return;
    }
    if (const Native::NativeError error = Native::syncToDisk(m_file.handle()); error.isError())
        qCWarning(lcLog, "%s: %s", qPrintable(m_file.fileName()), error.message().c_str());
    m_file.close();
}

} // namespace PipeScope
