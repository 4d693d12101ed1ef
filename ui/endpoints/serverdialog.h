#pragma once

#include "endpointdialog.h"
#include "pipeoptionsform.h"
#include "replyeditor.h"

namespace PipeScope {

// New Server: everything CreateNamedPipe takes, plus the auto-reply. Its
// defaults reproduce Microsoft's multithreaded pipe server sample, without
// its reply (the user guide's first server answers nothing until told to).
class ServerDialog : public EndpointDialog
{
    Q_OBJECT
public:
    explicit ServerDialog(QWidget *parent = nullptr);

    ServerConfig config() const;
    void setConfig(const ServerConfig &config);

    ReplyEditor *replies() const { return m_replies; }
    QComboBox *autoReply() const { return m_replies->autoReply(); }
    QLineEdit *fixedReply() const { return m_replies->fixedReply(); }
    QTableWidget *rules() const { return m_replies->rules(); }
    void addRule(const ReplyRule &rule = {}) { m_replies->addRule(rule); }

protected:
    QString inputProblem() const override;

private:
    PipeOptionsForm m_options;
    ReplyEditor *m_replies;
};

} // namespace PipeScope
