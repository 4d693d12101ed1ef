#include "pipelistmodel.h"
#include "background.h"

#include "payloadpreview.h"
#include "units.h"

#include <QCoreApplication>

#include <algorithm>
#include <unordered_map>
#include <utility>

namespace PipeScope {

namespace {

// A pipe's key from one listing to the next: its name, and which of the
// pipes of that name it is (a path can be bound again while an old socket
// that was bound there still listens).
std::vector<std::string> keysOf(const std::vector<Native::PipeEntry> &pipes)
{
    std::unordered_map<std::string, int> seen;
    std::vector<std::string> keys;
    keys.reserve(pipes.size());
    for (const Native::PipeEntry &pipe : pipes)
        keys.push_back(pipe.name + '\0' + std::to_string(seen[pipe.name]++));
    return keys;
}

QString shown(const std::string &text)
{
    return printable(QByteArrayView(text.data(), qsizetype(text.size())));
}

bool heldHere(const Native::PipeEntry &pipe)
{
    const std::int64_t self = QCoreApplication::applicationPid();
    return std::any_of(pipe.holders.cbegin(), pipe.holders.cend(),
                       [self](const Native::PipeHolder &holder) { return holder.pid == self; });
}

} // namespace

PipeListModel::PipeListModel(QObject *parent) : QAbstractTableModel(parent) {}

void PipeListModel::setPipes(std::vector<Native::PipeEntry> pipes)
{
    const std::vector<std::string> freshKeys = keysOf(pipes);
    std::unordered_map<std::string, std::size_t> fresh;
    for (std::size_t i = 0; i < freshKeys.size(); ++i)
        fresh.emplace(freshKeys[i], i);
    // Gone: removed from the bottom up, so the rows above keep their place.
    const std::vector<std::string> oldKeys = keysOf(m_pipes);
    for (int row = int(m_pipes.size()) - 1; row >= 0; --row) {
        if (fresh.count(oldKeys[std::size_t(row)]))
            continue;
        beginRemoveRows({}, row, row);
        m_pipes.erase(m_pipes.begin() + row);
        endRemoveRows();
    }
    // Still there: updated in place.
    std::vector<bool> placed(pipes.size(), false);
    const std::vector<std::string> keptKeys = keysOf(m_pipes);
    for (std::size_t row = 0; row < m_pipes.size(); ++row) {
        const auto found = fresh.find(keptKeys[row]);
        if (found == fresh.end())
            continue; // an ordinal that moved as an earlier twin went; it is replaced below
        m_pipes[row] = std::move(pipes[found->second]);
        placed[found->second] = true;
    }
    if (!m_pipes.empty())
        emit dataChanged(index(0, 0), index(int(m_pipes.size()) - 1, ColumnCount - 1));
    // New: appended in the listing's order.
    const auto added = std::size_t(std::count(placed.cbegin(), placed.cend(), false));
    if (added == 0)
        return;
    const int first = int(m_pipes.size());
    beginInsertRows({}, first, first + int(added) - 1);
    for (std::size_t i = 0; i < pipes.size(); ++i)
        if (!placed[i])
            m_pipes.push_back(std::move(pipes[i]));
    endInsertRows();
}

int PipeListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_pipes.size());
}

int PipeListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString PipeListModel::processText(const Native::PipeEntry &pipe) const
{
    QStringList holders;
    const std::int64_t self = QCoreApplication::applicationPid();
    for (const Native::PipeHolder &holder : pipe.holders) {
        const QString name = holder.pid == self ? tr("this PipeScope") : shown(holder.process);
        holders << tr("%1 (pid %2)").arg(name).arg(holder.pid);
    }
    return holders.join(QLatin1String(", "));
}

