#include "nativeerror.h"

namespace PipeScope::Native {

namespace {
constexpr std::string_view kAllowMarker = "; to allow it: --server-user ";
} // namespace

std::string allowServerUserHint(const std::string &user)
{
    // A user who cannot be named can only be allowed as anyone.
    if (user.empty())
        return std::string(kAllowMarker) + "any";
    return std::string(kAllowMarker) + user + ", or --server-user any for anyone";
}

std::string serverUserToAllow(std::string_view message)
{
    const std::size_t at = message.find(kAllowMarker);
    if (at == std::string_view::npos)
        return {};
    const std::string_view rest = message.substr(at + kAllowMarker.size());
    return std::string(rest.substr(0, rest.find(',')));
}

const char *errorCodeName(ErrorCode code)
{
    switch (code) {
    case ErrorCode::None: return "None";
    case ErrorCode::InvalidName: return "InvalidName";
    case ErrorCode::NotFound: return "NotFound";
    case ErrorCode::AccessDenied: return "AccessDenied";
    case ErrorCode::AddressInUse: return "AddressInUse";
    case ErrorCode::PathOccupied: return "PathOccupied";
    case ErrorCode::Busy: return "Busy";
    case ErrorCode::TimedOut: return "TimedOut";
    case ErrorCode::ConnectionRefused: return "ConnectionRefused";
    case ErrorCode::Disconnected: return "Disconnected";
    case ErrorCode::WrongPipeType: return "WrongPipeType";
    case ErrorCode::MessageTooLarge: return "MessageTooLarge";
    case ErrorCode::InvalidParameter: return "InvalidParameter";
    case ErrorCode::ResourceExhausted: return "ResourceExhausted";
    case ErrorCode::Cancelled: return "Cancelled";
    case ErrorCode::Unsupported: return "Unsupported";
    case ErrorCode::Other: return "Other";
    }
    return "Other";
}

std::string NativeError::message() const
{
    if (!isError())
        return {};
    std::string out = function;
    if (!subject.empty()) {
        if (!out.empty())
            out += ' ';
        out += subject;
    }
    if (!out.empty())
        out += ": ";
    out += text;
    return out;
}

NativeError makeError(ErrorCode code, std::string function, std::string subject, std::string text)
{
    return NativeError{code, 0, std::move(function), std::move(subject), std::move(text)};
}

} // namespace PipeScope::Native
