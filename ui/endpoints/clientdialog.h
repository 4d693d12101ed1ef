#pragma once

#include "clientrows.h"
#include "endpointdialog.h"

namespace PipeScope {

// Connect Client: CreateFile, WaitNamedPipe's time-out, the read mode set
// with SetNamedPipeHandleState, and where to look for the name.
class ClientDialog : public EndpointDialog
{
    Q_OBJECT
public:
    explicit ClientDialog(QWidget *parent = nullptr);

    ClientConfig config() const;
    void setConfig(const ClientConfig &config);

protected:
    QString inputProblem() const override;

private:
    ClientRows m_rows;
};

} // namespace PipeScope
