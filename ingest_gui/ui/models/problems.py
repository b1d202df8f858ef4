"""The Check page's table of rows with problems: a virtual model over the validation result.

Nothing is built per row: the model keeps numpy arrays (the spreadsheet rows to show, where each
one sits in the table's frame, and where its problems start and end in the problems frame, which
the core keeps ordered by row) and answers ``data()`` by indexing them, so a million problem rows
cost a few arrays and scroll like ten.

Editing a cell shows the new text at once and marks the row "Checking…"; a background task
writes the edits into the table's frame and asks the core to re-check only those rows
(``revalidate_rows``), then the new result is applied on the GUI thread. Edits made meanwhile
queue and go in the next re-check, so the frame has one writer at a time and the GUI thread never
waits for the core. The row stays in view (showing "Fixed" once it has no problem left) until the
filter changes, so the user sees the effect of the edit.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import QApplication

from ingest_gui.core.cancel import CancelToken
from ingest_gui.ui.widgets.common import BannerKind, cell_colours, wait_for_task
from ingest_gui.ui.workers import BackgroundTask

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from ingest_gui.core.validation import ValidationResult

# An edited cell: (position in the table's frame, column header).
CellKey = tuple[int, str]

AnyIndex = QModelIndex | QPersistentModelIndex
#: Stands for an empty array while there is no result (see ``ProblemRowsModel._clear``).
_NO_ARRAY: Any = ()

#: The spreadsheet row number of a table row, whatever column the index is in.
SpreadsheetRowRole = Qt.ItemDataRole.UserRole + 1
#: The only roles answered; views ask for every role of every cell they paint.
_ROLES = frozenset({SpreadsheetRowRole, Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole,
                    Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.BackgroundRole,
                    Qt.ItemDataRole.ForegroundRole})

@functools.cache
def _row_prefix(head: str) -> re.Pattern[str]:
    return re.compile(rf"^{re.escape(head)}[\d.,\u00a0\u202f]+(?:, |: )")


def without_row_prefix(message: str) -> str:
    """'Row 4, column "Email": ...' -> 'Column "Email": ...' (the row is in its own column).

    The core's messages start "Row 1,234, ..." (in the wizard's language) for the error log.
    """
    from ingest_gui.core.validation import ROW_ONLY
    from ingest_gui.texts import translate_marked

    head = translate_marked("Validation", ROW_ONLY).split("{row}", 1)[0]
    rest = _row_prefix(head).sub("", message, count=1)
    return rest[:1].upper() + rest[1:]


@dataclass(frozen=True, slots=True)
class ProblemIndex:
    """The problems frame as arrays ordered by spreadsheet row, for O(1) lookups in ``data()``."""

    rows: np.ndarray
    columns: Any
    messages: Any
    errors: np.ndarray


def index_problems(problems: pd.DataFrame) -> ProblemIndex:
    """Arrays of ``problems`` ordered by row (the core keeps them ordered; checked, not assumed)."""
    import numpy as np

    if len(problems) == 0:
        return ProblemIndex(np.empty(0, dtype=np.int64), [], [], np.empty(0, dtype=bool))
    rows = problems["row"].to_numpy(dtype=np.int64)
    if len(rows) > 1 and not bool(np.all(rows[1:] >= rows[:-1])):
        order = np.argsort(rows, kind="stable")
        problems = problems.iloc[order]
        rows = rows[order]
    return ProblemIndex(rows, problems["column"].array, problems["message"].array,
                        (problems["severity"] == "error").to_numpy(dtype=bool))


@dataclass(frozen=True, slots=True)
class ProblemCounts:
    """The Check page's summary figures of a result (one pass over its problems)."""

    by_kind: dict[str, int]
    warnings: int


def count_problems(result: ValidationResult) -> ProblemCounts:
    problems = result.problems
    warnings = int((problems["severity"] == "warning").sum()) if len(problems) else 0
    return ProblemCounts(result.problem_counts(), warnings)


@dataclass(frozen=True, slots=True)
class Rechecked:
    """What a background re-check hands to the GUI thread: the new result, already indexed and
    counted (at a million rows each of those passes would hold the window up)."""

    result: ValidationResult
    index: ProblemIndex
    counts: ProblemCounts


