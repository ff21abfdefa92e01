#!/usr/bin/env python3
"""Rewrites the sample books shipped in python/aecore/data/ from their builder in
aecore/samples.py. Run after changing the builder, with the source tree's package installed:

    bash scripts/setup.sh && .venv/bin/python scripts/update_sample_book.py
"""

from pathlib import Path

import aecore.samples

if __name__ == "__main__":
    for path in aecore.samples.write(Path(__file__).resolve().parent.parent / "python" / "aecore" / "data"):
        print(f"wrote {path}")
