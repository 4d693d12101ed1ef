#include "endpointdialogs.h"

#include "breakable.h"
#include "samplescenario.h"
#include "screenroom.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QStackedWidget>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace PipeScope {

namespace {

// As large as the form it holds when there is room, so a dialog opens at
// its full size on a large screen; and smaller when there is not, with
// scroll bars (a QScrollArea's own hint stops at about 36 × 24 lines).
class FormScrollArea final : public QScrollArea
{
public:
    using QScrollArea::QScrollArea;
    QSize sizeHint() const override
    {
        const int frame = 2 * frameWidth();
        return widget() ? widget()->sizeHint() + QSize(frame, frame) : QScrollArea::sizeHint();
    }
};

// Where a platform lacks a Win32 option, it is shown but cannot be set.
#ifdef Q_OS_WIN
constexpr bool kWindows = true;
#else
constexpr bool kWindows = false;
#endif

void addConventions(QComboBox *box, bool automatic)
{
    if (automatic)
        box->addItem(QObject::tr("Automatic: whichever exists"), -1);
    box->addItem(QObject::tr("PipeScope (sockets in a private directory)"), int(Native::Convention::PipeScope));
    box->addItem(QObject::tr("Qt QLocalServer (stream socket in the temp directory)"), int(Native::Convention::Qt));
    box->addItem(QObject::tr(".NET NamedPipeServerStream (CoreFxPipe_NAME)"), int(Native::Convention::DotNet));
}

void selectData(QComboBox *box, int value)
{
    const int at = box->findData(value);
    if (at >= 0)
        box->setCurrentIndex(at);
}

QSpinBox *bufferBox(QWidget *parent)
{
    auto *box = new QSpinBox(parent);
    box->setRange(0, 64 * 1024 * 1024);
    box->setSingleStep(1024);
    box->setSuffix(QObject::tr(" bytes"));
    box->setToolTip(QObject::tr("Advisory, as on Windows: the system may round it"));
    return box;
}

} // namespace

PipeNameField::PipeNameField(QWidget *parent)
    : QWidget(parent), m_edit(new QLineEdit(this)), m_resolved(new QLabel(this))
{
    m_edit->setObjectName(QStringLiteral("pipeName"));
    m_edit->setPlaceholderText(QStringLiteral("\\\\.\\pipe\\NAME, NAME, /path or @abstract"));
    m_resolved->setObjectName(QStringLiteral("resolvedName"));
    m_resolved->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_resolved->setWordWrap(true);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_edit);
    layout->addWidget(m_resolved);
    connect(m_edit, &QLineEdit::textChanged, this, &PipeNameField::check);
    check();
}

QString PipeNameField::resolvedText() const
{
    return unbroken(m_resolved->text());
}

QString PipeNameField::name() const
{
    return m_edit->text();
}

void PipeNameField::setName(const QString &name)
{
    m_edit->setText(name);
}

void PipeNameField::setConvention(std::optional<Native::Convention> convention)
{
    m_convention = convention;
    check();
}

// Placing a name as the user types touches no file system (the GUI thread
// does none): a missing directory is said when the endpoint starts, by its
// own thread, in the dialog's problem line.
void PipeNameField::check()
{
    const auto name = Native::PipeName::parse(m_edit->text().toStdString());
    QString text;
    bool valid = false;
    if (!name) {
        text = QString::fromStdString(name.error().message());
    } else if (!m_convention) {
        // Automatic: the client looks under each convention when it connects.
        QStringList places;
        for (auto c : {Native::Convention::PipeScope, Native::Convention::Qt, Native::Convention::DotNet}) {
            if (const auto address = Native::resolvePipeName(name.value(), c, Native::Probe::None))
                places << QString::fromStdString(address.value().display());
        }
        // An absolute path or an abstract name is one place under all three.
        places.removeDuplicates();
        valid = !places.isEmpty();
        text = valid ? tr("Looks in: %1").arg(places.join(QStringLiteral(", "))) : tr("No convention can place this name");
    } else if (const auto address = Native::resolvePipeName(name.value(), *m_convention, Native::Probe::None)) {
        valid = true;
        text = tr("Pipe: %1").arg(QString::fromStdString(address.value().display()));
    } else {
        text = QString::fromStdString(address.error().message());
    }
    m_resolved->setText(breakable(text));
    m_valid = valid;
    emit validityChanged();
}

