#pragma once

#include "nativepipe.h"

#include <QCoreApplication>

#include <functional>

class QCheckBox;
class QComboBox;
class QSpinBox;
class QWidget;

namespace PipeScope {

class PipeNameField;

// Everything CreateNamedPipe takes, as two groups of a form: "Pipe" (the
// name, where it is made, type, read mode, direction, access) and
// "Instances and buffers". New Server's and New Monitor's left column.
class PipeOptionsForm
{
    Q_DECLARE_TR_FUNCTIONS(PipeOptionsForm)

public:
    PipeOptionsForm(QWidget *parent, PipeNameField *name);

    Native::ServerOptions options() const;
    void setOptions(const Native::ServerOptions &options);
    // Why a pipe of these options cannot be made on the name given; empty
    // when it can.
    QString problem() const;
    // Called when a choice that bears on validity changes.
    void onChange(QObject *context, const std::function<void()> &changed);
    // The two groups over each other on the left of `form`, `right` beside
    // them taking the room left.
    void layOut(QWidget *form, QWidget *right);

    QComboBox *const convention;
    QComboBox *const type;
    QComboBox *const readMode;

private:
    void fillChoices();

    PipeNameField *m_name;
    QComboBox *m_direction;
    QCheckBox *m_unlimited;
    QSpinBox *m_instances;
    QSpinBox *m_outBuffer;
    QSpinBox *m_inBuffer;
    QSpinBox *m_timeout;
    QCheckBox *m_firstInstance;
    QCheckBox *m_rejectRemote;
    QComboBox *m_access;
};

} // namespace PipeScope
