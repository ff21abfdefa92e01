#!/usr/bin/env bash
# The whole test suite: the same self-installing set-up as the demo, then
#   1. the C++ library and GoogleTest suite (ctest; includes building the examples/cpp
#      consumer against an installed copy of aecore with find_package);
#   2. the tests that read outside input (documents, fuzz crashers, the bad-input catalog)
#      and the concurrent-reader test under AddressSanitizer + UBSan, the reader test under
#      ThreadSanitizer (scripts/sanitize.sh runs both whole suites sanitized);
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

# Sanitized builds (-O1 so that they build and run in minutes): the tests that read outside
# input, and the concurrent-reader test, under AddressSanitizer + UBSan; the reader test
# again under ThreadSanitizer. scripts/sanitize.sh runs everything, pytest included.
sanitized() {  # build dir, extra cmake args...
    local dir="$AECORE_BUILD/$1"
    shift
    if [ ! -f "$dir/CMakeCache.txt" ]; then
        run_logged "$(basename "$dir")-configure" cmake -S "$AECORE_ROOT" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
            -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g" -DAECORE_INSTALL=OFF -DAECORE_BUILD_TESTS=ON "$@"
    fi
}
run_sanitized() {  # label, log name, executable, environment...
    local label=$1 log="$AECORE_BUILD/logs/$2.log" exe=$3
    shift 3
    say "running $label"
    if env "$@" "$exe" --gtest_brief=1 >"$log" 2>&1; then
        grep -E "^\[  (PASSED|FAILED) |tests? from .* ran" "$log" | tail -n 2
    else
        tail -n 200 "$log"
        say "$label failed (full log: $log)"
        exit 1
    fi
}
sanitized asan-cpp -DAECORE_SANITIZE=ON
say "building the input and reader tests with AddressSanitizer and UBSan"
run_logged asan-cpp-build cmake --build "$AECORE_BUILD/asan-cpp" -j "$AECORE_JOBS" --target aecore_input_tests aecore_reader_tests
asan_env=(UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ASAN_OPTIONS=detect_leaks=1:abort_on_error=1)
run_sanitized "the input tests under AddressSanitizer and UBSan" asan-input \
    "$AECORE_BUILD/asan-cpp/tests/cpp/aecore_input_tests" "${asan_env[@]}"
run_sanitized "the concurrent-reader test under AddressSanitizer and UBSan" asan-reader \
    "$AECORE_BUILD/asan-cpp/tests/cpp/aecore_reader_tests" "${asan_env[@]}"
sanitized tsan -DAECORE_SANITIZE_THREAD=ON
say "building the concurrent-reader test with ThreadSanitizer"
run_logged tsan-build cmake --build "$AECORE_BUILD/tsan" -j "$AECORE_JOBS" --target aecore_reader_tests
run_sanitized "the concurrent-reader test under ThreadSanitizer" tsan-reader \
    "$AECORE_BUILD/tsan/tests/cpp/aecore_reader_tests" TSAN_OPTIONS=halt_on_error=1

say "running the Python tests (pytest)"
# pytest exits 5 when it collects nothing: set -e turns that into a failure.
python -m pytest -q -p no:cacheprovider "$AECORE_ROOT/tests/python"
