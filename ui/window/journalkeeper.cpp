#include "journalkeeper.h"
#include "background.h"
#include "payloadpreview.h"
#include "settings.h"
#include "trafficstore.h"
#include "units.h"
#include "warning.h"
#include "workspace.h"

#include <QFileInfo>
#include <QPushButton>

namespace PipeScope {

JournalKeeper::JournalKeeper(Workspace *workspace, OfferHost offers, QWidget *window)
    : QObject(window), m_workspace(workspace), m_offers(std::move(offers)), m_window(window)
{
    const QString directory = SessionJournal::defaultDirectory();
    m_journal = new SessionJournal(directory, m_workspace->hub(), this);
    // The journal holds every message as it comes, before the store does:
    // past the limit, the store keeps their bytes there only.
    TrafficStore *store = m_workspace->store();
    store->setBackingFile(m_journal->path());
    store->setPayloadLimit(Settings::payloadLimit());
    connect(store, &TrafficStore::payloadLimitReached, this, &JournalKeeper::sayLimitReached);
    connect(m_workspace, &Workspace::endpointAdded, m_journal,
            [this](quint32 id) { m_journal->declare(m_workspace->sessionEndpoint(id)); });
    connect(m_workspace, &Workspace::settingsChanged, m_journal,
            [this](quint32 id) { m_journal->declare(m_workspace->endpoint(id)->ranWith.last()); });
    connect(m_journal, &SessionJournal::failed, this, [this](const QString &error) {
        emit message(error, 0);
        showWarning(m_window, tr("Journal"), error);
    });
    // Journals of a PipeScope that crashed or was killed: looked for off
    // the GUI thread, then offered.
    runInBackground(
        this,
        [directory] {
            return SessionJournal::orphans({directory, SessionJournal::legacyDirectory()});
        },
        [this](const QList<SessionJournal::Orphan> &orphans) {
            if (!orphans.isEmpty())
                offerRecovery(orphans);
        });
}

JournalKeeper::~JournalKeeper()
{
    // A clean end: the journal is not needed to recover anything.
    if (!m_keep)
        m_journal->discard();
    delete m_journal;
}

void JournalKeeper::sayLimitReached()
{
    const TrafficStore *store = m_workspace->store();
    auto *change = new QPushButton(tr("Change the Limit…"));
    connect(change, &QPushButton::clicked, this, &JournalKeeper::limitChangeAsked);
    auto *ok = new QPushButton(tr("OK"));
    m_limitNotice = m_offers(
        "payloadLimitNotice",
        tr("Captured messages fill the memory set aside for them (%1). Capture goes on: new "
           "messages keep their time and size in memory and their bytes in the journal on "
           "disk (%2), read from there when you select, copy, replay or save them. Nothing "
           "captured so far was let go.")
            .arg(formatSize(store->payloadLimit()), printable(store->backingFile())),
        change, ok);
}

void JournalKeeper::offerRecovery(const QList<SessionJournal::Orphan> &orphans)
{
    // The orphans hold their locks while this window offers them: another
    // PipeScope started meanwhile does not offer them too.
    qint64 total = 0;
    QStringList journals;
    for (const SessionJournal::Orphan &orphan : orphans) {
        total += orphan.events;
        journals << orphan.path;
    }
    if (total == 0) {
        // Nothing captured, only a socket left moved aside.
        offerPutBack(orphans);
        return;
    }
    auto *recover = new QPushButton(tr("Recover"));
    recover->setObjectName(QStringLiteral("recoverButton"));
    auto *discard = new QPushButton(tr("Discard"));
    discard->setObjectName(QStringLiteral("discardButton"));
    m_recoveryOffer =
        m_offers("recoveryOffer",
                 tr("PipeScope did not quit cleanly last time. The %1 it had captured "
                    "were kept in its journal (%2).")
                     .arg(counted(total, tr("event"), tr("events")))
                     .arg(journals.size() == 1 ? QFileInfo(journals.first()).fileName()
                                               : tr("%1 files").arg(journals.size())),
                 recover, discard);
    connect(recover, &QPushButton::clicked, this, [this, orphans] {
        // Renamed off the GUI thread, then opened.
        for (const SessionJournal::Orphan &orphan : orphans)
            runInBackground(
                this, [orphan] { return SessionJournal::adopt(orphan); },
                [this](const QString &adopted) { emit recovered(adopted); });
    });
    connect(discard, &QPushButton::clicked, this, [orphans] {
        runDetached([orphans] {
            for (const SessionJournal::Orphan &orphan : orphans)
                SessionJournal::remove(orphan);
        });
    });
    emit recoveryOffered(journals);
    offerPutBack(orphans);
}

void JournalKeeper::offerPutBack(const QList<SessionJournal::Orphan> &orphans)
{
    QStringList moved;
    for (const SessionJournal::Orphan &orphan : orphans)
        moved += orphan.movedAside;
    moved.removeDuplicates();
    if (moved.isEmpty())
        return;
    auto *putBackButton = new QPushButton(tr("Put It Back"));
    putBackButton->setObjectName(QStringLiteral("putBackButton"));
    auto *leave = new QPushButton(tr("Leave It"));
    leave->setObjectName(QStringLiteral("leaveMovedButton"));
    m_putBackOffer = m_offers(
        "putBackOffer",
        tr("A monitor of that PipeScope had moved the server socket %1 aside (to %2) and could not "
           "put it "
           "back: new clients of that server cannot reach it until it is.")
            .arg(printable(moved.join(QStringLiteral(", "))),
                 moved.size() == 1 ? printable(moved.first()) + QStringLiteral(".pipescope-moved")
                                   : tr("NAME.pipescope-moved")),
        putBackButton, leave);
    connect(putBackButton, &QPushButton::clicked, this, [this, moved] { putBack(moved); });
}

void JournalKeeper::putBack(const QStringList &moved)
{
    // Renames, off the GUI thread; the status bar says how it went.
    runInBackground(
        this, [moved] { return SessionJournal::putBack(moved); },
        [this, moved](const QStringList &problems) {
            if (problems.isEmpty())
                emit message(tr("Put back %1").arg(printable(moved.join(QStringLiteral(", ")))),
                             10000);
            else
                showWarning(m_window, tr("Put Back"), printable(problems.join(QLatin1Char('\n'))));
            emit putBackDone(problems);
        });
}

} // namespace PipeScope

#include "moc_journalkeeper.cpp"