EndpointDialog::EndpointDialog(QWidget *parent)
    : QDialog(parent),
      m_name(new PipeNameField(this)),
      m_form(new QWidget(this)),
      m_problem(new QLabel(this)),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    m_problem->setObjectName(QStringLiteral("dialogProblem"));
    m_problem->setWordWrap(true);
    m_problem->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_scroll = new FormScrollArea(this);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_scroll->setWidgetResizable(true);
    m_scroll->setWidget(m_form);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_scroll, 1);
    layout->addWidget(m_problem);
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, [this] {
        if (inputProblem().isEmpty() && !m_busy)
            emit submitted();
    });
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_name, &PipeNameField::validityChanged, this, [this] {
        m_error.clear();
        validate();
    });
}

void EndpointDialog::showError(const QString &message)
{
    m_error = message;
    setBusy(false);
}

void EndpointDialog::setBusy(bool busy, const QString &what)
{
    m_busy = busy;
    m_form->setEnabled(!busy);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(!busy);
    if (busy) {
        m_problem->setText(breakable(what));
        fitContents();
    } else {
        validate();
    }
}

int EndpointDialog::neededHeight(int width) const
{
    QLayout *outer = layout();
    m_scroll->updateGeometry(); // the form's hint may have changed
    outer->activate();
    return outer->hasHeightForWidth() ? outer->totalHeightForWidth(width) : outer->totalSizeHint().height();
}

void EndpointDialog::fitContents()
{
    // A window's layout does not grow it for wrapped text (height for
    // width); left alone, the form is squeezed to make room for a long
    // error. Grow the dialog instead, as far as the screen allows (the
    // form scrolls beyond that). Before the first show, showEvent sizes it.
    if (!m_sized)
        return;
    const int needed = std::min(neededHeight(width()), roomOnScreen(this).height());
    if (height() < needed)
        resize(width(), needed);
}

void EndpointDialog::showEvent(QShowEvent *event)
{
    if (!m_sized) {
        // The whole form where the screen has room for it (or the size
        // asked for before showing); else as much as fits, with the
        // problem line and the buttons always in view.
        m_sized = true;
        const QSize room = roomOnScreen(this);
        if (testAttribute(Qt::WA_Resized)) {
            resize(size().boundedTo(room));
        } else {
            const int width = std::min(layout()->totalSizeHint().width(), room.width());
            resize(width, std::min(neededHeight(width), room.height()));
        }
    }
    QDialog::showEvent(event);
}

QString EndpointDialog::problemText() const
{
    return unbroken(m_problem->text());
}

void EndpointDialog::validate()
{
    if (m_busy)
        return;
    const QString problem = inputProblem();
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(problem.isEmpty());
    m_problem->setText(breakable(!m_error.isEmpty() ? m_error : problem));
    fitContents();
}

ServerDialog::ServerDialog(QWidget *parent, Role role)
    : EndpointDialog(parent),
      m_role(role),
      m_convention(new QComboBox(this)),
      m_type(new QComboBox(this)),
      m_readMode(new QComboBox(this)),
      m_direction(new QComboBox(this)),
      m_unlimited(new QCheckBox(tr("&Unlimited (PIPE_UNLIMITED_INSTANCES)"), this)),
      m_instances(new QSpinBox(this)),
      m_outBuffer(bufferBox(this)),
      m_inBuffer(bufferBox(this)),
      m_timeout(new QSpinBox(this)),
      m_firstInstance(new QCheckBox(tr("&First instance only (FILE_FLAG_FIRST_PIPE_INSTANCE)"), this)),
      m_rejectRemote(new QCheckBox(tr("&Reject remote clients (PIPE_REJECT_REMOTE_CLIENTS)"), this)),
      m_access(new QComboBox(this)),
      m_autoReply(new QComboBox(this)),
      m_replyPages(new QStackedWidget(this)),
      m_fixedReply(new QLineEdit(this)),
      m_rules(new QTableWidget(0, 3, this))
{
    setWindowTitle(role == Role::Monitor ? tr("New Monitor") : tr("New Server"));
    fillChoices();
    createReplyEditor();
    layOut();

    connect(m_convention, &QComboBox::currentIndexChanged, this, [this] {
        m_name->setConvention(Native::Convention(m_convention->currentData().toInt()));
    });
    connect(m_unlimited, &QCheckBox::toggled, m_instances, &QWidget::setDisabled);
    // A byte pipe is read as bytes (Windows refuses message read mode on
    // it); a message pipe is usually read as messages: the read mode
    // follows the type, and can still be changed for a message pipe.
    connect(m_type, &QComboBox::currentIndexChanged, this, [this] {
        const bool byte = m_type->currentData().toInt() == int(Native::PipeType::Byte);
        selectData(m_readMode, int(byte ? Native::ReadMode::Byte : Native::ReadMode::Message));
    });
    for (QComboBox *box : {m_type, m_readMode, m_autoReply})
        connect(box, &QComboBox::currentIndexChanged, this, &ServerDialog::validate);

    // The sample's pipe, answering nothing until told to (the user guide's
    // first server); EndpointFlow proposes a free name once pipes are listed.
    ServerConfig defaults;
    defaults.name = SampleScenario::pipeName();
    if (role == Role::Monitor) {
        // A monitor answers nothing, and takes what its target's clients send.
        defaults = ServerConfig();
        defaults.name.clear();
        ClientConfig target;
        target.name.clear();
        target.automaticConvention = true;
        defaults.relayTo = target;
    }
    setConfig(defaults);
    resize(sizeHint().width(), sizeHint().height());
}

