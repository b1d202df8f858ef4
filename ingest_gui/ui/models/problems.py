"""The Check page's table of rows with problems: a virtual model over the validation result.

Nothing is built per row: the model keeps numpy arrays (the spreadsheet rows to show, where each
one sits in the table's frame, and where its problems start and end in the problems frame, which
the core keeps ordered by row) and answers ``data()`` by indexing them, so a million problem rows
cost a few arrays and scroll like ten.

Editing a cell writes the table's frame and asks the core to re-check that one row
(``revalidate_rows``); the row stays in view (showing "Fixed" once it has no problem left) until
the filter changes, so the user sees the effect of the edit.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import QApplication

from ingest_gui.ui.widgets.common import BannerKind, cell_colours

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from ingest_gui.core.validation import ValidationResult

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


class ProblemRowsModel(QAbstractTableModel):
    """Rows with problems: "Row", "Problems", then every column of the file.

    Signals:
        resultChanged(object): an edit re-checked a row; the new ``ValidationResult``.
        editFailed(str): an edit could not be applied (a human sentence).
    """

    ROW, PROBLEMS = 0, 1
    FIRST_FILE_COLUMN = 2
    resultChanged = Signal(object)
    editFailed = Signal(str)

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

    def set_result(self, result: ValidationResult | None, kind: str | None = None) -> None:
        """Show ``result``'s problem rows, only those with a problem of ``kind`` if given."""
        self.beginResetModel()
        self._result = result
        self._kind = kind
        if result is None:
            self._headers = []
            self._clear()
        else:
            self._headers = result.table.headers
            self._cache_cells()
            self._index_problems(result.problems)
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

    def _index_problems(self, problems: pd.DataFrame) -> None:
        import numpy as np

        if len(problems) == 0:
            self._problem_rows = np.empty(0, dtype=np.int64)
            self._problem_columns = []
            self._problem_messages = []
            self._problem_errors = np.empty(0, dtype=bool)
            return
        rows = problems["row"].to_numpy(dtype=np.int64)
        if len(rows) > 1 and not bool(np.all(rows[1:] >= rows[:-1])):
            order = np.argsort(rows, kind="stable")
            problems = problems.iloc[order]
            rows = rows[order]
        self._problem_rows = rows
        self._problem_columns = problems["column"].array
        self._problem_messages = problems["message"].array
        self._problem_errors = (problems["severity"] == "error").to_numpy(dtype=bool)

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
            return str(self._cells[position][int(self._frame_positions[row])])
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

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() >= self.FIRST_FILE_COLUMN:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Fix a cell: write it into the table, then have the core re-check that row."""
        if (role != Qt.ItemDataRole.EditRole or not index.isValid() or self._result is None
                or index.column() < self.FIRST_FILE_COLUMN):
            return False
        from ingest_gui.core.validation import revalidate_rows

        row = index.row()
        header = self._headers[index.column() - self.FIRST_FILE_COLUMN]
        frame_row = int(self._frame_positions[row])
        frame = self._result.table.frame
        text = "" if value is None else str(value)
        if str(frame.at[frame_row, header]) == text:
            return False
        previous = str(frame.at[frame_row, header])
        frame.at[frame_row, header] = text
        try:
            result = revalidate_rows(self._result, [frame_row])
        except (ValueError, KeyError) as error:
            frame.at[frame_row, header] = previous
            self._cache_cells()
            self.editFailed.emit(self.tr("Row %1 could not be checked again: %2")
                                 .replace("%1", str(self._rows[row])).replace("%2", str(error)))
            return False
        self._result = result
        self._cache_cells()
        self._index_problems(result.problems)
        self._locate_problems()
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))
        self.resultChanged.emit(result)
        return True
