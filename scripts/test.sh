#!/usr/bin/env bash
# The whole test suite: the same self-installing set-up as the demo, then
#   1. the C++ library and GoogleTest suite (ctest; includes building the examples/cpp
#      consumer against an installed copy of aecore with find_package);
#   2. the pytest suite against the pip-installed package.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$AECORE_ROOT"

cpp_build="$AECORE_BUILD/cpp"
cmake_args=(-S "$AECORE_ROOT" -B "$cpp_build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DAECORE_BUILD_TESTS=ON)
if [ ! -f "$cpp_build/CMakeCache.txt" ]; then
    run_logged cmake-configure cmake "${cmake_args[@]}"
fi
say "building the C++ library and tests"
run_logged cmake-build cmake --build "$cpp_build" -j "$AECORE_JOBS"

say "running the C++ tests (ctest)"
ctest_log="$AECORE_BUILD/logs/ctest.log"
if ctest --test-dir "$cpp_build" --output-on-failure -j "$AECORE_JOBS" >"$ctest_log" 2>&1; then
    grep -E "tests passed|tests failed|Total Test time" "$ctest_log"
else
    grep -vE "^ *(Start +[0-9]+|[0-9]+/[0-9]+ Test +#[0-9]+:.*Passed)" "$ctest_log" | tail -n 300
    say "C++ tests failed (full log: $ctest_log)"
    exit 1
fi

say "running the Python tests (pytest)"
# pytest exits 5 when it collects nothing: set -e turns that into a failure.
python -m pytest -q -p no:cacheprovider "$AECORE_ROOT/tests/python"
