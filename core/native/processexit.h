#pragma once

namespace PipeScope::Native {

// The last thing main() does, after every object of its own has gone:
// `return finishProcess(code);`.
//
// On Unix it returns `code`, and the process exits as usual.
//
// On Windows it flushes the C runtime's streams and ends the process with
// TerminateProcess, skipping the DLLs' detach routines. Under Wine a
// process whose thread-pool threads (QWinEventNotifier's waits, QProcess's
// pipe readers) are still parked at exit can deadlock there — in TlsFree,
// which locks every thread's TEB while those threads are being killed —
// and never exit: seen every time with tst_mainwindow, tst_cli and
// `pipescope --screenshot` started from a Unix shell (the main thread
// stuck after its last TlsFree, every other thread gone). By then nothing
// is left that a detach routine would save: files are closed, threads
// joined, QSettings written, and the output flushed here.
int finishProcess(int code);

} // namespace PipeScope::Native
