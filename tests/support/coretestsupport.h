#pragma once

#include <QCoreApplication>
#include <QDir>
#include <QString>
#include <QTemporaryDir>

#include "trafficevent.h"
#include "uniquename.h"

#include <cstdlib>

namespace PipeScopeTest {

// A data event as a worker posts it: one part, no flags.
inline PipeScope::TrafficEvent dataEvent(quint32 endpoint, quint32 instance, PipeScope::Direction direction,
                                         QByteArray payload, qint64 ns)
{
    PipeScope::TrafficEvent e;
    e.timestampNs = ns;
    e.endpoint = endpoint;
    e.instance = instance;
    e.direction = direction;
    e.kind = PipeScope::EventKind::Data;
    e.parts = 1;
    e.payload = std::move(payload);
    return e;
}

// Points XDG_RUNTIME_DIR and TMPDIR at a private directory for the whole
// test process, so no test touches the user's real pipes.
class PrivateRuntime
{
public:
    PrivateRuntime()
    {
        qputenv("XDG_RUNTIME_DIR", m_dir.path().toLocal8Bit());
        qputenv("TMPDIR", m_dir.path().toLocal8Bit());
    }
    QString path() const { return m_dir.path(); }

private:
    QTemporaryDir m_dir{QDir::tempPath() + QStringLiteral("/pscore-XXXXXX")};
};

} // namespace PipeScopeTest
