#include "endpointmodel.h"

#include "endpointjson.h"
#include "payloadpreview.h"
#include "units.h"
#include "trafficstore.h"

#include <utility>

namespace PipeScope {

namespace {
constexpr int kCountsIntervalMs = 250;

struct Totals
{
    quint64 messagesIn = 0, messagesOut = 0, bytesIn = 0, bytesOut = 0;
    void add(const TrafficStore::InstanceStats &s)
    {
        messagesIn += s.messagesIn;
        messagesOut += s.messagesOut;
        bytesIn += s.bytesIn;
        bytesOut += s.bytesOut;
    }
};

QString describeConnection(const Workspace::Instance &instance)
{
    // A recorded instance knows its peer only as the text recorded.
    if (instance.info.peer.pid < 0 && !instance.peerText.isEmpty())
        return instance.peerText;
    if (instance.server)
        return QStringLiteral("client: %1\nserver: %2 at %3")
            .arg(describePeer(instance.info.peer), describePeer(instance.server->peer), instance.server->address);
    return describePeer(instance.info.peer);
}

// For the tree's narrow column: "pipescope, pid 4258, alice".
QString compactPeer(const Native::PeerInfo &peer)
{
    QStringList parts;
    if (!peer.process.empty())
        parts << printable(QString::fromStdString(peer.process));
    if (peer.pid >= 0)
        parts << QStringLiteral("pid %1").arg(peer.pid);
    if (!peer.user.empty())
        parts << printable(QString::fromStdString(peer.user));
    return parts.join(QStringLiteral(", "));
}
} // namespace

EndpointModel::EndpointModel(Workspace *workspace, QObject *parent)
    : QAbstractItemModel(parent), m_workspace(workspace)
{
    m_endpointRows = int(workspace->endpointIds().size());
    for (quint32 id : workspace->endpointIds())
        m_instanceRows[id] = int(workspace->endpoint(id)->instances.size());
    connect(workspace, &Workspace::endpointAdded, this, &EndpointModel::onEndpointAdded);
    connect(workspace, &Workspace::instanceAdded, this, &EndpointModel::onInstanceAdded);
    connect(workspace, &Workspace::endpointAboutToBeRemoved, this, [this](quint32 endpoint) {
        const QModelIndex row = indexFor(endpoint);
        m_removing = row.isValid();
        if (m_removing)
            beginRemoveRows({}, row.row(), row.row());
    });
    connect(workspace, &Workspace::endpointRemoved, this, [this](quint32 endpoint) {
        if (!std::exchange(m_removing, false))
            return;
        --m_endpointRows;
        m_instanceRows.remove(endpoint);
        endRemoveRows();
    });
    connect(workspace, &Workspace::instanceAboutToBeRemoved, this, [this](quint32 endpoint, quint32 instance) {
        const QModelIndex row = indexFor(endpoint, instance);
        m_removing = row.isValid();
        if (m_removing)
            beginRemoveRows(row.parent(), row.row(), row.row());
    });
    connect(workspace, &Workspace::instanceRemoved, this, [this](quint32 endpoint) {
        if (!std::exchange(m_removing, false))
            return;
        --m_instanceRows[endpoint];
        endRemoveRows();
    });
    connect(workspace, &Workspace::endpointChanged, this,
            [this](quint32 endpoint) { refreshRow(indexFor(endpoint)); });
    connect(workspace, &Workspace::instanceChanged, this,
            [this](quint32 endpoint, quint32 instance) { refreshRow(indexFor(endpoint, instance)); });
    m_countsTimer.setSingleShot(true);
    m_countsTimer.setInterval(kCountsIntervalMs);
    connect(&m_countsTimer, &QTimer::timeout, this, &EndpointModel::refreshCounts);
    connect(workspace->store(), &TrafficStore::appended, this, [this] {
        if (!m_countsTimer.isActive())
            m_countsTimer.start();
    });
    connect(workspace->store(), &TrafficStore::cleared, this, &EndpointModel::refreshCounts);
}

void EndpointModel::onEndpointAdded(quint32)
{
    beginInsertRows({}, m_endpointRows, m_endpointRows);
    ++m_endpointRows;
    endInsertRows();
}

void EndpointModel::onInstanceAdded(quint32 endpoint, quint32)
{
    const QModelIndex parent = indexFor(endpoint);
    const Workspace::Endpoint *e = m_workspace->endpoint(endpoint);
    if (!parent.isValid() || !e)
        return;
    // The workspace has appended it already; the view learns of it now.
    const int row = m_instanceRows.value(endpoint);
    if (row >= e->instances.size())
        return;
    beginInsertRows(parent, row, row);
    m_instanceRows[endpoint] = row + 1;
    endInsertRows();
}

void EndpointModel::refreshRow(const QModelIndex &first)
{
    if (first.isValid())
        emit dataChanged(first, first.siblingAtColumn(ColumnCount - 1));
}

void EndpointModel::refreshCounts()
{
    if (m_endpointRows == 0)
        return;
    emit dataChanged(index(0, MessagesColumn), index(m_endpointRows - 1, BytesColumn));
    for (int row = 0; row < m_endpointRows; ++row) {
        const QModelIndex parent = index(row, 0);
        const int children = rowCount(parent);
        if (children > 0)
            emit dataChanged(index(0, MessagesColumn, parent), index(children - 1, BytesColumn, parent));
    }
}

QModelIndex EndpointModel::indexFor(quint32 endpoint, quint32 instance) const
{
    const int row = int(m_workspace->endpointIds().indexOf(endpoint));
    if (row < 0 || row >= m_endpointRows)
        return {};
    const QModelIndex top = index(row, 0);
    if (instance == 0)
        return top;
    const Workspace::Endpoint *e = m_workspace->endpoint(endpoint);
    const int shown = rowCount(top);
    for (int i = 0; i < shown; ++i)
        if (e->instances.at(i).id == instance)
            return index(i, 0, top);
    return {};
}

QModelIndex EndpointModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    // Top-level rows carry 0; an instance row carries its endpoint's id.
    const quintptr id = parent.isValid() ? quintptr(m_workspace->endpointIds().at(parent.row())) : 0;
    return createIndex(row, column, id);
}

