"""Lists (multivalue targets): split, each element cleaned, joined for the wire."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ingest_gui.api.items import LIST_SEPARATOR
from ingest_gui.core.arrow import as_array, null_where, present_mask
from ingest_gui.core.cleaning.base import Cleaned, Failure, blank_to_null, value_template
from ingest_gui.texts import QT_TRANSLATE_NOOP, group_thousands


def clean_list(values: pa.Array, *, separator: str, limit: int,
               element: Callable[[pa.Array], Cleaned] | None = None,
               element_with_rows: Callable[[pa.Array, np.ndarray], Cleaned] | None = None,
               ) -> Cleaned:
    """Split on ``separator``, trim, drop empties, clean each element, join with
    ``LIST_SEPARATOR``.

    ``element`` cleans the flattened elements; ``element_with_rows`` also gets each element's
    row (for cleaners that depend on the row, such as phones read with the row's country).
    """
    array = as_array(values)
    pieces = pc.split_pattern(array, separator) if separator else pc.split_pattern(array, "\n")
    lengths = np.asarray(pc.fill_null(pc.list_value_length(pieces), 0).to_numpy(
        zero_copy_only=False), dtype=np.int64)
    flat = blank_to_null(pc.list_flatten(pieces))
    parent = np.repeat(np.arange(len(array)), lengths)
    if element_with_rows is not None:
        cleaned = element_with_rows(flat, parent)
    else:
        cleaned = element(flat) if element is not None else Cleaned(flat)
    failures = []
    for failure in cleaned.failures:
        rows = np.zeros(len(array), dtype=bool)
        rows[parent[failure.mask]] = True
        failures.append(Failure(failure.kind, rows, failure.template))
    keep = present_mask(cleaned.values)
    kept_parent = parent[keep]
    counts = np.bincount(kept_parent, minlength=len(array))
    kept_values = cleaned.values.filter(pa.array(keep))
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int32)
    regrouped = pa.ListArray.from_arrays(pa.array(offsets), kept_values.cast(pa.string()))
    joined = pc.binary_join(regrouped, LIST_SEPARATOR)
    over = counts > limit
    failures.append(Failure("too_many_values", over,
                            value_template(QT_TRANSLATE_NOOP(
                                "Validation", '"{value}" has more than {limit} values'),
                                limit=group_thousands(limit))))
    invalid = over.copy()
    for failure in failures:
        invalid |= failure.mask
    joined = null_where(joined, invalid | (counts == 0))
    return Cleaned(joined, failures)
