#include "preferences.h"

#include "units.h"
#include "settingskeys.h"
#include "trafficstore.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QPainter>
#include <QPalette>
#include <QProxyStyle>
#include <QSettings>
#include <QSpinBox>
#include <QStyle>
#include <QStyleFactory>

#include <limits>

namespace PipeScope {

namespace {
// Below this the capture would hand nearly every message to the disk.
constexpr int kLeastPayloadLimitMiB = 16;
} // namespace

namespace {


QPalette darkPalette()
{
    QPalette p;
    const QColor window(0x2b, 0x2d, 0x31), base(0x1e, 0x1f, 0x22), text(0xdf, 0xe1, 0xe5);
    const QColor disabled(0x7a, 0x7d, 0x83), highlight(0x3d, 0x7a, 0xb8);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, window.lighter(115));
    p.setColor(QPalette::ToolTipBase, base);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, disabled);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, window);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, Qt::white);
    p.setColor(QPalette::Highlight, highlight);
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, highlight.lighter(140));
    p.setColor(QPalette::Light, window.lighter(150));
    p.setColor(QPalette::Midlight, window.lighter(125));
    p.setColor(QPalette::Mid, window.darker(120));
    p.setColor(QPalette::Dark, window.darker(150));
    p.setColor(QPalette::Shadow, Qt::black);
    for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, disabled);
    return p;
}

// Fusion's check boxes and radio buttons with an edge that reads on a dark
// palette: Fusion draws theirs a shade darker than the window, which on a
// dark window left an unchecked box nearly invisible.
class ContrastStyle : public QProxyStyle
{
public:
    using QProxyStyle::QProxyStyle;

    void drawPrimitive(PrimitiveElement element, const QStyleOption *option, QPainter *painter,
                       const QWidget *widget) const override
    {
        QProxyStyle::drawPrimitive(element, option, painter, widget);
        if (element != PE_IndicatorCheckBox && element != PE_IndicatorRadioButton)
            return;
        QColor edge = option->palette.color(QPalette::Text);
        edge.setAlpha(150);
        painter->save();
        painter->setRenderHint(QPainter::Antialiasing);
        painter->setPen(QPen(edge, 1));
        painter->setBrush(Qt::NoBrush);
        const QRectF box = QRectF(option->rect).adjusted(0.5, 0.5, -1.5, -1.5);
        if (element == PE_IndicatorRadioButton)
            painter->drawEllipse(box);
        else
            painter->drawRoundedRect(box, 1, 1);
        painter->restore();
    }
};

} // namespace

Theme savedTheme()
{
    return Theme(std::clamp(QSettings().value(QLatin1String(SettingsKeys::kTheme), int(Theme::System)).toInt(), 0, 2));
}

void applyTheme(Theme theme)
{
    static const QString systemStyle = QApplication::style()->name();
    switch (theme) {
    case Theme::System:
        QApplication::setStyle(QStyleFactory::create(systemStyle));
        QApplication::setPalette(QApplication::style()->standardPalette());
        break;
    case Theme::Light:
        QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
        QApplication::setPalette(QApplication::style()->standardPalette());
        break;
    case Theme::Dark:
        QApplication::setStyle(new ContrastStyle(QStyleFactory::create(QStringLiteral("Fusion"))));
        QApplication::setPalette(darkPalette());
        break;
    }
}

quint64 PreferencesDialog::payloadLimit()
{
    const qint64 mib = QSettings().value(QLatin1String(SettingsKeys::kPayloadLimit), 0).toLongLong();
    return mib > 0 ? quint64(mib) << 20 : TrafficStore::defaultPayloadLimit();
}

PreferencesDialog::PreferencesDialog(QWidget *parent)
    : QDialog(parent),
      m_theme(new QComboBox(this)),
      m_offerSample(new QCheckBox(this)),
      m_askToSave(new QCheckBox(this)),
      m_payloadLimit(new QSpinBox(this))
{
    setWindowTitle(tr("Preferences"));
    m_theme->setObjectName(QStringLiteral("theme"));
    m_theme->addItem(tr("Follow the system"), int(Theme::System));
    m_theme->addItem(tr("Light"), int(Theme::Light));
    m_theme->addItem(tr("Dark"), int(Theme::Dark));
    m_theme->setCurrentIndex(m_theme->findData(int(savedTheme())));
    m_offerSample->setText(tr("Offer \"Try the Sample\" at start-up"));
    m_offerSample->setChecked(QSettings().value(QLatin1String(SettingsKeys::kOfferSample), true).toBool());
    m_askToSave->setObjectName(QStringLiteral("askToSave"));
    m_askToSave->setText(tr("Offer to save what was captured when a window closes"));
    m_askToSave->setChecked(QSettings().value(QLatin1String(SettingsKeys::kAskToSave), true).toBool());
    m_payloadLimit->setObjectName(QStringLiteral("payloadLimit"));
    m_payloadLimit->setRange(kLeastPayloadLimitMiB, std::numeric_limits<int>::max());
    // Less than the least becomes the least, in view, rather than the
    // value before it coming back without a word.
    m_payloadLimit->setCorrectionMode(QAbstractSpinBox::CorrectToNearestValue);
    m_payloadLimit->setSuffix(tr(" MiB"));
    m_payloadLimit->setGroupSeparatorShown(true);
    m_payloadLimit->setValue(int(std::min<quint64>(payloadLimit() >> 20, quint64(std::numeric_limits<int>::max()))));
    m_payloadLimit->setToolTip(
        tr("Past this, a captured message keeps its time and size in memory and its bytes in the journal on disk "
           "only; they are read from there when needed. The default is a quarter of this machine's memory (%1).")
            .arg(formatSize(TrafficStore::defaultPayloadLimit())));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QFormLayout(this);
    layout->addRow(tr("&Appearance:"), m_theme);
    layout->addRow(m_offerSample);
    layout->addRow(m_askToSave);
    layout->addRow(tr("&Memory for captured messages (at least %1 MiB):").arg(kLeastPayloadLimitMiB), m_payloadLimit);
    layout->addRow(buttons);
}

void PreferencesDialog::apply()
{
    QSettings settings;
    const auto theme = Theme(m_theme->currentData().toInt());
    settings.setValue(QLatin1String(SettingsKeys::kTheme), int(theme));
    settings.setValue(QLatin1String(SettingsKeys::kOfferSample), m_offerSample->isChecked());
    settings.setValue(QLatin1String(SettingsKeys::kAskToSave), m_askToSave->isChecked());
    // Stored only when it differs from the default, which follows the machine.
    if (quint64(m_payloadLimit->value()) != TrafficStore::defaultPayloadLimit() >> 20)
        settings.setValue(QLatin1String(SettingsKeys::kPayloadLimit), m_payloadLimit->value());
    else
        settings.remove(QLatin1String(SettingsKeys::kPayloadLimit));
    applyTheme(theme);
}

} // namespace PipeScope
