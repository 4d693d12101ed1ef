#include "payloadfetcher.h"
#include "background.h"
#include "payloadreader.h"

#include <memory>
#include <utility>

namespace PipeScope {

PayloadFetcher::PayloadFetcher(TrafficStore *store, QObject *parent)
    : QObject(parent), m_store(store)
{}

void PayloadFetcher::fetch(int channel, const QList<qsizetype> &storeRows, Done done)
{
    cancel(channel);
    m_waiting.append({channel, m_latest.value(channel), storeRows, std::move(done)});
    if (!m_reading)
        readNext();
}

void PayloadFetcher::cancel(int channel)
{
    ++m_latest[channel];
    m_waiting.removeIf([channel](const Request &r) { return r.channel == channel; });
}

void PayloadFetcher::readNext()
{
    if (m_waiting.isEmpty())
        return;
    Request request = m_waiting.takeFirst();
    m_reading = true;
    auto read = [reader = std::make_shared<PayloadReader>(m_store->snapshot()),
                 rows = request.rows] {
        QList<QByteArray> bytes;
        QString error;
        for (qsizetype row : rows) {
            TrafficEvent event;
            if (!reader->read(row, event)) {
                error = reader->error();
                break;
            }
            // A copy of its own: a view into the store is not for another thread.
            bytes.append(QByteArray(event.payload.constData(), event.payload.size()));
        }
        reader->release();
        return std::pair(bytes, error);
    };
    runInBackground(this, std::move(read),
                    [this, request = std::move(request)](const auto &result) {
                        m_reading = false;
                        if (m_latest.value(request.channel) == request.serial)
                            request.done(result.first, result.second);
                        if (!m_reading) // `done` may have asked for more, and started it
                            readNext();
                    });
}

} // namespace PipeScope

#include "moc_payloadfetcher.cpp"