def recheck_edits(result: ValidationResult, edits: dict[CellKey, str]) -> Rechecked:
    """Write ``edits`` into ``result``'s table and re-check only the edited rows (worker thread).

    When the core cannot check them, the cells get their previous text back and a
    ``ValueError`` says why.
    """
    from ingest_gui.core.validation import revalidate_rows

    frame = result.table.frame
    previous: dict[CellKey, Any] = {key: frame.at[key] for key in edits}
    for key, text in edits.items():
        frame.at[key] = text
    try:
        rechecked = revalidate_rows(result, sorted({row for row, _header in edits}))
    except (ValueError, KeyError, IndexError) as error:
        for key, old in previous.items():
            frame.at[key] = old
        raise ValueError(str(error)) from error
    return Rechecked(rechecked, index_problems(rechecked.problems), count_problems(rechecked))


class ProblemRowsModel(QAbstractTableModel):
    """Rows with problems: "Row", "Problems", then every column of the file.

    Signals:
        resultChanged(object): edits were re-checked; the new ``ValidationResult``.
        editFailed(str): an edit could not be applied (a human sentence).
        checkingChanged(bool): edits started (True) or finished (False) being re-checked.
    """

    ROW, PROBLEMS = 0, 1
    FIRST_FILE_COLUMN = 2
    resultChanged = Signal(object)
    editFailed = Signal(str)
    checkingChanged = Signal(bool)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._result: ValidationResult | None = None
        self._kind: str | None = None
        self._headers: list[str] = []
        self._rows: np.ndarray                # spreadsheet rows shown
        self._frame_positions: np.ndarray     # their positions in table.frame
        self._starts: np.ndarray              # their problems in result.problems
        self._ends: np.ndarray
        self._problem_rows: np.ndarray
        self._problem_columns: Any
        self._problem_messages: Any
        self._problem_errors: np.ndarray
        self._cells: list[Any]
        # Edits not yet in the result: queued for the next re-check, and in the running one.
        self._queued: dict[CellKey, str] = {}
        self._in_flight: dict[CellKey, str] = {}
        self._checking_rows: set[int] = set()  # frame positions of the rows above
        self._recheck_task: BackgroundTask | None = None
        self._held = False
        # Counts the results set from outside: a re-check of an older one is dropped.
        self._generation = 0
        self._recheck_generation = 0
        self._counts: ProblemCounts | None = None
        self._clear()

    def _clear(self) -> None:
        # No result, so nothing to index: only len() is asked of these. Not numpy arrays, so
        # the model is built with the window without loading numpy; it loads with the first
        # result, whose worker has imported it (and pandas) already: no stall here.
        self._rows = self._frame_positions = self._starts = self._ends = _NO_ARRAY
        self._problem_rows = self._problem_errors = _NO_ARRAY
        self._problem_columns = []
        self._problem_messages = []
        self._cells = []

    # -- the core objects --------------------------------------------------------------------
    @property
    def result(self) -> ValidationResult | None:
        return self._result

    @property
    def kind_filter(self) -> str | None:
        return self._kind

    @property
    def counts(self) -> ProblemCounts:
        """The current result's problems by kind and its warnings (none without a result)."""
        if self._counts is None:
            self._counts = count_problems(self._result) if self._result is not None \
                else ProblemCounts({}, 0)
        return self._counts

    def set_result(self, result: ValidationResult | None, kind: str | None = None) -> None:
        """Show ``result``'s problem rows, only those with a problem of ``kind`` if given.

        Call :meth:`settle_edits` first when ``result`` is a new check: edits still being
        re-checked belong to the previous one.
        """
        self.beginResetModel()
        if result is not self._result:
            self._generation += 1
            self._counts = None
            self._queued.clear()
            self._in_flight = {}
            self._checking_rows = set()
        self._result = result
        self._kind = kind
        if result is None:
            self._headers = []
            self._clear()
        else:
            self._headers = result.table.headers
            self._cache_cells()
            self._use_index(index_problems(result.problems))
            self._choose_rows(result.problems, kind)
        self.endResetModel()

    def set_kind_filter(self, kind: str | None) -> None:
        self.set_result(self._result, kind)

    def spreadsheet_row(self, row: int) -> int:
        return int(self._rows[row])

    def row_with_largest_number(self) -> int | None:
        """The model row showing the largest spreadsheet row number (``None`` when empty)."""
        if not len(self._rows):
            return None
        import numpy as np

        return int(np.argmax(self._rows))

    def frame_position(self, row: int) -> int:
        return int(self._frame_positions[row])

    def _cache_cells(self) -> None:
        assert self._result is not None
        frame = self._result.table.frame
        # The backing arrays index in O(1); re-fetched after an edit (copy-on-write).
        self._cells = [frame[header].array for header in self._headers]

    def _use_index(self, index: ProblemIndex) -> None:
        self._problem_rows = index.rows
        self._problem_columns = index.columns
        self._problem_messages = index.messages
        self._problem_errors = index.errors

    def _choose_rows(self, problems: pd.DataFrame, kind: str | None) -> None:
        import numpy as np

        assert self._result is not None
        if kind is None:
            rows = self._problem_rows
        else:
            rows = np.sort(problems["row"].to_numpy(dtype=np.int64)[
                (problems["kind"] == kind).to_numpy(dtype=bool)])
        # Sorted, so distinct rows are where the value changes (np.unique would hash them all).
        first = np.ones(len(rows), dtype=bool)
        first[1:] = rows[1:] != rows[:-1]
        self._rows = rows[first]
        self._frame_positions = self._positions_in_frame(self._rows)
        self._locate_problems()

    def _positions_in_frame(self, rows: np.ndarray) -> np.ndarray:
        import numpy as np

        assert self._result is not None
        row_numbers = np.asarray(self._result.table.row_numbers, dtype=np.int64)
        if len(row_numbers) > 1 and not bool(np.all(row_numbers[1:] > row_numbers[:-1])):
            order = np.argsort(row_numbers, kind="stable")
            found = np.searchsorted(row_numbers[order], rows)
            return np.asarray(order[np.clip(found, 0, len(order) - 1)], dtype=np.int64)
        found = np.searchsorted(row_numbers, rows)
        return np.clip(found, 0, max(len(row_numbers) - 1, 0)).astype(np.int64)

    def _locate_problems(self) -> None:
        import numpy as np

        self._starts = np.searchsorted(self._problem_rows, self._rows, side="left")
        self._ends = np.searchsorted(self._problem_rows, self._rows, side="right")

    def _problems_of(self, row: int) -> range:
        return range(int(self._starts[row]), int(self._ends[row]))

    def _cell_problems(self, row: int, header: str) -> list[int]:
        return [position for position in self._problems_of(row)
                if self._problem_columns[position] == header]

    # -- Qt model API ------------------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() or self._result is None:
            return 0
        return self.FIRST_FILE_COLUMN + len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        if section == self.ROW:
            return self.tr("Row")
        if section == self.PROBLEMS:
            return self.tr("Problems")
        position = section - self.FIRST_FILE_COLUMN
        return self._headers[position] if 0 <= position < len(self._headers) else None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in _ROLES or not index.isValid() or index.row() >= len(self._rows):
            return None
        row, column = index.row(), index.column()
        if role == SpreadsheetRowRole:
            return int(self._rows[row])
        if column == self.ROW:
            if role == Qt.ItemDataRole.DisplayRole:
                return int(self._rows[row])
            return None
        if column == self.PROBLEMS:
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                if self._checking_rows and \
                        int(self._frame_positions[row]) in self._checking_rows:
                    return self.tr("Checking…") if role == Qt.ItemDataRole.DisplayRole else \
                        self.tr("This row is being checked again with your edit.")
                messages = [str(self._problem_messages[position])
                            for position in self._problems_of(row)]
                if not messages:
                    return self.tr("Fixed") if role == Qt.ItemDataRole.DisplayRole else \
                        self.tr("This row has no problem any more.")
                if role == Qt.ItemDataRole.DisplayRole:
                    return "; ".join(without_row_prefix(message) for message in messages)
                return "\n".join(messages)
            return None
        position = column - self.FIRST_FILE_COLUMN
        if not 0 <= position < len(self._headers):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._cell_text(int(self._frame_positions[row]), position)
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ToolTipRole,
                    Qt.ItemDataRole.ForegroundRole):
            found = self._cell_problems(row, self._headers[position])
            if not found:
                return None
            if role == Qt.ItemDataRole.ToolTipRole:
                return "\n".join(str(self._problem_messages[p]) for p in found)
            is_error = any(bool(self._problem_errors[p]) for p in found)
            # Tinted from the current palette, so light and dark modes both read well.
            background, text = cell_colours(
                BannerKind.ERROR if is_error else BannerKind.WARNING, QApplication.palette())
            return text if role == Qt.ItemDataRole.ForegroundRole else background
        return None

    def _cell_text(self, frame_row: int, position: int) -> str:
        """The cell as the user last wrote it: an edit still being checked shows at once."""
        if self._checking_rows and frame_row in self._checking_rows:
            key = (frame_row, self._headers[position])
            edited = self._queued.get(key, self._in_flight.get(key))
            if edited is not None:
                return edited
        return str(self._cells[position][frame_row])

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() >= self.FIRST_FILE_COLUMN:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Fix a cell: show it at once, then have the core re-check that row in the background.

        Returns True when the edit was taken (``resultChanged`` follows once it is checked).
        """
        if (role != Qt.ItemDataRole.EditRole or not index.isValid() or self._result is None
                or index.column() < self.FIRST_FILE_COLUMN):
            return False
        row, position = index.row(), index.column() - self.FIRST_FILE_COLUMN
        frame_row = int(self._frame_positions[row])
        text = "" if value is None else str(value)
        if self._cell_text(frame_row, position) == text:
            return False
        was_checking = self.is_checking
        self._queued[(frame_row, self._headers[position])] = text
        self._checking_rows.add(frame_row)
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))
        if not was_checking:
            self.checkingChanged.emit(True)
        self._start_recheck()
        return True

    # -- re-checking edits off the GUI thread ------------------------------------------------
    @property
    def is_checking(self) -> bool:
        """True while edits wait for, or are in, a re-check."""
        return self._recheck_task is not None or bool(self._queued)

    def hold_rechecks(self, held: bool) -> None:
        """While held, edits queue but no re-check starts (another task reads the table)."""
        self._held = held
        self._start_recheck()

    def settle_edits(self) -> None:
        """Wait for the running re-check, then write the queued edits into the table unchecked.

        For a check of the whole table (or leaving the page): the next result sees every edit.
        """
        held, self._held = self._held, True  # nothing new may start while waiting
        wait_for_task(self._recheck_task, cancel=False)
        self._held = held
        if self._result is not None and self._queued:
            frame = self._result.table.frame
            for key, text in self._queued.items():
                frame.at[key] = text
            self._cache_cells()
        self._queued.clear()
        self._forget_checking_rows()

    def _start_recheck(self) -> None:
        result = self._result
        if self._held or self._recheck_task is not None or not self._queued or result is None:
            return
        edits, self._queued = self._queued, {}
        self._in_flight = edits
        self._recheck_generation = self._generation

        def work(cancel: CancelToken, report: Callable[[Any], None]) -> Rechecked:
            return recheck_edits(result, edits)

        # Bound methods, not lambdas holding the model: no reference cycle through the task.
        task = BackgroundTask(work, self)
        task.succeeded.connect(self._on_rechecked)
        task.failed.connect(self._on_recheck_failed)
        task.finished.connect(self._on_recheck_finished)
        self._recheck_task = task
        task.start()

    def _on_rechecked(self, rechecked: Rechecked) -> None:
        if self._recheck_generation != self._generation or self._result is None:
            return  # a new check replaced the result meanwhile
        edited = self._in_flight
        self._in_flight = {}
        self._result = rechecked.result
        self._counts = rechecked.counts
        self._cache_cells()
        self._use_index(rechecked.index)
        self._locate_problems()
        self._forget_checking_rows()
        self._emit_rows_changed({row for row, _header in edited})
        self.resultChanged.emit(rechecked.result)

    def _on_recheck_failed(self, message: str) -> None:
        edited = self._in_flight
        self._in_flight = {}
        if self._recheck_generation != self._generation or self._result is None or not edited:
            return
        self._cache_cells()
        self._forget_checking_rows()
        frame_rows = {row for row, _header in edited}
        self._emit_rows_changed(frame_rows)
        numbers = self._result.table.row_numbers
        rows = ", ".join(str(int(numbers[row])) for row in sorted(frame_rows))
        self.editFailed.emit(self.tr("Row %1 could not be checked again: %2")
                             .replace("%1", rows).replace("%2", message))

    def _on_recheck_finished(self) -> None:
        if self._recheck_task is not None:
            self._recheck_task.deleteLater()
            self._recheck_task = None
        self._in_flight = {}
        self._start_recheck()
        if not self.is_checking:
            self.checkingChanged.emit(False)

    def _forget_checking_rows(self) -> None:
        self._checking_rows = {row for row, _header in self._queued} | \
            {row for row, _header in self._in_flight}

    def _emit_rows_changed(self, frame_rows: set[int]) -> None:
        """``dataChanged`` for the shown rows at these frame positions."""
        import numpy as np

        if self._result is None or not len(self._rows):
            return
        numbers = np.asarray(self._result.table.row_numbers, dtype=np.int64)
        last_column = self.columnCount() - 1
        for frame_row in frame_rows:
            found = int(np.searchsorted(self._rows, numbers[frame_row]))
            if found < len(self._rows) and int(self._rows[found]) == int(numbers[frame_row]):
                self.dataChanged.emit(self.index(found, 0), self.index(found, last_column))
