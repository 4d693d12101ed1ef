#include "columnfitter.h"

#include <QAbstractItemView>
#include <QEvent>
#include <QHeaderView>
#include <QTimer>

#include <algorithm>
#include <numeric>

namespace PipeScope {

ColumnFitter::ColumnFitter(QAbstractItemView *view, QHeaderView *header, int elasticColumn, int share, Shrink shrink)
    : QObject(view), m_view(view), m_header(header), m_elastic(elasticColumn), m_share(share), m_shrink(shrink)
{
    // The header gives the elastic column what is left.
    m_header->setStretchLastSection(false);
    // The style's least section width (larger on Windows) would undo a fit.
    m_header->setMinimumSectionSize(kNarrowest);
    m_header->setSectionResizeMode(m_elastic, QHeaderView::Stretch);
    takeNaturalWidths();
    m_viewViewport = view->viewport();
    m_headerViewport = m_header->viewport();
    view->viewport()->installEventFilter(this);
    m_header->viewport()->installEventFilter(this);
    connect(m_header, &QHeaderView::sectionResized, this, [this] {
        if (!m_fitting && m_dragging)
            m_userSized = true;
    });
}

void ColumnFitter::takeNaturalWidths()
{
    m_natural.assign(std::size_t(m_header->count()), 0);
    for (int column = 0; column < m_header->count(); ++column)
        m_natural[std::size_t(column)] = m_header->sectionSize(column);
}

void ColumnFitter::setNaturalWidth(int column, int width)
{
    if (column < 0 || column >= int(m_natural.size()))
        return;
    m_natural[std::size_t(column)] = width;
    if (m_userSized)
        m_header->resizeSection(column, width);
    else
        fit();
}

void ColumnFitter::followContents()
{
    m_measure = new QTimer(this);
    m_measure->setSingleShot(true);
    connect(m_measure, &QTimer::timeout, this, &ColumnFitter::measureContents);
    // Rows come and go: measured at once. Counts ticking over (the tree's
    // bytes, several times a second) widen a column only now and then:
    // measured at most four times a second.
    const auto soon = [this](int ms) {
        if (!m_measure->isActive() || m_measure->remainingTime() > ms)
            m_measure->start(ms);
    };
    QAbstractItemModel *model = m_view->model();
    for (const auto changed : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(model, changed, this, [soon] { soon(0); });
    connect(model, &QAbstractItemModel::modelReset, this, [soon] { soon(0); });
    connect(model, &QAbstractItemModel::layoutChanged, this, [soon] { soon(0); });
    connect(model, &QAbstractItemModel::dataChanged, this, [soon] { soon(250); });
    measureContents();
}

void ColumnFitter::measureContents()
{
    m_natural.resize(std::size_t(m_header->count()));
    // The elastic column's too: it needs no more than that as its share.
    for (int column = 0; column < m_header->count(); ++column)
        m_natural[std::size_t(column)] = std::max(m_view->sizeHintForColumn(column), m_header->sectionSizeHint(column));
    m_elasticNatural = m_natural[std::size_t(m_elastic)];
    if (m_userSized)
        return;
    fit();
}

namespace {

int sum(const std::vector<int> &widths)
{
    return std::accumulate(widths.cbegin(), widths.cend(), 0);
}

// The highest cap on every width that fits `room`, found by halving; no
// width below its floor.
std::vector<int> capWidest(const std::vector<int> &natural, const std::vector<int> &floor, int room)
{
    const auto capped = [&](int cap) {
        std::vector<int> out(natural.size());
        for (std::size_t i = 0; i < natural.size(); ++i)
            out[i] = std::max(floor[i], std::min(natural[i], cap));
        return out;
    };
    int low = 0;
    int high = natural.empty() ? 0 : *std::max_element(natural.cbegin(), natural.cend());
    while (low < high) {
        const int cap = (low + high + 1) / 2;
        if (sum(capped(cap)) <= room)
            low = cap;
        else
            high = cap - 1;
    }
    return capped(low);
}

// `widths` shrunk in proportion to their natural widths, only as far as
// `room` needs; a column that reaches its floor stays there and the rest
// share what is left.
void shrinkInProportion(std::vector<int> &widths, const std::vector<int> &natural, const std::vector<int> &floor,
                        int room)
{
    std::vector<bool> atFloor(natural.size(), false);
    for (bool changed = true; changed && sum(widths) > room;) {
        changed = false;
        int fixedWidth = 0;
        int scalable = 0;
        for (std::size_t i = 0; i < natural.size(); ++i) {
            if (atFloor[i])
                fixedWidth += floor[i];
            else
                scalable += natural[i];
        }
        const double scale = scalable > 0 ? std::max(0.0, double(room - fixedWidth) / scalable) : 1.0;
        for (std::size_t i = 0; i < natural.size(); ++i) {
            if (atFloor[i])
                continue;
            widths[i] = int(natural[i] * scale);
            if (widths[i] < floor[i]) {
                widths[i] = floor[i];
                atFloor[i] = changed = true;
            }
        }
    }
}

} // namespace

void ColumnFitter::fit()
{
    if (m_elastic >= m_header->count())
        return;
    // A header whose state was restored keeps the elastic column's saved
    // width until told again that it stretches (Qt then lays the sections
    // out anew): a tab made in a small window and shown in a large one.
    m_header->setSectionResizeMode(m_elastic, QHeaderView::Stretch);
    if (m_userSized)
        return;
    const int available = m_view->viewport()->width();
    // Its share, or what it shows when that is less (followContents()).
    const int elasticMinimum = std::min(available / m_share, m_elasticNatural);
    const QFontMetrics metrics = m_header->fontMetrics();
    const int room = std::max(0, available - elasticMinimum);
    dropForRoom(room, metrics);
    // Each other column's natural width, and the least it may have: its
    // header's text, unless even that leaves the elastic column too little.
    std::vector<int> columns, natural, floor;
    for (int column = 0; column < m_header->count(); ++column) {
        if (column == m_elastic || m_header->isSectionHidden(column))
            continue;
        columns.push_back(column);
        natural.push_back(m_natural[std::size_t(column)]);
        floor.push_back(floorOf(column, metrics));
    }
    if (sum(floor) > room) // even the labels do not fit: no floor but the narrowest
        floor.assign(floor.size(), kNarrowest);
    std::vector<int> widths = natural;
    if (m_shrink == Shrink::WidestFirst && sum(widths) > room)
        widths = capWidest(natural, floor, room);
    shrinkInProportion(widths, natural, floor, room);
    m_fitting = true;
    for (std::size_t i = 0; i < columns.size(); ++i)
        m_header->resizeSection(columns[i], widths[i]);
    m_fitting = false;
}

void ColumnFitter::setDropOrder(std::vector<int> columns)
{
    m_dropOrder = std::move(columns);
    fit();
}

int ColumnFitter::floorOf(int column, const QFontMetrics &metrics) const
{
    const QString label = m_header->model()->headerData(column, m_header->orientation()).toString();
    return std::min(m_natural[std::size_t(column)], metrics.horizontalAdvance(label) + 12);
}

void ColumnFitter::dropForRoom(int room, const QFontMetrics &metrics)
{
    // What to drop is worked out with the dropped columns back in; only the
    // columns whose state differs are shown or hidden, so a resize that
    // changes nothing touches no section.
    int floors = 0;
    for (int column = 0; column < m_header->count(); ++column) {
        const bool dropped = std::find(m_dropped.cbegin(), m_dropped.cend(), column) != m_dropped.cend();
        if (column != m_elastic && (dropped || !m_header->isSectionHidden(column)))
            floors += floorOf(column, metrics);
    }
    std::vector<int> drop;
    for (auto it = m_dropOrder.cbegin(); floors > room && it != m_dropOrder.cend(); ++it) {
        const bool dropped = std::find(m_dropped.cbegin(), m_dropped.cend(), *it) != m_dropped.cend();
        if (*it >= m_header->count() || (m_header->isSectionHidden(*it) && !dropped))
            continue; // hidden by the user, or not there
        floors -= floorOf(*it, metrics);
        drop.push_back(*it);
    }
    m_fitting = true;
    for (int column : m_dropped)
        if (std::find(drop.cbegin(), drop.cend(), column) == drop.cend())
            m_header->showSection(column);
    for (int column : drop)
        if (!m_header->isSectionHidden(column))
            m_header->hideSection(column);
    m_fitting = false;
    m_dropped = std::move(drop);
}

bool ColumnFitter::eventFilter(QObject *watched, QEvent *event)
{
    // Compared with the pointers kept, not asked of the views: events still
    // come while a view is being destroyed, when calling it is undefined.
    const QEvent::Type type = event->type();
    if (watched == m_headerViewport && (type == QEvent::MouseButtonPress || type == QEvent::MouseButtonRelease))
        m_dragging = type == QEvent::MouseButtonPress;
    else if (watched == m_viewViewport && type == QEvent::Resize)
        fit();
    return QObject::eventFilter(watched, event);
}

} // namespace PipeScope

#include "moc_columnfitter.cpp"
