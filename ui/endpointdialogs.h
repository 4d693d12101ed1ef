#pragma once

#include "endpointconfig.h"

#include <QDialog>

#include <memory>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QScrollArea;
class QSpinBox;
class QStackedWidget;
class QTableWidget;

namespace PipeScope {

// Shows, as the user types, where a name will be (the socket path, @name or
// \\.\pipe\NAME) or why it cannot be. Used by both dialogs.
class PipeNameField : public QWidget
{
    Q_OBJECT
public:
    explicit PipeNameField(QWidget *parent = nullptr);

    QLineEdit *edit() const { return m_edit; }
    QLabel *resolved() const { return m_resolved; }
    // Where the name leads, as said (the label's has breaks in long names).
    QString resolvedText() const;
    QString name() const;
    void setName(const QString &name);
    // Re-checks under this convention; nullopt: automatic (any convention).
    void setConvention(std::optional<Native::Convention> convention);
    bool isValid() const { return m_valid; }

signals:
    void validityChanged();

private:
    void check();

    QLineEdit *m_edit;
    QLabel *m_resolved;
    std::optional<Native::Convention> m_convention = Native::Convention::PipeScope;
    bool m_valid = false;
};

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

    PipeNameField *m_name;

private:
    int neededHeight(int width) const;

    QWidget *m_form;
    QScrollArea *m_scroll = nullptr; // holds m_form
    QLabel *m_problem;
    QDialogButtonBox *m_buttons;
    bool m_busy = false;
    bool m_sized = false; // by the first showEvent
    QString m_error; // core's last error, shown until the inputs change
};

// A client's settings as rows of a form: the name, where to look for it,
// the read mode, the wait while busy, whom the server must run as.
// Connect Client's form, and a monitor's target.
class ClientRows
{
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

// New Server: everything CreateNamedPipe takes, plus the auto-reply. Its
// defaults reproduce Microsoft's multithreaded pipe server sample. New
// Monitor: the same pipe settings, and instead of the auto-reply the pipe
// each client is passed on to.
class ServerDialog : public EndpointDialog
{
    Q_OBJECT
public:
    enum class Role { Server, Monitor };
    explicit ServerDialog(QWidget *parent = nullptr, Role role = Role::Server);

    Role role() const { return m_role; }

    ServerConfig config() const;
    void setConfig(const ServerConfig &config);

    QComboBox *autoReply() const { return m_autoReply; }
    QLineEdit *fixedReply() const { return m_fixedReply; }
    QTableWidget *rules() const { return m_rules; }
    void addRule(const ReplyRule &rule = {});
    // Role::Monitor: the target's rows, and whether to interpose instead.
    const ClientRows *target() const { return m_target.get(); }
    QCheckBox *interpose() const { return m_interpose; }

protected:
    QString inputProblem() const override;

private:
    void fillChoices();
    void createReplyEditor();
    QWidget *createTargetEditor();
    void layOut();
    const Role m_role;
    QComboBox *m_convention;
    QComboBox *m_type;
    QComboBox *m_readMode;
    QComboBox *m_direction;
    QCheckBox *m_unlimited;
    QSpinBox *m_instances;
    QSpinBox *m_outBuffer;
    QSpinBox *m_inBuffer;
    QSpinBox *m_timeout;
    QCheckBox *m_firstInstance;
    QCheckBox *m_rejectRemote;
    QComboBox *m_access;
    QComboBox *m_autoReply;
    QStackedWidget *m_replyPages;
    QLineEdit *m_fixedReply;
    QTableWidget *m_rules;
    std::unique_ptr<ClientRows> m_target;
    QCheckBox *m_interpose = nullptr;
};

// Connect Client: CreateFile, WaitNamedPipe's time-out, the read mode set
// with SetNamedPipeHandleState, and where to look for the name.
class ClientDialog : public EndpointDialog
{
    Q_OBJECT
public:
    explicit ClientDialog(QWidget *parent = nullptr);

    ClientConfig config() const;
    void setConfig(const ClientConfig &config);

protected:
    QString inputProblem() const override;

private:
    ClientRows m_rows;
};

} // namespace PipeScope
