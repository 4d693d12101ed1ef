#pragma once

#include "replayclient.h"
#include "replycomparer.h"
#include "sessionformat.h"

#include <QDialog>

#include <atomic>
#include <memory>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QRadioButton;
class QTableView;
class QSpinBox;

namespace PipeScope {

class HexView;
class PipeNameField;
class Workspace;

class ReplayInWindow;
class ReplayResults;
class ReplayServer;
class ReplaySource;

// Replays a session's conversations (or the messages chosen from them) in
// either role: as a client to a server, checking its replies, or as a
// server answering clients with the recorded replies, checking what they
// send. The session is the window's capture, or a file opened here
// (ReplaySource). Each message, what was recorded and what came now, side
// by side, and a summary. A client replay runs in a thread of its own; a server
// replay in the server's threads.
class ReplayDialog : public QDialog
{
    Q_OBJECT
public:
    enum class Role { Client, Server };

    // `rows`: the store rows of the messages to replay; empty: all of them.
    // The replay's own traffic is shown in `workspace`'s window as an
    // endpoint of its own, unless the workspace is a recorded one.
    explicit ReplayDialog(Workspace *workspace, const QList<qsizetype> &rows = {}, QWidget *parent = nullptr);
    ~ReplayDialog() override;

    // The session's conversations, once read (ready()).
    bool isReady() const;
    const QList<ReplayScript> &scripts() const;
    void setRole(Role role);
    Role role() const;
    QComboBox *conversation() const { return m_conversation; }
    QSpinBox *repeat() const { return m_repeat; }
    PipeNameField *target() const { return m_target; }
    QCheckBox *check() const { return m_check; }
    QRadioButton *asFastAsPossible() const { return m_fast; }
    QPushButton *startButton() const { return m_start; }
    QTableView *results() const { return m_results; }
    ReplayResults *resultModel() const { return m_model; }
    QLabel *summary() const { return m_summary; }
    HexView *expectedView() const { return m_expected; }
    HexView *gotView() const { return m_got; }

    // Past this many messages a client replay asks before it starts.
    static constexpr qsizetype kAskAbove = 10000;

public slots:
    void start();
    // Replays the session saved in this file instead: read off the GUI
    // thread; ready() follows (with the reason in the summary if it could
    // not be read).
    void openFile(const QString &path);

signals:
    // The session's conversations are read: Start can be pressed.
    void ready();
    void finished(bool ok);

private:
    void fillChoices();
    void createResultsTable();
    void layOut();
    void targetRecordedServer(const SessionHeader &header);
    void run(const QList<ReplayScript> &scripts, const ReplyComparer &comparer, const Native::PipeName &pipe);
    // The source's conversations, once read, as the choices.
    void showScripts();
    // What the replay runs as, for the window (ReplayInWindow).
    SessionEndpoint replaySide(const QList<ReplayScript> &scripts) const;
    void startClient(const QList<ReplayScript> &scripts, const Native::PipeName &pipe);
    void startServer(const QList<ReplayScript> &scripts);
    void done(const QString &error);
    void showRow(int row);
    void updateInputs();

    ReplaySource *m_source;
    ReplayInWindow *m_inWindow;
    QFormLayout *m_form = nullptr;
    QComboBox *m_role;
    QComboBox *m_conversation;
    PipeNameField *m_target;
    QComboBox *m_convention;
    QRadioButton *m_original;
    QRadioButton *m_scaled;
    QRadioButton *m_fast;
    QDoubleSpinBox *m_speed;
    QSpinBox *m_repeat;
    QCheckBox *m_check;
    QLineEdit *m_ignore;
    QPushButton *m_start;
    QTableView *m_results;
    ReplayResults *m_model;
    HexView *m_expected;
    HexView *m_got;
    QLabel *m_summary;
    QPushButton *m_openFile = nullptr;

    std::shared_ptr<std::atomic<bool>> m_cancel;
    ReplayServer *m_server = nullptr; // while replaying as a server
    bool m_running = false;
    bool m_stopAsked = false; // Stop was pressed, here or in the window
    bool m_followTail = true;
};

} // namespace PipeScope
