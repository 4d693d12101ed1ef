#pragma once

#include "trafficfilter.h"
#include "units.h"

#include <QAbstractTableModel>

#include <functional>
#include <optional>
#include <vector>

namespace PipeScope {

class TrafficStore;

// A table over the store: all traffic, or one endpoint, or one instance,
// optionally filtered. Rows arrive one batch at a time (one beginInsertRows
// per batch) and their text is made only when a view asks for it. Filtering
// scans the store's records directly, without a proxy model's per-row calls.
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
        NotKeptRole,                     // bool: the bytes are in the store's backing file only
        KindRole,                        // int (EventKind): a message, or a connection event
        DirectionRole,                   // int (Direction)
    };

    explicit TrafficModel(TrafficStore *store, QObject *parent = nullptr);

    // The Endpoint column's text for an endpoint ("\\.\pipe\x", "→ x");
    // without one, its number. Instances add " #N".
    void setEndpointNamer(std::function<QString(quint32 endpoint)> namer) { m_namer = std::move(namer); }
    // Which endpoints are monitors: their Dir column says c→s and s→c for
    // every row with a direction (a half-close, a message that did not go
    // on), not only for the messages passed on.
    void setMonitorTest(std::function<bool(quint32 endpoint)> isMonitor) { m_isMonitor = std::move(isMonitor); }
    // How the Time column shows when: time of day (the default), date and
    // time, or seconds since the first event in the store.
    void setTimeDisplay(TimeDisplay display);
    TimeDisplay timeDisplay() const { return m_timeDisplay; }
    // Show only one endpoint, or one of its instances; nullopt shows all.
    void setScope(std::optional<quint32> endpoint, std::optional<quint32> instance = std::nullopt);
    std::optional<quint32> scopeEndpoint() const { return m_endpoint; }
    std::optional<quint32> scopeInstance() const { return m_instance; }

    void setFilter(const TrafficFilter &filter);
    const TrafficFilter &filter() const { return m_filter; }
    // Messages a pattern could not be looked for in, their bytes not being
    // in memory (TrafficStore's limit): left out of the rows, and counted.
    qsizetype unsearched() const { return m_unsearched; }

    // While paused the view keeps its rows; what arrives meanwhile shows
    // when it resumes. Capture itself never pauses.
    void setPaused(bool paused);
    bool isPaused() const { return m_paused; }
    // Events of this view's endpoint or instance captured since it paused.
    qsizetype arrivedWhilePaused();
    // Hides everything captured so far from this view (the store keeps it).
    void clearView();
    // Events of this view's endpoint or instance that Clear hid.
    qsizetype hiddenByClear() const { return m_hidden; }
    // Shows again what Clear hid.
    void undoClear();
    // Whether `pattern` matches the message (or event) at `row`; Unknown
    // for a message whose bytes are on disk only.
    enum class Match { No, Yes, Unknown };
    Match rowMatches(int row, const TrafficFilter &pattern) const;
    // An inactive model (its view is hidden) shows no rows and holds no
    // per-row memory; activating it rebuilds from the store.
    void setActive(bool active);
    bool isActive() const { return m_active; }

    qsizetype storeRow(int row) const;
    // The row showing this store row, or -1.
    int rowOfStoreRow(qsizetype storeRow) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    bool inScope(qsizetype storeRow) const;
    bool shows(qsizetype storeRow);
    // Takes store rows from m_scanned up to the store's end.
    void catchUp();
    void rebuild();

    TrafficStore *m_store;
    std::optional<quint32> m_endpoint;
    std::optional<quint32> m_instance;
    std::function<QString(quint32)> m_namer;
    std::function<bool(quint32)> m_isMonitor;
    TimeDisplay m_timeDisplay = TimeDisplay::TimeOfDay;
    qsizetype m_hidden = 0;
    qsizetype m_pendingScanned = 0; // store rows counted into m_pending
    qsizetype m_pending = 0;
    QVariant toolTip(int column, qsizetype storeRow) const;

    // How much of a message the Preview column shows, and its tooltip.
    static constexpr int kPreviewChars = 120;
    static constexpr int kToolTipChars = 1000;
    static constexpr qsizetype kToolTipLine = 100;
    TrafficFilter m_filter;
    bool m_paused = false;
    qsizetype m_pausedAt = 0; // store rows the view had when paused
    bool m_active = true;
    qsizetype m_firstRow = 0; // store rows before this are cleared from view
    qsizetype m_scanned = 0;  // store rows examined so far
    // Store rows shown; empty and unused while every row from m_firstRow shows.
    std::vector<quint32> m_rows;
    bool m_all = true;
    int m_rowCount = 0;
    qsizetype m_unsearched = 0;
};

} // namespace PipeScope
