#include "replayserver.h"

namespace PipeScope {

ReplayServer::ReplayServer(QList<ReplayScript> scripts, QObject *parent)
    : QObject(parent),
      m_scripts(std::move(scripts)),
      m_server(1, &m_hub)
{
    connect(&m_hub, &CaptureHub::batchReady, this, &ReplayServer::onBatch);
    connect(&m_server, &PipeServer::listening, this, &ReplayServer::listening);
    connect(&m_server, &PipeServer::errorOccurred, this, &ReplayServer::errorOccurred);
    connect(&m_server, &PipeServer::stopped, this, [this] {
        // Whatever the instances still reported comes before the end.
        m_hub.flush();
        emit stopped();
    });
}

ReplayServer::~ReplayServer() = default;

ServerConfig ReplayServer::configFor(const QList<ReplayScript> &scripts, const QString &name,
                                     Native::Convention convention)
{
    ServerConfig config;
    config.name = name;
    config.options.convention = convention;
    if (!scripts.isEmpty() && scripts.constFirst().type) {
        const Native::PipeType type = *scripts.constFirst().type;
        config.options.type = type;
        config.options.readMode = type == Native::PipeType::Byte ? Native::ReadMode::Byte : Native::ReadMode::Message;
    }
    config.autoReply = AutoReply::Script;
    for (const ReplayScript &script : scripts)
        config.scripts.append(script.steps);
    return config;
}

void ReplayServer::start(const QString &name, Native::Convention convention, quint64 clients)
{
    m_config = configFor(m_scripts, name, convention);
    m_clients = clients;
    m_ended = 0;
    m_cursors.clear();
    m_server.start(m_config);
}

void ReplayServer::stop()
{
    m_server.stop();
}

bool ReplayServer::isRunning() const
{
    const PipeServer::State state = m_server.state();
    return state == PipeServer::State::Starting || state == PipeServer::State::Listening
        || state == PipeServer::State::Stopping;
}

ReplayExchange ReplayServer::exchangeFor(quint32 instance, const ScriptCursor &cursor, qsizetype index) const
{
    ReplayExchange exchange;
    const qsizetype conversation = ScriptCursor::conversationFor(instance, m_scripts.size());
    exchange.script = tr("client #%1, conversation %2").arg(instance).arg(conversation + 1);
    exchange.index = index;
    if (index < cursor.size()) {
        exchange.sent = cursor.step(index).replies.join();
        exchange.sentNothing = cursor.step(index).replies.isEmpty();
        exchange.expected = {cursor.step(index).send};
    } else {
        exchange.problem = tr("more than the %1 recorded messages").arg(cursor.size());
    }
    return exchange;
}

void ReplayServer::onBatch(const TrafficBatch &batch)
{
    emit captured(batch);
    for (const TrafficEvent &e : batch) {
        if (e.instance == 0 || m_scripts.isEmpty())
            continue;
        auto cursor = m_cursors.find(e.instance);
        // The same walk as the instance's own, which answers the client.
        if (cursor == m_cursors.end())
            cursor = m_cursors.insert(e.instance, ScriptCursor::forInstance(m_config, e.instance));
        if (e.kind == EventKind::Data && e.direction == Direction::In) {
            for (const ScriptCursor::Step &step : cursor->feed(e.payload)) {
                ReplayExchange exchange = exchangeFor(e.instance, *cursor, step.index);
                exchange.got = {step.got};
                emit exchanged(exchange);
            }
        } else if (e.kind == EventKind::Disconnected) {
            // A client that left early: the first message it did not send.
            if (cursor->position() < cursor->size()) {
                ReplayExchange exchange = exchangeFor(e.instance, *cursor, cursor->position());
                if (!cursor->pending().isEmpty())
                    exchange.got = {cursor->pending()};
                exchange.problem = tr("the client left after %1 of %2 messages").arg(cursor->position()).arg(cursor->size());
                emit exchanged(exchange);
            }
            m_cursors.erase(cursor);
            if (++m_ended == m_clients)
                m_server.stop();
        }
    }
}

} // namespace PipeScope

#include "moc_replayserver.cpp"
