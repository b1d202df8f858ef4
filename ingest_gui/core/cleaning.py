"""Vectorised cleaners: spreadsheet text in, the datasource's wire form out.

Every cleaner takes a pyarrow string array (already trimmed; empty cells as nulls) and returns a
:class:`Cleaned`: the wire values (null where the cell was empty or could not be read) and, per
kind of failure, a boolean mask of the rows that failed with a message template. Nothing here
loops over rows in Python: work is done with pyarrow compute kernels and numpy, and the few
per-value library calls (phonenumbers, month names) run once per *distinct* value, on both cores
for large inputs.

The ``clean_*_value`` helpers run the same vectorised code on one value; tests and the UI use them.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ingest_gui.core.countries import fold, to_country_code
from ingest_gui.texts import QT_TRANSLATE_NOOP, group_thousands, translate_marked

if TYPE_CHECKING:
    from ingest_gui.core.mapping import DateOrder

#: Missing marker inside ``Cleaned.epoch_ms``.
NO_TIME = np.iinfo(np.int64).min
#: Distinct phone numbers needing phonenumbers above which the work is spread over processes.
PARALLEL_PHONE_THRESHOLD = 40_000

Template = tuple[str, str]
"""A message around the offending value: ``before + value + after``, in the user's language."""

#: Marks the offending value's place while a sentence is split around it.
_VALUE_MARK = "\x00"


def _template(sentence: str, **arguments: str) -> Template:
    """``sentence`` (English, marked with ``QT_TRANSLATE_NOOP`` under "Validation") translated,
    its named placeholders filled, split around ``{value}``. Once per cleaner call, never per row;
    a translation that lost or broke a placeholder falls back to the English sentence."""
    for text in (translate_marked("Validation", sentence), sentence):
        try:
            filled = text.format(value=_VALUE_MARK, **arguments)
        except (KeyError, IndexError, ValueError):
            continue
        before, mark, after = filled.partition(_VALUE_MARK)
        if mark:
            return before, after
    raise ValueError(f"the message {sentence!r} has no {{value}} placeholder")


@dataclass(slots=True)
class Failure:
    kind: str
    mask: np.ndarray
    template: Template


@dataclass(slots=True)
class Cleaned:
    """What a cleaner made of a column (or of the distinct values of one)."""

    values: pa.Array
    failures: list[Failure] = field(default_factory=list)
    #: Datetimes and event dates: UTC milliseconds since the epoch, ``NO_TIME`` where missing.
    epoch_ms: np.ndarray | None = None
    #: Dates: True where day-first and month-first read differently.
    ambiguous: np.ndarray | None = None
    #: Dates read with DateOrder.AUTO: "day_first" or "month_first".
    detected_order: str | None = None

    @property
    def invalid(self) -> np.ndarray:
        mask = np.zeros(len(self.values), dtype=bool)
        for failure in self.failures:
            mask |= failure.mask
        return mask

    def take(self, indices: np.ndarray) -> Cleaned:
        return Cleaned(
            values=self.values.take(pa.array(indices)),
            failures=[Failure(f.kind, f.mask[indices], f.template) for f in self.failures],
            epoch_ms=None if self.epoch_ms is None else self.epoch_ms[indices],
            ambiguous=None if self.ambiguous is None else self.ambiguous[indices],
            detected_order=self.detected_order,
        )


# --------------------------------------------------------------------------- helpers


def as_array(values: pa.Array | pa.ChunkedArray | Sequence[str | None]) -> pa.Array:
    """A contiguous pyarrow string array."""
    if isinstance(values, pa.ChunkedArray):
        array = values.combine_chunks() if values.num_chunks != 1 else values.chunk(0)
    elif isinstance(values, pa.Array):
        array = values
    else:
        array = pa.array(list(values), type=pa.string())
    if pa.types.is_dictionary(array.type):
        array = array.dictionary_decode()
    if not pa.types.is_string(array.type):
        # One string type everywhere: kernels joining two arrays refuse mixed string types.
        array = array.cast(pa.string())
    return array


def blank_to_null(values: pa.Array, *, trim: bool = True) -> pa.Array:
    """Trim (if asked) and turn empty strings into nulls."""
    array = as_array(values)
    if trim:
        array = pc.utf8_trim_whitespace(array)
    empty = pc.equal(array, "")
    if not pc.any(empty).as_py():
        return array
    return pc.if_else(empty, pa.scalar(None, array.type), array)


