#pragma once

#include "endpointconfig.h"

#include <QCoreApplication>

class QComboBox;
class QFormLayout;
class QLineEdit;
class QSpinBox;
class QWidget;

namespace PipeScope {

class PipeNameField;

// A client's settings as rows of a form: the name, where to look for it,
// the read mode, the wait while busy, whom the server must run as.
// Connect Client's form, and a monitor's target.
class ClientRows
{
    Q_DECLARE_TR_FUNCTIONS(ClientRows)

public:
    // `mnemonics` false: labels without Alt keys, for rows beside another
    // form that has taken them (a monitor's target).
    ClientRows(QWidget *parent, QFormLayout *form, PipeNameField *name, bool mnemonics = true);

    ClientConfig config() const;
    void setConfig(const ClientConfig &config);

    PipeNameField *const name;
    QComboBox *const convention;
    QComboBox *const readMode;
    QSpinBox *const wait;
    QLineEdit *const serverUser;
};

} // namespace PipeScope
