"""Clean and validate every mapped cell against the datasource specs, vectorised over columns.

Contract of :class:`ValidationResult`:
- ``values``: an Arrow table aligned with ``table.frame`` (``num_rows`` its length), one
  ``large_string`` column per mapped target key in the mapping's order, holding the cleaned wire
  value or null where the cell was empty (or invalid); the payload reads it as it is. Wire forms:
  e-mails lower-cased, phones E.164, countries ISO alpha-2, dates ``YYYY-MM-DD``, datetimes /
  event dates ISO 8601 UTC with milliseconds and ``Z``, booleans ``"1"``/``"0"``, numbers
  canonical (``"1234.56"``, no thousands separator), list values joined with
  ``LIST_SEPARATOR``.
- ``valid``: numpy bool array, True where the row has no *error* problem.
- ``left_out``: per target key, the rows whose value is invalid but only left out: an optional
  field whose column's option is "leave the value out" (the default). Such a value is a
  *warning*; the row is sent without it (the key omitted, never ``null``). An invalid user id,
  event id, event type or event date, or an invalid value of a required field, is an *error*
  that rejects the row, as is any invalid value of a column set to "skip the row".
- ``problems``: DataFrame with columns ``row`` (spreadsheet row, int), ``column`` (header or ""),
  ``value``, ``message``, ``severity`` ("error"/"warning"), ``kind`` (short code such as
  ``invalid_email``, ``missing_required``, ``too_long``, ``duplicate_user_id``), ordered by row,
  plus ``frame_row`` (the row's index in ``table.frame``, for jumping to it in a view).
- ``clear_targets``: target keys whose column's empty-cell policy is *clear*: the payload sends
  ``null`` for their missing values (others omit them).

Problems with the mapping itself (a read-only attribute mapped, a required target or a mapped
column missing, an unknown fixed event type) are reported once, on the first data row, with
``frame_row`` 0, and they block every row: nothing can be sent until the mapping is fixed.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

# LIST_SEPARATOR is re-exported: it joins the list values of ValidationResult.values.
from ingest_gui.api.items import LIST_SEPARATOR as LIST_SEPARATOR
from ingest_gui.api.specs import DATE_TYPES, NUMBER_TYPES, DatasourceSpecs, DataType
from ingest_gui.core import cleaning
from ingest_gui.core.arrow import as_array, present_mask, true_mask
from ingest_gui.core.cancel import CancelToken, ProgressCallback
from ingest_gui.core.cleaning import NO_TIME, Cleaned
from ingest_gui.core.countries import fold
from ingest_gui.core.mapping import (
    PARAMETER_PREFIX,
    ROW_KEYS,
    USER_DATA_PREFIX,
    ColumnOptions,
    InvalidValuePolicy,
    Target,
)
from ingest_gui.core.orders import (
    OrderGroups,
    find_groups,
    gather_orders,
    is_quantity_parameter,
    order_key,
)
from ingest_gui.core.user_id_index import UserIdIndex
from ingest_gui.texts import (
    QT_TRANSLATE_NOOP,
    fill,
    template_pieces,
    thousands_separator,
    translate,
    translate_marked,
)

if TYPE_CHECKING:
    import pandas as pd

    from ingest_gui.core.loading import LoadedTable
    from ingest_gui.core.mapping import Mapping

class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class AutomationCounts:
    """Events against the ±1 h automation window, measured at validation time."""

    inside_window: int = 0
    no_date: int = 0
    outside_window: int = 0

    @property
    def will_trigger(self) -> int:
        return self.inside_window + self.no_date


@dataclass(slots=True)
class ValidationResult:
    table: LoadedTable
    mapping: Mapping
    specs: DatasourceSpecs
    values: pa.Table
    valid: np.ndarray
    problems: pd.DataFrame
    #: Only for events.
    automation: AutomationCounts | None = None
    #: Per mapped column: how many cells are empty (what keep/clear would affect).
    empty_cells: dict[str, int] = field(default_factory=dict)
    #: Per date column: how many values read the same day-first and month-first.
    ambiguous_dates: dict[str, int] = field(default_factory=dict)
    #: Per date column with DateOrder.AUTO: the order chosen.
    detected_date_order: dict[str, str] = field(default_factory=dict)
    checked_at: datetime | None = None
    #: Target keys whose empty cells are sent as ``null`` (empty-cell policy *clear*).
    clear_targets: frozenset[str] = frozenset()
    #: Events: each row's ``_event_date`` as UTC epoch milliseconds (``cleaning.NO_TIME`` if none).
    event_epoch_ms: np.ndarray | None = None
    #: Contacts: the rows of each user id, built by the first ``revalidate_rows`` that needs it
    #: and carried to the results that follow.
    user_id_index: UserIdIndex | None = field(default=None, repr=False, compare=False)
    #: Per target key: True on the rows whose invalid value is left out (see the module text).
    left_out: dict[str, np.ndarray] = field(default_factory=dict, repr=False, compare=False)
    #: Events: the orders written one row per line item, gathered one event per order (None
    #: when no order id repeats on consecutive rows; see :mod:`ingest_gui.core.orders`).
    orders: OrderGroups | None = None

    @property
    def orders_grouped(self) -> tuple[int, int] | None:
        """(rows, orders) when rows were gathered into orders: "312 rows → 120 orders"."""
        return self.orders.counts if self.orders is not None else None

    @property
    def valid_count(self) -> int:
        return int(self.valid.sum())

    @property
    def values_left_out(self) -> dict[str, int]:
        """Per target key: invalid values left out of the rows that are sent."""
        counts = {key: int((rows & self.valid).sum()) for key, rows in self.left_out.items()}
        return {key: count for key, count in counts.items() if count}

    @property
    def values_left_out_count(self) -> int:
        return sum(self.values_left_out.values())

    @property
    def left_out_warnings(self) -> int:
        """Warnings about values left out, rows with errors included (one per cell)."""
        return sum(int(rows.sum()) for rows in self.left_out.values())

    @property
    def invalid_count(self) -> int:
        return len(self.valid) - self.valid_count

    def problem_counts(self) -> dict[str, int]:
        """Problems per kind, for the Check page's summary."""
        if self.problems.empty:
            return {}
        counts = self.problems["kind"].value_counts()
        return {str(kind): int(count) for kind, count in counts.items()}

    @property
    def blocked(self) -> bool:
        """The mapping itself has an error: no row can be sent until it is fixed."""
        if self.problems.empty:
            return False
        return bool(self.problems["kind"].isin(MAPPING_KINDS).any())

    def problems_of_row(self, frame_row: int) -> pd.DataFrame:
        return self.problems[self.problems["frame_row"] == frame_row]


