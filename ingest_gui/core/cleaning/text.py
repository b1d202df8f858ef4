"""Free text: trimmed and limited in length."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from ingest_gui.core.arrow import as_array, null_where, true_mask
from ingest_gui.core.cleaning.base import Cleaned, Failure, value_template
from ingest_gui.texts import QT_TRANSLATE_NOOP, group_thousands


def clean_text(values: pa.Array, *, max_length: int | None = None) -> Cleaned:
    array = as_array(values)
    failures = []
    if max_length is not None:
        too_long = true_mask(pc.greater(pc.utf8_length(array), max_length))
        if too_long.any():
            failures.append(Failure("too_long", too_long,
                                    value_template(QT_TRANSLATE_NOOP(
                                        "Validation",
                                        '"{value}" is longer than {limit} characters'),
                                        limit=group_thousands(max_length))))
            array = null_where(array, too_long)
    return Cleaned(array, failures)
