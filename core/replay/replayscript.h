#pragma once

#include "sessionformat.h"
#include "trafficstore.h"

#include <QList>

#include <optional>

namespace PipeScope {

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
// out: replay starts with the client's first message. A conversation the
// session recorded at both ends (its own client and its own server) is
// one script, the client's, with the server's rows as mirror rows.
QList<ReplayScript> buildReplayScripts(const SessionHeader &header, const TrafficStore &store);
// The same from a snapshot, in any thread but the GUI's: the bytes of
// messages the store did not keep are read back from its backing file
// (PayloadReader). When that fails, no scripts, and `error` says why.
QList<ReplayScript> buildReplayScripts(const SessionHeader &header, const TrafficStore::Snapshot &store,
                                       QString *error = nullptr);

// The scripts cut down to the client messages at these store rows (each
// keeping the replies recorded for it), timed from the first one kept.
// Conversations with none of them are left out.
QList<ReplayScript> selectReplaySteps(const QList<ReplayScript> &scripts, const QList<qsizetype> &rows);

} // namespace PipeScope
