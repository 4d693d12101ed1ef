#pragma once

#include <QTimer>
#include <QWidget>

class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTreeView;

namespace PipeScope {

class PipeListModel;

// The pipe browser: the pipes that exist on the machine now, listed off
// the GUI thread and refreshed every two seconds while it is shown,
// filtered as the user types (name, owner, process), with Connect Client…
// (double-click or Enter), Copy Name and Refresh (F5).
class PipeBrowser : public QWidget
{
    Q_OBJECT
public:
    explicit PipeBrowser(QWidget *parent = nullptr);

    PipeListModel *model() const { return m_model; }
    QTreeView *view() const { return m_view; }
    QLineEdit *filter() const { return m_filter; }
    QLabel *status() const { return m_status; }
    // The selected pipe's name as the system lists it; empty if none.
    QString selectedName() const;
    // Lists again now (at most one listing runs; a request during it runs
    // once it ends); refreshed() follows.
    void refresh();

    static constexpr int kRefreshMs = 2000;

signals:
    void connectRequested(const QString &name);
    // Monitor…: watch what the pipe's clients and server say to each other.
    void monitorRequested(const QString &name);
    // A listing ended and the table shows it (or the error that stopped it).
    void refreshed();

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void updateStatus();

    PipeListModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QTreeView *m_view;
    QLineEdit *m_filter;
    QLabel *m_status;
    QTimer m_timer;
};

} // namespace PipeScope
