#pragma once

#include "clientrows.h"
#include "endpointdialog.h"
#include "pipeoptionsform.h"

#include <memory>

class QCheckBox;

namespace PipeScope {

// New Monitor: a pipe with New Server's settings whose clients are each
// passed on to another pipe, the real server's (with a client's settings),
// both sides recorded; or, on a running server's own name, interposed.
// A monitor answers nothing: it has no auto-reply.
class MonitorDialog : public EndpointDialog
{
    Q_OBJECT
public:
    explicit MonitorDialog(QWidget *parent = nullptr);

    // A server's configuration with relayTo (and interpose) set.
    ServerConfig config() const;
    void setConfig(const ServerConfig &config);

    const ClientRows *target() const { return m_target.get(); }
    QCheckBox *interpose() const { return m_interpose; }

protected:
    QString inputProblem() const override;

private:
    QWidget *createTargetEditor();

    PipeOptionsForm m_options;
    std::unique_ptr<ClientRows> m_target;
    QCheckBox *m_interpose = nullptr;
};

} // namespace PipeScope
