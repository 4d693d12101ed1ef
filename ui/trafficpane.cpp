#include "trafficpane.h"

#include "background.h"
#include "columnfitter.h"
#include "composer.h"
#include "elidedelegate.h"
#include "elidedlabel.h"
#include "hexview.h"
#include "icons.h"
#include "copyformat.h"
#include "units.h"
#include "payloadpreview.h"
#include "payloadreader.h"
#include "trafficmodel.h"
#include "viewplace.h"
#include "trafficstore.h"
#include "workspace.h"

#include <QAction>
#include <QComboBox>
#include <QElapsedTimer>
#include <QGuiApplication>
#include <QClipboard>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QShortcut>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace PipeScope {

namespace {

// The widest text the Time column shows in each form.
const char *timeSample(TimeDisplay display)
{
    switch (display) {
    case TimeDisplay::DateAndTime: return "0000-00-00 00:00:00.000000";
    case TimeDisplay::SinceStart: return "00000.000000";
    case TimeDisplay::TimeOfDay: break;
    }
    return "00:00:00.000000";
}
// Text decoded for the text pane stops here; the hex pane shows the rest.
constexpr qsizetype kTextPaneLimit = 1 << 20;
} // namespace

TrafficPane::TrafficPane(Workspace *workspace, std::optional<quint32> endpoint, quint32 instance,
                         QWidget *parent)
    : QWidget(parent),
      m_workspace(workspace),
      m_endpoint(endpoint),
      m_instance(instance),
      m_model(new TrafficModel(workspace->store(), this)),
      m_filterDirection(new QComboBox(this)),
      m_filterMode(new QComboBox(this)),
      m_filterText(new QLineEdit(this)),
      m_filterStatus(new ElidedLabel(40, this)),
      m_pause(new QToolButton(this)),
      m_table(new QTableView(this)),
      m_detail(new QTabWidget(this)),
      m_hex(new HexView(this)),
      m_text(new QPlainTextEdit(this)),
      m_encoding(new QComboBox(this))
{
    m_model->setScope(endpoint, instance ? std::optional<quint32>(instance) : std::nullopt);
    m_model->setEndpointNamer([workspace](quint32 id) {
        return workspace->label(id);
    });
    m_model->setMonitorTest([workspace](quint32 id) {
        const Workspace::Endpoint *e = workspace->endpoint(id);
        return e && e->kind == Workspace::Kind::Server && e->server.relayTo.has_value();
    });

    QLayout *bar = createFilterBar();
    createTable();
    createTableActions();
    createDetail();

    auto *split = new QSplitter(Qt::Vertical, this);
    split->setObjectName(QStringLiteral("paneSplitter"));
    split->addWidget(m_table);
    split->addWidget(m_detail);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(bar);
    layout->addWidget(split, 1);

    // A composer where one connection can be written to.
    const Workspace::Endpoint *e = endpoint ? workspace->endpoint(*endpoint) : nullptr;
    // A monitor sends nothing of its own: its tabs have none.
    if (e && !workspace->isReadOnly() && !e->server.relayTo &&
        (e->kind == Workspace::Kind::Client || instance != 0)) {
        m_composer = new Composer(workspace, *endpoint, instance, this);
        layout->addWidget(m_composer);
    }
}

