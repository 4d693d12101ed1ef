#pragma once

#include <QAtomicInt>
#include <QCoreApplication>
#include <QString>

namespace PipeScopeTest {

// A pipe name no other test, in this process or another, uses: the process
// id and a counter. (The doctest suite of core/native has its own, in plain
// C++: tests/native/testsupport.h.)
inline QString uniqueName(const char *tag)
{
    static QAtomicInt counter;
    return QStringLiteral("t%1-%2-%3").arg(QCoreApplication::applicationPid()).arg(++counter).arg(QLatin1String(tag));
}

} // namespace PipeScopeTest