#: Problem kinds about the mapping rather than a row; they block every row.
MAPPING_KINDS = frozenset({
    "read_only_target", "unknown_target", "missing_column", "missing_required_column",
    "unknown_event_type_setting",
})
#: The one warning kind that is not a value left out.
DUPLICATE_USER_ID_KIND = "duplicate_user_id"
#: Automation window of the Ingest API, either side of reception.
AUTOMATION_WINDOW_MS = 3_600_000
PROBLEM_COLUMNS = ("row", "column", "value", "message", "severity", "kind", "frame_row")
#: Columns cleaned side by side (Arrow's kernels release the GIL; this machine's cores).
CLEANING_THREADS = max(1, min(2, os.cpu_count() or 1))
#: Longest value quoted inside a message (the ``value`` column keeps it whole).
_QUOTE_LIMIT = 80
#: How a problem message names its place; ``{message}`` is the problem's own sentence.
ROW_AND_COLUMN = QT_TRANSLATE_NOOP("Validation", 'Row {row}, column "{column}": {message}')
ROW_ONLY = QT_TRANSLATE_NOOP("Validation", "Row {row}: {message}")
#: A value left out; ``{problem}`` is the cleaner's sentence ('"12345" is not a phone number').
LEFT_OUT = QT_TRANSLATE_NOOP(
    "Validation", "{problem}; this value is left out and the rest of the row is sent")
DUPLICATE_USER_ID = QT_TRANSLATE_NOOP(
    "Validation", 'the user id "{value}" appears again in row {row}; that later row wins')


@dataclass(slots=True)
class _Batch:
    """Problems of one kind in one column: rows, offending values, message bodies."""

    frame_rows: np.ndarray
    column: str
    values: pa.Array
    bodies: pa.Array
    kind: str
    severity: Severity


@dataclass(slots=True)
class _Problems:
    """Problem records gathered column by column, turned into one DataFrame at the end.

    Everything stays in numpy/pyarrow arrays: a file where every row is wrong must not cost a
    Python loop over a million messages.
    """

    batches: list[_Batch] = field(default_factory=list)

    def add(self, frame_rows: np.ndarray, column: str, values: pa.Array | None,
            bodies: pa.Array | str, kind: str, severity: Severity = Severity.ERROR) -> None:
        count = len(frame_rows)
        if count == 0:
            return
        if isinstance(bodies, str):
            bodies = pa.repeat(pa.scalar(bodies, pa.string()), count)
        if values is None:
            values = pa.repeat(pa.scalar("", pa.string()), count)
        self.batches.append(_Batch(np.asarray(frame_rows, dtype=np.int64), column,
                                   pc.fill_null(values, ""), bodies, kind, severity))

    def add_failure(self, frame_rows: np.ndarray, column: str, raw: pa.Array,
                    template: tuple[str, str], kind: str,
                    severity: Severity = Severity.ERROR) -> None:
        """Cells that failed cleaning: errors, or warnings for values left out."""
        if len(frame_rows) == 0:
            return
        before, after = template
        cells = raw.take(pa.array(frame_rows))
        bodies = pc.binary_join_element_wise(before, _quoted(cells), after, "")
        if severity is Severity.WARNING:
            bodies = _fill(LEFT_OUT, {"problem": bodies})
        self.add(frame_rows, column, cells, bodies, kind, severity)

    def failed_rows(self, column: str, count: int) -> np.ndarray:
        failed = np.zeros(count, dtype=bool)
        for batch in self.batches:
            if batch.column == column:
                failed[batch.frame_rows] = True
        return failed

    def shift(self, frame_rows: np.ndarray) -> None:
        """Re-express rows of a checked subset as rows of the whole frame."""
        for batch in self.batches:
            batch.frame_rows = frame_rows[batch.frame_rows]

    def frame(self, row_numbers: np.ndarray) -> pd.DataFrame:
        import pandas as pd

        if not self.batches:
            return _empty_problems()
        frame_rows = np.concatenate([batch.frame_rows for batch in self.batches])
        counts = [len(batch.frame_rows) for batch in self.batches]
        columns = pa.array(np.repeat(np.array([b.column for b in self.batches], dtype=object),
                                     counts), type=pa.string())
        bodies = pa.concat_arrays([batch.bodies.cast(pa.string()) for batch in self.batches])
        values = pa.concat_arrays([batch.values.cast(pa.string()) for batch in self.batches])
        rows = _spreadsheet_rows(row_numbers, frame_rows)
        fields = {"row": _thousands(rows), "column": columns, "message": bodies}
        with_column = _fill(ROW_AND_COLUMN, fields)
        without_column = _fill(ROW_ONLY, fields)
        messages = pc.if_else(pc.equal(columns, ""), without_column, with_column)

        def repeated(texts: list[str]) -> pd.api.extensions.ExtensionArray:
            return pd.array(np.repeat(np.array(texts, dtype=object), counts), dtype="string")

        problems = pd.DataFrame({
            "row": rows,
            "column": pd.array(columns.to_pylist(), dtype="string"),
            "value": pd.array(values.to_pylist(), dtype="string"),
            "message": pd.array(messages.to_pylist(), dtype="string"),
            "severity": repeated([batch.severity.value for batch in self.batches]),
            "kind": repeated([batch.kind for batch in self.batches]),
            "frame_row": frame_rows,
        })
        order = np.argsort(frame_rows, kind="stable")
        return problems.iloc[order].reset_index(drop=True)


def _spreadsheet_rows(row_numbers: np.ndarray, frame_rows: np.ndarray) -> np.ndarray:
    numbers = np.asarray(row_numbers, dtype=np.int64)
    if len(numbers) == 0:  # an empty table: mapping problems still name the first data row
        return frame_rows + 2
    rows: np.ndarray = numbers[frame_rows]
    return rows


def _fill(template: str, fields: dict[str, pa.Array]) -> pa.Array:
    """``template`` (English, marked for translation) in the user's language with its named
    placeholders replaced element-wise by ``fields`` (equal-length arrays): one Arrow join for
    every row, the translation looked up once. A translation that names an unknown placeholder
    falls back to the English template."""
    for text in (translate_marked("Validation", template), template):
        pieces: list[pa.Array | str] = []
        for literal, name in template_pieces(text):
            if literal:
                pieces.append(literal)
            if name is not None:
                if name not in fields:
                    break
                pieces.append(fields[name])
        else:
            if any(isinstance(piece, pa.Array) for piece in pieces):
                return pc.binary_join_element_wise(*pieces, "")
    raise ValueError(f"the message {template!r} names no row field")


def _thousands(rows: np.ndarray) -> pa.Array:
    """Row numbers as a marketer reads them: 1,234,567 (1.234.567 in Spanish)."""
    return _pad_groups(np.asarray(rows, dtype=np.int64), thousands_separator())


def _pad_groups(rows: np.ndarray, separator: str) -> pa.Array:
    units = pc.cast(pa.array(rows % 1000), pa.string())
    thousands = rows // 1000
    if not (thousands > 0).any():
        return units
    text = pc.if_else(pa.array(thousands > 0), pc.utf8_lpad(units, 3, "0"), units)
    head = _pad_groups(thousands, separator)
    joined = pc.binary_join_element_wise(head, text, separator)
    return pc.if_else(pa.array(thousands > 0), joined, text)