QLayout *TrafficPane::createFilterBar()
{
    // Filter bar.
    m_filterDirection->addItem(tr("All"), int(TrafficFilter::ShowAll));
    m_filterDirection->addItem(tr("In"), int(TrafficFilter::ShowIn));
    m_filterDirection->addItem(tr("Out"), int(TrafficFilter::ShowOut));
    m_filterDirection->addItem(tr("Messages"), int(TrafficFilter::ShowIn | TrafficFilter::ShowOut));
    m_filterDirection->addItem(tr("Connection events"), int(TrafficFilter::ShowEvents));
    m_filterDirection->setToolTip(tr("Which events to show"));
    m_filterMode->addItem(tr("Text"), int(TrafficFilter::Mode::Text));
    m_filterMode->addItem(tr("Hex"), int(TrafficFilter::Mode::Hex));
    m_filterMode->addItem(tr("Regex"), int(TrafficFilter::Mode::Regex));
    m_filterMode->setToolTip(tr("Text matches its UTF-8 or UTF-16LE bytes; hex matches bytes; "
                                "a regex matches the message read as UTF-8"));
    m_filterText->setObjectName(QStringLiteral("filterText"));
    m_filterText->setClearButtonEnabled(true);
    m_filterStatus->setObjectName(QStringLiteral("filterStatus"));
    m_matchCase = new QToolButton(this);
    m_matchCase->setObjectName(QStringLiteral("matchCase"));
    m_matchCase->setText(QStringLiteral("Aa"));
    m_matchCase->setCheckable(true);
    m_matchCase->setToolTip(tr("Match case (text and regex)"));
    // Filter hides what does not match; Find keeps every row and jumps
    // between the matches (F3, Shift+F3).
    m_findMode = new QComboBox(this);
    m_findMode->setObjectName(QStringLiteral("findMode"));
    m_findMode->addItem(tr("Filter"), false);
    m_findMode->addItem(tr("Find"), true);
    m_findMode->setToolTip(tr("Filter: show only the matching rows. Find: keep every row and jump between the "
                              "matches with Enter, F3 and Shift+F3."));
    m_viewStatus = new QLabel(this);
    m_viewStatus->setObjectName(QStringLiteral("viewStatus"));
    m_viewStatus->setTextFormat(Qt::RichText);
    connect(m_viewStatus, &QLabel::linkActivated, this, [this] {
        m_model->undoClear();
        updateViewStatus();
    });
    m_pause->setCheckable(true);
    m_pause->setIcon(appIcon("pause"));
    m_pause->setToolTip(tr("Pause this view (capture goes on)"));
    auto *clearButton = new QToolButton(this);
    clearButton->setIcon(appIcon("clear"));
    clearButton->setToolTip(tr("Clear this view (the capture keeps everything)"));
    // Narrow windows: the choices shrink (their lists still show whole)
    // and the pattern keeps room to be typed in.
    for (QComboBox *box : {m_filterDirection, m_findMode, m_filterMode}) {
        box->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        box->setMinimumContentsLength(5);
    }
    m_filterText->setMinimumWidth(m_filterText->fontMetrics().horizontalAdvance(QStringLiteral("Filter messages")));
    auto *bar = new QHBoxLayout;
    bar->addWidget(m_filterDirection);
    bar->addWidget(m_findMode);
    bar->addWidget(m_filterMode);
    bar->addWidget(m_filterText, 1);
    bar->addWidget(m_matchCase);
    bar->addWidget(m_filterStatus);
    bar->addWidget(m_viewStatus);
    bar->addWidget(m_pause);
    bar->addWidget(clearButton);
    // Filter as the user types, once typing pauses.
    auto *filterDelay = new QTimer(this);
    filterDelay->setSingleShot(true);
    filterDelay->setInterval(150);
    connect(m_filterText, &QLineEdit::textChanged, filterDelay, qOverload<>(&QTimer::start));
    connect(filterDelay, &QTimer::timeout, this, &TrafficPane::applyFilter);
    connect(m_filterText, &QLineEdit::returnPressed, this, [this] {
        if (isFinding())
            findNext(true);
        else
            applyFilter();
    });
    for (QComboBox *box : {m_filterMode, m_filterDirection, m_findMode})
        connect(box, &QComboBox::currentIndexChanged, this, &TrafficPane::applyFilter);
    connect(m_matchCase, &QToolButton::toggled, this, &TrafficPane::applyFilter);
    connect(m_pause, &QToolButton::toggled, this, &TrafficPane::setPaused);
    connect(clearButton, &QToolButton::clicked, this, &TrafficPane::clear);
    auto *find = new QAction(this);
    find->setShortcut(QKeySequence::Find);
    connect(find, &QAction::triggered, this, [this] {
        m_filterText->setFocus();
        m_filterText->selectAll();
    });
    addAction(find);
    for (const bool forward : {true, false}) {
        auto *step = new QAction(forward ? tr("Find Next") : tr("Find Previous"), this);
        step->setObjectName(forward ? QStringLiteral("findNext") : QStringLiteral("findPrevious"));
        step->setShortcuts(forward ? QKeySequence::FindNext : QKeySequence::FindPrevious);
        step->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        connect(step, &QAction::triggered, this, [this, forward] { findNext(forward); });
        addAction(step);
    }
    // While paused, say how much came since, a few times a second.
    auto *pending = new QTimer(this);
    pending->setSingleShot(true);
    pending->setInterval(250);
    connect(pending, &QTimer::timeout, this, &TrafficPane::updateViewStatus);
    connect(m_workspace->store(), &TrafficStore::appended, pending, [this, pending] {
        if (m_model->isPaused() && !pending->isActive())
            pending->start();
    });
    updatePlaceholder();
    return bar;
}

