#pragma once

#include <QStyledItemDelegate>

namespace PipeScope {

// Draws one column's text elided its own way, where a view has one way
// for all: a name's middle goes ("\\.\pi…amedpipe #2" keeps the instance
// and the pipe's own name), while the other columns keep their start.
class ElideDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    ElideDelegate(Qt::TextElideMode mode, QObject *parent) : QStyledItemDelegate(parent), m_mode(mode) {}

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;

private:
    Qt::TextElideMode m_mode;
};

} // namespace PipeScope
