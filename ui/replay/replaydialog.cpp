#include "replaydialog.h"

#include "units.h"

#include "background.h"
#include "hexview.h"
#include "pipenamefield.h"
#include "replayinwindow.h"
#include "replayresults.h"
#include "replayserver.h"
#include "replaysource.h"
#include "screenroom.h"
#include "trafficstore.h"
#include "workspace.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QScrollBar>
#include <QSplitter>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QVBoxLayout>

namespace PipeScope {

namespace {

// Rows that differ in red, selected or not.
class DifferenceDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        if (index.data(ReplayResults::DiffersRole).toBool()) {
            const QColor red(0xc0, 0x30, 0x30);
            option->palette.setColor(QPalette::Text, red);
            option->palette.setColor(QPalette::HighlightedText, option->palette.color(QPalette::Base));
            option->palette.setColor(QPalette::Highlight, red);
        }
    }
};

} // namespace

ReplayDialog::ReplayDialog(Workspace *workspace, const QList<qsizetype> &rows, QWidget *parent)
    : QDialog(parent),
      m_source(new ReplaySource(this)),
      m_inWindow(new ReplayInWindow(workspace, this)),
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
      m_results(new QTableView(this)),
      m_model(new ReplayResults(this)),
      m_expected(new HexView(this)),
      m_got(new HexView(this)),
      m_summary(new QLabel(this))
{
    setWindowTitle(rows.isEmpty() ? tr("Replay") : tr("Replay Selected Messages"));
    fillChoices();
    createResultsTable();
    layOut();
    const SessionHeader header = workspace->sessionHeader();
    targetRecordedServer(header);
    updateInputs();
    // Room for both dumps whole, ASCII column included, where the screen
    // has it.
    const int dumps = 2 * m_expected->sizeHint().width() + 48;
    resize(QSize(std::max(900, dumps), 640).boundedTo(roomOnScreen(this)));
    connect(m_source, &ReplaySource::fileRead, this, [this](const QString &path, const SessionHeader &fileHeader) {
        setWindowTitle(tr("Replay %1").arg(QFileInfo(path).fileName()));
        targetRecordedServer(fileHeader);
    });
    connect(m_source, &ReplaySource::ready, this, &ReplayDialog::showScripts);
    // Stop on the replay's endpoint in the window stops the replay.
    connect(m_inWindow, &ReplayInWindow::stopRequested, this, [this] {
        if (m_running)
            start();
    });
    m_source->readCapture(header, workspace->store()->snapshot(), rows);
}

bool ReplayDialog::isReady() const
{
    return m_source->isReady();
}

const QList<ReplayScript> &ReplayDialog::scripts() const
{
    return m_source->scripts();
}

void ReplayDialog::targetRecordedServer(const SessionHeader &header)
{
    // The recorded server's name is the likely target.
    for (const SessionEndpoint &e : header.endpoints)
        if (e.kind == SessionEndpoint::Kind::Server) {
            m_target->setName(e.name());
            return;
        }
}

void ReplayDialog::openFile(const QString &path)
{
    if (m_running)
        return;
    m_conversation->clear();
    m_source->readFile(path);
    updateInputs();
    m_summary->setText(tr("Reading %1…").arg(QFileInfo(path).fileName()));
}

// The choices and ranges of the inputs.
void ReplayDialog::fillChoices()
{
    m_role->setObjectName(QStringLiteral("replayRole"));
    m_role->addItem(tr("As a client, to a server"), int(Role::Client));
    m_role->addItem(tr("As a server, answering clients with the recorded replies"), int(Role::Server));
    m_conversation->addItem(tr("Reading the session…"), -1);

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
}

// One row per replayed message, the newest followed while the user is at
// the bottom.
void ReplayDialog::createResultsTable()
{
    m_results->setObjectName(QStringLiteral("replayResults"));
    m_results->setModel(m_model);
    m_results->setItemDelegate(new DifferenceDelegate(m_results));
    m_results->horizontalHeader()->setStretchLastSection(true);
    m_results->verticalHeader()->hide();
    m_results->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_results->setSelectionMode(QAbstractItemView::SingleSelection);
    m_results->setWordWrap(false);
    // Fixed row heights: the view never measures a row, at any count.
    m_results->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_results->verticalHeader()->setDefaultSectionSize(m_results->fontMetrics().height() + 6);
    m_results->setColumnWidth(ReplayResults::ConversationColumn, 150);
    m_results->setColumnWidth(ReplayResults::StepColumn,
                              m_results->fontMetrics().horizontalAdvance(QStringLiteral("#000000")) + 12);
    for (int c : {ReplayResults::SentColumn, ReplayResults::ExpectedColumn, ReplayResults::GotColumn})
        m_results->setColumnWidth(c, 170);
    connect(m_results->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) { showRow(current.row()); });
    // Follow the newest results only while the user is at the bottom.
    connect(m_model, &QAbstractItemModel::rowsAboutToBeInserted, this, [this] {
        const QScrollBar *scroll = m_results->verticalScrollBar();
        m_followTail = scroll->value() == scroll->maximum();
    });
    connect(m_model, &QAbstractItemModel::rowsInserted, this, [this] {
        if (m_followTail)
            m_results->scrollToBottom();
    });
}