void TrafficPane::createTable()
{
    // The table.
    m_table->setObjectName(QStringLiteral("trafficTable"));
    m_table->setModel(m_model);
    // Fixed row heights: the view never measures rows, whatever their count.
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    // Several messages at once: to copy, or to replay.
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setWordWrap(false);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    // Widths from the widest text each column shows, not from the rows:
    // measuring rows would touch every one of them.
    const QFontMetrics metrics = m_table->fontMetrics();
    const auto widthOf = [&](const char *sample) { return metrics.horizontalAdvance(QLatin1String(sample)) + 16; };
    m_table->setColumnWidth(TrafficModel::TimeColumn, widthOf(timeSample(TimeDisplay::TimeOfDay)));
    m_table->setColumnWidth(TrafficModel::DeltaColumn, widthOf("+000.000 ms"));
    m_table->setColumnWidth(TrafficModel::SourceColumn, m_endpoint ? widthOf("Instance") : widthOf("mynamedpipe #99"));
    m_table->setColumnWidth(TrafficModel::DirectionColumn, widthOf("out"));
    m_table->setColumnWidth(TrafficModel::KindColumn, widthOf("disconnected"));
    m_table->setColumnWidth(TrafficModel::SizeColumn, widthOf("16777216"));
    m_table->setColumnWidth(TrafficModel::PartsColumn, widthOf("Parts"));
    // A server's tab names each row's instance; an instance's or a
    // client's tab has only one source.
    const Workspace::Endpoint *e = m_endpoint ? m_workspace->endpoint(*m_endpoint) : nullptr;
    if (m_instance || (e && e->kind == Workspace::Kind::Client))
        m_table->hideColumn(TrafficModel::SourceColumn);
    // The preview takes the room left, and at least a quarter of a narrow
    // window's table.
    m_columnFitter = new ColumnFitter(m_table, m_table->horizontalHeader(), TrafficModel::PreviewColumn, 4);
    if (!m_endpoint) {
        m_table->setItemDelegateForColumn(TrafficModel::SourceColumn, new ElideDelegate(Qt::ElideMiddle, m_table));
        connect(m_workspace, &Workspace::endpointAdded, this, &TrafficPane::fitSourceColumn);
        connect(m_workspace, &Workspace::endpointChanged, this, &TrafficPane::fitSourceColumn);
        fitSourceColumn();
    }
    // The panes show the selected message: the current row when it is
    // selected (a click, the arrow keys), else the last one selected. A
    // current row that is not highlighted (Ctrl+End moves it without
    // selecting) is not what the user chose.
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &TrafficPane::showSelected);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &TrafficPane::showSelected);
    // Until first shown, a pane holds no rows (see hideEvent()); the
    // columns as set up here come back when its rows do.
    m_columns = m_table->horizontalHeader()->saveState();
    m_model->setActive(false);
    // Following the newest rows, and the place across resets.
    m_place = new ViewPlace(m_table, m_model);
    connect(m_model, &QAbstractItemModel::modelReset, this, &TrafficPane::showSelected);
}

