#!/usr/bin/env bash
# Idempotent set-up shared by scripts/demo.sh and scripts/test.sh (source it):
#   1. Debian packages the C++ build needs, installed only when missing;
#   2. a virtual environment (.venv) with the Python build and test tools;
#   3. aecore itself pip-installed into that environment, rebuilt only when the
#      sources changed (the CMake build directory is cached under build/).
# Silent when there is nothing to do; a failing step prints its log.

set -euo pipefail

AECORE_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
AECORE_VENV=${AECORE_VENV:-$AECORE_ROOT/.venv}
AECORE_BUILD=$AECORE_ROOT/build
AECORE_JOBS=${AECORE_JOBS:-2}
mkdir -p "$AECORE_BUILD/logs"

say() { printf '[aecore] %s\n' "$*" >&2; }

# run_logged NAME CMD...: run quietly; on failure show the log and stop.
run_logged() {
    local name=$1
    shift
    local log="$AECORE_BUILD/logs/$name.log"
    if ! "$@" >"$log" 2>&1; then
        say "step '$name' failed: $*"
        tail -n 200 "$log" >&2
        exit 1
    fi
}

# ---------------------------------------------------------------- 1. system packages
aecore_apt_packages=(g++ libboost-date-time-dev nlohmann-json3-dev libgtest-dev libbenchmark-dev)
missing=()
for pkg in "${aecore_apt_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import ensurepip, venv' >/dev/null 2>&1; then
    missing+=("python3-venv")
fi
if [ ${#missing[@]} -gt 0 ]; then
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO=sudo
    say "installing Debian packages: ${missing[*]}"
    run_logged apt-update $SUDO apt-get update -q
    run_logged apt-install env DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# ---------------------------------------------------------------- 2. virtual environment
if [ ! -x "$AECORE_VENV/bin/python" ]; then
    say "creating the virtual environment $AECORE_VENV"
    run_logged venv "$PYTHON" -m venv "$AECORE_VENV"
fi
export PATH="$AECORE_VENV/bin:$PATH"
req_stamp="$AECORE_VENV/.aecore-requirements"
req_hash=$(sha256sum "$AECORE_ROOT/scripts/requirements-dev.txt" | cut -d' ' -f1)
if [ "$(cat "$req_stamp" 2>/dev/null)" != "$req_hash" ]; then
    say "installing Python build and test tools into $AECORE_VENV"
    run_logged pip-tools python -m pip install -q --disable-pip-version-check -r "$AECORE_ROOT/scripts/requirements-dev.txt"
    echo "$req_hash" >"$req_stamp"
fi
# CMake >= 3.25 is required; use pip's when the system one is older.
if ! cmake -P /dev/stdin >/dev/null 2>&1 <<<'if(CMAKE_VERSION VERSION_LESS 3.25)
message(FATAL_ERROR "old")
endif()'; then
    say "system CMake is older than 3.25; installing cmake from PyPI into $AECORE_VENV"
    run_logged pip-cmake python -m pip install -q --disable-pip-version-check "cmake>=3.25"
fi

# ---------------------------------------------------------------- 3. aecore into the venv
aecore_source_hash() {
    (cd "$AECORE_ROOT" && find CMakeLists.txt pyproject.toml cmake include src bindings python -type f \
        ! -name '*.pyc' -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)
}
pkg_stamp="$AECORE_VENV/.aecore-installed"
pkg_hash=$(aecore_source_hash)
if [ "$(cat "$pkg_stamp" 2>/dev/null)" != "$pkg_hash" ] || ! python -c 'import aecore' >/dev/null 2>&1; then
    say "building and installing aecore into $AECORE_VENV (first build takes a few minutes)"
    run_logged pip-install-aecore env CMAKE_BUILD_PARALLEL_LEVEL="$AECORE_JOBS" \
        python -m pip install --no-build-isolation --no-deps --disable-pip-version-check "$AECORE_ROOT"
    echo "$pkg_hash" >"$pkg_stamp"
fi
