#include "clientdialog.h"

#include "samplescenario.h"

#include <QFormLayout>

namespace PipeScope {

ClientDialog::ClientDialog(QWidget *parent)
    : EndpointDialog(parent), m_rows(this, new QFormLayout(form()), nameField())
{
    setWindowTitle(tr("Connect Client"));
    form()->layout()->setContentsMargins(0, 0, 0, 0);
    // The sample's client, reading as the pipe's type (what CreateFile
    // gives): it meets a byte pipe as well as a message pipe.
    ClientConfig defaults = SampleScenario::client();
    defaults.options.readMode.reset();
    setConfig(defaults);
}

ClientConfig ClientDialog::config() const
{
    return m_rows.config();
}

void ClientDialog::setConfig(const ClientConfig &config)
{
    m_rows.setConfig(config);
    validate();
}

QString ClientDialog::inputProblem() const
{
    return nameField()->isValid() ? QString() : nameField()->resolvedText();
}

} // namespace PipeScope

#include "moc_clientdialog.cpp"
