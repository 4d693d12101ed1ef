#include "serverdialog.h"

#include "samplescenario.h"

namespace PipeScope {

ServerDialog::ServerDialog(QWidget *parent)
    : EndpointDialog(parent), m_options(this, nameField()), m_replies(new ReplyEditor(form()))
{
    setWindowTitle(tr("New Server"));
    m_options.layOut(form(), m_replies);
    m_options.onChange(this, [this] { validate(); });
    connect(m_replies, &ReplyEditor::changed, this, &ServerDialog::validate);
    // The sample's pipe, answering nothing until told to (the user guide's
    // first server); EndpointFlow proposes a free name once pipes are listed.
    ServerConfig defaults;
    defaults.name = SampleScenario::pipeName();
    setConfig(defaults);
    resize(sizeHint().width(), sizeHint().height());
}

ServerConfig ServerDialog::config() const
{
    ServerConfig config;
    config.name = nameField()->name();
    config.options = m_options.options();
    m_replies->applyTo(config);
    return config;
}

void ServerDialog::setConfig(const ServerConfig &config)
{
    nameField()->setName(config.name);
    m_options.setOptions(config.options);
    m_replies->setReplies(config);
    validate();
}

QString ServerDialog::inputProblem() const
{
    const QString problem = m_options.problem();
    return problem.isEmpty() ? m_replies->problem() : problem;
}

} // namespace PipeScope

#include "moc_serverdialog.cpp"
