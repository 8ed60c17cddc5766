"""``python -m scripts.sample_export``: rewrite the bundled sample (see :mod:`.sample`)."""

import sys

from scripts.sample_export.sample import main

sys.exit(main())
