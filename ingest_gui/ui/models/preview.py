"""The File page's preview: the first rows of a loaded table, read-only."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

if TYPE_CHECKING:
    from ingest_gui.core.loading import LoadedTable

PREVIEW_ROWS = 50

_Index = QModelIndex | QPersistentModelIndex
#: The only roles answered; views ask for every role of every cell they paint.
_TEXT_ROLES = frozenset({Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole})


@dataclass(frozen=True, slots=True)
class Preview:
    """The cells a preview shows, copied out of the table (plain data: it can be made on the
    loading thread, which saves the GUI thread ~15 ms)."""

    headers: list[str]
    rows: list[list[str]]
    row_numbers: list[int]
    total_rows: int


def preview_of(table: LoadedTable, limit: int = PREVIEW_ROWS) -> Preview:
    head = table.frame.head(limit)
    return Preview(
        headers=table.headers,
        rows=[[str(cell) for cell in row] for row in head.itertuples(index=False)],
        row_numbers=[int(number) for number in table.row_numbers[: len(head)]],
        total_rows=len(table),
    )


class PreviewModel(QAbstractTableModel):
    """Shows up to :data:`PREVIEW_ROWS` rows; the vertical header is the spreadsheet row number.

    The cells are copied out of the DataFrame once, so ``data()`` is a plain list lookup.
    """

    def __init__(self, parent: QObject | None = None, *, limit: int = PREVIEW_ROWS) -> None:
        super().__init__(parent)
        self._limit = limit
        self._headers: list[str] = []
        self._rows: list[list[str]] = []
        self._row_numbers: list[int] = []
        self._total_rows = 0

    def set_table(self, table: LoadedTable | None) -> None:
        self.set_preview(None if table is None else preview_of(table, self._limit))

    def set_preview(self, preview: Preview | None) -> None:
        """Show ``preview`` (from :func:`preview_of`, at most ``limit`` of its rows)."""
        self.beginResetModel()
        if preview is None:
            self._headers, self._rows, self._row_numbers, self._total_rows = [], [], [], 0
        else:
            self._headers = preview.headers
            self._rows = preview.rows[: self._limit]
            self._row_numbers = preview.row_numbers[: self._limit]
            self._total_rows = preview.total_rows
        self.endResetModel()

    def column_texts(self, column: int) -> list[str]:
        """The cells of ``column`` as shown (for sizing the column without asking ``data()``)."""
        if not 0 <= column < len(self._headers):
            return []
        return [row[column] for row in self._rows]

    @property
    def total_rows(self) -> int:
        """Rows in the whole table (the preview shows at most ``limit``)."""
        return self._total_rows

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in _TEXT_ROLES or not index.isValid():
            return None
        row, column = index.row(), index.column()
        if not (0 <= row < len(self._rows) and 0 <= column < len(self._headers)):
            return None
        return self._rows[row][column]

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._headers[section] if 0 <= section < len(self._headers) else None
        if 0 <= section < len(self._row_numbers):
            return str(self._row_numbers[section])
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
