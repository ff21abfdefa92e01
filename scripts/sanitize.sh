#!/usr/bin/env bash
# AddressSanitizer + UndefinedBehaviorSanitizer: builds the library, the GoogleTest suite and
# the Python extension with both sanitizers (build/asan), runs the C++ suite, then the whole
# pytest suite against the sanitized extension (python/aecore with the sanitized _core,
# libasan preloaded into the interpreter). Any report fails the run. About 20 minutes from
# scratch on 2 cores (the build), 6 minutes of tests.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$AECORE_ROOT"

asan_build="$AECORE_BUILD/asan"
if [ ! -f "$asan_build/CMakeCache.txt" ]; then
    run_logged asan-configure cmake -S "$AECORE_ROOT" -B "$asan_build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DAECORE_SANITIZE=ON -DAECORE_BUILD_TESTS=ON -DAECORE_BUILD_PYTHON=ON -DAECORE_INSTALL=OFF \
        -Dpybind11_DIR="$(python -m pybind11 --cmakedir)"
fi
say "building with AddressSanitizer and UBSan"
run_logged asan-build cmake --build "$asan_build" -j "$AECORE_JOBS"

export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
say "running the C++ tests under the sanitizers"
ctest_log="$AECORE_BUILD/logs/asan-ctest.log"
if ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 ctest --test-dir "$asan_build" --output-on-failure -j "$AECORE_JOBS" \
        >"$ctest_log" 2>&1; then
    grep -E "tests passed|tests failed|Total Test time" "$ctest_log"
else
    grep -vE "^ *(Start +[0-9]+|[0-9]+/[0-9]+ Test +#[0-9]+:.*Passed)" "$ctest_log" | tail -n 200
    say "C++ tests failed under the sanitizers (full log: $ctest_log)"
    exit 1
fi

say "running the Python tests against the sanitized extension"
overlay="$asan_build/python"
rm -rf "$overlay" && mkdir -p "$overlay"
cp -r "$AECORE_ROOT/python/aecore" "$overlay/"
cp "$asan_build"/bindings/_core*.so "$overlay/aecore/"
# CPython and numpy keep allocations to exit by design: leak checking is for the C++ suite.
LD_PRELOAD="$(g++ -print-file-name=libasan.so) $(g++ -print-file-name=libubsan.so)" \
    ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 PYTHONPATH="$overlay" \
    python -m pytest -q -p no:cacheprovider "$AECORE_ROOT/tests/python"