def _quoted(raw: pa.Array) -> pa.Array:
    """Values quoted inside messages, long ones shortened (the ``value`` column keeps them)."""
    text = pc.fill_null(raw.cast(pa.string()), "")
    long = pc.greater(pc.utf8_length(text), _QUOTE_LIMIT)
    if not pc.any(long).as_py():
        return text
    short = pc.binary_join_element_wise(
        pc.utf8_slice_codeunits(text, 0, _QUOTE_LIMIT - 1), "…", "")
    return pc.if_else(long, short, text)


def _empty_problems() -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame({
        "row": pd.Series([], dtype=np.int64),
        "column": pd.Series([], dtype="string"),
        "value": pd.Series([], dtype="string"),
        "message": pd.Series([], dtype="string"),
        "severity": pd.Series([], dtype="string"),
        "kind": pd.Series([], dtype="string"),
        "frame_row": pd.Series([], dtype=np.int64),
    })


@dataclass(slots=True)
class _Checked:
    values: dict[str, pa.Array]
    errors: np.ndarray
    problems: _Problems
    epoch_ms: np.ndarray | None
    empty_cells: dict[str, int]
    ambiguous_dates: dict[str, int]
    detected_date_order: dict[str, str]
    #: Whether a user id appears on more than one row (``None``: not known).
    user_ids_repeat: bool | None = None
    orders: OrderGroups | None = None
    left_out: dict[str, np.ndarray] = field(default_factory=dict)


def _column_array(series: pd.Series) -> pa.Array:
    try:
        array = pa.array(series.array)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        array = pa.array(series.astype(str).tolist(), type=pa.string())
    return as_array(array)


def _event_type_lookup(specs: DatasourceSpecs) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for event in specs.events:
        lookup.setdefault(fold(event.name), event.uid)
    for event in specs.events:
        lookup[fold(event.uid)] = event.uid
    return lookup


def _cleaner_for(target: Target, options: ColumnOptions, specs: DatasourceSpecs,
                 regions: pa.Array | str | None, fixed_order: str | None,
                 ) -> Callable[[pa.Array], Cleaned]:
    bare = target.key.rsplit(".", 1)[-1] if target.key.startswith(USER_DATA_PREFIX) \
        else target.key
    timezone = options.timezone or specs.timezone or "UTC"
    order = fixed_order or options.date_order.value
    month_first_default = specs.default_country.upper() == "US"
    data_type = target.data_type

    if target.key == "_event_date":
        return lambda values: cleaning.clean_dates(
            values, order=order, with_time=True, timezone=timezone,
            month_first_default=month_first_default)
    if bare == "_country_code":
        return cleaning.clean_country
    if data_type == DataType.EMAIL:
        return lambda values: cleaning.clean_email(values, lowercase=options.lowercase_email)
    if data_type == DataType.PHONE:
        return lambda values: cleaning.clean_phone(values, regions=regions)
    if data_type in DATE_TYPES:
        return lambda values: cleaning.clean_dates(
            values, order=order, with_time=data_type == DataType.DATETIME, timezone=timezone,
            month_first_default=month_first_default)
    if data_type == DataType.BOOL:
        return cleaning.clean_bool
    if data_type in NUMBER_TYPES:
        return lambda values: cleaning.clean_number(
            values, integer=data_type == DataType.INTEGER,
            decimal_separator=options.decimal_separator)
    if target.key in {"_user_id", "_event_id"}:
        return lambda values: cleaning.clean_identifier(
            values, max_length=target.max_length,
            lowercase_emails=target.key == "_user_id" and options.lowercase_email)
    return lambda values: cleaning.clean_text(values, max_length=target.max_length)


