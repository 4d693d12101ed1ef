#pragma once

#include "filterbar.h"
#include "messagedetailview.h"
#include "units.h"

#include <QHash>
#include <QWidget>

#include <functional>
#include <optional>

class QComboBox;
class QLabel;
class QLayout;
class QLineEdit;
class QPlainTextEdit;
class QStackedWidget;
class QTableView;
class QToolButton;

namespace PipeScope {

class ColumnFitter;
class Composer;
class ConversationView;
class HexView;
class PayloadFetcher;
class TableActions;
class TrafficModel;
class ViewPlace;
class Workspace;

// One traffic log: all traffic, one endpoint, or one server instance. A
// filter bar (direction, text / hex / regex, or find), the table with its
// actions (TableActions), the selected message as hex and as decoded text
// (MessageDetailView), and, for a client or an instance, a composer to
// send from and a conversation view (ConversationView) a switch away. Bytes the store keeps on disk only are read off the GUI
// thread by PayloadFetchers.
class TrafficPane : public QWidget
{
    Q_OBJECT
public:
    TrafficPane(Workspace *workspace, std::optional<quint32> endpoint, quint32 instance,
                QWidget *parent = nullptr);

    std::optional<quint32> endpoint() const { return m_endpoint; }
    quint32 instance() const { return m_instance; }

    TrafficModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    HexView *hexView() const { return m_detail->hexView(); }
    // Shows the Hex tab and gives it the keyboard.
    void focusHex();
    QPlainTextEdit *textView() const { return m_detail->textView(); }
    Composer *composer() const { return m_composer; }
    QLineEdit *filterEdit() const { return m_filterBar->edit(); }
    QComboBox *filterMode() const { return m_filterBar->mode(); }
    QComboBox *filterDirection() const { return m_filterBar->direction(); }
    QComboBox *textEncoding() const { return m_detail->encodingChoice(); }

    void setPaused(bool paused);
    // The Time column's form; its width follows.
    void setTimeDisplay(TimeDisplay display);
    // Hides what this view shows so far; its status offers Show Again.
    void clear();
    // Selects the next (previous) match of the pattern: in Find mode, among
    // every row; filtering, the next row shown.
    void findNext(bool forward);
    QLabel *viewStatus() const { return m_viewStatus; }
    QComboBox *findMode() const { return m_filterBar->findMode(); }
    QToolButton *matchCase() const { return m_filterBar->matchCase(); }
    // The conversation (a chat of one instance's or one client's messages)
    // in place of the table, or the table again; the selection, filter and
    // detail are the same in both.
    void setConversation(bool on);
    bool showsConversation() const;
    // Whether this pane holds one conversation (an instance, a client):
    // others have no conversation view.
    bool holdsOneConversation() const;
    ConversationView *conversationView() const { return m_conversation; }
    // The table's selected rows, in order.
    QList<int> selectedRows() const;
    // The store rows this view shows now, in order.
    QList<qsizetype> shownStoreRows() const;

public slots:
    void applyFilter();

signals:
    void pausedChanged(bool paused);
    void conversationShown(bool on);
    // "Replay Selected Messages": the messages' rows in the store.
    void replayRequested(const QList<qsizetype> &storeRows);
    // "Export Selected": the rows' store rows.
    void exportRequested(const QList<qsizetype> &storeRows);
    // "Edit in Composer": the first selected message's bytes, for the
    // composer of the connection it was captured on.
    void composeRequested(quint32 endpoint, quint32 instance, const QByteArray &bytes);
    // Something for the status bar: a copy made, or why it could not be.
    void message(const QString &text);

protected:
    void hideEvent(QHideEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    // The parts of the pane, each set up once by the constructor.
    QLayout *createFilterBar();
    void createTable();
    // All Traffic's Endpoint column: as wide as the longest label with an
    // instance, elided in its middle when short of room. `endpoint`: the
    // one added or changed (0: none, just fit).
    void fitSourceColumn(quint32 endpoint);
    void updateViewStatus();
    // The row the panes show (see showSelected()), or invalid.
    QModelIndex selectedMessage() const;
    void showSelected();
    // Its fetcher's one channel: the selected message's bytes.
    static constexpr int ShownChannel = 0;

    Workspace *m_workspace;
    const std::optional<quint32> m_endpoint;
    const quint32 m_instance;
    TrafficModel *m_model;
    FilterBar *m_filterBar = nullptr;
    QToolButton *m_pause;
    QLabel *m_viewStatus = nullptr; // paused: how much came since; cleared: how much is hidden
    QTableView *m_table;
    QStackedWidget *m_views = nullptr;       // the table, or the conversation
    ConversationView *m_conversation = nullptr; // made when first shown
    QToolButton *m_conversationButton = nullptr;
    MessageDetailView *m_detail;
    PayloadFetcher *m_fetcher;
    TableActions *m_tableActions = nullptr;
    Composer *m_composer = nullptr;
    ViewPlace *m_place = nullptr;
    ColumnFitter *m_columnFitter = nullptr;
    QHash<quint32, QString> m_sourceLabels; // All Traffic: each endpoint's label, as measured
    QByteArray m_columns;             // the header's widths and hidden columns
};

} // namespace PipeScope
