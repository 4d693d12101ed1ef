#include "sessionload.h"

#include "trafficstore.h"

#include <QHash>
#include <QSet>

namespace PipeScope {

namespace {

// The first line whose endpoint nothing declares, in words; empty if none.
QString undeclaredEndpoint(const SessionHeader &header, const QHash<quint32, qint64> &firstLines)
{
    QSet<quint32> declared;
    for (const SessionEndpoint &endpoint : header.endpoints)
        declared.insert(endpoint.id);
    qint64 line = -1;
    quint32 endpoint = 0;
    for (auto it = firstLines.cbegin(); it != firstLines.cend(); ++it)
        if (!declared.contains(it.key()) && (line < 0 || it.value() < line)) {
            line = it.value();
            endpoint = it.key();
        }
    if (line < 0)
        return {};
    return QStringLiteral("line %1: endpoint %2 is not declared (in the header's \"endpoints\" or by an "
                          "{\"endpoint\":…} line)")
        .arg(line)
        .arg(endpoint);
}

} // namespace

SessionLoad loadSession(QIODevice *device, TrafficStore &store, std::size_t maxPayload)
{
    constexpr qsizetype kBatch = 4096;
    SessionLoad load;
    SessionReader reader(device, maxPayload);
    if (!reader.readHeader(load.header)) {
        load.error = reader.error();
        return load;
    }
    TrafficBatch batch;
    batch.reserve(kBatch);
    TrafficEvent event;
    // Every event's endpoint is declared: in the header, or by an
    // {"endpoint":…} line anywhere (a journal declares an endpoint once
    // the window has it, which may be after its first events were written
    // ahead). The line where each endpoint first appears, to name it.
    QHash<quint32, qint64> firstLines;
    for (;;) {
        const SessionReader::Status status = reader.next(event);
        if (status == SessionReader::Status::Event) {
            if (!firstLines.contains(event.endpoint))
                firstLines.insert(event.endpoint, reader.line());
            batch.append(std::move(event));
            if (batch.size() == kBatch) {
                store.append(batch);
                load.events += batch.size();
                batch.clear();
            }
            continue;
        }
        store.append(batch);
        load.events += batch.size();
        for (const SessionEndpoint &declared : reader.declaredEndpoints())
            load.header.declare(declared);
        if (status == SessionReader::Status::Error) {
            load.error = reader.error();
            return load;
        }
        const QString undeclared = undeclaredEndpoint(load.header, firstLines);
        if (status == SessionReader::Status::Truncated) {
            // A journal cut off by a crash may have lost a declaration
            // that was still to be written: what it holds is kept.
            load.warning = undeclared.isEmpty() ? reader.error() : reader.error() + QStringLiteral("; ") + undeclared;
        } else if (!undeclared.isEmpty()) {
            load.error = undeclared;
            return load;
        }
        load.ok = true;
        return load;
    }
}

} // namespace PipeScope
