"""Turn validated rows into wire batches of at most 100 items (and well under 1 MiB).

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

Speed: a million contacts must build in well under a second, so everything works column-wise
(one Python list of wire values per column) and rows are assembled by a dict constructor mapped
over those lists — no ``DataFrame.to_dict``, ``iterrows`` or per-row pandas indexing.
"""

from __future__ import annotations

import hashlib
import json
import math
import operator
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from json.encoder import encode_basestring_ascii
from typing import TYPE_CHECKING, Any

from ingest_gui.api.items import EncodedItems
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
_EVENT_FIELDS = frozenset({USER_ID, EVENT_ID, EVENT_TYPE, EVENT_DATE})

#: Bytes a JSON string can take per character of text: a non-BMP character escapes to
#: ``\\ud83d\\ude00`` (12 bytes) under ``ensure_ascii``, the most expensive serialisation.
_MAX_BYTES_PER_CHAR = 12
#: Brackets, the item separator and slack for the nested objects of an event.
_ITEM_OVERHEAD_BYTES = 96


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


#: Below this many cells a column's numbers are converted one distinct text at a time.
_VECTOR_NUMBERS_MIN = 2_000


def _numbers_with_arrow(raw: list[str | None]) -> list[Any] | None:
    """``_to_decimal`` for a whole column at C speed, or ``None`` to convert value by value.

    Texts without ``.``/``e`` become ints (Arrow's int64 cast; any failure, such as a value
    beyond 64 bits, gives up). Others become the float Arrow parses when that float prints back
    as the same text — the shortest round-trip form, as Python's ``repr`` prints it — and
    ``_to_decimal`` decides the few that do not.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    texts = pa.array(raw, type=pa.string())
    present = np.asarray(pc.is_valid(texts).to_numpy(zero_copy_only=False), dtype=bool)
    fractional = np.asarray(pc.fill_null(pc.match_substring_regex(texts, "[.eE]"), False)
                            .to_numpy(zero_copy_only=False), dtype=bool)
    whole = present & ~fractional
    try:
        ints = pc.cast(pc.if_else(pa.array(whole), texts, "0"), pa.int64())
        floats = pc.cast(pc.if_else(pa.array(fractional), texts, "0"), pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    cells: np.ndarray = np.asarray(ints.to_numpy(zero_copy_only=False)).astype(object)
    if fractional.any():
        printed = pc.cast(floats, pa.string())
        exact = np.asarray(pc.fill_null(pc.equal(printed, texts), False)
                           .to_numpy(zero_copy_only=False), dtype=bool) & fractional
        cells[exact] = np.asarray(floats.to_numpy(zero_copy_only=False))[exact].astype(object)
        for position in np.flatnonzero(fractional & ~exact).tolist():
            cells[position] = _to_decimal(raw[position])  # type: ignore[arg-type]
    cells[~present] = None
    converted: list[Any] = cells.tolist()
    return converted


def _convert(raw: list[str | None], data_type: str, is_list: bool) -> list[Any]:
    """Wire values for one column: each distinct text is converted once, then looked up."""
    scalar = _scalar_converter(data_type)
    if is_list:
        lists = [None if text is None else _split_list(text) for text in raw]
        if scalar is None:
            return lists
        elements = {part: scalar(part) for parts in lists if parts for part in parts}
        return [None if parts is None else [elements[part] for part in parts] for parts in lists]
    if scalar is None:
        return raw
    distinct = set(raw)
    if len(raw) >= _VECTOR_NUMBERS_MIN and len(distinct) * 20 > len(raw):
        # Many distinct values (amounts, ids): one Arrow pass beats a Python call per value.
        converted = _numbers_with_arrow(raw)
        if converted is not None:
            return converted
    table: dict[str | None, Any] = {text: scalar(text) for text in distinct if text is not None}
    table[None] = None
    return list(map(table.__getitem__, raw))


# --------------------------------------------------------------------------- columns


@dataclass(slots=True)
class _Column:
    """One target's cells for the rows being built."""

    #: Key inside its object: attribute uid, parameter name or event field.
    key: str
    #: Cleaned strings, ``None`` where empty.
    raw: list[Any]
    #: True where the cell is empty.
    empty: np.ndarray
    #: Empty cells are sent as ``null`` (else the key is omitted).
    clear: bool
    #: Longest cleaned string in the whole column (for the batch size bound).
    max_length: int
    wire: list[Any] | None = None

    def take(self, positions: list[int]) -> _Column:
        return _Column(self.key, _take(self.raw, positions), self.empty[positions], self.clear,
                       self.max_length, None if self.wire is None else _take(self.wire, positions))


