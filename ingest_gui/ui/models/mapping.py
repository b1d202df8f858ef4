"""The two models behind the column mapper: the file's columns and the datasource's targets.

Both are thin adapters over one :class:`~ingest_gui.core.mapping.Mapping`: a drop or an edit calls
``mapping.assign`` / ``mapping.unassign`` and then reports what changed. Because the two models
show the same mapping from both sides, each emits ``mappingChanged`` after changing it and the
page refreshes the other one.

Drag and drop uses two private MIME types carrying a JSON list of names:
``application/x-ingest-gui-column`` (column headers, dragged from the column list onto a target)
and ``application/x-ingest-gui-target`` (target keys, dragged off a target onto the column list to
unmap it, or onto another target to move the column there).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QApplication

from ingest_gui.api.specs import DataType
from ingest_gui.core.mapping import Mapping, Suggestion, Target
from ingest_gui.ui.i18n import arg

if TYPE_CHECKING:
    from ingest_gui.core.loading import LoadedTable

COLUMN_MIME = "application/x-ingest-gui-column"
TARGET_MIME = "application/x-ingest-gui-target"
#: How many example values the column list shows per column.
SAMPLE_COUNT = 3
#: Only the first rows are scanned for examples, so a million-row file costs nothing here.
SAMPLE_SCAN_ROWS = 500
#: Rows looked at first (for all columns at once); a column without enough examples there
#: scans up to :data:`SAMPLE_SCAN_ROWS`.
SAMPLE_QUICK_ROWS = 20

#: The header (or target key) of a row, whatever column the index is in.
NameRole = Qt.ItemDataRole.UserRole + 1
#: TargetTableModel: the offered :class:`Suggestion` for the row, or ``None``.
SuggestionRole = Qt.ItemDataRole.UserRole + 2
#: TargetTableModel: whether the target is required.
RequiredRole = Qt.ItemDataRole.UserRole + 3

AnyIndex = QModelIndex | QPersistentModelIndex

# Views ask data() for every role of every cell they paint or measure; the roles a model does
# not answer are turned away first, and flags are built once (PySide's enum operators are slow).
_Role = Qt.ItemDataRole
_COLUMN_ROLES = frozenset({NameRole, _Role.DisplayRole, _Role.ToolTipRole, _Role.ForegroundRole,
                           _Role.FontRole})
_TARGET_ROLES = frozenset({NameRole, SuggestionRole, RequiredRole, _Role.DisplayRole,
                           _Role.EditRole, _Role.ToolTipRole, _Role.FontRole,
                           _Role.ForegroundRole, _Role.AccessibleTextRole})
_SELECTABLE = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_COLUMN_FLAGS = _SELECTABLE | Qt.ItemFlag.ItemIsDragEnabled | Qt.ItemFlag.ItemIsDropEnabled


def encode_names(mime_type: str, names: Iterable[str]) -> QMimeData:
    data = QMimeData()
    data.setData(mime_type, QByteArray(json.dumps(list(names)).encode("utf-8")))
    return data


def decode_names(data: QMimeData, mime_type: str) -> list[str]:
    if not data.hasFormat(mime_type):
        return []
    try:
        names = json.loads(bytes(data.data(mime_type).data()).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return []
    if not isinstance(names, list):
        return []
    return [name for name in names if isinstance(name, str)]


def _first_distinct(values: Iterable[object], count: int) -> list[str]:
    samples: list[str] = []
    for value in values:
        text = str(value).strip()
        if text and text not in samples:
            samples.append(text)
            if len(samples) == count:
                break
    return samples


def sample_values(table: LoadedTable, column: str, count: int = SAMPLE_COUNT) -> list[str]:
    """The first few distinct non-empty cells of ``column`` (from the top of the file)."""
    return _first_distinct(table.frame[column].iloc[:SAMPLE_SCAN_ROWS].tolist(), count)


def column_samples(table: LoadedTable, count: int = SAMPLE_COUNT) -> list[list[str]]:
    """:func:`sample_values` of every column, in ``table.headers`` order.

    The top rows are sliced once for all columns and most columns find their examples there;
    only the sparse ones look further. Slicing each column to 500 rows cost ~1 ms a column.
    """
    frame = table.frame
    top = frame.iloc[:SAMPLE_QUICK_ROWS]
    samples = []
    for header in table.headers:
        found = _first_distinct(top[header].tolist(), count)
        if len(found) < count and len(frame) > SAMPLE_QUICK_ROWS:
            found = sample_values(table, header, count)
        samples.append(found)
    return samples


def _dimmed() -> Any:
    return QApplication.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)


class ColumnListModel(QAbstractTableModel):
    """The file's columns: name, a few sample values, and the targets each one feeds.

    Signals:
        mappingChanged(): a drop here changed the mapping (targets were unmapped).
    """

    NAME, SAMPLES, MAPPED_TO = range(3)
    mappingChanged = Signal()

    def __init__(self, table: LoadedTable, mapping: Mapping, targets: Sequence[Target],
                 parent: Any = None) -> None:
        super().__init__(parent)
        self._headers = table.headers
        self._samples = column_samples(table)
        self._mapping = mapping
        self._labels = self._labels_of(targets)

    def _labels_of(self, targets: Sequence[Target]) -> dict[str, str]:
        return {target.key: arg(self.tr("Contact: %1"), target.label)
                if target.group == "user_data" else target.label for target in targets}

    # -- the core objects --------------------------------------------------------------------
    @property
    def headers(self) -> list[str]:
        return list(self._headers)

    def set_mapping(self, mapping: Mapping, targets: Sequence[Target]) -> None:
        self.beginResetModel()
        self._mapping = mapping
        self._labels = self._labels_of(targets)
        self.endResetModel()

    def refresh(self) -> None:
        """The mapping changed elsewhere: repaint the "maps to" column."""
        if self._headers:
            self.dataChanged.emit(self.index(0, self.MAPPED_TO),
                                  self.index(len(self._headers) - 1, self.MAPPED_TO))

    def column_at(self, row: int) -> str:
        return self._headers[row]

    def row_of(self, column: str) -> int:
        return self._headers.index(column)

    # -- Qt model API ------------------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 3

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (self.tr("Column in your file"), self.tr("Examples"),
                    self.tr("Goes to"))[section] if 0 <= section < 3 else None
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in _COLUMN_ROLES or not index.isValid() or index.row() >= len(self._headers):
            return None
        header = self._headers[index.row()]
        column = index.column()
        if role == NameRole:
            return header
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.NAME:
                return header
            if column == self.SAMPLES:
                return ", ".join(self._samples[index.row()])
            if column == self.MAPPED_TO:
                return ", ".join(self._target_labels(header))
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            samples = self._samples[index.row()]
            lines = [arg(self.tr("Column \"%1\""), header)]
            if samples:
                lines.append(arg(self.tr("Examples: %1"), ", ".join(samples)))
            else:
                lines.append(self.tr("The first rows of this column are empty."))
            labels = self._target_labels(header)
            lines.append(arg(self.tr("Goes to: %1"), ", ".join(labels)) if labels
                         else self.tr("Not imported. Drag it onto a target on the right."))
            return "\n".join(lines)
        if role == Qt.ItemDataRole.ForegroundRole and column == self.SAMPLES:
            return _dimmed()
        if role == Qt.ItemDataRole.FontRole and column == self.NAME and \
                self._mapping.targets_of(header):
            font = QFont()
            font.setBold(True)
            return font
        return None

    def _target_labels(self, header: str) -> list[str]:
        return [self._labels.get(key, key) for key in self._mapping.targets_of(header)]

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            # Dropping a target anywhere on the list (not only on a row) unmaps it.
            return Qt.ItemFlag.ItemIsDropEnabled
        return _COLUMN_FLAGS

    # -- drag and drop -----------------------------------------------------------------------
    def mimeTypes(self) -> list[str]:
        return [COLUMN_MIME, TARGET_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        names: list[str] = []
        for index in indexes:
            header = self._headers[index.row()]
            if index.isValid() and header not in names:
                names.append(header)
        return encode_names(COLUMN_MIME, names)

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction | Qt.DropAction.MoveAction

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                        parent: AnyIndex) -> bool:
        return data.hasFormat(TARGET_MIME)

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                     parent: AnyIndex) -> bool:
        """A target dragged back onto the column list: unmap it."""
        if action == Qt.DropAction.IgnoreAction:
            return True
        keys = [key for key in decode_names(data, TARGET_MIME) if key in self._mapping.assignments]
        if not keys:
            return False
        for key in keys:
            self._mapping.unassign(key)
        self.refresh()
        self.mappingChanged.emit()
        return True


class TargetTableModel(QAbstractTableModel):
    """The datasource's targets: label (required ones marked), type, and the column feeding it.

    The "File column" cell is editable (a chooser of the file's columns), which is the
    keyboard-only way to map. Offered suggestions show in that cell in italics until accepted.

    Signals:
        mappingChanged(): a drop or an edit here changed the mapping.
    """

    TARGET, TYPE, COLUMN, SUGGESTION = range(4)
    mappingChanged = Signal()

    def __init__(self, mapping: Mapping, targets: Sequence[Target], headers: Sequence[str],
                 parent: Any = None) -> None:
        super().__init__(parent)
        self._mapping = mapping
        self._targets = list(targets)
        self._headers = list(headers)
        self._suggestions: dict[str, Suggestion] = {}
        self._type_texts: dict[tuple[str, int], str] = {}

    # -- the core objects --------------------------------------------------------------------
    @property
    def targets(self) -> list[Target]:
        return list(self._targets)

    @property
    def headers(self) -> list[str]:
        return list(self._headers)

    @property
    def suggestions(self) -> dict[str, Suggestion]:
        return dict(self._suggestions)

    def set_mapping(self, mapping: Mapping, targets: Sequence[Target]) -> None:
        self.beginResetModel()
        self._mapping = mapping
        self._targets = list(targets)
        self._suggestions = {}
        self.endResetModel()

    def set_suggestions(self, suggestions: Iterable[Suggestion]) -> None:
        """Offer these (not yet applied) suggestions; ones for mapped targets are ignored."""
        keys = {target.key for target in self._targets}
        self._suggestions = {
            suggestion.target: suggestion for suggestion in suggestions
            if suggestion.target in keys and suggestion.target not in self._mapping.assignments
            and suggestion.column in self._headers
        }
        self.refresh()

    def refresh(self) -> None:
        # Suggestions for targets mapped meanwhile (by any route) are settled.
        for key in [key for key in self._suggestions if key in self._mapping.assignments]:
            del self._suggestions[key]
        if self._targets:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._targets) - 1, self.SUGGESTION))

    def target_at(self, row: int) -> Target:
        return self._targets[row]

    def row_of(self, key: str) -> int:
        return next(row for row, target in enumerate(self._targets) if target.key == key)

    def assign(self, column: str, key: str) -> None:
        self._mapping.assign(column, key)
        self._changed([self.row_of(key)])

    def unassign(self, key: str) -> None:
        if key in self._mapping.assignments:
            self._mapping.unassign(key)
            self._changed([self.row_of(key)])

    def accept_suggestion(self, row: int) -> bool:
        suggestion = self._suggestions.get(self._targets[row].key)
        if suggestion is None:
            return False
        self.assign(suggestion.column, suggestion.target)
        return True

    def accept_all_suggestions(self) -> int:
        accepted = list(self._suggestions.values())
        for suggestion in accepted:
            self._mapping.assign(suggestion.column, suggestion.target)
        if accepted:
            self._changed([self.row_of(suggestion.target) for suggestion in accepted])
        return len(accepted)

    def _changed(self, rows: Sequence[int]) -> None:
        for row in rows:
            self._suggestions.pop(self._targets[row].key, None)
            self.dataChanged.emit(self.index(row, 0), self.index(row, self.SUGGESTION))
        self.mappingChanged.emit()

    # -- Qt model API ------------------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._targets)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 4

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            # Short titles: at the minimum window size this table gets half the width.
            titles = (self.tr("Field"), self.tr("Type"), self.tr("From column"),
                      self.tr("Suggestion"))
            return titles[section] if 0 <= section < len(titles) else None
        return None

    def label_of(self, target: Target) -> str:
        """Events with contact data list contact fields next to event fields with the same
        names ("Email"), so those say which they are."""
        if target.group == "user_data":
            return arg(self.tr("Contact: %1"), target.label)
        return target.label

    def type_text(self, target: Target) -> str:
        key = (target.data_type, target.multivalue)
        text = self._type_texts.get(key)
        if text is None:  # asked for each painted cell: translated once per type
            text = self._type_texts[key] = self._describe_type(target)
        return text

    def _describe_type(self, target: Target) -> str:
        names = {
            DataType.TEXT: self.tr("Text"), DataType.STRING: self.tr("Text"),
            DataType.PAYLOAD: self.tr("Text"), DataType.NUMBER: self.tr("Number"),
            DataType.INTEGER: self.tr("Whole number"), DataType.DECIMAL: self.tr("Decimal number"),
            DataType.BOOL: self.tr("Yes/No"), DataType.DATE: self.tr("Date"),
            DataType.DATETIME: self.tr("Date and time"), DataType.EMAIL: self.tr("Email"),
            DataType.PHONE: self.tr("Phone"),
        }
        name = names[DataType.of(target.data_type)]
        if target.multivalue > 1:
            if target.multivalue >= 10**6:
                return arg(self.tr("List of %1"), name.lower())
            return arg(self.tr("List of up to %1 (%2)"), target.multivalue, name.lower())
        return name

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in _TARGET_ROLES or not index.isValid() or index.row() >= len(self._targets):
            return None
        target = self._targets[index.row()]
        column = index.column()
        mapped = self._mapping.assignments.get(target.key)
        suggestion = self._suggestions.get(target.key)
        if role == NameRole:
            return target.key
        if role == SuggestionRole:
            return suggestion
        if role == RequiredRole:
            return target.required
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.TARGET:
                label = self.label_of(target)
                return f"{label} *" if target.required else label
            if column == self.TYPE:
                return self.type_text(target)
            if column == self.COLUMN:
                if mapped is not None:
                    return mapped
                if suggestion is not None:
                    return arg(self.tr("%1 (suggested)"), suggestion.column)
                return ""
            if column == self.SUGGESTION:
                return self.tr("Accept") if suggestion is not None and mapped is None else ""
            return None
        if role == Qt.ItemDataRole.EditRole and column == self.COLUMN:
            return mapped or ""
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(target, mapped, suggestion, column)
        if role == Qt.ItemDataRole.FontRole:
            if column == self.TARGET and target.required:
                font = QFont()
                font.setBold(True)
                return font
            if column in (self.COLUMN, self.SUGGESTION) and mapped is None and suggestion:
                font = QFont()
                font.setItalic(True)
                font.setUnderline(column == self.SUGGESTION)
                return font
            return None
        if role == Qt.ItemDataRole.ForegroundRole and column == self.COLUMN and mapped is None:
            if suggestion is not None:
                return QApplication.palette().color(QPalette.ColorRole.Link)
            return _dimmed()
        if role == Qt.ItemDataRole.ForegroundRole and column == self.SUGGESTION:
            return QApplication.palette().color(QPalette.ColorRole.Link)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            parts = [self.label_of(target), self.type_text(target)]
            if target.required:
                parts.append(self.tr("required"))
            parts.append(arg(self.tr("from column %1"), mapped) if mapped
                         else self.tr("not mapped"))
            return ", ".join(parts)
        return None

    def _tooltip(self, target: Target, mapped: str | None, suggestion: Suggestion | None,
                 column: int) -> str:
        if column in (self.COLUMN, self.SUGGESTION) and mapped is None and suggestion is not None:
            return arg(self.tr("Suggested: column \"%1\" (%2). Click Accept to use it."),
                       suggestion.column, suggestion.reason)
        lines = [self.label_of(target)]
        if target.description:
            lines.append(target.description)
        if mapped:
            lines.append(arg(self.tr("From column \"%1\""), mapped))
        lines.append(arg(self.tr("Type: %1"), self.type_text(target)))
        if target.max_length:
            lines.append(self.tr("At most %Ln character(s).", "", target.max_length))
        if target.required:
            lines.append(self.tr("Required: every row needs a value."))
        lines.append(arg(self.tr("Field: %1"), target.key))
        if column == self.COLUMN:
            lines.append(self.tr("Drop a column here, or press F2 to choose one."))
        return "\n".join(lines)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        target = self._targets[index.row()]
        flags = _SELECTABLE
        if target.read_only:
            return flags
        flags |= Qt.ItemFlag.ItemIsDropEnabled
        if target.key in self._mapping.assignments:
            flags |= Qt.ItemFlag.ItemIsDragEnabled
        if index.column() == self.COLUMN:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """The per-target chooser: a header maps it, ``""`` unmaps it."""
        if not index.isValid() or index.column() != self.COLUMN \
                or role != Qt.ItemDataRole.EditRole:
            return False
        target = self._targets[index.row()]
        column = str(value or "")
        if target.read_only or (column and column not in self._headers):
            return False
        if not column:
            if target.key not in self._mapping.assignments:
                return False
            self.unassign(target.key)
            return True
        if self._mapping.assignments.get(target.key) == column:
            return False
        self.assign(column, target.key)
        return True

    # -- drag and drop -----------------------------------------------------------------------
    def mimeTypes(self) -> list[str]:
        return [COLUMN_MIME, TARGET_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        keys: list[str] = []
        for index in indexes:
            key = self._targets[index.row()].key
            if index.isValid() and key in self._mapping.assignments and key not in keys:
                keys.append(key)
        return encode_names(TARGET_MIME, keys)

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction | Qt.DropAction.MoveAction

    def _drop_row(self, row: int, parent: AnyIndex) -> int | None:
        # Dropped onto an item: Qt passes that item as parent and row -1.
        if parent.isValid() and 0 <= parent.row() < len(self._targets):
            return parent.row()
        return None

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                        parent: AnyIndex) -> bool:
        target_row = self._drop_row(row, parent)
        if target_row is None or self._targets[target_row].read_only:
            return False
        return data.hasFormat(COLUMN_MIME) or data.hasFormat(TARGET_MIME)

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                     parent: AnyIndex) -> bool:
        """A column dropped on a target maps it; a target dropped on another moves its column."""
        if action == Qt.DropAction.IgnoreAction:
            return True
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        target_row = self._drop_row(row, parent)
        assert target_row is not None  # canDropMimeData checked it
        key = self._targets[target_row].key
        columns = [name for name in decode_names(data, COLUMN_MIME) if name in self._headers]
        if columns:
            self.assign(columns[0], key)
            return True
        sources = [source for source in decode_names(data, TARGET_MIME)
                   if source in self._mapping.assignments and source != key]
        if not sources:
            return False
        moved = self._mapping.assignments[sources[0]]
        self._mapping.unassign(sources[0])
        self._mapping.assign(moved, key)
        self._changed([self.row_of(sources[0]), target_row])
        return True
