#include "trafficpane.h"

#include "columnfitter.h"
#include "composer.h"
#include "elidedelegate.h"
#include "elidedlabel.h"
#include "hexview.h"
#include "messagedetailview.h"
#include "payloadfetcher.h"
#include "tableactions.h"
#include "icons.h"
#include "units.h"
#include "trafficmodel.h"
#include "viewplace.h"
#include "trafficstore.h"
#include "workspace.h"

#include <QAction>
#include <QComboBox>
#include <QElapsedTimer>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QSplitter>
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
      m_detail(new MessageDetailView(this)),
      m_fetcher(new PayloadFetcher(workspace->store(), this))
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
    m_tableActions = new TableActions(workspace, m_table, m_model, m_detail, m_fetcher);
    connect(m_tableActions, &TableActions::replayRequested, this, &TrafficPane::replayRequested);
    connect(m_tableActions, &TableActions::exportRequested, this, &TrafficPane::exportRequested);
    connect(m_tableActions, &TableActions::composeRequested, this, &TrafficPane::composeRequested);
    connect(m_tableActions, &TableActions::message, this, &TrafficPane::message);

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

void TrafficPane::setTimeDisplay(TimeDisplay display)
{
    m_model->setTimeDisplay(display);
    const int width = m_table->fontMetrics().horizontalAdvance(QLatin1String(timeSample(display))) + 16;
    m_columnFitter->setNaturalWidth(TrafficModel::TimeColumn, width);
}

QList<qsizetype> TrafficPane::shownStoreRows() const
{
    QList<qsizetype> rows;
    rows.reserve(m_model->rowCount());
    for (int row = 0; row < m_model->rowCount(); ++row)
        rows.append(m_model->storeRow(row));
    return rows;
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
    // A message still being read for an earlier selection goes nowhere.
    m_fetcher->cancel(ShownChannel);
    if (!current.isValid()) {
        m_detail->showNothing();
    } else if (EventKind(current.data(TrafficModel::KindRole).toInt()) != EventKind::Data) {
        m_detail->showOtherEvent(current.siblingAtColumn(TrafficModel::KindColumn).data().toString(),
                                 current.siblingAtColumn(TrafficModel::PreviewColumn).data().toString());
    } else if (current.data(TrafficModel::NotKeptRole).toBool()) {
        // Its bytes are on disk only: read off this thread, shown when in.
        m_detail->showReading(m_workspace->store()->backingFile());
        m_fetcher->fetch(ShownChannel, {current.data(TrafficModel::StoreRowRole).value<qsizetype>()},
                         [this](const QList<QByteArray> &bytes, const QString &error) {
                             if (error.isEmpty())
                                 m_detail->showMessage(bytes.first());
                             else
                                 m_detail->showUnreadable(error);
                         });
    } else {
        m_detail->showMessage(current.data(TrafficModel::PayloadRole).toByteArray());
    }
}

void TrafficPane::focusHex()
{
    m_detail->focusHex();
}

QList<int> TrafficPane::selectedRows() const
{
    return m_tableActions->selectedRows();
}

} // namespace PipeScope

#include "moc_trafficpane.cpp"
