#include "scriptcursor.h"

#include "endpointconfig.h"

namespace PipeScope {

ScriptCursor::ScriptCursor(QList<ReplayStep> steps, bool messages)
    : m_steps(std::move(steps)),
      m_messages(messages)
{
}

ScriptCursor ScriptCursor::forInstance(const ServerConfig &config, quint32 instance)
{
    if (config.autoReply != AutoReply::Script || config.scripts.isEmpty())
        return {};
    const bool messages = config.options.type == Native::PipeType::Message
        && config.options.readMode == Native::ReadMode::Message;
    return ScriptCursor(config.scripts.at(conversationFor(instance, config.scripts.size())), messages);
}

QList<ScriptCursor::Step> ScriptCursor::feed(const QByteArray &input)
{
    // Copies: `input` may be a view into a capture's buffer.
    if (m_messages)
        return {{m_next++, QByteArray(input.constData(), input.size())}};
    QList<Step> done;
    m_pending.append(input.constData(), input.size());
    while (m_next < m_steps.size() && m_pending.size() >= m_steps[m_next].send.size()) {
        const qsizetype length = m_steps[m_next].send.size();
        done.append({m_next++, m_pending.first(length)});
        m_pending.remove(0, length);
    }
    // Past the recording, whatever comes is more than was recorded.
    if (m_next >= m_steps.size() && !m_pending.isEmpty()) {
        done.append({m_next, m_pending});
        m_pending.clear();
    }
    return done;
}

} // namespace PipeScope
