#pragma once

#include "textencoding.h"
#include "units.h"

#include <QWidget>

#include <functional>
#include <optional>

class QComboBox;
class QLabel;
class QLayout;
class QLineEdit;
class QPlainTextEdit;
class QTableView;
class QTabWidget;
class QToolButton;

namespace PipeScope {

class ColumnFitter;
class Composer;
class HexView;
class TrafficFilter;
class ElidedLabel;
class TrafficModel;
class ViewPlace;
class Workspace;

// One traffic log: all traffic, one endpoint, or one server instance. A
// filter bar (direction, text / hex / regex), the table, the selected
// message as hex and as decoded text, and, for a client or an instance, a
// composer to send from.
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
    HexView *hexView() const { return m_hex; }
    // Shows the Hex tab and gives it the keyboard.
    void focusHex();
    QPlainTextEdit *textView() const { return m_text; }
    Composer *composer() const { return m_composer; }
    QLineEdit *filterEdit() const { return m_filterText; }
    QComboBox *filterMode() const { return m_filterMode; }
    QComboBox *filterDirection() const { return m_filterDirection; }
    QComboBox *textEncoding() const { return m_encoding; }

    void setPaused(bool paused);
    // The Time column's form; its width follows.
    void setTimeDisplay(TimeDisplay display);
    // Hides what this view shows so far; its status offers Show Again.
    void clear();
    // Selects the next (previous) match of the pattern: in Find mode, among
    // every row; filtering, the next row shown.
    void findNext(bool forward);
    QLabel *viewStatus() const { return m_viewStatus; }
    QComboBox *findMode() const { return m_findMode; }
    QToolButton *matchCase() const { return m_matchCase; }
    // The table's selected rows, in order.
    QList<int> selectedRows() const;
    // The store rows this view shows now, in order.
    QList<qsizetype> shownStoreRows() const;

public slots:
    void applyFilter();

signals:
    void pausedChanged(bool paused);
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
    // instance, elided in its middle when short of room.
    void fitSourceColumn();
    // Copy in each format, and replay the selection.
    void createTableActions();
    // The selected message: hex, and text in the chosen encoding.
    void createDetail();
    bool isFinding() const;
    void updatePlaceholder();
    void updateViewStatus();
    // The pattern as the bar sets it; false (and said) when it is wrong.
    bool readPattern(TrafficFilter &filter, int directions);
    // The row the panes show (see showSelected()), or invalid.
    QModelIndex selectedMessage() const;
    void showSelected();
    // The Text pane's encoding for these bytes: the one chosen, or under
    // Automatic the one they look like.
    TextEncoding textEncodingFor(QByteArrayView bytes) const;
    void updateText();
    void copySelected(int format);
    // The selected data messages: their store rows, and the connection each
    // was captured on.
    struct Captured
    {
        qsizetype storeRow;
        quint32 endpoint;
        quint32 instance;
    };
    QList<Captured> selectedMessages() const;
    void sendSelectedAgain();
    void editSelectedInComposer();
    // The bytes of these store rows, read in the background (those not kept
    // in memory come from the store's backing file), then `done(bytes,
    // error)` here, unless a later fetch counted by `latest` (one of the
    // members below) was started meanwhile.
    void fetchPayloads(const QList<qsizetype> &storeRows, quint64 &latest,
                       std::function<void(const QList<QByteArray> &, const QString &)> done);

    Workspace *m_workspace;
    const std::optional<quint32> m_endpoint;
    const quint32 m_instance;
    TrafficModel *m_model;
    QComboBox *m_filterDirection;
    QComboBox *m_filterMode;
    QLineEdit *m_filterText;
    ElidedLabel *m_filterStatus;
    QToolButton *m_pause;
    QToolButton *m_matchCase = nullptr;
    QComboBox *m_findMode = nullptr;
    QLabel *m_viewStatus = nullptr; // paused: how much came since; cleared: how much is hidden
    QTableView *m_table;
    QTabWidget *m_detail;
    HexView *m_hex;
    QPlainTextEdit *m_text;
    QComboBox *m_encoding;
    Composer *m_composer = nullptr;
    ViewPlace *m_place = nullptr;
    QString m_eventText; // the Text pane's words for a selected non-data event
    static constexpr int kAutomatic = -1; // m_encoding's data for Automatic
    quint64 m_shownFetch = 0;         // reads for the selected message; the latest one shows
    quint64 m_copyFetch = 0;          // reads for a copy; the latest one is copied
    quint64 m_sendFetch = 0;          // reads for Send Again
    quint64 m_composeFetch = 0;       // reads for Edit in Composer
    ColumnFitter *m_columnFitter = nullptr;
    QByteArray m_columns;             // the header's widths and hidden columns
};

} // namespace PipeScope
