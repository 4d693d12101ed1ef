#pragma once

#include <QMainWindow>

class QLabel;
class QTableView;

namespace PipeScope {

class CaptureHub;
class PipeClient;
class PipeServer;
class TrafficModel;
class TrafficStore;

// The inspector's main window. For now: the live traffic table and the
// sample scenario (server and client from Microsoft's named pipe sample).
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    TrafficStore *store() const { return m_store; }
    class HexView *hexView() const { return m_hex; }
    QTableView *trafficTable() const { return m_table; }

    // Starts the sample server and, once it listens, a client that sends the
    // sample's message.
    void startSample();

private:
    void updateStatus();

    CaptureHub *m_hub;
    TrafficStore *m_store;
    TrafficModel *m_model;
    QTableView *m_table;
    class HexView *m_hex;
    QLabel *m_status;
    PipeServer *m_server = nullptr;
    PipeClient *m_client = nullptr;
};

} // namespace PipeScope
