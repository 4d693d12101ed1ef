#pragma once

#include "pipenamefield.h"

#include <QDialog>

class QDialogButtonBox;
class QLabel;
class QScrollArea;

namespace PipeScope {

// What both dialogs share: OK does not close the dialog but submits it; the
// caller starts the endpoint and either accepts the dialog once it runs or
// shows core's error here, where the user acted, to be fixed and retried.
class EndpointDialog : public QDialog
{
    Q_OBJECT
public:
    explicit EndpointDialog(QWidget *parent = nullptr);

    void showError(const QString &message);
    // While the endpoint starts: inputs locked, "Starting…" shown.
    void setBusy(bool busy, const QString &what = {});

    PipeNameField *nameField() const { return m_name; }
    QLabel *problem() const { return m_problem; }
    // Its text as said (the label's has breaks in long names).
    QString problemText() const;
    QDialogButtonBox *buttons() const { return m_buttons; }

signals:
    void submitted();

protected:
    // A message for m_problem, or empty when the inputs can be submitted.
    virtual QString inputProblem() const = 0;
    void validate();
    // Grows the dialog to fit wrapped text (an error, a resolved path).
    void fitContents();
    QWidget *form() const { return m_form; }
    void showEvent(QShowEvent *event) override;

private:
    int neededHeight(int width) const;

    PipeNameField *m_name;
    QWidget *m_form;
    QScrollArea *m_scroll = nullptr; // holds m_form
    QLabel *m_problem;
    QDialogButtonBox *m_buttons;
    bool m_busy = false;
    bool m_sized = false; // by the first showEvent
    QString m_error; // core's last error, shown until the inputs change
};

} // namespace PipeScope
