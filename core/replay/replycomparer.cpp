#include "replycomparer.h"

#include "payloadpreview.h"
#include "units.h"

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
