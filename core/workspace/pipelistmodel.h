#pragma once

#include "nativepipe.h"

#include <QAbstractTableModel>

#include <functional>
#include <vector>

namespace PipeScope {

// The pipes that exist on the machine, as a table for the pipe browser:
// name, type, owner, the processes holding it and its queue. setPipes()
// takes a fresh listing and changes only what changed, so a view's
// selection and scroll position live through every refresh. refresh()
// lists the pipes off the calling thread (Native::listPipes), so that
// ui/ makes no system call of its own.
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
    // Lists the pipes again (with their owners) off the calling thread,
    // then merges the listing in and emits refreshed(). One listing at a
    // time: a refresh asked for during one runs once it has ended.
    void refresh();
    // Why the last listing failed, in words (what was listed before
    // stays), or empty.
    QString error() const { return m_error; }
    // Every pipe that exists now, by the names a person would type for
    // it: listed off the calling thread, then `done(names)` in
    // `context`'s thread, unless `context` has gone meanwhile.
    static void listNames(QObject *context, std::function<void(const QStringList &)> done);
    const Native::PipeEntry &pipe(int row) const { return m_pipes[std::size_t(row)]; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

signals:
    void refreshed();

private:
    QString processText(const Native::PipeEntry &pipe) const;
    QString toolTip(const Native::PipeEntry &pipe, int column) const;

    std::vector<Native::PipeEntry> m_pipes;
    QString m_error;
    bool m_listing = false;
    bool m_again = false;
};

} // namespace PipeScope
