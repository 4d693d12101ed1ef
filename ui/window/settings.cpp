#include "settings.h"

#include "settingskeys.h"
#include "trafficstore.h"

#include <QSettings>

#include <algorithm>

namespace PipeScope::Settings {

namespace {

QVariant value(const char *key, const QVariant &fallback = {})
{
    return QSettings().value(QLatin1String(key), fallback);
}

void setValue(const char *key, const QVariant &value)
{
    QSettings().setValue(QLatin1String(key), value);
}

} // namespace

bool offerSample()
{
    return value(SettingsKeys::kOfferSample, true).toBool();
}

void setOfferSample(bool offer)
{
    setValue(SettingsKeys::kOfferSample, offer);
}

bool askToSave()
{
    return value(SettingsKeys::kAskToSave, true).toBool();
}

void setAskToSave(bool ask)
{
    setValue(SettingsKeys::kAskToSave, ask);
}

Theme theme()
{
    return Theme(std::clamp(value(SettingsKeys::kTheme, int(Theme::System)).toInt(), 0, 2));
}

void setTheme(Theme theme)
{
    setValue(SettingsKeys::kTheme, int(theme));
}

quint64 payloadLimit()
{
    const qint64 mib = value(SettingsKeys::kPayloadLimit, 0).toLongLong();
    return mib > 0 ? quint64(mib) << 20 : TrafficStore::defaultPayloadLimit();
}

void setPayloadLimitMiB(quint64 mib)
{
    if (mib != TrafficStore::defaultPayloadLimit() >> 20)
        setValue(SettingsKeys::kPayloadLimit, mib);
    else
        QSettings().remove(QLatin1String(SettingsKeys::kPayloadLimit));
}

TimeDisplay timeDisplay()
{
    const int chosen = value(SettingsKeys::kTimeDisplay, int(TimeDisplay::TimeOfDay)).toInt();
    return chosen >= 0 && chosen <= int(TimeDisplay::SinceStart) ? TimeDisplay(chosen) : TimeDisplay::TimeOfDay;
}

void setTimeDisplay(TimeDisplay display)
{
    setValue(SettingsKeys::kTimeDisplay, int(display));
}

int dockWidth()
{
    return value(SettingsKeys::kDockWidth, kDefaultDockWidth).toInt();
}

QByteArray windowGeometry()
{
    return value(SettingsKeys::kWindowGeometry).toByteArray();
}

QByteArray windowState()
{
    return value(SettingsKeys::kWindowState).toByteArray();
}

void setWindowLayout(const QByteArray &geometry, const QByteArray &state, int dockWidth)
{
    QSettings settings;
    settings.setValue(QLatin1String(SettingsKeys::kWindowGeometry), geometry);
    settings.setValue(QLatin1String(SettingsKeys::kWindowState), state);
    settings.setValue(QLatin1String(SettingsKeys::kDockWidth), dockWidth);
}

} // namespace PipeScope::Settings