def _check(
    frame: pd.DataFrame,
    mapping: Mapping,
    specs: DatasourceSpecs,
    targets: dict[str, Target],
    *,
    fixed_orders: dict[str, str] | None = None,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    row_numbers: np.ndarray | None = None,
) -> _Checked:
    """Clean and check every usable mapped target over ``frame`` (no mapping-level checks).

    ``row_numbers`` (the whole table's spreadsheet rows) also gathers the orders written one
    row per line item; a subset of rows is checked without it.
    """
    count = len(frame)
    problems = _Problems()
    errors = np.zeros(count, dtype=bool)
    values: dict[str, pa.Array] = {}
    empty_cells: dict[str, int] = {}
    ambiguous_dates: dict[str, int] = {}
    detected: dict[str, str] = {}
    epoch: np.ndarray | None = None
    usable = [
        (key, column) for key, column in mapping.assignments.items()
        if key in targets and not targets[key].read_only and column in frame.columns
    ]
    # Countries first: phones without a prefix are read with the row's country.
    usable.sort(key=lambda pair: 0 if pair[0].rsplit(".", 1)[-1] == "_country_code" else 1)
    total = len(usable) + 1

    user_ids_repeat: bool | None = None

    def cleaning_of(key: str, column: str, country: Future[tuple[pa.Array, Cleaned]] | None,
                    ) -> Callable[[], tuple[pa.Array, Cleaned]]:
        """The work for one target, set up here, run in the pool; ``country``: the cleaning of
        the country column whose values phones without a prefix are read with."""
        target = targets[key]
        options = mapping.options_for(column)
        # The frame is indexed on this thread only; joining the column's chunks into one
        # array (a copy) is left to the pool.
        series = frame[column]

        if key == "_event_type":
            def run_event_types() -> tuple[pa.Array, Cleaned]:
                raw = cleaning.blank_to_null(_column_array(series), trim=options.trim)
                return raw, _clean_event_types(raw, specs)
            return run_event_types

        regions: pa.Array | str | None = options.phone_country or specs.default_country
        country_values = country if target.data_type == DataType.PHONE and \
            not options.phone_country else None
        fixed_order = (fixed_orders or {}).get(column)

        def element(flat: pa.Array, rows: np.ndarray) -> Cleaned:
            # Each element of a list is read with its own row's country.
            row_regions = regions.take(pa.array(rows)) if isinstance(regions, pa.Array) \
                else regions
            return _cleaner_for(target, options, specs, row_regions, fixed_order)(flat)

        def run() -> tuple[pa.Array, Cleaned]:
            nonlocal regions
            if country_values is not None:
                # Submitted after the countries' cleaning, so this wait cannot starve it.
                countries = country_values.result()[1]
                regions = pc.fill_null(countries.values, specs.default_country or "")
                invalid_country = countries.invalid
                if invalid_country.any():
                    # A country left out is no country: its phones are not guessed.
                    regions = pc.if_else(pa.array(invalid_country), "", regions)
            raw = cleaning.blank_to_null(_column_array(series), trim=options.trim)
            # Read without spreadsheet text markers; problems quote the cells as they are.
            cells = cleaning.strip_text_markers(raw)
            if key == "_user_id" and mapping.kind.value == "contacts" and \
                    target.multivalue <= 1:
                cleaned = _cleaner_for(target, options, specs, regions, fixed_order)(cells)
                # Looked for here, beside the other columns: no repeat (the usual case) spares
                # the duplicate search after the pool.
                nonlocal user_ids_repeat
                user_ids_repeat = cleaning.has_repeats(cleaned.values)
                return raw, cleaned
            if target.multivalue > 1:
                if _reads_each_value_alone(target) and \
                        cleaning.distinct_cardinality_is_low(cells):
                    # Lists repeat ("running, cine"): each distinct cell is split and cleaned
                    # once.
                    return raw, cleaning.by_distinct(cells, lambda distinct: cleaning.clean_list(
                        distinct, separator=options.multivalue_separator,
                        limit=target.multivalue,
                        element=_cleaner_for(target, options, specs, None, fixed_order)))
                return raw, cleaning.clean_list(cells, separator=options.multivalue_separator,
                                                limit=target.multivalue,
                                                element_with_rows=element)
            return raw, _cleaner_for(target, options, specs, regions, fixed_order)(cells)
        return run

    # Countries first (phones without a prefix are read with the row's country), then the
    # rest, the costliest first so that no long column runs alone at the end; the columns are
    # cleaned side by side (Arrow's kernels release the GIL). Results are taken in the
    # mapping's order (countries first), whatever order they finish in.
    countries = [pair for pair in usable if pair[0].rsplit(".", 1)[-1] == "_country_code"]
    done = 0
    futures: dict[tuple[str, str], Future[tuple[pa.Array, Cleaned]]] = {}
    failed: list[tuple[str, str, pa.Array, list[cleaning.Failure]]] = []
    with ThreadPoolExecutor(max_workers=CLEANING_THREADS,
                            thread_name_prefix="ingest-validate") as pool:
        try:
            for key, column in countries:
                futures[key, column] = pool.submit(cleaning_of(key, column, None))
            country = next((futures[pair] for name in ("_country_code", "_user_data._country_code")
                            for pair in countries if pair[0] == name), None)
            for key, column in sorted(usable, key=lambda pair: _cost_rank(targets[pair[0]])):
                if (key, column) not in futures:
                    futures[key, column] = pool.submit(cleaning_of(key, column, country))
            for key, column in usable:
                if cancel is not None:
                    cancel.raise_if_cancelled()
                if progress is not None:
                    progress(done, total)
                raw, cleaned = futures[key, column].result()
                done += 1
                empty_cells[column] = raw.null_count
                options = mapping.options_for(column)
                values[key] = cleaned.values
                if cleaned.ambiguous is not None:
                    ambiguous_dates[column] = int(cleaned.ambiguous.sum())
                if cleaned.detected_order is not None and \
                        options.date_order.value == "auto":
                    detected[column] = cleaned.detected_order
                if key == "_event_date":
                    epoch = cleaned.epoch_ms
                if any(failure.mask.any() for failure in cleaned.failures):
                    failed.append((key, column, raw, cleaned.failures))
        except BaseException:
            for future in futures.values():
                future.cancel()
            raise

    # After every column: whether a parameter is required can depend on the row's event type.
    left_out: dict[str, np.ndarray] = {}
    for key, column, raw, failures in failed:
        rejects = _invalid_rejects_row(key, targets[key], mapping, specs, values, count)
        leaving = np.zeros(count, dtype=bool)
        for failure in failures:
            problems.add_failure(np.flatnonzero(failure.mask & rejects), column, raw,
                                 failure.template, failure.kind)
            errors |= failure.mask & rejects
            # One warning per cell, however many of its list values failed.
            left = failure.mask & ~rejects & ~leaving
            problems.add_failure(np.flatnonzero(left), column, raw, failure.template,
                                 failure.kind, Severity.WARNING)
            leaving |= left
        if leaving.any():
            left_out[key] = leaving

    orders = None
    if row_numbers is not None and mapping.kind.value == "events":
        orders = _gather_orders(frame, mapping, targets, values, errors, problems, row_numbers)
    # Required targets: present on every row that has no other problem with that cell.
    _check_required(frame, mapping, specs, targets, values, errors, problems)
    if orders is not None and row_numbers is not None:
        _hold_back_orders(orders, values, errors, problems, row_numbers)
    if progress is not None:
        progress(total, total)
    return _Checked(values, errors, problems, epoch, empty_cells, ambiguous_dates, detected,
                    user_ids_repeat, orders, left_out)


ORDER_CONFLICT = QT_TRANSLATE_NOOP(
    "Validation", 'order "{order}" has "{first}" here in row {row}; the rows of one order '
    "must agree")
ORDER_TOO_MANY = QT_TRANSLATE_NOOP(
    "Validation", 'order "{order}" has {count} values here, more than the {limit} accepted')
ORDER_HELD_BACK = QT_TRANSLATE_NOOP(
    "Validation", 'order "{order}" is not sent: row {row} of the same order has a problem')


def _gather_orders(frame: pd.DataFrame, mapping: Mapping, targets: dict[str, Target],
                   values: dict[str, pa.Array], errors: np.ndarray, problems: _Problems,
                   row_numbers: np.ndarray) -> OrderGroups | None:
    """Orders written one row per line item become one event each (see core/orders.py):
    ``values`` gathered in place; rows that contradict their order's first row are errors."""
    list_limits = {key: targets[key].multivalue for key in values
                   if key.startswith(PARAMETER_PREFIX) and targets[key].multivalue > 1}
    key = order_key(list(values), set(list_limits))
    if key is None:
        return None
    groups = find_groups(values[key], key)
    if groups is None:
        return None
    quantities = frozenset(
        k for k in values if k.startswith(PARAMETER_PREFIX) and k not in list_limits
        and targets[k].data_type in NUMBER_TYPES
        and is_quantity_parameter(k.removeprefix(PARAMETER_PREFIX)))
    gathered = gather_orders(values, groups, list_limits=list_limits, quantity_keys=quantities)
    values.update(gathered.values)
    order_ids = as_array(values[key]).cast(pa.string())
    for conflict in gathered.conflicts:
        column = mapping.assignments[conflict.key]
        rows = conflict.positions
        errors[rows] = True
        raw = _column_array(frame[column].iloc[rows])
        problems.add(rows, column, raw, _fill(ORDER_CONFLICT, {
            "order": _quoted(order_ids.take(pa.array(rows))),
            "first": _quoted(conflict.first_values),
            "row": _thousands(_spreadsheet_rows(row_numbers, conflict.first_positions))}),
            "order_conflict")
    for over in gathered.too_many:
        column = mapping.assignments[over.key]
        errors[over.position] = True
        problems.add(np.array([over.position]), column, None,
                     fill(translate_marked("Validation", ORDER_TOO_MANY),
                               order=str(order_ids[over.position].as_py()),
                               count=str(over.count), limit=str(over.limit)),
                     "too_many_values")
    return groups


