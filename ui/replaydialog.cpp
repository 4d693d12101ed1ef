#include "replaydialog.h"

#include "endpointdialogs.h"
#include "hexview.h"
#include "payload.h"
#include "replayserver.h"
#include "trafficstore.h"
#include "workspace.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTableWidget>
#include <QThread>
#include <QVBoxLayout>

namespace PipeScope {

namespace {
enum ResultColumn { MessageColumn, SentColumn, ExpectedColumn, GotColumn, ResultColumnIndex, ResultColumns };
} // namespace

ReplayDialog::ReplayDialog(const Workspace *workspace, const QList<qsizetype> &rows, QWidget *parent)
    : QDialog(parent),
      m_role(new QComboBox(this)),
      m_conversation(new QComboBox(this)),
      m_target(new PipeNameField(this)),
      m_convention(new QComboBox(this)),
      m_original(new QRadioButton(tr("As &recorded"), this)),
      m_scaled(new QRadioButton(tr("&Scaled ×"), this)),
      m_fast(new QRadioButton(tr("As &fast as possible"), this)),
      m_speed(new QDoubleSpinBox(this)),
      m_repeat(new QSpinBox(this)),
      m_check(new QCheckBox(tr("&Check each reply against the recorded one"), this)),
      m_ignore(new QLineEdit(this)),
      m_start(new QPushButton(tr("&Start"), this)),
      m_results(new QTableWidget(0, ResultColumns, this)),
      m_expected(new HexView(this)),
      m_got(new HexView(this)),
      m_summary(new QLabel(this))
{
    // The conversations, as their clients saw them; or the chosen messages.
    m_scripts = buildReplayScripts(workspace->sessionHeader(), *workspace->store());
    if (!rows.isEmpty())
        m_scripts = selectReplaySteps(m_scripts, rows);
    qsizetype messages = 0;
    for (const ReplayScript &s : m_scripts)
        messages += s.steps.size();
    setWindowTitle(rows.isEmpty() ? tr("Replay") : tr("Replay %1 Selected Messages").arg(messages));
    m_role->setObjectName(QStringLiteral("replayRole"));
    m_role->addItem(tr("As a client, to a server"), int(Role::Client));
    m_role->addItem(tr("As a server, answering clients with the recorded replies"), int(Role::Server));
    m_conversation->addItem(tr("All %1 conversations (%2 messages)").arg(m_scripts.size()).arg(messages), -1);
    for (qsizetype i = 0; i < m_scripts.size(); ++i)
        m_conversation->addItem(tr("%1: %2 messages").arg(m_scripts[i].title).arg(m_scripts[i].steps.size()), int(i));

    m_target->edit()->setObjectName(QStringLiteral("replayTarget"));
    m_convention->addItem(tr("PipeScope"), int(Native::Convention::PipeScope));
    m_convention->addItem(tr("Qt QLocalServer"), int(Native::Convention::Qt));
    m_convention->addItem(tr(".NET NamedPipeServerStream"), int(Native::Convention::DotNet));
    connect(m_convention, &QComboBox::currentIndexChanged, this,
            [this] { m_target->setConvention(Native::Convention(m_convention->currentData().toInt())); });
    m_speed->setRange(0.01, 1000);
    m_speed->setValue(10);
    m_original->setChecked(true);
    m_repeat->setRange(1, 100000);
    m_check->setChecked(true);
    m_ignore->setPlaceholderText(tr("Ignore what matches this regex (timestamps, counters)"));
    m_summary->setObjectName(QStringLiteral("replaySummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_results->setHorizontalHeaderLabels({tr("#"), tr("Sent"), tr("Recorded reply"), tr("Reply now"), tr("Result")});
    m_results->horizontalHeader()->setStretchLastSection(true);
    m_results->verticalHeader()->hide();
    m_results->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_results->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_results->setSelectionMode(QAbstractItemView::SingleSelection);
    m_results->setWordWrap(false);
    m_results->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_results->verticalHeader()->setDefaultSectionSize(m_results->fontMetrics().height() + 6);
    m_results->setColumnWidth(MessageColumn, m_results->fontMetrics().horizontalAdvance(QStringLiteral("#00000")) + 12);
    for (int c : {SentColumn, ExpectedColumn, GotColumn})
        m_results->setColumnWidth(c, 220);
    connect(m_results, &QTableWidget::currentCellChanged, this, [this](int row) { showRow(row); });

    auto *timing = new QHBoxLayout;
    timing->addWidget(m_original);
    timing->addWidget(m_scaled);
    timing->addWidget(m_speed);
    timing->addWidget(m_fast);
    timing->addStretch();
    auto *form = new QFormLayout;
    form->addRow(tr("Re&play:"), m_role);
    form->addRow(tr("&Conversation:"), m_conversation);
    form->addRow(tr("&To the server:"), m_target);
    form->addRow(tr("&Look in:"), m_convention);
    form->addRow(tr("Timing:"), timing);
    form->addRow(tr("&Repeat:"), m_repeat);
    form->addRow(m_check);
    form->addRow(tr("&Ignore:"), m_ignore);
    m_form = form;
    // The selected message's recorded and present replies, side by side.
    auto *sideBySide = new QSplitter(Qt::Horizontal, this);
    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(new QLabel(tr("Recorded"), left));
    leftLayout->addWidget(m_expected);
    auto *right = new QWidget(this);
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addWidget(new QLabel(tr("Now"), right));
    rightLayout->addWidget(m_got);
    sideBySide->addWidget(left);
    sideBySide->addWidget(right);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_results);
    split->addWidget(sideBySide);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_summary, 1);
    buttons->addWidget(m_start);
    auto *close = new QPushButton(tr("Close"), this);
    buttons->addWidget(close);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(split, 1);
    layout->addLayout(buttons);
    connect(m_start, &QPushButton::clicked, this, &ReplayDialog::start);
    connect(close, &QPushButton::clicked, this, &QDialog::reject);
    connect(m_target, &PipeNameField::validityChanged, this, &ReplayDialog::updateInputs);
    connect(m_role, &QComboBox::currentIndexChanged, this, &ReplayDialog::updateInputs);
    // The recorded server's name is the likely target.
    for (quint32 id : workspace->endpointIds())
        if (workspace->endpoint(id)->kind == Workspace::Kind::Server) {
            m_target->setName(workspace->endpoint(id)->name);
            break;
        }
    updateInputs();
    resize(900, 640);
}

ReplayDialog::~ReplayDialog()
{
    if (m_cancel)
        m_cancel->store(true);
}

void ReplayDialog::setRole(Role role)
{
    m_role->setCurrentIndex(m_role->findData(int(role)));
}

ReplayDialog::Role ReplayDialog::role() const
{
    return Role(m_role->currentData().toInt());
}

void ReplayDialog::updateInputs()
{
    const bool server = role() == Role::Server;
    // A server answers when asked: it has no timing of its own, and it
    // serves clients rather than repeating.
    for (QWidget *timing : std::initializer_list<QWidget *>{m_original, m_scaled, m_speed, m_fast})
        timing->setEnabled(!server && !m_running);
    for (QWidget *input : std::initializer_list<QWidget *>{m_role, m_conversation, m_target, m_convention, m_repeat,
                                                           m_check, m_ignore})
        input->setEnabled(!m_running);
    if (auto *label = qobject_cast<QLabel *>(m_form->labelForField(m_target)))
        label->setText(server ? tr("&Serve on:") : tr("&To the server:"));
    if (auto *label = qobject_cast<QLabel *>(m_form->labelForField(m_repeat)))
        label->setText(server ? tr("&Clients:") : tr("&Repeat:"));
    m_repeat->setToolTip(server ? tr("Stop after this many clients have come and gone; the n-th client gets the n-th "
                                     "conversation, in turn")
                                : tr("Replay this many times"));
    m_check->setText(server ? tr("&Check what each client sends against the recorded messages")
                            : tr("&Check each reply against the recorded one"));
    m_results->setHorizontalHeaderLabels(server ? QStringList{tr("#"), tr("Replied"), tr("Recorded message"),
                                                              tr("Message now"), tr("Result")}
                                                : QStringList{tr("#"), tr("Sent"), tr("Recorded reply"),
                                                              tr("Reply now"), tr("Result")});
    m_start->setEnabled(m_running || (m_target->isValid() && !m_scripts.isEmpty()));
    if (!m_running)
        m_summary->setText(m_scripts.isEmpty() ? tr("Nothing a client sent is here to replay")
                           : m_target->isValid() ? QString()
                                                 : m_target->resolved()->text());
}

void ReplayDialog::start()
{
    if (m_running) {
        if (m_server)
            m_server->stop();
        else
            m_cancel->store(true);
        return;
    }
    QString problem;
    m_comparer = ReplyComparer();
    if (!m_ignore->text().isEmpty() && !m_comparer.setIgnore(m_ignore->text(), &problem)) {
        m_summary->setText(problem);
        return;
    }
    const auto name = Native::PipeName::parse(m_target->name().toStdString());
    if (!name) {
        m_summary->setText(QString::fromStdString(name.error().message()));
        return;
    }
    QList<ReplayScript> scripts = m_scripts;
    if (const int chosen = m_conversation->currentData().toInt(); chosen >= 0)
        scripts = {m_scripts.at(chosen)};
    m_results->setRowCount(0);
    m_exchanges.clear();
    m_received = m_matched = m_differed = 0;
    m_running = true;
    m_start->setText(tr("&Stop"));
    updateInputs();
    if (role() == Role::Server)
        startServer(scripts);
    else
        startClient(scripts, name.value());
}

void ReplayDialog::startClient(const QList<ReplayScript> &scripts, const Native::PipeName &pipe)
{
    ReplayOptions options;
    options.client.convention = Native::Convention(m_convention->currentData().toInt());
    options.speed = m_scaled->isChecked() ? m_speed->value() : 1.0;
    options.fast = m_fast->isChecked();
    options.repeat = m_repeat->value();
    m_summary->setText(tr("Replaying…"));
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    QPointer<ReplayDialog> self(this);
    const auto cancel = m_cancel;
    // The replay blocks its own thread, never this one.
    QThread *thread = QThread::create([self, scripts, pipe, options, cancel] {
        const QString error = replayToServer(
            scripts, pipe, options,
            [self](const ReplayExchange &exchange) {
                QMetaObject::invokeMethod(qApp, [self, exchange] { if (self) self->addExchange(exchange); },
                                          Qt::QueuedConnection);
            },
            cancel.get());
        QMetaObject::invokeMethod(qApp, [self, error] { if (self) self->done(error); }, Qt::QueuedConnection);
    });
    connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    thread->start();
}

void ReplayDialog::startServer(const QList<ReplayScript> &scripts)
{
    delete m_server;
    m_server = new ReplayServer(scripts, this);
    m_summary->setText(tr("Starting the server…"));
    connect(m_server, &ReplayServer::listening, this, [this](const QString &address) {
        m_summary->setText(tr("Listening on %1; waiting for clients").arg(address));
    });
    connect(m_server, &ReplayServer::exchanged, this, &ReplayDialog::addExchange);
    // A failed start ends the replay; so does the server stopping.
    connect(m_server, &ReplayServer::errorOccurred, this, [this](const QString &error) {
        if (!m_server->isRunning())
            done(error);
        else
            m_summary->setText(error);
    });
    connect(m_server, &ReplayServer::stopped, this, [this] { done({}); });
    m_server->start(m_target->name(), Native::Convention(m_convention->currentData().toInt()),
                    quint64(m_repeat->value()));
}

void ReplayDialog::addExchange(const ReplayExchange &exchange)
{
    const bool checking = m_check->isChecked();
    const qsizetype differences = checking ? m_comparer.countDifferences(exchange) : 0;
    m_received += exchange.got.size();
    if (checking) {
        m_matched += m_comparer.countMatches(exchange);
        m_differed += differences;
    }
    m_exchanges.append(exchange);
    const int row = m_results->rowCount();
    m_results->insertRow(row);
    const auto join = [](const QList<QByteArray> &list) {
        QStringList parts;
        for (const QByteArray &b : list)
            parts << previewPayload(b, 60);
        return parts.join(QStringLiteral(" | "));
    };
    const QString result = !checking ? QString()
                           : differences == 0 ? tr("same")
                           : exchange.got.size() < exchange.expected.size() ? tr("missing: %1").arg(exchange.problem)
                           : exchange.expected.isEmpty() ? exchange.problem
                                                         : tr("differs");
    const QStringList cells = {QStringLiteral("#%1").arg(exchange.index + 1),
                               previewPayload(exchange.sent, 60), join(exchange.expected), join(exchange.got), result};
    for (int c = 0; c < ResultColumns; ++c) {
        auto *item = new QTableWidgetItem(cells.at(c));
        item->setToolTip(c == MessageColumn ? exchange.script : cells.at(c));
        m_results->setItem(row, c, item);
    }
    if (differences > 0)
        for (int c = 0; c < ResultColumns; ++c)
            m_results->item(row, c)->setForeground(QColor(0xc0, 0x30, 0x30));
    m_results->scrollToBottom();
}

void ReplayDialog::done(const QString &error)
{
    m_running = false;
    m_start->setText(tr("&Start"));
    QString text = role() == Role::Server ? tr("%1 messages received").arg(m_received)
                                          : tr("%1 messages sent").arg(m_exchanges.size());
    if (m_check->isChecked())
        text += role() == Role::Server ? tr("; %1 matched, %2 differed").arg(m_matched).arg(m_differed)
                                       : tr("; %1 replies matched, %2 differed").arg(m_matched).arg(m_differed);
    if (!error.isEmpty())
        text += tr(". Stopped: %1").arg(error);
    updateInputs();
    m_summary->setText(text);
    // The first difference is where to look.
    for (int row = 0; row < m_results->rowCount(); ++row)
        if (m_results->item(row, ResultColumnIndex)->text() != tr("same") && m_check->isChecked()) {
            m_results->setCurrentCell(row, 0);
            break;
        }
    emit finished(error.isEmpty());
}

void ReplayDialog::showRow(int row)
{
    if (row < 0 || row >= m_exchanges.size()) {
        m_expected->setData({});
        m_got->setData({});
        return;
    }
    const ReplayExchange &x = m_exchanges.at(row);
    m_expected->setData(x.expected.join());
    m_got->setData(x.got.join());
}

} // namespace PipeScope