// A monitor's target: the real server's pipe, with a client's settings.
QWidget *ServerDialog::createTargetEditor()
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
        m_type->setEnabled(!on);
        m_readMode->setEnabled(!on);
#endif
        validate();
    });
    connect(targetName, &PipeNameField::validityChanged, this, &ServerDialog::validate);
    connect(targetName->edit(), &QLineEdit::textChanged, this, &ServerDialog::validate);
    return group;
}

// The choices of each combo box and the spin boxes' ranges, with what
// each means in Win32 terms.
void ServerDialog::fillChoices()
{
    addConventions(m_convention, false);
    m_type->setObjectName(QStringLiteral("pipeType"));
    m_readMode->setObjectName(QStringLiteral("readMode"));
    m_type->addItem(tr("Message (PIPE_TYPE_MESSAGE)"), int(Native::PipeType::Message));
    m_type->addItem(tr("Byte (PIPE_TYPE_BYTE)"), int(Native::PipeType::Byte));
    m_readMode->addItem(tr("Message (PIPE_READMODE_MESSAGE)"), int(Native::ReadMode::Message));
    m_readMode->addItem(tr("Byte (PIPE_READMODE_BYTE)"), int(Native::ReadMode::Byte));
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

// The auto-reply choice and the pages of what each choice needs: nothing,
// a fixed reply, or the rules table.
void ServerDialog::createReplyEditor()
{
    m_autoReply->setObjectName(QStringLiteral("autoReply"));
    m_autoReply->addItem(tr("Off"), int(AutoReply::Off));
    m_autoReply->addItem(tr("Echo every message"), int(AutoReply::Echo));
    m_autoReply->addItem(tr("Fixed reply"), int(AutoReply::Fixed));
    m_autoReply->addItem(tr("Rules"), int(AutoReply::Rules));
    m_fixedReply->setObjectName(QStringLiteral("fixedReply"));
    m_rules->setObjectName(QStringLiteral("replyRules"));
    m_rules->setHorizontalHeaderLabels({tr("Match"), tr("Pattern"), tr("Reply (\\1 = group 1)")});
    // The match column is as wide as its combo boxes (addRule()): the
    // header's own measure counts the cells' text, not their widgets.
    m_rules->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Fixed);
    m_rules->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_rules->horizontalHeader()->setSectionResizeMode(2, QHeaderView::Stretch);
    m_rules->verticalHeader()->hide();
    auto *addRuleButton = new QPushButton(tr("&Add Rule"), this);
    auto *removeRuleButton = new QPushButton(tr("Re&move Rule"), this);
    connect(addRuleButton, &QPushButton::clicked, this, [this] { addRule(); });
    connect(removeRuleButton, &QPushButton::clicked, this, [this] {
        if (m_rules->currentRow() >= 0)
            m_rules->removeRow(m_rules->currentRow());
        validate();
    });
    connect(m_rules, &QTableWidget::itemChanged, this, &ServerDialog::validate);
    auto *rulesPage = new QWidget(this);
    auto *rulesLayout = new QVBoxLayout(rulesPage);
    rulesLayout->setContentsMargins(0, 0, 0, 0);
    rulesLayout->addWidget(m_rules);
    auto *ruleButtons = new QHBoxLayout;
    ruleButtons->addWidget(addRuleButton);
    ruleButtons->addWidget(removeRuleButton);
    ruleButtons->addStretch();
    rulesLayout->addLayout(ruleButtons);
    // Each page at its natural height, from the top: a stacked widget
    // would stretch a line edit or a label over the whole box.
    const auto topAligned = [this](std::initializer_list<QWidget *> widgets) {
        auto *page = new QWidget(this);
        auto *column = new QVBoxLayout(page);
        column->setContentsMargins(0, 0, 0, 0);
        for (QWidget *widget : widgets)
            column->addWidget(widget);
        column->addStretch();
        return page;
    };
    auto *echoNote = new QLabel(tr("Every message is sent back as it came."), this);
    auto *fixedNote = new QLabel(tr("Sent in reply to every message, as typed."), this);
    for (QLabel *note : {echoNote, fixedNote})
        note->setWordWrap(true);
    m_fixedReply->setPlaceholderText(tr("The reply"));
    m_replyPages->addWidget(topAligned({}));
    m_replyPages->addWidget(topAligned({echoNote}));
    m_replyPages->addWidget(topAligned({m_fixedReply, fixedNote}));
    m_replyPages->addWidget(rulesPage);
    connect(m_autoReply, &QComboBox::currentIndexChanged, m_replyPages, &QStackedWidget::setCurrentIndex);
}

