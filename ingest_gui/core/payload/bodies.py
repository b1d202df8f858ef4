"""The body writer: turns columns of cleaned values into the JSON text of items.

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
``1.50``, lists with empty parts — get their text from :func:`cell_text` (Python's ``json``
encoder, the plain version every cell could take), once per distinct text; the byte scans that
find them are the fast paths in :mod:`.bodies_fast`. One Arrow ``take`` then writes the chunk,
piece by piece, into one buffer (``{...},{...},``) that the planner slices into bodies.
"""

from __future__ import annotations

import enum
import json
import math
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import partial
from json.encoder import encode_basestring
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ingest_gui.api.specs import DataType
from ingest_gui.core.payload.bodies_fast import (
    list_rows_not_verbatim,
    rows_to_escape,
    rows_with_empty_parts,
    string_bytes,
    verbatim_numbers,
)
from ingest_gui.core.validation import LIST_SEPARATOR

#: Pieces are written with 32-bit offsets when their bytes surely fit them.
_SMALL_OFFSETS_MAX = 2**31 - 1


# --------------------------------------------------------------------------- wire values


def to_integer(text: str) -> Any:
    try:
        return int(text)
    except ValueError:
        return to_decimal(text)


def to_decimal(text: str) -> Any:
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


def _scalar_converter(data_type: DataType) -> Callable[[str], Any] | None:
    """How one cleaned string becomes its wire value; ``None``: it stays the string."""
    if data_type in (DataType.NUMBER, DataType.INTEGER):
        return to_integer
    if data_type == DataType.DECIMAL:
        return to_decimal
    return None


def _split_list(text: str) -> list[str]:
    parts = text.split(LIST_SEPARATOR)
    return parts if all(parts) else [part for part in parts if part]


