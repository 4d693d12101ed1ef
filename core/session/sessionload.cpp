#include "sessionload.h"

#include "trafficstore.h"

namespace PipeScope {

SessionLoad loadSession(QIODevice *device, TrafficStore &store, std::size_t maxPayload)
{
    constexpr qsizetype kBatch = 4096;
    SessionLoad load;
    SessionReader reader(device, maxPayload);
    if (!reader.readHeader(load.header)) {
        load.error = reader.error();
        return load;
    }
    TrafficBatch batch;
    batch.reserve(kBatch);
    TrafficEvent event;
    for (;;) {
        const SessionReader::Status status = reader.next(event);
        if (status == SessionReader::Status::Event) {
            batch.append(std::move(event));
            if (batch.size() == kBatch) {
                store.append(batch);
                load.events += batch.size();
                batch.clear();
            }
            continue;
        }
        store.append(batch);
        load.events += batch.size();
        load.header.endpoints += reader.declaredEndpoints();
        if (status == SessionReader::Status::Error) {
            load.error = reader.error();
            return load;
        }
        if (status == SessionReader::Status::Truncated)
            load.warning = reader.error();
        load.ok = true;
        return load;
    }
}

} // namespace PipeScope
