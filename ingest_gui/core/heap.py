"""Keep Python's cyclic garbage collector from freezing the app while big imports run.

A full collection (generation 2) walks every tracked container alive in the process while it
holds the GIL, so no other thread runs meanwhile — not even the GUI thread. Measured in the
wizard's process (PySide6, pandas, pyarrow, httpx loaded) on a busy 2-core machine: 135-185 ms
for the app alone, and 500-750 ms once 100,000 payload rows and their upload answers are alive.
Full collections come every time the objects that survived since the last one reach a quarter
of the old ones, so a large import triggers several of them; ``tests/core/stall_probe.py``
shows them as the longest stalls of the GUI thread.

The remedy is ``gc.freeze()``: objects alive at that moment move to a permanent generation that
collections skip. They are still freed by reference counting as usual; only a reference cycle
among them that becomes garbage afterwards stays in memory (until ``gc.unfreeze()``), which is
why young garbage is collected first (cheap) and only data that lives through an import — the
libraries, the window, a loaded table, the payload batches — is frozen.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


def collect_young_if_allowed() -> None:
    """Collect the young generations, unless automatic collection is turned off.

    Off means the program runs collections itself on a thread of its choosing: the wizard
    keeps them on its GUI thread while workers run, because PySide6 crashes when a collection
    on a worker walks widgets the GUI thread is destroying. These functions run on workers, so
    they then only freeze (which walks nothing); the little young garbage frozen with the rest
    is the price.
    """
    if gc.isenabled():
        gc.collect(1)


def settle_long_lived() -> None:
    """Take everything alive now out of future collections (young garbage is collected first).

    Cheap: collecting the two young generations costs only what was allocated since the last
    collection, and freezing splices lists. Call it once a step has created data that lives
    through the import.
    """
    collect_young_if_allowed()
    gc.freeze()


@contextmanager
def building_long_lived() -> Iterator[None]:
    """Create many containers (a million payload dicts) without collections, then freeze them.

    Without this, every few hundred new containers trigger a young collection that rescans the
    ones created so far, and the first collections after the block walk all of them again
    (measured: a single 580 ms pause after building 100,000 contacts). The block's objects are
    frozen as they are at the end, without a collection: they are the result, not garbage.
    """
    collect_young_if_allowed()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
        gc.freeze()
    finally:
        if was_enabled:
            gc.enable()