def _take(values: list[Any], positions: Sequence[int]) -> list[Any]:
    if not positions:
        return []
    if len(positions) == 1:
        return [values[positions[0]]]
    return list(operator.itemgetter(*positions)(values))


def _empty_mask(series: pd.Series) -> np.ndarray:
    import numpy as np

    missing = series.isna().to_numpy(dtype=bool)
    blank = series.eq("").to_numpy(dtype=bool, na_value=False)
    return np.asarray(missing | blank, dtype=bool)


def _extract(series: pd.Series, positions: np.ndarray, key: str, clear: bool) -> _Column:
    """The cells of ``series`` at ``positions`` as Python strings (``None`` where empty)."""
    import pyarrow as pa

    try:
        arrow = pa.array(series)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        arrow = None
    if arrow is None or not (pa.types.is_string(arrow.type) or
                             pa.types.is_large_string(arrow.type)):
        return _extract_with_pandas(series, positions, key, clear)
    return _extract_with_arrow(arrow, positions, key, clear)


def _extract_with_arrow(arrow: Any, positions: np.ndarray, key: str, clear: bool) -> _Column:
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if len(positions) != len(arrow):
        arrow = arrow.take(pa.array(positions))
    if isinstance(arrow, pa.ChunkedArray):
        arrow = arrow.combine_chunks()
    empty = np.asarray(
        pc.fill_null(pc.or_(pc.is_null(arrow), pc.equal(arrow, "")), True)
        .to_numpy(zero_copy_only=False), dtype=bool)
    longest = pc.max(pc.utf8_length(arrow)).as_py() if len(arrow) else None
    sample = arrow.slice(0, 4096)
    if len(arrow) > 4 * len(sample) / 3 and len(pc.unique(sample)) * 4 <= len(sample):
        # Few distinct values (plans, countries, first names): make one Python string per
        # distinct value and share it, instead of one per cell — about 3x faster.
        encoded = pc.dictionary_encode(arrow)
        distinct = np.array([*encoded.dictionary.to_pylist(), None], dtype=object)
        distinct[distinct == ""] = None
        indices = pc.fill_null(encoded.indices, len(encoded.dictionary)).to_numpy()
        cells: list[Any] = distinct[indices].tolist()
    else:
        values = arrow.to_numpy(zero_copy_only=False)
        if empty.any():
            values = np.asarray(values, dtype=object)
            values[empty] = None
        cells = values.tolist()
    return _Column(key, cells, empty, clear, int(longest or 0))


def _extract_with_pandas(series: pd.Series, positions: np.ndarray, key: str,
                         clear: bool) -> _Column:
    empty = _empty_mask(series)[positions]
    # pandas-stubs does not know that na_value=None is accepted with dtype=object.
    cells = series.to_numpy(dtype=object, na_value=None)[positions]  # type: ignore[call-overload]
    if empty.any():
        cells[empty] = None
    lengths = series.str.len().max() if len(series) else 0
    max_length = 0 if lengths is None or lengths != lengths else int(lengths)
    return _Column(key, cells.tolist(), empty, clear, max_length)


# --------------------------------------------------------------------------- dict assembly


@lru_cache(maxsize=1024)
def _dict_maker(keys: tuple[str, ...]) -> Callable[..., dict[str, Any]]:
    """A function ``(v0, v1, ...) -> {keys[0]: v0, keys[1]: v1, ...}``.

    A generated dict display is ~1.5x faster than ``dict(zip(keys, row))``, and this loop runs
    once per row of a million-row file. Only generated identifiers enter the source; the keys
    themselves are passed in as values, never spliced into code.
    """
    names = ", ".join(f"k{i}" for i in range(len(keys)))
    params = ", ".join(f"v{i}" for i in range(len(keys)))
    body = ", ".join(f"k{i}: v{i}" for i in range(len(keys)))
    source = f"def factory({names}):\n    return lambda {params}: {{{body}}}\n"
    namespace: dict[str, Any] = {}
    exec(source, namespace)
    maker: Callable[..., dict[str, Any]] = namespace["factory"](*keys)
    return maker