// The form above, the results and the side-by-side replies below, the
// buttons last.
void ReplayDialog::layOut()
{
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
    auto *openFile = new QPushButton(tr("&Open Session File…"), this);
    openFile->setObjectName(QStringLiteral("openSessionFile"));
    openFile->setToolTip(tr("Replay a saved session instead of this window's capture"));
    connect(openFile, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Replay a Session"), QString(),
                                                          tr("PipeScope sessions (*.pipescope);;All files (*)"));
        if (!path.isEmpty())
            this->openFile(path);
    });
    m_openFile = openFile;
    buttons->addWidget(openFile);
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
}

void ReplayDialog::showScripts()
{
    const QList<ReplayScript> &scripts = m_source->scripts();
    qsizetype messages = 0;
    for (const ReplayScript &s : scripts)
        messages += s.steps.size();
    if (m_source->isSelection())
        setWindowTitle(messages == 1 ? tr("Replay 1 Selected Message") : tr("Replay %1 Selected Messages").arg(messages));
    const auto countedMessages = [](qsizetype n) { return counted(n, tr("message"), tr("messages")); };
    m_conversation->clear();
    m_conversation->addItem(tr("All %1 (%2)")
                                .arg(counted(scripts.size(), tr("conversation"), tr("conversations")),
                                     countedMessages(messages)),
                            -1);
    for (qsizetype i = 0; i < scripts.size(); ++i)
        m_conversation->addItem(tr("%1: %2").arg(scripts[i].title, countedMessages(scripts[i].steps.size())), int(i));
    updateInputs();
    emit ready();
}

ReplayDialog::~ReplayDialog()
{
    if (m_cancel)
        m_cancel->store(true);
    m_inWindow->end({});
}

SessionEndpoint ReplayDialog::replaySide(const QList<ReplayScript> &scripts) const
{
    const auto convention = Native::Convention(m_convention->currentData().toInt());
    SessionEndpoint as;
    if (role() == Role::Server) {
        as.kind = SessionEndpoint::Kind::Server;
        as.server = ReplayServer::configFor(scripts, m_target->name(), convention);
    } else {
        as.kind = SessionEndpoint::Kind::Client;
        as.client.name = m_target->name();
        as.client.options.convention = convention;
    }
    return as;
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
                                                           m_check, m_ignore, m_openFile})
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
    const bool ready = m_source->isReady();
    m_start->setEnabled(m_running || (ready && m_target->isValid() && !scripts().isEmpty()));
    if (!m_running)
        m_summary->setText(!ready                       ? tr("Reading the session's conversations…")
                           : !m_source->error().isEmpty() ? m_source->error()
                           : scripts().isEmpty()        ? tr("Nothing a client sent is here to replay")
                           : m_target->isValid()  ? QString()
                                                  : m_target->resolved()->text());
}

void ReplayDialog::start()
{
    if (m_running) {
        m_stopAsked = true;
        if (m_server)
            m_server->stop(); // stopped() ends the replay
        else
            m_cancel->store(true);
        return;
    }
    QString problem;
    ReplyComparer comparer;
    if (!m_ignore->text().isEmpty() && !comparer.setIgnore(m_ignore->text(), &problem)) {
        m_summary->setText(problem);
        return;
    }
    const auto name = Native::PipeName::parse(m_target->name().toStdString());
    if (!name) {
        m_summary->setText(QString::fromStdString(name.error().message()));
        return;
    }
    QList<ReplayScript> scripts = this->scripts();
    if (const int chosen = m_conversation->currentData().toInt(); chosen >= 0)
        scripts = {scripts.at(chosen)};
    // A client replay sends every message, as many times as asked: past
    // kAskAbove, the user says it is meant.
    qsizetype messages = 0;
    for (const ReplayScript &script : scripts)
        messages += script.steps.size();
    messages *= role() == Role::Client ? m_repeat->value() : 1;
    if (role() == Role::Client && messages > kAskAbove) {
        auto *question = new QMessageBox(
            QMessageBox::Question, tr("Replay"),
            tr("Send %1 messages to %2?").arg(messages).arg(m_target->name()), QMessageBox::Yes | QMessageBox::No, this);
        question->setObjectName(QStringLiteral("largeReplayQuestion"));
        question->setInformativeText(
            tr("A replay of more than %1 messages is asked about first: the server may act on each one.")
                .arg(kAskAbove));
        question->setAttribute(Qt::WA_DeleteOnClose);
        connect(question, &QMessageBox::finished, this, [this, question, scripts, comparer, pipe = name.value()] {
            if (question->result() == QMessageBox::Yes)
                run(scripts, comparer, pipe);
        });
        question->open();
        return;
    }
    run(scripts, comparer, name.value());
}