def _hold_back_orders(orders: OrderGroups, values: dict[str, pa.Array], errors: np.ndarray,
                      problems: _Problems, row_numbers: np.ndarray) -> None:
    """An order with a row in error is not sent at all (half an order is wrong data): its
    other rows say so, and the error log lists the whole order."""
    failing = np.flatnonzero(errors)
    if len(failing) == 0:
        return
    group_of = orders.group_of
    # Each order's first failing row (rows are in order, so the first occurrence).
    first_failing = np.full(orders.orders, -1, dtype=np.int64)
    groups, first = np.unique(group_of[failing], return_index=True)
    first_failing[groups] = failing[first]
    held = np.flatnonzero((first_failing[group_of] >= 0) & ~errors)
    if len(held) == 0:
        return
    errors[held] = True
    leaders = orders.leaders[group_of[held]]
    order_ids = as_array(values[orders.key]).cast(pa.string())
    problems.add(held, "", None, _fill(ORDER_HELD_BACK, {
        "order": _quoted(order_ids.take(pa.array(leaders))),
        "row": _thousands(_spreadsheet_rows(row_numbers, first_failing[group_of[held]]))}),
        "order_held_back")


def _invalid_rejects_row(key: str, target: Target, mapping: Mapping, specs: DatasourceSpecs,
                         values: dict[str, pa.Array], count: int) -> np.ndarray:
    """Per row: whether an invalid value of ``key`` rejects the row (else it is left out)."""
    options = mapping.options_for(mapping.assignments[key])
    if options.invalid_values is InvalidValuePolicy.SKIP_ROW or key in ROW_KEYS or \
            target.required:
        return np.ones(count, dtype=bool)
    types = values.get("_event_type")
    if not key.startswith(PARAMETER_PREFIX) or types is None:
        return np.zeros(count, dtype=bool)
    # The type varies by row: the value is required on the rows of the types that need it.
    name = key.removeprefix(PARAMETER_PREFIX)
    needing = [event.uid for event in specs.events if any(
        spec.parameter == name and spec.required for spec in specs.parameters_of(event.uid))]
    if not needing:
        return np.zeros(count, dtype=bool)
    return true_mask(pc.is_in(types, value_set=pa.array(needing, type=types.type)))


def _cost_rank(target: Target) -> int:
    """Roughly how long a column takes to clean, costliest 0: the order columns are started."""
    if target.data_type == DataType.PHONE:
        return 0
    if target.key == "_event_date" or target.data_type in DATE_TYPES:
        return 1
    if target.data_type in NUMBER_TYPES or target.data_type == DataType.EMAIL:
        return 2
    return 3 if target.multivalue > 1 else 4


#: Data types whose cleaners depend on other values of the column (number and date votes) or
#: on the row (a phone's country).
_COLUMN_OR_ROW_TYPES = NUMBER_TYPES | DATE_TYPES | {DataType.PHONE}


def _reads_each_value_alone(target: Target) -> bool:
    """Whether a value cleans the same wherever it is: then distinct values can be cleaned once."""
    return target.key != "_event_date" and target.data_type not in _COLUMN_OR_ROW_TYPES


def _clean_event_types(raw: pa.Array, specs: DatasourceSpecs) -> Cleaned:
    lookup = _event_type_lookup(specs)
    known = ", ".join(event.uid for event in specs.events) or translate(
        "Validation", "none", "no event types are known")
    return cleaning.lookup_distinct(
        raw, lambda text: lookup.get(fold(text)),
        cleaning.Failure("unknown_event_type", np.zeros(0, bool), cleaning.value_template(
            QT_TRANSLATE_NOOP("Validation",
                              '"{value}" is not an event type of this datasource (known: '
                              '{known})'), known=known)))


def _check_required(frame: pd.DataFrame, mapping: Mapping, specs: DatasourceSpecs,
                    targets: dict[str, Target], values: dict[str, pa.Array],
                    errors: np.ndarray, problems: _Problems) -> None:
    count = len(frame)
    required = [t for t in targets.values() if t.required and t.key in values]
    for target in required:
        column = mapping.assignments[target.key]
        missing = ~present_mask(values[target.key]) & ~problems.failed_rows(column, count)
        rows = np.flatnonzero(missing)
        errors[rows] = True
        problems.add(rows, column, None, fill(
            translate("Validation", "{label} is required but the cell is empty"),
            label=target.label), "missing_required")

    if not (mapping.kind.value == "events" and mapping.event_type_from_column
            and "_event_type" in values):
        return
    # The type varies by row: each row needs its own type's required parameters, and only
    # its own type's parameters are sent.
    types = values["_event_type"]
    for event in specs.events:
        of_type = _mask_equal(types, event.uid)
        if not of_type.any():
            continue
        own = {PARAMETER_PREFIX + spec.parameter: spec for spec in specs.parameters_of(event.uid)}
        for key in [k for k in values if k.startswith(PARAMETER_PREFIX)]:
            if key not in own:
                values[key] = _null_rows(values[key], of_type)
        for key, spec in own.items():
            if not spec.required:
                continue
            label = spec.title or spec.parameter
            if key in values:
                column = mapping.assignments[key]
                missing = of_type & ~present_mask(values[key]) & \
                    ~problems.failed_rows(column, count)
                rows = np.flatnonzero(missing)
                body = fill(translate(
                    "Validation", "{label} is required for {event} events but the cell is "
                    "empty"), label=label, event=event.name or event.uid)
                problems.add(rows, column, None, body, "missing_required")
            else:
                rows = np.flatnonzero(of_type)
                body = fill(translate(
                    "Validation", "{event} events need {label}, and no column is mapped to "
                    "it"), label=label, event=event.name or event.uid)
                problems.add(rows, "", None, body, "missing_required")
            errors[rows] = True


def _mask_equal(values: pa.Array, text: str) -> np.ndarray:
    return true_mask(pc.equal(values, text))


def _null_rows(values: pa.Array, rows: np.ndarray) -> pa.Array:
    return pc.if_else(pa.array(rows), pa.scalar(None, values.type), values)


