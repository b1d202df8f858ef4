"""Vectorised cleaners: spreadsheet text in, the datasource's wire form out.

Every cleaner takes a pyarrow string array (already trimmed; empty cells as nulls) and returns a
:class:`Cleaned`: the wire values (null where the cell was empty or could not be read) and, per
kind of failure, a boolean mask of the rows that failed with a message template. Nothing here
loops over rows in Python: work is done with pyarrow compute kernels and numpy, and the few
per-value library calls (phonenumbers, month names) run once per *distinct* value, on both cores
for large inputs.

One module per kind of value; where speed needs byte tricks, the fast path sits in its own
``*_fast`` module beside the plain reading it must agree with (tests prove it). The
``clean_*_value`` helpers run the same vectorised code on one value; tests and the UI use them.
"""

from ingest_gui.core.cleaning.base import (
    NO_TIME,
    Cleaned,
    Failure,
    Template,
    blank_to_null,
    by_distinct,
    distinct_cardinality_is_low,
    lookup_distinct,
    value_template,
)
from ingest_gui.core.cleaning.booleans import boolean_of, clean_bool, clean_bool_value
from ingest_gui.core.cleaning.countries import clean_country
from ingest_gui.core.cleaning.dates import clean_date_value, clean_dates
from ingest_gui.core.cleaning.emails import clean_email
from ingest_gui.core.cleaning.lists import clean_list
from ingest_gui.core.cleaning.numbers import clean_number, clean_number_value
from ingest_gui.core.cleaning.phones import (
    PARALLEL_PHONE_THRESHOLD,
    clean_phone,
    clean_phone_value,
    format_phone,
)
from ingest_gui.core.cleaning.repeats import has_repeats
from ingest_gui.core.cleaning.text import clean_identifier, clean_text, strip_text_markers

__all__ = [
    "NO_TIME",
    "PARALLEL_PHONE_THRESHOLD",
    "Cleaned",
    "Failure",
    "Template",
    "blank_to_null",
    "boolean_of",
    "by_distinct",
    "clean_bool",
    "clean_bool_value",
    "clean_country",
    "clean_date_value",
    "clean_dates",
    "clean_email",
    "clean_identifier",
    "clean_list",
    "clean_number",
    "clean_number_value",
    "clean_phone",
    "clean_phone_value",
    "clean_text",
    "distinct_cardinality_is_low",
    "format_phone",
    "has_repeats",
    "lookup_distinct",
    "strip_text_markers",
    "value_template",
]
