#pragma once

#include "payloadinput.h"

#include <QStringList>
#include <QWidget>

#include <optional>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTimer;

namespace PipeScope {

class Workspace;

// Writes messages for one client or one server instance: text, hex or C
// escapes, in UTF-8, UTF-16LE or Latin-1, with an optional trailing NUL (as
// the sample client sends (lstrlen + 1) * sizeof(TCHAR)), or a file's bytes.
// Up/Down walk the history; a message can repeat N times at an interval.
// When sending is impossible the button is disabled and says why.
class Composer : public QWidget
{
    Q_OBJECT
public:
    Composer(Workspace *workspace, quint32 endpoint, quint32 instance, QWidget *parent = nullptr);

    QLineEdit *input() const { return m_input; }
    void focusInput(Qt::FocusReason reason);
    QPushButton *sendButton() const { return m_send; }
    QLabel *statusLabel() const { return m_status; }
    void setFormat(InputFormat format);
    void setEncoding(TextEncoding encoding);
    void setTrailingNul(bool on);
    void setRepeat(int count, int intervalMs);
    // These bytes, as a person would type them (typedInputFor()), in the
    // input with the format, encoding and trailing NUL that send them
    // exactly; the input takes the focus.
    void setPayload(const QByteArray &bytes);
    // Sends a file's bytes instead of the input (read off the GUI thread).
    void loadFile(const QString &path);

    // The bytes Send would send now, or an error in words.
    std::optional<QByteArray> payload(QString *error) const;
    const QStringList &history() const { return m_history; }

public slots:
    void send();
    void updateState();

signals:
    void fileLoaded(const QString &path, qsizetype size);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void sendOne();
    void stopRepeat();
    void browseFile();
    void clearFile();
    EncodeOptions options() const;
    // The format was switched: the input, typed anew in it.
    void convertInput();

    Workspace *m_workspace;
    const quint32 m_endpoint;
    const quint32 m_instance;
    QComboBox *m_format;
    QComboBox *m_encoding;
    QCheckBox *m_nul;
    QLineEdit *m_input;
    QPushButton *m_file;
    QSpinBox *m_count;
    QSpinBox *m_interval;
    QPushButton *m_send;
    QLabel *m_status;
    QTimer *m_repeat;
    InputFormat m_shownFormat = InputFormat::Text; // the input's format as it is typed now
    QString m_converted; // a switch that could not give the format chosen says why

    std::optional<QByteArray> m_fileBytes;
    QString m_fileName;
    QByteArray m_repeating;
    int m_remaining = 0;
    QStringList m_history;
    int m_historyAt = 0; // == size(): editing a new line
    QString m_draft;
};

} // namespace PipeScope