QString PipeListModel::toolTip(const Native::PipeEntry &pipe, int column) const
{
    switch (column) {
    case NameColumn: {
        // Everything about it, for a dock too narrow for the other columns.
        QStringList lines{shown(pipe.name)};
        for (int other = TypeColumn; other < ColumnCount; ++other)
            if (const QString line = toolTip(pipe, other); !line.isEmpty())
                lines << line;
        return lines.join(QLatin1Char('\n'));
    }
    case TypeColumn:
        if (!pipe.type)
            return tr("Windows does not tell a pipe's type without connecting to it.");
        return *pipe.type == Native::PipeType::Message ? tr("Message pipe: each write arrives as one message")
                                                       : tr("Byte pipe: a stream of bytes");
    case OwnerColumn:
        return pipe.uid >= 0 ? tr("Owned by %1 (uid %2)").arg(shown(pipe.user)).arg(pipe.uid)
                             : tr("The system does not tell the owner.");
    case ProcessColumn:
        if (pipe.holders.empty())
            return tr("No process this user may look at holds it: another user's, or one the system hides.");
        return tr("Held by %1").arg(processText(pipe));
    case QueueColumn:
        if (pipe.instances)
            return tr("%1 of this pipe exist now").arg(counted(*pipe.instances, tr("instance"), tr("instances")));
        if (pipe.waiting)
            return tr("%1 waiting to be accepted; the backlog holds %2")
                .arg(counted(*pipe.waiting, tr("connection"), tr("connections")))
                .arg(pipe.backlog.value_or(0));
        return {};
    default:
        return {};
    }
}

QVariant PipeListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const Native::PipeEntry &pipe = m_pipes[std::size_t(index.row())];
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case NameColumn:
            return shown(pipe.name);
        case TypeColumn:
            return pipe.type ? QString::fromLatin1(Native::pipeTypeName(*pipe.type)) : QStringLiteral("—");
        case OwnerColumn:
            return pipe.uid >= 0 ? shown(pipe.user) : QStringLiteral("—");
        case ProcessColumn:
            return pipe.holders.empty() ? QStringLiteral("—") : processText(pipe);
        case QueueColumn:
            if (pipe.instances)
                return *pipe.instances;
            if (pipe.waiting)
                return *pipe.waiting;
            return QStringLiteral("—");
        default:
            return {};
        }
    case SortRole:
        if (column == QueueColumn)
            return pipe.instances ? qint64(*pipe.instances) : pipe.waiting ? qint64(*pipe.waiting) : qint64(-1);
        return data(index, Qt::DisplayRole).toString().toLower();
    case Qt::ToolTipRole:
        return toolTip(pipe, column);
    case Qt::TextAlignmentRole:
        if (column == QueueColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case PipeNameRole:
        return QString::fromStdString(pipe.name);
    case OwnRole:
        return heldHere(pipe);
    default:
        return {};
    }
}

QVariant PipeListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn:
        return tr("Name");
    case TypeColumn:
        return tr("Type");
    case OwnerColumn:
        return tr("Owner");
    case ProcessColumn:
        return tr("Process");
    case QueueColumn:
#ifdef Q_OS_WIN
        return tr("Instances");
#else
        return tr("Waiting");
#endif
    default:
        return {};
    }
}

void PipeListModel::refresh()
{
    if (m_listing) {
        m_again = true;
        return;
    }
    m_listing = true;
    runInBackground(
        this, [] { return Native::listPipes(Native::ListDetail::Owners); },
        [this](Native::Result<std::vector<Native::PipeEntry>> listed) {
            m_listing = false;
            if (listed) {
                m_error.clear();
                setPipes(std::move(listed.value()));
            } else {
                m_error = tr("Cannot list the pipes: %1").arg(QString::fromStdString(listed.error().message()));
            }
            emit refreshed();
            if (std::exchange(m_again, false))
                refresh();
        });
}

void PipeListModel::listNames(QObject *context, std::function<void(const QStringList &)> done)
{
    runInBackground(
        context,
        [] {
            QStringList names;
            const auto pipes = Native::listPipes();
            if (!pipes)
                return names;
            for (const Native::PipeEntry &pipe : pipes.value())
                for (const std::string &name : Native::namesToOffer(pipe.name))
                    names << QString::fromStdString(name);
            names.removeDuplicates();
            return names;
        },
        std::move(done));
}

} // namespace PipeScope

#include "moc_pipelistmodel.cpp"
