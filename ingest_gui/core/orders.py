"""Orders written one row per line item, gathered into one purchase event per order.

Shops export an order as several consecutive rows sharing the order id: Shopify puts the
order's fields on the first row only (later rows carry the line item), WooCommerce's order
exporters repeat them on every product row. An events import that maps an order id column
gets one event per such run of rows:

- the order's fields (totals, date, customer, every single-valued target) come from its first
  row; a later row may leave them empty or repeat them, and a different value is a conflict
  (one order cannot have two totals), reported on that row and column;
- list targets (the products) gather the line items of every row, in row order;
- a quantity parameter (``quantity``, ``items``, ``item_count``…) is the sum over the rows.

The order id column is the one behind an order-id parameter (``order_id``, ``order``…), or
behind ``_event_id`` when the mapping also fills a list parameter. Only *consecutive* rows
group: an order id that comes back later in the file is a repeated event, as before.

Everything works on the cleaned columns (validation's wire strings), vectorised: a file
without repeated order ids costs one comparison of the id column with itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ingest_gui.api.items import LIST_SEPARATOR
from ingest_gui.core.arrow import as_array, present_mask, true_mask

PARAMETER_PREFIX = "_event_parameters."
EVENT_ID = "_event_id"

#: Parameter names (lower-case, ``_``/``-``/space-free) that hold an order's id.
_ORDER_ID_NAMES = frozenset({"orderid", "order", "ordernumber", "ordername", "orderno",
                             "ordernum", "orderref", "orderreference"})
#: Parameter names that count the order's items: summed over its rows.
_QUANTITY_NAMES = frozenset({"quantity", "qty", "items", "itemcount", "itemscount",
                             "numberofitems", "units", "totalitems", "totalquantity"})


def _folded(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum())


def is_order_id_parameter(name: str) -> bool:
    """Whether an event parameter's uid names the order's id (``order_id``, ``orderNumber``)."""
    return _folded(name) in _ORDER_ID_NAMES


def is_quantity_parameter(name: str) -> bool:
    """Whether an event parameter's uid counts the order's items (summed over its rows)."""
    return _folded(name) in _QUANTITY_NAMES


def order_key(keys: list[str], list_keys: set[str]) -> str | None:
    """The target key whose values identify the order, among the mapped ``keys``.

    An order-id parameter first; else ``_event_id`` when a list parameter gathers line items
    (a repeated event id without line items is a repeated event, not an order). ``None``:
    this import has no orders to gather.
    """
    for key in keys:
        if key.startswith(PARAMETER_PREFIX) and \
                is_order_id_parameter(key.removeprefix(PARAMETER_PREFIX)):
            return key
    if EVENT_ID in keys and any(key.startswith(PARAMETER_PREFIX) for key in list_keys):
        return EVENT_ID
    return None


@dataclass(frozen=True, slots=True)
class OrderGroups:
    """Which rows form one order: every row of the table belongs to exactly one group (a row
    alone is a group of one); groups are runs of consecutive rows.

    Positions are rows of the validated table (``table.frame``), not spreadsheet rows.
    """

    #: The target key the rows were grouped by (``_event_parameters.order_id``, ``_event_id``).
    key: str
    #: Per row: the index of its group (non-decreasing).
    group_of: np.ndarray
    #: Per group: the position of its first row (the row that is sent).
    leaders: np.ndarray

    @property
    def rows(self) -> int:
        return len(self.group_of)

    @property
    def orders(self) -> int:
        return len(self.leaders)

    @property
    def counts(self) -> tuple[int, int]:
        """(rows, orders): "312 rows → 120 orders"."""
        return self.rows, self.orders

    @property
    def continuation(self) -> np.ndarray:
        """Per row: True where the row is not its order's first (it travels inside it)."""
        mask = np.ones(self.rows, dtype=bool)
        mask[self.leaders] = False
        return mask

    def members(self, group: int) -> range:
        """The positions of one group's rows."""
        start = int(self.leaders[group])
        end = int(self.leaders[group + 1]) if group + 1 < len(self.leaders) else self.rows
        return range(start, end)

    def members_of(self, position: int) -> range:
        """The positions of the rows in the same order as the row at ``position``."""
        return self.members(int(self.group_of[position]))

    def multi_row_groups(self) -> np.ndarray:
        """The indexes of the groups with more than one row."""
        sizes = np.diff(np.append(self.leaders, self.rows))
        return np.flatnonzero(sizes > 1)


def find_groups(ids: pa.Array, key: str) -> OrderGroups | None:
    """Runs of consecutive rows with the same (non-empty) id; ``None`` when no id repeats on
    the next row (then there is nothing to gather)."""
    array = as_array(ids)
    count = len(array)
    if count < 2:
        return None
    same = true_mask(pc.equal(array.slice(1), array.slice(0, count - 1)))
    if not same.any():
        return None
    starts = np.concatenate([[True], ~same])
    group_of = np.cumsum(starts, dtype=np.int64) - 1
    return OrderGroups(key, group_of, np.flatnonzero(starts).astype(np.int64))


