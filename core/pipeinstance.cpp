#include "pipeinstance.h"

namespace PipeScope {

PipeInstance::PipeInstance(CaptureHub *hub, quint32 endpoint, quint32 instance, AutoReply reply,
                           QByteArray replyBytes)
    : ConnectionWorker(hub, endpoint, instance), m_reply(reply), m_replyBytes(std::move(replyBytes))
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
    }
}

} // namespace PipeScope
