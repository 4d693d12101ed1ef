#pragma once

#include "replayclient.h"
#include "replycomparer.h"

#include <QAbstractTableModel>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

class QTimer;

namespace PipeScope {

// The results of one replay as a table: each step, what was recorded, what
// came now, and whether they are the same. Exchanges are posted from any
// thread (a client replay runs in a thread of its own) through a poster();
// they are compared and shown in the model's thread (the GUI thread) in
// batches, one beginInsertRows per batch and at most one batch per
// interval, so a replay as fast as possible never floods the event loop.
// Cell text is made only when a view asks.
class ReplayResults : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { ConversationColumn, StepColumn, SentColumn, ExpectedColumn, GotColumn, ResultColumn, ColumnCount };
    enum Role {
        ExpectedRole = Qt::UserRole + 1, // QByteArray: what was recorded, joined
        GotRole,                         // QByteArray: what came now, joined
        DiffersRole,                     // bool
    };
    // Whose part this replay plays: it names the columns.
    enum class Side { Client, Server };

    explicit ReplayResults(QObject *parent = nullptr);
    ~ReplayResults() override;

    using Poster = std::function<void(ReplayExchange)>;

    // Empties the table for a new replay. `comparer`: check each exchange
    // with it; nullopt: only list them. Posters of earlier replays are cut
    // off: what they post from now on is dropped.
    void reset(Side side, std::optional<ReplyComparer> comparer);
    // Adds exchanges to the current replay; callable from any thread, and
    // safe to call after the model is gone.
    Poster poster();
    // Shows what was posted so far, now (the model's thread only).
    void flush();
    void setInterval(int ms);

    const ReplayExchange &exchange(int row) const { return m_rows[size_t(row)].exchange; }
    bool isChecking() const { return m_comparer.has_value(); }
    // How replies are compared, while checking.
    const std::optional<ReplyComparer> &comparer() const { return m_comparer; }
    // Messages that came now (a client's replies, or a client's messages),
    // and with a check how many were the same and how many were not.
    qint64 received() const { return m_received; }
    qint64 matched() const { return m_matched; }
    qint64 differed() const { return m_differed; }
    // The first row that differs, or -1.
    int firstDifference() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Row
    {
        ReplayExchange exchange;
        qsizetype differences = 0;
    };
    struct Inbox;
    QString resultText(const Row &row) const;

    std::shared_ptr<Inbox> m_inbox; // the current replay's
    QTimer *m_timer;
    Side m_side = Side::Client;
    std::optional<ReplyComparer> m_comparer;
    std::vector<Row> m_rows;
    qint64 m_received = 0;
    qint64 m_matched = 0;
    qint64 m_differed = 0;
    int m_firstDifference = -1;
};

} // namespace PipeScope