void ReplayDialog::run(const QList<ReplayScript> &scripts, const ReplyComparer &comparer,
                       const Native::PipeName &pipe)
{
    m_model->reset(role() == Role::Server ? ReplayResults::Side::Server : ReplayResults::Side::Client,
                   m_check->isChecked() ? std::optional<ReplyComparer>(comparer) : std::nullopt);
    m_followTail = true;
    m_inWindow->begin(replaySide(scripts));
    m_stopAsked = false;
    m_running = true;
    m_start->setText(tr("&Stop"));
    updateInputs();
    if (role() == Role::Server)
        startServer(scripts);
    else
        startClient(scripts, pipe);
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
    options.capture = m_inWindow->clientCapture(m_cancel.get());
    // The replay blocks its own thread, never this one. Its exchanges reach
    // the table in batches; done() comes after the last of them was posted.
    const auto replay = [scripts, pipe, options, cancel = m_cancel, post = m_model->poster()] {
        return replayToServer(scripts, pipe, options, post, cancel.get());
    };
    runInBackground(this, replay, [this](const QString &error) { done(error); });
}

void ReplayDialog::startServer(const QList<ReplayScript> &scripts)
{
    delete m_server;
    m_server = new ReplayServer(scripts, this);
    m_summary->setText(tr("Starting the server…"));
    connect(m_server, &ReplayServer::listening, this, [this](const QString &address) {
        m_summary->setText(tr("Listening on %1; waiting for clients").arg(address));
        m_inWindow->serverListening(address);
    });
    connect(m_server, &ReplayServer::exchanged, this, [post = m_model->poster()](const ReplayExchange &x) { post(x); });
    connect(m_server, &ReplayServer::captured, m_inWindow, &ReplayInWindow::serverCaptured);
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

void ReplayDialog::done(const QString &error)
{
    // Everything the replay posted was posted before it ended.
    m_model->flush();
    if (m_server) {
        m_server->disconnect(this);
        m_server->deleteLater();
        m_server = nullptr;
    }
    // Stopped by the user (here or in the window) is not a failure.
    m_inWindow->end(m_stopAsked ? QString() : error);
    m_running = false;
    m_start->setText(tr("&Start"));
    QString text = role() == Role::Server
                       ? tr("%1 received").arg(counted(m_model->received(), tr("message"), tr("messages")))
                       : tr("%1 sent").arg(counted(m_model->rowCount(), tr("message"), tr("messages")));
    if (m_model->isChecking())
        text += role() == Role::Server
            ? tr("; %1 matched, %2 differed").arg(m_model->matched()).arg(m_model->differed())
            : tr("; %1 matched, %2 differed")
                  .arg(counted(m_model->matched(), tr("reply"), tr("replies")))
                  .arg(m_model->differed());
    if (!error.isEmpty())
        text += tr(". Stopped: %1").arg(error);
    updateInputs();
    m_summary->setText(text);
    // The first difference is where to look.
    if (const int row = m_model->firstDifference(); row >= 0)
        m_results->setCurrentIndex(m_model->index(row, 0));
    emit finished(error.isEmpty());
}

void ReplayDialog::showRow(int row)
{
    const QModelIndex index = m_model->index(row, 0);
    const QByteArray expected = index.data(ReplayResults::ExpectedRole).toByteArray();
    const QByteArray got = index.data(ReplayResults::GotRole).toByteArray();
    m_expected->setData(expected);
    m_got->setData(got);
    // The bytes that differ, marked in both (outside what the check ignores).
    QList<QPair<qsizetype, qsizetype>> marks;
    for (const ReplyComparer::Range &range : m_model->comparer().value_or(ReplyComparer()).differingBytes(expected, got))
        marks.append({range.first, range.end});
    m_expected->setMarked(marks);
    m_got->setMarked(marks);
}

} // namespace PipeScope

#include "moc_replaydialog.cpp"
