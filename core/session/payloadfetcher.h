#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QString>

#include <functional>

namespace PipeScope {

class TrafficStore;

// The bytes of captured messages, read off the calling thread (those the
// store let go of past its memory limit come from its backing file), for
// views that ask again before an answer has come. Each request is on a
// channel, and a channel delivers only its latest request's answer: the
// selected message shown, a copy, Send Again and Edit in Composer each
// have one, so a click on another row drops the read for the row before
// while a copy still going on is not.
//
// One read at a time, in the order asked: a request waiting behind a read
// is replaced by a later one on its channel, so holding an arrow key over
// a million rows kept on disk reads the row it stops on, not every row it
// passed, and no more than one thread per fetcher is ever busy. Answers
// come in the order asked too. An answer for a fetcher that has gone (its
// view closed) is dropped.
class PayloadFetcher : public QObject
{
    Q_OBJECT
public:
    using Done = std::function<void(const QList<QByteArray> &bytes, const QString &error)>;

    PayloadFetcher(TrafficStore *store, QObject *parent);

    // Reads the rows' bytes, in order, then calls `done(bytes, error)` in
    // this object's thread, unless a later fetch() or cancel() on
    // `channel` came first. On a row that cannot be read, `error` says why
    // and `bytes` holds the rows before it.
    void fetch(int channel, const QList<qsizetype> &storeRows, Done done);
    // What is being read or waits to be read on `channel` goes nowhere.
    void cancel(int channel);

private:
    struct Request
    {
        int channel;
        quint64 serial; // the channel's latest when asked
        QList<qsizetype> rows;
        Done done;
    };
    void readNext();

    TrafficStore *m_store;
    QHash<int, quint64> m_latest; // per channel: the request that will be delivered
    QList<Request> m_waiting;     // at most one per channel
    bool m_reading = false;
};

} // namespace PipeScope
