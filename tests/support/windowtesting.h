#pragma once

// Steps the window suites share: the sample run and waited for, a journal
// read back or left as a crashed run leaves it, an offered journal
// recovered, the question asked on closing.

#include "mainwindow.h"
#include "settingskeys.h"
#include "sessionformat.h"
#include "sessionjournal.h"
#include "trafficstore.h"
#include "workspace.h"

#include <QFile>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTest>

namespace PipeScopeTest {

// Settings that a window reads as it is made: no first-launch offer.
struct WithoutSampleOffer
{
    WithoutSampleOffer() { QSettings().setValue(QLatin1String(PipeScope::SettingsKeys::kOfferSample), false); }
};

// A window as most tests begin with one: shown, without the sample's
// offer above its traffic.
struct ShownWindow : WithoutSampleOffer
{
    ShownWindow() { window.show(); }
    PipeScope::MainWindow window;
};

// The sample's six events are in the store (server: connected, in, out;
// client: connected, out, in), and the workspace has heard of the
// server's instance (which can come a moment after its events).
inline bool sampleRan(PipeScope::MainWindow &window)
{
    const PipeScope::Workspace *workspace = window.workspace();
    const QList<quint32> ids = workspace->endpointIds();
    return window.store()->count() == 6 && !ids.isEmpty() && workspace->endpoint(ids.first())->instances.size() == 1;
}

// The sample run without its offer, on its own pipe name or on `pipe`;
// true once its six events are in.
inline bool sampleCaptured(PipeScope::MainWindow &window, const QString &pipe = {})
{
    if (pipe.isEmpty())
        window.startSample();
    else
        window.startSampleOn(pipe);
    return QTest::qWaitFor([&] { return sampleRan(window); }, 10000);
}

// The window's session saved to `path` (File ▸ Save As, off the GUI
// thread): whether it was, and what the window said (or that it said
// nothing within ten seconds).
struct Saved
{
    bool ok = false;
    QString message;
};
inline Saved saveSession(PipeScope::MainWindow &window, const QString &path)
{
    QSignalSpy saved(&window, &PipeScope::MainWindow::sessionSaved);
    window.saveSession(path);
    if (!QTest::qWaitFor([&] { return !saved.isEmpty(); }, 10000))
        return {false, QStringLiteral("nothing said within 10 s")};
    return {saved.first().at(0).toBool(), saved.first().at(1).toString()};
}

// The message box named `name` once `window` shows it, or null if it does
// not within five seconds.
inline QMessageBox *shownMessageBox(QWidget &window, const QString &name)
{
    QMessageBox *box = nullptr;
    const bool shown = QTest::qWaitFor([&] {
        box = window.findChild<QMessageBox *>(name);
        return box && box->isVisible();
    }, 5000);
    return shown ? box : nullptr;
}

// The window closed with unsaved events: it stays, and asks. The question,
// or null if it was not asked.
inline QMessageBox *askToClose(PipeScope::MainWindow &window)
{
    return window.close() ? nullptr : shownMessageBox(window, QStringLiteral("savePrompt"));
}

// The events a journal holds, once it declares both of the sample's
// endpoints; -1 when it cannot be read, -2 before the declarations.
inline int journalEvents(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return -1;
    PipeScope::SessionReader reader(&file);
    PipeScope::SessionHeader header;
    PipeScope::TrafficEvent e;
    int n = 0;
    if (reader.readHeader(header))
        while (reader.next(e) == PipeScope::SessionReader::Status::Event)
            ++n;
    return reader.declaredEndpoints().size() == 2 ? n : -2;
}

// A window that ran the sample (on `pipe`, or the sample's own name), left
// as a crashed run leaves its journal: a copy under a process id that does
// not exist. Its path, or empty.
inline QString plantCrashedJournal(const QString &pipe = {})
{
    const QString crashed =
        PipeScope::SessionJournal::defaultDirectory() + QStringLiteral("/journal-999999.pipescope");
    PipeScope::MainWindow window;
    window.show();
    if (!window.journal() || !sampleCaptured(window, pipe) ||
        !QTest::qWaitFor([&] { return journalEvents(window.journal()->path()) == 6; }, 10000))
        return {};
    QFile::remove(crashed);
    return QFile::copy(window.journal()->path(), crashed) ? crashed : QString();
}

// `next` recovers what it offers: the recovered window, or null.
inline PipeScope::MainWindow *recoverOffered(PipeScope::MainWindow &next)
{
    if (!QTest::qWaitFor([&] { return next.recoveryOffer() && next.recoveryOffer()->isVisible(); }, 10000))
        return nullptr;
    QSignalSpy opened(&next, &PipeScope::MainWindow::sessionOpened);
    QTest::mouseClick(next.recoveryOffer()->findChild<QPushButton *>(QStringLiteral("recoverButton")), Qt::LeftButton);
    if (!opened.wait(10000))
        return nullptr;
    return opened.first().first().value<PipeScope::MainWindow *>();
}

} // namespace PipeScopeTest
