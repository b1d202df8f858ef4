"""Turn validated rows into wire batches: JSON array bodies of at most 100 items, each body under
:data:`MAX_BATCH_BYTES` (a single larger item travels alone; the service judges it).

Payload rules (see ``shared/ingest-api-reference.md``):

- contacts: ``{"_user_id": ..., "<attribute>": value, ...}``;
- events: ``{"_user_id", "_event_id", "_event_type", "_event_date", "_event_parameters": {...}}``
  plus ``"_user_data": {...}`` when the mapping embeds contact attributes; ``_event_date`` is
  omitted when the cell is empty (the service stamps "now");
- delete: ``{"_user_id": ...}``, one item per row (the engine sends one ``DELETE`` each).

Wire types follow the target's data type: ``number``/``integer`` become JSON integers,
``decimal`` a JSON number that prints exactly as the cleaned text (``0.1`` stays ``0.1``),
``bool`` stays the strings ``"1"``/``"0"``, list targets become JSON arrays, everything else a
string. An empty cell is omitted (empty-cell policy "keep") or sent as ``null`` ("clear"); never
``NaN``.

How the bodies are written (a million contacts must build in about a second, and without a
Python object per row): column-wise, with Arrow, a chunk of rows at a time. An item is a fixed
sequence of *pieces*: per target, the structural text before its value (``,"_email":"`` — what
closes the previous value, the separator, the key and what opens this value) and the value's
text, which is the cleaned cell itself whenever that already is its JSON form (a string with
nothing to escape, a number that prints exactly as its text, a list of those). The few cells
that are not — strings with quotes, backslashes or control characters, numbers such as
``1.50``, lists with empty parts — get their text from Python's ``json`` encoder, once per
distinct text. One Arrow ``take`` then writes the chunk, piece by piece, into one buffer
(``{...},{...},``) that batches slice into their bodies, so memory holds the bodies plus one
chunk's work. The bodies are byte for byte what ``ingest_gui.api.items.encode_items`` makes of
the items described above (``tests/core/test_payload_reference.py`` checks it against a
per-row reference builder).
"""

from __future__ import annotations

import enum
import hashlib
import json
import math
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache, partial
from json.encoder import encode_basestring, encode_basestring_ascii
from typing import TYPE_CHECKING, Any

from ingest_gui.api.items import EncodedItems, user_id_text
from ingest_gui.api.specs import DatasourceSpecs
from ingest_gui.core.heap import building_long_lived
from ingest_gui.core.mapping import (
    PARAMETER_PREFIX,
    USER_DATA_PREFIX,
    ImportKind,
)
from ingest_gui.core.validation import LIST_SEPARATOR, ValidationResult

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

MAX_ITEMS_PER_BATCH = 100
MAX_BATCH_BYTES = 512 * 1024

#: Prefix of every derived ``_event_id``.
EVENT_ID_PREFIX = "ev-"
#: How many hex digits of the sha256 a derived ``_event_id`` keeps (128 bits).
EVENT_ID_HEX_DIGITS = 32

USER_ID = "_user_id"
EVENT_ID = "_event_id"
EVENT_TYPE = "_event_type"
EVENT_DATE = "_event_date"
EVENT_PARAMETERS = "_event_parameters"
USER_DATA = "_user_data"


@dataclass(frozen=True, slots=True)
class Batch:
    """One request's worth of items, encoded for the wire; ``rows[i]`` is the spreadsheet row
    of item ``i``.

    For ``ImportKind.DELETE`` each item is ``{"_user_id": ...}`` and the engine sends one
    ``DELETE`` per user id of ``encoded``.
    """

    index: int
    kind: ImportKind
    encoded: EncodedItems
    rows: tuple[int, ...]

    @classmethod
    def of_items(cls, index: int, kind: ImportKind, items: Sequence[Mapping[str, Any]],
                 rows: Sequence[int]) -> Batch:
        return cls(index, kind, EncodedItems.of(items), tuple(rows))

    @property
    def items(self) -> list[dict[str, Any]]:
        """The items decoded again from the wire body (reports and tests; not the send path)."""
        return self.encoded.decoded()


@dataclass(frozen=True, slots=True)
class PayloadPlan:
    batches: tuple[Batch, ...]
    #: Spreadsheet rows left out because they were invalid.
    skipped_rows: tuple[int, ...]
    #: Rows whose derived ``_event_id`` equals an earlier row's: (row, first row with that id).
    duplicate_events: tuple[tuple[int, int], ...]

    @property
    def item_count(self) -> int:
        return sum(len(batch.rows) for batch in self.batches)


# --------------------------------------------------------------------------- event ids


def event_id_for(datasource: str, event_type: str, user_id: str, date: str,
                 values: Mapping[str, str]) -> str:
    """The deterministic ``_event_id`` of a row without a mapped id column (formula in README).

    ``values`` are the row's non-empty event parameters as cleaned wire strings, keyed by
    target key (``_event_parameters.amount``); ``date`` is the cleaned ``_event_date`` or ``""``.
    The id is ``"ev-"`` + the first 32 hex digits of the sha256 of the ASCII bytes of::

        json.dumps([datasource, event_type, user_id, date, sorted([key, value] pairs)],
                   ensure_ascii=True, separators=(",", ":"))
    """
    pairs = [[key, values[key]] for key in sorted(values)]
    canonical = json.dumps(
        [datasource, event_type, user_id, date, pairs], ensure_ascii=True, separators=(",", ":")
    )
    return _hash_event_id(canonical)


