#pragma once

#include "sessionformat.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QStringList>

#include <optional>

namespace PipeScope {

// An endpoint's configuration as the JSON object of a session's header or
// of a declaration line (docs/session-format.md).
QJsonObject endpointToJson(const SessionEndpoint &endpoint);
// Reads what endpointToJson() wrote; a member left out keeps its default,
// a name it does not know is refused: `why` says which member, what it may
// be and what it was.
bool endpointFromJson(const QJsonObject &object, SessionEndpoint &endpoint, QString &why);

// What differs between two settings of an endpoint, a member each, in the
// file's words: "autoReply: rules → echo", "rules: 2 entries → 3 entries",
// "target: changed".
QStringList settingsDifferences(const SessionEndpoint &before, const SessionEndpoint &after);

// A JSON number that is a whole number, exactly (Qt keeps integers to
// 2^63); nothing for anything else.
std::optional<qint64> wholeNumber(const QJsonValue &value);

} // namespace PipeScope