void TrafficPane::createTableActions()
{
    // Copy the selected message out, in the form the user needs.
    m_table->setContextMenuPolicy(Qt::ActionsContextMenu);
    // Ctrl+Home/Ctrl+End select the first and last message, so the panes
    // show it (with Ctrl, an extended selection only moves the current row).
    for (const bool last : {false, true}) {
        auto *end = new QShortcut(QKeySequence(Qt::CTRL | (last ? Qt::Key_End : Qt::Key_Home)), m_table);
        end->setContext(Qt::WidgetShortcut);
        connect(end, &QShortcut::activated, this, [this, last] {
            if (const int rows = m_model->rowCount(); rows > 0) {
                m_table->selectRow(last ? rows - 1 : 0);
                m_table->scrollTo(m_table->currentIndex());
            }
        });
    }
    const struct
    {
        const char *label;
        CopyFormat format;
        QKeySequence shortcut;
    } copies[] = {
        {QT_TR_NOOP("Copy as &Text"), CopyFormat::Text, QKeySequence::Copy},
        {QT_TR_NOOP("Copy as &Hex"), CopyFormat::Hex, QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C)},
        {QT_TR_NOOP("Copy as &C Array"), CopyFormat::CArray, {}},
        {QT_TR_NOOP("Copy as &Base64"), CopyFormat::Base64, {}},
    };
    for (const auto &copy : copies) {
        auto *action = new QAction(tr(copy.label), m_table);
        action->setShortcut(copy.shortcut);
        action->setShortcutContext(Qt::WidgetShortcut);
        action->setObjectName(QStringLiteral("copy%1").arg(int(copy.format)));
        const int format = int(copy.format);
        connect(action, &QAction::triggered, this, [this, format] { copySelected(format); });
        m_table->addAction(action);
    }
    auto *separator = new QAction(m_table);
    separator->setSeparator(true);
    m_table->addAction(separator);
    // Actions on the selected rows, handed over as store rows.
    const auto onSelection = [this](const QString &text, const char *name, const QString &tip,
                                    void (TrafficPane::*request)(const QList<qsizetype> &)) {
        auto *action = new QAction(text, m_table);
        action->setObjectName(QLatin1String(name));
        action->setToolTip(tip);
        connect(action, &QAction::triggered, this, [this, request] {
            QList<qsizetype> rows;
            for (int row : selectedRows())
                rows.append(m_model->storeRow(row));
            if (!rows.isEmpty())
                emit(this->*request)(rows);
        });
        m_table->addAction(action);
    };
    onSelection(tr("&Replay Selected Messages…"), "replaySelected",
                tr("Replay the selected messages a client sent, as a client or as a server"),
                &TrafficPane::replayRequested);
    onSelection(tr("E&xport Selected…"), "exportSelected",
                tr("Write the selected rows to a file: CSV, text as pipescope serve prints it, or the messages' "
                   "raw bytes"),
                &TrafficPane::exportRequested);
    // The selected messages again, on the connections they were captured on.
    auto *sendAgain = new QAction(tr("&Send Again"), m_table);
    sendAgain->setObjectName(QStringLiteral("sendAgain"));
    // Ctrl+R and Ctrl+Shift+R are the window's Restart and Replay.
    sendAgain->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
    sendAgain->setShortcutContext(Qt::WidgetShortcut);
    sendAgain->setToolTip(tr("Send the selected messages again, each on the connection it was captured on, "
                             "whichever way it went"));
    connect(sendAgain, &QAction::triggered, this, &TrafficPane::sendSelectedAgain);
    m_table->addAction(sendAgain);
    auto *edit = new QAction(tr("Edit in C&omposer"), m_table);
    edit->setObjectName(QStringLiteral("editInComposer"));
    edit->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Return));
    edit->setShortcutContext(Qt::WidgetShortcut);
    edit->setToolTip(tr("Put the selected message into the composer of its connection, as you would type it, "
                        "to change it and send it"));
    connect(edit, &QAction::triggered, this, &TrafficPane::editSelectedInComposer);
    m_table->addAction(edit);
}

void TrafficPane::setTimeDisplay(TimeDisplay display)
{
    m_model->setTimeDisplay(display);
    const int width = m_table->fontMetrics().horizontalAdvance(QLatin1String(timeSample(display))) + 16;
    m_columnFitter->setNaturalWidth(TrafficModel::TimeColumn, width);
}

