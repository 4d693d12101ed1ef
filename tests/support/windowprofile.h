#pragma once

// What every suite that opens a PipeScope window needs: a runtime
// directory and a profile (settings, journals) of its own, so that no test
// touches the user's state or another suite's; and, before each test
// function, no leftover settings and warnings failing the test.

#include "profile.h"
#include "settingskeys.h"
#include "testmain.h"

#include <QCoreApplication>
#include <QSettings>
#include <QTemporaryDir>

namespace PipeScopeTest {

class WindowProfile
{
public:
    enum class Sample { Offered, NotOffered };

    // From initTestCase(): `suite` names the settings.
    void use(const char *suite)
    {
        qputenv("XDG_RUNTIME_DIR", m_runtime.path().toLocal8Bit());
        PipeScope::Profile::use(m_config.path());
        QCoreApplication::setOrganizationName(QStringLiteral("PipeScopeTest"));
        QCoreApplication::setApplicationName(QLatin1String(suite));
    }

    // From init(): fresh settings; the first-launch sample offer shown or not.
    static void reset(Sample sample)
    {
        failOnUnexpectedWarnings();
        QSettings().clear();
        if (sample == Sample::NotOffered)
            QSettings().setValue(QLatin1String(PipeScope::SettingsKeys::kOfferSample), false);
    }

private:
    QTemporaryDir m_runtime;
    QTemporaryDir m_config;
};

} // namespace PipeScopeTest
