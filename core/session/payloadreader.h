#pragma once

#include "sessionformat.h"
#include "trafficstore.h"

#include <QFile>

#include <memory>

namespace PipeScope {

// Reads a snapshot's rows with their bytes: those the store kept, from
// memory; those it let go of past its limit (NotKept), from its backing
// file, each checked against its record, so that a file changed since says
// so rather than give other bytes. For one background job at a time
// (saving, copying, building a replay, showing a message): it reads files,
// so never on the GUI thread. Rows read in file order are streamed; a step
// back reopens the file at the row's line.
class PayloadReader
{
public:
    explicit PayloadReader(TrafficStore::Snapshot snapshot);
    ~PayloadReader();
    PayloadReader(const PayloadReader &) = delete;
    PayloadReader &operator=(const PayloadReader &) = delete;

    const TrafficStore::Snapshot &snapshot() const { return m_snapshot; }

    // The row's event with its bytes: a view into the store for one kept
    // in memory, a copy of its own for one read back. False, with error()
    // naming the file, the row's time and what is wrong, when the backing
    // file does not hold it (any more).
    bool read(qsizetype row, TrafficEvent &event);
    QString error() const { return m_error; }

    // Lets the snapshot go (the store may then be cleared or deleted).
    void release();

private:
    bool fail(const TrafficStore::Record &record, const QString &why);

    TrafficStore::Snapshot m_snapshot;
    QFile m_file;
    std::unique_ptr<SessionReader> m_reader;
    QString m_error;
};

} // namespace PipeScope
