"""`python -m viewer` is the same program as the `article-viewer` console script."""

import sys

from viewer.cli import main

sys.exit(main())
