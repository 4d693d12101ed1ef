#include "tableactions.h"
#include "copyformat.h"
#include "messagedetailview.h"
#include "payloadfetcher.h"
#include "trafficmodel.h"
#include "trafficstore.h"
#include "units.h"
#include "workspace.h"

#include <QAction>
#include <QClipboard>
#include <QGuiApplication>
#include <QShortcut>
#include <QTableView>

#include <algorithm>

namespace PipeScope {

TableActions::TableActions(Workspace *workspace, QTableView *table, TrafficModel *model,
                           MessageDetailView *detail)
    : QObject(table), m_workspace(workspace), m_table(table), m_model(model), m_detail(detail),
      m_fetcher(new PayloadFetcher(workspace->store(), this))
{
    m_table->setContextMenuPolicy(Qt::ActionsContextMenu);
    addEndKeys();
    addCopies();
    auto *separator = new QAction(m_table);
    separator->setSeparator(true);
    m_table->addAction(separator);
    addHandOvers();
    addSendAndEdit();
}

void TableActions::addEndKeys()
{
    // Ctrl+Home/Ctrl+End select the first and last message, so the panes
    // show it (with Ctrl, an extended selection only moves the current row).
    for (const bool last : {false, true}) {
        auto *end =
            new QShortcut(QKeySequence(Qt::CTRL | (last ? Qt::Key_End : Qt::Key_Home)), m_table);
        end->setContext(Qt::WidgetShortcut);
        connect(end, &QShortcut::activated, this, [this, last] {
            if (const int rows = m_model->rowCount(); rows > 0) {
                m_table->selectRow(last ? rows - 1 : 0);
                m_table->scrollTo(m_table->currentIndex());
            }
        });
    }
}

void TableActions::addCopies()
{
    // Copy the selected message out, in the form the user needs.
    const struct
    {
        const char *label;
        CopyFormat format;
        QKeySequence shortcut;
    } copies[] = {
        {QT_TR_NOOP("Copy as &Text"), CopyFormat::Text, QKeySequence::Copy},
        {QT_TR_NOOP("Copy as &Hex"), CopyFormat::Hex,
         QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C)},
        {QT_TR_NOOP("Copy as &C Array"), CopyFormat::CArray, {}},
        {QT_TR_NOOP("Copy as &Base64"), CopyFormat::Base64, {}},
    };
    for (const auto &copy : copies) {
        auto *action = new QAction(tr(copy.label), m_table);
        action->setShortcut(copy.shortcut);
        action->setShortcutContext(Qt::WidgetShortcut);
        action->setObjectName(QStringLiteral("copy%1").arg(int(copy.format)));
        const int format = int(copy.format);
        connect(action, &QAction::triggered, this, [this, format] { copySelected(format); });
        m_table->addAction(action);
    }
}

void TableActions::addHandOvers()
{
    const auto onSelection = [this](const QString &text, const char *name, const QString &tip,
                                    void (TableActions::*request)(const QList<qsizetype> &)) {
        auto *action = new QAction(text, m_table);
        action->setObjectName(QLatin1String(name));
        action->setToolTip(tip);
        connect(action, &QAction::triggered, this, [this, request] {
            QList<qsizetype> rows;
            for (int row : selectedRows())
                rows.append(m_model->storeRow(row));
            if (!rows.isEmpty())
                emit(this->*request)(rows);
        });
        m_table->addAction(action);
    };
    onSelection(tr("&Replay Selected Messages…"), "replaySelected",
                tr("Replay the selected messages a client sent, as a client or as a server"),
                &TableActions::replayRequested);
    onSelection(tr("E&xport Selected…"), "exportSelected",
                tr("Write the selected rows to a file: CSV, text as pipescope serve prints it, or "
                   "the messages' "
                   "raw bytes"),
                &TableActions::exportRequested);
}

void TableActions::addSendAndEdit()
{
    // The selected messages again, on the connections they were captured on.
    auto *sendAgain = new QAction(tr("&Send Again"), m_table);
    sendAgain->setObjectName(QStringLiteral("sendAgain"));
    // Ctrl+R and Ctrl+Shift+R are the window's Restart and Replay.
    sendAgain->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
    sendAgain->setShortcutContext(Qt::WidgetShortcut);
    sendAgain->setToolTip(
        tr("Send the selected messages again, each on the connection it was captured on, "
           "whichever way it went"));
    connect(sendAgain, &QAction::triggered, this, &TableActions::sendSelectedAgain);
    m_table->addAction(sendAgain);
    auto *edit = new QAction(tr("Edit in C&omposer"), m_table);
    edit->setObjectName(QStringLiteral("editInComposer"));
    edit->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Return));
    edit->setShortcutContext(Qt::WidgetShortcut);
    edit->setToolTip(
        tr("Put the selected message into the composer of its connection, as you would type it, "
           "to change it and send it"));
    connect(edit, &QAction::triggered, this, &TableActions::editSelectedInComposer);
    m_table->addAction(edit);
}