def _mapping_problems(table: LoadedTable, mapping: Mapping, specs: DatasourceSpecs,
                      targets: dict[str, Target]) -> list[tuple[str, str, str]]:
    """(column, message, kind) for problems of the mapping itself."""
    found: list[tuple[str, str, str]] = []
    headers = set(table.headers)
    if mapping.kind.value == "events" and mapping.event_type and \
            specs.event_type(mapping.event_type) is None:
        found.append(("", fill(translate(
            "Validation", 'the event type "{event}" does not exist in this datasource; choose '
            "another one"), event=mapping.event_type), "unknown_event_type_setting"))
    for key, column in mapping.assignments.items():
        target = targets.get(key)
        if column not in headers:
            found.append((column, fill(translate(
                "Validation", 'the column "{column}" mapped to {target} is not in this file; '
                "map another column or unmap it"), column=column, target=key),
                "missing_column"))
        elif target is None:
            found.append((column, fill(translate(
                "Validation", 'the column is mapped to "{target}", which this datasource does '
                "not accept here; unmap it"), target=key), "unknown_target"))
        elif target.read_only:
            found.append((column, fill(translate(
                "Validation", 'the column is mapped to "{target}", which the datasource does '
                "not let you write; unmap it to continue"), target=target.label),
                "read_only_target"))
    for target in mapping.missing_required(list(targets.values())):
        found.append(("", fill(translate(
            "Validation", 'no column is mapped to "{target}", which is required; map one to '
            "continue"), target=target.label), "missing_required_column"))
    return found


def _targets_by_key(mapping: Mapping, specs: DatasourceSpecs) -> dict[str, Target]:
    from ingest_gui.core.mapping import targets_for

    fixed = None if mapping.event_type_from_column else mapping.event_type
    targets = targets_for(mapping.kind, specs, event_type=fixed,
                          with_user_data=mapping.with_user_data)
    return {target.key: target for target in targets}


def _values_table(values: dict[str, pa.Array], mapping: Mapping, count: int) -> pa.Table:
    """The cleaned columns as one Arrow table in the mapping's order (``count`` rows even with
    no column)."""
    ordered = [key for key in mapping.assignments if key in values]
    if not ordered:
        return pa.table({"": pa.nulls(count)}).drop_columns([""])
    # 64-bit offsets, as the payload writes them: no second copy of the offsets there.
    return pa.table({key: values[key].cast(pa.large_string()) for key in ordered})


def _contiguous(column: pa.ChunkedArray) -> pa.Array:
    return column.chunk(0) if column.num_chunks == 1 else column.combine_chunks()


def _duplicate_user_ids(values: pa.Table, mapping: Mapping, problems: _Problems,
                        errors: np.ndarray, row_numbers: np.ndarray, *,
                        ids_repeat: bool | None = None) -> None:
    """Contacts: an id repeated in later rows is a warning on the earlier ones (later wins).

    Only rows that will be sent count: a later row with an error does not replace anything.
    ``ids_repeat`` False: no id appears twice in ``values`` at all, nothing to search.
    """
    if mapping.kind.value != "contacts" or "_user_id" not in values.column_names or \
            ids_repeat is False:
        return
    ids = _contiguous(values.column("_user_id"))
    sent = _null_rows(ids, errors) if errors.any() else ids
    encoded = pc.dictionary_encode(sent)
    if len(encoded.dictionary) == len(sent) - sent.null_count:
        return  # no id repeats (the usual case)
    codes = np.asarray(pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False),
                       dtype=np.int64)
    rows = np.flatnonzero(codes >= 0)
    last_row = np.full(len(encoded.dictionary), -1, dtype=np.int64)
    np.maximum.at(last_row, codes[rows], rows)
    winners = last_row[codes[rows]]
    superseded = winners != rows
    _add_duplicate_warnings(problems, mapping.assignments["_user_id"], rows[superseded],
                            sent.take(pa.array(rows[superseded])), winners[superseded],
                            row_numbers)


def _add_duplicate_warnings(problems: _Problems, column: str, rows: np.ndarray,
                            user_ids: pa.Array, winners: np.ndarray,
                            row_numbers: np.ndarray) -> None:
    """Warn on ``rows``, whose ``user_ids`` the rows ``winners`` send again later."""
    user_ids = user_ids.cast(pa.string())
    winner_rows = _thousands(_spreadsheet_rows(row_numbers, np.asarray(winners, np.int64)))
    bodies = _fill(DUPLICATE_USER_ID, {"value": _quoted(user_ids), "row": winner_rows})
    problems.add(rows, column, user_ids, bodies, DUPLICATE_USER_ID_KIND, Severity.WARNING)


def _finish(table: LoadedTable, problems: _Problems,
            mapping_problems: list[tuple[str, str, str]]) -> pd.DataFrame:
    """All problems as one DataFrame; mapping problems go on the first data row."""
    for column, body, kind in mapping_problems:
        problems.add(np.zeros(1, dtype=np.int64), column, None, body, kind)
    return problems.frame(np.asarray(table.row_numbers, dtype=np.int64))


def left_out_problems(problems: pd.DataFrame) -> np.ndarray:
    """Which of ``problems`` are values left out: every warning but a repeated user id."""
    if problems.empty:
        return np.zeros(0, dtype=bool)
    left_out = (problems["severity"] == Severity.WARNING.value) & \
        (problems["kind"] != DUPLICATE_USER_ID_KIND)
    return np.asarray(left_out.to_numpy(dtype=bool), dtype=bool)


def _valid_from(problems: pd.DataFrame, count: int) -> np.ndarray:
    valid = np.ones(count, dtype=bool)
    if problems.empty:
        return valid
    errors = problems[problems["severity"] == Severity.ERROR.value]
    if errors["kind"].isin(MAPPING_KINDS).any():
        valid[:] = False
        return valid
    valid[errors["frame_row"].to_numpy(dtype=np.int64)] = False
    return valid


def _automation(epoch: np.ndarray | None, valid: np.ndarray, now: datetime,
                date_mapped: bool) -> AutomationCounts:
    if not date_mapped or epoch is None:
        return AutomationCounts(no_date=int(valid.sum()))
    now_ms = int(now.timestamp() * 1000)
    dated = valid & (epoch != NO_TIME)
    inside = dated & (np.abs(epoch - now_ms) <= AUTOMATION_WINDOW_MS)
    return AutomationCounts(
        inside_window=int(inside.sum()),
        no_date=int((valid & (epoch == NO_TIME)).sum()),
        outside_window=int((dated & ~inside).sum()),
    )