QList<TrafficPane::Captured> TrafficPane::selectedMessages() const
{
    QList<Captured> messages;
    for (int row : selectedRows()) {
        const qsizetype storeRow = m_model->storeRow(row);
        const TrafficEvent event = m_workspace->store()->eventAt(storeRow);
        if (event.kind == EventKind::Data)
            messages.append({storeRow, event.endpoint, event.instance});
    }
    return messages;
}

void TrafficPane::sendSelectedAgain()
{
    const QList<Captured> messages = selectedMessages();
    if (messages.isEmpty()) {
        emit message(tr("Nothing sent: select a message (not a connection event)"));
        return;
    }
    // Each connection must be able to send now; asked again as each is sent.
    for (const Captured &m : messages) {
        const QString why = m_workspace->sendBlocker(m.endpoint, m.instance);
        if (!why.isEmpty()) {
            emit message(tr("Nothing sent: %1: %2").arg(m_workspace->label(m.endpoint), why));
            return;
        }
    }
    QList<qsizetype> rows;
    for (const Captured &m : messages)
        rows.append(m.storeRow);
    fetchPayloads(rows, m_sendFetch, [this, messages](const QList<QByteArray> &bytes, const QString &error) {
        if (!error.isEmpty()) {
            emit message(tr("Nothing sent: %1").arg(error));
            return;
        }
        qsizetype sent = 0;
        while (sent < bytes.size() && m_workspace->send(messages[sent].endpoint, messages[sent].instance, bytes[sent]))
            ++sent;
        emit message(tr("Sent %1 again").arg(counted(sent, tr("message"), tr("messages"))));
    });
}

void TrafficPane::editSelectedInComposer()
{
    const QList<Captured> messages = selectedMessages();
    if (messages.isEmpty()) {
        emit message(tr("Select a message (not a connection event) to edit it"));
        return;
    }
    const Captured first = messages.first();
    fetchPayloads({first.storeRow}, m_composeFetch, [this, first](const QList<QByteArray> &bytes, const QString &error) {
        if (!error.isEmpty())
            emit message(tr("Cannot read the message: %1").arg(error));
        else
            emit composeRequested(first.endpoint, first.instance, bytes.value(0));
    });
}

QList<qsizetype> TrafficPane::shownStoreRows() const
{
    QList<qsizetype> rows;
    rows.reserve(m_model->rowCount());
    for (int row = 0; row < m_model->rowCount(); ++row)
        rows.append(m_model->storeRow(row));
    return rows;
}

void TrafficPane::createDetail()
{
    // The selected message: hex, and text in the chosen encoding.
    m_text->setReadOnly(true);
    m_text->setObjectName(QStringLiteral("decodedText"));
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_encoding->setObjectName(QStringLiteral("textEncoding"));
    m_encoding->addItem(tr("Automatic"), kAutomatic);
    m_encoding->setItemData(0, tr("UTF-16LE where the message looks like it (as the Preview column), else UTF-8"),
                            Qt::ToolTipRole);
    m_encoding->addItem(tr("UTF-8"), int(TextEncoding::Utf8));
    m_encoding->addItem(tr("UTF-16LE"), int(TextEncoding::Utf16Le));
    m_encoding->addItem(tr("Latin-1"), int(TextEncoding::Latin1));
    connect(m_encoding, &QComboBox::currentIndexChanged, this, &TrafficPane::updateText);
    auto *textPage = new QWidget(this);
    auto *textLayout = new QVBoxLayout(textPage);
    textLayout->setContentsMargins(0, 0, 0, 0);
    auto *encodingRow = new QHBoxLayout;
    encodingRow->addWidget(new QLabel(tr("Decode as"), textPage));
    encodingRow->addWidget(m_encoding);
    encodingRow->addStretch();
    textLayout->addLayout(encodingRow);
    textLayout->addWidget(m_text);
    m_detail->addTab(m_hex, tr("Hex"));
    m_detail->addTab(textPage, tr("Text"));
}

// A hidden pane lets go of its rows: its model keeps no row list and its
// table no header sections (QHeaderView keeps 8 bytes per row), so only the
// tab in view costs memory per message. Showing it rebuilds from the store
// in a few milliseconds per million messages.
void TrafficPane::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    if (!m_model->isActive())
        return;
    m_place->hold();
    m_columns = m_table->horizontalHeader()->saveState();
    // The model stays the view's (one selection model for the pane's life);
    // inactive, it holds no rows and no per-row memory.
    m_model->setActive(false);
}

