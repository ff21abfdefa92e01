#!/usr/bin/env bash
# The whole test suite: the same self-installing set-up as the demo, then
#   1. the C++ library and GoogleTest suite (ctest; includes building the examples/cpp
#      consumer against an installed copy of aecore with find_package);
#   2. the C++ suite again under AddressSanitizer + UBSan, and the concurrent-reader test
#      under ThreadSanitizer (scripts/sanitize.sh adds pytest against a sanitized extension);
#   3. the pytest suite against the pip-installed package.
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

# Sanitized builds: optimised a little (-O1) so that they build and run in minutes.
sanitized() {  # name, extra cmake args...
    local dir="$AECORE_BUILD/$1"
    shift
    if [ ! -f "$dir/CMakeCache.txt" ]; then
        run_logged "$(basename "$dir")-configure" cmake -S "$AECORE_ROOT" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
            -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g" -DAECORE_INSTALL=OFF -DAECORE_BUILD_TESTS=ON "$@"
    fi
}
sanitized asan-cpp -DAECORE_SANITIZE=ON
say "building the C++ tests with AddressSanitizer and UBSan"
run_logged asan-cpp-build cmake --build "$AECORE_BUILD/asan-cpp" -j "$AECORE_JOBS"
say "running the C++ tests under AddressSanitizer and UBSan"
asan_log="$AECORE_BUILD/logs/asan-ctest.log"
if UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
        ctest --test-dir "$AECORE_BUILD/asan-cpp" --output-on-failure -j "$AECORE_JOBS" >"$asan_log" 2>&1; then
    grep -E "tests passed|tests failed|Total Test time" "$asan_log"
else
    grep -vE "^ *(Start +[0-9]+|[0-9]+/[0-9]+ Test +#[0-9]+:.*Passed)" "$asan_log" | tail -n 300
    say "C++ tests failed under the sanitizers (full log: $asan_log)"
    exit 1
fi
sanitized tsan -DAECORE_SANITIZE_THREAD=ON
say "building the concurrent-reader test with ThreadSanitizer"
run_logged tsan-build cmake --build "$AECORE_BUILD/tsan" -j "$AECORE_JOBS" --target aecore_reader_tests
say "running the concurrent-reader test under ThreadSanitizer"
tsan_log="$AECORE_BUILD/logs/tsan.log"
if TSAN_OPTIONS=halt_on_error=1 "$AECORE_BUILD/tsan/tests/cpp/aecore_reader_tests" >"$tsan_log" 2>&1; then
    grep -E "^\[  (PASSED|FAILED) " "$tsan_log"
else
    tail -n 200 "$tsan_log"
    say "ThreadSanitizer reported a problem (full log: $tsan_log)"
    exit 1
fi

say "running the Python tests (pytest)"
# pytest exits 5 when it collects nothing: set -e turns that into a failure.
python -m pytest -q -p no:cacheprovider "$AECORE_ROOT/tests/python"
