"""Dates and date-times -> ``YYYY-MM-DD`` or ISO UTC ``...T10:15:00.000Z``.

The plain reading is :func:`_clean_distinct_dates` with ``layouts=False``: one regex over each
distinct value. The byte readings of fixed layouts in :mod:`.dates_fast` must give the same
answers (tests/core/test_cleaning_fast_paths.py proves it).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ingest_gui.core.arrow import Scatter, as_array, present_mask, true_mask
from ingest_gui.core.cleaning.base import (
    NO_TIME,
    Cleaned,
    Failure,
    Template,
    blank_to_null,
    by_distinct,
    first_value,
    value_template,
)
from ingest_gui.core.cleaning.dates_fast import (
    DateParts,
    FixedDates,
    iso_millis_rows,
    layout_date_parts,
    strings_at,
    text_rows,
)
from ingest_gui.texts import QT_TRANSLATE_NOOP

if TYPE_CHECKING:
    from ingest_gui.core.mapping import DateOrder


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
    fixed = FixedDates.find(array)
    if fixed is None:
        return by_distinct(array, lambda distinct: _clean_distinct_dates(
            distinct, order, with_time, timezone, month_first_default))
    # Values in a fixed layout ("27/04/2023 17:43") are read by their date part and their time
    # part, a few hundred of each however many distinct values there are; the others as above.
    # Each distinct value still votes once.
    fast_votes = fixed.votes()
    slow_rows = np.flatnonzero(present_mask(array) & ~fixed.mask)
    slow: Cleaned | None = None
    if len(slow_rows):
        slow = by_distinct(array.take(pa.array(slow_rows)), lambda distinct: _clean_distinct_dates(
            distinct, order, with_time, timezone, month_first_default, votes=fast_votes))
        month_first, detected = slow.detected_order == "month_first", slow.detected_order
        if order != "auto":
            month_first = order == "month_first"
    else:
        month_first, detected = _date_order(order, *fast_votes, month_first_default)
    return _finish_fixed(fixed, slow_rows, slow, month_first, detected, with_time, timezone)


def _finish_fixed(fixed: FixedDates, slow_rows: np.ndarray, slow: Cleaned | None,
                  month_first: bool, detected: str | None, with_time: bool,
                  timezone: str) -> Cleaned:
    """The column's result: the rows in a fixed layout read by their parts, ``slow_rows`` as
    ``slow`` read them."""
    first, second, third, year_first = fixed.first, fixed.second, fixed.third, fixed.year_first
    month = np.where(year_first, second, np.where(month_first, first, second))
    day = np.where(year_first, third, np.where(month_first, second, first))
    days = _days_from_civil(np.where(year_first, first, third), month, day)
    date_ok = days != np.iinfo(np.int64).min
    ambiguous_date = ~year_first & (first <= 12) & (second <= 12) & (first != second)
    hours, minutes, seconds = fixed.hours, fixed.minutes, fixed.seconds
    time_bad = (hours >= 0) & ((minutes > 59) | (seconds > 59) | (hours > 23))
    time_ms = (np.maximum(hours, 0) * 3_600_000 + np.maximum(minutes, 0) * 60_000
               + np.maximum(seconds, 0) * 1000)

    valid = date_ok[fixed.date_codes] & ~time_bad[fixed.time_codes]
    good_rows = fixed.rows[valid]
    count = fixed.count
    epoch: np.ndarray | None = None
    text: pa.Array | np.ndarray
    if with_time:
        local_ms = days[fixed.date_codes[valid]] * 86_400_000 + \
            time_ms[fixed.time_codes[valid]]
        moments = _localize_ms(local_ms, timezone) if len(local_ms) else local_ms
        epoch = np.full(count, NO_TIME, dtype=np.int64)
        epoch[good_rows] = moments
        rows_text = iso_millis_rows(moments) if len(moments) else None
        text = _iso_millis(moments) if rows_text is None else rows_text
    else:
        day_text = pa.array(np.where(date_ok, days, 0).astype(np.int32),
                            type=pa.date32()).cast(pa.string())
        table = text_rows(day_text, 10)
        codes = fixed.date_codes[valid]
        text = day_text.take(pa.array(codes)) if table is None else table[codes]
    bad = np.zeros(count, dtype=bool)
    bad[fixed.rows[~valid]] = True
    ambiguous = np.zeros(count, dtype=bool)
    ambiguous[good_rows] = ambiguous_date[fixed.date_codes[valid]]

    if slow is None and isinstance(text, np.ndarray):
        values = strings_at(count, good_rows, text)
    else:
        out = Scatter(count)
        out.put(good_rows, text if isinstance(text, pa.Array)
                else strings_at(len(text), np.arange(len(text)), text))
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


def _regex_date_parts(array: pa.Array) -> DateParts:
    parts = pc.extract_regex(array, _DATE_RE)
    fraction = _str_field(parts, "frac")
    millis_text = pc.utf8_slice_codeunits(
        pc.binary_join_element_wise(fraction, "000", ""), 0, 3)
    ampm = pc.utf8_lower(pc.utf8_slice_codeunits(_str_field(parts, "ampm"), 0, 1))
    zone_text = _str_field(parts, "tz")

    def length(name: str) -> np.ndarray:
        return np.asarray(pc.utf8_length(_str_field(parts, name)).to_numpy(
            zero_copy_only=False), dtype=np.int64)

    return DateParts(
        matched=present_mask(parts),
        first=_int_field(parts, "a"), second=_int_field(parts, "b"),
        third=_int_field(parts, "c"), first_len=length("a"), third_len=length("c"),
        hours=_int_field(parts, "hh"), minutes=_int_field(parts, "mi"),
        seconds=_int_field(parts, "ss"),
        millis=np.asarray(pc.cast(millis_text, pa.int64()).to_numpy(zero_copy_only=False),
                          dtype=np.int64),
        am=true_mask(pc.equal(ampm, "a")), pm=true_mask(pc.equal(ampm, "p")),
        zoned=true_mask(pc.not_equal(zone_text, "")), offset_ms=_offset_ms(zone_text))


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
    present = present_mask(array)
    if layouts:
        fast, parts = layout_date_parts(array, present)
    else:
        fast, parts = np.zeros(count, dtype=bool), DateParts.empty(count)
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
        return value_template(QT_TRANSLATE_NOOP("Validation", '"{value}" is not a date and time'))
    return value_template(QT_TRANSLATE_NOOP("Validation", '"{value}" is not a date'))


def _iso_millis(epoch: np.ndarray) -> pa.Array:
    """UTC epoch milliseconds -> ``YYYY-MM-DDTHH:MM:SS.mmmZ``.

    Formatted by Arrow, no Python string per value: a cast gives "2024-06-01 10:00:00.123"
    (milliseconds always written), 20x faster than its strftime.
    """
    stamps = pa.array(epoch, type=pa.timestamp("ms")).cast(pa.string())
    return pc.binary_join_element_wise(
        pc.replace_substring(stamps, " ", "T", max_replacements=1), "Z", "")


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
    sign = np.where(true_mask(pc.starts_with(zone_text, "-")), -1, 1)
    digits = pc.replace_substring_regex(zone_text, r"[^0-9]", "")
    digits = pc.binary_join_element_wise(digits, "0000", "")
    hours = np.asarray(pc.cast(pc.utf8_slice_codeunits(digits, 0, 2), pa.int64()).to_numpy(
        zero_copy_only=False), dtype=np.int64)
    minutes = np.asarray(pc.cast(pc.utf8_slice_codeunits(digits, 2, 4), pa.int64()).to_numpy(
        zero_copy_only=False), dtype=np.int64)
    offsets: np.ndarray = sign * (hours * 3_600_000 + minutes * 60_000)
    return offsets


def clean_date_value(text: str, *, order: str = "auto", with_time: bool = False,
                     timezone: str = "UTC") -> str | None:
    return first_value(clean_dates(blank_to_null([text]), order=order, with_time=with_time,
                            timezone=timezone))
