#pragma once

#include <QListView>

class QItemSelectionModel;

namespace PipeScope {

class TrafficModel;

// One conversation as a chat: each message a bubble with its time and
// size, what this side sent on the right, what came on the left;
// connections and errors between them, in words. It shows the traffic
// table's model and shares its selection, so the filter, pause, clear and
// the selected message's detail are the table's. Every row is as tall as
// any other (a header and two lines of text), so the view never measures
// rows, whatever their count; the whole message is in the detail below.
class ConversationView : public QListView
{
    Q_OBJECT
public:
    ConversationView(TrafficModel *model, QItemSelectionModel *selection, QWidget *parent = nullptr);

    // Scrolled to the newest message, it stays there as messages arrive.
    void showNewest();

private:
    bool m_atEnd = true;
};

// The text a bubble shows for a message's bytes: the text it is, as the
// Preview column decides the encoding (line breaks as ⏎), else its bytes
// in hex.
QString conversationText(QByteArrayView bytes);

} // namespace PipeScope
