#include "replay.h"

#include "payload.h"

#include <QHash>

namespace PipeScope {

QList<ReplayScript> buildReplayScripts(const SessionHeader &header, const QList<TrafficEvent> &events)
{
    QHash<quint32, const SessionEndpoint *> endpoints;
    for (const SessionEndpoint &e : header.endpoints)
        endpoints.insert(e.id, &e);
    QList<ReplayScript> scripts;
    QHash<quint64, qsizetype> byConnection; // endpoint << 32 | instance -> script
    QHash<quint64, qint64> firstSend;
    for (const TrafficEvent &e : events) {
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
        if (fromClient)
            script.steps.append({e.timestampNs - firstSend.value(key), e.payload, {}});
        else
            script.steps.last().replies.append(e.payload);
    }
    return scripts;
}

bool ReplyComparer::setIgnore(const QString &regex, QString *error)
{
    QRegularExpression ignore(regex);
    if (!ignore.isValid()) {
        if (error)
            *error = QStringLiteral("--ignore: %1 at position %2").arg(ignore.errorString()).arg(ignore.patternErrorOffset());
        return false;
    }
    m_ignore = ignore;
    return true;
}

QByteArray ReplyComparer::normalized(const QByteArray &bytes) const
{
    if (m_ignore.pattern().isEmpty())
        return bytes;
    QString text = QString::fromUtf8(bytes);
    text.replace(m_ignore, QStringLiteral("\u2026"));
    return text.toUtf8();
}

bool ReplyComparer::same(const QByteArray &expected, const QByteArray &got) const
{
    if (expected == got)
        return true;
    return !m_ignore.pattern().isEmpty() && normalized(expected) == normalized(got);
}

QString ReplyComparer::describeDifference(const QByteArray &expected, const QByteArray &got)
{
    qsizetype at = 0;
    while (at < expected.size() && at < got.size() && expected[at] == got[at])
        ++at;
    return QStringLiteral("  expected: %1 (%2)\n       got: %3 (%4)\n  first difference at byte %5")
        .arg(previewPayload(expected, 100), formatSize(quint64(expected.size())), previewPayload(got, 100),
             formatSize(quint64(got.size())))
        .arg(at);
}

} // namespace PipeScope
