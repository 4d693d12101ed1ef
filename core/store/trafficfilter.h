#pragma once

#include "trafficevent.h"

#include <QByteArray>
#include <QByteArrayMatcher>
#include <QByteArrayView>
#include <QRegularExpression>
#include <QString>

namespace PipeScope {

// What a traffic view shows: directions, and messages whose bytes contain a
// text, a byte sequence, or match a regex. Connection events (connected,
// disconnected, errors) show unless a pattern is set; then a text or regex
// pattern is looked for in their words too (a pid, a process, an error).
// Text and regex patterns may ignore case.
class TrafficFilter
{
public:
    enum class Mode {
        Text,  // the text's UTF-8 or UTF-16LE bytes occur in the message
        Hex,   // these bytes occur ("de ad be ef", "deadbeef")
        Regex, // the message read as UTF-8 matches
    };
    enum DirectionFlag { ShowIn = 1, ShowOut = 2, ShowEvents = 4, ShowAll = 7 };

    TrafficFilter() = default;

    // Compiles the pattern; false and `error` says what is wrong with it.
    bool set(Mode mode, const QString &pattern, int directions = ShowAll, QString *error = nullptr,
             Qt::CaseSensitivity caseSensitivity = Qt::CaseSensitive);

    bool isEmpty() const { return m_directions == ShowAll && m_pattern.isEmpty(); }
    bool hasPattern() const { return !m_pattern.isEmpty(); }
    // Whether the direction and kind are among those shown, payload aside.
    bool showsKind(Direction direction, EventKind kind) const;
    Mode mode() const { return m_mode; }
    const QString &pattern() const { return m_pattern; }
    int directions() const { return m_directions; }
    Qt::CaseSensitivity caseSensitivity() const { return m_case; }

    bool matches(Direction direction, EventKind kind, QByteArrayView payload) const;

private:
    Mode m_mode = Mode::Text;
    QString m_pattern;
    int m_directions = ShowAll;
    QByteArrayMatcher m_first;  // text as UTF-8, or the hex bytes
    QByteArrayMatcher m_second; // text as UTF-16LE
    bool m_hasSecond = false;
    QRegularExpression m_regex;
    Qt::CaseSensitivity m_case = Qt::CaseSensitive;
    // Ignoring case: the pattern in lower case, its ASCII letters matched
    // either way in the bytes as they are (UTF-8 and UTF-16LE), or, holding
    // other letters, looked for in the decoded text.
    QByteArray m_foldedUtf8, m_foldedUtf16;
    bool m_foldAscii = false;
};

} // namespace PipeScope
