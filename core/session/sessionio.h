#pragma once

#include "sessionformat.h"
#include "trafficstore.h"

#include <QObject>

namespace PipeScope {

// Saving and opening session files off the calling (GUI) thread. Each job
// runs in a thread of its own and reports back through a queued signal;
// the job object may be deleted at any time (a result then goes nowhere).

// Writes a header and the store's rows as they are when save() is called,
// atomically (QSaveFile): the previous file stays intact if saving fails.
class SessionSaver : public QObject
{
    Q_OBJECT
public:
    static SessionSaver *save(const QString &path, const SessionHeader &header, const TrafficStore &store,
                              QObject *parent = nullptr);

signals:
    // `error` names the file and the reason when !ok.
    void finished(bool ok, const QString &error, qint64 events);

private:
    using QObject::QObject;
};

// Reads a session file into a new store, which it hands over (parentless,
// living in the receiver's thread) with the header; a cut-off last line
// gives a warning, not a failure.
class SessionOpener : public QObject
{
    Q_OBJECT
public:
    static SessionOpener *open(const QString &path, QObject *parent = nullptr);

signals:
    void opened(PipeScope::TrafficStore *store, const PipeScope::SessionHeader &header, const QString &warning);
    void failed(const QString &error);

private:
    using QObject::QObject;
};

} // namespace PipeScope

Q_DECLARE_METATYPE(PipeScope::SessionHeader)