void TrafficPane::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_model->isActive())
        return;
    // Back where the user left it (ViewPlace, as the rows come back).
    m_model->setActive(true);
    m_table->horizontalHeader()->restoreState(m_columns);
    m_columnFitter->fit();
}

void TrafficPane::fitSourceColumn()
{
    const QFontMetrics metrics = m_table->fontMetrics();
    int widest = metrics.horizontalAdvance(m_model->headerData(TrafficModel::SourceColumn, Qt::Horizontal).toString());
    for (quint32 id : m_workspace->endpointIds())
        widest = std::max(widest, metrics.horizontalAdvance(m_workspace->label(id) + QStringLiteral(" #99")));
    m_columnFitter->setNaturalWidth(TrafficModel::SourceColumn, widest + 16);
}

void TrafficPane::applyFilter()
{
    updatePlaceholder();
    TrafficFilter filter;
    // Finding: the direction still filters; the pattern only finds.
    const int directions = m_filterDirection->currentData().toInt();
    if (isFinding()) {
        const TrafficFilter &now = m_model->filter();
        if (now.hasPattern() || now.directions() != directions) {
            filter.set(TrafficFilter::Mode::Text, QString(), directions);
            m_model->setFilter(filter);
        }
        m_filterStatus->setStatus(m_filterText->text().isEmpty() ? QString() : tr("Enter or F3: next match"));
        return;
    }
    if (!readPattern(filter, directions))
        return;
    QElapsedTimer timer;
    timer.start();
    m_model->setFilter(filter);
    QString status = filter.isEmpty() ? QString() : tr("%1 shown").arg(m_model->rowCount());
    if (m_model->unsearched() > 0)
        status += tr("; %1 not searched (not in memory: save the session and open it to search them)")
                      .arg(m_model->unsearched());
    m_filterStatus->setStatus(status, status.isEmpty() ? QString()
                                                       : tr("%1\nFiltered in %2 ms").arg(status).arg(timer.elapsed()));
}

void TrafficPane::setPaused(bool paused)
{
    if (m_pause->isChecked() != paused)
        m_pause->setChecked(paused);
    if (m_model->isPaused() == paused)
        return;
    m_model->setPaused(paused);
    updateViewStatus();
    emit pausedChanged(paused);
}

void TrafficPane::clear()
{
    m_model->clearView();
    updateViewStatus();
}

void TrafficPane::updateViewStatus()
{
    QStringList parts;
    if (m_model->isPaused())
        parts << tr("Paused — %1 new").arg(m_model->arrivedWhilePaused());
    if (m_model->hiddenByClear() > 0)
        parts << tr("%1 hidden · <a href=\"undo\">Show Again</a>").arg(m_model->hiddenByClear());
    m_viewStatus->setText(parts.join(QStringLiteral(" · ")));
    m_viewStatus->setToolTip(m_model->hiddenByClear() > 0
                                 ? tr("Clear hid the rows before it from this view; the capture keeps them")
                                 : QString());
}

bool TrafficPane::isFinding() const
{
    return m_findMode->currentData().toBool();
}

void TrafficPane::updatePlaceholder()
{
    m_filterText->setPlaceholderText(isFinding() ? tr("Find in messages and events (Ctrl+F, F3)")
                                                 : tr("Filter messages and events (Ctrl+F)"));
}

bool TrafficPane::readPattern(TrafficFilter &filter, int directions)
{
    QString error;
    const auto mode = TrafficFilter::Mode(m_filterMode->currentData().toInt());
    const auto sensitivity = m_matchCase->isChecked() ? Qt::CaseSensitive : Qt::CaseInsensitive;
    if (filter.set(mode, m_filterText->text(), directions, &error, sensitivity))
        return true;
    // Said next to the field; the filter in force stays as it was.
    m_filterStatus->setStatus(error, tr("%1\nThe previous filter is still applied").arg(error));
    return false;
}

