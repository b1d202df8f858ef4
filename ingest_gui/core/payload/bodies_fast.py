"""Fast paths of the body writer: byte scans over whole Arrow string columns that find the few
cells whose text cannot be written as it is.

Each scan answers, for every cell at once, a question whose plain answer is one call of
:func:`ingest_gui.core.payload.bodies.cell_text` (Python's ``json`` encoder) per cell: does the
cell's JSON text differ from the cell itself (with its list separators turned into commas)?
A scan may send a cell to Python when it did not have to (that only costs time), never the
other way round. ``tests/core/test_payload_fast_paths.py`` holds every scan to that rule on
generated and hand-picked texts; ``tests/core/test_payload_reference.py`` holds whole bodies to a
per-row reference builder.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np
import pyarrow.compute as pc

from ingest_gui.core.validation import LIST_SEPARATOR

#: A number text longer than this goes through Python (see :func:`verbatim_numbers`).
VERBATIM_NUMBER_MAX_BYTES = 16

_QUOTE = 0x22
_BACKSLASH = 0x5C
_SEPARATOR = ord(LIST_SEPARATOR)
_FIRST_PRINTABLE = 0x20
_ZERO = 0x30
_NINE = 0x39
_DOT = 0x2E
_MINUS = 0x2D


def string_bytes(cells: Any) -> tuple[np.ndarray, np.ndarray]:
    """The UTF-8 bytes of a string array and each cell's offsets into them (``len + 1``)."""
    offsets = np.frombuffer(cells.buffers()[1], dtype=np.int64)[
        cells.offset:cells.offset + len(cells) + 1]
    data_buffer = cells.buffers()[2]
    if data_buffer is None or len(offsets) == 0:
        return np.empty(0, dtype=np.uint8), np.zeros(len(cells) + 1, dtype=np.int64)
    data = np.frombuffer(data_buffer, dtype=np.uint8)[offsets[0]:offsets[-1]]
    return data, offsets - offsets[0]


def rows_to_escape(cells: Any, *, lists: bool) -> np.ndarray:
    """Rows whose text JSON must escape: a quote, a backslash or a control character (the list
    separator aside in lists). Bytes, not characters: in UTF-8 none of them occurs inside a
    multi-byte character, so one scan of the column's buffer finds them."""
    data, offsets = string_bytes(cells)
    floor = _SEPARATOR if lists else _FIRST_PRINTABLE
    if not len(data) or (int(data.min()) >= floor and not (data == _QUOTE).any()
                         and not (data == _BACKSLASH).any()):
        return np.empty(0, dtype=np.int64)
    special = (data < floor) | (data == _QUOTE) | (data == _BACKSLASH)
    return np.unique(np.searchsorted(offsets, np.flatnonzero(special), side="right") - 1)


def rows_with_empty_parts(cells: Any) -> np.ndarray:
    """Rows of a list column with an empty part (a separator first, last or doubled)."""
    data, offsets = string_bytes(cells)
    separators = np.flatnonzero(data == _SEPARATOR)
    if not len(separators):
        return np.empty(0, dtype=np.int64)
    rows = np.searchsorted(offsets, separators, side="right") - 1
    following = separators + 1
    empty = (separators == offsets[rows]) | (following == offsets[rows + 1])
    inside = following < len(data)
    empty[inside] |= data[following[inside]] == _SEPARATOR
    return np.unique(rows[empty])


@cache
def _number_byte_weights() -> np.ndarray:
    # 32-bit: numpy's take from a 64-bit table is several times slower.
    weights = np.full(256, 1024, dtype=np.int32)
    weights[_ZERO:_NINE + 1] = 0
    weights[_MINUS] = 1
    weights[_DOT] = 32
    return weights


def verbatim_numbers(texts: Any) -> np.ndarray:
    """Per cell: the text is its own JSON number — ``int(text)`` or ``repr(float(text))``, as
    ``to_integer``/``to_decimal`` send it, prints it back unchanged. Checked on the bytes of
    the whole column at once.

    Such texts are: an integer without ``+``, leading zeros or ``-0``; or a decimal in fixed
    notation without leading or trailing zeros (``1.0`` and ``0.5`` are fine, ``1.50`` prints
    as ``1.5``) and at least 1e-4 (``0.00001`` prints as ``1e-05``). Up to 16 bytes only: a
    decimal then has at most 15 significant digits, which a float keeps exactly enough that its
    shortest repr is the text, and is below 1e15, which repr prints in fixed notation. Anything
    else — longer, exponents, ``+``, spaces — is left to Python.
    """
    data, offsets = string_bytes(texts)
    starts, ends = offsets[:-1], offsets[1:]
    lengths = ends - starts
    if not len(data):
        return np.zeros(len(lengths), dtype=bool)

    # One running sum per cell counts its minus signs (weight 1), dots (32) and other bytes
    # (1024, digits weigh 0) and adds up its dots' positions (from bit 15): a cell of at most
    # 16 bytes cannot carry from one field into the next, and with one dot the last field is
    # where it is.
    weights = np.take(_number_byte_weights(), data).astype(np.int64)
    dot_positions = np.flatnonzero(data == _DOT)
    weights[dot_positions] += dot_positions << 15
    running = np.concatenate(([0], np.cumsum(weights)))
    counts = running[ends] - running[starts]
    dots = counts >> 5 & 31
    last_byte = len(data) - 1
    ok = ((lengths >= 1) & (lengths <= VERBATIM_NUMBER_MAX_BYTES)
          & (counts >> 10 & 31 == 0) & (dots <= 1))
    negative = ok & (data[np.minimum(starts, last_byte)] == _MINUS)
    ok &= (counts & 31) == negative
    first = starts + negative  # the first digit
    ok &= first < ends
    first = np.minimum(first, last_byte)
    ok &= weights[first] == 0
    zero_first = data[first] == _ZERO

    # Integers: "0" is the only one that starts with 0 ("-0" prints as 0).
    whole = ok & (dots == 0) & (~zero_first | (lengths == 1))

    point = counts >> 15
    integer_digits = point - first
    fraction_digits = ends - point - 1
    fractional = (ok & (dots == 1) & (integer_digits >= 1) & (fraction_digits >= 1)
                  & (~zero_first | (integer_digits == 1))
                  & ((data[np.maximum(ends - 1, 0)] != _ZERO) | (fraction_digits == 1)))
    # 0.0000x prints as x e-05 and beyond.
    small = np.flatnonzero(fractional & zero_first & (fraction_digits >= 5))
    if len(small):
        after = point[small]
        tiny = ((data[after + 1] == _ZERO) & (data[after + 2] == _ZERO)
                & (data[after + 3] == _ZERO) & (data[after + 4] == _ZERO))
        fractional[small[tiny]] = False
    return np.asarray(whole | fractional, dtype=bool)


def list_rows_not_verbatim(cells: Any) -> np.ndarray:
    """Rows of a number list with a part that is not its own JSON (an empty part included)."""
    parts = pc.split_pattern(cells, LIST_SEPARATOR)
    offsets = np.asarray(parts.offsets.to_numpy(zero_copy_only=False), dtype=np.int64)
    offsets -= offsets[0]
    bad = np.concatenate(([0], np.cumsum(~verbatim_numbers(pc.list_flatten(parts)))))
    return np.flatnonzero(bad[offsets[1:]] - bad[offsets[:-1]])

