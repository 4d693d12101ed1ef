#pragma once

#include "sessionformat.h"
#include "trafficstore.h"

#include <QList>
#include <QRegularExpression>

#include <atomic>
#include <functional>

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
// out: replay starts with the client's first message.
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

// How a replay runs as a client.
struct ReplayOptions
{
    Native::ClientOptions client; // convention and wait time; the type comes from the script
    double speed = 1.0;           // the recorded timing, this many times as fast
    bool fast = false;            // send each message as soon as its replies came
    int repeat = 1;
    int replyTimeoutMs = 5000;
};

// One step of a replay, as recorded and as now. Replaying as a client:
// the message sent, and the server's replies. Replaying as a server: the
// replies sent, and the client's message.
struct ReplayExchange
{
    QString script; // its title
    qsizetype index = 0; // the message's number in its script, from 0
    QByteArray sent;
    QList<QByteArray> expected; // byte mode: one stream
    QList<QByteArray> got;
    QString problem; // why something is missing: a time-out, the peer closed
};

class ReplyComparer;

// Replays the scripts to `pipe` as a client, blocking the calling thread
// (call it from a worker or a command-line tool). `onExchange` hears each
// message's outcome as it happens. Returns an error in words when the
// replay could not go on (no such pipe, a failed write), else empty.
// `cancel`, when set, stops it between messages.
QString replayToServer(const QList<ReplayScript> &scripts, const Native::PipeName &pipe, const ReplayOptions &options,
                       const std::function<void(const ReplayExchange &)> &onExchange,
                       const std::atomic<bool> *cancel = nullptr);

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
    // How many of an exchange's expected messages came the same, and how
    // many did not (missing, different, or more than were recorded).
    qsizetype countMatches(const ReplayExchange &exchange) const;
    qsizetype countDifferences(const ReplayExchange &exchange) const;

private:
    QByteArray normalized(const QByteArray &bytes) const;
    QRegularExpression m_ignore;
};

} // namespace PipeScope