def _hash_event_id(canonical: str) -> str:
    digest = hashlib.sha256(canonical.encode("ascii")).hexdigest()
    return EVENT_ID_PREFIX + digest[:EVENT_ID_HEX_DIGITS]


def _derived_event_ids(
    datasource: str,
    event_types: list[str],
    user_ids: list[str],
    dates: list[str | None],
    parameters: Mapping[str, list[str | None]],
) -> list[str]:
    """``event_id_for`` for every row at once: the same canonical JSON, assembled from strings
    encoded once per column instead of a ``json.dumps`` per row."""
    encode: Callable[[str], str] = encode_basestring_ascii
    datasource_json = encode(datasource)
    type_cache: dict[str, str] = {}
    types_json = [type_cache.get(t) or type_cache.setdefault(t, encode(t)) for t in event_types]
    users_json = [encode(user) for user in user_ids]
    dates_json = [encode(date) if date else '""' for date in dates]
    piece_columns: list[list[str | None]] = []
    for key in sorted(parameters):
        opening = "[" + encode(key) + ","
        piece_columns.append(
            [None if value is None else opening + encode(value) + "]"
             for value in parameters[key]]
        )
    if piece_columns:
        joined = [",".join([piece for piece in pieces if piece is not None])
                  for pieces in zip(*piece_columns, strict=True)]
    else:
        joined = [""] * len(user_ids)
    head = "[" + datasource_json + ","
    return [
        _hash_event_id(head + type_json + "," + user_json + "," + date_json + ",[" + pairs + "]]")
        for type_json, user_json, date_json, pairs in zip(
            types_json, users_json, dates_json, joined, strict=True
        )
    ]


# --------------------------------------------------------------------------- wire values


def _to_integer(text: str) -> Any:
    try:
        return int(text)
    except ValueError:
        return _to_decimal(text)


def _to_decimal(text: str) -> Any:
    """A JSON number that prints exactly as ``text``; the text itself if no float can."""
    if "." not in text and "e" not in text and "E" not in text:
        try:
            return int(text)
        except ValueError:
            pass
    try:
        number = float(text)
    except ValueError:
        return text
    if not math.isfinite(number):
        return text
    # json prints a float as repr(): send the float only when that repr is the same number
    # as the text, so "0.1" is 0.1 and a 20-digit value is not silently rounded.
    printed = repr(number)
    if printed == text:
        return number
    try:
        same = Decimal(printed) == Decimal(text)
    except InvalidOperation:
        return text
    return number if same else text


def _scalar_converter(data_type: str) -> Callable[[str], Any] | None:
    """How one cleaned string becomes its wire value; ``None``: it stays the string."""
    if data_type in ("number", "integer"):
        return _to_integer
    if data_type == "decimal":
        return _to_decimal
    return None


def _split_list(text: str) -> list[str]:
    parts = text.split(LIST_SEPARATOR)
    return parts if all(parts) else [part for part in parts if part]


#: JSON text of one value, exactly as ``encode_items`` writes it inside a body.
_json_text: Callable[[Any], str] = partial(
    json.dumps, ensure_ascii=False, allow_nan=False, separators=(",", ":"))

#: A number text longer than this goes through Python (see :func:`_verbatim_numbers`).
_VERBATIM_NUMBER_MAX_BYTES = 16

_QUOTE = 0x22
_BACKSLASH = 0x5C
_SEPARATOR = ord(LIST_SEPARATOR)
_FIRST_PRINTABLE = 0x20
_ZERO = 0x30
_NINE = 0x39
_DOT = 0x2E
_MINUS = 0x2D


class _Kind(enum.Enum):
    """How a target's cells are written."""

    TEXT = "text"
    NUMBER = "number"
    TEXT_LIST = "text list"
    NUMBER_LIST = "number list"


def _kind_of(data_type: str, is_list: bool) -> tuple[_Kind, Callable[[str], Any] | None]:
    convert = _scalar_converter(data_type)
    if is_list:
        return (_Kind.TEXT_LIST if convert is None else _Kind.NUMBER_LIST), convert
    return (_Kind.TEXT if convert is None else _Kind.NUMBER), convert


#: How a value piece is framed: (text before it, text after it, it has a text of its own).
_Variant = tuple[str, str, bool]
_NULL: _Variant = ("null", "", False)
#: Per kind, the ways a cell is written. Variant 0 is the common, column-wise one; lists have a
#: variant 1 for the cells whose whole JSON text comes from Python; the last one is ``null``.
_VARIANTS: dict[_Kind, tuple[_Variant, ...]] = {
    # The value is the escaped text between the quotes.
    _Kind.TEXT: (('"', '"', True), _NULL),
    # The value is the whole JSON text (a number, or a string for text no number prints as).
    _Kind.NUMBER: (("", "", True), _NULL),
    # The value is the cell with its separators turned into '","' (or ',').
    _Kind.TEXT_LIST: (('["', '"]', True), ("", "", True), _NULL),
    _Kind.NUMBER_LIST: (("[", "]", True), ("", "", True), _NULL),
}
_ABSENT = -1