// Pipe and limits on the left, the auto-reply on the right.
void ServerDialog::layOut()
{
    auto *pipe = new QGroupBox(tr("Pipe"), form());
    auto *pipeForm = new QFormLayout(pipe);
    pipeForm->addRow(tr("&Name:"), m_name);
    pipeForm->addRow(tr("&Convention:"), m_convention);
    pipeForm->addRow(tr("&Type:"), m_type);
    pipeForm->addRow(tr("Read &mode:"), m_readMode);
    pipeForm->addRow(tr("&Direction:"), m_direction);
    pipeForm->addRow(tr("&Access:"), m_access);
    auto *limits = new QGroupBox(tr("Instances and buffers"), form());
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
    QWidget *reply = nullptr;
    if (m_role == Role::Monitor) {
        reply = createTargetEditor();
        m_autoReply->hide();
        m_replyPages->hide();
    } else {
        reply = new QGroupBox(tr("Auto-reply"), form());
        auto *replyLayout = new QVBoxLayout(reply);
        replyLayout->addWidget(m_autoReply);
        replyLayout->addWidget(m_replyPages);
    }
    auto *columns = new QHBoxLayout;
    auto *left = new QVBoxLayout;
    left->addWidget(pipe);
    left->addWidget(limits);
    left->addStretch();
    columns->addLayout(left);
    columns->addWidget(reply, 1);
    auto *formLayout = new QVBoxLayout(form());
    formLayout->setContentsMargins(0, 0, 0, 0);
    formLayout->addLayout(columns);
}

void ServerDialog::addRule(const ReplyRule &rule)
{
    const int row = m_rules->rowCount();
    m_rules->insertRow(row);
    auto *match = new QComboBox(m_rules);
    match->addItem(tr("contains"), int(ReplyRule::Match::Contains));
    match->addItem(tr("regex"), int(ReplyRule::Match::Regex));
    selectData(match, int(rule.match));
    connect(match, &QComboBox::currentIndexChanged, this, &ServerDialog::validate);
    m_rules->setCellWidget(row, 0, match);
    QHeaderView *header = m_rules->horizontalHeader();
    header->resizeSection(0, std::max({header->sectionSize(0), header->sectionSizeHint(0), match->sizeHint().width()}));
    m_rules->setItem(row, 1, new QTableWidgetItem(rule.pattern));
    m_rules->setItem(row, 2, new QTableWidgetItem(rule.reply));
    validate();
}

ServerConfig ServerDialog::config() const
{
    ServerConfig config;
    config.name = m_name->name();
    auto &o = config.options;
    o.convention = Native::Convention(m_convention->currentData().toInt());
    o.type = Native::PipeType(m_type->currentData().toInt());
    o.readMode = Native::ReadMode(m_readMode->currentData().toInt());
    o.direction = Native::PipeDirection(m_direction->currentData().toInt());
    o.maxInstances = m_unlimited->isChecked() ? Native::kUnlimitedInstances : m_instances->value();
    o.outBufferSize = std::uint32_t(m_outBuffer->value());
    o.inBufferSize = std::uint32_t(m_inBuffer->value());
    o.defaultTimeoutMs = std::uint32_t(m_timeout->value());
    o.firstInstance = m_firstInstance->isChecked();
    o.rejectRemoteClients = m_rejectRemote->isChecked();
    o.access = Native::Access(m_access->currentData().toInt());
    config.autoReply = AutoReply(m_autoReply->currentData().toInt());
    config.replyBytes = m_fixedReply->text().toUtf8();
    for (int row = 0; row < m_rules->rowCount(); ++row) {
        ReplyRule rule;
        if (auto *match = qobject_cast<QComboBox *>(m_rules->cellWidget(row, 0)))
            rule.match = ReplyRule::Match(match->currentData().toInt());
        rule.pattern = m_rules->item(row, 1) ? m_rules->item(row, 1)->text() : QString();
        rule.reply = m_rules->item(row, 2) ? m_rules->item(row, 2)->text() : QString();
        config.rules.append(rule);
    }
    if (m_target) {
        config.autoReply = AutoReply::Off;
        config.relayTo = m_target->config();
        config.interpose = m_interpose->isChecked();
        // What the monitor passes on from the server is what it takes
        // from the client.
        config.relayTo->options.maxMessageSize = config.options.maxMessageSize;
    }
    return config;
}