def validate(
    table: LoadedTable,
    mapping: Mapping,
    specs: DatasourceSpecs,
    *,
    now: datetime | None = None,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> ValidationResult:
    """Clean every mapped column and check every row; ``now`` (aware) sets the automation clock."""
    checked_at = _aware(now)
    targets = _targets_by_key(mapping, specs)
    frame = table.frame
    checked = _check(frame, mapping, specs, targets, progress=progress, cancel=cancel,
                     row_numbers=np.asarray(table.row_numbers, dtype=np.int64))
    values = _values_table(checked.values, mapping, len(frame))
    _duplicate_user_ids(values, mapping, checked.problems, checked.errors,
                        np.asarray(table.row_numbers, dtype=np.int64),
                        ids_repeat=checked.user_ids_repeat)
    problems = _finish(table, checked.problems, _mapping_problems(table, mapping, specs, targets))
    valid = _valid_from(problems, len(frame))
    automation = None
    if mapping.kind.value == "events":
        # An order's later rows travel inside its first: one event each order.
        sent = valid if checked.orders is None else valid & ~checked.orders.continuation
        automation = _automation(checked.epoch_ms, sent, checked_at,
                                 "_event_date" in checked.values)
    return ValidationResult(
        table=table, mapping=mapping, specs=specs, values=values, valid=valid,
        problems=problems, automation=automation, empty_cells=checked.empty_cells,
        ambiguous_dates=checked.ambiguous_dates,
        detected_date_order=checked.detected_date_order, checked_at=checked_at,
        clear_targets=_clear_targets(mapping, values),
        event_epoch_ms=checked.epoch_ms, orders=checked.orders, left_out=checked.left_out,
    )


def _aware(now: datetime | None) -> datetime:
    if now is None:
        return datetime.now(UTC)
    return now if now.tzinfo is not None else now.replace(tzinfo=UTC)


def _clear_targets(mapping: Mapping, values: pa.Table) -> frozenset[str]:
    from ingest_gui.core.mapping import EmptyCellPolicy

    return frozenset(
        key for key, column in mapping.assignments.items()
        if key in values.column_names and mapping.options_for(column).empty_cells
        is EmptyCellPolicy.CLEAR
    )


#: Up to this many rows, an edit splices its rows into the values and problems (slices of the
#: old columns and the new rows, nothing copied); beyond, the columns are rebuilt whole.
_SPLICE_MAX_ROWS = 64
#: Each spliced edit adds two chunks to a values column (and a few to the problems' text
#: columns); past this many they are joined again.
_MAX_VALUE_CHUNKS = 256


def revalidate_rows(result: ValidationResult, frame_rows: list[int]) -> ValidationResult:
    """Re-check only the given frame rows after the user edited cells in ``result.table.frame``.

    Dates keep the day/month order detected for the whole column; duplicate user ids are
    re-checked for the edited rows' old and new ids, found through ``user_id_index`` (built by
    the first re-check that needs it). ``ambiguous_dates`` and ``empty_cells`` keep the counts of
    the full check. The work is proportional to the edited rows, not the table: values and
    problems of the other rows are shared with ``result``, not copied.
    """
    rows = np.unique(np.asarray(frame_rows, dtype=np.int64))
    table, mapping, specs = result.table, result.mapping, result.specs
    if len(rows) == 0:
        return result
    if result.orders is not None:
        # An edit can join, split or contradict orders: the whole file is checked again.
        return validate(table, mapping, specs, now=result.checked_at)
    count = len(table.frame)
    if rows.min() < 0 or rows.max() >= count:
        raise IndexError(f"rows {frame_rows} are not all inside the table")
    targets = _targets_by_key(mapping, specs)
    # One row as a slice: taking rows of a text column joins all its chunks first.
    picked = slice(int(rows[0]), int(rows[0]) + 1) if len(rows) == 1 else rows
    subset = table.frame.iloc[picked].reset_index(drop=True)
    checked = _check(subset, mapping, specs, targets, fixed_orders=result.detected_date_order)
    values = _with_rows(result.values, rows, checked.values)

    blocked = _is_blocked(result.problems)
    valid = result.valid.copy()
    if not blocked:
        valid[rows] = ~checked.errors
    fresh = checked.problems
    fresh.shift(rows)
    index, touched = _recheck_duplicates(result, values, rows, checked.errors, fresh, blocked)
    problems = _splice_problems(result.problems, _finish(table, fresh, []), rows, touched)

    epoch = result.event_epoch_ms
    if epoch is not None and checked.epoch_ms is not None:
        epoch = epoch.copy()
        epoch[rows] = checked.epoch_ms
    automation = None
    if mapping.kind.value == "events":
        automation = _automation_after_edit(result, rows, valid, epoch,
                                            "_event_date" in values.column_names)
    return ValidationResult(
        table=table, mapping=mapping, specs=specs, values=values, valid=valid,
        problems=problems, automation=automation, empty_cells=dict(result.empty_cells),
        ambiguous_dates=dict(result.ambiguous_dates),
        detected_date_order=dict(result.detected_date_order), checked_at=result.checked_at,
        clear_targets=result.clear_targets, event_epoch_ms=epoch, user_id_index=index,
        left_out=_left_out_after_edit(result.left_out, rows, checked.left_out, count),
    )


def _left_out_after_edit(before: dict[str, np.ndarray], rows: np.ndarray,
                         edited: dict[str, np.ndarray], count: int) -> dict[str, np.ndarray]:
    """``before`` with the edited ``rows`` replaced by their re-check (``edited``)."""
    after: dict[str, np.ndarray] = {}
    for key in before.keys() | edited.keys():
        mask = before[key].copy() if key in before else np.zeros(count, dtype=bool)
        mask[rows] = edited.get(key, False)
        if mask.any():
            after[key] = mask
    return after


def _with_rows(values: pa.Table, rows: np.ndarray, fresh: dict[str, pa.Array]) -> pa.Table:
    """``values`` with ``rows`` (sorted, distinct) replaced by ``fresh`` (one cell per row)."""
    for key, cells in fresh.items():
        position = values.schema.get_field_index(key)
        if position < 0:
            continue
        column = values.column(position)
        cells = cells.cast(column.type)
        if len(rows) <= _SPLICE_MAX_ROWS:
            chunks: list[pa.Array] = []
            cursor = 0
            for offset, row in enumerate(rows.tolist()):
                if row > cursor:
                    chunks += column.slice(cursor, row - cursor).chunks
                chunks.append(cells.slice(offset, 1))
                cursor = row + 1
            if cursor < len(column):
                chunks += column.slice(cursor).chunks
            spliced = pa.chunked_array([chunk for chunk in chunks if len(chunk)],
                                       type=column.type)
            if spliced.num_chunks > _MAX_VALUE_CHUNKS:
                spliced = pa.chunked_array([spliced.combine_chunks()])
        else:
            mask = np.zeros(len(column), dtype=bool)
            mask[rows] = True
            spliced = pa.chunked_array([pc.replace_with_mask(
                _contiguous(column), pa.array(mask), cells)])
        values = values.set_column(position, values.field(position), spliced)
    return values


def _is_blocked(problems: pd.DataFrame) -> bool:
    """``ValidationResult.blocked`` without reading every problem: mapping problems are on frame
    row 0, the first rows of the (ordered) problems."""
    if problems.empty:
        return False
    first_rows = int(np.searchsorted(problems["frame_row"].to_numpy(dtype=np.int64), 0,
                                     side="right"))
    return bool(problems["kind"].iloc[:first_rows].isin(MAPPING_KINDS).any())


def _recheck_duplicates(result: ValidationResult, values: pa.Table, rows: np.ndarray,
                        row_errors: np.ndarray, problems: _Problems, blocked: bool,
                        ) -> tuple[UserIdIndex | None, np.ndarray]:
    """Duplicate-id warnings for every row that holds an edited row's old or new id, added to
    ``problems``; returns the index after the edit and those rows (whose old warnings go)."""
    nothing = np.empty(0, dtype=np.int64)
    if result.mapping.kind.value != "contacts" or "_user_id" not in values.column_names:
        return None, nothing
    index = result.user_id_index
    if index is None or index.needs_rebuild:
        index = UserIdIndex.build(result.values.column("_user_id"))
        result.user_id_index = index  # the result before the edit can use it too
    before_column, after_column = result.values.column("_user_id"), values.column("_user_id")
    old_ids = [before_column[row].as_py() for row in rows.tolist()]
    new_ids = [after_column[row].as_py() for row in rows.tolist()]
    after = index.with_ids(rows.tolist(), new_ids)
    affected = sorted({user_id for user_id in (*old_ids, *new_ids) if user_id is not None})
    if not affected:
        return after, nothing
    # The rows that hold these ids now: with the edited rows, every row that held them before.
    holders = {user_id: after.rows_of(user_id) for user_id in affected}
    touched = np.unique(np.concatenate(list(holders.values())))
    errors = dict(zip(rows.tolist(), row_errors.tolist(), strict=True))
    other_errors = _rows_with_errors(result, touched, blocked)
    superseded: list[np.ndarray] = []
    winners: list[np.ndarray] = []
    texts: list[str] = []
    for user_id, members in holders.items():
        failing = np.array([errors.get(row, bool(other_errors.get(row, False)))
                            for row in members.tolist()], dtype=bool)
        sent = members[~failing] if len(members) else members
        if len(sent) < 2:
            continue
        superseded.append(sent[:-1])
        winners.append(np.full(len(sent) - 1, sent[-1], dtype=np.int64))
        texts += [user_id] * (len(sent) - 1)
    if superseded:
        _add_duplicate_warnings(problems, result.mapping.assignments["_user_id"],
                                np.concatenate(superseded), pa.array(texts, type=pa.string()),
                                np.concatenate(winners),
                                np.asarray(result.table.row_numbers, dtype=np.int64))
    return after, touched


def _rows_with_errors(result: ValidationResult, rows: np.ndarray,
                      blocked: bool) -> dict[int, bool]:
    """Whether each of ``rows`` has an error of its own (mapping problems aside)."""
    if not blocked:
        return dict(zip(rows.tolist(), (~result.valid[rows]).tolist(), strict=True))
    # Every row is invalid while the mapping is wrong: ask the problems (a rare case).
    problems = result.problems
    own = (problems["severity"] == Severity.ERROR.value) & ~problems["kind"].isin(MAPPING_KINDS)
    failing = np.isin(rows, problems["frame_row"].to_numpy(dtype=np.int64)[
        own.to_numpy(dtype=bool)])
    return dict(zip(rows.tolist(), failing.tolist(), strict=True))


def _splice_problems(old: pd.DataFrame, new: pd.DataFrame, rows: np.ndarray,
                     touched: np.ndarray) -> pd.DataFrame:
    """``old`` with the problems of the edited ``rows`` (mapping problems aside) and the
    duplicate-id warnings of the ``touched`` rows replaced by ``new``; ordered by frame row."""
    import pandas as pd

    if old.empty:
        return new
    affected = np.union1d(rows, touched)
    frame_rows = old["frame_row"].to_numpy(dtype=np.int64)
    starts = np.searchsorted(frame_rows, affected, side="left")
    ends = np.searchsorted(frame_rows, affected, side="right")
    edited = set(rows.tolist())
    kinds = old["kind"]
    dropped: set[int] = set()
    for row, start, end in zip(affected.tolist(), starts.tolist(), ends.tolist(), strict=True):
        for position in range(start, end):
            kind = kinds.iat[position]
            if (kind not in MAPPING_KINDS) if row in edited else kind == "duplicate_user_id":
                dropped.add(position)
    if len(affected) > _SPLICE_MAX_ROWS:
        keep = np.ones(len(old), dtype=bool)
        keep[list(dropped)] = False
        joined = pd.concat([part for part in (old[keep], new) if len(part)], ignore_index=True)
        if joined.empty:
            return new
        order = np.argsort(joined["frame_row"].to_numpy(dtype=np.int64), kind="stable")
        return joined.iloc[order].reset_index(drop=True)
    new_rows = new["frame_row"].to_numpy(dtype=np.int64)
    new_starts = np.searchsorted(new_rows, affected, side="left")
    new_ends = np.searchsorted(new_rows, affected, side="right")
    pieces: list[pd.DataFrame] = []
    cursor = 0
    for start, end, new_start, new_end in zip(starts.tolist(), ends.tolist(),
                                              new_starts.tolist(), new_ends.tolist(),
                                              strict=True):
        pieces.append(old.iloc[cursor:start])
        # Kept problems as slices: taking rows of a text column joins all its chunks first.
        run_start = start
        for position in range(start, end + 1):
            if position == end or position in dropped:
                if position > run_start:
                    pieces.append(old.iloc[run_start:position])
                run_start = position + 1
        pieces.append(new.iloc[new_start:new_end])
        cursor = max(cursor, end)
    pieces.append(old.iloc[cursor:])
    pieces = [piece for piece in pieces if len(piece)]
    if not pieces:
        return old.iloc[0:0].reset_index(drop=True)
    return _compact(pd.concat(pieces, ignore_index=True))


def _compact(problems: pd.DataFrame) -> pd.DataFrame:
    """Each splice adds a few chunks to the text columns (slices are not copied); past
    ``_MAX_VALUE_CHUNKS`` they are joined into one again, so lookups stay quick."""
    import pandas as pd

    messages = pa.array(problems["message"])
    if not isinstance(messages, pa.ChunkedArray) or messages.num_chunks <= _MAX_VALUE_CHUNKS:
        return problems
    for name in ("column", "value", "message", "severity", "kind"):
        texts = pa.array(problems[name])
        whole = texts.combine_chunks() if isinstance(texts, pa.ChunkedArray) else texts
        problems[name] = pd.arrays.ArrowStringArray(whole)
    return problems


def _automation_after_edit(result: ValidationResult, rows: np.ndarray, valid: np.ndarray,
                           epoch: np.ndarray | None, date_mapped: bool) -> AutomationCounts:
    """The automation counts with the edited rows' share taken out and put back."""
    now = _aware(result.checked_at)
    old_epoch = result.event_epoch_ms
    total = result.automation or _automation(old_epoch, result.valid, now, date_mapped)
    before = _automation(None if old_epoch is None else old_epoch[rows], result.valid[rows],
                         now, date_mapped)
    after = _automation(None if epoch is None else epoch[rows], valid[rows], now, date_mapped)
    return AutomationCounts(
        inside_window=total.inside_window - before.inside_window + after.inside_window,
        no_date=total.no_date - before.no_date + after.no_date,
        outside_window=total.outside_window - before.outside_window + after.outside_window,
    )
