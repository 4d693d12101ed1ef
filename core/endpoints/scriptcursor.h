#pragma once

#include <QByteArray>
#include <QList>

namespace PipeScope {

struct ServerConfig;

// One message of a recorded conversation, as its client sent it: when
// (relative to the conversation's first message), what, and the replies
// that came back before its next message. `row` is where the message is in
// the store it came from.
struct ReplayStep
{
    qint64 offsetNs = 0;
    QByteArray send;
    QList<QByteArray> replies;
    qsizetype row = -1;
    // The same message's row at the other end, when the session recorded
    // both (a PipeScope client talking to a PipeScope server).
    qsizetype mirrorRow = -1;
};

// Walks a recorded conversation as its client's messages come again. With
// `messages`, each message is the next step's; in byte mode the stream is
// cut where the recorded messages ended. A server replaying the
// conversation answers each completed step with its recorded replies; a
// check compares what came with what was recorded.
class ScriptCursor
{
public:
    struct Step
    {
        qsizetype index; // size() and beyond: more than was recorded
        QByteArray got;
    };
    ScriptCursor() = default;
    ScriptCursor(QList<ReplayStep> steps, bool messages);
    // What a server replaying `config.scripts` walks for its n-th client
    // (instance n): conversation n, in turn when there are fewer. Empty
    // when the server does not replay.
    static ScriptCursor forInstance(const ServerConfig &config, quint32 instance);
    static qsizetype conversationFor(quint32 instance, qsizetype conversations)
    {
        return qsizetype((instance - 1) % quint32(conversations));
    }
    // The steps this input completes, in order.
    QList<Step> feed(const QByteArray &input);
    qsizetype position() const { return m_next; }
    qsizetype size() const { return m_steps.size(); }
    const ReplayStep &step(qsizetype index) const { return m_steps.at(index); }
    // Byte mode: what came after the last completed step.
    const QByteArray &pending() const { return m_pending; }

private:
    QList<ReplayStep> m_steps;
    bool m_messages = true;
    qsizetype m_next = 0;
    QByteArray m_pending;
};

} // namespace PipeScope