void ServerDialog::setConfig(const ServerConfig &config)
{
    m_name->setName(config.name);
    const auto &o = config.options;
    selectData(m_convention, int(o.convention));
    selectData(m_type, int(o.type));
    selectData(m_readMode, int(o.readMode));
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
    selectData(m_autoReply, int(config.autoReply));
    m_fixedReply->setText(QString::fromUtf8(config.replyBytes));
    m_rules->setRowCount(0);
    for (const ReplyRule &rule : config.rules)
        addRule(rule);
    m_name->setConvention(o.convention);
    if (m_target && config.relayTo) {
        m_target->setConfig(*config.relayTo);
        m_interpose->setChecked(config.interpose);
    }
    validate();
}

QString ServerDialog::inputProblem() const
{
    if (!m_name->isValid())
        return m_name->resolved()->text();
    const ServerConfig c = config();
    const Native::NativeError error = Native::validateServerOptions(c.options, c.name.toStdString());
    if (error.isError())
        return QString::fromStdString(error.message());
    if (m_target && !m_interpose->isChecked()) {
        if (m_target->name->name().trimmed().isEmpty())
            return tr("Name the pipe each client is passed on to: the real server's");
        if (!m_target->name->isValid())
            return tr("The pipe to pass clients on to: %1").arg(m_target->name->resolved()->text());
        if (m_target->name->name().trimmed() == m_name->name().trimmed() ||
            m_target->name->resolved()->text() == m_name->resolved()->text())
            return tr("The monitor and the pipe it passes clients on to must be two pipes");
    }
    if (c.autoReply == AutoReply::Rules) {
        if (c.rules.isEmpty())
            return tr("Add a rule, or choose another auto-reply");
        for (qsizetype i = 0; i < c.rules.size(); ++i) {
            const QString problem = validateReplyRule(c.rules.at(i));
            if (!problem.isEmpty())
                return tr("Rule %1: %2").arg(i + 1).arg(problem);
        }
    }
    return {};
}

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
    serverUser->setPlaceholderText(ClientDialog::tr("you (\"any\": anyone)"));
#ifdef Q_OS_WIN
    serverUser->setToolTip(ClientDialog::tr("The account the server must run as (NAME or DOMAIN\\NAME), or \"any\"; the "
                                            "connection is refused, before anything is sent, when it runs as another. A "
                                            "pipe name has no owner: whoever creates it first receives what is sent."));
#else
    serverUser->setToolTip(ClientDialog::tr("The user (name or uid) the server must run as, or \"any\"; the connection is "
                                            "refused, before anything is sent, when it runs as another. An abstract name "
                                            "(@name) has no owner: whoever listens on it first receives what is sent."));
#endif
    addConventions(convention, true);
    readMode->addItem(ClientDialog::tr("As the pipe's type"), -1);
    readMode->addItem(ClientDialog::tr("Message (PIPE_READMODE_MESSAGE)"), int(Native::ReadMode::Message));
    readMode->addItem(ClientDialog::tr("Byte (PIPE_READMODE_BYTE)"), int(Native::ReadMode::Byte));
    wait->setRange(0, 3600000);
    wait->setSuffix(ClientDialog::tr(" ms"));
    wait->setToolTip(ClientDialog::tr("How long WaitNamedPipe waits while every instance is busy"));
    const auto label = [mnemonics](const QString &text) {
        return mnemonics ? text : QString(text).remove(QLatin1Char('&'));
    };
    form->addRow(label(ClientDialog::tr("&Name:")), name);
    form->addRow(label(ClientDialog::tr("&Look in:")), convention);
    form->addRow(label(ClientDialog::tr("Read &mode:")), readMode);
    form->addRow(label(ClientDialog::tr("&Wait while busy:")), wait);
    form->addRow(label(ClientDialog::tr("&Server runs as:")), serverUser);
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

ClientDialog::ClientDialog(QWidget *parent)
    : EndpointDialog(parent), m_rows(this, new QFormLayout(form()), m_name)
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
    return m_name->isValid() ? QString() : m_name->resolved()->text();
}

} // namespace PipeScope
