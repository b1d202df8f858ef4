"""Countries: names in English or Spanish and ISO codes -> ISO alpha-2."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from ingest_gui.core.arrow import as_array
from ingest_gui.core.cleaning.base import Cleaned, Failure, lookup_distinct, value_template
from ingest_gui.core.countries import to_country_code
from ingest_gui.texts import QT_TRANSLATE_NOOP


def clean_country(values: pa.Array) -> Cleaned:
    return lookup_distinct(as_array(values), to_country_code,
                            Failure("invalid_country", np.zeros(0, bool),
                                    value_template(QT_TRANSLATE_NOOP(
                                        "Validation",
                                        '"{value}" is not a country name or ISO code'))))
