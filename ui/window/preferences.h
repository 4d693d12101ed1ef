#pragma once

#include <QDialog>

class QCheckBox;
class QComboBox;
class QSpinBox;

namespace PipeScope {

class PreferencesDialog : public QDialog
{
    Q_OBJECT
public:
    explicit PreferencesDialog(QWidget *parent = nullptr);
    // Saves the choices and applies them.
    void apply();

private:
    QComboBox *m_theme;
    QCheckBox *m_offerSample;
    QCheckBox *m_askToSave;
    QSpinBox *m_payloadLimit;
};

} // namespace PipeScope
