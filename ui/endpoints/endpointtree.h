#pragma once

#include <QStackedWidget>

class QTreeView;

namespace PipeScope {

class EndpointModel;

// The Endpoints dock's contents: the tree of endpoints and their
// instances, or, while there is none, what to do (each step a link). The
// name takes the room left, elided in its middle; the other columns are as
// wide as what they show and go, counts first, when even their headers do
// not fit; the peer's column waits in the header's menu. A click (or the
// arrow keys) asks for a preview of the row, a double-click or Enter for
// a tab of its own; select() follows the current tab without asking.
class EndpointTree : public QStackedWidget
{
    Q_OBJECT
public:
    EndpointTree(EndpointModel *model, QWidget *parent);

    QTreeView *view() const { return m_tree; }
    // Selects the row of this endpoint or instance (none: clears), as the
    // current tab changes; no preview is asked for.
    void select(quint32 endpoint, quint32 instance);
    void clearSelection();

signals:
    void previewRequested(quint32 endpoint, quint32 instance);
    void openRequested(quint32 endpoint, quint32 instance);
    // The empty tree's links.
    void newServerRequested();
    void connectClientRequested();
    void sampleRequested();

private:
    QWidget *createEmptyNote();
    void showTreeIfAny();

    EndpointModel *m_model;
    QTreeView *m_tree;
    bool m_selecting = false; // select() at work: no preview
};

} // namespace PipeScope
