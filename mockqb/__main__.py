"""``python -m qbbridge.mockqb run|init|demo``."""

import sys

from .cli import main

sys.exit(main())