# --------------------------------------------------------------------------- document shape


@dataclass(eq=False, slots=True)
class _Leaf:
    """One key of an item and the cells that give its value."""

    key: str
    kind: _Kind
    #: The cleaned column (null or "" where empty); ``None``: ``constant`` in every item.
    cells: Any
    #: Item ``i``'s cell is ``cells[rows[i]]`` (``None``: ``cells[i]``). Rows are picked a
    #: chunk at a time, so the sent rows of a column are never copied all at once.
    rows: np.ndarray | None = None
    #: Empty cells are sent as ``null`` (else the key is left out).
    clear: bool = False
    convert: Callable[[str], Any] | None = None
    constant: str | None = None
    #: Rows that have this key at all (a parameter typed per event type), else every row.
    applies: np.ndarray | None = None


@dataclass(eq=False, slots=True)
class _Object:
    """A nested object, present in every item even when none of its keys is."""

    key: str
    members: list[_Leaf | _Object]


def _leaves(members: Sequence[_Leaf | _Object]) -> Iterator[_Leaf]:
    for member in members:
        if isinstance(member, _Leaf):
            yield member
        else:
            yield from _leaves(member.members)


# --------------------------------------------------------------------------- cell texts


def _chunk(leaf: _Leaf, start: int, count: int) -> Any:
    """The cells of items ``start``..``start + count`` of ``leaf`` as one array."""
    import pyarrow as pa

    if leaf.rows is None:
        piece = leaf.cells.slice(start, count)
    else:
        piece = leaf.cells.take(pa.array(leaf.rows[start:start + count]))
    return piece.chunk(0) if piece.num_chunks == 1 else piece.combine_chunks()


def _bytes_of(cells: Any) -> tuple[np.ndarray, np.ndarray]:
    """The UTF-8 bytes of a string array and each cell's offsets into them (``len + 1``)."""
    import numpy as np

    offsets = np.frombuffer(cells.buffers()[1], dtype=np.int64)[
        cells.offset:cells.offset + len(cells) + 1]
    data_buffer = cells.buffers()[2]
    if data_buffer is None or len(offsets) == 0:
        return np.empty(0, dtype=np.uint8), np.zeros(len(cells) + 1, dtype=np.int64)
    data = np.frombuffer(data_buffer, dtype=np.uint8)[offsets[0]:offsets[-1]]
    return data, offsets - offsets[0]


def _rows_to_escape(cells: Any, *, lists: bool) -> np.ndarray:
    """Rows whose text JSON must escape: a quote, a backslash or a control character (the list
    separator aside in lists). Bytes, not characters: in UTF-8 none of them occurs inside a
    multi-byte character, so one scan of the column's buffer finds them."""
    import numpy as np

    data, offsets = _bytes_of(cells)
    floor = _SEPARATOR if lists else _FIRST_PRINTABLE
    if not len(data) or (int(data.min()) >= floor and not (data == _QUOTE).any()
                         and not (data == _BACKSLASH).any()):
        return np.empty(0, dtype=np.int64)
    special = (data < floor) | (data == _QUOTE) | (data == _BACKSLASH)
    return np.unique(np.searchsorted(offsets, np.flatnonzero(special), side="right") - 1)


def _rows_with_empty_parts(cells: Any) -> np.ndarray:
    """Rows of a list column with an empty part (a separator first, last or doubled)."""
    import numpy as np

    data, offsets = _bytes_of(cells)
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
    import numpy as np

    # 32-bit: numpy's take from a 64-bit table is several times slower.
    weights = np.full(256, 1024, dtype=np.int32)
    weights[_ZERO:_NINE + 1] = 0
    weights[_MINUS] = 1
    weights[_DOT] = 32
    return weights


