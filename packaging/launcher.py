"""Entry script of the frozen app (PyInstaller starts here, not at ``ingest_gui.__main__``).

``multiprocessing.freeze_support()`` must run first: the phone cleaner formats large columns in
"spawn" worker processes, and a spawned worker of a frozen app is this same executable started
with special arguments. Without the call each worker would open another wizard window.
"""

from __future__ import annotations

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    from ingest_gui.__main__ import main

    sys.exit(main())
