#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace PipeScope {

// One step of a replay, as recorded and as now. Replaying as a client:
// the message sent, and the server's replies. Replaying as a server: the
// replies sent, and the client's message.
struct ReplayExchange
{
    QString script; // its title
    qsizetype index = 0; // the message's number in its script, from 0
    QByteArray sent;
    bool sentNothing = false; // a server replaying: no reply was recorded, none went (not an empty one)
    QList<QByteArray> expected; // byte mode: one stream
    QList<QByteArray> got;
    QString problem; // why something is missing: a time-out, the peer closed
};

} // namespace PipeScope
