#include "pipeinstance.h"

namespace PipeScope {

PipeInstance::PipeInstance(CaptureHub *hub, quint32 endpoint, quint32 instance, const ServerConfig &config)
    : ConnectionWorker(hub, endpoint, instance),
      m_reply(config.autoReply),
      m_replyBytes(config.replyBytes),
      m_rules(config.autoReply == AutoReply::Rules ? ReplyRuleSet(config.rules) : ReplyRuleSet())
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
    }
}

} // namespace PipeScope
