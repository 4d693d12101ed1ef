#pragma once

#include <QCoreApplication>
#include <QDir>
#include <QString>
#include <QTemporaryDir>

#include "trafficevent.h"
#include "trafficstore.h"
#include "uniquename.h"

#include <cstdlib>
#include <optional>

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

// The events of one endpoint in a store, of a kind (data by default) and,
// if given, a direction.
inline QList<PipeScope::TrafficEvent> eventsOf(const PipeScope::TrafficStore &store, quint32 endpoint,
                                               std::optional<PipeScope::EventKind> kind = PipeScope::EventKind::Data,
                                               std::optional<PipeScope::Direction> direction = std::nullopt)
{
    QList<PipeScope::TrafficEvent> out;
    for (qsizetype i = 0; i < store.count(); ++i) {
        const auto &r = store.record(i);
        if (r.endpoint == endpoint && (!kind || r.kind == *kind) && (!direction || r.direction == *direction))
            out << store.eventAt(i);
    }
    return out;
}

// `size` bytes that differ from message to message (by `seed`).
inline QByteArray pattern(qsizetype size, int seed)
{
    QByteArray out(size, Qt::Uninitialized);
    quint32 x = quint32(seed) * 2654435761u + 1;
    for (qsizetype i = 0; i < size; ++i) {
        x = x * 1664525u + 1013904223u;
        out[i] = char(x >> 24);
    }
    return out;
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
