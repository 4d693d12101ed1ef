#include "preferences.h"

#include "settings.h"
#include "theme.h"
#include "trafficstore.h"
#include "units.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QSpinBox>

#include <limits>

namespace PipeScope {

namespace {
// Below this the capture would hand nearly every message to the disk.
constexpr int kLeastPayloadLimitMiB = 16;
} // namespace

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
    m_theme->setCurrentIndex(m_theme->findData(int(Settings::theme())));
    m_offerSample->setText(tr("Offer \"Try the Sample\" at start-up"));
    m_offerSample->setChecked(Settings::offerSample());
    m_askToSave->setObjectName(QStringLiteral("askToSave"));
    m_askToSave->setText(tr("Offer to save what was captured when a window closes"));
    m_askToSave->setChecked(Settings::askToSave());
    m_payloadLimit->setObjectName(QStringLiteral("payloadLimit"));
    m_payloadLimit->setRange(kLeastPayloadLimitMiB, std::numeric_limits<int>::max());
    // Less than the least becomes the least, in view, rather than the
    // value before it coming back without a word.
    m_payloadLimit->setCorrectionMode(QAbstractSpinBox::CorrectToNearestValue);
    m_payloadLimit->setSuffix(tr(" MiB"));
    m_payloadLimit->setGroupSeparatorShown(true);
    m_payloadLimit->setValue(int(std::min<quint64>(Settings::payloadLimit() >> 20, quint64(std::numeric_limits<int>::max()))));
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
    const auto theme = Theme(m_theme->currentData().toInt());
    Settings::setTheme(theme);
    Settings::setOfferSample(m_offerSample->isChecked());
    Settings::setAskToSave(m_askToSave->isChecked());
    Settings::setPayloadLimitMiB(quint64(m_payloadLimit->value()));
    applyTheme(theme);
}

} // namespace PipeScope

#include "moc_preferences.cpp"
