#include "mainwindow.h"

#include "capturehub.h"
#include "hexview.h"
#include "payload.h"
#include "pipeclient.h"
#include "pipeserver.h"
#include "trafficmodel.h"
#include "trafficstore.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QGuiApplication>
#include <QHeaderView>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QScrollBar>
#include <QSplitter>
#include <QStatusBar>
#include <QTableView>
#include <QToolBar>

namespace PipeScope {

namespace {
constexpr quint32 kSampleServerId = 1;
constexpr quint32 kSampleClientId = 2;
} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent),
      m_hub(new CaptureHub(this)),
      m_store(new TrafficStore(this)),
      m_model(new TrafficModel(m_store, this)),
      m_table(new QTableView(this)),
      m_hex(new HexView(this)),
      m_status(new QLabel(this))
{
    setWindowTitle(tr("PipeScope"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/pipescope.svg")));
    resize(1000, 600);

    connect(m_hub, &CaptureHub::batchReady, m_store, &TrafficStore::append);

    m_table->setModel(m_model);
    // Fixed row heights: the view never measures rows, whatever their count.
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    // Widths from the widest text each column shows, not from the rows:
    // measuring rows would touch every one of them.
    const QFontMetrics metrics = m_table->fontMetrics();
    const auto widthOf = [&](const char *sample) { return metrics.horizontalAdvance(QLatin1String(sample)) + 16; };
    m_table->setColumnWidth(TrafficModel::TimeColumn, widthOf("00:00:00.000000"));
    m_table->setColumnWidth(TrafficModel::DeltaColumn, widthOf("+000.000 ms"));
    m_table->setColumnWidth(TrafficModel::SourceColumn, widthOf("Endpoint"));
    m_table->setColumnWidth(TrafficModel::DirectionColumn, widthOf("out"));
    m_table->setColumnWidth(TrafficModel::KindColumn, widthOf("disconnected"));
    m_table->setColumnWidth(TrafficModel::SizeColumn, widthOf("16777216"));
    m_table->setColumnWidth(TrafficModel::PartsColumn, widthOf("Parts"));
    // The selected message's bytes under the table.
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_table);
    split->addWidget(m_hex);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    setCentralWidget(split);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                m_hex->setData(current.isValid() ? current.data(TrafficModel::PayloadRole).toByteArray()
                                                 : QByteArray());
            });

    // Follow the newest rows only while the user is already at the bottom.
    connect(m_model, &QAbstractItemModel::rowsAboutToBeInserted, this, [this] {
        QScrollBar *bar = m_table->verticalScrollBar();
        m_table->setProperty("followTail", bar->value() == bar->maximum());
    });
    connect(m_model, &QAbstractItemModel::rowsInserted, this, [this] {
        if (m_table->property("followTail").toBool())
            m_table->scrollToBottom();
        updateStatus();
    });

    // Copy the selected message out, in the form the user needs.
    m_table->setContextMenuPolicy(Qt::ActionsContextMenu);
    const struct
    {
        const char *label;
        CopyFormat format;
        QKeySequence shortcut;
    } copies[] = {
        {QT_TR_NOOP("Copy as &Text"), CopyFormat::Text, QKeySequence::Copy},
        {QT_TR_NOOP("Copy as &Hex"), CopyFormat::Hex, QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C)},
        {QT_TR_NOOP("Copy as &C Array"), CopyFormat::CArray, {}},
        {QT_TR_NOOP("Copy as &Base64"), CopyFormat::Base64, {}},
    };
    for (const auto &copy : copies) {
        auto *action = new QAction(tr(copy.label), m_table);
        action->setShortcut(copy.shortcut);
        action->setShortcutContext(Qt::WidgetShortcut);
        action->setObjectName(QStringLiteral("copy%1").arg(int(copy.format)));
        const CopyFormat format = copy.format;
        connect(action, &QAction::triggered, this, [this, format] {
            const QModelIndex current = m_table->currentIndex();
            if (current.isValid())
                QGuiApplication::clipboard()->setText(
                    formatPayload(current.data(TrafficModel::PayloadRole).toByteArray(), format));
        });
        m_table->addAction(action);
    }

    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *sample = file->addAction(tr("Try the &Sample"), this, &MainWindow::startSample);
    sample->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_T));
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), qApp, &QApplication::closeAllWindows);
    quit->setShortcut(QKeySequence::Quit);
    QToolBar *tools = addToolBar(tr("Main"));
    tools->setObjectName(QStringLiteral("mainToolBar"));
    tools->addAction(sample);

    statusBar()->addPermanentWidget(m_status);
    updateStatus();
}

MainWindow::~MainWindow()
{
    // Endpoints first: their threads post to the hub until they are joined,
    // and the hub and store are children destroyed after them otherwise.
    delete m_client;
    delete m_server;
    m_hub->flush();
}

void MainWindow::startSample()
{
    if (m_server)
        return;
    m_server = new PipeServer(kSampleServerId, m_hub, this);
    m_client = new PipeClient(kSampleClientId, m_hub, this);
    ServerConfig server;
    server.autoReply = AutoReply::Fixed;
    server.replyBytes = QByteArrayLiteral("Default answer from server");
    connect(m_server, &PipeServer::errorOccurred, this, [this](const QString &message) {
        QMessageBox::warning(this, tr("Sample server"), message);
    });
    connect(m_server, &PipeServer::listening, this, [this] {
        ClientConfig client;
        m_client->open(client);
    });
    connect(m_client, &PipeClient::errorOccurred, this, [this](const QString &message) {
        statusBar()->showMessage(message, 10000);
    });
    connect(m_client, &PipeClient::connected, this, [this] {
        m_client->send(QByteArrayLiteral("Default message from client"));
    });
    m_server->start(server);
}

void MainWindow::updateStatus()
{
    m_status->setText(tr("%n event(s)", nullptr, int(m_store->count())));
}

} // namespace PipeScope
