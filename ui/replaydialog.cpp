#include "replaydialog.h"

#include "endpointdialogs.h"
#include "hexview.h"
#include "payload.h"
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

ReplayDialog::ReplayDialog(const Workspace *workspace, QWidget *parent)
    : QDialog(parent),
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
    setWindowTitle(tr("Replay"));
    // The conversations, as their clients saw them.
    m_scripts = buildReplayScripts(workspace->sessionHeader(), *workspace->store());
    qsizetype messages = 0;
    for (const ReplayScript &s : m_scripts)
        messages += s.steps.size();
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
    form->addRow(tr("&Conversation:"), m_conversation);
    form->addRow(tr("&To the server:"), m_target);
    form->addRow(tr("&Look in:"), m_convention);
    form->addRow(tr("Timing:"), timing);
    form->addRow(tr("&Repeat:"), m_repeat);
    form->addRow(m_check);
    form->addRow(tr("&Ignore:"), m_ignore);
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
    const auto validate = [this] {
        m_start->setEnabled(m_running || (m_target->isValid() && !m_scripts.isEmpty()));
        if (!m_running)
            m_summary->setText(m_scripts.isEmpty() ? tr("This session has no message from a client to replay")
                                                   : m_target->isValid() ? QString()
                                                                         : m_target->resolved()->text());
    };
    connect(m_target, &PipeNameField::validityChanged, this, validate);
    // The recorded server's name is the likely target.
    for (quint32 id : workspace->endpointIds())
        if (workspace->endpoint(id)->kind == Workspace::Kind::Server) {
            m_target->setName(workspace->endpoint(id)->name);
            break;
        }
    validate();
    resize(900, 640);
}

ReplayDialog::~ReplayDialog()
{
    if (m_cancel)
        m_cancel->store(true);
}

void ReplayDialog::start()
{
    if (m_running) {
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
    ReplayOptions options;
    options.client.convention = Native::Convention(m_convention->currentData().toInt());
    options.speed = m_scaled->isChecked() ? m_speed->value() : 1.0;
    options.fast = m_fast->isChecked();
    options.repeat = m_repeat->value();
    m_results->setRowCount(0);
    m_exchanges.clear();
    m_matched = m_differed = 0;
    m_running = true;
    m_start->setText(tr("&Stop"));
    m_summary->setText(tr("Replaying…"));
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    QPointer<ReplayDialog> self(this);
    const auto cancel = m_cancel;
    const Native::PipeName pipe = name.value();
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

void ReplayDialog::addExchange(const ReplayExchange &exchange)
{
    const qsizetype matches = m_check->isChecked() ? m_comparer.countMatches(exchange) : 0;
    const bool same = matches == exchange.expected.size() && exchange.got.size() == exchange.expected.size();
    if (m_check->isChecked()) {
        m_matched += matches;
        m_differed += exchange.expected.size() - matches;
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
    const QString result = !m_check->isChecked() ? QString()
                           : same               ? tr("same")
                           : exchange.got.size() < exchange.expected.size()
                               ? tr("missing: %1").arg(exchange.problem)
                               : tr("differs");
    const QStringList cells = {QStringLiteral("#%1").arg(exchange.index + 1),
                               previewPayload(exchange.sent, 60), join(exchange.expected), join(exchange.got), result};
    for (int c = 0; c < ResultColumns; ++c) {
        auto *item = new QTableWidgetItem(cells.at(c));
        item->setToolTip(c == MessageColumn ? exchange.script : cells.at(c));
        m_results->setItem(row, c, item);
    }
    if (!same && m_check->isChecked())
        for (int c = 0; c < ResultColumns; ++c)
            m_results->item(row, c)->setForeground(QColor(0xc0, 0x30, 0x30));
    m_results->scrollToBottom();
}

void ReplayDialog::done(const QString &error)
{
    m_running = false;
    m_start->setText(tr("&Start"));
    QString text = tr("%1 messages sent").arg(m_exchanges.size());
    if (m_check->isChecked())
        text += tr("; %1 replies matched, %2 differed").arg(m_matched).arg(m_differed);
    if (!error.isEmpty())
        text += tr(". Stopped: %1").arg(error);
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
