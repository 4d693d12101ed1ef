#include "messagedetailview.h"
#include "hexpage.h"
#include "hexview.h"
#include "payloadpreview.h"
#include "units.h"

#include <QComboBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QVBoxLayout>

#include <algorithm>

namespace PipeScope {

namespace {
// Text decoded for the Text tab stops here; the Hex tab shows the rest.
constexpr qsizetype kTextLimit = 1 << 20;
} // namespace

MessageDetailView::MessageDetailView(QWidget *parent)
    : QTabWidget(parent),
      m_hexPage(new HexPage([this](QByteArrayView bytes) { return encodingFor(bytes); }, this)),
      m_hex(m_hexPage->hexView()), m_text(new QPlainTextEdit(this)), m_encoding(new QComboBox(this))
{
    m_text->setReadOnly(true);
    m_text->setObjectName(QStringLiteral("decodedText"));
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_encoding->setObjectName(QStringLiteral("textEncoding"));
    m_encoding->addItem(tr("Automatic"), kAutomatic);
    m_encoding->setItemData(
        0, tr("UTF-16LE where the message looks like it (as the Preview column), else UTF-8"),
        Qt::ToolTipRole);
    m_encoding->addItem(tr("UTF-8"), int(TextEncoding::Utf8));
    m_encoding->addItem(tr("UTF-16LE"), int(TextEncoding::Utf16Le));
    m_encoding->addItem(tr("Latin-1"), int(TextEncoding::Latin1));
    connect(m_encoding, &QComboBox::currentIndexChanged, this, &MessageDetailView::updateText);
    auto *textPage = new QWidget(this);
    auto *textLayout = new QVBoxLayout(textPage);
    textLayout->setContentsMargins(0, 0, 0, 0);
    auto *encodingRow = new QHBoxLayout;
    encodingRow->addWidget(new QLabel(tr("Decode as"), textPage));
    encodingRow->addWidget(m_encoding);
    encodingRow->addStretch();
    textLayout->addLayout(encodingRow);
    textLayout->addWidget(m_text);
    addTab(m_hexPage, tr("Hex"));
    addTab(textPage, tr("Text"));
    m_hex->setPlaceholderText(tr("Select a message to see its bytes"));
}

void MessageDetailView::showNothing()
{
    m_eventText.clear();
    m_hex->setPlaceholderText(tr("Select a message to see its bytes"));
    m_hex->setData({});
    updateText();
}

void MessageDetailView::showMessage(const QByteArray &bytes)
{
    m_eventText.clear();
    m_hex->setPlaceholderText(tr("(an empty message)"));
    m_hex->setData(bytes);
    updateText();
}

void MessageDetailView::showReading(const QString &file)
{
    m_eventText.clear();
    m_hex->setPlaceholderText(tr("(an empty message)"));
    m_hex->setData({});
    m_text->setPlainText(tr("Reading this message from %1…").arg(file));
}

void MessageDetailView::showUnreadable(const QString &error)
{
    m_text->setPlainText(tr("Cannot show this message: %1").arg(error));
}

void MessageDetailView::showOtherEvent(const QString &kind, const QString &text)
{
    // A connection's peer, an error: words, not bytes to dump.
    m_eventText = tr("%1: %2").arg(kind, text);
    m_hex->setPlaceholderText(
        tr("A %1 event carries no message: the Text tab says what it was.").arg(kind));
    m_hex->setData({});
    updateText();
}

TextEncoding MessageDetailView::encodingFor(QByteArrayView bytes) const
{
    const int chosen = m_encoding->currentData().toInt();
    return chosen == kAutomatic ? likelyEncoding(bytes) : TextEncoding(chosen);
}

void MessageDetailView::focusHex()
{
    setCurrentWidget(m_hexPage);
    m_hex->setFocus(Qt::ShortcutFocusReason);
}

void MessageDetailView::updateText()
{
    if (!m_eventText.isEmpty()) {
        m_text->setPlainText(m_eventText);
        return;
    }
    const QByteArray &bytes = m_hex->data();
    const TextEncoding encoding = encodingFor(bytes);
    // Automatic says what it chose.
    m_encoding->setItemText(0, encoding == TextEncoding::Utf16Le ? tr("Automatic (UTF-16LE)")
                                                                 : tr("Automatic (UTF-8)"));
    const QByteArrayView shown = QByteArrayView(bytes).first(std::min(bytes.size(), kTextLimit));
    // Under Automatic, binary is said to be binary, not decoded to garbage;
    // an encoding chosen decodes whatever it is.
    const auto isText = [&] {
        // A cut may end inside a character: a few bytes less decide.
        for (qsizetype cut = 0; cut <= (shown.size() < bytes.size() ? 3 : 0); ++cut)
            if (textIn(shown.first(shown.size() - cut), encoding))
                return true;
        return false;
    };
    if (m_encoding->currentData().toInt() == kAutomatic && !bytes.isEmpty() && !isText()) {
        m_encoding->setItemText(0, tr("Automatic"));
        m_text->setPlainText(
            tr("Binary data (%1): not text in UTF-8 or UTF-16LE. The Hex tab shows its bytes; "
               "choose an encoding above to decode it anyway.")
                .arg(formatSize(quint64(bytes.size()))));
        return;
    }
    QString text = decodeText(shown, encoding);
    if (bytes.size() > kTextLimit)
        text += tr("\n[… %1 more; the hex pane shows all]")
                    .arg(formatSize(quint64(bytes.size() - kTextLimit)));
    m_text->setPlainText(text);
}

} // namespace PipeScope

#include "moc_messagedetailview.cpp"
