#include "replyrules.h"

namespace PipeScope {

QString validateReplyRule(const ReplyRule &rule)
{
    if (rule.pattern.isEmpty())
        return QStringLiteral("the rule's pattern is empty");
    if (rule.match == ReplyRule::Match::Regex) {
        const QRegularExpression regex(rule.pattern);
        if (!regex.isValid())
            return QStringLiteral("regex \"%1\": %2 at position %3")
                .arg(rule.pattern, regex.errorString())
                .arg(regex.patternErrorOffset());
    }
    return {};
}

namespace {

// \0..\9 in `reply` become the match's groups; "\\" is a backslash.
QString expandCaptures(const QString &reply, const QRegularExpressionMatch &match)
{
    QString out;
    out.reserve(reply.size());
    for (qsizetype i = 0; i < reply.size(); ++i) {
        const QChar c = reply.at(i);
        if (c == QLatin1Char('\\') && i + 1 < reply.size()) {
            const QChar next = reply.at(i + 1);
            if (next.isDigit()) {
                out += match.captured(next.digitValue());
                ++i;
                continue;
            }
            if (next == QLatin1Char('\\')) {
                out += next;
                ++i;
                continue;
            }
        }
        out += c;
    }
    return out;
}

} // namespace

ReplyRuleSet::ReplyRuleSet(const QList<ReplyRule> &rules)
{
    for (const ReplyRule &rule : rules) {
        if (!validateReplyRule(rule).isEmpty())
            continue; // refused where the rule was written; never matches here
        Compiled compiled{rule, {}};
        if (rule.match == ReplyRule::Match::Regex) {
            compiled.regex.setPattern(rule.pattern);
            compiled.regex.optimize();
        }
        m_rules.append(std::move(compiled));
    }
}

std::optional<QByteArray> ReplyRuleSet::replyTo(QByteArrayView message) const
{
    if (m_rules.isEmpty())
        return std::nullopt;
    const QString text = QString::fromUtf8(message);
    for (const Compiled &compiled : m_rules) {
        if (compiled.rule.match == ReplyRule::Match::Contains) {
            if (text.contains(compiled.rule.pattern))
                return compiled.rule.reply.toUtf8();
            continue;
        }
        const QRegularExpressionMatch match = compiled.regex.match(text);
        if (match.hasMatch())
            return expandCaptures(compiled.rule.reply, match).toUtf8();
    }
    return std::nullopt;
}

} // namespace PipeScope
