#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QRegularExpression>
#include <QString>

#include <optional>

namespace PipeScope {

// "When a message contains X (or matches regex X), answer Y." The message is
// read as UTF-8. In a regex rule's reply, \0 is the whole match and \1..\9
// its capture groups; a reply is sent as UTF-8.
struct ReplyRule
{
    enum class Match { Contains, Regex };
    Match match = Match::Contains;
    QString pattern;
    QString reply;
};

// Checks a rule before it is used: a regex that does not compile is named
// with the position of the mistake. Empty when the rule is good.
QString validateReplyRule(const ReplyRule &rule);

// Rules compiled once, for the instance thread that answers with them.
class ReplyRuleSet
{
public:
    ReplyRuleSet() = default;
    explicit ReplyRuleSet(const QList<ReplyRule> &rules);
    // The first matching rule's reply, or nullopt when none matches.
    std::optional<QByteArray> replyTo(QByteArrayView message) const;

private:
    struct Compiled
    {
        ReplyRule rule;
        QRegularExpression regex;
    };
    QList<Compiled> m_rules;
};

} // namespace PipeScope