void TrafficPane::findNext(bool forward)
{
    if (!isFinding()) {
        // Filtering: every row shown matches; step through them.
        const int rows = m_model->rowCount();
        if (rows > 0) {
            const int from = m_table->currentIndex().isValid() ? m_table->currentIndex().row() : (forward ? -1 : rows);
            m_table->selectRow(std::clamp(from + (forward ? 1 : -1), 0, rows - 1));
        }
        return;
    }
    TrafficFilter pattern;
    if (!readPattern(pattern, TrafficFilter::ShowAll) || !pattern.hasPattern())
        return;
    const QModelIndex current = m_table->currentIndex();
    const int row = m_model->find(pattern, current.isValid() ? current.row() : -1, forward);
    if (row < 0) {
        m_filterStatus->setStatus(tr("No match"));
        return;
    }
    m_filterStatus->setStatus(tr("Row %1").arg(row + 1));
    m_table->selectRow(row);
    m_table->scrollTo(m_model->index(row, 0));
}

void TrafficPane::fetchPayloads(const QList<qsizetype> &storeRows, quint64 &latest,
                                std::function<void(const QList<QByteArray> &, const QString &)> done)
{
    const quint64 fetch = ++latest;
    auto read = [reader = std::make_shared<PayloadReader>(m_workspace->store()->snapshot()), storeRows] {
        QList<QByteArray> bytes;
        QString error;
        for (qsizetype row : storeRows) {
            TrafficEvent event;
            if (!reader->read(row, event)) {
                error = reader->error();
                break;
            }
            // A copy of its own: a view into the store is not for another thread.
            bytes.append(QByteArray(event.payload.constData(), event.payload.size()));
        }
        reader->release();
        return std::pair(bytes, error);
    };
    runInBackground(this, std::move(read), [&latest, fetch, done = std::move(done)](const auto &result) {
        if (fetch == latest)
            done(result.first, result.second);
    });
}

QModelIndex TrafficPane::selectedMessage() const
{
    const QItemSelectionModel *selection = m_table->selectionModel();
    const QModelIndex current = m_table->currentIndex();
    if (current.isValid() && selection->isRowSelected(current.row()))
        return current;
    const QModelIndexList rows = selection->selectedRows();
    return rows.isEmpty() ? QModelIndex() : rows.constLast();
}

void TrafficPane::showSelected()
{
    const QModelIndex current = selectedMessage();
    m_eventText.clear();
    if (current.isValid() && EventKind(current.data(TrafficModel::KindRole).toInt()) != EventKind::Data) {
        const QString kind = current.siblingAtColumn(TrafficModel::KindColumn).data().toString();
        // A connection's peer, an error: words, not bytes to dump.
        ++m_shownFetch;
        m_eventText = tr("%1: %2").arg(kind, current.siblingAtColumn(TrafficModel::PreviewColumn).data().toString());
        m_hex->setPlaceholderText(tr("A %1 event carries no message: the Text tab says what it was.").arg(kind));
        m_hex->setData({});
        updateText();
        return;
    }
    m_hex->setPlaceholderText(current.isValid() ? tr("(an empty message)") : tr("Select a message to see its bytes"));
    if (current.isValid() && current.data(TrafficModel::NotKeptRole).toBool()) {
        // Its bytes are on disk only: read off this thread, shown when in.
        m_hex->setData({});
        m_text->setPlainText(tr("Reading this message from %1…").arg(m_workspace->store()->backingFile()));
        fetchPayloads({current.data(TrafficModel::StoreRowRole).value<qsizetype>()}, m_shownFetch,
                      [this](const QList<QByteArray> &bytes, const QString &error) {
                          if (!error.isEmpty()) {
                              m_text->setPlainText(tr("Cannot show this message: %1").arg(error));
                              return;
                          }
                          m_hex->setData(bytes.first());
                          updateText();
                      });
        return;
    }
    ++m_shownFetch; // a message still being read for an earlier selection goes nowhere
    m_hex->setData(current.isValid() ? current.data(TrafficModel::PayloadRole).toByteArray() : QByteArray());
    updateText();
}

