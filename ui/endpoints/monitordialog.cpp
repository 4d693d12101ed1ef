#include "monitordialog.h"

#include "pipenamefield.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>

namespace PipeScope {

MonitorDialog::MonitorDialog(QWidget *parent) : EndpointDialog(parent), m_options(this, nameField())
{
    setWindowTitle(tr("New Monitor"));
    m_options.layOut(form(), createTargetEditor());
    m_options.onChange(this, [this] { validate(); });
    // It takes what its target's clients send; its name and its target's
    // are the user's to give.
    ServerConfig defaults;
    defaults.name.clear();
    ClientConfig target;
    target.name.clear();
    target.automaticConvention = true;
    defaults.relayTo = target;
    setConfig(defaults);
    resize(sizeHint().width(), sizeHint().height());
}

// The real server's pipe, with a client's settings, or interposing.
QWidget *MonitorDialog::createTargetEditor()
{
    auto *group = new QGroupBox(tr("Pass each client on to"), form());
    auto *rows = new QFormLayout(group);
    auto *targetName = new PipeNameField(group);
    targetName->setObjectName(QStringLiteral("targetName"));
    targetName->edit()->setPlaceholderText(tr("the real server's pipe"));
    m_target = std::make_unique<ClientRows>(group, rows, targetName, false);
    auto *note = new QLabel(tr("Clients connect to the name on the left and are passed on to this pipe; both sides' "
                               "messages are recorded. Start the real server on this name (or move it here), and "
                               "the monitor on the name its clients use."),
                            group);
    note->setWordWrap(true);
    rows->addRow(note);
    m_interpose = new QCheckBox(tr("Inter&pose on the server running on the name on the left"), group);
    m_interpose->setObjectName(QStringLiteral("interpose"));
#ifdef Q_OS_WIN
    m_interpose->setToolTip(tr("The monitor adds instances to the server's pipe (where its max instances allow): the "
                               "clients that reach them pass through the monitor, the others reach the server "
                               "directly. To see every client, start the monitor first and the server on another "
                               "name."));
#else
    m_interpose->setToolTip(tr("Its socket is renamed to NAME.pipescope-moved while the monitor runs, and put back when "
                               "it stops; new clients pass through the monitor, connections made before go on "
                               "unseen. The monitor takes the server's pipe type."));
#endif
    rows->addRow(m_interpose);
    connect(m_interpose, &QCheckBox::toggled, this, [this](bool on) {
        for (QWidget *w : {static_cast<QWidget *>(m_target->name), static_cast<QWidget *>(m_target->convention),
                           static_cast<QWidget *>(m_target->readMode), static_cast<QWidget *>(m_target->serverUser)})
            w->setEnabled(!on);
#ifndef Q_OS_WIN
        // The type is the server's: not chosen here (Windows does not tell
        // it without connecting, so there it is chosen).
        m_options.type->setEnabled(!on);
        m_options.readMode->setEnabled(!on);
#endif
        validate();
    });
    connect(targetName, &PipeNameField::validityChanged, this, &MonitorDialog::validate);
    connect(targetName->edit(), &QLineEdit::textChanged, this, &MonitorDialog::validate);
    return group;
}

ServerConfig MonitorDialog::config() const
{
    ServerConfig config;
    config.name = nameField()->name();
    config.options = m_options.options();
    config.autoReply = AutoReply::Off;
    config.relayTo = m_target->config();
    config.interpose = m_interpose->isChecked();
    // What the monitor passes on from the server is what it takes from
    // the client.
    config.relayTo->options.maxMessageSize = config.options.maxMessageSize;
    return config;
}

void MonitorDialog::setConfig(const ServerConfig &config)
{
    nameField()->setName(config.name);
    m_options.setOptions(config.options);
    if (config.relayTo) {
        m_target->setConfig(*config.relayTo);
        m_interpose->setChecked(config.interpose);
    }
    validate();
}

QString MonitorDialog::inputProblem() const
{
    if (!m_target)
        return {}; // still being made
    if (const QString problem = m_options.problem(); !problem.isEmpty())
        return problem;
    if (m_interpose->isChecked())
        return {};
    if (m_target->name->name().trimmed().isEmpty())
        return tr("Name the pipe each client is passed on to: the real server's");
    if (!m_target->name->isValid())
        return tr("The pipe to pass clients on to: %1").arg(m_target->name->resolvedText());
    if (m_target->name->name().trimmed() == nameField()->name().trimmed() ||
        m_target->name->resolvedText() == nameField()->resolvedText())
        return tr("The monitor and the pipe it passes clients on to must be two pipes");
    return {};
}

} // namespace PipeScope

#include "moc_monitordialog.cpp"
