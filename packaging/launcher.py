"""Entry script of the frozen app (PyInstaller starts here, not at ``ingest_gui.__main__``).

``ingest_gui.__main__.main`` calls ``multiprocessing.freeze_support()`` before anything else, so
the phone cleaner's "spawn" worker processes (this same executable started with special
arguments) become workers instead of opening another wizard window.
"""

from __future__ import annotations

import sys

if __name__ == "__main__":
    from ingest_gui.__main__ import main

    sys.exit(main())
