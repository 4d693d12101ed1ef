#include "replayresults.h"

#include "payloadpreview.h"

#include <QCoreApplication>
#include <QMutex>
#include <QPointer>
#include <QTimer>

namespace PipeScope {

namespace {

// A batch at most every 16 ms: about one per frame.
constexpr int kDefaultIntervalMs = 16;
constexpr qsizetype kPreviewChars = 60;

QString previews(const QList<QByteArray> &list)
{
    QStringList parts;
    for (const QByteArray &bytes : list)
        parts << previewPayload(bytes, kPreviewChars);
    return parts.join(QStringLiteral(" | "));
}

} // namespace

// What a replay's posters hand over. Each replay has its own, so a poster
// of an earlier one can still be called (its thread may not have ended
// yet) without anything it posts reaching the table.
struct ReplayResults::Inbox
{
    QMutex mutex;
    QList<ReplayExchange> pending;
    bool scheduled = false; // a flush is on its way
};

ReplayResults::ReplayResults(QObject *parent)
    : QAbstractTableModel(parent),
      m_inbox(std::make_shared<Inbox>()),
      m_timer(new QTimer(this))
{
    m_timer->setSingleShot(true);
    m_timer->setInterval(kDefaultIntervalMs);
    connect(m_timer, &QTimer::timeout, this, &ReplayResults::flush);
}

ReplayResults::~ReplayResults() = default;

void ReplayResults::setInterval(int ms)
{
    m_timer->setInterval(ms);
}

void ReplayResults::reset(Side side, std::optional<ReplyComparer> comparer)
{
    beginResetModel();
    m_inbox = std::make_shared<Inbox>();
    m_timer->stop();
    m_side = side;
    m_comparer = std::move(comparer);
    m_rows.clear();
    m_received = m_matched = m_differed = 0;
    m_firstDifference = -1;
    endResetModel();
    emit headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
}

ReplayResults::Poster ReplayResults::poster()
{
    QPointer<ReplayResults> self(this);
    std::shared_ptr<Inbox> inbox = m_inbox;
    return [self, inbox](ReplayExchange exchange) {
        {
            QMutexLocker lock(&inbox->mutex);
            inbox->pending.append(std::move(exchange));
            if (inbox->scheduled)
                return;
            inbox->scheduled = true;
        }
        // The model lives in the GUI thread; `self` is only looked at there.
        QMetaObject::invokeMethod(qApp, [self, inbox] {
            if (self && self->m_inbox == inbox && !self->m_timer->isActive())
                self->m_timer->start();
        }, Qt::QueuedConnection);
    };
}

void ReplayResults::flush()
{
    QList<ReplayExchange> batch;
    {
        QMutexLocker lock(&m_inbox->mutex);
        batch.swap(m_inbox->pending);
        m_inbox->scheduled = false;
    }
    if (batch.isEmpty())
        return;
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + int(batch.size()) - 1);
    m_rows.reserve(m_rows.size() + size_t(batch.size()));
    for (ReplayExchange &exchange : batch) {
        Row row;
        m_received += exchange.got.size();
        if (m_comparer) {
            row.differences = m_comparer->countDifferences(exchange);
            m_matched += m_comparer->countMatches(exchange);
            m_differed += row.differences;
            if (row.differences > 0 && m_firstDifference < 0)
                m_firstDifference = int(m_rows.size());
        }
        row.exchange = std::move(exchange);
        m_rows.push_back(std::move(row));
    }
    endInsertRows();
}

int ReplayResults::firstDifference() const
{
    return m_firstDifference;
}

int ReplayResults::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ReplayResults::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString ReplayResults::resultText(const Row &row) const
{
    const ReplayExchange &x = row.exchange;
    if (!m_comparer)
        return {};
    if (row.differences == 0)
        return tr("same");
    if (x.got.size() < x.expected.size())
        return tr("missing: %1").arg(x.problem);
    // A server replaying: a message beyond the recording, which the problem names.
    if (m_side == Side::Server && x.expected.isEmpty())
        return x.problem;
    const qsizetype extra = x.got.size() - x.expected.size();
    // Every recorded reply came the same, and more came after them.
    if (extra > 0 && m_comparer->countMatches(x) == x.expected.size())
        return ReplyComparer::moreThanRecorded(extra);
    return tr("differs");
}

QVariant ReplayResults::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows[size_t(index.row())];
    const ReplayExchange &x = row.exchange;
    switch (role) {
    case Qt::DisplayRole:
    case Qt::ToolTipRole:
        switch (index.column()) {
        case ConversationColumn:
            return x.script;
        case StepColumn:
            return QStringLiteral("#%1").arg(x.index + 1);
        case SentColumn:
            return x.sentNothing ? tr("(nothing)") : previewPayload(x.sent, kPreviewChars);
        case ExpectedColumn:
            return previews(x.expected);
        case GotColumn:
            return previews(x.got);
        case ResultColumn:
            return resultText(row);
        }
        return {};
    case ExpectedRole:
        return x.expected.join();
    case GotRole:
        return x.got.join();
    case DiffersRole:
        return row.differences > 0;
    }
    return {};
}

QVariant ReplayResults::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    const bool server = m_side == Side::Server;
    switch (section) {
    case ConversationColumn:
        return tr("Conversation");
    case StepColumn:
        return tr("#");
    case SentColumn:
        return server ? tr("Replied") : tr("Sent");
    case ExpectedColumn:
        return server ? tr("Recorded message") : tr("Recorded reply");
    case GotColumn:
        return server ? tr("Message now") : tr("Reply now");
    case ResultColumn:
        return tr("Result");
    }
    return {};
}

} // namespace PipeScope

#include "moc_replayresults.cpp"
