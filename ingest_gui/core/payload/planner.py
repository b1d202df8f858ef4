"""The payload planner: which rows are sent, in which batch, with which event id.

Batches are JSON array bodies of at most :data:`MAX_ITEMS_PER_BATCH` items, each body under
:data:`MAX_BATCH_BYTES` (a single larger item travels alone; the service judges it).

Payload rules (see ``shared/ingest-api-reference.md``):

- contacts: ``{"_user_id": ..., "<attribute>": value, ...}``;
- events: ``{"_user_id", "_event_id", "_event_type", "_event_date", "_event_parameters": {...}}``
  plus ``"_user_data": {"_user_id", ...}`` (the user id and the mapped contact attributes) when
  the mapping embeds the contact; ``_event_date`` is omitted when the cell is empty (the service
  stamps "now");
- delete: ``{"_user_id": ...}``, one item per row (the engine sends one ``DELETE`` each).

An invalid value that validation left out (``ValidationResult.left_out``) is omitted from its
item, never sent as ``null``. Rows that are invalid, or lack a user id or an event type, are
skipped; events whose derived
``_event_id`` repeats an earlier row's are left out. An order written one row per line item
(validation's ``orders``, see :mod:`ingest_gui.core.orders`) is one item, sent from its first
row, which holds the gathered order; its other rows are neither skipped nor duplicates
(``PayloadPlan.order_rows`` lists them). The planner describes each item's shape
(:class:`~.bodies.Leaf` per key) over the cleaned Arrow columns of the validation result and
has the body writer (:mod:`.bodies`) write them a chunk of rows at a time, on two threads;
it cuts the written items into batches. The bodies are byte for byte what
``ingest_gui.api.items.encode_items`` makes of the items (``tests/core/test_payload_reference.py``
checks it against a per-row reference builder).
"""

from __future__ import annotations

import bisect
import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from json.encoder import encode_basestring_ascii
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ingest_gui.api.items import EncodedItems, user_id_text
from ingest_gui.api.specs import DatasourceSpecs, DataType
from ingest_gui.core.heap import building_long_lived
from ingest_gui.core.mapping import PARAMETER_PREFIX, USER_DATA_PREFIX, ImportKind
from ingest_gui.core.orders import OrderGroups
from ingest_gui.core.payload.bodies import (
    BodyWriter,
    Leaf,
    Nested,
    ValueKind,
    cells_of,
    leaves_of,
    value_kind,
)
from ingest_gui.core.validation import ValidationResult

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
    #: Orders gathered from several rows: the sent item's row (the order's first) -> every
    #: spreadsheet row of the order, first included.
    order_rows: Mapping[int, tuple[int, ...]] = field(default_factory=dict)
    #: (rows, orders) when rows were gathered into orders: "312 rows → 120 orders".
    orders_grouped: tuple[int, int] | None = None

    @property
    def item_count(self) -> int:
        return sum(len(batch.rows) for batch in self.batches)

    def rows_of(self, row: int) -> tuple[int, ...]:
        """Every spreadsheet row an item sent from ``row`` carries (itself alone but for an
        order written one row per line item)."""
        return self.order_rows.get(row, (row,))


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


# --------------------------------------------------------------------------- batching


#: Rows written at once: enough that Arrow's per-call costs vanish, few enough that the pieces
#: of a chunk stay small next to the bodies (which the plan keeps anyway).
_CHUNK_BYTES = 16 * 1024 * 1024
_CHUNK_MIN_ROWS = 1_000
_CHUNK_MAX_ROWS = 50_000


def _chunk_rows(leaves: Sequence[Leaf], count: int) -> int:
    cell_bytes = sum(int(leaf.cells.nbytes) for leaf in leaves if leaf.cells is not None)
    rows = _CHUNK_BYTES * max(count, 1) // max(cell_bytes, 1)
    return int(min(max(rows, _CHUNK_MIN_ROWS), _CHUNK_MAX_ROWS))