QList<int> TableActions::selectedRows() const
{
    QList<int> rows;
    const QItemSelectionModel *selection = m_table->selectionModel();
    if (!selection)
        return rows;
    // Ranges, not indexes: a selection of a million rows is one range.
    for (const QItemSelectionRange &range : selection->selection())
        for (int row = range.top(); row <= range.bottom(); ++row)
            rows.append(row);
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    return rows;
}

QList<TableActions::Captured> TableActions::selectedMessages() const
{
    QList<Captured> messages;
    for (int row : selectedRows()) {
        const qsizetype storeRow = m_model->storeRow(row);
        const TrafficEvent event = m_workspace->store()->eventAt(storeRow);
        if (event.kind == EventKind::Data)
            messages.append({storeRow, event.endpoint, event.instance});
    }
    return messages;
}

void TableActions::sendSelectedAgain()
{
    const QList<Captured> messages = selectedMessages();
    if (messages.isEmpty()) {
        emit message(tr("Nothing sent: select a message (not a connection event)"));
        return;
    }
    // Each connection must be able to send now; asked again as each is sent.
    for (const Captured &m : messages) {
        const QString why = m_workspace->sendBlocker(m.endpoint, m.instance);
        if (!why.isEmpty()) {
            emit message(tr("Nothing sent: %1: %2").arg(m_workspace->label(m.endpoint), why));
            return;
        }
    }
    QList<qsizetype> rows;
    for (const Captured &m : messages)
        rows.append(m.storeRow);
    m_fetcher->fetch(
        SendChannel, rows, [this, messages](const QList<QByteArray> &bytes, const QString &error) {
            if (!error.isEmpty()) {
                emit message(tr("Nothing sent: %1").arg(error));
                return;
            }
            qsizetype sent = 0;
            while (sent < bytes.size() &&
                   m_workspace->send(messages[sent].endpoint, messages[sent].instance, bytes[sent]))
                ++sent;
            emit message(tr("Sent %1 again").arg(counted(sent, tr("message"), tr("messages"))));
        });
}

void TableActions::editSelectedInComposer()
{
    const QList<Captured> messages = selectedMessages();
    if (messages.isEmpty()) {
        emit message(tr("Select a message (not a connection event) to edit it"));
        return;
    }
    const Captured first = messages.first();
    m_fetcher->fetch(ComposeChannel, {first.storeRow},
                     [this, first](const QList<QByteArray> &bytes, const QString &error) {
                         if (!error.isEmpty())
                             emit message(tr("Cannot read the message: %1").arg(error));
                         else
                             emit composeRequested(first.endpoint, first.instance, bytes.value(0));
                     });
}

void TableActions::copySelected(int format)
{
    // Each selected message in the chosen form, one per line.
    const QList<int> rows = selectedRows();
    const auto copy = [this, format](const QList<QByteArray> &payloads) {
        QStringList parts;
        for (const QByteArray &bytes : payloads)
            parts << formatPayload(bytes, CopyFormat(format), m_detail->encodingFor(bytes));
        if (!parts.isEmpty())
            QGuiApplication::clipboard()->setText(parts.join(QLatin1Char('\n')));
    };
    QList<QByteArray> payloads;
    QList<qsizetype> storeRows;
    bool onDisk = false;
    for (int row : rows) {
        const QModelIndex index = m_model->index(row, 0);
        onDisk = onDisk || index.data(TrafficModel::NotKeptRole).toBool();
        storeRows.append(index.data(TrafficModel::StoreRowRole).value<qsizetype>());
        if (!onDisk)
            payloads.append(index.data(TrafficModel::PayloadRole).toByteArray());
    }
    if (!onDisk) {
        copy(payloads);
        return;
    }
    // Some are on disk only: all are read in the background, then copied.
    emit message(
        tr("Reading %1 to copy…").arg(counted(storeRows.size(), tr("message"), tr("messages"))));
    m_fetcher->fetch(
        CopyChannel, storeRows, [this, copy](const QList<QByteArray> &bytes, const QString &error) {
            if (!error.isEmpty()) {
                emit message(tr("Nothing copied: %1").arg(error));
                return;
            }
            copy(bytes);
            emit message(tr("Copied %1").arg(counted(bytes.size(), tr("message"), tr("messages"))));
        });
}

} // namespace PipeScope

#include "moc_tableactions.cpp"
