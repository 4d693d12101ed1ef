#include "replycomparer.h"

#include "payloadpreview.h"
#include "units.h"

#include <algorithm>

namespace PipeScope {

qsizetype ReplyComparer::countMatches(const ReplayExchange &exchange) const
{
    qsizetype matches = 0;
    for (qsizetype r = 0; r < exchange.expected.size() && r < exchange.got.size(); ++r)
        matches += same(exchange.expected[r], exchange.got[r]);
    return matches;
}

qsizetype ReplyComparer::countDifferences(const ReplayExchange &exchange) const
{
    return std::max(exchange.expected.size(), exchange.got.size()) - countMatches(exchange);
}

QString ReplyComparer::moreThanRecorded(qsizetype extra)
{
    return extra == 1 ? QStringLiteral("1 reply more than recorded")
                      : QStringLiteral("%1 replies more than recorded").arg(extra);
}

bool ReplyComparer::setIgnore(const QString &regex, QString *error)
{
    QRegularExpression ignore(regex);
    if (!ignore.isValid()) {
        if (error)
            *error = QStringLiteral("--ignore: %1 at position %2").arg(ignore.errorString()).arg(ignore.patternErrorOffset());
        return false;
    }
    m_ignore = ignore;
    return true;
}

QByteArray ReplyComparer::normalized(const QByteArray &bytes) const
{
    if (m_ignore.pattern().isEmpty())
        return bytes;
    QString text = QString::fromUtf8(bytes);
    text.replace(m_ignore, QStringLiteral("\u2026"));
    return text.toUtf8();
}

QList<ReplyComparer::Range> ReplyComparer::ignoredIn(const QByteArray &bytes) const
{
    QList<Range> ranges;
    if (m_ignore.pattern().isEmpty())
        return ranges;
    // The regex runs on the text; its matches are mapped back to bytes.
    const QString text = QString::fromUtf8(bytes);
    for (auto it = m_ignore.globalMatch(text); it.hasNext();) {
        const QRegularExpressionMatch match = it.next();
        const qsizetype first = text.left(match.capturedStart()).toUtf8().size();
        ranges.append({first, first + match.captured().toUtf8().size()});
    }
    return ranges;
}

QList<ReplyComparer::Range> ReplyComparer::differingBytes(const QByteArray &expected, const QByteArray &got) const
{
    // What either side ignores, in order, walked once alongside the bytes.
    QList<Range> ignored = ignoredIn(expected) + ignoredIn(got);
    std::sort(ignored.begin(), ignored.end(), [](const Range &a, const Range &b) { return a.first < b.first; });
    qsizetype next = 0;
    QList<Range> ranges;
    const qsizetype length = std::max(expected.size(), got.size());
    for (qsizetype i = 0; i < length; ++i) {
        const bool differs = i >= expected.size() || i >= got.size() || expected[i] != got[i];
        if (!differs)
            continue;
        while (next < ignored.size() && ignored[next].end <= i)
            ++next;
        if (next < ignored.size() && ignored[next].first <= i)
            continue;
        if (!ranges.isEmpty() && ranges.last().end == i)
            ranges.last().end = i + 1;
        else
            ranges.append({i, i + 1});
    }
    return ranges;
}

bool ReplyComparer::same(const QByteArray &expected, const QByteArray &got) const
{
    if (expected == got)
        return true;
    return !m_ignore.pattern().isEmpty() && normalized(expected) == normalized(got);
}

QString ReplyComparer::describeDifference(const QByteArray &expected, const QByteArray &got)
{
    qsizetype at = 0;
    while (at < expected.size() && at < got.size() && expected[at] == got[at])
        ++at;
    return QStringLiteral("  expected: %1 (%2)\n       got: %3 (%4)\n  first difference at byte %5")
        .arg(previewPayload(expected, 100), formatSize(quint64(expected.size())), previewPayload(got, 100),
             formatSize(quint64(got.size())))
        .arg(at);
}

} // namespace PipeScope
