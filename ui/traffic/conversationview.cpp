#include "conversationview.h"
#include "payloadpreview.h"
#include "trafficevent.h"
#include "trafficmodel.h"
#include "units.h"

#include <QPainter>
#include <QPainterPath>
#include <QScrollBar>
#include <QStyledItemDelegate>

namespace PipeScope {

namespace {

// Bytes looked at for a bubble's two lines.
constexpr qsizetype kShownBytes = 512;
constexpr int kPad = 6;

class BubbleDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &) const override
    {
        // A header line and two lines of text, padded: every row alike.
        return {option.rect.width(), 3 * option.fontMetrics.height() + 3 * kPad};
    }

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        painter->save();
        painter->setRenderHint(QPainter::Antialiasing);
        if (index.data(TrafficModel::KindRole).toInt() == int(EventKind::Data))
            paintMessage(painter, option, index);
        else
            paintEvent(painter, option, index);
        painter->restore();
    }

private:
    static QString cell(const QModelIndex &index, int column)
    {
        return index.siblingAtColumn(column).data().toString();
    }

    static void paintMessage(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index)
    {
        const bool sent = index.data(TrafficModel::DirectionRole).toInt() == int(Direction::Out);
        const bool selected = option.state & QStyle::State_Selected;
        const QPalette &palette = option.palette;
        // Three quarters of the width, on the sender's side.
        QRect bubble = option.rect.adjusted(kPad, kPad / 2, -kPad, -kPad / 2);
        bubble.setWidth(bubble.width() * 3 / 4);
        if (sent)
            bubble.moveRight(option.rect.right() - kPad);
        QColor fill = sent ? palette.color(QPalette::Highlight) : palette.color(QPalette::Mid);
        fill.setAlpha(selected ? 150 : 45);
        QPainterPath path;
        path.addRoundedRect(bubble, 8, 8);
        painter->fillPath(path, fill);
        if (selected) {
            painter->setPen(QPen(palette.color(QPalette::Highlight), 2));
            painter->drawPath(path);
        }
        const QRect inner = bubble.adjusted(kPad, kPad / 2, -kPad, -kPad / 2);
        const int line = option.fontMetrics.height();
        QFont small = option.font;
        small.setPointSizeF(small.pointSizeF() * 0.9);
        painter->setFont(small);
        painter->setPen(palette.color(QPalette::PlaceholderText));
        const QString header = QStringLiteral("%1 · %2 · %3")
                                   .arg(cell(index, TrafficModel::TimeColumn), cell(index, TrafficModel::DirectionColumn),
                                        formatSize(index.siblingAtColumn(TrafficModel::SizeColumn).data().toULongLong()));
        painter->drawText(QRect(inner.left(), inner.top(), inner.width(), line), Qt::AlignLeft | Qt::AlignVCenter,
                          header);
        painter->setFont(option.font);
        painter->setPen(palette.color(QPalette::Text));
        const QString text = index.data(TrafficModel::NotKeptRole).toBool()
                                 ? cell(index, TrafficModel::PreviewColumn)
                                 : conversationText(index.data(TrafficModel::PayloadRole).toByteArray());
        painter->drawText(QRect(inner.left(), inner.top() + line, inner.width(), 2 * line),
                          Qt::AlignLeft | Qt::AlignTop | Qt::TextWrapAnywhere, text);
    }

    static void paintEvent(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index)
    {
        // Connected, disconnected, an error: a line in the middle.
        if (option.state & QStyle::State_Selected) {
            QColor fill = option.palette.color(QPalette::Highlight);
            fill.setAlpha(60);
            painter->fillRect(option.rect, fill);
        }
        painter->setPen(option.palette.color(QPalette::PlaceholderText));
        const QString text = QStringLiteral("%1 · %2: %3")
                                 .arg(cell(index, TrafficModel::TimeColumn), cell(index, TrafficModel::KindColumn),
                                      cell(index, TrafficModel::PreviewColumn));
        const QRect room = option.rect.adjusted(3 * kPad, 0, -3 * kPad, 0);
        painter->drawText(room, Qt::AlignCenter,
                          option.fontMetrics.elidedText(text, Qt::ElideRight, room.width()));
    }
};

} // namespace

QString conversationText(QByteArrayView bytes)
{
    const QByteArrayView shown = bytes.first(std::min(bytes.size(), kShownBytes));
    // A cut may end inside a character: a few bytes less decide.
    for (qsizetype cut = 0; cut <= (shown.size() < bytes.size() ? 3 : 0); ++cut) {
        if (std::optional<QString> text = payloadText(shown.first(shown.size() - cut))) {
            text->replace(QLatin1String("\r\n"), QStringLiteral("⏎ "));
            text->replace(QLatin1Char('\n'), QStringLiteral("⏎ "));
            return *text + (shown.size() < bytes.size() ? QStringLiteral("…") : QString());
        }
    }
    return hexString(bytes, kShownBytes / 4);
}

ConversationView::ConversationView(TrafficModel *model, QItemSelectionModel *selection, QWidget *parent)
    : QListView(parent)
{
    setObjectName(QStringLiteral("conversationView"));
    setModel(model);
    setModelColumn(TrafficModel::PreviewColumn);
    setSelectionModel(selection);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setSelectionMode(QAbstractItemView::ExtendedSelection);
    setUniformItemSizes(true);
    setItemDelegate(new BubbleDelegate(this));
    setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    // Following the newest message: when the view is at its end as rows
    // arrive, it stays there.
    connect(model, &QAbstractItemModel::rowsAboutToBeInserted, this, [this] {
        m_atEnd = verticalScrollBar()->value() == verticalScrollBar()->maximum();
    });
    connect(model, &QAbstractItemModel::rowsInserted, this, [this] {
        if (m_atEnd)
            scrollToBottom();
    });
    // A row chosen elsewhere (Find, the table) is brought into view.
    connect(selection, &QItemSelectionModel::currentChanged, this, [this](const QModelIndex &current) {
        if (isVisible() && current.isValid())
            scrollTo(current);
    });
}

void ConversationView::showNewest()
{
    const QModelIndex current = currentIndex();
    if (current.isValid())
        scrollTo(current, QAbstractItemView::PositionAtCenter);
    else
        scrollToBottom();
}

} // namespace PipeScope

#include "moc_conversationview.cpp"
