"""Yes/no values in English and Spanish (and ticks) -> ``"1"``/``"0"``."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from ingest_gui.core.arrow import as_array
from ingest_gui.core.cleaning.base import (
    Cleaned,
    Failure,
    blank_to_null,
    first_value,
    lookup_distinct,
    value_template,
)
from ingest_gui.core.countries import fold
from ingest_gui.texts import QT_TRANSLATE_NOOP

_TRUE = {"1", "yes", "y", "si", "s", "true", "t", "x", "verdadero", "v", "on", "ok"}
_FALSE = {"0", "no", "n", "false", "f", "falso", "off"}


def boolean_of(text: str) -> str | None:
    folded = fold(text)
    if folded in _TRUE or text.strip() in {"✓", "✔"}:
        return "1"
    if folded in _FALSE:
        return "0"
    return None


def clean_bool(values: pa.Array) -> Cleaned:
    return lookup_distinct(as_array(values), boolean_of,
                            Failure("invalid_bool", np.zeros(0, bool),
                                    value_template(QT_TRANSLATE_NOOP(
                                        "Validation",
                                        '"{value}" is not yes/no (use yes, no, sí, true, '
                                        'false, 1, 0)'))))


def clean_bool_value(text: str) -> str | None:
    return first_value(clean_bool(blank_to_null([text])))
