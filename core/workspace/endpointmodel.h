#pragma once

#include "workspace.h"

#include <QAbstractItemModel>
#include <QHash>
#include <QTimer>

namespace PipeScope {

// The workspace as a tree: servers with their instances under them, and
// clients. Counts refresh at most four times a second, whatever the rate.
class EndpointModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Column { NameColumn, StateColumn, MessagesColumn, BytesColumn, PeerColumn, ColumnCount };
    enum Role {
        EndpointRole = Qt::UserRole + 1, // quint32
        InstanceRole,                    // quint32, 0 for an endpoint's own row
    };

    explicit EndpointModel(Workspace *workspace, QObject *parent = nullptr);

    QModelIndex indexFor(quint32 endpoint, quint32 instance = 0) const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    void onEndpointAdded(quint32 endpoint);
    void onInstanceAdded(quint32 endpoint, quint32 instance);
    void refreshRow(const QModelIndex &first);
    void refreshCounts();

    Workspace *m_workspace;
    // Rows announced to views so far: the workspace adds first, then tells.
    int m_endpointRows = 0;
    QHash<quint32, int> m_instanceRows;
    bool m_removing = false; // between a row's begin and end of removal
    QTimer m_countsTimer;
};

} // namespace PipeScope
