#pragma once

#include "sessionformat.h"

#include <QList>
#include <QRegularExpression>

namespace PipeScope {

// One exchange of a recorded conversation: what the client sent, when
// (relative to the conversation's first message), and what came back
// before its next message.
struct ReplayStep
{
    qint64 offsetNs = 0;
    QByteArray send;
    QList<QByteArray> replies;
};

// One recorded connection, seen from its client, whichever side recorded
// it: a server's instance (its "in" messages are the client's, its "out"
// the replies) or a client (its "out" messages, its "in" replies).
struct ReplayScript
{
    quint32 endpoint = 0;
    quint32 instance = 0;
    QString title; // "server 1 instance 2 (\\.\pipe\x)" or "client 3 (x)"
    std::optional<Native::PipeType> type;
    QList<ReplayStep> steps;
};

// Splits a session into its conversations, in the order they began. Replies
// before the first message a client sent (a server that greets) are left
// out: replay starts with the client's first message.
QList<ReplayScript> buildReplayScripts(const SessionHeader &header, const QList<TrafficEvent> &events);

// Compares replies exactly, or ignoring the parts of them that match a
// regex (timestamps, counters): matching parts are blanked on both sides.
class ReplyComparer
{
public:
    // False and `error` when the regex does not compile.
    bool setIgnore(const QString &regex, QString *error);
    bool same(const QByteArray &expected, const QByteArray &got) const;
    // The two side by side, one line each, with where they first differ:
    //   expected: "id=7 ok"
    //        got: "id=7 no"
    //                   ^ at byte 5
    static QString describeDifference(const QByteArray &expected, const QByteArray &got);

private:
    QByteArray normalized(const QByteArray &bytes) const;
    QRegularExpression m_ignore;
};

} // namespace PipeScope
