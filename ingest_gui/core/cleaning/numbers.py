"""Numbers written with either decimal separator, grouped or not -> canonical ``-1234.5``.

The plain reading gives each row one vote for the decimal separator (:func:`_clean_numbers` on
the whole column); :func:`_clean_numbers_weighted` reads each distinct value once and weighs its
vote by its rows, which must give the same answer (tests/core/test_cleaning_fast_paths.py).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ingest_gui.core.arrow import as_array, null_where, present_mask, true_mask
from ingest_gui.core.cleaning.base import (
    HIGH_DISTINCT_SHARE,
    LOW_DISTINCT_SHARE,
    Cleaned,
    Failure,
    blank_to_null,
    by_distinct,
    distinct_share,
    first_value,
    value_template,
)
from ingest_gui.texts import QT_TRANSLATE_NOOP

# Spaces and apostrophes between digit groups, a percent sign ("12,5 %" is 12.5), currency
# symbols and codes. Real characters, not escapes: RE2 does not read "\\u00a0".
_NUMBER_NOISE = ("(?i:r\\$|kr|zł|kč|eur|usd|gbp|chf|mxn|brl|ars|clp|cop|jpy|cny|inr|sek|nok|dkk|"
                 "pln|czk|huf|aud|cad|nzd)|[\\s\u00a0\u202f\u2009'’%€$£¥₹₽₩₺₪₫₴₦₱฿¢]")
_NUMBER_NOISE_TEST = "[^0-9.,+-]"


def clean_number(values: pa.Array, *, integer: bool = False,
                 decimal_separator: str | None = None) -> Cleaned:
    """Numbers written with either decimal separator -> canonical ``-1234.5``.

    ``decimal_separator`` "." or ","; ``None`` decides per column: values that can only be read
    one way ("12,5", "1.234,56", "1,234.56", "1.234.567") vote, and the majority reads the
    ambiguous ones ("1,234", "1.234"); with no votes, or a tie, the dot is the decimal separator.
    Distinct values vote on a column with few of them, rows on the others.
    """
    array = as_array(values)
    share = distinct_share(array)
    if share < LOW_DISTINCT_SHARE:
        return by_distinct(array, lambda distinct: _clean_numbers(
            distinct, integer, decimal_separator))
    if share > HIGH_DISTINCT_SHARE:
        return _clean_numbers(array, integer, decimal_separator)
    return _clean_numbers_weighted(array, integer, decimal_separator)


def _clean_numbers_weighted(array: pa.Array, integer: bool,
                            decimal_separator: str | None) -> Cleaned:
    """What :func:`_clean_numbers` gives on every row, each distinct value read once: rows
    vote, each distinct value's vote counted once per row."""
    encoded = pc.dictionary_encode(array, null_encoding="encode")
    indices = np.asarray(encoded.indices.to_numpy(zero_copy_only=False), dtype=np.int64)
    weights = np.bincount(indices, minlength=len(encoded.dictionary))
    return _clean_numbers(encoded.dictionary, integer, decimal_separator,
                          weights=weights).take(indices)


# A digit somewhere; grouping in threes before an optional fraction; or a bare fraction.
_NUMBER_SHAPE = r"^[-+]?(?:(?:\d+|\d{1,3}(?:[.,]\d{3})+)(?:[.,]\d*)?|[.,]\d+)$"


def _clean_numbers(array: pa.Array, integer: bool, decimal_separator: str | None,
                   weights: np.ndarray | None = None) -> Cleaned:
    """``weights``: how many votes each value has (default one)."""
    text = array
    if true_mask(pc.match_substring_regex(text, _NUMBER_NOISE_TEST)).any():
        text = pc.replace_substring(text, "\u2212", "-")
        text = pc.replace_substring_regex(text, _NUMBER_NOISE, "")

    def ints(result: pa.Array) -> np.ndarray:
        return np.asarray(pc.fill_null(result, -1).to_numpy(zero_copy_only=False),
                          dtype=np.int64)

    dots = ints(pc.count_substring(text, "."))
    commas = ints(pc.count_substring(text, ","))
    backwards = pc.utf8_reverse(text)
    # Characters after the last dot / comma (-1: none).
    after_dot = ints(pc.find_substring(backwards, "."))
    after_comma = ints(pc.find_substring(backwards, ","))
    both = (dots > 0) & (commas > 0)
    comma_last = both & (after_comma < after_dot)
    dot_last = both & ~comma_last
    grouped_dots = (dots > 1) & (commas == 0)
    grouped_commas = (commas > 1) & (dots == 0)
    single_dot = (dots == 1) & (commas == 0)
    single_comma = (commas == 1) & (dots == 0)
    three_after = (single_dot & (after_dot == 3)) | (single_comma & (after_comma == 3))
    shape_ok = true_mask(pc.match_substring_regex(text, _NUMBER_SHAPE))
    # With both separators the decimal one comes last and only once.
    shape_ok &= ~(comma_last & (commas > 1)) & ~(dot_last & (dots > 1))
    comma_votes_mask = comma_last | grouped_dots | (single_comma & ~three_after)
    dot_votes_mask = dot_last | grouped_commas | (single_dot & ~three_after)
    if decimal_separator is None:
        votes = np.ones(len(array), dtype=np.int64) if weights is None else weights
        comma_votes = int(votes[comma_votes_mask & shape_ok].sum())
        dot_votes = int(votes[dot_votes_mask & shape_ok].sum())
        decimal_separator = "," if comma_votes > dot_votes else "."
    decimal_is_comma = comma_votes_mask | (three_after & (decimal_separator == ","))
    as_comma = pc.replace_substring(pc.replace_substring(text, ".", ""), ",", ".")
    as_dot = pc.replace_substring(text, ",", "")
    normal = pc.if_else(pa.array(decimal_is_comma), as_comma, as_dot) \
        if decimal_is_comma.any() else as_dot
    negative = true_mask(pc.starts_with(normal, "-"))
    # "+0012.500" -> whole "12", fraction "5".
    parts = pc.extract_regex(normal, r"^[-+]?0*(?P<whole>\d*)(?:\.(?P<fraction>\d*?)0*)?$")
    whole = pc.fill_null(parts.field("whole"), "")
    fraction = pc.fill_null(parts.field("fraction"), "")
    whole = pc.if_else(pc.equal(whole, ""), "0", whole)
    has_fraction = true_mask(pc.greater(pc.utf8_length(fraction), 0))
    canonical = pc.if_else(pa.array(has_fraction),
                           pc.binary_join_element_wise(whole, fraction, "."), whole)
    make_negative = negative & ~true_mask(pc.equal(canonical, "0"))
    if make_negative.any():
        canonical = pc.if_else(pa.array(make_negative),
                               pc.binary_join_element_wise("-", canonical, ""), canonical)
    present = present_mask(array)
    bad = present & ~shape_ok
    failures = [Failure("invalid_number", bad, value_template(QT_TRANSLATE_NOOP(
        "Validation", '"{value}" is not a number')))]
    if integer:
        fractional = present & shape_ok & has_fraction
        failures.append(Failure("not_integer", fractional, value_template(QT_TRANSLATE_NOOP(
            "Validation", '"{value}" is not a whole number'))))
        bad = bad | fractional
    return Cleaned(null_where(canonical, bad | ~present), failures)


def clean_number_value(text: str, *, integer: bool = False,
                       decimal_separator: str | None = None) -> str | None:
    return first_value(clean_number(blank_to_null([text]), integer=integer,
                             decimal_separator=decimal_separator))