def _user_ids(leaf: Leaf, start: int, count: int) -> list[str | None]:
    """Each item's ``_user_id`` as the engine checks it (see ``EncodedItems.user_ids``)."""
    texts: list[str | None] = cells_of(leaf, start, count).to_pylist()
    if leaf.kind is ValueKind.TEXT:
        return texts
    if leaf.kind is ValueKind.NUMBER:
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


def _write_batches(kind: ImportKind, members: list[Leaf | Nested], user: Leaf,
                   rows: np.ndarray) -> tuple[Batch, ...]:
    writer = BodyWriter(members)
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


def _empty_mask(column: pa.ChunkedArray) -> np.ndarray:
    """Per row: the cell is empty (null, or a cleaned empty string)."""
    empty = pc.fill_null(pc.equal(column, ""), True)
    return np.asarray(empty.to_numpy(zero_copy_only=False), dtype=bool)


def _column(values: pa.Table, target: str) -> pa.ChunkedArray:
    """A column of cleaned strings as one large-string chunk (no copy when it is one already;
    a result whose cells were edited holds several, joined here once)."""
    column = values.column(target)
    if not (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)
            or pa.types.is_null(column.type)):
        raise ValueError(f"The values for {target} are not text; check the file again.")
    if column.num_chunks != 1:
        column = pa.chunked_array([column.combine_chunks()], type=column.type)
    return column.cast(pa.large_string()) if column.type != pa.large_string() else column


#: (effective data type, is a list) of a value.
_Kind = tuple[DataType, bool]
_PLAIN_TEXT: _Kind = (DataType.TEXT, False)


def _attribute_kind(specs: DatasourceSpecs, uid: str) -> _Kind:
    """(effective data type, is a list) of an attribute; unknown ones are plain text."""
    spec = specs.attribute(uid)
    return (spec.effective_type, spec.is_list) if spec is not None else _PLAIN_TEXT


def _parameter_kind(specs: DatasourceSpecs, event_type: str, name: str) -> _Kind:
    spec = next((s for s in specs.parameters_of(event_type) if s.parameter == name), None)
    return (spec.effective_type, spec.is_list) if spec is not None else _PLAIN_TEXT


def _kept(result: ValidationResult, target: str, positions: np.ndarray) -> np.ndarray | None:
    """Per item: its cell is not an invalid value left out (``None``: none is). A left-out
    value's key is omitted, never ``null``, whatever the empty-cell policy."""
    left_out = result.left_out.get(target)
    if left_out is None:
        return None
    # An order gathered from several rows still sends what its other rows hold.
    empty = _empty_mask(result.values.column(target))
    kept = ~(left_out[positions] & empty[positions])
    return None if kept.all() else kept


def _leaf(key: str, cells: Any, rows: np.ndarray | None,
          data_type: _Kind = _PLAIN_TEXT, *, clear: bool = False,
          applies: np.ndarray | None = None) -> Leaf:
    kind, convert = value_kind(*data_type)
    return Leaf(key, kind, cells, rows, clear=clear, convert=convert, applies=applies)


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
    mapping = result.mapping
    values = result.values
    count = values.num_rows
    if USER_ID not in values.column_names:
        raise ValueError("No column is mapped to the user id (_user_id): nothing can be sent.")
    row_numbers = np.asarray(result.table.row_numbers, dtype=np.int64)
    sendable = np.asarray(result.valid, dtype=bool).copy()
    if len(sendable) != count or len(row_numbers) != count:
        raise ValueError("The validation result does not match its table; check the file again.")
    sendable &= ~_empty_mask(values.column(USER_ID))
    orders = result.orders if mapping.kind is ImportKind.EVENTS else None

    fixed_event_type: str | None = None
    if mapping.kind is ImportKind.EVENTS:
        if EVENT_TYPE in values.column_names:
            sendable &= ~_empty_mask(values.column(EVENT_TYPE))
        elif mapping.event_type:
            fixed_event_type = mapping.event_type
        else:
            raise ValueError("No event type is chosen for this file and no column holds one.")

    skipped = tuple(row_numbers[~sendable].tolist())
    if orders is not None:
        # An order's later rows travel inside its first row's item.
        sendable &= ~orders.continuation
    positions = np.flatnonzero(sendable)
    rows = row_numbers[positions]
    # Every row is sent: items are the column's cells as they are.
    picked = None if len(positions) == count else positions

    def column(target: str) -> Any:
        return _column(values, target)

    if mapping.kind is ImportKind.DELETE:
        user = _leaf(USER_ID, column(USER_ID), picked)
        return PayloadPlan(_write_batches(mapping.kind, [user], user, rows), skipped, ())

    if mapping.kind is ImportKind.CONTACTS:
        members: list[Leaf | Nested] = [
            _leaf(str(target), column(str(target)), picked,
                  _attribute_kind(result.specs, str(target)),
                  clear=target != USER_ID and target in result.clear_targets,
                  applies=_kept(result, str(target), positions))
            for target in values.column_names
        ]
        user = next(leaf for leaf in leaves_of(members) if leaf.key == USER_ID)
        return PayloadPlan(_write_batches(mapping.kind, members, user, rows), skipped, ())

    plan = _plan_events(result, datasource, positions, rows, skipped, fixed_event_type, column)
    if orders is None:
        return plan
    return replace(plan, order_rows=_order_rows(orders, row_numbers, positions),
                   orders_grouped=orders.counts)