QModelIndex EndpointModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || child.internalId() == 0)
        return {};
    const int row = int(m_workspace->endpointIds().indexOf(quint32(child.internalId())));
    return row < 0 ? QModelIndex() : createIndex(row, 0, quintptr(0));
}

int EndpointModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return m_endpointRows;
    if (parent.internalId() != 0 || parent.column() != 0)
        return 0;
    return m_instanceRows.value(m_workspace->endpointIds().at(parent.row()));
}

int EndpointModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QVariant EndpointModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const bool isInstance = index.internalId() != 0;
    const quint32 endpointId =
        isInstance ? quint32(index.internalId()) : m_workspace->endpointIds().at(index.row());
    const Workspace::Endpoint *e = m_workspace->endpoint(endpointId);
    if (!e)
        return {};
    const Workspace::Instance *instance = isInstance ? &e->instances.at(index.row()) : nullptr;

    if (role == EndpointRole)
        return endpointId;
    if (role == InstanceRole)
        return instance ? instance->id : 0u;
    if (role == Qt::ToolTipRole) {
        const QString bytes = data(index.siblingAtColumn(BytesColumn), Qt::DisplayRole).toString();
        if (instance)
            return tr("Instance %1 of %2\n%3\n%4\nBytes in / out: %5")
                       .arg(instance->id)
                       .arg(e->name, describeConnection(*instance), instance->info.address, bytes) +
                   (instance->throttled.isEmpty() ? QString() : tr("\nThrottled: %1").arg(instance->throttled));
        QString tip = (e->address.isEmpty() ? e->name : e->address) + tr("\nBytes in / out: %1").arg(bytes);
        if (!e->throttled.isEmpty())
            tip += tr("\nThrottled: %1").arg(e->throttled);
        if (e->kind == Workspace::Kind::Client && e->state == Workspace::State::Connected)
            tip += QLatin1Char('\n') + describePeer(e->info.peer);
        for (qsizetype run = 1; run < e->ranWith.size(); ++run)
            tip += tr("\nSettings changed at %1: %2")
                       .arg(formatTime(e->ranWith[run].sinceNs),
                            settingsDifferences(e->ranWith[run - 1], e->ranWith[run]).join(QStringLiteral("; ")));
        if (!e->error.isEmpty())
            tip += QLatin1Char('\n') + e->error;
        return tip;
    }
    if (role == Qt::TextAlignmentRole && (index.column() == MessagesColumn || index.column() == BytesColumn))
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};

    Totals totals;
    if (index.column() == MessagesColumn || index.column() == BytesColumn) {
        if (instance)
            totals.add(m_workspace->store()->stats(e->id, instance->id));
        else
            totals.add(m_workspace->store()->endpointStats(e->id));
    }
    switch (index.column()) {
    case NameColumn:
        return instance ? tr("instance %1").arg(instance->id) : m_workspace->label(e->id);
    case StateColumn: {
        if (instance)
            return instance->throttled.isEmpty() ? Workspace::instanceStateName(*instance)
                                                 : tr("%1, throttled").arg(Workspace::instanceStateName(*instance));
        if (!e->throttled.isEmpty())
            return tr("%1, throttled").arg(Workspace::stateName(e->state));
        if (e->busy && e->state == Workspace::State::Connecting)
            return tr("waiting: pipe busy");
        if (e->state == Workspace::State::Listening) {
            int connected = 0;
            for (const Workspace::Instance &i : e->instances)
                connected += i.state == Workspace::State::Connected;
            return tr("listening, %1 connected").arg(connected);
        }
        return Workspace::stateName(e->state);
    }
    case PeerColumn:
        if (instance && instance->server)
            return QStringLiteral("%1 \u21C4 %2").arg(compactPeer(instance->info.peer), compactPeer(instance->server->peer));
        if (instance)
            return instance->info.peer.pid < 0 ? instance->peerText : compactPeer(instance->info.peer);
        if (e->kind == Workspace::Kind::Client && e->state == Workspace::State::Connected)
            return compactPeer(e->info.peer);
        return e->address;
    case MessagesColumn:
        return tr("%1 / %2").arg(totals.messagesIn).arg(totals.messagesOut);
    case BytesColumn:
        return tr("%1 / %2").arg(formatSize(totals.bytesIn), formatSize(totals.bytesOut));
    }
    return {};
}

QVariant EndpointModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    // Short headers, the counts' order in their tooltips: a narrow dock
    // has room for the counts, not for "in / out" twice.
    if (role == Qt::ToolTipRole && (section == MessagesColumn || section == BytesColumn))
        return section == MessagesColumn ? tr("Messages received / sent") : tr("Bytes received / sent");
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn: return tr("Endpoint");
    case StateColumn: return tr("State");
    case PeerColumn: return tr("Peer");
    case MessagesColumn: return tr("Msgs");
    case BytesColumn: return tr("Bytes");
    }
    return {};
}

} // namespace PipeScope

#include "moc_endpointmodel.cpp"
