#pragma once

#include <QString>

namespace PipeScope {

// Text a word-wrapped label can break anywhere it must: a zero-width space
// after each path separator and every 12 characters of a run with no
// space, so a 120-character pipe name wraps inside its dialog instead of
// widening it past the screen (QLabel breaks at spaces only). Shown the
// same; unbroken() takes them back out.
inline QString breakable(const QString &text)
{
    constexpr QChar kZeroWidthSpace(0x200B);
    QString out;
    out.reserve(text.size() + text.size() / 12);
    int run = 0;
    for (QChar c : text) {
        out += c;
        run = c.isSpace() ? 0 : run + 1;
        if (run >= 12 || c == u'/' || c == u'\\') {
            out += kZeroWidthSpace;
            run = 0;
        }
    }
    return out;
}

// The text without the breaks breakable() put in.
inline QString unbroken(const QString &text)
{
    QString out = text;
    return out.remove(QChar(0x200B));
}

} // namespace PipeScope