def _order_rows(orders: OrderGroups, row_numbers: np.ndarray,
                positions: np.ndarray) -> dict[int, tuple[int, ...]]:
    """Sent item's row -> the spreadsheet rows of its order, for orders of several rows."""
    sent = set(positions.tolist())
    gathered: dict[int, tuple[int, ...]] = {}
    for group in orders.multi_row_groups().tolist():
        members = orders.members(group)
        if members.start in sent:
            gathered[int(row_numbers[members.start])] = tuple(
                row_numbers[members.start:members.stop].tolist())
    return gathered


def _plan_events(result: ValidationResult, datasource: str, positions: np.ndarray,
                 rows: np.ndarray, skipped: tuple[int, ...], fixed_event_type: str | None,
                 column: Callable[[str], Any]) -> PayloadPlan:
    mapping = result.mapping
    targets = list(result.values.column_names)
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
    parameter_leaves: list[Leaf | Nested] = []
    for target, cells in parameters:
        name = target.removeprefix(PARAMETER_PREFIX)
        kinds: dict[_Kind, list[str]] = {}
        for event_type in present_types:
            kinds.setdefault(_parameter_kind(result.specs, event_type, name), []).append(event_type)
        kept = _kept(result, target, positions)
        if len(kinds) <= 1:
            data_type = next(iter(kinds), _PLAIN_TEXT)
            parameter_leaves.append(_leaf(name, cells, positions, data_type,
                                          clear=target in clear, applies=kept))
            continue
        assert item_types is not None
        for data_type, event_types in kinds.items():
            applies = pc.is_in(item_types, value_set=pa.array(event_types)).to_numpy(
                zero_copy_only=False).astype(bool)
            parameter_leaves.append(_leaf(
                name, cells, positions, data_type, clear=target in clear,
                applies=applies if kept is None else applies & kept))

    user_leaf = _leaf(USER_ID, user, positions)
    members: list[Leaf | Nested] = [
        user_leaf,
        _leaf(EVENT_ID, id_cells, None),
        (_leaf(EVENT_TYPE, types, positions) if types is not None else
         Leaf(EVENT_TYPE, ValueKind.TEXT, None, constant=fixed_event_type or "")),
    ]
    if date is not None:
        members.append(_leaf(EVENT_DATE, date, positions))
    members.append(Nested(EVENT_PARAMETERS, parameter_leaves))
    if user_data or mapping.with_user_data:
        # The embedded contact names its user id: the service creates it from this object.
        members.append(Nested(USER_DATA, [_leaf(USER_ID, user, positions), *[
            _leaf(t.removeprefix(USER_DATA_PREFIX), cells, positions,
                  _attribute_kind(result.specs, t.removeprefix(USER_DATA_PREFIX)),
                  clear=t in clear, applies=_kept(result, t, positions))
            for t, cells in user_data]]))
    plan_batches = _write_batches(ImportKind.EVENTS, members, user_leaf, rows)
    return PayloadPlan(plan_batches, skipped, tuple(duplicates))
