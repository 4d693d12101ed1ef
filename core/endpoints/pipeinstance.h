#pragma once

#include "connectionworker.h"
#include "endpointconfig.h"
#include "scriptcursor.h"

namespace PipeScope {

// The server's side of one connected client, as the sample's InstanceThread:
// reads requests and, if asked to, answers each one.
class PipeInstance : public ConnectionWorker
{
    Q_OBJECT
public:
    PipeInstance(CaptureHub *hub, quint32 endpoint, quint32 instance, const ServerConfig &config);

protected:
    void handleMessage(const QByteArray &payload, const std::shared_ptr<const PayloadBlock> &block) override;

private:
    const AutoReply m_reply;
    const QByteArray m_replyBytes;
    const ReplyRuleSet m_rules;
    ScriptCursor m_script;
};

} // namespace PipeScope
