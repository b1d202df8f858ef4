"""Clean and validate every mapped cell against the datasource specs, vectorised over columns.

Contract of :class:`ValidationResult`:
- ``values``: DataFrame aligned with ``table.frame`` (same RangeIndex), one column per mapped
  target key, holding the cleaned wire value as ``str`` or ``<NA>`` where the cell was empty
  (or invalid). Wire forms: e-mails lower-cased, phones E.164, countries ISO alpha-2, dates
  ``YYYY-MM-DD``, datetimes / event dates ISO 8601 UTC with milliseconds and ``Z``, booleans
  ``"1"``/``"0"``, numbers canonical (``"1234.56"``, no thousands separator), list values
  joined with ``LIST_SEPARATOR``.
- ``valid``: numpy bool array, True where the row has no *error* problem.
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
from string import Formatter
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
from ingest_gui.core.mapping import PARAMETER_PREFIX, USER_DATA_PREFIX, ColumnOptions, Target
from ingest_gui.texts import QT_TRANSLATE_NOOP, thousands_separator, translate, translate_marked

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
    values: pd.DataFrame
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

    @property
    def valid_count(self) -> int:
        return int(self.valid.sum())

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
                    template: tuple[str, str], kind: str) -> None:
        before, after = template
        bodies = pc.binary_join_element_wise(before, _quoted(raw), after, "")
        self.add(frame_rows, column, raw, bodies, kind)

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
        try:
            for literal, name, _spec, _conversion in Formatter().parse(text):
                if literal:
                    pieces.append(literal)
                if name is not None:
                    pieces.append(fields[name])
        except (KeyError, ValueError):
            continue
        if any(isinstance(piece, pa.Array) for piece in pieces):
            return pc.binary_join_element_wise(*pieces, "")
    raise ValueError(f"the message {template!r} names no row field")


def _sentence(translated: str, **arguments: str) -> str:
    """A translated sentence with its named placeholders filled (values are never parsed as
    templates, so a column named "{x}" stays as it is)."""
    pieces = []
    for literal, name, _spec, _conversion in Formatter().parse(translated):
        pieces.append(literal)
        if name is not None:
            pieces.append(arguments[name])
    return "".join(pieces)


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
) -> _Checked:
    """Clean and check every usable mapped target over ``frame`` (no mapping-level checks)."""
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
                regions = pc.fill_null(country_values.result()[1].values,
                                       specs.default_country or "")
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
                for failure in cleaned.failures:
                    rows = np.flatnonzero(failure.mask)
                    if len(rows) == 0:
                        continue
                    errors[rows] = True
                    problems.add_failure(rows, column, raw.take(pa.array(rows)),
                                         failure.template, failure.kind)
        except BaseException:
            for future in futures.values():
                future.cancel()
            raise

    # Required targets: present on every row that has no other problem with that cell.
    _check_required(frame, mapping, specs, targets, values, errors, problems)
    if progress is not None:
        progress(total, total)
    return _Checked(values, errors, problems, epoch, empty_cells, ambiguous_dates, detected,
                    user_ids_repeat)


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
        problems.add(rows, column, None, _sentence(
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
                body = _sentence(translate(
                    "Validation", "{label} is required for {event} events but the cell is "
                    "empty"), label=label, event=event.name or event.uid)
                problems.add(rows, column, None, body, "missing_required")
            else:
                rows = np.flatnonzero(of_type)
                body = _sentence(translate(
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
        found.append(("", _sentence(translate(
            "Validation", 'the event type "{event}" does not exist in this datasource; choose '
            "another one"), event=mapping.event_type), "unknown_event_type_setting"))
    for key, column in mapping.assignments.items():
        target = targets.get(key)
        if column not in headers:
            found.append((column, _sentence(translate(
                "Validation", 'the column "{column}" mapped to {target} is not in this file; '
                "map another column or unmap it"), column=column, target=key),
                "missing_column"))
        elif target is None:
            found.append((column, _sentence(translate(
                "Validation", 'the column is mapped to "{target}", which this datasource does '
                "not accept here; unmap it"), target=key), "unknown_target"))
        elif target.read_only:
            found.append((column, _sentence(translate(
                "Validation", 'the column is mapped to "{target}", which the datasource does '
                "not let you write; unmap it to continue"), target=target.label),
                "read_only_target"))
    for target in mapping.missing_required(list(targets.values())):
        found.append(("", _sentence(translate(
            "Validation", 'no column is mapped to "{target}", which is required; map one to '
            "continue"), target=target.label), "missing_required_column"))
    return found


def _targets_by_key(mapping: Mapping, specs: DatasourceSpecs) -> dict[str, Target]:
    from ingest_gui.core.mapping import targets_for

    fixed = None if mapping.event_type_from_column else mapping.event_type
    targets = targets_for(mapping.kind, specs, event_type=fixed,
                          with_user_data=mapping.with_user_data)
    return {target.key: target for target in targets}


def _values_frame(values: dict[str, pa.Array], mapping: Mapping, count: int) -> pd.DataFrame:
    import pandas as pd

    dtype = pd.StringDtype("pyarrow")
    columns = {
        key: pd.array(pa.chunked_array([array.cast(pa.string())]), dtype=dtype)
        if len(array) else pd.array([], dtype=dtype)
        for key, array in values.items()
    }
    ordered = [key for key in mapping.assignments if key in columns]
    return pd.DataFrame({key: columns[key] for key in ordered}, index=pd.RangeIndex(count))


def _duplicate_user_ids(values: pd.DataFrame, mapping: Mapping, problems: _Problems,
                        errors: np.ndarray, row_numbers: np.ndarray, *,
                        ids_repeat: bool | None = None) -> None:
    """Contacts: an id repeated in later rows is a warning on the earlier ones (later wins).

    Only rows that will be sent count: a later row with an error does not replace anything.
    ``ids_repeat`` False: no id appears twice in ``values`` at all, nothing to search.
    """
    import pandas as pd

    if mapping.kind.value != "contacts" or "_user_id" not in values.columns or \
            ids_repeat is False:
        return
    ids = values["_user_id"].mask(pd.Series(errors, index=values.index))
    sent = pa.array(ids.array)
    distinct = pc.unique(sent)
    if len(distinct) - distinct.null_count == len(sent) - sent.null_count:
        return  # no id repeats (the usual case): skip pandas' slower duplicate search
    superseded = ids.duplicated(keep="last").to_numpy(dtype=bool) & ids.notna().to_numpy()
    rows = np.flatnonzero(superseded)
    if len(rows) == 0:
        return
    present = ids[ids.notna()]
    last_row = pd.Series(present.index, index=present.array).groupby(level=0).last()
    winners = last_row.reindex(ids.iloc[rows].array).to_numpy()
    column = mapping.assignments["_user_id"]
    user_ids = pa.array(ids.iloc[rows].astype(object).to_numpy(), type=pa.string())
    winner_rows = _thousands(_spreadsheet_rows(row_numbers, np.asarray(winners, np.int64)))
    bodies = _fill(DUPLICATE_USER_ID, {"value": _quoted(user_ids), "row": winner_rows})
    problems.add(rows, column, user_ids, bodies, "duplicate_user_id", Severity.WARNING)


def _finish(table: LoadedTable, problems: _Problems,
            mapping_problems: list[tuple[str, str, str]]) -> pd.DataFrame:
    """All problems as one DataFrame; mapping problems go on the first data row."""
    for column, body, kind in mapping_problems:
        problems.add(np.zeros(1, dtype=np.int64), column, None, body, kind)
    return problems.frame(np.asarray(table.row_numbers, dtype=np.int64))


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
    checked = _check(frame, mapping, specs, targets, progress=progress, cancel=cancel)
    values = _values_frame(checked.values, mapping, len(frame))
    _duplicate_user_ids(values, mapping, checked.problems, checked.errors,
                        np.asarray(table.row_numbers, dtype=np.int64),
                        ids_repeat=checked.user_ids_repeat)
    problems = _finish(table, checked.problems, _mapping_problems(table, mapping, specs, targets))
    valid = _valid_from(problems, len(frame))
    automation = None
    if mapping.kind.value == "events":
        automation = _automation(checked.epoch_ms, valid, checked_at,
                                 "_event_date" in checked.values)
    return ValidationResult(
        table=table, mapping=mapping, specs=specs, values=values, valid=valid,
        problems=problems, automation=automation, empty_cells=checked.empty_cells,
        ambiguous_dates=checked.ambiguous_dates,
        detected_date_order=checked.detected_date_order, checked_at=checked_at,
        clear_targets=_clear_targets(mapping, values),
        event_epoch_ms=checked.epoch_ms,
    )


def _aware(now: datetime | None) -> datetime:
    if now is None:
        return datetime.now(UTC)
    return now if now.tzinfo is not None else now.replace(tzinfo=UTC)


def _clear_targets(mapping: Mapping, values: pd.DataFrame) -> frozenset[str]:
    from ingest_gui.core.mapping import EmptyCellPolicy

    return frozenset(
        key for key, column in mapping.assignments.items()
        if key in values.columns and mapping.options_for(column).empty_cells
        is EmptyCellPolicy.CLEAR
    )


def revalidate_rows(result: ValidationResult, frame_rows: list[int]) -> ValidationResult:
    """Re-check only the given frame rows after the user edited cells in ``result.table.frame``.

    Dates keep the day/month order detected for the whole column; duplicate user ids are
    re-checked over the whole column. ``ambiguous_dates`` and ``empty_cells`` keep the counts
    of the full check.
    """
    import pandas as pd

    rows = np.unique(np.asarray(frame_rows, dtype=np.int64))
    table, mapping, specs = result.table, result.mapping, result.specs
    if len(rows) == 0:
        return result
    if rows.min() < 0 or rows.max() >= len(table.frame):
        raise IndexError(f"rows {frame_rows} are not all inside the table")
    targets = _targets_by_key(mapping, specs)
    subset = table.frame.iloc[rows].reset_index(drop=True)
    checked = _check(subset, mapping, specs, targets, fixed_orders=result.detected_date_order)

    values = result.values.copy()
    new_values = _values_frame(checked.values, mapping, len(rows))
    for key in new_values.columns:
        if key in values.columns:
            column = values[key].astype(object).to_numpy().copy()
            column[rows] = new_values[key].astype(object).to_numpy()
            values[key] = pd.array(column, dtype=pd.StringDtype("pyarrow"))

    # Keep problems of untouched rows (minus duplicate ids, re-checked below), add the new ones.
    old = result.problems
    keep = ~old["frame_row"].isin(rows) | old["kind"].isin(MAPPING_KINDS)
    keep &= old["kind"] != "duplicate_user_id"
    fresh = checked.problems
    fresh.shift(rows)
    errors = np.zeros(len(table.frame), dtype=bool)
    old_errors = old[keep & (old["severity"] == Severity.ERROR.value)]
    errors[old_errors["frame_row"].to_numpy(dtype=np.int64)] = True
    errors[rows] = checked.errors
    _duplicate_user_ids(values, mapping, fresh, errors,
                        np.asarray(table.row_numbers, dtype=np.int64))
    new_problems = _finish(table, fresh, [])
    problems = pd.concat([old[keep], new_problems], ignore_index=True)
    order = np.argsort(problems["frame_row"].to_numpy(), kind="stable")
    problems = problems.iloc[order].reset_index(drop=True)
    valid = _valid_from(problems, len(table.frame))

    epoch = result.event_epoch_ms
    if epoch is not None and checked.epoch_ms is not None:
        epoch = epoch.copy()
        epoch[rows] = checked.epoch_ms
    automation = None
    if mapping.kind.value == "events":
        automation = _automation(epoch, valid, _aware(result.checked_at),
                                 "_event_date" in values.columns)
    return ValidationResult(
        table=table, mapping=mapping, specs=specs, values=values, valid=valid,
        problems=problems, automation=automation, empty_cells=dict(result.empty_cells),
        ambiguous_dates=dict(result.ambiguous_dates),
        detected_date_order=dict(result.detected_date_order), checked_at=result.checked_at,
        clear_targets=result.clear_targets, event_epoch_ms=epoch,
    )
