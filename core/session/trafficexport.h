#pragma once

// Captured traffic written out for other tools: CSV for a spreadsheet, the
// text `pipescope serve` prints, the messages' raw bytes, or pcapng for
// Wireshark.

#include "trafficevent.h"
#include "trafficstore.h"

#include <QHash>
#include <QList>
#include <QString>

namespace PipeScope {

// One event as a line of text, as `pipescope serve` prints it:
// "14:03:07.123456  #1  <- 27 B  "Default message from client"".
QString formatEventLine(const TrafficEvent &event);

enum class ExportFormat {
    Csv,  // one row per event, with a header; bytes in hex and as text
    Text, // formatEventLine() per event
    Raw,  // the data messages' bytes, one after another
    Pcapng, // every event, one interface per connection (pcapng.h)
};

// The format a file name asks for by its suffix (.csv, .txt/.log, .pcapng,
// else raw).
ExportFormat exportFormatFor(const QString &path);

// Writes the events at `rows` of the snapshot (all of them when empty) to
// `path` in `format`, atomically (QSaveFile). Bytes the store did not keep
// are read back from its backing file. `names` gives the endpoints' names
// for CSV and pcapng; `dissector` the Wireshark dissector pcapng hands the
// payloads to. The number of events written, or -1 with `error` naming the file
// and the reason. In any thread but the GUI's: it reads and writes files.
qint64 exportTraffic(const TrafficStore::Snapshot &store, const QList<qsizetype> &rows, ExportFormat format,
                     const QString &path, const QHash<quint32, QString> &names, QString *error,
                     const QString &dissector = QStringLiteral("data"));

} // namespace PipeScope