@lru_cache(maxsize=1024)
def _dict_maker_keeping(keys: tuple[str, ...],
                        kept: tuple[int, ...]) -> Callable[..., dict[str, Any]]:
    """Like :func:`_dict_maker` for all of ``keys``' values, but the dict has only ``kept``."""
    names = ", ".join(f"k{i}" for i in kept)
    params = ", ".join(f"v{i}" for i in range(len(keys)))
    body = ", ".join(f"k{i}: v{i}" for i in kept)
    source = f"def factory({names}):\n    return lambda {params}: {{{body}}}\n"
    namespace: dict[str, Any] = {}
    exec(source, namespace)
    maker: Callable[..., dict[str, Any]] = namespace["factory"](*(keys[i] for i in kept))
    return maker


#: Rows are built by one constructor per pattern of omitted keys when there are at most this
#: many columns with omissions and this many patterns (else: build whole, delete keys).
_PATTERN_COLUMNS = 24
_PATTERNS = 512


def _assemble(keys: Sequence[str], values: Sequence[list[Any]],
              omit: Sequence[np.ndarray | None], count: int) -> list[dict[str, Any]]:
    """Row dicts from column lists; ``omit[j]`` marks the rows where ``keys[j]`` is left out.

    Each row's pattern of omitted keys picks a generated constructor that leaves them out, and
    ``operator.call`` maps the row's constructor over the columns: no per-row Python code, no
    key deletion afterwards (measured ~25% faster than building whole rows and deleting the
    empty keys, on the benchmark's contacts with five sometimes-empty columns). Files with more
    patterns than that fall back to deleting.
    """
    import numpy as np

    if not keys:
        return [{} for _ in range(count)]
    key_tuple = tuple(keys)
    omitting = [(index, mask) for index, mask in enumerate(omit)
                if mask is not None and bool(mask.any())]
    if not omitting:
        return list(map(_dict_maker(key_tuple), *values))
    if len(omitting) <= _PATTERN_COLUMNS:
        codes = np.zeros(count, dtype=np.int64)
        for bit, (_, mask) in enumerate(omitting):
            codes |= np.asarray(mask, dtype=np.int64) << bit
        patterns = np.unique(codes).tolist()
        if len(patterns) <= _PATTERNS:
            makers = {}
            for code in patterns:
                left_out = {index for bit, (index, _) in enumerate(omitting) if code >> bit & 1}
                kept = tuple(i for i in range(len(keys)) if i not in left_out)
                makers[code] = _dict_maker_keeping(key_tuple, kept)
            row_makers = list(map(makers.__getitem__, codes.tolist()))
            return list(map(operator.call, row_makers, *values))
    rows = list(map(_dict_maker(key_tuple), *values))
    for key, empty in zip(keys, omit, strict=True):
        if empty is None:
            continue
        for position in np.flatnonzero(empty).tolist():
            del rows[position][key]
    return rows


def _assemble_columns(columns: Sequence[_Column], count: int) -> list[dict[str, Any]]:
    keys = [column.key for column in columns]
    values = [column.wire if column.wire is not None else column.raw for column in columns]
    omit = [None if column.clear else column.empty for column in columns]
    return _assemble(keys, values, omit, count)


# --------------------------------------------------------------------------- batching


def _item_size_bounds(columns: Sequence[_Column], count: int) -> np.ndarray | int:
    """An upper bound on each item's JSON size in bytes under any serialisation (indented
    output aside): a single int when one bound fits every item, else one per item."""
    import numpy as np

    fixed = _ITEM_OVERHEAD_BYTES
    long_columns: list[_Column] = []
    for column in columns:
        key_bytes = len(encode_basestring_ascii(column.key)) + 4  # ": " and ", "
        value_bound = _MAX_BYTES_PER_CHAR * column.max_length + 16
        if value_bound * MAX_ITEMS_PER_BATCH > MAX_BATCH_BYTES // 8:
            long_columns.append(column)
        else:
            fixed += key_bytes + value_bound
    if not long_columns:
        return fixed
    sizes = np.full(count, fixed, dtype=np.int64)
    for column in long_columns:
        key_bytes = len(encode_basestring_ascii(column.key)) + 4
        # The escaped cleaned string bounds every wire form: a number prints no longer than
        # its text (+8 slack for float exponents), a list's separators turn 6-byte escapes
        # into 4-byte '", "', and null is 4 bytes.
        sizes += np.fromiter(
            (key_bytes + (len(encode_basestring_ascii(text)) + 8 if text is not None else
                          4 if column.clear else -key_bytes)
             for text in column.raw),
            dtype=np.int64, count=count,
        )
    return sizes


