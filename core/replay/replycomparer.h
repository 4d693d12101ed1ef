#pragma once

#include "replayexchange.h"

#include <QRegularExpression>

namespace PipeScope {

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
    // The bytes to mark in each: byte for byte, where the two differ or one
    // goes on past the other, outside what the ignore regex matches in
    // either. Ranges [first, end), ascending, joined when adjacent.
    struct Range
    {
        qsizetype first;
        qsizetype end;
        bool operator==(const Range &) const = default;
    };
    QList<Range> differingBytes(const QByteArray &expected, const QByteArray &got) const;
    // How many of an exchange's expected messages came the same, and how
    // many did not (missing, different, or more than were recorded).
    qsizetype countMatches(const ReplayExchange &exchange) const;
    qsizetype countDifferences(const ReplayExchange &exchange) const;
    // "1 reply more than recorded", "3 replies more than recorded".
    static QString moreThanRecorded(qsizetype extra);

private:
    QByteArray normalized(const QByteArray &bytes) const;
    // The byte ranges of `bytes` that the ignore regex matches.
    QList<Range> ignoredIn(const QByteArray &bytes) const;
    QRegularExpression m_ignore;
};

} // namespace PipeScope
