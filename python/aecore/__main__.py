"""`python -m aecore` runs the demo on the embedded sample agency."""

from .demo import main

raise SystemExit(main())
