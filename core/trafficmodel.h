#pragma once

#include <QAbstractTableModel>

#include <optional>
#include <vector>

namespace PipeScope {

class TrafficStore;

// A table over the store: all traffic, or one endpoint, or one instance.
// Rows arrive one batch at a time (one beginInsertRows per batch) and their
// text is made only when a view asks for it.
class TrafficModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { TimeColumn, DeltaColumn, SourceColumn, DirectionColumn, KindColumn, SizeColumn,
                  PartsColumn, PreviewColumn, ColumnCount };
    enum Role {
        StoreRowRole = Qt::UserRole + 1, // the row's index in the store
        PayloadRole,                     // QByteArray, the exact bytes
        TimestampRole,                   // qint64 ns
    };

    explicit TrafficModel(TrafficStore *store, QObject *parent = nullptr);

    // Show only one endpoint, or one of its instances; nullopt shows all.
    void setScope(std::optional<quint32> endpoint, std::optional<quint32> instance = std::nullopt);

    qsizetype storeRow(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    bool inScope(qsizetype storeRow) const;
    void onAppended(qsizetype first, qsizetype count);
    void rebuild();

    TrafficStore *m_store;
    std::optional<quint32> m_endpoint;
    std::optional<quint32> m_instance;
    // Store rows in scope; empty and unused while the scope is everything.
    std::vector<quint32> m_rows;
    bool m_all = true;
    int m_rowCount = 0;
};

} // namespace PipeScope
