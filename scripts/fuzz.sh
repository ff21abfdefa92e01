#!/usr/bin/env bash
# Fuzzes the JSON loader and the value parsers with libFuzzer for a bounded time:
#   bash scripts/fuzz.sh [SECONDS_PER_TARGET]     (default 60)
# Installs clang from Debian when missing, builds each target from the library sources with
# -fsanitize=fuzzer,address,undefined, seeds it from tests/fuzz/corpus/ (plus the golden
# books) and runs it. A crash, hang or leak fails the run; its input is written to
# tests/fuzz/regressions/, where tests/cpp/test_fuzz_regressions.cpp replays it in the
# ordinary test suite from then on.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$AECORE_ROOT"
seconds=${1:-60}

fuzz_packages=()
command -v clang++ >/dev/null 2>&1 || fuzz_packages+=(clang)
dpkg-query -W -f='${Status}' libclang-rt-dev 2>/dev/null | grep -q "install ok installed" || fuzz_packages+=(libclang-rt-dev)
if [ ${#fuzz_packages[@]} -gt 0 ]; then
    say "installing ${fuzz_packages[*]} (libFuzzer and the sanitizer runtimes)"
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO=sudo
    run_logged apt-clang env DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends \
        "${fuzz_packages[@]}"
fi

out="$AECORE_BUILD/fuzz"
mkdir -p "$out"
sources=(src/*.cpp)
flags=(-std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
       -DBOOST_DATE_TIME_NO_LIB -Iinclude -Isrc -I"$out/generated")
mkdir -p "$out/generated/aecore"
sed 's/@PROJECT_VERSION@/0.0.0/g; s/@[A-Za-z_]*@/0/g' cmake/version.hpp.in >"$out/generated/aecore/version.hpp"

status=0
for target in fuzz_agency_json fuzz_values; do
    if [ ! -x "$out/$target" ] || [ -n "$(find src include "tests/fuzz/$target.cpp" -newer "$out/$target" -print -quit)" ]; then
        say "building $target"
        run_logged "fuzz-build-$target" clang++ "${flags[@]}" "tests/fuzz/$target.cpp" "${sources[@]}" -o "$out/$target"
    fi
    corpus_name=${target#fuzz_}
    [ "$corpus_name" = agency_json ] && corpus_name=agency
    work="$out/corpus-$corpus_name"
    mkdir -p "$work"
    seeds=("tests/fuzz/corpus/$corpus_name")
    [ "$corpus_name" = agency ] && seeds+=(tests/data)
    say "fuzzing $target for $seconds s"
    if ! "$out/$target" "$work" "${seeds[@]}" -max_total_time="$seconds" -max_len=1000000 -rss_limit_mb=2048 \
            -timeout=10 -artifact_prefix="tests/fuzz/regressions/$corpus_name-" -print_final_stats=1 \
            >"$AECORE_BUILD/logs/$target.log" 2>&1; then
        tail -n 60 "$AECORE_BUILD/logs/$target.log"
        say "$target found a failure; the input is in tests/fuzz/regressions/"
        status=1
    else
        grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$AECORE_BUILD/logs/$target.log" | sed "s/^/  $target: /"
    fi
done
exit $status
