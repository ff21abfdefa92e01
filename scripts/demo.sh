#!/usr/bin/env bash
# The main job: set up what is missing, build and install aecore, run the demo on the
# embedded sample agency.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
exec python -m aecore "$@"
