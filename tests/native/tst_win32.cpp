// Windows-only behaviour, run under Wine.
#include <doctest/doctest.h>

#include "testsupport.h"

using namespace PipeScopeTest;

TEST_CASE("error messages name the call, the subject, the reason and the code")
{
    const NativeError e = systemError(231 /* ERROR_PIPE_BUSY */, "CreateFileW", "\\\\.\\pipe\\x");
    CHECK(e.code == ErrorCode::Busy);
    CHECK_MESSAGE(e.message().find("CreateFileW \\\\.\\pipe\\x: ") == 0, e.message());
    CHECK_MESSAGE(e.message().find("(ERROR_PIPE_BUSY)") != std::string::npos, e.message());
    CHECK(systemError(2, "CreateFileW").code == ErrorCode::NotFound);
    CHECK(systemError(109, "ReadFile").code == ErrorCode::Disconnected);
    CHECK(systemError(232, "WriteFile").code == ErrorCode::Disconnected);
    CHECK(systemError(233, "ReadFile").code == ErrorCode::Disconnected);
    CHECK(systemError(5, "CreateNamedPipeW").code == ErrorCode::AccessDenied);
    CHECK(systemError(87, "SetNamedPipeHandleState").code == ErrorCode::InvalidParameter);
}
