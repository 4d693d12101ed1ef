#include "trafficfilter.h"

#include "payloadinput.h"
#include "textencoding.h"

#include <algorithm>

namespace PipeScope {

namespace {

char lowerAscii(char c)
{
    return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c;
}

// Whether `needle` (lower case) occurs in `haystack` with its ASCII
// letters in either case.
bool containsFolded(QByteArrayView haystack, QByteArrayView needle)
{
    if (needle.isEmpty())
        return true;
    const char first = needle[0];
    for (qsizetype at = 0; at + needle.size() <= haystack.size(); ++at) {
        if (lowerAscii(haystack[at]) != first)
            continue;
        qsizetype i = 1;
        while (i < needle.size() && lowerAscii(haystack[at + i]) == needle[i])
            ++i;
        if (i == needle.size())
            return true;
    }
    return false;
}

bool isAscii(const QString &text)
{
    return std::all_of(text.cbegin(), text.cend(), [](QChar c) { return c.unicode() < 0x80; });
}

} // namespace

bool TrafficFilter::set(Mode mode, const QString &pattern, int directions, QString *error,
                        Qt::CaseSensitivity caseSensitivity)
{
    TrafficFilter next;
    next.m_mode = mode;
    next.m_pattern = pattern;
    next.m_directions = directions & ShowAll;
    next.m_case = mode == Mode::Hex ? Qt::CaseSensitive : caseSensitivity;
    if (!pattern.isEmpty()) {
        switch (mode) {
        case Mode::Text: {
            const QByteArray utf8 = pattern.toUtf8();
            const QByteArray utf16 = encodeText(pattern, TextEncoding::Utf16Le);
            next.m_first.setPattern(utf8);
            next.m_second.setPattern(utf16);
            next.m_hasSecond = true;
            if (next.m_case == Qt::CaseInsensitive) {
                const QString lower = pattern.toLower();
                next.m_foldAscii = isAscii(lower);
                next.m_foldedUtf8 = lower.toUtf8();
                next.m_foldedUtf16 = encodeText(lower, TextEncoding::Utf16Le);
            }
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
            if (next.m_case == Qt::CaseInsensitive)
                next.m_regex.setPatternOptions(QRegularExpression::CaseInsensitiveOption);
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
    if (kind != EventKind::Data) {
        // An event's payload is its words, in UTF-8.
        if (m_mode == Mode::Hex)
            return false;
        const QString text = QString::fromUtf8(payload);
        return m_mode == Mode::Regex ? m_regex.match(text).hasMatch() : text.contains(m_pattern, m_case);
    }
    switch (m_mode) {
    case Mode::Text:
        if (m_case == Qt::CaseInsensitive) {
            if (m_foldAscii)
                return containsFolded(payload, m_foldedUtf8) || containsFolded(payload, m_foldedUtf16);
            // Letters beyond ASCII: the text, decoded both ways.
            return QString::fromUtf8(payload).contains(m_pattern, Qt::CaseInsensitive) ||
                   (payload.size() % 2 == 0 && decodeText(payload, TextEncoding::Utf16Le)
                                                   .contains(m_pattern, Qt::CaseInsensitive));
        }
        [[fallthrough]];
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
