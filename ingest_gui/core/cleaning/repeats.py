"""Whether a column repeats a value (user ids): the plain answer by hashing, and a fast one for
short values packed into integers; tests/core/test_cleaning_fast_paths.py proves them equal."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ingest_gui.core.arrow import StringBytes, as_array, present_mask


def has_repeats_by_hashing(values: pa.Array) -> bool:
    """Whether a value (nulls aside) appears more than once: the reference."""
    array = as_array(values)
    distinct = pc.unique(array)
    return bool(len(distinct) - (1 if distinct.null_count else 0)
                != len(array) - array.null_count)


def has_repeats(values: pa.Array) -> bool:
    """Whether a value (nulls aside) appears more than once.

    Values of at most 8 bytes (ids such as "C0000001") are packed into integers and sorted:
    several times cheaper than hashing a million strings. Longer ones are hashed.
    """
    array = as_array(values)
    present = present_mask(array)
    rows = np.flatnonzero(present)
    if len(rows) < 2:
        return False
    view = StringBytes(array)
    lengths = view.lengths[rows]
    shortest, longest = int(lengths.min()), int(lengths.max())
    if longest > 8 or (longest == 8 and shortest < 8):
        return has_repeats_by_hashing(array)
    block = np.zeros((len(rows), 8), dtype=np.uint8)
    if shortest == longest > 0 and len(rows) == len(array):
        block[:, :longest] = view.data[view.offsets[0]:view.offsets[-1]].reshape(-1, longest)
    else:
        inside = np.arange(8) < lengths[:, None]
        block[inside] = view.data[(view.starts[rows][:, None] + np.arange(8))[inside]]
    if longest < 8:
        block[:, 7] = lengths  # "A" and "A\x00" differ
    keys = np.sort(block.view(np.uint64).ravel())
    return bool((keys[1:] == keys[:-1]).any())
