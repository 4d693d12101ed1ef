#include "clientrows.h"

#include "formhelpers.h"
#include "pipenamefield.h"

#include <QComboBox>
#include <QFormLayout>
#include <QLineEdit>
#include <QSpinBox>

namespace PipeScope {

ClientRows::ClientRows(QWidget *parent, QFormLayout *form, PipeNameField *nameField, bool mnemonics)
    : name(nameField),
      convention(new QComboBox(parent)),
      readMode(new QComboBox(parent)),
      wait(new QSpinBox(parent)),
      serverUser(new QLineEdit(parent))
{
    serverUser->setObjectName(QStringLiteral("serverUser"));
    wait->setObjectName(QStringLiteral("waitTimeout"));
    readMode->setObjectName(QStringLiteral("readMode"));
    serverUser->setPlaceholderText(tr("you (\"any\": anyone)"));
#ifdef Q_OS_WIN
    serverUser->setToolTip(tr("The account the server must run as (NAME or DOMAIN\\NAME), or \"any\"; the "
                                            "connection is refused, before anything is sent, when it runs as another. A "
                                            "pipe name has no owner: whoever creates it first receives what is sent."));
#else
    serverUser->setToolTip(tr("The user (name or uid) the server must run as, or \"any\"; the connection is "
                                            "refused, before anything is sent, when it runs as another. An abstract name "
                                            "(@name) has no owner: whoever listens on it first receives what is sent."));
#endif
    addConventions(convention, true);
    readMode->addItem(tr("As the pipe's type"), -1);
    readMode->addItem(tr("Message (PIPE_READMODE_MESSAGE)"), int(Native::ReadMode::Message));
    readMode->addItem(tr("Byte (PIPE_READMODE_BYTE)"), int(Native::ReadMode::Byte));
    wait->setRange(0, 3600000);
    wait->setSuffix(tr(" ms"));
    wait->setToolTip(tr("How long WaitNamedPipe waits while every instance is busy"));
    const auto label = [mnemonics](const QString &text) {
        return mnemonics ? text : QString(text).remove(QLatin1Char('&'));
    };
    form->addRow(label(tr("&Name:")), name);
    form->addRow(label(tr("&Look in:")), convention);
    form->addRow(label(tr("Read &mode:")), readMode);
    form->addRow(label(tr("&Wait while busy:")), wait);
    form->addRow(label(tr("&Server runs as:")), serverUser);
    QObject::connect(convention, &QComboBox::currentIndexChanged, parent, [this] {
        const int chosen = convention->currentData().toInt();
        name->setConvention(chosen < 0 ? std::nullopt : std::optional(Native::Convention(chosen)));
    });
}

ClientConfig ClientRows::config() const
{
    ClientConfig config;
    config.name = name->name();
    const int chosen = convention->currentData().toInt();
    config.automaticConvention = chosen < 0;
    config.options.convention = chosen < 0 ? Native::Convention::PipeScope : Native::Convention(chosen);
    const int mode = readMode->currentData().toInt();
    if (mode >= 0)
        config.options.readMode = Native::ReadMode(mode);
    config.options.waitMs = std::uint32_t(wait->value());
    config.options.serverUser = serverUser->text().trimmed().toStdString();
    return config;
}

void ClientRows::setConfig(const ClientConfig &config)
{
    name->setName(config.name);
    selectData(convention, config.automaticConvention ? -1 : int(config.options.convention));
    selectData(readMode, config.options.readMode ? int(*config.options.readMode) : -1);
    wait->setValue(int(config.options.waitMs));
    serverUser->setText(QString::fromStdString(config.options.serverUser));
    name->setConvention(config.automaticConvention ? std::nullopt : std::optional(config.options.convention));
}

} // namespace PipeScope
