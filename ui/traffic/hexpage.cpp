#include "hexpage.h"
#include "copyformat.h"
#include "datainspector.h"
#include "hexview.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace PipeScope {

namespace {
// "0x1f (31)": an offset as a hex editor and as a person count it.
QString offsetText(qsizetype offset)
{
    return QStringLiteral("0x%1 (%2)").arg(offset, 0, 16).arg(offset);
}
} // namespace

HexPage::HexPage(std::function<TextEncoding(QByteArrayView)> encodingFor, QWidget *parent)
    : QWidget(parent), m_encodingFor(std::move(encodingFor)), m_hex(new HexView(this)),
      m_inspector(new QTreeWidget(this)), m_readout(new QLabel(this)), m_order(new QComboBox(this)),
      m_splitter(new QSplitter(this))
{
    m_inspector->setObjectName(QStringLiteral("dataInspector"));
    m_inspector->setRootIsDecorated(false);
    m_inspector->setHeaderLabels({tr("At the cursor"), tr("Reads as")});
    m_inspector->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    // A long value elides (its tooltip has it whole) rather than scroll.
    m_inspector->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_inspector->setToolTip(tr("What the bytes from the cursor on read as"));
    // One byte order at a time, as Okteta's decoding table: two columns
    // of values would not fit beside the dump.
    m_order->setObjectName(QStringLiteral("byteOrder"));
    m_order->addItem(tr("Little-endian"), true);
    m_order->addItem(tr("Big-endian"), false);
    m_order->setToolTip(tr("The byte order the inspector reads in"));
    connect(m_order, &QComboBox::currentIndexChanged, this, &HexPage::updateInspector);
    m_readout->setObjectName(QStringLiteral("hexReadout"));
    m_readout->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_splitter->addWidget(m_hex);
    m_splitter->addWidget(m_inspector);
    m_splitter->setStretchFactor(0, 1);
    m_splitter->setStretchFactor(1, 0);
    connect(m_splitter, &QSplitter::splitterMoved, this, [this] {
        m_userSized = true;
        m_order->setVisible(m_splitter->sizes().at(1) > 0);
    });
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(m_splitter, 1);
    auto *status = new QHBoxLayout;
    status->addWidget(m_readout, 1);
    status->addWidget(m_order);
    layout->addLayout(status);
    connect(m_hex, &HexView::selectionChanged, this, [this] {
        updateReadout();
        updateInspector();
    });
    addCopyActions();
    updateReadout();
    updateInspector();
}

void HexPage::addCopyActions()
{
    // The table's copy formats, for the bytes selected here; Ctrl+C as hex,
    // what a person selecting in a dump wants.
    const struct
    {
        const char *label;
        CopyFormat format;
        QKeySequence shortcut;
    } copies[] = {
        {QT_TR_NOOP("Copy Selected Bytes as &Hex"), CopyFormat::Hex, QKeySequence::Copy},
        {QT_TR_NOOP("Copy Selected Bytes as &Text"), CopyFormat::Text, {}},
        {QT_TR_NOOP("Copy Selected Bytes as &C Array"), CopyFormat::CArray, {}},
        {QT_TR_NOOP("Copy Selected Bytes as &Base64"), CopyFormat::Base64, {}},
    };
    for (const auto &copy : copies) {
        auto *action = new QAction(tr(copy.label), m_hex);
        action->setObjectName(QStringLiteral("copyBytes%1").arg(int(copy.format)));
        action->setShortcut(copy.shortcut);
        action->setShortcutContext(Qt::WidgetShortcut);
        const CopyFormat format = copy.format;
        connect(action, &QAction::triggered, this, [this, format] {
            const QByteArray bytes = m_hex->selectedBytes();
            if (!bytes.isEmpty())
                QApplication::clipboard()->setText(formatPayload(bytes, format, m_encodingFor(bytes)));
        });
        connect(m_hex, &HexView::selectionChanged, action, [this, action] { action->setEnabled(m_hex->selection().second > 0); });
        action->setEnabled(false);
        m_hex->addAction(action);
    }
    m_hex->setContextMenuPolicy(Qt::ActionsContextMenu);
}

void HexPage::updateReadout()
{
    const qsizetype size = m_hex->data().size();
    const auto [first, end] = m_hex->selection();
    const QString total = size == 1 ? tr("1 byte") : tr("%1 bytes").arg(size);
    if (end == 0)
        m_readout->setText(size == 0 ? QString() : total);
    else if (end - first == 1)
        m_readout->setText(tr("Offset %1 of %2").arg(offsetText(first), total));
    else
        m_readout->setText(tr("Selected %1 to %2: %3 bytes of %4 · cursor at %5")
                               .arg(offsetText(first), offsetText(end - 1))
                               .arg(end - first)
                               .arg(size)
                               .arg(offsetText(m_hex->selectedOffset())));
}

void HexPage::updateInspector()
{
    m_inspector->clear();
    const qsizetype cursor = m_hex->selectedOffset();
    const QList<InspectedValue> values = inspectBytes(m_hex->data(), cursor);
    const bool little = m_order->currentData().toBool();
    for (const InspectedValue &value : values) {
        const QString text = little || !value.ordered ? value.littleEndian : value.bigEndian;
        auto *item = new QTreeWidgetItem(m_inspector, {value.type, text});
        item->setToolTip(1, text);
        // A value the bytes end before: said as such, not left blank.
        if (text.isEmpty()) {
            item->setText(1, QStringLiteral("—"));
            item->setToolTip(1, tr("The message ends before this value does"));
        }
    }
    if (values.isEmpty()) {
        auto *hint = new QTreeWidgetItem(m_inspector, {tr("Click a byte to read what it starts")});
        hint->setFirstColumnSpanned(true);
    }
}

void HexPage::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    fitInspector();
}

void HexPage::fitInspector()
{
    if (m_userSized)
        return;
    // The dump whole first; the inspector takes the rest, or none when that
    // is less than it needs to be read.
    const int total = m_splitter->width() - m_splitter->handleWidth();
    const int dump = std::min(total, m_hex->sizeHint().width());
    const int rest = total - dump;
    // Room for the longest type and a 32-bit value beside it (a 64-bit
    // one may elide: its tooltip-free cell still shows its start).
    const int needed = m_inspector->fontMetrics().horizontalAdvance(QStringLiteral("string (u32 length)  4294967295")) + 24;
    m_splitter->setSizes({rest >= needed ? dump : total, rest >= needed ? rest : 0});
    // The byte order is the inspector's: hidden with it.
    m_order->setVisible(rest >= needed);
}

} // namespace PipeScope

#include "moc_hexpage.cpp"
