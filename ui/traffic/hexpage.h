#pragma once

#include "textencoding.h"

#include <QWidget>

#include <functional>

class QComboBox;
class QLabel;
class QSplitter;
class QTreeWidget;

namespace PipeScope {

class HexView;

// The Hex tab: the dump, where the cursor and selection are (offset and
// length, in hex and decimal), a data inspector reading the bytes at the
// cursor (integers of each width, signed and unsigned, floats, a string
// behind a length prefix; in the byte order chosen), and Copy of the selected
// bytes in the table's copy formats. The inspector sits beside the dump
// and gives way (collapsed) when the pane is too narrow for both, until the
// user moves the divider.
class HexPage : public QWidget
{
    Q_OBJECT
public:
    // `encodingFor` says how Copy as Text decodes the bytes.
    HexPage(std::function<TextEncoding(QByteArrayView)> encodingFor, QWidget *parent = nullptr);

    HexView *hexView() const { return m_hex; }
    QTreeWidget *inspector() const { return m_inspector; }
    QLabel *readout() const { return m_readout; }
    QComboBox *byteOrder() const { return m_order; }

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void addCopyActions();
    void updateReadout();
    void updateInspector();
    void fitInspector();

    std::function<TextEncoding(QByteArrayView)> m_encodingFor;
    HexView *m_hex;
    QTreeWidget *m_inspector;
    QLabel *m_readout;
    QComboBox *m_order;
    QSplitter *m_splitter;
    bool m_userSized = false; // the divider was moved: its place is the user's
};

} // namespace PipeScope
