#pragma once

#include <QList>
#include <QObject>
#include <QString>

class QTableView;

namespace PipeScope {

class MessageDetailView;
class PayloadFetcher;
class TrafficModel;
class Workspace;

// What can be done with a traffic table's selected rows, as its context
// menu and keys: copy them (as text, hex, a C array or Base64; Ctrl+C,
// Ctrl+Shift+C), replay or export them, send them again on the connections
// they were captured on (Ctrl+Enter), or put one into its connection's
// composer (Ctrl+Shift+Enter); and Ctrl+Home/Ctrl+End select the first and
// last row. Messages the store keeps on disk only are read in the
// background first, by a PayloadFetcher of its own (a copy going on
// does not hold up the pane's read of the selected message).
class TableActions : public QObject
{
    Q_OBJECT
public:
    // `detail` says which encoding a copy as text uses (the Text tab's).
    TableActions(Workspace *workspace, QTableView *table, TrafficModel *model,
                 MessageDetailView *detail);

    // The table's selected rows, in order.
    QList<int> selectedRows() const;

signals:
    // "Replay Selected Messages": the messages' rows in the store.
    void replayRequested(const QList<qsizetype> &storeRows);
    // "Export Selected": the rows' store rows.
    void exportRequested(const QList<qsizetype> &storeRows);
    // "Edit in Composer": the first selected message's bytes, for the
    // composer of the connection it was captured on.
    void composeRequested(quint32 endpoint, quint32 instance, const QByteArray &bytes);
    // Something for the status bar: a copy made, or why it could not be.
    void message(const QString &text);

private:
    void addEndKeys();
    void addCopies();
    // Replay and Export: the selected rows handed over as store rows.
    void addHandOvers();
    void addSendAndEdit();
    void copySelected(int format);
    // The selected data messages: their store rows, and the connection
    // each was captured on.
    struct Captured
    {
        qsizetype storeRow;
        quint32 endpoint;
        quint32 instance;
    };
    QList<Captured> selectedMessages() const;
    void sendSelectedAgain();
    void editSelectedInComposer();

    // Its fetcher's channels: each delivers its latest read only.
    enum Channel
    {
        CopyChannel,
        SendChannel,
        ComposeChannel
    };

    Workspace *m_workspace;
    QTableView *m_table;
    TrafficModel *m_model;
    MessageDetailView *m_detail;
    PayloadFetcher *m_fetcher;
};

} // namespace PipeScope
