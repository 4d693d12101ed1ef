#pragma once

#include <QDialog>

class QCheckBox;
class QComboBox;
class QSpinBox;

namespace PipeScope {

// The look: follow the system (the default), or force light or dark. Qt
// already follows the platform's palette; forcing uses the Fusion style
// with a palette of our own, for desktops that do not say.
enum class Theme { System, Light, Dark };
Theme savedTheme();
void applyTheme(Theme theme);

class PreferencesDialog : public QDialog
{
    Q_OBJECT
public:
    explicit PreferencesDialog(QWidget *parent = nullptr);
    // Saves the choices and applies them.
    void apply();

    // The payload limit in force, in bytes (SettingsKeys::kPayloadLimit, or
    // a quarter of the machine's memory).
    static quint64 payloadLimit();

private:
    QComboBox *m_theme;
    QCheckBox *m_offerSample;
    QCheckBox *m_askToSave;
    QSpinBox *m_payloadLimit;
};

} // namespace PipeScope
