#pragma once

// The main() of every Qt Test suite: QTEST_MAIN / QTEST_GUILESS_MAIN, with
// what a test process needs set by the process itself, before Qt starts,
// and the process ended as the app ends it (Native::finishProcess).
// CTest's environment cannot carry it to Windows programs: Wine does not
// pass QT_* variables from the Unix environment on.

#include "processexit.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <QTest>

#include <type_traits>

#ifdef Q_OS_WIN
#include <windows.h>
#endif

namespace PipeScopeTest {

// Wine, not Windows: where a behaviour of Windows cannot be shown (Wine
// lacks it), a test says so and proves what it can another way.
inline bool runningUnderWine()
{
#ifdef Q_OS_WIN
    const HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
    return ntdll && GetProcAddress(ntdll, "wine_get_version");
#else
    return false;
#endif
}

// Called in every suite's init(): a warning fails the test function that
// caused it (QTest::ignoreMessage still expects one), except what the test
// platform itself says — the offscreen platform cannot pass on size hints,
// and text in a script that no installed font shapes.
inline void failOnUnexpectedWarnings()
{
    QTest::failOnWarning(QRegularExpression(QStringLiteral(
        "^(?!\\s*(This plugin does not support propagateSizeHints\\(\\)|OpenType support missing for ))")));
}

inline void prepareTestProcess()
{
    // GUI tests need no display, unless the caller asks for a platform.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    // On Windows, Qt Test writes its log (and Qt its warnings) to the
    // debugger through OutputDebugString unless stderr is a console; a test
    // run by CTest has pipes, not a console, and would print nothing.
    qputenv("QT_FORCE_STDERR_LOGGING", "1");
#ifdef Q_OS_WIN
    // The offscreen platform reads fonts from a directory. Windows keeps
    // them in %SystemRoot%\Fonts, which Wine's prefix leaves empty; there
    // the host's DejaVu fonts (fonts-dejavu-core) serve, reached via Z:.
    if (qEnvironmentVariableIsEmpty("QT_QPA_FONTDIR"))
        qputenv("QT_QPA_FONTDIR", runningUnderWine() ? QByteArray("Z:\\usr\\share\\fonts\\truetype\\dejavu")
                                                     : qgetenv("SystemRoot") + "\\Fonts");
#endif
}

// The body of every suite's main(): `Application` is QApplication or
// QCoreApplication. No QFINDTESTDATA is used, so no source path is set.
template <class Application, class TestObject>
int runSuite(int argc, char *argv[])
{
    prepareTestProcess();
    int code = 0;
    {
        Application app(argc, argv);
        if constexpr (!std::is_same_v<Application, QCoreApplication>)
            app.setAttribute(Qt::AA_Use96Dpi, true); // as QTEST_MAIN does
        TestObject tc;
        code = QTest::qExec(&tc, argc, argv);
    }
    return PipeScope::Native::finishProcess(code);
}

} // namespace PipeScopeTest

#ifdef QT_WIDGETS_LIB
#include <QApplication>
#define PIPESCOPE_TEST_MAIN(TestObject)                                                                      \
    int main(int argc, char *argv[]) { return PipeScopeTest::runSuite<QApplication, TestObject>(argc, argv); }
#endif

#define PIPESCOPE_TEST_GUILESS_MAIN(TestObject)                                                              \
    int main(int argc, char *argv[]) { return PipeScopeTest::runSuite<QCoreApplication, TestObject>(argc, argv); }