TextEncoding TrafficPane::textEncodingFor(QByteArrayView bytes) const
{
    const int chosen = m_encoding->currentData().toInt();
    return chosen == kAutomatic ? likelyEncoding(bytes) : TextEncoding(chosen);
}

void TrafficPane::focusHex()
{
    m_detail->setCurrentWidget(m_hex);
    m_hex->setFocus(Qt::ShortcutFocusReason);
}

void TrafficPane::updateText()
{
    if (!m_eventText.isEmpty()) {
        m_text->setPlainText(m_eventText);
        return;
    }
    const QByteArray &bytes = m_hex->data();
    const TextEncoding encoding = textEncodingFor(bytes);
    // Automatic says what it chose.
    m_encoding->setItemText(0, encoding == TextEncoding::Utf16Le ? tr("Automatic (UTF-16LE)")
                                                                 : tr("Automatic (UTF-8)"));
    const QByteArrayView shown = QByteArrayView(bytes).first(std::min(bytes.size(), kTextPaneLimit));
    // Under Automatic, binary is said to be binary, not decoded to garbage;
    // an encoding chosen decodes whatever it is.
    const auto isText = [&] {
        // A cut may end inside a character: a few bytes less decide.
        for (qsizetype cut = 0; cut <= (shown.size() < bytes.size() ? 3 : 0); ++cut)
            if (textIn(shown.first(shown.size() - cut), encoding))
                return true;
        return false;
    };
    if (m_encoding->currentData().toInt() == kAutomatic && !bytes.isEmpty() && !isText()) {
        m_encoding->setItemText(0, tr("Automatic"));
        m_text->setPlainText(tr("Binary data (%1): not text in UTF-8 or UTF-16LE. The Hex tab shows its bytes; "
                                "choose an encoding above to decode it anyway.")
                                 .arg(formatSize(quint64(bytes.size()))));
        return;
    }
    QString text = decodeText(shown, encoding);
    if (bytes.size() > kTextPaneLimit)
        text += tr("\n[… %1 more; the hex pane shows all]").arg(formatSize(quint64(bytes.size() - kTextPaneLimit)));
    m_text->setPlainText(text);
}

QList<int> TrafficPane::selectedRows() const
{
    QList<int> rows;
    const QItemSelectionModel *selection = m_table->selectionModel();
    if (!selection)
        return rows;
    // Ranges, not indexes: a selection of a million rows is one range.
    for (const QItemSelectionRange &range : selection->selection())
        for (int row = range.top(); row <= range.bottom(); ++row)
            rows.append(row);
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    return rows;
}

void TrafficPane::copySelected(int format)
{
    // Each selected message in the chosen form, one per line.
    const QList<int> rows = selectedRows();
    const auto copy = [this, format](const QList<QByteArray> &payloads) {
        QStringList parts;
        for (const QByteArray &bytes : payloads)
            parts << formatPayload(bytes, CopyFormat(format), textEncodingFor(bytes));
        if (!parts.isEmpty())
            QGuiApplication::clipboard()->setText(parts.join(QLatin1Char('\n')));
    };
    QList<QByteArray> payloads;
    QList<qsizetype> storeRows;
    bool onDisk = false;
    for (int row : rows) {
        const QModelIndex index = m_model->index(row, 0);
        onDisk = onDisk || index.data(TrafficModel::NotKeptRole).toBool();
        storeRows.append(index.data(TrafficModel::StoreRowRole).value<qsizetype>());
        if (!onDisk)
            payloads.append(index.data(TrafficModel::PayloadRole).toByteArray());
    }
    if (!onDisk) {
        copy(payloads);
        return;
    }
    // Some are on disk only: all are read in the background, then copied.
    emit message(tr("Reading %1 to copy…").arg(counted(storeRows.size(), tr("message"), tr("messages"))));
    fetchPayloads(storeRows, m_copyFetch, [this, copy](const QList<QByteArray> &bytes, const QString &error) {
        if (!error.isEmpty()) {
            emit message(tr("Nothing copied: %1").arg(error));
            return;
        }
        copy(bytes);
        emit message(tr("Copied %1").arg(counted(bytes.size(), tr("message"), tr("messages"))));
    });
}

} // namespace PipeScope

#include "moc_trafficpane.cpp"