@dataclass(frozen=True, slots=True)
class Conflicts:
    """The later rows of orders whose value for ``key`` differs from their order's first row."""

    key: str
    positions: np.ndarray
    #: Per conflicting row: its order's first row, and that row's (cleaned) value.
    first_positions: np.ndarray
    first_values: pa.Array


@dataclass(frozen=True, slots=True)
class TooManyValues:
    """An order whose gathered list holds more values than its target accepts."""

    position: int
    key: str
    count: int
    limit: int


@dataclass(frozen=True, slots=True)
class GatheredOrders:
    groups: OrderGroups
    #: The cleaned columns with the orders gathered: each first row holds its order's lists and
    #: sums; later rows hold the order's fields (filled from the first row) and their own item.
    values: dict[str, pa.Array]
    #: One entry per target with conflicting rows.
    conflicts: tuple[Conflicts, ...]
    too_many: tuple[TooManyValues, ...]


def gather_orders(values: Mapping[str, pa.Array], groups: OrderGroups, *,
                  list_limits: Mapping[str, int], quantity_keys: frozenset[str] = frozenset(),
                  ) -> GatheredOrders:
    """Gather each group of ``groups`` into its first row (see the module docstring).

    ``values``: the cleaned columns by target key (null where empty); ``list_limits``: the list
    targets and how many values each accepts; ``quantity_keys``: numeric targets summed.
    """
    leader_of_row = groups.leaders[groups.group_of]
    taken = pa.array(leader_of_row, type=pa.int64())
    gathered: dict[str, pa.Array] = {}
    conflicts: list[Conflicts] = []
    too_many: list[TooManyValues] = []
    for key, column in values.items():
        array = as_array(column)
        if key in list_limits:
            gathered[key], over = _gather_list(array, groups, list_limits[key])
            too_many += [TooManyValues(int(groups.leaders[group]), key, count, list_limits[key])
                         for group, count in over]
        elif key in quantity_keys:
            gathered[key] = _sum(array, groups)
        else:
            first = array.take(taken)
            present = present_mask(array)
            differs = np.flatnonzero(
                present & present_mask(first) & ~true_mask(pc.equal(array, first)))
            if len(differs):
                conflicts.append(Conflicts(key, differs, leader_of_row[differs],
                                           first.take(pa.array(differs)).cast(pa.string())))
            gathered[key] = pc.coalesce(array, first) if not present.all() else array
    return GatheredOrders(groups, gathered, tuple(conflicts), tuple(too_many))


def _gather_list(array: pa.Array, groups: OrderGroups,
                 limit: int) -> tuple[pa.Array, list[tuple[int, int]]]:
    """Each first row's list: the values of every row of its order, in row order; later rows
    keep their own. Also (group, count) for the orders over ``limit``."""
    text = array.cast(pa.string())
    pieces = pc.split_pattern(text, LIST_SEPARATOR)
    lengths = np.asarray(pc.fill_null(pc.list_value_length(pieces), 0).to_numpy(
        zero_copy_only=False), dtype=np.int64)
    flat = pc.list_flatten(pieces)
    owner = np.repeat(groups.group_of, lengths)
    counts = np.bincount(owner, minlength=groups.orders)
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int32)
    joined = pc.binary_join(pa.ListArray.from_arrays(pa.array(offsets), flat), LIST_SEPARATOR)
    joined = pc.if_else(pa.array(counts > 0), joined, pa.scalar(None, pa.string()))
    multi = groups.multi_row_groups()
    replace = np.zeros(groups.rows, dtype=bool)
    replace[groups.leaders[multi]] = True
    by_row = joined.take(pa.array(groups.group_of, type=pa.int64()))
    result = pc.if_else(pa.array(replace), by_row, text)
    over = [(int(group), int(counts[group])) for group in multi.tolist()
            if counts[group] > limit]
    return result.cast(array.type), over


def _sum(array: pa.Array, groups: OrderGroups) -> pa.Array:
    """Each first row of a multi-row order holds the sum of its rows' numbers (canonical wire
    text, as cleaning writes numbers); other rows keep their own."""
    texts: list[str | None] = array.cast(pa.string()).to_pylist()
    for group in groups.multi_row_groups().tolist():
        total = Decimal(0)
        seen = False
        for position in groups.members(group):
            text = texts[position]
            if text is None:
                continue
            try:
                total += Decimal(text)
            except InvalidOperation:
                continue
            seen = True
        if seen:
            texts[int(groups.leaders[group])] = _canonical(total)
    return pa.array(texts, type=array.type)


def _canonical(number: Decimal) -> str:
    if number == number.to_integral_value():
        return str(int(number))
    return format(number.normalize(), "f")
