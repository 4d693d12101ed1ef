#include "pipeinstance.h"

namespace PipeScope {

PipeInstance::PipeInstance(CaptureHub *hub, quint32 endpoint, quint32 instance, const ServerConfig &config)
    : ConnectionWorker(hub, endpoint, instance),
      m_reply(config.autoReply),
      m_replyBytes(config.replyBytes),
      m_rules(config.autoReply == AutoReply::Rules ? ReplyRuleSet(config.rules) : ReplyRuleSet()),
      m_script(ScriptCursor::forInstance(config, instance))
{
}

void PipeInstance::handleMessage(const QByteArray &payload, const std::shared_ptr<const PayloadBlock> &block)
{
    switch (m_reply) {
    case AutoReply::Off:
        break;
    case AutoReply::Echo:
        send(payload, block);
        break;
    case AutoReply::Fixed:
        send(m_replyBytes);
        break;
    case AutoReply::Rules:
        if (auto reply = m_rules.replyTo(payload))
            send(*reply);
        break;
    case AutoReply::Script:
        // Each connection walks its conversation from the start.
        for (const ScriptCursor::Step &step : m_script.feed(payload)) {
            if (step.index < m_script.size()) {
                for (const QByteArray &reply : m_script.step(step.index).replies)
                    send(reply);
            }
        }
        break;
    }
}

} // namespace PipeScope

#include "moc_pipeinstance.cpp"