#: JSON text of one value, exactly as ``encode_items`` writes it inside a body.
json_text: Callable[[Any], str] = partial(
    json.dumps, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


class ValueKind(enum.Enum):
    """How a target's cells are written."""

    TEXT = "text"
    NUMBER = "number"
    TEXT_LIST = "text list"
    NUMBER_LIST = "number list"


def value_kind(data_type: DataType, is_list: bool) -> tuple[ValueKind, Callable[[str], Any] | None]:
    convert = _scalar_converter(data_type)
    if is_list:
        return (ValueKind.TEXT_LIST if convert is None else ValueKind.NUMBER_LIST), convert
    return (ValueKind.TEXT if convert is None else ValueKind.NUMBER), convert


#: How a value piece is framed: (text before it, text after it, it has a text of its own).
_Variant = tuple[str, str, bool]
_NULL: _Variant = ("null", "", False)
#: Per kind, the ways a cell is written. Variant 0 is the common, column-wise one; lists have a
#: variant 1 for the cells whose whole JSON text comes from Python; the last one is ``null``.
_VARIANTS: dict[ValueKind, tuple[_Variant, ...]] = {
    # The value is the escaped text between the quotes.
    ValueKind.TEXT: (('"', '"', True), _NULL),
    # The value is the whole JSON text (a number, or a string for text no number prints as).
    ValueKind.NUMBER: (("", "", True), _NULL),
    # The value is the cell with its separators turned into '","' (or ',').
    ValueKind.TEXT_LIST: (('["', '"]', True), ("", "", True), _NULL),
    ValueKind.NUMBER_LIST: (("[", "]", True), ("", "", True), _NULL),
}
_ABSENT = -1


# --------------------------------------------------------------------------- document shape


@dataclass(eq=False, slots=True)
class Leaf:
    """One key of an item and the cells that give its value."""

    key: str
    kind: ValueKind
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
class Nested:
    """A nested object, present in every item even when none of its keys is."""

    key: str
    members: list[Leaf | Nested]


def leaves_of(members: Sequence[Leaf | Nested]) -> Iterator[Leaf]:
    for member in members:
        if isinstance(member, Leaf):
            yield member
        else:
            yield from leaves_of(member.members)


# --------------------------------------------------------------------------- cell texts


def cells_of(leaf: Leaf, start: int, count: int) -> Any:
    """The cells of items ``start``..``start + count`` of ``leaf`` as one array."""
    if leaf.rows is None:
        piece = leaf.cells.slice(start, count)
    else:
        piece = leaf.cells.take(pa.array(leaf.rows[start:start + count]))
    return piece.chunk(0) if piece.num_chunks == 1 else piece.combine_chunks()


def cell_text(leaf: Leaf, text: str) -> str:
    """The value text of one cell as Python's ``json`` encoder writes it: the plain version of
    what the column-wise path writes, used for the cells it cannot write (see ``_VARIANTS``)."""
    if leaf.kind is ValueKind.TEXT:
        return encode_basestring(text)[1:-1]
    convert = leaf.convert
    if leaf.kind is ValueKind.NUMBER:
        assert convert is not None
        return json_text(convert(text))
    parts = _split_list(text)
    return json_text(parts if convert is None else [convert(part) for part in parts])


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


def _encode_leaf(leaf: Leaf, start: int, count: int) -> _Encoded:
    """``leaf``'s value texts for rows ``start``..``start + count``."""
    if leaf.cells is None:
        assert leaf.constant is not None
        return _Encoded(pa.array([cell_text(leaf, leaf.constant)],
                                 type=pa.large_string()), 0)
    cells = cells_of(leaf, start, count)
    # Empty: null or "" (a cleaned empty string is an empty cell too).
    blank = np.diff(string_bytes(cells)[1]) == 0
    if cells.null_count:
        blank |= np.asarray(cells.is_null().to_numpy(zero_copy_only=False), dtype=bool)
    empty = blank if blank.any() else None
    applies = leaf.applies[start:start + count] if leaf.applies is not None else None
    kind = leaf.kind
    if kind is ValueKind.TEXT:
        fallback = rows_to_escape(cells, lists=False)
    elif kind is ValueKind.NUMBER:
        fallback = np.flatnonzero(~verbatim_numbers(cells))
    elif kind is ValueKind.TEXT_LIST:
        fallback = np.union1d(rows_to_escape(cells, lists=True), rows_with_empty_parts(cells))
    else:
        fallback = list_rows_not_verbatim(cells)
    if empty is not None and len(fallback):
        fallback = fallback[~empty[fallback]]
    if applies is not None and len(fallback):
        fallback = fallback[applies[fallback]]

    values = cells
    if kind is ValueKind.TEXT_LIST:
        values = pc.replace_substring(cells, LIST_SEPARATOR, '","')
    elif kind is ValueKind.NUMBER_LIST:
        values = pc.replace_substring(cells, LIST_SEPARATOR, ",")
    encoded = _Encoded(values, 0)
    if len(fallback):
        texts = cells.take(pa.array(fallback)).to_pylist()
        # Numbers and lists repeat: each distinct text goes through Python once.
        written = {text: cell_text(leaf, text) for text in set(texts)}
        encoded.rows = fallback
        encoded.written = pa.array([written[text] for text in texts], type=pa.large_string())

    lists = kind in (ValueKind.TEXT_LIST, ValueKind.NUMBER_LIST)
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


class BodyWriter:
    """Writes the items of a document shape, a chunk of rows at a time, as ``{...},{...},``.

    Each row is ``2 * leaves + 1`` pieces taken from one Arrow array: piece ``2j`` is the text
    before leaf ``j``'s value, ``2j + 1`` the value, the last one what closes the item. A text
    before a value depends only on the previous present value's (leaf, variant) and this one's
    — a *slot* each — so it is rendered once per pair of slots that occurs and looked up by the
    pair's code (``previous * width + next``). Left-out keys take the empty piece twice.
    """

    def __init__(self, members: list[Leaf | Nested]) -> None:
        self.members = members
        self.leaves = list(leaves_of(members))
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
        _, source_offsets = string_bytes(source)
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

    def _shape(self, members: Sequence[Leaf | Nested], present: set[int]) -> Iterator[str | int]:
        """An object's text with only ``present`` leaves, their values as leaf indexes."""
        yield "{"
        separator = ""
        for member in members:
            if isinstance(member, Leaf):
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


