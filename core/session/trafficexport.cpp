#include "trafficexport.h"

#include "pcapng.h"
#include "payloadpreview.h"
#include "payloadreader.h"
#include "units.h"
#include "userfile.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFileInfo>
#include <QSaveFile>

namespace PipeScope {

QString formatEventLine(const TrafficEvent &e)
{
    QString line = formatTime(e.timestampNs) + QStringLiteral("  ");
    line += e.instance ? QStringLiteral("#%1").arg(e.instance) : QStringLiteral("--");
    line += QStringLiteral("  ");
    switch (e.kind) {
    case EventKind::Data: {
        // A monitor's messages go between its client and server.
        if (e.relayNs)
            line += e.direction == Direction::In ? QStringLiteral("c->s ") : QStringLiteral("s->c ");
        else
            line += e.direction == Direction::In ? QStringLiteral("<- ") : QStringLiteral("-> ");
        line += QStringLiteral("%1 B").arg(e.payload.size());
        if (e.parts > 1)
            line += QStringLiteral(" in %1 parts").arg(e.parts);
        if (e.flags & Incomplete)
            line += QStringLiteral(" [incomplete]");
        if (e.flags & Truncated)
            line += QStringLiteral(" [truncated]");
        if (e.relayNs)
            line += QStringLiteral(" (passed on in %1)").arg(formatDuration(e.relayNs));
        line += QStringLiteral("  ") + previewPayload(e.payload, 100);
        break;
    }
    // Peer- and system-supplied text: never raw (a process name could
    // hold escape sequences or forge a line).
    case EventKind::Connected: line += QStringLiteral("connected  ") + printable(e.payload); break;
    case EventKind::Disconnected: line += QStringLiteral("disconnected  ") + printable(e.payload); break;
    case EventKind::Error: line += QStringLiteral("error  ") + printable(e.payload); break;
    }
    return line;
}

ExportFormat exportFormatFor(const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("csv"))
        return ExportFormat::Csv;
    if (suffix == QLatin1String("txt") || suffix == QLatin1String("log"))
        return ExportFormat::Text;
    if (suffix == QLatin1String("pcapng"))
        return ExportFormat::Pcapng;
    return ExportFormat::Raw;
}

namespace {

// A CSV field: quoted when it holds a separator, a quote or a line break.
QString csvField(const QString &text)
{
    if (!text.contains(QLatin1Char(',')) && !text.contains(QLatin1Char('"')) && !text.contains(QLatin1Char('\n')) &&
        !text.contains(QLatin1Char('\r')))
        return text;
    return QLatin1Char('"') + QString(text).replace(QLatin1Char('"'), QStringLiteral("\"\"")) + QLatin1Char('"');
}

QByteArray csvLine(const TrafficEvent &e, const QHash<quint32, QString> &names)
{
    const bool data = e.kind == EventKind::Data;
    const QStringList fields{
        QDateTime::fromMSecsSinceEpoch(e.timestampNs / 1000000).toString(Qt::ISODateWithMs),
        QString::number(e.timestampNs),
        csvField(names.value(e.endpoint, QString::number(e.endpoint))),
        QString::number(e.endpoint),
        QString::number(e.instance),
        e.direction == Direction::In ? QStringLiteral("in") : e.direction == Direction::Out ? QStringLiteral("out") : QString(),
        QString::fromLatin1(eventKindName(e.kind)),
        data ? QString::number(e.payload.size()) : QString(),
        data ? QString::number(e.parts) : QString(),
        data ? QString::fromLatin1(e.payload.toHex()) : QString(),
        csvField(data ? payloadText(e.payload).value_or(QString()) : printable(e.payload)),
    };
    return fields.join(QLatin1Char(',')).toUtf8() + "\r\n";
}

} // namespace

qint64 exportTraffic(const TrafficStore::Snapshot &store, const QList<qsizetype> &rows, ExportFormat format,
                     const QString &path, const QHash<quint32, QString> &names, QString *error,
                     const QString &dissector)
{
    QSaveFile file(path);
    const auto failed = [&](const QString &why) {
        if (error)
            *error = QStringLiteral("Export to %1 failed: %2").arg(path, why);
        return qint64(-1);
    };
    if (!openUserOnly(file))
        return failed(file.errorString());
    if (format == ExportFormat::Csv)
        file.write("time,time_ns,endpoint,endpoint_id,instance,direction,event,size,parts,bytes_hex,text\r\n");
    PcapngWriter pcapng(&file, dissector);
    if (format == ExportFormat::Pcapng)
        pcapng.writeHeader(QStringLiteral("PipeScope %1").arg(QCoreApplication::applicationVersion()));
    PayloadReader reader(store);
    const qsizetype total = rows.isEmpty() ? store.count() : rows.size();
    qint64 written = 0;
    for (qsizetype i = 0; i < total; ++i) {
        TrafficEvent event;
        if (!reader.read(rows.isEmpty() ? i : rows.at(i), event))
            return failed(reader.error());
        switch (format) {
        case ExportFormat::Csv: file.write(csvLine(event, names)); break;
        case ExportFormat::Text: file.write(formatEventLine(event).toUtf8() + '\n'); break;
        case ExportFormat::Raw:
            if (event.kind != EventKind::Data)
                continue;
            file.write(event.payload.data(), event.payload.size());
            break;
        case ExportFormat::Pcapng: pcapng.write(event, names.value(event.endpoint, QString::number(event.endpoint))); break;
        }
        ++written;
    }
    if (!file.commit())
        return failed(file.errorString());
    return written;
}

} // namespace PipeScope