def _batches(kind: ImportKind, items: list[dict[str, Any]], rows: list[int],
             sizes: np.ndarray | int) -> tuple[Batch, ...]:
    import numpy as np

    batches: list[Batch] = []
    limit = MAX_BATCH_BYTES - 2  # the array's brackets
    start = 0
    total = len(items)
    while start < total:
        end = min(start + MAX_ITEMS_PER_BATCH, total)
        if isinstance(sizes, int):
            if sizes * (end - start) > limit:
                end = start + max(1, limit // sizes)
        else:
            running = np.cumsum(sizes[start:end])
            if running[-1] > limit:
                # A single item over the limit still travels alone: the service judges it.
                end = start + max(1, int(np.searchsorted(running, limit, side="right")))
        batches.append(Batch.of_items(len(batches), kind, items[start:end], rows[start:end]))
        start = end
    return tuple(batches)


# --------------------------------------------------------------------------- planning


def _attribute_kind(specs: DatasourceSpecs, uid: str) -> tuple[str, bool]:
    """(effective data type, is a list) of an attribute; unknown ones are plain text."""
    spec = specs.attribute(uid)
    return (spec.effective_type, spec.is_list) if spec is not None else ("text", False)


def _parameter_kind(specs: DatasourceSpecs, event_type: str, name: str) -> tuple[str, bool]:
    spec = next((s for s in specs.parameters_of(event_type) if s.parameter == name), None)
    return (spec.effective_type, spec.is_list) if spec is not None else ("text", False)


def _parameter_wire(specs: DatasourceSpecs, name: str, raw: list[str | None],
                    event_types: list[str]) -> list[Any]:
    """Parameter values typed by each row's event type (one pass when every type agrees)."""
    kinds = {event_type: _parameter_kind(specs, event_type, name)
             for event_type in set(event_types)}
    if len(set(kinds.values())) <= 1:
        return _convert(raw, *next(iter(kinds.values()), ("text", False)))
    by_kind = {kind: _convert(raw, *kind) for kind in set(kinds.values())}
    return [by_kind[kinds[event_type]][i] for i, event_type in enumerate(event_types)]


def build_batches(result: ValidationResult, *, datasource: str) -> PayloadPlan:
    """Wire batches for every valid row of ``result`` (see the module docstring for the rules).

    ``datasource`` identifies the datasource in derived ``_event_id`` values. Rows that are
    invalid — or lack a user id or an event type, which validation reports as errors — are
    listed in ``skipped_rows``; events sharing an ``_event_id`` with an earlier row are listed
    in ``duplicate_events`` and only the first is sent.
    """
    # A million dicts: created without collections and kept out of later ones (see heap).
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
    rows: list[int] = row_numbers[positions].tolist()
    clear = result.clear_targets

    def column(target: str, key: str | None = None, *, may_clear: bool = True) -> _Column:
        return _extract(values[target], positions, key or target,
                        may_clear and target in clear)

    if mapping.kind is ImportKind.DELETE:
        user_column = column(USER_ID, may_clear=False)
        items = _assemble_columns([user_column], len(rows))
        plan_batches = _batches(mapping.kind, items, rows,
                                _item_size_bounds([user_column], len(rows)))
        return PayloadPlan(plan_batches, skipped, ())

    if mapping.kind is ImportKind.CONTACTS:
        columns = [column(target, may_clear=target != USER_ID) for target in values.columns]
        for contact_column in columns:
            contact_column.wire = _convert(
                contact_column.raw, *_attribute_kind(result.specs, contact_column.key))
        items = _assemble_columns(columns, len(rows))
        return PayloadPlan(_batches(mapping.kind, items, rows,
                                    _item_size_bounds(columns, len(rows))), skipped, ())

    return _plan_events(result, datasource, positions, rows, skipped, fixed_event_type, column)


def _plan_events(result: ValidationResult, datasource: str, positions: np.ndarray,
                 rows: list[int], skipped: tuple[int, ...], fixed_event_type: str | None,
                 column: Callable[..., _Column]) -> PayloadPlan:
    import numpy as np

    values = result.values
    mapping = result.mapping
    targets = [str(target) for target in values.columns]
    user = column(USER_ID, may_clear=False)
    date = column(EVENT_DATE, may_clear=False) if EVENT_DATE in targets else None
    type_column = column(EVENT_TYPE, may_clear=False) if fixed_event_type is None else None
    mapped_ids = column(EVENT_ID, may_clear=False) if EVENT_ID in targets else None
    parameters = [column(t, t.removeprefix(PARAMETER_PREFIX)) for t in targets
                  if t.startswith(PARAMETER_PREFIX)]
    user_data = [column(t, t.removeprefix(USER_DATA_PREFIX)) for t in targets
                 if t.startswith(USER_DATA_PREFIX)]
    count = len(rows)

    event_types: list[str] = (
        list(type_column.raw) if type_column is not None else [fixed_event_type or ""] * count
    )
    ids: list[str | None] = list(mapped_ids.raw) if mapped_ids is not None else [None] * count
    missing = [i for i, event_id in enumerate(ids) if event_id is None]
    if missing:
        subset = missing if len(missing) < count else list(range(count))
        derived = _derived_event_ids(
            datasource,
            _take(event_types, subset),
            _take(user.raw, subset),
            _take(date.raw, subset) if date is not None else [None] * len(subset),
            {PARAMETER_PREFIX + p.key: _take(p.raw, subset) for p in parameters},
        )
        for position, derived_id in zip(subset, derived, strict=True):
            ids[position] = derived_id

    first_row_of: dict[str | None, int] = {}
    duplicates: list[tuple[int, int]] = []
    keep: list[int] = []
    for position, (event_id, row) in enumerate(zip(ids, rows, strict=True)):
        first = first_row_of.setdefault(event_id, row)
        if first == row:
            keep.append(position)
        else:
            duplicates.append((row, first))
    if duplicates:
        user, parameters, user_data = (
            user.take(keep), [p.take(keep) for p in parameters], [u.take(keep) for u in user_data]
        )
        date = date.take(keep) if date is not None else None
        event_types, ids, rows = _take(event_types, keep), _take(ids, keep), _take(rows, keep)
        count = len(keep)

    for parameter in parameters:
        parameter.wire = _parameter_wire(result.specs, parameter.key, parameter.raw, event_types)
    for attribute in user_data:
        attribute.wire = _convert(attribute.raw, *_attribute_kind(result.specs, attribute.key))

    keys = [USER_ID, EVENT_ID, EVENT_TYPE]
    lists: list[list[Any]] = [user.raw, ids, event_types]
    omit: list[np.ndarray | None] = [None, None, None]
    if date is not None:
        keys.append(EVENT_DATE)
        lists.append(date.raw)
        omit.append(date.empty)
    keys.append(EVENT_PARAMETERS)
    lists.append(_assemble_columns(parameters, count))
    omit.append(None)
    if user_data or mapping.with_user_data:
        keys.append(USER_DATA)
        lists.append(_assemble_columns(user_data, count))
        omit.append(None)
    items = _assemble(keys, lists, omit, count)

    id_column = _Column(EVENT_ID, ids, np.zeros(count, dtype=bool), False,
                        max((len(i) for i in ids if i), default=0))
    type_bound = _Column(EVENT_TYPE, event_types, np.zeros(count, dtype=bool), False,
                         max((len(t) for t in set(event_types)), default=0))
    sized = [user, id_column, type_bound, *parameters, *user_data]
    if date is not None:
        sized.append(date)
    plan_batches = _batches(ImportKind.EVENTS, items, rows, _item_size_bounds(sized, count))
    return PayloadPlan(plan_batches, skipped, tuple(duplicates))
