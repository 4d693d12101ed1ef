#include "pipeoptionsform.h"

#include "formhelpers.h"
#include "pipenamefield.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>

namespace PipeScope {

PipeOptionsForm::PipeOptionsForm(QWidget *parent, PipeNameField *name)
    : convention(new QComboBox(parent)),
      type(new QComboBox(parent)),
      readMode(new QComboBox(parent)),
      m_name(name),
      m_direction(new QComboBox(parent)),
      m_unlimited(new QCheckBox(tr("&Unlimited (PIPE_UNLIMITED_INSTANCES)"), parent)),
      m_instances(new QSpinBox(parent)),
      m_outBuffer(bufferBox(parent)),
      m_inBuffer(bufferBox(parent)),
      m_timeout(new QSpinBox(parent)),
      m_firstInstance(new QCheckBox(tr("&First instance only (FILE_FLAG_FIRST_PIPE_INSTANCE)"), parent)),
      m_rejectRemote(new QCheckBox(tr("&Reject remote clients (PIPE_REJECT_REMOTE_CLIENTS)"), parent)),
      m_access(new QComboBox(parent))
{
    fillChoices();
    QObject::connect(convention, &QComboBox::currentIndexChanged, parent, [this] {
        m_name->setConvention(Native::Convention(convention->currentData().toInt()));
    });
    QObject::connect(m_unlimited, &QCheckBox::toggled, m_instances, &QWidget::setDisabled);
    // A byte pipe is read as bytes (Windows refuses message read mode on
    // it); a message pipe is usually read as messages: the read mode
    // follows the type, and can still be changed for a message pipe.
    QObject::connect(type, &QComboBox::currentIndexChanged, parent, [this] {
        const bool byte = type->currentData().toInt() == int(Native::PipeType::Byte);
        selectData(readMode, int(byte ? Native::ReadMode::Byte : Native::ReadMode::Message));
    });
}

// The choices of each combo box and the spin boxes' ranges, with what
// each means in Win32 terms.
void PipeOptionsForm::fillChoices()
{
    addConventions(convention, false);
    type->setObjectName(QStringLiteral("pipeType"));
    readMode->setObjectName(QStringLiteral("readMode"));
    type->addItem(tr("Message (PIPE_TYPE_MESSAGE)"), int(Native::PipeType::Message));
    type->addItem(tr("Byte (PIPE_TYPE_BYTE)"), int(Native::PipeType::Byte));
    readMode->addItem(tr("Message (PIPE_READMODE_MESSAGE)"), int(Native::ReadMode::Message));
    readMode->addItem(tr("Byte (PIPE_READMODE_BYTE)"), int(Native::ReadMode::Byte));
    m_direction->addItem(tr("Duplex (PIPE_ACCESS_DUPLEX)"), int(Native::PipeDirection::Duplex));
    m_direction->addItem(tr("Inbound: the server only reads"), int(Native::PipeDirection::Inbound));
    m_direction->addItem(tr("Outbound: the server only writes"), int(Native::PipeDirection::Outbound));
    m_instances->setRange(1, Native::kMaxLimitedInstances);
    m_timeout->setRange(0, 3600000);
    m_timeout->setSuffix(tr(" ms"));
    m_timeout->setToolTip(tr("What WaitNamedPipe(NMPWAIT_USE_DEFAULT_WAIT) waits; 0 means the system's 50 ms"));
    m_access->addItem(tr("Only me (current user)"), int(Native::Access::CurrentUser));
    m_access->addItem(tr("System default"), int(Native::Access::Default));
    m_rejectRemote->setEnabled(kWindows);
    if (!kWindows)
        m_rejectRemote->setToolTip(tr("Windows only: Unix domain sockets are local anyway"));
    m_firstInstance->setToolTip(tr("Fail if a server already has this name"));
}

void PipeOptionsForm::onChange(QObject *context, const std::function<void()> &changed)
{
    for (QComboBox *box : {type, readMode})
        QObject::connect(box, &QComboBox::currentIndexChanged, context, changed);
}

Native::ServerOptions PipeOptionsForm::options() const
{
    Native::ServerOptions o;
    o.convention = Native::Convention(convention->currentData().toInt());
    o.type = Native::PipeType(type->currentData().toInt());
    o.readMode = Native::ReadMode(readMode->currentData().toInt());
    o.direction = Native::PipeDirection(m_direction->currentData().toInt());
    o.maxInstances = m_unlimited->isChecked() ? Native::kUnlimitedInstances : m_instances->value();
    o.outBufferSize = std::uint32_t(m_outBuffer->value());
    o.inBufferSize = std::uint32_t(m_inBuffer->value());
    o.defaultTimeoutMs = std::uint32_t(m_timeout->value());
    o.firstInstance = m_firstInstance->isChecked();
    o.rejectRemoteClients = m_rejectRemote->isChecked();
    o.access = Native::Access(m_access->currentData().toInt());
    return o;
}

void PipeOptionsForm::setOptions(const Native::ServerOptions &o)
{
    selectData(convention, int(o.convention));
    selectData(type, int(o.type));
    selectData(readMode, int(o.readMode));
    selectData(m_direction, int(o.direction));
    m_unlimited->setChecked(o.maxInstances == Native::kUnlimitedInstances);
    m_instances->setEnabled(o.maxInstances != Native::kUnlimitedInstances);
    m_instances->setValue(std::min(o.maxInstances, Native::kMaxLimitedInstances));
    m_outBuffer->setValue(int(o.outBufferSize));
    m_inBuffer->setValue(int(o.inBufferSize));
    m_timeout->setValue(int(o.defaultTimeoutMs));
    m_firstInstance->setChecked(o.firstInstance);
    m_rejectRemote->setChecked(o.rejectRemoteClients);
    selectData(m_access, int(o.access));
    m_name->setConvention(o.convention);
}

QString PipeOptionsForm::problem() const
{
    if (!m_name->isValid())
        return m_name->resolvedText();
    const Native::NativeError error = Native::validateServerOptions(options(), m_name->name().toStdString());
    return error.isError() ? QString::fromStdString(error.message()) : QString();
}

void PipeOptionsForm::layOut(QWidget *form, QWidget *right)
{
    auto *pipe = new QGroupBox(tr("Pipe"), form);
    auto *pipeForm = new QFormLayout(pipe);
    pipeForm->addRow(tr("&Name:"), m_name);
    pipeForm->addRow(tr("&Convention:"), convention);
    pipeForm->addRow(tr("&Type:"), type);
    pipeForm->addRow(tr("Read &mode:"), readMode);
    pipeForm->addRow(tr("&Direction:"), m_direction);
    pipeForm->addRow(tr("&Access:"), m_access);
    auto *limits = new QGroupBox(tr("Instances and buffers"), form);
    auto *limitsForm = new QFormLayout(limits);
    auto *instancesRow = new QHBoxLayout;
    instancesRow->addWidget(m_instances);
    instancesRow->addWidget(m_unlimited);
    limitsForm->addRow(tr("Max &instances:"), instancesRow);
    // A label for a row of several widgets has no buddy of its own.
    if (auto *label = qobject_cast<QLabel *>(limitsForm->labelForField(instancesRow)))
        label->setBuddy(m_instances);
    limitsForm->addRow(tr("&Out buffer:"), m_outBuffer);
    limitsForm->addRow(tr("&In buffer:"), m_inBuffer);
    limitsForm->addRow(tr("Default &time-out:"), m_timeout);
    limitsForm->addRow(m_firstInstance);
    limitsForm->addRow(m_rejectRemote);
    auto *columns = new QHBoxLayout;
    auto *left = new QVBoxLayout;
    left->addWidget(pipe);
    left->addWidget(limits);
    left->addStretch();
    columns->addLayout(left);
    columns->addWidget(right, 1);
    auto *formLayout = new QVBoxLayout(form);
    formLayout->setContentsMargins(0, 0, 0, 0);
    formLayout->addLayout(columns);
}

} // namespace PipeScope
