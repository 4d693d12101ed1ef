#include "trafficmodel.h"

#include "payloadpreview.h"
#include "units.h"
#include "trafficstore.h"

#include <QDateTime>

#include <algorithm>

#include <cmath>

namespace PipeScope {

TrafficModel::TrafficModel(TrafficStore *store, QObject *parent)
    : QAbstractTableModel(parent), m_store(store)
{
    connect(m_store, &TrafficStore::appended, this, &TrafficModel::catchUp);
    connect(m_store, &TrafficStore::cleared, this, [this] {
        m_firstRow = 0;
        m_hidden = 0;
        m_pendingScanned = 0;
        m_pending = 0;
        rebuild();
    });
    rebuild();
}

void TrafficModel::setScope(std::optional<quint32> endpoint, std::optional<quint32> instance)
{
    m_endpoint = endpoint;
    m_instance = endpoint ? instance : std::nullopt;
    rebuild();
}

void TrafficModel::setFilter(const TrafficFilter &filter)
{
    m_filter = filter;
    rebuild();
}

void TrafficModel::setTimeDisplay(TimeDisplay display)
{
    if (display == m_timeDisplay)
        return;
    m_timeDisplay = display;
    if (rowCount() > 0)
        emit dataChanged(index(0, TimeColumn), index(rowCount() - 1, TimeColumn), {Qt::DisplayRole});
}

void TrafficModel::setPaused(bool paused)
{
    if (paused && !m_paused) {
        m_pausedAt = m_scanned;
        m_pendingScanned = m_scanned;
        m_pending = 0;
    }
    m_paused = paused;
    if (!paused)
        catchUp();
}

void TrafficModel::setActive(bool active)
{
    if (m_active == active)
        return;
    m_active = active;
    rebuild();
}

int TrafficModel::rowOfStoreRow(qsizetype storeRow) const
{
    if (m_all)
        return storeRow >= m_firstRow && storeRow - m_firstRow < m_rowCount ? int(storeRow - m_firstRow) : -1;
    const auto it = std::lower_bound(m_rows.begin(), m_rows.end(), quint32(storeRow));
    return it != m_rows.end() && *it == quint32(storeRow) ? int(it - m_rows.begin()) : -1;
}

qsizetype TrafficModel::arrivedWhilePaused()
{
    if (!m_paused)
        return 0;
    // Counted as they come: each store row once.
    for (const qsizetype end = m_store->count(); m_pendingScanned < end; ++m_pendingScanned)
        m_pending += inScope(m_pendingScanned);
    return m_pending;
}

void TrafficModel::clearView()
{
    m_firstRow = m_store->count();
    m_hidden = 0;
    if (!m_endpoint)
        m_hidden = m_firstRow;
    else
        for (qsizetype row = 0; row < m_firstRow; ++row)
            m_hidden += inScope(row);
    rebuild();
}

void TrafficModel::undoClear()
{
    m_firstRow = 0;
    m_hidden = 0;
    rebuild();
}

TrafficModel::Match TrafficModel::rowMatches(int row, const TrafficFilter &pattern) const
{
    const qsizetype at = storeRow(row);
    const auto &r = m_store->record(at);
    if (r.flags & NotKept)
        return Match::Unknown;
    return pattern.matches(r.direction, r.kind, m_store->payload(at)) ? Match::Yes : Match::No;
}

bool TrafficModel::inScope(qsizetype row) const
{
    const auto &r = m_store->record(row);
    return !(m_endpoint && r.endpoint != *m_endpoint) && !(m_instance && r.instance != *m_instance);
}

bool TrafficModel::shows(qsizetype row)
{
    const auto &r = m_store->record(row);
    if (!inScope(row))
        return false;
    if (m_filter.isEmpty())
        return true;
    if ((r.flags & NotKept) && m_filter.hasPattern()) {
        // Searching the backing file would read it on this thread.
        if (m_filter.showsKind(r.direction, r.kind))
            ++m_unsearched;
        return false;
    }
    return m_filter.matches(r.direction, r.kind, m_store->payload(row));
}

void TrafficModel::rebuild()
{
    beginResetModel();
    m_all = !m_endpoint && m_filter.isEmpty();
    m_rows.clear();
    m_rows.shrink_to_fit();
    m_firstRow = std::min(m_firstRow, m_store->count());
    m_scanned = m_firstRow;
    m_rowCount = 0;
    m_unsearched = 0;
    // Paused, the view ends where it was paused; resuming takes the rest.
    // Inactive, the model shows nothing until it is active again.
    const qsizetype end = !m_active ? m_firstRow
                          : m_paused ? std::clamp(m_pausedAt, m_firstRow, m_store->count())
                                     : m_store->count();
    if (m_all) {
        m_scanned = end;
        m_rowCount = int(end - m_firstRow);
    } else {
        for (; m_scanned < end; ++m_scanned)
            if (shows(m_scanned))
                m_rows.push_back(quint32(m_scanned));
        m_rowCount = int(m_rows.size());
    }
    endResetModel();
}

void TrafficModel::catchUp()
{
    if (m_paused || !m_active)
        return;
    const qsizetype end = m_store->count();
    if (end <= m_scanned)
        return;
    if (m_all) {
        const int added = int(end - m_scanned);
        m_scanned = end;
        beginInsertRows({}, m_rowCount, m_rowCount + added - 1);
        m_rowCount += added;
        endInsertRows();
        return;
    }
    const std::size_t before = m_rows.size();
    for (; m_scanned < end; ++m_scanned)
        if (shows(m_scanned))
            m_rows.push_back(quint32(m_scanned));
    const int added = int(m_rows.size() - before);
    if (added == 0)
        return;
    // The rows are already in m_rows; announce them as one batch.
    beginInsertRows({}, m_rowCount, m_rowCount + added - 1);
    m_rowCount += added;
    endInsertRows();
}

qsizetype TrafficModel::storeRow(int row) const
{
    return m_all ? m_firstRow + qsizetype(row) : qsizetype(m_rows[std::size_t(row)]);
}

int TrafficModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_rowCount;
}

int TrafficModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TrafficModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rowCount)
        return {};
    const qsizetype row = storeRow(index.row());
    const auto &r = m_store->record(row);
    switch (role) {
    case StoreRowRole: return QVariant::fromValue(row);
    case PayloadRole: return (r.flags & NotKept) ? QVariant() : QVariant(m_store->payload(row).toByteArray());
    case NotKeptRole: return bool(r.flags & NotKept);
    case TimestampRole: return QVariant::fromValue(r.timestampNs);
    case KindRole: return int(r.kind);
    case DirectionRole: return int(r.direction);
    case Qt::TextAlignmentRole:
        if (index.column() == SizeColumn || index.column() == PartsColumn || index.column() == DeltaColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::ToolTipRole: return toolTip(index.column(), row);
    case Qt::DisplayRole: break;
    default: return {};
    }

    switch (index.column()) {
    case TimeColumn: return formatTime(r.timestampNs, m_timeDisplay, m_store->record(0).timestampNs);
    case DeltaColumn: {
        if (index.row() == 0)
            return QString();
        // Rows are in time order within the hub's reorder window; an event
        // posted later than that (rare) can be earlier than the row before.
        return formatDelta(r.timestampNs - m_store->record(storeRow(index.row() - 1)).timestampNs);
    }
    case SourceColumn: {
        // A server's own tab needs only the instance; All Traffic the name.
        const QString instance = r.instance ? QStringLiteral("#%1").arg(r.instance) : QString();
        if (m_endpoint)
            return instance;
        const QString name = m_namer ? m_namer(r.endpoint) : QString::number(r.endpoint);
        return instance.isEmpty() ? name : name + QLatin1Char(' ') + instance;
    }
    case DirectionColumn:
        // A monitor's messages go between its client and its server.
        if (r.direction != Direction::None && (r.relayNs || (m_isMonitor && m_isMonitor(r.endpoint))))
            return r.direction == Direction::In ? QStringLiteral("c\u2192s") : QStringLiteral("s\u2192c");
        return r.direction == Direction::In ? QStringLiteral("in")
               : r.direction == Direction::Out ? QStringLiteral("out")
                                               : QString();
    case KindColumn: return QString::fromLatin1(eventKindName(r.kind));
    case SizeColumn: return r.kind == EventKind::Data ? QVariant(r.size) : QVariant();
    // Received: the parts it arrived in; sent: the records it went out in.
    case PartsColumn: return r.kind == EventKind::Data && r.direction != Direction::None ? QVariant(r.parts) : QVariant();
    case PreviewColumn: {
        const QByteArrayView bytes = m_store->payload(row);
        if (r.kind != EventKind::Data)
            return printable(bytes); // a peer's description, an error: one safe line
        QString text = (r.flags & NotKept) ? tr("[on disk only: select it to read it]")
                                           : previewPayload(bytes, kPreviewChars);
        if (r.flags & Incomplete)
            text.prepend(QStringLiteral("[incomplete] "));
        if (r.flags & Truncated)
            text.prepend(QStringLiteral("[truncated] "));
        return text;
    }
    default: return {};
    }
}

QVariant TrafficModel::toolTip(int column, qsizetype row) const
{
    const auto &r = m_store->record(row);
    switch (column) {
    case SourceColumn: {
        const QString name = m_namer ? m_namer(r.endpoint) : QString::number(r.endpoint);
        return r.instance ? tr("Instance %1 of %2").arg(r.instance).arg(name) : name;
    }
    case TimeColumn: {
        // The other forms of the same moment.
        const qint64 start = m_store->record(0).timestampNs;
        return tr("%1\n%2 s since the first event")
            .arg(formatTime(r.timestampNs, TimeDisplay::DateAndTime, start),
                 formatTime(r.timestampNs, TimeDisplay::SinceStart, start));
    }
    case DirectionColumn:
        if (r.relayNs)
            return (r.direction == Direction::In ? tr("From the client to the server, passed on by the monitor in %1")
                                                 : tr("From the server to the client, passed on by the monitor in %1"))
                .arg(formatDuration(r.relayNs));
        if (r.direction != Direction::None && m_isMonitor && m_isMonitor(r.endpoint)) {
            const QString way = r.direction == Direction::In ? tr("From the client to the server")
                                                             : tr("From the server to the client");
            return r.kind == EventKind::Data ? tr("%1; not passed on").arg(way) : way;
        }
        return {};
    case PreviewColumn: {
        // What the column cuts short, at more length, in lines.
        if (r.flags & NotKept)
            return {};
        const QString text = r.kind == EventKind::Data ? previewPayload(m_store->payload(row), kToolTipChars)
                                                       : printable(m_store->payload(row));
        QStringList lines;
        for (qsizetype at = 0; at < text.size(); at += kToolTipLine)
            lines << text.mid(at, kToolTipLine);
        return lines.join(QLatin1Char('\n'));
    }
    default: return {};
    }
}

QVariant TrafficModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn: return tr("Time");
    case DeltaColumn: return tr("Δt");
    case SourceColumn: return m_endpoint ? tr("Instance") : tr("Endpoint");
    case DirectionColumn: return tr("Dir");
    case KindColumn: return tr("Event");
    case SizeColumn: return tr("Size");
    case PartsColumn: return tr("Parts");
    case PreviewColumn: return tr("Preview");
    default: return {};
    }
}

} // namespace PipeScope

#include "moc_trafficmodel.cpp"