def _verbatim_numbers(texts: Any) -> np.ndarray:
    """Per cell: the text is its own JSON number — ``int(text)`` or ``repr(float(text))``, as
    ``_to_integer``/``_to_decimal`` send it, prints it back unchanged. Checked on the bytes of
    the whole column at once.

    Such texts are: an integer without ``+``, leading zeros or ``-0``; or a decimal in fixed
    notation without leading or trailing zeros (``1.0`` and ``0.5`` are fine, ``1.50`` prints
    as ``1.5``) and at least 1e-4 (``0.00001`` prints as ``1e-05``). Up to 16 bytes only: a
    decimal then has at most 15 significant digits, which a float keeps exactly enough that its
    shortest repr is the text, and is below 1e15, which repr prints in fixed notation. Anything
    else — longer, exponents, ``+``, spaces — is left to Python.
    """
    import numpy as np

    data, offsets = _bytes_of(texts)
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
    ok = ((lengths >= 1) & (lengths <= _VERBATIM_NUMBER_MAX_BYTES)
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


def _list_rows_not_verbatim(cells: Any) -> np.ndarray:
    """Rows of a number list with a part that is not its own JSON (an empty part included)."""
    import numpy as np
    import pyarrow.compute as pc

    parts = pc.split_pattern(cells, LIST_SEPARATOR)
    offsets = np.asarray(parts.offsets.to_numpy(zero_copy_only=False), dtype=np.int64)
    offsets -= offsets[0]
    bad = np.concatenate(([0], np.cumsum(~_verbatim_numbers(pc.list_flatten(parts)))))
    return np.flatnonzero(bad[offsets[1:]] - bad[offsets[:-1]])


def _fallback_text(leaf: _Leaf, text: str) -> str:
    """The value text of one cell the column-wise path cannot write (see ``_VARIANTS``)."""
    if leaf.kind is _Kind.TEXT:
        return encode_basestring(text)[1:-1]
    convert = leaf.convert
    if leaf.kind is _Kind.NUMBER:
        assert convert is not None
        return _json_text(convert(text))
    parts = _split_list(text)
    return _json_text(parts if convert is None else [convert(part) for part in parts])


@dataclass(slots=True)
class _Encoded:
    """A leaf's value texts for a chunk of rows."""

    #: One text per row (a single one for a constant), null or meaningless where empty.
    values: Any
    #: Each row's variant (``_ABSENT``: the key is left out), or one variant for all rows.
    variant: int | np.ndarray
    #: Rows whose text is in ``written`` instead (in order), computed in Python.
    rows: np.ndarray | None = None
    written: Any = None


def _encode_leaf(leaf: _Leaf, start: int, count: int) -> _Encoded:
    """``leaf``'s value texts for rows ``start``..``start + count``."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if leaf.cells is None:
        assert leaf.constant is not None
        return _Encoded(pa.array([_fallback_text(leaf, leaf.constant)],
                                 type=pa.large_string()), 0)
    cells = _chunk(leaf, start, count)
    # Empty: null or "" (a cleaned empty string is an empty cell too).
    blank = np.diff(_bytes_of(cells)[1]) == 0
    if cells.null_count:
        blank |= np.asarray(cells.is_null().to_numpy(zero_copy_only=False), dtype=bool)
    empty = blank if blank.any() else None
    applies = leaf.applies[start:start + count] if leaf.applies is not None else None
    kind = leaf.kind
    if kind is _Kind.TEXT:
        fallback = _rows_to_escape(cells, lists=False)
    elif kind is _Kind.NUMBER:
        fallback = np.flatnonzero(~_verbatim_numbers(cells))
    elif kind is _Kind.TEXT_LIST:
        fallback = np.union1d(_rows_to_escape(cells, lists=True), _rows_with_empty_parts(cells))
    else:
        fallback = _list_rows_not_verbatim(cells)
    if empty is not None and len(fallback):
        fallback = fallback[~empty[fallback]]
    if applies is not None and len(fallback):
        fallback = fallback[applies[fallback]]

    values = cells
    if kind is _Kind.TEXT_LIST:
        values = pc.replace_substring(cells, LIST_SEPARATOR, '","')
    elif kind is _Kind.NUMBER_LIST:
        values = pc.replace_substring(cells, LIST_SEPARATOR, ",")
    encoded = _Encoded(values, 0)
    if len(fallback):
        texts = cells.take(pa.array(fallback)).to_pylist()
        # Numbers and lists repeat: each distinct text goes through Python once.
        written = {text: _fallback_text(leaf, text) for text in set(texts)}
        encoded.rows = fallback
        encoded.written = pa.array([written[text] for text in texts], type=pa.large_string())

    lists = kind in (_Kind.TEXT_LIST, _Kind.NUMBER_LIST)
    if empty is None and applies is None and not (lists and len(fallback)):
        return encoded
    variants = np.zeros(count, dtype=np.int8)
    if lists:
        variants[fallback] = 1
    if empty is not None:
        np.copyto(variants, len(_VARIANTS[kind]) - 1 if leaf.clear else _ABSENT, where=empty)
    if applies is not None:
        np.copyto(variants, _ABSENT, where=~applies)
    encoded.variant = variants
    return encoded


# --------------------------------------------------------------------------- item texts


class _Writer:
    """Writes the items of a document shape, a chunk of rows at a time, as ``{...},{...},``.

    Each row is ``2 * leaves + 1`` pieces taken from one Arrow array: piece ``2j`` is the text
    before leaf ``j``'s value, ``2j + 1`` the value, the last one what closes the item. A text
    before a value depends only on the previous present value's (leaf, variant) and this one's
    — a *slot* each — so it is rendered once per pair of slots that occurs and looked up by the
    pair's code (``previous * width + next``). Left-out keys take the empty piece twice.
    """

    def __init__(self, members: list[_Leaf | _Object]) -> None:
        import numpy as np

        self.members = members
        self.leaves = list(_leaves(members))
        self.index_of = {id(leaf): index for index, leaf in enumerate(self.leaves)}
        self.slot_base: list[int] = []
        self.slots: list[tuple[int, _Variant]] = []
        self.carries: list[np.ndarray] = []
        for index, leaf in enumerate(self.leaves):
            variants = _VARIANTS[leaf.kind]
            self.slot_base.append(len(self.slots))
            self.slots += [(index, variant) for variant in variants]
            self.carries.append(np.array([variant[2] for variant in variants], dtype=bool))
        self.start = len(self.slots)
        self.end = self.start + 1
        self.width = self.start + 2
        self.absent = self.width * self.width
        # Piece indexes and pair codes in 32 bits when they fit (the usual case): less to write.
        self.index_type: type[np.signedinteger[Any]] = (
            np.int32 if self.absent < 2**31 else np.int64)
        #: Pair code -> index in ``texts`` (``-1``: not rendered yet); the absent code -> "".
        self.lookup: np.ndarray[Any, np.dtype[np.signedinteger[Any]]] = np.full(
            self.absent + 1, -1, dtype=self.index_type)
        self.lookup[self.absent] = 0
        self.texts: list[str] = [""]
        self.text_array: Any = None
        # Chunks are written on two threads; the text table grows under this lock.
        self.lock = threading.Lock()

    def write(self, start: int, count: int) -> tuple[Any, np.ndarray]:
        """Rows ``start``..``start + count`` as one Arrow string array of pieces, and where each
        row's text starts in its data buffer (``count + 1`` offsets)."""
        import numpy as np
        import pyarrow as pa

        encoded = [_encode_leaf(leaf, start, count) for leaf in self.leaves]
        sources: list[Any] = []
        for part in encoded:
            sources.append(part.values)
            if part.rows is not None:
                sources.append(part.written)
        value_count = sum(len(source) for source in sources)
        nothing = value_count  # the empty text, first of ``texts`` (placed after the values)
        pieces = np.empty((2 * len(self.leaves) + 1, count), dtype=self.index_type)
        positions = np.arange(count, dtype=self.index_type)
        previous: int | np.ndarray = self.start
        base = 0
        for index, part in enumerate(encoded):
            values, variant = part.values, part.variant
            value_piece, text_piece = pieces[2 * index + 1], pieces[2 * index]
            constant = len(values) != count
            if isinstance(variant, int):
                slot = self.slot_base[index] + variant
                np.add(previous * self.width, slot, out=text_piece)
                if not self.carries[index][variant]:
                    value_piece[...] = nothing
                elif constant:
                    value_piece[...] = base
                else:
                    np.add(positions, base, out=value_piece)
                previous = slot
            else:
                present = variant != _ABSENT
                slots = variant.astype(self.index_type) + self.slot_base[index]
                text_piece[...] = self.absent
                np.add(previous * self.width, slots, out=text_piece, where=present)
                value_piece[...] = nothing
                carried = present & self.carries[index][variant]
                if constant:
                    value_piece[carried] = base
                else:
                    np.add(positions, base, out=value_piece, where=carried)
                previous = np.where(present, slots, previous)
            base += len(values)
            if part.rows is not None:
                value_piece[part.rows] = np.arange(base, base + len(part.rows))
                base += len(part.rows)
        pieces[-1] = previous * self.width + self.end
        texts = pieces[0::2]
        with self.lock:
            found = self.lookup[texts]
            if (found < 0).any():
                self._render(np.unique(texts[found < 0]).tolist())
                found = self.lookup[texts]
            if self.text_array is None:
                self.text_array = pa.array(self.texts, type=pa.large_string())
            text_array = self.text_array
            longest = max(len(text.encode()) for text in self.texts)
        np.add(found, value_count, out=texts)
        source = pa.concat_arrays([*sources, text_array])
        # Null cells are never taken (their keys are left out or written as null): without
        # the validity bitmap Arrow's take runs its faster path, and faster still with 32-bit
        # offsets, which a chunk's texts fit unless its cells are huge.
        source = pa.Array.from_buffers(pa.large_string(), len(source),
                                       [None, *source.buffers()[1:]], offset=source.offset)
        order = pa.array(np.ascontiguousarray(pieces.T).ravel())
        # Values are taken once each (a constant once per row), texts once per row and leaf.
        _, source_offsets = _bytes_of(source)
        written_bound = int(source_offsets[-1]) + count * (
            len(pieces) * longest
            + sum(int(part.values.nbytes) for part in encoded if len(part.values) != count))
        small = written_bound <= _SMALL_OFFSETS_MAX
        written = (source.cast(pa.string()) if small else source).take(order)
        offset_type = np.int32 if small else np.int64
        offsets = np.frombuffer(written.buffers()[1], dtype=offset_type)[
            written.offset:written.offset + len(written) + 1]
        if len(offsets) != count * len(pieces) + 1:
            raise RuntimeError("Payload pieces were lost while writing; nothing is sent.")
        return written, offsets[::len(pieces)].astype(np.int64)

    def _render(self, codes: list[int]) -> None:
        for code in codes:
            previous, following = divmod(code, self.width)
            first = self.slots[previous] if previous != self.start else None
            second = self.slots[following] if following != self.end else None
            text = self._between(first[0] if first else None, second[0] if second else None)
            if first:
                text = first[1][1] + text
            text = text + second[1][0] if second else text + ","
            self.lookup[code] = len(self.texts)
            self.texts.append(text)
        self.text_array = None

    def _between(self, first: int | None, second: int | None) -> str:
        """The structural text between two leaves' values when no leaf between them is present
        (``None``: the item's start or end)."""
        present = {leaf for leaf in (first, second) if leaf is not None}
        collecting = first is None
        text: list[str] = []
        for piece in self._shape(self.members, present):
            if isinstance(piece, int):
                if piece == second:
                    break
                collecting = collecting or piece == first
            elif collecting:
                text.append(piece)
        return "".join(text)

    def _shape(self, members: Sequence[_Leaf | _Object], present: set[int]) -> Iterator[str | int]:
        """An object's text with only ``present`` leaves, their values as leaf indexes."""
        yield "{"
        separator = ""
        for member in members:
            if isinstance(member, _Leaf):
                index = self.index_of[id(member)]
                if index not in present:
                    continue
                yield separator + encode_basestring(member.key) + ":"
                yield index
            else:
                yield separator + encode_basestring(member.key) + ":"
                yield from self._shape(member.members, present)
            separator = ","
        yield "}"


# --------------------------------------------------------------------------- batching


#: Pieces are written with 32-bit offsets when their bytes surely fit them.
_SMALL_OFFSETS_MAX = 2**31 - 1

#: Rows written at once: enough that Arrow's per-call costs vanish, few enough that the pieces
#: of a chunk stay small next to the bodies (which the plan keeps anyway).
_CHUNK_BYTES = 16 * 1024 * 1024
_CHUNK_MIN_ROWS = 1_000
_CHUNK_MAX_ROWS = 50_000


def _chunk_rows(leaves: Sequence[_Leaf], count: int) -> int:
    cell_bytes = sum(int(leaf.cells.nbytes) for leaf in leaves if leaf.cells is not None)
    rows = _CHUNK_BYTES * max(count, 1) // max(cell_bytes, 1)
    return int(min(max(rows, _CHUNK_MIN_ROWS), _CHUNK_MAX_ROWS))


def _user_ids(leaf: _Leaf, start: int, count: int) -> list[str | None]:
    """Each item's ``_user_id`` as the engine checks it (see ``EncodedItems.user_ids``)."""
    texts: list[str | None] = _chunk(leaf, start, count).to_pylist()
    if leaf.kind is _Kind.TEXT:
        return texts
    if leaf.kind is _Kind.NUMBER:
        convert = leaf.convert
        assert convert is not None
        return [None if text is None else user_id_text(convert(text)) for text in texts]
    return [None] * count


@dataclass(slots=True)
class _Chunk:
    """Written items: their texts (each with a trailing comma) in ``body``, item ``i`` from
    ``offsets[i]`` to ``offsets[i + 1]``."""

    body: memoryview
    offsets: list[int]
    rows: list[int]
    user_ids: list[str | None]


class _Batcher:
    """Cuts the stream of written items into batches: greedily as many as fit — at most 100,
    the body (``[`` + items + ``]``) under ``MAX_BATCH_BYTES`` — and a single item over the
    limit alone (the service judges it). A batch can span chunks."""

    def __init__(self, kind: ImportKind) -> None:
        self.kind = kind
        self.batches: list[Batch] = []
        self.parts: list[memoryview] = []
        self.rows: list[int] = []
        self.user_ids: list[str | None] = []
        self.size = 0  # the open batch's item bytes, commas included

    def add(self, chunk: _Chunk) -> None:
        import bisect

        offsets = chunk.offsets
        count = len(offsets) - 1
        start = 0
        while start < count:
            # A body is its items' bytes + 1: the last comma gives way to the two brackets.
            room = MAX_BATCH_BYTES - 2 - self.size
            end = min(start + MAX_ITEMS_PER_BATCH - len(self.rows), count)
            if offsets[end] - offsets[start] > room:
                end = max(start, bisect.bisect_right(offsets, offsets[start] + room,
                                                     start, end + 1) - 1)
            if not self.rows:
                end = max(end, start + 1)
            if end > start:
                self.parts.append(chunk.body[offsets[start]:offsets[end]])
                self.rows += chunk.rows[start:end]
                self.user_ids += chunk.user_ids[start:end]
                self.size += offsets[end] - offsets[start]
            if end < count or len(self.rows) == MAX_ITEMS_PER_BATCH:
                self.close()
            start = end

    def close(self) -> None:
        if not self.rows:
            return
        self.parts[-1] = self.parts[-1][:-1]
        encoded = EncodedItems(b"".join([b"[", *self.parts, b"]"]), tuple(self.user_ids))
        self.batches.append(Batch(len(self.batches), self.kind, encoded, tuple(self.rows)))
        self.parts, self.rows, self.user_ids, self.size = [], [], [], 0


#: Chunks written at once. Arrow and numpy do most of the work without the GIL, so two
#: threads use both cores of a small machine; more would only hold more chunks in memory.
_WRITERS = 2


def _write_batches(kind: ImportKind, members: list[_Leaf | _Object], user: _Leaf,
                   rows: np.ndarray) -> tuple[Batch, ...]:
    from concurrent.futures import Future, ThreadPoolExecutor

    writer = _Writer(members)
    count = len(rows)
    chunk_rows = _chunk_rows(writer.leaves, count)

    def write(start: int) -> _Chunk:
        size = min(chunk_rows, count - start)
        written, offsets = writer.write(start, size)
        return _Chunk(memoryview(written.buffers()[2]), offsets.tolist(),
                      rows[start:start + size].tolist(), _user_ids(user, start, size))

    batcher = _Batcher(kind)
    starts = list(range(0, count, chunk_rows))
    if len(starts) <= 1:
        for start in starts:
            batcher.add(write(start))
    else:
        with ThreadPoolExecutor(_WRITERS, thread_name_prefix="payload") as pool:
            pending: list[Future[_Chunk]] = []
            for start in starts:
                pending.append(pool.submit(write, start))
                if len(pending) > _WRITERS:
                    batcher.add(pending.pop(0).result())
            for future in pending:
                batcher.add(future.result())
    batcher.close()
    return tuple(batcher.batches)


# --------------------------------------------------------------------------- planning


def _empty_mask(series: pd.Series) -> np.ndarray:
    import numpy as np

    missing = series.isna().to_numpy(dtype=bool)
    blank = series.eq("").to_numpy(dtype=bool, na_value=False)
    return np.asarray(missing | blank, dtype=bool)


def _column(series: pd.Series) -> Any:
    """A column of cleaned strings as a chunked Arrow array (no copy when it already is one)."""
    import pyarrow as pa

    try:
        arrow = pa.array(series)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        arrow = None
    if arrow is None or not (pa.types.is_string(arrow.type) or pa.types.is_large_string(arrow.type)
                             or pa.types.is_null(arrow.type)):
        # Cleaned values are text; an object column (all empty, say) is read cell by cell.
        # pandas-stubs does not know that na_value=None is accepted with dtype=object.
        objects = series.to_numpy(dtype=object, na_value=None)  # type: ignore[call-overload]
        try:
            arrow = pa.array(objects, type=pa.large_string())
        except (pa.ArrowInvalid, pa.ArrowTypeError) as error:
            raise ValueError(f"The values for {series.name} are not text; "
                             "check the file again.") from error
    if not isinstance(arrow, pa.ChunkedArray):
        arrow = pa.chunked_array([arrow])
    return arrow.cast(pa.large_string()) if arrow.type != pa.large_string() else arrow


def _attribute_kind(specs: DatasourceSpecs, uid: str) -> tuple[str, bool]:
    """(effective data type, is a list) of an attribute; unknown ones are plain text."""
    spec = specs.attribute(uid)
    return (spec.effective_type, spec.is_list) if spec is not None else ("text", False)


def _parameter_kind(specs: DatasourceSpecs, event_type: str, name: str) -> tuple[str, bool]:
    spec = next((s for s in specs.parameters_of(event_type) if s.parameter == name), None)
    return (spec.effective_type, spec.is_list) if spec is not None else ("text", False)


def _leaf(key: str, cells: Any, rows: np.ndarray | None,
          data_type: tuple[str, bool] = ("text", False), *, clear: bool = False,
          applies: np.ndarray | None = None) -> _Leaf:
    kind, convert = _kind_of(*data_type)
    return _Leaf(key, kind, cells, rows, clear=clear, convert=convert, applies=applies)


def build_batches(result: ValidationResult, *, datasource: str) -> PayloadPlan:
    """Wire batches for every valid row of ``result`` (see the module docstring for the rules).

    ``datasource`` identifies the datasource in derived ``_event_id`` values. Rows that are
    invalid — or lack a user id or an event type, which validation reports as errors — are
    listed in ``skipped_rows``; events sharing an ``_event_id`` with an earlier row are listed
    in ``duplicate_events`` and only the first is sent.
    """
    # Bodies are bytes, which the collector never walks; the ten thousand batches (and their
    # tuples) holding them are frozen out of later collections with the rest (see heap).
    with building_long_lived():
        return _build(result, datasource)


def _build(result: ValidationResult, datasource: str) -> PayloadPlan:
    import numpy as np

    mapping = result.mapping
    values = result.values
    count = len(values)
    if USER_ID not in values.columns:
        raise ValueError("No column is mapped to the user id (_user_id): nothing can be sent.")
    row_numbers = np.asarray(result.table.row_numbers, dtype=np.int64)
    sendable = np.asarray(result.valid, dtype=bool).copy()
    if len(sendable) != count or len(row_numbers) != count:
        raise ValueError("The validation result does not match its table; check the file again.")
    sendable &= ~_empty_mask(values[USER_ID])

    fixed_event_type: str | None = None
    if mapping.kind is ImportKind.EVENTS:
        if EVENT_TYPE in values.columns:
            sendable &= ~_empty_mask(values[EVENT_TYPE])
        elif mapping.event_type:
            fixed_event_type = mapping.event_type
        else:
            raise ValueError("No event type is chosen for this file and no column holds one.")

    positions = np.flatnonzero(sendable)
    skipped = tuple(row_numbers[~sendable].tolist())
    rows = row_numbers[positions]
    # Every row is sent: items are the column's cells as they are.
    picked = None if len(positions) == count else positions

    def column(target: str) -> Any:
        return _column(values[target])

    if mapping.kind is ImportKind.DELETE:
        user = _leaf(USER_ID, column(USER_ID), picked)
        return PayloadPlan(_write_batches(mapping.kind, [user], user, rows), skipped, ())

    if mapping.kind is ImportKind.CONTACTS:
        members: list[_Leaf | _Object] = [
            _leaf(str(target), column(str(target)), picked,
                  _attribute_kind(result.specs, str(target)),
                  clear=target != USER_ID and target in result.clear_targets)
            for target in values.columns
        ]
        user = next(leaf for leaf in _leaves(members) if leaf.key == USER_ID)
        return PayloadPlan(_write_batches(mapping.kind, members, user, rows), skipped, ())

    return _plan_events(result, datasource, positions, rows, skipped, fixed_event_type, column)


def _plan_events(result: ValidationResult, datasource: str, positions: np.ndarray,
                 rows: np.ndarray, skipped: tuple[int, ...], fixed_event_type: str | None,
                 column: Callable[[str], Any]) -> PayloadPlan:
    import pyarrow as pa
    import pyarrow.compute as pc

    mapping = result.mapping
    targets = [str(target) for target in result.values.columns]
    clear = result.clear_targets
    user = column(USER_ID)
    date = column(EVENT_DATE) if EVENT_DATE in targets else None
    types = column(EVENT_TYPE) if fixed_event_type is None else None
    parameters = [(t, column(t)) for t in targets if t.startswith(PARAMETER_PREFIX)]
    user_data = [(t, column(t)) for t in targets if t.startswith(USER_DATA_PREFIX)]
    count = len(rows)
    picked = pa.array(positions, type=pa.int64())

    def texts(cells: Any, subset: list[int] | None = None) -> list[str | None]:
        """The sent rows' cells as Python strings, ``None`` where empty."""
        chosen = picked if subset is None else picked.take(pa.array(subset, type=pa.int64()))
        return [text or None for text in cells.take(chosen).to_pylist()]

    ids: list[str | None] = texts(column(EVENT_ID)) if EVENT_ID in targets else [None] * count
    missing = [i for i, event_id in enumerate(ids) if event_id is None]
    if missing:
        subset = missing if len(missing) < count else None
        size = len(missing)
        derived = _derived_event_ids(
            datasource,
            [text or "" for text in texts(types, subset)] if types is not None else
            [fixed_event_type or ""] * size,
            [text or "" for text in texts(user, subset)],
            texts(date, subset) if date is not None else [None] * size,
            {target: texts(cells, subset) for target, cells in parameters},
        )
        for position, derived_id in zip(missing, derived, strict=True):
            ids[position] = derived_id

    first_row_of: dict[str | None, int] = {}
    duplicates: list[tuple[int, int]] = []
    keep: list[int] = []
    for position, (event_id, row) in enumerate(zip(ids, rows.tolist(), strict=True)):
        first = first_row_of.setdefault(event_id, row)
        if first == row:
            keep.append(position)
        else:
            duplicates.append((row, first))
    if duplicates:
        ids = [ids[position] for position in keep]
        positions, rows = positions[keep], rows[keep]
    id_cells = pa.chunked_array([pa.array(ids, type=pa.large_string())])

    # A parameter is typed by each row's event type: one key per typing, each on its rows.
    item_types = types.take(pa.array(positions)) if types is not None else None
    present_types = ([fixed_event_type or ""] if item_types is None else
                     [str(t) for t in pc.unique(item_types).to_pylist() if t])
    parameter_leaves: list[_Leaf | _Object] = []
    for target, cells in parameters:
        name = target.removeprefix(PARAMETER_PREFIX)
        kinds: dict[tuple[str, bool], list[str]] = {}
        for event_type in present_types:
            kinds.setdefault(_parameter_kind(result.specs, event_type, name), []).append(event_type)
        if len(kinds) <= 1:
            data_type = next(iter(kinds), ("text", False))
            parameter_leaves.append(_leaf(name, cells, positions, data_type,
                                          clear=target in clear))
            continue
        assert item_types is not None
        for data_type, event_types in kinds.items():
            applies = pc.is_in(item_types, value_set=pa.array(event_types))
            parameter_leaves.append(_leaf(
                name, cells, positions, data_type, clear=target in clear,
                applies=applies.to_numpy(zero_copy_only=False).astype(bool)))

    user_leaf = _leaf(USER_ID, user, positions)
    members: list[_Leaf | _Object] = [
        user_leaf,
        _leaf(EVENT_ID, id_cells, None),
        (_leaf(EVENT_TYPE, types, positions) if types is not None else
         _Leaf(EVENT_TYPE, _Kind.TEXT, None, constant=fixed_event_type or "")),
    ]
    if date is not None:
        members.append(_leaf(EVENT_DATE, date, positions))
    members.append(_Object(EVENT_PARAMETERS, parameter_leaves))
    if user_data or mapping.with_user_data:
        members.append(_Object(USER_DATA, [
            _leaf(t.removeprefix(USER_DATA_PREFIX), cells, positions,
                  _attribute_kind(result.specs, t.removeprefix(USER_DATA_PREFIX)),
                  clear=t in clear)
            for t, cells in user_data]))
    plan_batches = _write_batches(ImportKind.EVENTS, members, user_leaf, rows)
    return PayloadPlan(plan_batches, skipped, tuple(duplicates))
