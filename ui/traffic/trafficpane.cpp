#include "trafficpane.h"

#include "columnfitter.h"
#include "composer.h"
#include "conversationview.h"
#include "elidedelegate.h"
#include "filterbar.h"
#include "hexview.h"
#include "icons.h"
#include "messagedetailview.h"
#include "payloadfetcher.h"
#include "tableactions.h"
#include "trafficmodel.h"
#include "trafficstore.h"
#include "units.h"
#include "viewplace.h"
#include "workspace.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QStackedWidget>
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
    m_tableActions = new TableActions(workspace, m_table, m_model, m_detail);
    connect(m_tableActions, &TableActions::replayRequested, this, &TrafficPane::replayRequested);
    connect(m_tableActions, &TableActions::exportRequested, this, &TrafficPane::exportRequested);
    connect(m_tableActions, &TableActions::composeRequested, this, &TrafficPane::composeRequested);
    connect(m_tableActions, &TableActions::message, this, &TrafficPane::message);

    auto *split = new QSplitter(Qt::Vertical, this);
    split->setObjectName(QStringLiteral("paneSplitter"));
    m_views = new QStackedWidget(this);
    m_views->addWidget(m_table);
    split->addWidget(m_views);
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
    m_filterBar = new FilterBar(m_model, m_table, this);
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
    m_conversationButton = new QToolButton(this);
    m_conversationButton->setObjectName(QStringLiteral("conversationButton"));
    m_conversationButton->setCheckable(true);
    m_conversationButton->setIcon(appIcon("conversation"));
    m_conversationButton->setEnabled(holdsOneConversation());
    m_conversationButton->setToolTip(holdsOneConversation()
                                         ? tr("Show this conversation as a chat, or as the table")
                                         : tr("A conversation is one instance's or one client's: open its tab "
                                              "to see it as a chat"));
    connect(m_conversationButton, &QToolButton::toggled, this, &TrafficPane::setConversation);
    auto *bar = new QHBoxLayout;
    bar->addWidget(m_filterBar, 1);
    bar->addWidget(m_viewStatus);
    bar->addWidget(m_conversationButton);
    bar->addWidget(m_pause);
    bar->addWidget(clearButton);
    connect(m_pause, &QToolButton::toggled, this, &TrafficPane::setPaused);
    connect(clearButton, &QToolButton::clicked, this, &TrafficPane::clear);
    // While paused, say how much came since, a few times a second.
    auto *pending = new QTimer(this);
    pending->setSingleShot(true);
    pending->setInterval(250);
    connect(pending, &QTimer::timeout, this, &TrafficPane::updateViewStatus);
    connect(m_workspace->store(), &TrafficStore::appended, pending, [this, pending] {
        if (m_model->isPaused() && !pending->isActive())
            pending->start();
    });
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
        connect(m_workspace, &Workspace::endpointRemoved, this, [this](quint32 id) {
            if (m_sourceLabels.remove(id))
                fitSourceColumn(0);
        });
        // The labels there are now, measured once.
        for (quint32 id : m_workspace->endpointIds())
            m_sourceLabels.insert(id, m_workspace->label(id));
        fitSourceColumn(0);
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

void TrafficPane::fitSourceColumn(quint32 endpoint)
{
    // An endpoint changes often (its state, its counts); its label seldom:
    // only a new or changed label is measured.
    if (endpoint != 0) {
        const QString label = m_workspace->label(endpoint);
        if (m_sourceLabels.value(endpoint) == label)
            return;
        m_sourceLabels.insert(endpoint, label);
    }
    const QFontMetrics metrics = m_table->fontMetrics();
    int widest = metrics.horizontalAdvance(m_model->headerData(TrafficModel::SourceColumn, Qt::Horizontal).toString());
    for (const QString &label : std::as_const(m_sourceLabels))
        widest = std::max(widest, metrics.horizontalAdvance(label + QStringLiteral(" #99")));
    m_columnFitter->setNaturalWidth(TrafficModel::SourceColumn, widest + 16);
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

bool TrafficPane::holdsOneConversation() const
{
    if (m_instance != 0)
        return true;
    const Workspace::Endpoint *e = m_endpoint ? m_workspace->endpoint(*m_endpoint) : nullptr;
    return e && e->kind == Workspace::Kind::Client;
}

bool TrafficPane::showsConversation() const
{
    return m_conversation && m_views->currentWidget() == m_conversation;
}

void TrafficPane::setConversation(bool on)
{
    if (on == showsConversation() || (on && !holdsOneConversation()))
        return;
    if (on && !m_conversation) {
        m_conversation = new ConversationView(m_model, m_table->selectionModel(), m_views);
        m_views->addWidget(m_conversation);
    }
    m_views->setCurrentWidget(on ? static_cast<QWidget *>(m_conversation) : m_table);
    if (m_conversationButton->isChecked() != on)
        m_conversationButton->setChecked(on);
    if (on)
        m_conversation->showNewest();
    else if (const QModelIndex current = m_table->currentIndex(); current.isValid())
        m_table->scrollTo(current);
    emit conversationShown(on);
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

void TrafficPane::applyFilter()
{
    m_filterBar->apply();
}

void TrafficPane::findNext(bool forward)
{
    m_filterBar->findNext(forward);
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
