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
// disconnected, errors) always show unless a pattern is set.
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
    bool set(Mode mode, const QString &pattern, int directions = ShowAll, QString *error = nullptr);

    bool isEmpty() const { return m_directions == ShowAll && m_pattern.isEmpty(); }
    bool hasPattern() const { return !m_pattern.isEmpty(); }
    // Whether the direction and kind are among those shown, payload aside.
    bool showsKind(Direction direction, EventKind kind) const;
    Mode mode() const { return m_mode; }
    const QString &pattern() const { return m_pattern; }
    int directions() const { return m_directions; }

    bool matches(Direction direction, EventKind kind, QByteArrayView payload) const;

private:
    Mode m_mode = Mode::Text;
    QString m_pattern;
    int m_directions = ShowAll;
    QByteArrayMatcher m_first;  // text as UTF-8, or the hex bytes
    QByteArrayMatcher m_second; // text as UTF-16LE
    bool m_hasSecond = false;
    QRegularExpression m_regex;
};

} // namespace PipeScope
