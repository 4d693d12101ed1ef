#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include "testsupport.h"

int main(int argc, char **argv)
{
    // Every pipe the tests make lives in a private directory, removed at exit.
    PipeScopeTest::setUpPrivateRuntimeDirectory();
    doctest::Context context(argc, argv);
    const int result = context.run();
    PipeScopeTest::tearDownPrivateRuntimeDirectory();
    return result;
}
