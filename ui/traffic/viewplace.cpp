#include "viewplace.h"

#include "trafficmodel.h"

#include <QItemSelectionModel>
#include <QScrollBar>
#include <QTableView>

namespace PipeScope {

ViewPlace::ViewPlace(QTableView *table, TrafficModel *model) : QObject(table), m_table(table), m_model(model)
{
    QScrollBar *scroll = table->verticalScrollBar();
    // At the bottom is following; scrolling up (by any means) stops it.
    connect(scroll, &QScrollBar::valueChanged, this, [this, scroll](int value) {
        if (!m_held)
            m_following = value == scroll->maximum();
    });
    // More rows, or a shorter viewport: still at the bottom if following.
    connect(scroll, &QScrollBar::rangeChanged, this, [this, scroll](int, int maximum) {
        if (m_following && !m_held)
            scroll->setValue(maximum);
    });
    connect(model, &QAbstractItemModel::modelAboutToBeReset, this, [this] {
        if (!m_held)
            save();
        m_held = true;
    });
    connect(model, &QAbstractItemModel::modelReset, this, [this] {
        if (m_model->isActive())
            restore();
    });
}

void ViewPlace::hold()
{
    if (!m_held)
        save();
    m_held = true;
}

void ViewPlace::save()
{
    const QModelIndex current = m_table->currentIndex();
    m_current = current.isValid() ? m_model->storeRow(current.row()) : -1;
    m_currentSelected = current.isValid() && m_table->selectionModel()->isRowSelected(current.row());
    const int top = m_table->rowAt(0);
    m_top = top >= 0 ? m_model->storeRow(top) : -1;
}

void ViewPlace::restore()
{
    m_held = false;
    // Laid out first: scrolling needs the range.
    m_table->doItemsLayout();
    const int current = m_current >= 0 ? m_model->rowOfStoreRow(m_current) : -1;
    if (current >= 0) {
        const auto how = m_currentSelected ? QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows
                                           : QItemSelectionModel::NoUpdate;
        m_table->selectionModel()->setCurrentIndex(m_model->index(current, 0), how);
    }
    if (m_following) {
        m_table->scrollToBottom();
        return;
    }
    const int top = m_top >= 0 ? m_model->rowOfStoreRow(m_top) : -1;
    if (top >= 0)
        m_table->scrollTo(m_model->index(top, 0), QAbstractItemView::PositionAtTop);
    if (current >= 0)
        m_table->scrollTo(m_model->index(current, 0), top >= 0 ? QAbstractItemView::EnsureVisible
                                                               : QAbstractItemView::PositionAtCenter);
}

} // namespace PipeScope

#include "moc_viewplace.cpp"
