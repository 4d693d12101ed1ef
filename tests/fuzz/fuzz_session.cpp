// libFuzzer target for the session loader: whatever the bytes, reading ends
// in events, a clean end, or an error that names its line. Never a crash,
// a hang, or memory out of bounds (built with AddressSanitizer and UBSan).
#include "sessionformat.h"

#include <QBuffer>

#include <cstdint>
#include <cstdlib>

using namespace PipeScope;

namespace {
// A small limit, so that the size checks are reached by small inputs.
constexpr std::size_t kMaxPayload = 4096;

void require(bool condition)
{
    if (!condition)
        std::abort();
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::ReadOnly);
    SessionReader reader(&buffer, kMaxPayload);
    SessionHeader header;
    if (!reader.readHeader(header)) {
        require(reader.error().startsWith(QLatin1String("line 1: ")));
        return 0;
    }
    TrafficEvent event;
    qint64 events = 0;
    for (;;) {
        const SessionReader::Status status = reader.next(event);
        if (status == SessionReader::Status::Event) {
            require(std::size_t(event.payload.size()) <= kMaxPayload);
            // What was read writes back and reads again the same.
            QByteArray line = encodeSessionEvent(event) + '\n';
            QByteArray again = encodeSessionHeader({}) + '\n' + line;
            QBuffer second(&again);
            second.open(QIODevice::ReadOnly);
            SessionReader check(&second, kMaxPayload);
            SessionHeader h;
            TrafficEvent back;
            require(check.readHeader(h));
            require(check.next(back) == SessionReader::Status::Event);
            require(back.payload == event.payload && back.timestampNs == event.timestampNs &&
                    back.endpoint == event.endpoint && back.instance == event.instance &&
                    back.direction == event.direction && back.kind == event.kind && back.flags == event.flags);
            ++events;
            continue;
        }
        if (status != SessionReader::Status::End)
            require(reader.error().startsWith(QLatin1String("line ")));
        return 0;
    }
}
