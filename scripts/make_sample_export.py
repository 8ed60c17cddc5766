"""Generate the bundled sample export of a fictional firm, Harbourview Legal LLP.

    .venv/bin/python scripts/make_sample_export.py            # rewrite it in place
    .venv/bin/python scripts/make_sample_export.py --out DIR  # or write it into DIR, to compare

The generator is the package ``scripts/sample_export`` (see its ``__init__``); this is
its command line.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scripts.sample_export.sample import main

if __name__ == "__main__":
    sys.exit(main())
