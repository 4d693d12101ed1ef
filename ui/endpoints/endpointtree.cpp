#include "endpointtree.h"
#include "columnfitter.h"
#include "columnmenu.h"
#include "elidedelegate.h"
#include "endpointmodel.h"
#include "settingskeys.h"

#include <QHeaderView>
#include <QLabel>
#include <QTreeView>

namespace PipeScope {

EndpointTree::EndpointTree(EndpointModel *model, QWidget *parent)
    : QStackedWidget(parent), m_model(model), m_tree(new QTreeView(this))
{
    m_tree->setObjectName(QStringLiteral("endpointTree"));
    m_tree->setModel(m_model);
    m_tree->setUniformRowHeights(true);
    m_tree->setAllColumnsShowFocus(true);
    // The endpoint's name takes the room left, at least half, elided in its
    // middle (the instance and the end of a path tell most); the state, counts and
    // peer are as wide as what they show, the widest giving way first.
    m_tree->setItemDelegateForColumn(EndpointModel::NameColumn,
                                     new ElideDelegate(Qt::ElideMiddle, m_tree));
    auto *fitter = new ColumnFitter(m_tree, m_tree->header(), EndpointModel::NameColumn, 2,
                                    ColumnFitter::Shrink::WidestFirst);
    // The peer is in each row's tooltip: its column waits to be asked for
    // (the header's menu), leaving a narrow dock to the rest.
    addColumnMenu(m_tree->header(), SettingsKeys::kTreeHiddenColumns, {EndpointModel::PeerColumn},
                  fitter);
    // Short of room, the counts go before the state.
    fitter->setDropOrder(
        {EndpointModel::PeerColumn, EndpointModel::BytesColumn, EndpointModel::MessagesColumn});
    fitter->followContents();
    // The window adds its actions on the selected row: the context menu.
    m_tree->setContextMenuPolicy(Qt::ActionsContextMenu);
    addWidget(createEmptyNote());
    addWidget(m_tree);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &EndpointTree::showTreeIfAny);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &EndpointTree::showTreeIfAny);
    showTreeIfAny();
    const auto ids = [](const QModelIndex &index) {
        return std::pair(index.data(EndpointModel::EndpointRole).toUInt(),
                         index.data(EndpointModel::InstanceRole).toUInt());
    };
    connect(m_tree->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this, ids](const QModelIndex &current) {
                if (current.isValid() && !m_selecting) {
                    const auto [endpoint, instance] = ids(current);
                    emit previewRequested(endpoint, instance);
                }
            });
    connect(m_tree, &QTreeView::activated, this, [this, ids](const QModelIndex &index) {
        const auto [endpoint, instance] = ids(index);
        emit openRequested(endpoint, instance);
    });
    // An instance that connects shows under its server.
    connect(m_model, &QAbstractItemModel::rowsInserted, this, [this](const QModelIndex &under) {
        if (under.isValid())
            m_tree->expand(under);
    });
}

QWidget *EndpointTree::createEmptyNote()
{
    // No endpoint yet: the dock says what to do, each step a link.
    auto *empty = new QLabel(this);
    empty->setObjectName(QStringLiteral("noEndpoints"));
    empty->setWordWrap(true);
    empty->setAlignment(Qt::AlignCenter);
    empty->setMargin(16);
    empty->setTextFormat(Qt::RichText);
    empty->setText(tr(
        "<p>No endpoints yet.</p>"
        "<p><a href=\"server\">New Server…</a> (Ctrl+N) creates a pipe and waits for clients;<br>"
        "<a href=\"client\">Connect Client…</a> (Ctrl+Shift+N) connects to a pipe;<br>"
        "<a href=\"sample\">Try the Sample</a> (Ctrl+T) starts both and shows their "
        "messages.</p>"));
    connect(empty, &QLabel::linkActivated, this, [this](const QString &link) {
        if (link == QLatin1String("server"))
            emit newServerRequested();
        else if (link == QLatin1String("client"))
            emit connectClientRequested();
        else
            emit sampleRequested();
    });
    return empty;
}

void EndpointTree::showTreeIfAny()
{
    setCurrentIndex(m_model->rowCount() > 0 ? 1 : 0);
}

void EndpointTree::select(quint32 endpoint, quint32 instance)
{
    const QModelIndex row = m_model->indexFor(endpoint, instance);
    if (!row.isValid()) {
        clearSelection();
        return;
    }
    m_selecting = true;
    m_tree->selectionModel()->setCurrentIndex(row, QItemSelectionModel::ClearAndSelect |
                                                       QItemSelectionModel::Rows);
    m_selecting = false;
}

void EndpointTree::clearSelection()
{
    m_selecting = true;
    m_tree->selectionModel()->clear();
    m_selecting = false;
}

} // namespace PipeScope

#include "moc_endpointtree.cpp"