def _mask(boolean: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """A pyarrow boolean result as numpy, nulls counting as False."""
    return np.asarray(pc.fill_null(boolean, False).to_numpy(zero_copy_only=False), dtype=bool)


def _present(values: pa.Array) -> np.ndarray:
    return _mask(pc.is_valid(values))


def _null_where(values: pa.Array, mask: np.ndarray) -> pa.Array:
    if not mask.any():
        return values
    return pc.if_else(pa.array(mask), pa.scalar(None, values.type), values)


class _Bytes:
    """The offsets and UTF-8 bytes behind a string array, as numpy (the bytes not copied).

    Row ``i`` is ``data[offsets[i]:offsets[i + 1]]``; byte tests over these (first and last
    bytes, fixed layouts) replace regex passes over whole columns.
    """

    def __init__(self, array: pa.Array) -> None:
        _validity, offsets, data = array.buffers()
        self.offsets = np.frombuffer(offsets, dtype=np.int32, count=len(array) + 1,
                                     offset=array.offset * 4).astype(np.int64)
        self.data = np.frombuffer(data, dtype=np.uint8) if data is not None and data.size \
            else np.zeros(1, dtype=np.uint8)
        self.starts = self.offsets[:-1]
        self.lengths = np.diff(self.offsets)

    def head(self, rows: np.ndarray, width: int) -> np.ndarray:
        """The first ``width`` bytes of each of ``rows`` (each at least that long)."""
        matrix: np.ndarray = self.data[self.starts[rows][:, None] + np.arange(width)]
        return matrix

    def rows_of_width(self, width: int, present: np.ndarray,
                      filled: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(rows of the present values exactly ``width`` bytes long, their bytes as a
        rows x width matrix); ``filled`` marks the non-empty values."""
        in_width = present & (self.lengths == width)
        rows = np.flatnonzero(in_width)
        if len(rows) and np.array_equal(in_width, filled):
            # Every non-empty value has this width: the bytes are one (rows x width) block.
            block: np.ndarray = self.data[self.offsets[0]:self.offsets[-1]].reshape(
                len(rows), width)
            return rows, block
        return rows, self.head(rows, width)


def has_repeats(values: pa.Array) -> bool:
    """Whether a value (nulls aside) appears more than once.

    Values of at most 8 bytes (ids such as "C0000001") are packed into integers and sorted:
    several times cheaper than hashing a million strings. Longer ones are hashed.
    """
    array = as_array(values)
    present = _present(array)
    rows = np.flatnonzero(present)
    if len(rows) < 2:
        return False
    view = _Bytes(array)
    lengths = view.lengths[rows]
    shortest, longest = int(lengths.min()), int(lengths.max())
    if longest > 8 or (longest == 8 and shortest < 8):
        distinct = pc.unique(array)
        return len(distinct) - (1 if distinct.null_count else 0) != len(rows)
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


#: Below this share of distinct values (in a sample), cleaners work on distinct values.
_LOW_DISTINCT_SHARE = 0.5
#: Above it, encoding the distinct values costs more than it saves.
_HIGH_DISTINCT_SHARE = 0.9


def _distinct_share(values: pa.Array, sample: int = 20_000) -> float:
    """Cheap guess of the share of distinct values (0 for short columns: always worth it)."""
    if len(values) <= sample:
        return 0.0
    step = max(1, len(values) // sample)
    head = values.slice(0, step * sample)
    probe = pc.take(head, pa.array(np.arange(0, len(head), step)))
    return len(pc.unique(probe)) / len(probe)


def _distinct_cardinality_is_low(values: pa.Array, sample: int = 20_000) -> bool:
    """Cheap guess whether working on distinct values pays off."""
    return _distinct_share(values, sample) < _LOW_DISTINCT_SHARE


def by_distinct(values: pa.Array, cleaner: Callable[[pa.Array], Cleaned]) -> Cleaned:
    """Run ``cleaner`` once per distinct value and spread the result back over the rows."""
    encoded = pc.dictionary_encode(values, null_encoding="encode")
    if isinstance(encoded, pa.ChunkedArray):
        encoded = encoded.combine_chunks()
    cleaned = cleaner(encoded.dictionary)
    indices = np.asarray(encoded.indices.to_numpy(zero_copy_only=False), dtype=np.int64)
    return cleaned.take(indices)


def _lookup_distinct(values: pa.Array, lookup: Callable[[str], str | None],
                     failure: Failure | None) -> Cleaned:
    """Clean with a Python function applied to each distinct value (small vocabularies)."""

    def clean(distinct: pa.Array) -> Cleaned:
        texts = distinct.to_pylist()
        out = [None if text is None else lookup(text) for text in texts]
        bad = np.array([t is not None and o is None for t, o in zip(texts, out, strict=True)],
                       dtype=bool)
        failures = [] if failure is None else [Failure(failure.kind, bad, failure.template)]
        return Cleaned(pa.array(out, type=pa.string()), failures)

    return by_distinct(values, clean)


# --------------------------------------------------------------------------- text, e-mail


def clean_text(values: pa.Array, *, max_length: int | None = None) -> Cleaned:
    array = as_array(values)
    failures = []
    if max_length is not None:
        too_long = _mask(pc.greater(pc.utf8_length(array), max_length))
        if too_long.any():
            failures.append(Failure("too_long", too_long,
                                    _template(QT_TRANSLATE_NOOP(
                                        "Validation",
                                        '"{value}" is longer than {limit} characters'),
                                        limit=group_thousands(max_length))))
            array = _null_where(array, too_long)
    return Cleaned(array, failures)


# Deliberately permissive local part (what mail systems accept), strict domain with a TLD.
_EMAIL_RE = r"^[^@\s\"(),:;<>\[\]\\.]+(?:\.[^@\s\"(),:;<>\[\]\\.]+)*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,63}$"  # noqa: E501


def clean_email(values: pa.Array, *, lowercase: bool = True) -> Cleaned:
    array = as_array(values)
    if lowercase:
        # ASCII text (nearly every address) lower-cases the same, several times faster.
        ascii_only = int(_Bytes(array).data.max(initial=0)) < 0x80
        array = pc.ascii_lower(array) if ascii_only else pc.utf8_lower(array)
    # No doubled dot, no dot next to the @: mail servers reject those.
    bad = _present(array) & ~_mask(pc.match_substring_regex(array, _EMAIL_RE))
    return Cleaned(_null_where(array, bad),
                   [Failure("invalid_email", bad, _template(QT_TRANSLATE_NOOP(
                       "Validation", '"{value}" is not an e-mail address')))])


# --------------------------------------------------------------------------- countries, booleans


def clean_country(values: pa.Array) -> Cleaned:
    return _lookup_distinct(as_array(values), to_country_code,
                            Failure("invalid_country", np.zeros(0, bool),
                                    _template(QT_TRANSLATE_NOOP(
                                        "Validation",
                                        '"{value}" is not a country name or ISO code'))))


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
    return _lookup_distinct(as_array(values), boolean_of,
                            Failure("invalid_bool", np.zeros(0, bool),
                                    _template(QT_TRANSLATE_NOOP(
                                        "Validation",
                                        '"{value}" is not yes/no (use yes, no, sí, true, '
                                        'false, 1, 0)'))))


# --------------------------------------------------------------------------- numbers

# Real characters, not escapes: RE2 does not read "\\u00a0".
_NUMBER_NOISE = "[\\s\u00a0\u202f\u2009'’€$£¥]|(?i:eur|usd|gbp)"
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
    share = _distinct_share(array)
    if share < _LOW_DISTINCT_SHARE:
        return by_distinct(array, lambda distinct: _clean_numbers(
            distinct, integer, decimal_separator))
    if share > _HIGH_DISTINCT_SHARE:
        return _clean_numbers(array, integer, decimal_separator)
    # Rows vote, but each distinct value is read once, its vote counted once per row.
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
    if _mask(pc.match_substring_regex(text, _NUMBER_NOISE_TEST)).any():
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
    shape_ok = _mask(pc.match_substring_regex(text, _NUMBER_SHAPE))
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
    negative = _mask(pc.starts_with(normal, "-"))
    # "+0012.500" -> whole "12", fraction "5".
    parts = pc.extract_regex(normal, r"^[-+]?0*(?P<whole>\d*)(?:\.(?P<fraction>\d*?)0*)?$")
    whole = pc.fill_null(parts.field("whole"), "")
    fraction = pc.fill_null(parts.field("fraction"), "")
    whole = pc.if_else(pc.equal(whole, ""), "0", whole)
    has_fraction = _mask(pc.greater(pc.utf8_length(fraction), 0))
    canonical = pc.if_else(pa.array(has_fraction),
                           pc.binary_join_element_wise(whole, fraction, "."), whole)
    make_negative = negative & ~_mask(pc.equal(canonical, "0"))
    if make_negative.any():
        canonical = pc.if_else(pa.array(make_negative),
                               pc.binary_join_element_wise("-", canonical, ""), canonical)
    present = _present(array)
    bad = present & ~shape_ok
    failures = [Failure("invalid_number", bad, _template(QT_TRANSLATE_NOOP(
        "Validation", '"{value}" is not a number')))]
    if integer:
        fractional = present & shape_ok & has_fraction
        failures.append(Failure("not_integer", fractional, _template(QT_TRANSLATE_NOOP(
            "Validation", '"{value}" is not a whole number'))))
        bad = bad | fractional
    return Cleaned(_null_where(canonical, bad | ~present), failures)


# --------------------------------------------------------------------------- dates

_DATE_RE = (
    r"^(?P<a>\d{1,4})[-/.](?P<b>\d{1,2})[-/.](?P<c>\d{1,4})"
    r"(?:(?:[ T]+|\s*,\s*)(?P<hh>\d{1,2}):(?P<mi>\d{2})"
    r"(?::(?P<ss>\d{2})(?:[.,](?P<frac>\d{1,9}))?)?"
    r"\s*(?P<ampm>[AaPp]\.?[Mm]\.?)?"
    r"\s*(?P<tz>[Zz]|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?)?$"
)

_MONTHS = {
    "jan": 1, "january": 1, "ene": 1, "enero": 1,
    "feb": 2, "february": 2, "febrero": 2,
    "mar": 3, "march": 3, "marzo": 3,
    "apr": 4, "april": 4, "abr": 4, "abril": 4,
    "may": 5, "mayo": 5,
    "jun": 6, "june": 6, "junio": 6,
    "jul": 7, "july": 7, "julio": 7,
    "aug": 8, "august": 8, "ago": 8, "agosto": 8,
    "sep": 9, "sept": 9, "september": 9, "septiembre": 9, "setiembre": 9,
    "oct": 10, "october": 10, "octubre": 10,
    "nov": 11, "november": 11, "noviembre": 11,
    "dec": 12, "december": 12, "dic": 12, "diciembre": 12,
}
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?[\s\-/]+(?:de\s+)?([a-z]+)\.?[\s\-/,]+"
                             r"(?:de\s+)?(\d{4})$")
_MONTH_DAY_YEAR = re.compile(r"^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$")
#: Above this many distinct values without digits-only form, month names are not attempted.
_MONTH_NAME_LIMIT = 50_000


def _int_field(struct: pa.StructArray, name: str) -> np.ndarray:
    column = struct.field(name)
    column = pc.if_else(pc.equal(column, ""), pa.scalar(None, column.type), column)
    return np.asarray(pc.fill_null(pc.cast(column, pa.int64()), -1).to_numpy(
        zero_copy_only=False), dtype=np.int64)


def _str_field(struct: pa.StructArray, name: str) -> pa.Array:
    return pc.fill_null(struct.field(name), "")


def _month_name_date(text: str) -> tuple[int, int, int] | None:
    folded = text.strip().lower()
    folded = folded.replace("á", "a").replace("é", "e").replace("í", "i")
    match = _DAY_MONTH_YEAR.match(folded)
    if match:
        day, month_name, year = match.groups()
    else:
        match = _MONTH_DAY_YEAR.match(folded)
        if not match:
            return None
        month_name, day, year = match.groups()
    month = _MONTHS.get(month_name)
    return None if month is None else (int(year), month, int(day))


def _days_from_civil(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Days since 1970-01-01 with a validity check, vectorised (numpy datetime64 arithmetic)."""
    ok = (year >= 1000) & (year <= 9999) & (month >= 1) & (month <= 12) & (day >= 1) & (day <= 31)
    safe_year = np.where(ok, year, 1970)
    safe_month = np.where(ok, month, 1)
    safe_day = np.where(ok, day, 1)
    months = ((safe_year - 1970) * 12 + (safe_month - 1)).astype("timedelta64[M]")
    month_start = np.datetime64("1970-01", "M") + months
    date = month_start.astype("datetime64[D]") + (safe_day - 1).astype("timedelta64[D]")
    ok &= date.astype("datetime64[M]") == month_start
    return np.where(ok, date.astype(np.int64), np.iinfo(np.int64).min)


def clean_dates(values: pa.Array, *, order: DateOrder | str = "auto", with_time: bool = False,
                timezone: str = "UTC", month_first_default: bool = False) -> Cleaned:
    """Dates -> ``YYYY-MM-DD``; with ``with_time``, datetimes -> ISO UTC ``...T10:15:00.000Z``.

    Naive times are read in ``timezone``; a date without a time is midnight there. ISO forms
    (year first) are always accepted; otherwise day and month come in ``order`` ("day_first",
    "month_first" or "auto": a value whose first part is above 12 decides, else
    ``month_first_default``). With "auto" each distinct value votes once.
    """
    array = as_array(values)
    order = str(order)
    fixed = _FixedDates.find(array)
    if fixed is None:
        return by_distinct(array, lambda distinct: _clean_distinct_dates(
            distinct, order, with_time, timezone, month_first_default))
    # Values in a fixed layout ("27/04/2023 17:43") are read by their date part and their time
    # part, a few hundred of each however many distinct values there are; the others as above.
    # Each distinct value still votes once.
    fast_votes = fixed.votes()
    slow_rows = np.flatnonzero(_present(array) & ~fixed.mask)
    slow: Cleaned | None = None
    if len(slow_rows):
        slow = by_distinct(array.take(pa.array(slow_rows)), lambda distinct: _clean_distinct_dates(
            distinct, order, with_time, timezone, month_first_default, votes=fast_votes))
        month_first, detected = slow.detected_order == "month_first", slow.detected_order
        if order != "auto":
            month_first = order == "month_first"
    else:
        month_first, detected = _date_order(order, *fast_votes, month_first_default)
    return fixed.finish(slow_rows, slow, month_first, detected, with_time, timezone)


@dataclass(slots=True)
class _DateParts:
    """What ``_DATE_RE`` reads from each value: -1, 0 or False where it reads nothing."""

    matched: np.ndarray
    first: np.ndarray
    second: np.ndarray
    third: np.ndarray
    first_len: np.ndarray
    third_len: np.ndarray
    hours: np.ndarray
    minutes: np.ndarray
    seconds: np.ndarray
    millis: np.ndarray
    am: np.ndarray
    pm: np.ndarray
    #: A zone written in the value, and its offset.
    zoned: np.ndarray
    offset_ms: np.ndarray

    @classmethod
    def empty(cls, count: int) -> _DateParts:
        def ints(fill: int) -> np.ndarray:
            return np.full(count, fill, dtype=np.int64)

        def flags() -> np.ndarray:
            return np.zeros(count, dtype=bool)

        return cls(flags(), ints(-1), ints(-1), ints(-1), ints(0), ints(0), ints(-1), ints(-1),
                   ints(-1), ints(0), flags(), flags(), flags(), ints(0))

    def put(self, rows: np.ndarray, other: _DateParts) -> None:
        """Rows ``rows`` take ``other``'s values, in order."""
        for name in self.__slots__:
            getattr(self, name)[rows] = getattr(other, name)


def _regex_date_parts(array: pa.Array) -> _DateParts:
    parts = pc.extract_regex(array, _DATE_RE)
    fraction = _str_field(parts, "frac")
    millis_text = pc.utf8_slice_codeunits(
        pc.binary_join_element_wise(fraction, "000", ""), 0, 3)
    ampm = pc.utf8_lower(pc.utf8_slice_codeunits(_str_field(parts, "ampm"), 0, 1))
    zone_text = _str_field(parts, "tz")

    def length(name: str) -> np.ndarray:
        return np.asarray(pc.utf8_length(_str_field(parts, name)).to_numpy(
            zero_copy_only=False), dtype=np.int64)

    return _DateParts(
        matched=_present(parts),
        first=_int_field(parts, "a"), second=_int_field(parts, "b"),
        third=_int_field(parts, "c"), first_len=length("a"), third_len=length("c"),
        hours=_int_field(parts, "hh"), minutes=_int_field(parts, "mi"),
        seconds=_int_field(parts, "ss"),
        millis=np.asarray(pc.cast(millis_text, pa.int64()).to_numpy(zero_copy_only=False),
                          dtype=np.int64),
        am=_mask(pc.equal(ampm, "a")), pm=_mask(pc.equal(ampm, "p")),
        zoned=_mask(pc.not_equal(zone_text, "")), offset_ms=_offset_ms(zone_text))


#: Fixed layouts read straight from the bytes, with what ``_DATE_RE`` would read from them:
#: ``D`` a digit, ``S`` one of ``-/.``, ``T`` a space or ``T``. Year first or not, with a time,
#: with seconds.
_DATE_LAYOUTS = (
    "DDSDDSDDDD", "DDSDDSDDDDTDD:DD", "DDSDDSDDDDTDD:DD:DD",  # 31/12/2024 23:59:59
    "DDDDSDDSDD", "DDDDSDDSDDTDD:DD", "DDDDSDDSDDTDD:DD:DD",  # 2024-12-31T23:59:59
)
#: Byte classes: the bits of the layout letters above.
_LAYOUT_BITS = {"D": 1, "S": 2, "T": 4, ":": 8}
_BYTE_CLASS = np.zeros(256, dtype=np.uint8)
_BYTE_CLASS[ord("0"):ord("9") + 1] = _LAYOUT_BITS["D"]
_BYTE_CLASS[[ord("-"), ord("/"), ord(".")]] = _LAYOUT_BITS["S"]
_BYTE_CLASS[[ord(" "), ord("T")]] = _LAYOUT_BITS["T"]
_BYTE_CLASS[ord(":")] = _LAYOUT_BITS[":"]


def _layout_date_parts(array: pa.Array, present: np.ndarray) -> tuple[np.ndarray, _DateParts]:
    """Rows in one of ``_DATE_LAYOUTS``, and their parts."""
    view = _Bytes(array)
    count = len(array)
    fast = np.zeros(count, dtype=bool)
    parts = _DateParts.empty(count)
    filled = view.lengths > 0
    for layout in _DATE_LAYOUTS:
        width = len(layout)
        rows, block = view.rows_of_width(width, present, filled)
        if len(rows) == 0:
            continue
        ok = np.ones(len(rows), dtype=bool)
        for i, letter in enumerate(layout):
            ok &= (_BYTE_CLASS[block[:, i]] & _LAYOUT_BITS[letter]) != 0
        if not ok.all():
            rows, block = rows[ok], block[ok]
        if len(rows) == 0:
            continue

        def at(*positions: int, block: np.ndarray = block) -> np.ndarray:
            value = np.zeros(len(block), dtype=np.int64)
            for i in positions:
                value = value * 10 + block[:, i] - ord("0")
            return value

        found = _DateParts.empty(len(rows))
        found.matched[:] = True
        if layout.startswith("DDDD"):
            found.first, found.second, found.third = at(0, 1, 2, 3), at(5, 6), at(8, 9)
            found.first_len[:], found.third_len[:] = 4, 2
        else:
            found.first, found.second, found.third = at(0, 1), at(3, 4), at(6, 7, 8, 9)
            found.first_len[:], found.third_len[:] = 2, 4
        if width > 10:
            found.hours, found.minutes = at(11, 12), at(14, 15)
        if width > 16:
            found.seconds = at(17, 18)
        parts.put(rows, found)
        fast[rows] = True
    return fast, parts


def _date_order(order: str, day_votes: int, month_votes: int,
                month_first_default: bool) -> tuple[bool, str | None]:
    """Whether months come first, and the order detected ("auto" only)."""
    if order != "auto":
        return order == "month_first", None
    tie = day_votes == month_votes
    month_first = month_first_default if tie else month_votes > day_votes
    return month_first, "month_first" if month_first else "day_first"


def _clean_distinct_dates(array: pa.Array, order: str, with_time: bool, timezone: str,
                          month_first_default: bool, *, layouts: bool = True,
                          votes: tuple[int, int] = (0, 0)) -> Cleaned:
    """``clean_dates`` on distinct values (each votes once for the order).

    Values in a fixed layout are read from their bytes, the others with ``_DATE_RE``;
    ``layouts=False`` reads every value with the regex (what the layouts are tested against).
    ``votes``: day-first and month-first votes of other values of the column.
    """
    count = len(array)
    present = _present(array)
    if layouts:
        fast, parts = _layout_date_parts(array, present)
    else:
        fast, parts = np.zeros(count, dtype=bool), _DateParts.empty(count)
    slow = np.flatnonzero(present & ~fast)
    if len(slow):
        parts.put(slow, _regex_date_parts(array.take(pa.array(slow))))
    first, second, third = parts.first, parts.second, parts.third
    year_first = parts.matched & (parts.first_len == 4)
    other = parts.matched & (parts.first_len != 4) & \
        ((parts.third_len == 4) | (parts.third_len == 2))
    day_first_evidence = other & (first > 12) & (second <= 12)
    month_first_evidence = other & (second > 12) & (first <= 12)
    ambiguous = other & (first <= 12) & (second <= 12) & (first != second)
    month_first, detected = _date_order(
        order, int(day_first_evidence.sum()) + votes[0],
        int(month_first_evidence.sum()) + votes[1], month_first_default)
    short_year = np.where(third < 70, 2000 + third, 1900 + third)
    year = np.where(year_first, first, np.where(parts.third_len == 2, short_year, third))
    month = np.where(year_first, second, np.where(month_first, first, second))
    day = np.where(year_first, third, np.where(month_first, second, first))
    usable = year_first | other

    # Month names ("27 Jan 2016", "27 de enero de 2016", "January 27, 2016"), per distinct value.
    unmatched = np.flatnonzero(present & ~parts.matched)
    if 0 < len(unmatched) <= _MONTH_NAME_LIMIT:
        texts = array.take(pa.array(unmatched)).to_pylist()
        for position, text in zip(unmatched, texts, strict=True):
            found = _month_name_date(text)
            if found is not None:
                year[position], month[position], day[position] = found
                usable[position] = True

    days = _days_from_civil(year, month, day)
    valid_date = usable & (days != np.iinfo(np.int64).min)

    hours, minutes = parts.hours, parts.minutes
    seconds = np.maximum(parts.seconds, 0)
    am, pm = parts.am, parts.pm
    has_time = hours >= 0
    bad_time = has_time & ((minutes > 59) | (seconds > 59))
    bad_time |= has_time & (am | pm) & ((hours < 1) | (hours > 12))
    bad_time |= has_time & ~(am | pm) & (hours > 23)
    hours = np.where(pm & (hours < 12), hours + 12, np.where(am & (hours == 12), 0, hours))
    hours = np.maximum(hours, 0)
    minutes = np.maximum(minutes, 0)
    valid = valid_date & ~bad_time

    epoch: np.ndarray | None = None
    if with_time:
        local_ms = (days * 86_400_000 + hours * 3_600_000 + minutes * 60_000 + seconds * 1000
                    + parts.millis)
        explicit = parts.zoned & valid
        epoch = np.full(count, NO_TIME, dtype=np.int64)
        epoch[explicit] = local_ms[explicit] - parts.offset_ms[explicit]
        naive = valid & ~explicit
        if naive.any():
            epoch[naive] = _localize_ms(local_ms[naive], timezone)
        text = _iso_millis(np.where(valid, epoch, 0))
    else:
        text = pa.array(np.where(valid, days, 0).astype(np.int32), type=pa.date32()).cast(
            pa.string())
    bad = present & ~valid
    result = pc.if_else(pa.array(valid), text.cast(pa.string()), pa.scalar(None, pa.string()))
    return Cleaned(result, [Failure("invalid_date", bad, _date_template(with_time))],
                   epoch_ms=epoch, ambiguous=ambiguous & valid, detected_order=detected)


def _date_template(with_time: bool) -> Template:
    if with_time:
        return _template(QT_TRANSLATE_NOOP("Validation", '"{value}" is not a date and time'))
    return _template(QT_TRANSLATE_NOOP("Validation", '"{value}" is not a date'))


#: Fixed layouts of the date part of a value, and of what may follow it (see _DATE_LAYOUTS).
_DATE_PART_LAYOUTS = ("DDSDDSDDDD", "DDDDSDDSDD")
_TIME_PART_LAYOUTS = ("", "TDD:DD", "TDD:DD:DD")
_DATE_PART_WIDTH = len(_DATE_PART_LAYOUTS[0])


def _in_layout(block: np.ndarray, layout: str) -> np.ndarray:
    """Rows of a byte matrix whose bytes are of the classes ``layout`` names."""
    ok = np.ones(len(block), dtype=bool)
    for i, letter in enumerate(layout):
        ok &= (_BYTE_CLASS[block[:, i]] & _LAYOUT_BITS[letter]) != 0
    return ok


def _digits_at(block: np.ndarray, *positions: int) -> np.ndarray:
    value = np.zeros(len(block), dtype=np.int64)
    for i in positions:
        value = value * 10 + block[:, i].astype(np.int64) - ord("0")
    return value


def _encode_keys(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    encoded = pc.dictionary_encode(pa.array(keys))
    return (np.asarray(encoded.indices.to_numpy(zero_copy_only=False), dtype=np.int64),
            np.asarray(encoded.dictionary.to_numpy(zero_copy_only=False)))


def _group_rows(block: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Codes of the equal rows of a byte matrix (at most 12 bytes wide) and its distinct rows.

    The rows are packed into integers and those hashed: no string per row, and hashing a
    million 8-byte integers costs a fraction of hashing a million strings.
    """
    rows, width = block.shape
    head = np.zeros((rows, 8), dtype=np.uint8)
    head[:, :min(width, 8)] = block[:, :8]
    codes, heads = _encode_keys(head.view(np.uint64).ravel())
    if width <= 8:
        return codes, heads.view(np.uint8).reshape(-1, 8)[:, :width]
    tail = np.zeros((rows, 4), dtype=np.uint8)
    tail[:, :width - 8] = block[:, 8:]
    keys = (codes.astype(np.uint64) << np.uint64(32)) | \
        tail.view(np.uint32).ravel().astype(np.uint64)
    codes, distinct = _encode_keys(keys)
    distinct_heads = heads[(distinct >> np.uint64(32)).astype(np.int64)]
    distinct_tails = (distinct & np.uint64(0xFFFFFFFF)).astype(np.uint32)
    matrix = np.concatenate([distinct_heads.view(np.uint8).reshape(-1, 8),
                             distinct_tails.view(np.uint8).reshape(-1, 4)], axis=1)
    return codes, matrix[:, :width]


def _strings_at(count: int, rows: np.ndarray, matrix: np.ndarray) -> pa.Array:
    """A string array of ``count`` rows: ``rows`` (ascending) hold the byte rows of ``matrix``,
    the others are null (and empty)."""
    width = matrix.shape[1] if matrix.ndim == 2 else 0
    lengths = np.zeros(count, dtype=np.int64)
    lengths[rows] = width
    offsets = np.zeros(count + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    valid = np.zeros(count, dtype=bool)
    valid[rows] = True
    nulls = count - len(rows)
    bitmap = pa.py_buffer(np.packbits(valid, bitorder="little")) if nulls else None
    data = pa.py_buffer(np.ascontiguousarray(matrix, dtype=np.uint8).tobytes())
    if offsets[-1] < 2**31:
        return pa.Array.from_buffers(pa.string(), count,
                                     [bitmap, pa.py_buffer(offsets.astype(np.int32)), data],
                                     null_count=nulls)
    return pa.Array.from_buffers(pa.large_string(), count,
                                 [bitmap, pa.py_buffer(offsets), data],
                                 null_count=nulls).cast(pa.string())


def _text_rows(text: pa.Array, width: int) -> np.ndarray | None:
    """The bytes of a string array whose values all have ``width`` bytes, one row each."""
    if len(text) == 0 or text.null_count:
        return None
    view = _Bytes(text)
    if not (view.lengths == width).all():
        return None
    rows: np.ndarray = view.data[view.offsets[0]:view.offsets[-1]].reshape(len(text), width)
    return rows


def _iso_millis_rows(epoch: np.ndarray) -> np.ndarray | None:
    """``YYYY-MM-DDTHH:MM:SS.mmmZ`` of UTC epoch milliseconds as byte rows, as Arrow writes
    them; ``None`` for years Arrow would not write with four digits (or a span too wide)."""
    days = epoch // 86_400_000
    of_day = epoch - days * 86_400_000
    low, high = int(days.min()), int(days.max())
    if high - low > 400_000:
        return None
    span = pa.array(np.arange(low, high + 1, dtype=np.int32), type=pa.date32()).cast(pa.string())
    table = _text_rows(span, 10)
    if table is None:
        return None
    # Three 8-byte words per value, each gathered from a small table: "2024-06-", "01T10:15"
    # (the date's end OR'ed with the minute of the day), ":00.000Z" (second and millisecond).
    dates = np.zeros((len(table), 16), dtype=np.uint8)
    dates[:, :10] = table
    dates[:, 10] = ord("T")
    date_words = dates.view(np.uint64)
    minute = of_day // 60_000
    words = np.empty((len(epoch), 3), dtype=np.uint64)
    words[:, 0] = date_words[:, 0][days - low]
    words[:, 1] = date_words[:, 1][days - low] | _clock_words()[0][minute]
    words[:, 2] = _clock_words()[1][of_day - minute * 60_000]
    rows: np.ndarray = words.view(np.uint8)
    return rows


@cache
def _digit_table(width: int) -> np.ndarray:
    """Row ``n``: ``n`` written with ``width`` digits (leading zeros), as bytes."""
    numbers = np.arange(10 ** width)
    table = np.empty((len(numbers), width), dtype=np.uint8)
    for i in range(width):
        table[:, width - 1 - i] = numbers // 10 ** i % 10 + ord("0")
    return table


@cache
def _clock_words() -> tuple[np.ndarray, np.ndarray]:
    """Bytes 8-15 and 16-23 of ``YYYY-MM-DDTHH:MM:SS.mmmZ`` as 8-byte words: "HH:MM" at bytes
    11-15 per minute of the day (bytes 8-10 zero, for the date's end), ":SS.mmmZ" per
    millisecond of the minute."""
    minute = np.arange(1440)
    two = _digit_table(2)
    hours = np.zeros((len(minute), 8), dtype=np.uint8)
    hours[:, 3:5] = two[minute // 60]
    hours[:, 5] = ord(":")
    hours[:, 6:8] = two[minute % 60]
    millis = np.arange(60_000)
    rest = np.empty((len(millis), 8), dtype=np.uint8)
    rest[:, 0] = ord(":")
    rest[:, 1:3] = two[millis // 1000]
    rest[:, 3] = ord(".")
    rest[:, 4:7] = _digit_table(3)[millis % 1000]
    rest[:, 7] = ord("Z")
    return hours.view(np.uint64).ravel(), rest.view(np.uint64).ravel()


def _iso_millis(epoch: np.ndarray) -> pa.Array:
    """UTC epoch milliseconds -> ``YYYY-MM-DDTHH:MM:SS.mmmZ``.

    Formatted by Arrow, no Python string per value: a cast gives "2024-06-01 10:00:00.123"
    (milliseconds always written), 20x faster than its strftime.
    """
    stamps = pa.array(epoch, type=pa.timestamp("ms")).cast(pa.string())
    return pc.binary_join_element_wise(
        pc.replace_substring(stamps, " ", "T", max_replacements=1), "Z", "")


@dataclass(slots=True)
class _FixedDates:
    """The rows of a date column written in a fixed layout, as codes of their date part and of
    their time part (``_DATE_PART_LAYOUTS`` x ``_TIME_PART_LAYOUTS``), each part read once.

    A column of a million date-times has about as many distinct values, but a few hundred
    dates and at most 1,440 (or 86,400) times: reading the parts costs next to nothing.
    """

    count: int
    #: The rows in a fixed layout (ascending), as a mask too.
    rows: np.ndarray
    mask: np.ndarray
    date_codes: np.ndarray
    time_codes: np.ndarray
    #: Per distinct date part.
    year_first: np.ndarray
    first: np.ndarray
    second: np.ndarray
    third: np.ndarray
    #: Per distinct time part (-1: none written).
    hours: np.ndarray
    minutes: np.ndarray
    seconds: np.ndarray

    @classmethod
    def find(cls, array: pa.Array) -> _FixedDates | None:
        count = len(array)
        view = _Bytes(array)
        present = _present(array)
        filled = view.lengths > 0
        rows_found, date_codes, time_codes = [], [], []
        date_blocks, time_parts = [], [(np.full(1, -1), np.full(1, -1), np.full(1, -1))]
        dates_seen, times_seen = 0, 1  # time code 0: no time written
        for time_layout in _TIME_PART_LAYOUTS:
            width = _DATE_PART_WIDTH + len(time_layout)
            rows, block = view.rows_of_width(width, present, filled)
            if len(rows) == 0:
                continue
            codes, distinct_dates = _group_rows(block[:, :_DATE_PART_WIDTH])
            ok_date = np.zeros(len(distinct_dates), dtype=bool)
            for layout in _DATE_PART_LAYOUTS:
                ok_date |= _in_layout(distinct_dates, layout)
            if time_layout:
                times, distinct_times = _group_rows(block[:, _DATE_PART_WIDTH:])
                ok_time = _in_layout(distinct_times, time_layout)
                with_seconds = len(time_layout) > 6
                time_parts.append((
                    _digits_at(distinct_times, 1, 2), _digits_at(distinct_times, 4, 5),
                    _digits_at(distinct_times, 7, 8) if with_seconds
                    else np.full(len(distinct_times), -1)))
                keep = ok_date[codes] & ok_time[times]
                time_codes.append(times[keep] + times_seen)
                times_seen += len(distinct_times)
            else:
                keep = ok_date[codes]
                time_codes.append(np.zeros(int(keep.sum()), dtype=np.int64))
            rows_found.append(rows[keep])
            date_codes.append(codes[keep] + dates_seen)
            date_blocks.append(distinct_dates)
            dates_seen += len(distinct_dates)
        if not rows_found or sum(len(rows) for rows in rows_found) == 0:
            return None
        rows = np.concatenate(rows_found)
        order = np.argsort(rows, kind="stable")  # the widths' rows interleave
        dates = np.concatenate(date_blocks)
        year_first = _in_layout(dates, _DATE_PART_LAYOUTS[1])
        mask = np.zeros(count, dtype=bool)
        mask[rows] = True
        return cls(
            count, rows[order], mask, np.concatenate(date_codes)[order],
            np.concatenate(time_codes)[order], year_first,
            np.where(year_first, _digits_at(dates, 0, 1, 2, 3), _digits_at(dates, 0, 1)),
            np.where(year_first, _digits_at(dates, 5, 6), _digits_at(dates, 3, 4)),
            np.where(year_first, _digits_at(dates, 8, 9), _digits_at(dates, 6, 7, 8, 9)),
            *(np.concatenate(part) for part in zip(*time_parts, strict=True)))

    def _distinct_values(self, dates: np.ndarray) -> int:
        """How many distinct values have a date part among ``dates`` (a mask of date parts)."""
        rows = dates[self.date_codes]
        times = len(self.hours)
        keys = self.date_codes[rows] * times + self.time_codes[rows]
        if len(dates) * times <= 1 << 24:
            seen = np.zeros(len(dates) * times, dtype=bool)
            seen[keys] = True
            return int(seen.sum())
        return len(np.unique(keys))

    def votes(self) -> tuple[int, int]:
        """Day-first and month-first votes: one per distinct value, as ``_clean_distinct_dates``
        counts them."""
        other = ~self.year_first
        day_first = other & (self.first > 12) & (self.second <= 12)
        month_first = other & (self.second > 12) & (self.first <= 12)
        return self._distinct_values(day_first), self._distinct_values(month_first)

    def finish(self, slow_rows: np.ndarray, slow: Cleaned | None, month_first: bool,
               detected: str | None, with_time: bool, timezone: str) -> Cleaned:
        """The column's result: these rows read here, ``slow_rows`` as ``slow`` read them."""
        first, second, third, year_first = self.first, self.second, self.third, self.year_first
        month = np.where(year_first, second, np.where(month_first, first, second))
        day = np.where(year_first, third, np.where(month_first, second, first))
        days = _days_from_civil(np.where(year_first, first, third), month, day)
        date_ok = days != np.iinfo(np.int64).min
        ambiguous_date = ~year_first & (first <= 12) & (second <= 12) & (first != second)
        hours, minutes, seconds = self.hours, self.minutes, self.seconds
        time_bad = (hours >= 0) & ((minutes > 59) | (seconds > 59) | (hours > 23))
        time_ms = (np.maximum(hours, 0) * 3_600_000 + np.maximum(minutes, 0) * 60_000
                   + np.maximum(seconds, 0) * 1000)

        valid = date_ok[self.date_codes] & ~time_bad[self.time_codes]
        good_rows = self.rows[valid]
        count = self.count
        epoch: np.ndarray | None = None
        text: pa.Array | np.ndarray
        if with_time:
            local_ms = days[self.date_codes[valid]] * 86_400_000 + \
                time_ms[self.time_codes[valid]]
            moments = _localize_ms(local_ms, timezone) if len(local_ms) else local_ms
            epoch = np.full(count, NO_TIME, dtype=np.int64)
            epoch[good_rows] = moments
            rows_text = _iso_millis_rows(moments) if len(moments) else None
            text = _iso_millis(moments) if rows_text is None else rows_text
        else:
            day_text = pa.array(np.where(date_ok, days, 0).astype(np.int32),
                                type=pa.date32()).cast(pa.string())
            table = _text_rows(day_text, 10)
            codes = self.date_codes[valid]
            text = day_text.take(pa.array(codes)) if table is None else table[codes]
        bad = np.zeros(count, dtype=bool)
        bad[self.rows[~valid]] = True
        ambiguous = np.zeros(count, dtype=bool)
        ambiguous[good_rows] = ambiguous_date[self.date_codes[valid]]

        if slow is None and isinstance(text, np.ndarray):
            values = _strings_at(count, good_rows, text)
        else:
            out = _Scatter(count)
            out.put(good_rows, text if isinstance(text, pa.Array)
                    else _strings_at(len(text), np.arange(len(text)), text))
            if slow is not None:
                out.put(slow_rows, slow.values)
            values = out.gather()
        if slow is not None:
            bad[slow_rows] = slow.invalid
            assert slow.ambiguous is not None
            ambiguous[slow_rows] = slow.ambiguous
            if epoch is not None and slow.epoch_ms is not None:
                epoch[slow_rows] = slow.epoch_ms
        return Cleaned(values, [Failure("invalid_date", bad, _date_template(with_time))],
                       epoch_ms=epoch, ambiguous=ambiguous, detected_order=detected)


#: Values localised per pandas call: its time zone arithmetic holds the GIL, so a million
#: values in one call would freeze every other thread (the GUI) for about a second.
_LOCALIZE_SLICE = 25_000


def _localize_ms(local_ms: np.ndarray, timezone: str) -> np.ndarray:
    """Wall-clock milliseconds in ``timezone`` -> UTC epoch milliseconds.

    An ambiguous time (the hour repeated when clocks go back) is read as the first one; a time
    skipped when clocks go forward moves to the first valid time after the gap.
    """
    import pandas as pd

    utc = np.empty(len(local_ms), dtype=np.int64)
    for start in range(0, len(local_ms), _LOCALIZE_SLICE):
        piece = local_ms[start : start + _LOCALIZE_SLICE]
        local = pd.DatetimeIndex(piece.astype("datetime64[ms]"))
        try:
            localized = local.tz_localize(
                timezone, ambiguous=np.ones(len(local), dtype=bool), nonexistent="shift_forward")
        except Exception as error:  # an unknown zone name: a clear error, not a traceback
            raise ValueError(f'"{timezone}" is not a time zone name') from error
        utc[start : start + len(piece)] = localized.tz_convert("UTC").as_unit("ms").asi8
    return utc


def _offset_ms(zone_text: pa.Array) -> np.ndarray:
    sign = np.where(_mask(pc.starts_with(zone_text, "-")), -1, 1)
    digits = pc.replace_substring_regex(zone_text, r"[^0-9]", "")
    digits = pc.binary_join_element_wise(digits, "0000", "")
    hours = np.asarray(pc.cast(pc.utf8_slice_codeunits(digits, 0, 2), pa.int64()).to_numpy(
        zero_copy_only=False), dtype=np.int64)
    minutes = np.asarray(pc.cast(pc.utf8_slice_codeunits(digits, 2, 4), pa.int64()).to_numpy(
        zero_copy_only=False), dtype=np.int64)
    offsets: np.ndarray = sign * (hours * 3_600_000 + minutes * 60_000)
    return offsets


# --------------------------------------------------------------------------- lists


def clean_list(values: pa.Array, *, separator: str, limit: int,
               element: Callable[[pa.Array], Cleaned] | None = None,
               element_with_rows: Callable[[pa.Array, np.ndarray], Cleaned] | None = None,
               ) -> Cleaned:
    """Split on ``separator``, trim, drop empties, clean each element, join with
    ``LIST_SEPARATOR``.

    ``element`` cleans the flattened elements; ``element_with_rows`` also gets each element's
    row (for cleaners that depend on the row, such as phones read with the row's country).
    """
    from ingest_gui.core.validation import LIST_SEPARATOR

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
    keep = _present(cleaned.values)
    kept_parent = parent[keep]
    counts = np.bincount(kept_parent, minlength=len(array))
    kept_values = cleaned.values.filter(pa.array(keep))
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int32)
    regrouped = pa.ListArray.from_arrays(pa.array(offsets), kept_values.cast(pa.string()))
    joined = pc.binary_join(regrouped, LIST_SEPARATOR)
    over = counts > limit
    failures.append(Failure("too_many_values", over,
                            _template(QT_TRANSLATE_NOOP(
                                "Validation", '"{value}" has more than {limit} values'),
                                limit=group_thousands(limit))))
    invalid = over.copy()
    for failure in failures:
        invalid |= failure.mask
    joined = _null_where(joined, invalid | (counts == 0))
    return Cleaned(joined, failures)


# --------------------------------------------------------------------------- phones

#: What people type between the digits of a phone number (RE2's ``\s`` is ``[\t\n\f\r ]``),
#: as ASCII bytes and as the UTF-8 runs of U+00A0 and U+202F (in valid UTF-8 those runs are
#: only ever those characters).
_PHONE_SEPARATOR_BYTE = np.zeros(256, dtype=bool)
_PHONE_SEPARATOR_BYTE[list(b"\t\n\f\r ()-./")] = True
_PHONE_SEPARATOR_RUNS = (b"\xc2\xa0", b"\xe2\x80\xaf")


def _kept_per_row(keep: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """How many kept bytes each row ``data[starts[i]:ends[i]]`` has."""
    before = np.zeros(len(keep) + 1, dtype=np.int32 if len(keep) < 2**31 else np.int64)
    np.cumsum(keep, out=before[1:])
    kept: np.ndarray = before[ends].astype(np.int64) - before[starts]
    return kept


def _phone_digits(array: pa.Array, present: np.ndarray,
                  ) -> tuple[pa.Array, np.ndarray, np.ndarray]:
    """Phones without separators and with "00" read as "+"; where they have the shape of a
    number (``^\\+?[0-9]{3,17}$``); where they start with "+".

    Byte tests and one compaction over the column's bytes, what regex replaces and matches
    did at several times the cost.
    """
    count = len(array)
    view = _Bytes(array)
    base = int(view.offsets[0])
    data = view.data[base:int(view.offsets[-1])]
    starts, ends = view.offsets[:-1] - base, view.offsets[1:] - base
    remove = _PHONE_SEPARATOR_BYTE[data]
    if len(data) and int(data.max()) >= 0x80:
        for run in _PHONE_SEPARATOR_RUNS:
            at = np.flatnonzero(data[:max(0, len(data) - len(run) + 1)] == run[0])
            for i in range(1, len(run)):
                at = at[data[at + i] == run[i]]
            for i in range(len(run)):
                remove[at + i] = True
    if (view.lengths[~present] > 0).any():  # bytes behind null slots: dropped
        remove |= np.repeat(~present, view.lengths)
    keep = ~remove
    lengths = _kept_per_row(keep, starts, ends)
    digits = data[keep]
    offsets = np.zeros(count + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    heads = offsets[:-1]
    # "00" -> "+": the second zero becomes the "+", the first is dropped.
    long_enough = np.flatnonzero(lengths >= 2)
    double_zero = long_enough[(digits[heads[long_enough]] == ord("0"))
                              & (digits[heads[long_enough] + 1] == ord("0"))]
    if len(double_zero):
        digits[heads[double_zero] + 1] = ord("+")
        keep = np.ones(len(digits), dtype=bool)
        keep[heads[double_zero]] = False
        digits = digits[keep]
        lengths[double_zero] -= 1
        np.cumsum(lengths, out=offsets[1:])
        heads = offsets[:-1]
    filled = np.flatnonzero(lengths > 0)
    international = np.zeros(count, dtype=bool)
    international[filled[digits[heads[filled]] == ord("+")]] = True
    is_digit = (digits >= ord("0")) & (digits <= ord("9"))
    body = lengths - international
    shape_ok = present & (_kept_per_row(is_digit, heads, offsets[1:]) == body) & \
        (body >= 3) & (body <= 17)
    bitmap = pa.py_buffer(np.packbits(present, bitorder="little")) \
        if array.null_count else None
    result = pa.Array.from_buffers(pa.string(), count, [
        bitmap, pa.py_buffer(offsets.astype(np.int32)), pa.py_buffer(digits.tobytes())],
        null_count=count - int(present.sum()))
    return result, shape_ok, international & present


def clean_phone(values: pa.Array, *, regions: pa.Array | str | None) -> Cleaned:
    """Phones -> E.164. ``regions``: ISO country per row (or one for all) for numbers without
    an international prefix; ``+`` or ``00`` numbers carry their own.
    """
    array = as_array(values)
    count = len(array)
    present = _present(array)
    digits, shape_ok, international = _phone_digits(array, present)
    if regions is None or isinstance(regions, str):
        region_array = pa.array(np.full(count, (regions or "").upper(), dtype=object),
                                type=pa.string())
    else:
        region_array = pc.fill_null(pc.utf8_upper(as_array(regions)), "")
    no_region = present & shape_ok & ~international & _mask(pc.equal(region_array, ""))
    candidates = present & shape_ok & ~no_region
    out = _Scatter(count)
    decided = np.zeros(count, dtype=bool)

    # Fast, exact path: numbers phonenumbers would read verbatim, checked with its own patterns.
    _fast_path(digits, region_array, international, candidates, out, decided)

    # Everything else: phonenumbers, once per distinct (region, number).
    rest = np.flatnonzero(candidates & ~decided)
    if len(rest):
        rest_digits = digits.take(pa.array(rest))
        rest_regions = pc.if_else(pa.array(international[rest]), "",
                                  region_array.take(pa.array(rest)))
        keys = pc.binary_join_element_wise(rest_regions, rest_digits, "|")
        encoded = pc.dictionary_encode(keys)
        distinct = encoded.dictionary.to_pylist()
        formatted = pa.array(_format_many(distinct), type=pa.string())
        out.put(rest, formatted.take(encoded.indices))
    result = out.gather()
    valid = _present(result)
    failures = [
        Failure("invalid_phone", present & ~valid & ~no_region,
                _template(QT_TRANSLATE_NOOP("Validation", '"{value}" is not a phone number'))),
        Failure("phone_without_country", no_region,
                _template(QT_TRANSLATE_NOOP(
                    "Validation",
                    '"{value}" has no international prefix (+…) and no country is known for '
                    'it'))),
    ]
    return Cleaned(result, failures)


def format_phone(key: str) -> str | None:
    """E.164 for ``"REGION|digits"`` (``"|+digits"`` for international), ``None`` if invalid."""
    import phonenumbers

    region, _, number = key.partition("|")
    try:
        parsed = phonenumbers.parse(number, region or None)
        if phonenumbers.is_valid_number(parsed):
            return str(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164))
    except phonenumbers.NumberParseException:
        pass
    # Excel often drops the "+" of an international number typed as a number: 34612345678.
    if region and not number.startswith("+") and len(number) >= 10:
        return format_phone("|+" + number)
    return None


def _format_chunk(keys: list[str]) -> list[str | None]:
    return [format_phone(key) for key in keys]


def _format_many(keys: list[str]) -> list[str | None]:
    workers = min(2, os.cpu_count() or 1)
    # A frozen app can spawn these workers because its entry point calls freeze_support().
    if len(keys) < PARALLEL_PHONE_THRESHOLD or workers < 2:
        return _format_chunk(keys)
    import multiprocessing

    # "spawn" everywhere: forking a process that runs Arrow/Qt threads can deadlock.
    context = multiprocessing.get_context("spawn")
    size = max(1, -(-len(keys) // (workers * 4)))
    chunks = [keys[start:start + size] for start in range(0, len(keys), size)]
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            results = list(pool.map(_format_chunk, chunks))
    except (OSError, RuntimeError, BrokenProcessPool):
        # No usable worker processes (a sandboxed OS, a process limit): slower, same answer.
        return _format_chunk(keys)
    return [value for chunk in results for value in chunk]


@dataclass(frozen=True, slots=True)
class _RegionRules:
    """phonenumbers' own metadata for one region, in a form pyarrow's RE2 can run."""

    region: str
    country_code: str
    #: Patterns phonenumbers strips from the start of a number (``national_prefix_for_parsing``,
    #: ``international_prefix``): numbers starting so are left to phonenumbers.
    national_prefix: str | None
    international_prefix: str | None
    #: Regions sharing a calling code with leading-digit rules (Jersey in +44, ...).
    leading_digits: str | None
    #: (possible lengths, full-match pattern) of the general description and of every type.
    general: tuple[tuple[int, ...], str]
    types: tuple[tuple[tuple[int, ...], str], ...]
    #: Lengths the general description marks "possible locally only".
    local_lengths: tuple[int, ...] = ()
    #: ``national_prefix`` as literal alternatives in order ("0|180020"), when it is that
    #: simple and has no transform rule: the fast path can then strip it as phonenumbers does.
    prefix_literals: tuple[str, ...] | None = None


@cache
def _rules_for(region: str) -> _RegionRules | None:
    from phonenumbers import PhoneMetadata

    metadata = PhoneMetadata.metadata_for_region(region)
    if metadata is None or metadata.country_code is None:
        return None

    def desc(number_desc: Any) -> tuple[tuple[int, ...], str] | None:
        if number_desc is None or number_desc.national_number_pattern is None:
            return None
        return (tuple(number_desc.possible_length or ()), number_desc.national_number_pattern)

    general = desc(metadata.general_desc)
    if general is None:
        return None
    # The order of phonenumbers' _number_type_helper; any match means "not UNKNOWN".
    type_descs = [
        metadata.premium_rate, metadata.toll_free, metadata.shared_cost, metadata.voip,
        metadata.personal_number, metadata.pager, metadata.uan, metadata.voicemail,
        metadata.fixed_line, metadata.mobile,
    ]
    types = tuple(d for d in (desc(x) for x in type_descs) if d is not None)
    prefix = metadata.national_prefix_for_parsing or None
    literals = None
    if prefix is not None and not metadata.national_prefix_transform_rule and \
            re.fullmatch(r"\d+(?:\|\d+)*", prefix):
        literals = tuple(prefix.split("|"))
    return _RegionRules(region, str(metadata.country_code), prefix,
                        metadata.international_prefix or None, metadata.leading_digits or None,
                        general, types,
                        tuple(getattr(metadata.general_desc, "possible_length_local_only", None)
                              or ()), literals)


@cache
def _code_rules(country_code: str) -> tuple[_RegionRules, ...] | None:
    """Rules of every region of a calling code, in phonenumbers' order; ``None`` if unusable."""
    from phonenumbers import COUNTRY_CODE_TO_REGION_CODE

    regions = COUNTRY_CODE_TO_REGION_CODE.get(int(country_code), ())
    rules = tuple(_rules_for(region) for region in regions)
    if not rules or any(rule is None for rule in rules):
        return None  # non-geographic codes ("001") and gaps: leave to phonenumbers
    return tuple(rule for rule in rules if rule is not None)


def _type_known(national: pa.Array, rules: _RegionRules) -> np.ndarray:
    """``_number_type_helper(...) != UNKNOWN`` for national significant numbers."""
    lengths = np.asarray(pc.utf8_length(national).to_numpy(zero_copy_only=False))

    def matching(descs: Sequence[tuple[tuple[int, ...], str]]) -> np.ndarray:
        # One alternation per set of possible lengths: a regex pass costs more than the rest.
        by_lengths: dict[tuple[int, ...], list[str]] = {}
        for possible, pattern in descs:
            key = () if -1 in possible else possible
            by_lengths.setdefault(key, []).append(pattern)
        hit = np.zeros(len(national), dtype=bool)
        for possible, patterns in by_lengths.items():
            regex = "^(?:" + "|".join(f"(?:{pattern})" for pattern in patterns) + ")$"
            ok = _mask(pc.match_substring_regex(national, regex))
            if possible:
                ok &= np.isin(lengths, possible)
            hit |= ok
        return hit

    known: np.ndarray = matching([rules.general]) & matching(rules.types)
    return known


def _valid_in_code(national: pa.Array, code_rules: Sequence[_RegionRules]) -> np.ndarray:
    """``is_valid_number`` for national numbers of one calling code, read verbatim.

    Mirrors phonenumbers: the number belongs to the first region of the code whose leading
    digits match it (regions with such rules) or whose patterns know it (the others), and it
    is valid when that region's patterns know it. Raises ``pa.ArrowInvalid`` when RE2 cannot
    run one of the patterns.
    """
    valid = np.zeros(len(national), dtype=bool)
    open_rows = np.arange(len(national))
    for rules in code_rules:
        if len(open_rows) == 0:
            break
        numbers = national.take(pa.array(open_rows))
        if rules.leading_digits is not None:
            claimed = _mask(pc.match_substring_regex(numbers, f"^(?:{rules.leading_digits})"))
            valid[open_rows[claimed]] = _type_known(numbers.filter(pa.array(claimed)), rules)
        else:
            claimed = _type_known(numbers, rules)
            valid[open_rows[claimed]] = True
        open_rows = open_rows[~claimed]
    return valid


#: Regions (or calling codes) with fewer candidate rows than this go straight to phonenumbers.
_FAST_PATH_MIN_ROWS = 200
#: National numbers at least this long that are invalid are retried with a "+" (Excel drops it).
_RETRY_INTERNATIONAL_MIN_DIGITS = 10


def _starts_with_any(numbers: pa.Array, patterns: Sequence[str | None]) -> np.ndarray:
    alternatives = [f"(?:{pattern})" for pattern in patterns if pattern]
    if not alternatives:
        return np.zeros(len(numbers), dtype=bool)
    return _mask(pc.match_substring_regex(numbers, "^(?:" + "|".join(alternatives) + ")"))


class _Scatter:
    """Values written at row positions piece by piece, gathered into one array at the end."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.rows: list[np.ndarray] = []
        self.values: list[pa.Array] = []

    def put(self, rows: np.ndarray, values: pa.Array) -> None:
        if len(rows):
            self.rows.append(np.asarray(rows, dtype=np.int64))
            self.values.append(values.cast(pa.string()))

    def gather(self) -> pa.Array:
        if not self.rows:
            return pa.nulls(self.count, pa.string())
        rows = np.concatenate(self.rows)
        values = pa.concat_arrays([*self.values, pa.nulls(1, pa.string())])
        source = np.full(self.count, len(rows), dtype=np.int64)  # the trailing null
        source[rows] = np.arange(len(rows))
        return values.take(pa.array(source))


def _full_match(numbers: pa.Array, pattern: str) -> np.ndarray:
    """phonenumbers' ``_match_national_number``: the pattern matches the whole number."""
    return _mask(pc.match_substring_regex(numbers, f"^(?:{pattern})$"))


def _length_kept(lengths: np.ndarray, rules: _RegionRules) -> np.ndarray:
    """``_test_number_length`` (general description) is not TOO_SHORT, IS_POSSIBLE_LOCAL_ONLY
    or INVALID_LENGTH: what ``parse`` asks before keeping a number with its prefix stripped."""
    possible = rules.general[0]
    minimum, maximum = possible[0], possible[-1]
    kept = (lengths == minimum) | (lengths > minimum) & (
        (lengths > maximum) | np.isin(lengths, possible[1:]))
    kept &= ~np.isin(lengths, rules.local_lengths)
    return np.asarray(kept, dtype=bool)


def _national_significant(numbers: pa.Array, rules: _RegionRules,
                          code_rules: Sequence[_RegionRules]) -> tuple[pa.Array, np.ndarray]:
    """What ``phonenumbers.parse(number, region)`` keeps as the national significant number of
    national numbers (digits, no "+"), and where this mirror of it is exact.

    As ``parse`` does: a number starting with the region's calling code ("34612345678") loses
    it when the rest is a better number; then a national prefix ("07…" in GB) is stripped when
    what is left still looks like a number of the region. Numbers starting with an
    international prefix, and prefixes this mirror cannot strip exactly (patterns with carrier
    codes or transform rules, a calling code shared with another main region) are not readable.
    """
    count = len(numbers)
    if not rules.general[0]:
        return numbers, np.zeros(count, dtype=bool)
    lengths = np.asarray(pc.utf8_length(numbers).to_numpy(zero_copy_only=False), dtype=np.int64)
    general = rules.general[1]
    readable = ~_starts_with_any(numbers, (rules.international_prefix,))
    national = numbers
    taken = np.zeros(count, dtype=bool)  # the national number is decided

    # 1. The region's own calling code without "+" (_maybe_extract_country_code).
    code = rules.country_code
    with_code = readable & _mask(pc.starts_with(numbers, code))
    if with_code.any():
        if code_rules[0].region != rules.region:
            readable &= ~with_code  # parse would switch to the code's main region
        else:
            rest = pc.utf8_slice_codeunits(numbers, len(code))
            # The rest must not start with a national prefix (parse would strip it too).
            plain_rest = ~_starts_with_any(rest, (rules.national_prefix,))
            readable &= ~(with_code & ~plain_rest)
            whole_fits = _full_match(numbers, general)
            rest_fits = _full_match(rest, general)
            possible = rules.general[0]
            too_long = (lengths > possible[-1]) & ~np.isin(lengths, rules.local_lengths)
            extract = with_code & plain_rest & ((~whole_fits & rest_fits) | too_long)
            # phonenumbers refuses national significant numbers shorter than two digits.
            readable &= ~(extract & (lengths - len(code) < 2))
            national = pc.if_else(pa.array(extract), rest, national)
            taken |= extract

    # 2. A national prefix, stripped when what is left still fits
    #    (_maybe_strip_national_prefix_carrier_code, then _test_number_length).
    open_rows = readable & ~taken
    if rules.national_prefix is not None and open_rows.any():
        prefixed = open_rows & _starts_with_any(numbers, (rules.national_prefix,))
        if prefixed.any() and rules.prefix_literals is None:
            readable &= ~prefixed
        elif prefixed.any():
            prefix_length = np.zeros(count, dtype=np.int64)
            for literal in rules.prefix_literals or ():  # the first alternative that matches
                hit = prefixed & (prefix_length == 0) & _mask(pc.starts_with(numbers, literal))
                prefix_length[hit] = len(literal)
            stripped_rows = np.flatnonzero(prefix_length > 0)
            original = numbers.take(pa.array(stripped_rows))
            cut = prefix_length[stripped_rows]
            stripped = original
            for length in np.unique(cut):  # one slice per prefix length
                stripped = pc.if_else(pa.array(cut == length),
                                      pc.utf8_slice_codeunits(original, int(length)), stripped)
            keep_original = _full_match(original, general) & ~_full_match(stripped, general)
            use = ~keep_original & _length_kept(lengths[stripped_rows] - cut, rules)
            strip = np.zeros(count, dtype=bool)
            strip[stripped_rows[use]] = True
            if strip.any():
                full = np.full(count, -1, dtype=np.int64)
                full[stripped_rows] = np.arange(len(stripped_rows))
                replaced = stripped.take(pa.array(np.where(strip, full, 0)))
                national = pc.if_else(pa.array(strip), replaced, national)
    return national, readable


def _fast_path(digits: pa.Array, regions: pa.Array, international: np.ndarray,
               candidates: np.ndarray, out: _Scatter, decided: np.ndarray) -> None:
    """Decide, without calling phonenumbers per number, what its own patterns settle exactly.

    phonenumbers reads a number verbatim when it starts with none of the prefixes it would
    strip (the IDD, the calling code, the national prefix); for such numbers validity is
    matching the metadata's patterns, which pyarrow runs over whole columns. Anything else
    (prefixes to strip, patterns RE2 cannot run, rare regions) is left undecided.
    """
    import phonenumbers

    retry = np.zeros(len(digits), dtype=bool)
    national_rows = candidates & ~international
    if national_rows.sum() >= _FAST_PATH_MIN_ROWS:
        idx = np.flatnonzero(national_rows)
        row_regions = regions.take(pa.array(idx))
        for item in pc.value_counts(row_regions).to_pylist():
            rules = _rules_for(item["values"]) if item["counts"] >= _FAST_PATH_MIN_ROWS else None
            code_rules = _code_rules(rules.country_code) if rules is not None else None
            if rules is None or code_rules is None:
                continue
            in_region = idx[_mask(pc.equal(row_regions, item["values"]))]
            numbers = digits.take(pa.array(in_region))
            try:
                national, readable = _national_significant(numbers, rules, code_rules)
                ok = readable & _valid_in_code(national, code_rules)
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                continue
            chosen = in_region[ok]
            out.put(chosen, pc.binary_join_element_wise(
                "+" + rules.country_code, national.filter(pa.array(ok)), ""))
            decided[chosen] = True
            wrong = in_region[readable & ~ok]
            long_enough = _mask(pc.greater_equal(
                pc.utf8_length(digits.take(pa.array(wrong))), _RETRY_INTERNATIONAL_MIN_DIGITS))
            decided[wrong[~long_enough]] = True
            retry[wrong[long_enough]] = True

    # International numbers, and invalid long national ones read again with a "+".
    intl_rows = candidates & (international | retry)
    if intl_rows.sum() < _FAST_PATH_MIN_ROWS:
        return
    idx = np.flatnonzero(intl_rows)
    numbers = digits.take(pa.array(idx))
    plus = international[idx]
    if plus.any():  # the "+" dropped by a slice (a regex replace costs several times more)
        numbers = pc.if_else(pa.array(plus), pc.utf8_slice_codeunits(numbers, 1), numbers)
    known_codes = pa.array([str(code) for code in phonenumbers.COUNTRY_CODE_TO_REGION_CODE])
    code_of = np.zeros(len(idx), dtype=np.int64)  # 0: no calling code
    for length in (1, 2, 3):  # calling codes are prefix-free: at most one length matches
        prefix = pc.utf8_slice_codeunits(numbers, 0, length)
        known = _mask(pc.is_in(prefix, known_codes)) & (code_of == 0)
        if known.any():
            as_int = np.asarray(pc.fill_null(pc.cast(pc.if_else(pa.array(known), prefix, "0"),
                                                     pa.int64()), 0), dtype=np.int64)
            code_of = np.where(known, as_int, code_of)
    unknown_code = code_of == 0
    # "+99..." or "+0..." has no calling code at all: phonenumbers refuses it too, and so its
    # retry of a long national number with a "+" (the same "+digits" string).
    decided[idx[unknown_code]] = True
    codes, how_many = np.unique(code_of[~unknown_code], return_counts=True)
    for code, count in zip(codes, how_many, strict=True):
        code_rules = _code_rules(str(code)) if count >= _FAST_PATH_MIN_ROWS else None
        if code_rules is None:
            continue
        positions = np.flatnonzero(code_of == code)
        national = pc.utf8_slice_codeunits(numbers.take(pa.array(positions)), len(str(code)))
        try:
            # After "+CC" phonenumbers only strips the main region's national prefix.
            verbatim = ~_starts_with_any(national, (code_rules[0].national_prefix,))
            ok = verbatim & _valid_in_code(national, code_rules)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            continue
        chosen = idx[positions[ok]]
        out.put(chosen, pc.binary_join_element_wise(
            "+", numbers.take(pa.array(positions[ok])), ""))
        decided[chosen] = True
        decided[idx[positions[verbatim & ~ok]]] = True


# --------------------------------------------------------------------------- one value


def _one(cleaned: Cleaned) -> str | None:
    value = cleaned.values[0].as_py()
    return None if value is None else str(value)


def clean_number_value(text: str, *, integer: bool = False,
                       decimal_separator: str | None = None) -> str | None:
    return _one(clean_number(blank_to_null([text]), integer=integer,
                             decimal_separator=decimal_separator))


def clean_bool_value(text: str) -> str | None:
    return _one(clean_bool(blank_to_null([text])))


def clean_phone_value(text: str, region: str | None = None) -> str | None:
    return _one(clean_phone(blank_to_null([text]), regions=region))


def clean_date_value(text: str, *, order: str = "auto", with_time: bool = False,
                     timezone: str = "UTC") -> str | None:
    return _one(clean_dates(blank_to_null([text]), order=order, with_time=with_time,
                            timezone=timezone))
