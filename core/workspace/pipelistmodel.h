#pragma once

#include "nativepipe.h"

#include <QAbstractTableModel>

#include <vector>

namespace PipeScope {

// The pipes that exist on the machine, as a table for the pipe browser:
// name, type, owner, the processes holding it and its queue. setPipes()
// takes a fresh listing and changes only what changed, so a view's
// selection and scroll position live through every refresh. Listing is
// the caller's to do, off the GUI thread (Native::listPipes).
class PipeListModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { NameColumn, TypeColumn, OwnerColumn, ProcessColumn, QueueColumn, ColumnCount };
    enum Role {
        PipeNameRole = Qt::UserRole + 1, // QString: the name as the system lists it
        OwnRole,                         // bool: this process holds it
        SortRole,                        // what the column sorts by
    };

    explicit PipeListModel(QObject *parent = nullptr);

    void setPipes(std::vector<Native::PipeEntry> pipes);
    const Native::PipeEntry &pipe(int row) const { return m_pipes[std::size_t(row)]; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QString processText(const Native::PipeEntry &pipe) const;
    QString toolTip(const Native::PipeEntry &pipe, int column) const;

    std::vector<Native::PipeEntry> m_pipes;
};

} // namespace PipeScope
