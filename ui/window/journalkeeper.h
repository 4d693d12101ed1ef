#pragma once

#include "sessionjournal.h"

#include <QObject>
#include <QString>
#include <QStringList>

#include <functional>

class QPushButton;
class QWidget;

namespace PipeScope {

class Workspace;

// A live window's journal, and what crashed runs left behind. It starts
// the journal that holds every event as it is captured (and, past the
// memory limit, the bytes the store no longer keeps), says once when that
// limit is reached, and discards the journal when the window ends cleanly.
// Journals of a PipeScope that did not quit cleanly are looked for off
// the GUI thread and offered: Recover opens each as a window of its
// events, Discard removes them; a server socket their monitor left moved
// aside is offered to be put back.
class JournalKeeper : public QObject
{
    Q_OBJECT
public:
    // Where its bars go, above the traffic (MainWindow's OfferBar host).
    using OfferHost = std::function<QWidget *(const char *name, const QString &text,
                                              QPushButton *accept, QPushButton *decline)>;

    // `window` parents its warnings. Starts the journal at once.
    JournalKeeper(Workspace *workspace, OfferHost offers, QWidget *window);
    // A clean end: the journal is removed, unless keepOnExit() was called.
    // Deleted before the workspace, whose hub the journal logs.
    ~JournalKeeper() override;

    SessionJournal *journal() const { return m_journal; }
    // For a run that must look as if it crashed: the journal stays, for the
    // next start to offer.
    void keepOnExit() { m_keep = true; }
    QWidget *recoveryOffer() const { return m_recoveryOffer; }
    QWidget *putBackOffer() const { return m_putBackOffer; }
    QWidget *limitNotice() const { return m_limitNotice; }

signals:
    // A crashed run's journal, taken over (renamed): open it, recovered.
    void recovered(const QString &path);
    // The user asked to change the memory limit.
    void limitChangeAsked();
    // For the status bar.
    void message(const QString &text, int timeoutMs);
    // Journals left by a PipeScope that did not quit cleanly were found.
    void recoveryOffered(const QStringList &journals);
    // Put It Back ended; `problems` is empty if every socket is back.
    void putBackDone(const QStringList &problems);

private:
    void sayLimitReached();
    void offerRecovery(const QList<SessionJournal::Orphan> &orphans);
    // Sockets the orphans' monitors left moved aside: Put It Back.
    void offerPutBack(const QList<SessionJournal::Orphan> &orphans);
    void putBack(const QStringList &moved);

    Workspace *m_workspace;
    OfferHost m_offers;
    QWidget *m_window;
    SessionJournal *m_journal;
    bool m_keep = false;
    QWidget *m_recoveryOffer = nullptr;
    QWidget *m_putBackOffer = nullptr;
    QWidget *m_limitNotice = nullptr;
};

} // namespace PipeScope
