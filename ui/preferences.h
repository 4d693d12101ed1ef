#pragma once

#include <QDialog>

class QCheckBox;
class QComboBox;

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

    // QSettings keys, with true as their default.
    static constexpr const char *kOfferSampleKey = "offerSample";
    static constexpr const char *kAskToSaveKey = "askToSaveOnClose";

private:
    QComboBox *m_theme;
    QCheckBox *m_offerSample;
    QCheckBox *m_askToSave;
};

} // namespace PipeScope
