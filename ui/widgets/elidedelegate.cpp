#include "elidedelegate.h"

namespace PipeScope {

void ElideDelegate::initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    option->textElideMode = m_mode;
}

} // namespace PipeScope

#include "moc_elidedelegate.cpp"
