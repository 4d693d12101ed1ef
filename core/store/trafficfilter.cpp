#include "trafficfilter.h"

#include "payloadinput.h"

namespace PipeScope {

bool TrafficFilter::set(Mode mode, const QString &pattern, int directions, QString *error)
{
    TrafficFilter next;
    next.m_mode = mode;
    next.m_pattern = pattern;
    next.m_directions = directions & ShowAll;
    if (!pattern.isEmpty()) {
        switch (mode) {
        case Mode::Text: {
            const QByteArray utf8 = pattern.toUtf8();
            const QByteArray utf16 = encodeText(pattern, TextEncoding::Utf16Le);
            next.m_first.setPattern(utf8);
            next.m_second.setPattern(utf16);
            next.m_hasSecond = true;
            break;
        }
        case Mode::Hex: {
            QByteArray bytes;
            QString why;
            EncodeOptions options;
            options.format = InputFormat::Hex;
            if (!encodePayload(pattern, options, bytes, &why)) {
                if (error)
                    *error = why;
                return false;
            }
            next.m_first.setPattern(bytes);
            break;
        }
        case Mode::Regex:
            next.m_regex.setPattern(pattern);
            if (!next.m_regex.isValid()) {
                if (error)
                    *error = QStringLiteral("regex: %1 at position %2")
                                 .arg(next.m_regex.errorString())
                                 .arg(next.m_regex.patternErrorOffset());
                return false;
            }
            next.m_regex.optimize();
            break;
        }
    }
    *this = std::move(next);
    return true;
}

bool TrafficFilter::showsKind(Direction direction, EventKind kind) const
{
    const int flag = kind != EventKind::Data ? ShowEvents : direction == Direction::In ? ShowIn : ShowOut;
    return m_directions & flag;
}

bool TrafficFilter::matches(Direction direction, EventKind kind, QByteArrayView payload) const
{
    if (!showsKind(direction, kind))
        return false;
    if (m_pattern.isEmpty())
        return true;
    if (kind != EventKind::Data)
        return false;
    switch (m_mode) {
    case Mode::Text:
    case Mode::Hex: {
        const char *data = payload.data();
        const qsizetype size = payload.size();
        if (m_first.indexIn(data, size) >= 0)
            return true;
        return m_hasSecond && m_second.indexIn(data, size) >= 0;
    }
    case Mode::Regex:
        return m_regex.match(QString::fromUtf8(payload)).hasMatch();
    }
    return false;
}

} // namespace PipeScope
