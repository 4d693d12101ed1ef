#include "replayscript.h"

#include "payloadreader.h"

#include <QHash>
#include <QSet>

#include <algorithm>

namespace PipeScope {

QList<ReplayScript> buildReplayScripts(const SessionHeader &header, const TrafficStore &store)
{
    return buildReplayScripts(header, store.snapshot());
}

QList<ReplayScript> buildReplayScripts(const SessionHeader &header, const TrafficStore::Snapshot &store,
                                       QString *error)
{
    std::unique_ptr<PayloadReader> backing; // made when a row needs it
    QHash<quint32, const SessionEndpoint *> endpoints;
    for (const SessionEndpoint &e : header.endpoints)
        endpoints.insert(e.id, &e);
    QList<ReplayScript> scripts;
    QHash<quint64, qsizetype> byConnection; // endpoint << 32 | instance -> script
    QHash<quint64, qint64> firstSend;
    for (qsizetype row = 0; row < store.count(); ++row) {
        const TrafficStore::Record &e = store.record(row);
        if (e.kind != EventKind::Data)
            continue;
        const SessionEndpoint *endpoint = endpoints.value(e.endpoint);
        // Without a header entry: a server if it has instances.
        const bool server = endpoint ? endpoint->kind == SessionEndpoint::Kind::Server : e.instance != 0;
        // Seen from the client: what it sent is "in" at a server, "out" at a client.
        const bool fromClient = server ? e.direction == Direction::In : e.direction == Direction::Out;
        const quint64 key = quint64(e.endpoint) << 32 | e.instance;
        auto it = byConnection.find(key);
        if (it == byConnection.end()) {
            if (!fromClient)
                continue; // a greeting before the client said anything
            ReplayScript script;
            script.endpoint = e.endpoint;
            script.instance = e.instance;
            const QString name = endpoint ? endpoint->name() : QString();
            script.title = server ? QStringLiteral("server %1 instance %2").arg(e.endpoint).arg(e.instance)
                                  : QStringLiteral("client %1").arg(e.endpoint);
            if (!name.isEmpty())
                script.title += QStringLiteral(" (%1)").arg(name);
            if (endpoint && server)
                script.type = endpoint->server.options.type;
            else if (endpoint)
                script.type = endpoint->client.options.type;
            it = byConnection.insert(key, scripts.size());
            firstSend.insert(key, e.timestampNs);
            scripts.append(script);
        }
        ReplayScript &script = scripts[*it];
        // Copies: a replay runs in threads of its own, apart from the store.
        QByteArray payload;
        if (e.flags & NotKept) {
            if (!backing)
                backing = std::make_unique<PayloadReader>(store);
            TrafficEvent read;
            if (!backing->read(row, read)) {
                if (error)
                    *error = backing->error();
                return {};
            }
            payload = std::move(read.payload);
        } else {
            payload = QByteArray(e.payload, qsizetype(e.size));
        }
        if (fromClient)
            script.steps.append({e.timestampNs - firstSend.value(key), payload, {}, row});
        else
            script.steps.last().replies.append(payload);
    }
    return scripts;
}

QList<ReplayScript> selectReplaySteps(const QList<ReplayScript> &scripts, const QList<qsizetype> &rows)
{
    const QSet<qsizetype> chosen(rows.cbegin(), rows.cend());
    QList<ReplayScript> selected;
    for (const ReplayScript &script : scripts) {
        ReplayScript kept = script;
        kept.steps.clear();
        for (const ReplayStep &step : script.steps)
            if (chosen.contains(step.row))
                kept.steps.append(step);
        if (kept.steps.isEmpty())
            continue;
        const qint64 first = kept.steps.constFirst().offsetNs;
        for (ReplayStep &step : kept.steps)
            step.offsetNs -= first;
        selected.append(kept);
    }
    return selected;
}

} // namespace PipeScope
