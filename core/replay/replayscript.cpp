#include "replayscript.h"

#include "payloadreader.h"

#include <QHash>
#include <QSet>

#include <algorithm>
#include <cstdlib>

namespace PipeScope {

QList<ReplayScript> buildReplayScripts(const SessionHeader &header, const TrafficStore &store)
{
    return buildReplayScripts(header, store.snapshot());
}

namespace {

// How far apart the two ends of one conversation may see its first message.
constexpr qint64 kMirrorWindowNs = 1'000'000'000;

// A conversation between two of the session's own endpoints was recorded
// at both ends: the client's script and the server instance's hold the
// same messages. Counted or replayed twice it would be sent twice: the
// client's side is kept, knowing the instance's rows too.
QList<ReplayScript> withoutMirrors(QList<ReplayScript> scripts, const QList<qint64> &startNs)
{
    QList<bool> mirrored(scripts.size(), false);
    for (qsizetype s = 0; s < scripts.size(); ++s) {
        if (scripts[s].instance == 0)
            continue; // servers' instances are matched to clients
        for (qsizetype c = 0; c < scripts.size(); ++c) {
            ReplayScript &client = scripts[c];
            const ReplayScript &server = scripts[s];
            if (client.instance != 0 || client.steps.size() != server.steps.size() ||
                std::abs(startNs[c] - startNs[s]) > kMirrorWindowNs)
                continue;
            const bool same = std::equal(client.steps.cbegin(), client.steps.cend(), server.steps.cbegin(),
                                         [](const ReplayStep &a, const ReplayStep &b) {
                                             return a.send == b.send && a.replies == b.replies;
                                         });
            if (!same || client.steps.front().mirrorRow >= 0)
                continue;
            for (qsizetype k = 0; k < client.steps.size(); ++k)
                client.steps[k].mirrorRow = server.steps[k].row;
            client.title += QStringLiteral(" ↔ %1").arg(server.title);
            mirrored[s] = true;
            break;
        }
    }
    QList<ReplayScript> kept;
    for (qsizetype i = 0; i < scripts.size(); ++i)
        if (!mirrored[i])
            kept.append(std::move(scripts[i]));
    return kept;
}

} // namespace

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
        const bool server = endpoint ? endpoint->kind != SessionEndpoint::Kind::Client : e.instance != 0;
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
    QList<qint64> startNs;
    for (const ReplayScript &script : std::as_const(scripts))
        startNs.append(firstSend.value(quint64(script.endpoint) << 32 | script.instance));
    return withoutMirrors(scripts, startNs);
}

QList<ReplayScript> selectReplaySteps(const QList<ReplayScript> &scripts, const QList<qsizetype> &rows)
{
    const QSet<qsizetype> chosen(rows.cbegin(), rows.cend());
    QList<ReplayScript> selected;
    for (const ReplayScript &script : scripts) {
        ReplayScript kept = script;
        kept.steps.clear();
        for (const ReplayStep &step : script.steps)
            if (chosen.contains(step.row) || chosen.contains(step.mirrorRow))
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
