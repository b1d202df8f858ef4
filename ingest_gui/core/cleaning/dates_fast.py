"""Fast readings of dates written in fixed layouts (``27/04/2023 17:43``, ``2024-12-31``),
straight from the bytes, and ISO text written from bytes.

Each one has its plain reference in :mod:`.dates` (the regex reading, Arrow's own formatting)
and an equivalence test against it in tests/core/test_cleaning_fast_paths.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ingest_gui.core.arrow import StringBytes, present_mask


@dataclass(slots=True)
class DateParts:
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
    def empty(cls, count: int) -> DateParts:
        def ints(fill: int) -> np.ndarray:
            return np.full(count, fill, dtype=np.int64)

        def flags() -> np.ndarray:
            return np.zeros(count, dtype=bool)

        return cls(flags(), ints(-1), ints(-1), ints(-1), ints(0), ints(0), ints(-1), ints(-1),
                   ints(-1), ints(0), flags(), flags(), flags(), ints(0))

    def put(self, rows: np.ndarray, other: DateParts) -> None:
        """Rows ``rows`` take ``other``'s values, in order."""
        for name in self.__slots__:
            getattr(self, name)[rows] = getattr(other, name)


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


def layout_date_parts(array: pa.Array, present: np.ndarray) -> tuple[np.ndarray, DateParts]:
    """Rows in one of ``_DATE_LAYOUTS``, and their parts."""
    view = StringBytes(array)
    count = len(array)
    fast = np.zeros(count, dtype=bool)
    parts = DateParts.empty(count)
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

        found = DateParts.empty(len(rows))
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


def strings_at(count: int, rows: np.ndarray, matrix: np.ndarray) -> pa.Array:
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


def text_rows(text: pa.Array, width: int) -> np.ndarray | None:
    """The bytes of a string array whose values all have ``width`` bytes, one row each."""
    if len(text) == 0 or text.null_count:
        return None
    view = StringBytes(text)
    if not (view.lengths == width).all():
        return None
    rows: np.ndarray = view.data[view.offsets[0]:view.offsets[-1]].reshape(len(text), width)
    return rows


def iso_millis_rows(epoch: np.ndarray) -> np.ndarray | None:
    """``YYYY-MM-DDTHH:MM:SS.mmmZ`` of UTC epoch milliseconds as byte rows, as Arrow writes
    them; ``None`` for years Arrow would not write with four digits (or a span too wide)."""
    days = epoch // 86_400_000
    of_day = epoch - days * 86_400_000
    low, high = int(days.min()), int(days.max())
    if high - low > 400_000:
        return None
    span = pa.array(np.arange(low, high + 1, dtype=np.int32), type=pa.date32()).cast(pa.string())
    table = text_rows(span, 10)
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


@dataclass(slots=True)
class FixedDates:
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
    def find(cls, array: pa.Array) -> FixedDates | None:
        count = len(array)
        view = StringBytes(array)
        present = present_mask(array)
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
