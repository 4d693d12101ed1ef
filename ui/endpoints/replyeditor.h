#pragma once

#include "endpointconfig.h"

#include <QGroupBox>

class QComboBox;
class QLineEdit;
class QStackedWidget;
class QTableWidget;

namespace PipeScope {

// A server's auto-reply: off, echo, a fixed reply, or rules (contains or
// regex, with \1 captures), each choice with the page of what it needs.
// New Server's right column.
class ReplyEditor : public QGroupBox
{
    Q_OBJECT
public:
    explicit ReplyEditor(QWidget *parent = nullptr);

    // Sets and reads autoReply, replyBytes and rules; nothing else.
    void setReplies(const ServerConfig &config);
    void applyTo(ServerConfig &config) const;
    // Why the replies cannot be used as they are; empty when they can.
    QString problem() const;

    QComboBox *autoReply() const { return m_autoReply; }
    QLineEdit *fixedReply() const { return m_fixedReply; }
    QTableWidget *rules() const { return m_rules; }
    void addRule(const ReplyRule &rule = {});

signals:
    void changed();

private:
    QWidget *createRulesPage();

    QComboBox *m_autoReply;
    QStackedWidget *m_pages;
    QLineEdit *m_fixedReply;
    QTableWidget *m_rules;
};

} // namespace PipeScope
