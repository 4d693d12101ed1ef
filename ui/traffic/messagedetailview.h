#pragma once

#include "textencoding.h"

#include <QByteArray>
#include <QTabWidget>

class QComboBox;
class QPlainTextEdit;

namespace PipeScope {

class HexPage;
class HexView;

// The selected message, below the table: its bytes in the Hex tab (with
// the cursor's offset and a data inspector: HexPage), and in
// the Text tab decoded in the encoding chosen ("Automatic": UTF-16LE where
// the message looks like it, as the Preview column decides, else UTF-8;
// binary is said to be binary rather than decoded to garbage). An event
// that carries no message (a connection, an error) is said in words.
class MessageDetailView : public QTabWidget
{
    Q_OBJECT
public:
    explicit MessageDetailView(QWidget *parent = nullptr);

    HexView *hexView() const { return m_hex; }
    HexPage *hexPage() const { return m_hexPage; }
    QPlainTextEdit *textView() const { return m_text; }
    QComboBox *encodingChoice() const { return m_encoding; }

    // Nothing selected.
    void showNothing();
    // A message's bytes.
    void showMessage(const QByteArray &bytes);
    // A message whose bytes are being read from `file`.
    void showReading(const QString &file);
    // A message that could not be read, and why.
    void showUnreadable(const QString &error);
    // An event that is not a message: its kind, and what it says.
    void showOtherEvent(const QString &kind, const QString &text);

    // The encoding the Text tab uses for these bytes: the one chosen, or
    // under Automatic the one they look like (copies use it too).
    TextEncoding encodingFor(QByteArrayView bytes) const;
    // Shows the Hex tab and gives it the keyboard.
    void focusHex();

private:
    void updateText();

    HexPage *m_hexPage; // the Hex tab
    HexView *m_hex;     // its dump
    QPlainTextEdit *m_text;
    QComboBox *m_encoding;
    QString m_eventText;                  // the Text tab's words for a selected non-data event
    static constexpr int kAutomatic = -1; // m_encoding's data for Automatic
};

} // namespace PipeScope
