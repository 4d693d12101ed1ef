#pragma once

#include "replay.h"

#include <QDialog>

#include <atomic>
#include <memory>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QRadioButton;
class QSpinBox;
class QTableWidget;

namespace PipeScope {

class HexView;
class PipeNameField;
class Workspace;

// Replays a session's conversations to a server, as a client, and checks
// the replies: each message, what was recorded and what came back, side by
// side, and a summary. The replay runs in a thread of its own.
class ReplayDialog : public QDialog
{
    Q_OBJECT
public:
    explicit ReplayDialog(const Workspace *workspace, QWidget *parent = nullptr);
    ~ReplayDialog() override;

    PipeNameField *target() const { return m_target; }
    QCheckBox *check() const { return m_check; }
    QRadioButton *asFastAsPossible() const { return m_fast; }
    QPushButton *startButton() const { return m_start; }
    QTableWidget *results() const { return m_results; }
    QLabel *summary() const { return m_summary; }
    HexView *expectedView() const { return m_expected; }
    HexView *gotView() const { return m_got; }

public slots:
    void start();

signals:
    void finished(bool ok);

private:
    void addExchange(const ReplayExchange &exchange);
    void done(const QString &error);
    void showRow(int row);

    QList<ReplayScript> m_scripts;
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
    QTableWidget *m_results;
    HexView *m_expected;
    HexView *m_got;
    QLabel *m_summary;

    ReplyComparer m_comparer;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    QList<ReplayExchange> m_exchanges;
    qint64 m_matched = 0;
    qint64 m_differed = 0;
    bool m_running = false;
};

} // namespace PipeScope
