"""Page 4, Map columns: which column of the file fills which field of the datasource.

The file's columns are on the left (with examples), the datasource's targets on the right. A
column is mapped by dragging it onto a target, by choosing it in the target's "Column in your
file" cell (F2 / double-click: the keyboard way), or from the column's "Goes to" chooser
(which can also send a column to more fields). Auto-map asks the core for suggestions off the GUI
thread, applies the confident ones and shows the rest in italics to accept with one click. A saved
template for the same headers is offered on arrival; else a file recognised as a known export
(a Shopify customers export) arrives with that source's proposal, made the same way.

Laid out for the smallest window (960×640): compact rows, the options panel only while a column is
selected, long names elided in the middle (whole in the tooltips).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QItemSelection, QModelIndex, QObject, Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from ingest_gui.api.specs import DataType
from ingest_gui.core.mapping import (
    ImportKind,
    Mapping,
    Suggestion,
    Target,
    TemplateMatch,
    auto_map,
    find_template,
    load_template,
    suggest,
    targets_for,
    templates_dir,
)
from ingest_gui.core.oserrors import describe_failure
from ingest_gui.core.sources import SourceMatch, propose_sheet, recognise_source
from ingest_gui.ui.i18n import arg
from ingest_gui.ui.models.mapping import ColumnListModel, TargetTableModel
from ingest_gui.ui.session import WizardSession
from ingest_gui.ui.tasks import PageTask
from ingest_gui.ui.widgets.column_options import (
    ColumnChooserDelegate,
    ColumnOptionsEditor,
    build_option_lists,
    option_lists_built,
)
from ingest_gui.ui.widgets.common import (
    AlertLabel,
    Banner,
    BannerKind,
    heading,
)
from ingest_gui.ui.widgets.dialogs import OpenFileDialog
from ingest_gui.ui.widgets.page_helpers import secondary_label
from ingest_gui.ui.widgets.templates import ask_and_save_template

if TYPE_CHECKING:
    from ingest_gui.core.loading import LoadedTable


class _DeleteKeyFilter(QObject):
    """Delete / Backspace on a view runs ``action`` (works without an active window, unlike a
    shortcut, and whichever cell has focus)."""

    def __init__(self, action: Callable[[], None], parent: QObject) -> None:
        super().__init__(parent)
        self._action = action

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and \
                event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self._action()
            return True
        return False


def _compact(view: QTableView) -> None:
    """Rows one line of text high (the style's default is taller): more of them fit."""
    height = view.fontMetrics().height() + 8
    view.verticalHeader().setMinimumSectionSize(height)
    view.verticalHeader().setDefaultSectionSize(height)


class MappingPage(QWizardPage):
    def __init__(self, session: WizardSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setTitle(self.tr("Map columns"))
        self.setSubTitle(self.tr(
            "Drag each column of your file onto the Instasent field it fills. "
            "Fields marked * are required."))
        self._table: LoadedTable | None = None
        self._mapping = Mapping(ImportKind.CONTACTS)
        self._targets: list[Target] = []
        self._empty_counts: dict[str, int] = {}
        self._offered_template: TemplateMatch | None = None
        self._dismissed_template: Path | None = None
        self._source: SourceMatch | None = None
        #: The (table, mapping) the source's proposal was made for: made once, on arrival.
        self._proposed_for: tuple[LoadedTable, Mapping] | None = None
        #: Another sheet of the workbook that fits the import better than the one read.
        self._better_sheet: str | None = None
        self.column_model: ColumnListModel | None = None
        self.target_model: TargetTableModel | None = None
        self.option_lists = PageTask(self)
        # A file was chosen: list the countries and time zones meanwhile, not while this page
        # opens (that thread would compete with painting it).
        session.changed.connect(self._build_option_lists)

        self.auto_map_button = QPushButton(self.tr("Auto-map"), self)
        self.auto_map_button.setToolTip(self.tr(
            "Match columns to fields by their names and values. Sure matches are applied; "
            "the others are shown in italics for you to accept."))
        self.accept_all_button = QPushButton(self.tr("Accept all suggestions"), self)
        self.clear_button = QPushButton(self.tr("Clear mapping"), self)
        self.load_template_button = QPushButton(self.tr("Load template…"), self)
        self.save_template_button = QPushButton(self.tr("Save as template…"), self)
        self.auto_map_button.clicked.connect(self.auto_map)
        self.suggesting = PageTask(self, disables=(self.auto_map_button,))
        self.accept_all_button.clicked.connect(self.accept_all_suggestions)
        self.clear_button.clicked.connect(self.clear_mapping)
        self.load_template_button.clicked.connect(self.load_template_from_file)
        self.save_template_button.clicked.connect(self.save_template_to_file)
        buttons = QHBoxLayout()
        for button in (self.auto_map_button, self.accept_all_button, self.clear_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.load_template_button)
        buttons.addWidget(self.save_template_button)

        self.template_banner = Banner(BannerKind.INFO, self)
        self.use_template_button = self.template_banner.add_button(self.tr("Use this template"))
        self.dismiss_template_button = self.template_banner.add_button(self.tr("Not now"))
        self.template_banner.finish_buttons()
        self.use_template_button.clicked.connect(self.use_offered_template)
        self.dismiss_template_button.clicked.connect(self._dismiss_template)
        self.template_banner.setVisible(False)

        self.message_banner = Banner(BannerKind.INFO, self)
        self.show_suggestions_button = self.message_banner.add_button(
            self.tr("Show the suggestions"))
        self.message_banner.finish_buttons()
        self.show_suggestions_button.clicked.connect(self.show_first_suggestion)
        self.show_suggestions_button.setVisible(False)
        self.message_banner.setVisible(False)

        self.columns_view = QTableView(self)
        self.columns_view.setAccessibleName(self.tr("Columns in your file"))
        self.columns_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.columns_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.columns_view.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.columns_view.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.columns_view.setDragEnabled(True)
        self.columns_view.setAcceptDrops(True)
        self.columns_view.setDropIndicatorShown(True)
        self.columns_view.verticalHeader().setVisible(False)
        self.columns_view.setWordWrap(False)
        _compact(self.columns_view)
        # Examples read best cut at the end; a long column name is whole in its tooltip.
        self.columns_view.setTextElideMode(Qt.TextElideMode.ElideRight)

        # Made before the fields table so Tab reads the left pane first: the columns, then
        # the selected column's options, then the fields on the right.
        self.options_editor = ColumnOptionsEditor(self)
        self.options_editor.optionsChanged.connect(self._on_options_changed)
        self.options_editor.targetChosen.connect(self._on_target_chosen_for_column)
        self.options_editor.targetAdded.connect(self._on_target_added_for_column)
        self.options_editor.targetRemoved.connect(self._on_target_removed_for_column)
        self.column_hint = secondary_label(self.tr("Select a column to see its options."))

        self.targets_view = QTableView(self)
        self.targets_view.setAccessibleName(self.tr("Instasent fields"))
        self.targets_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.targets_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.targets_view.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.targets_view.setDragDropOverwriteMode(True)
        self.targets_view.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.targets_view.setDragEnabled(True)
        self.targets_view.setAcceptDrops(True)
        self.targets_view.setDropIndicatorShown(True)
        self.targets_view.verticalHeader().setVisible(False)
        self.targets_view.setWordWrap(False)
        _compact(self.targets_view)
        # "Default Address Ph…" hid which phone; the middle of a long name matters least.
        self.targets_view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.targets_view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked)
        self.targets_view.clicked.connect(self._on_target_clicked)
        self.targets_view.activated.connect(self._on_target_clicked)

        self.remove_action = QAction(self.tr("Remove mapping"), self)
        self.remove_action.setShortcut(QKeySequence(Qt.Key.Key_Delete))
        self.remove_action.setShortcutVisibleInContextMenu(True)
        self.remove_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.targets_view.installEventFilter(
            _DeleteKeyFilter(self.remove_selected_target_mapping, self.targets_view))
        self.remove_action.triggered.connect(self.remove_selected_target_mapping)
        self.targets_view.addAction(self.remove_action)
        self.targets_view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.unmap_column_action = QAction(self.tr("Stop importing this column"), self)
        self.unmap_column_action.setShortcut(QKeySequence(Qt.Key.Key_Delete))
        self.unmap_column_action.setShortcutVisibleInContextMenu(True)
        self.unmap_column_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.columns_view.installEventFilter(
            _DeleteKeyFilter(self.unmap_selected_column, self.columns_view))
        self.unmap_column_action.triggered.connect(self.unmap_selected_column)
        self.columns_view.addAction(self.unmap_column_action)
        self.columns_view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

        self.missing_label = AlertLabel(self)
        # An e-mail as User ID, lower-cased like the e-mail: said here, changed in the options.
        self.user_id_note = secondary_label()
        self.user_id_note.setVisible(False)

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(heading(self.tr("Columns in your file"), left))
        left_layout.addWidget(self.columns_view, 1)
        left_layout.addWidget(self.column_hint)
        left_layout.addWidget(self.options_editor)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(heading(self.tr("Instasent fields"), right))
        right_layout.addWidget(self.targets_view)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(right)
        # The fields table has more to show (type, suggestion): it gets the larger share.
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 5)
        splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.template_banner)
        layout.addWidget(self.message_banner)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.user_id_note)
        layout.addWidget(self.missing_label)

    # -- wizard hooks ----------------------------------------------------------------------
    def initializePage(self) -> None:
        data = self.session.data
        table, specs = data.table, data.specs
        if table is None or specs is None:
            self.missing_label.setText(self.tr("Open a file first."))
            return
        mapping = data.mapping if data.mapping is not None else Mapping(ImportKind.CONTACTS)
        data.mapping = mapping
        targets = targets_for(mapping.kind, specs, event_type=mapping.event_type,
                              with_user_data=mapping.with_user_data)
        self._forget_stale_assignments(mapping, targets, table.headers)
        self._build_option_lists()  # if nothing started it yet
        self.options_editor.set_defaults(specs.default_country, specs.timezone)
        self.options_editor.set_targets(targets)
        if table is not self._table or self.column_model is None or self.target_model is None:
            self._table = table
            self._empty_counts = {}
            self._dismissed_template = None
            self._source = recognise_source(table.headers, file_name=table.path.name)
            self._build_models(table, mapping, targets)
        else:
            self.column_model.set_mapping(mapping, targets)
            self.target_model.set_mapping(mapping, targets)
        self._mapping = mapping
        self._targets = targets
        proposal = propose_sheet(data.sheet_headers, mapping.kind.value) \
            if len(data.sheet_headers) > 1 else None
        self._better_sheet = proposal.sheet if proposal is not None \
            and proposal.sheet != table.sheet else None
        self.message_banner.setVisible(False)
        self._offer_template(table.headers)
        self._after_mapping_changed()
        self._start_from_source_proposal(table, mapping)

    def _start_from_source_proposal(self, table: LoadedTable, mapping: Mapping) -> None:
        """A recognised export arrives with its source's proposal (what Auto-map does), once
        per file and import kind, unless the user has a mapping or a template is offered."""
        if self._source is None or mapping.assignments or self._offered_template is not None:
            return
        if self._proposed_for is not None and self._proposed_for[0] is table \
                and self._proposed_for[1] is mapping:
            return
        self._proposed_for = (table, mapping)
        self.auto_map()

    @property
    def source(self) -> SourceMatch | None:
        """What the file was recognised as (``None``: no known export)."""
        return self._source

    def _build_option_lists(self) -> None:
        if not option_lists_built() and not self.option_lists.is_running():
            self.option_lists.start(lambda cancel, report: build_option_lists())

    def cleanupPage(self) -> None:
        self.suggesting.stop()

    def isComplete(self) -> bool:
        return self._table is not None and not self.blocking_reasons()

    def validatePage(self) -> bool:
        if not self.isComplete():
            return False
        self.session.data.mapping = self._mapping
        # Any earlier check or plan was for another mapping.
        self.session.forget_results()
        return True

    # -- state -----------------------------------------------------------------------------
    @property
    def mapping(self) -> Mapping:
        return self._mapping

    @property
    def targets(self) -> list[Target]:
        return list(self._targets)

    def blocking_reasons(self) -> list[str]:
        """The sentences explaining why Next is disabled (empty: it is enabled)."""
        if not self._mapping.assignments:
            return [self.tr("Map at least one column to continue.")]
        missing = self._mapping.missing_required(self._targets)
        if missing:
            reasons = [arg(self.tr("Required fields still without a column: %1."),
                           ", ".join(target.label for target in missing))]
            if self._better_sheet is not None:
                # A workbook read on the wrong sheet lacks the columns: say where they are.
                reasons.append(arg(self.tr(
                    "The sheet “%1” of the workbook seems to fit this import better: go Back "
                    "to use it."), self._better_sheet))
            return reasons
        return []

    def _forget_stale_assignments(self, mapping: Mapping, targets: list[Target],
                                  headers: list[str]) -> None:
        """Going back and changing the file or the import kind leaves assignments that no
        longer make sense; drop them (the user sees the result right away)."""
        keys = {target.key for target in targets}
        for key, column in list(mapping.assignments.items()):
            if key not in keys or column not in headers:
                mapping.unassign(key)
        for column in [column for column in mapping.options if column not in headers]:
            del mapping.options[column]

    def _build_models(self, table: LoadedTable, mapping: Mapping, targets: list[Target]) -> None:
        old_models = (self.column_model, self.target_model)
        self.column_model = ColumnListModel(table, mapping, targets, self)
        self.target_model = TargetTableModel(mapping, targets, table.headers, self)
        self.column_model.mappingChanged.connect(self._on_columns_changed_mapping)
        self.target_model.mappingChanged.connect(self._on_targets_changed_mapping)
        self.columns_view.setModel(self.column_model)
        self.targets_view.setModel(self.target_model)
        self.targets_view.setItemDelegateForColumn(
            TargetTableModel.COLUMN, ColumnChooserDelegate(table.headers, self.targets_view))
        self.columns_view.selectionModel().selectionChanged.connect(self._on_column_selected)
        for model in old_models:
            if model is not None:
                model.deleteLater()
        # Fitted to their contents by _fit_columns after each change, not ResizeToContents:
        # that re-measures every cell on every repaint and change (~100 ms to open the page).
        header = self.columns_view.horizontalHeader()
        header.setSectionResizeMode(ColumnListModel.NAME, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(ColumnListModel.SAMPLES, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(ColumnListModel.MAPPED_TO, QHeaderView.ResizeMode.Fixed)
        header = self.targets_view.horizontalHeader()
        header.setSectionResizeMode(TargetTableModel.TARGET, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(TargetTableModel.TYPE, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(TargetTableModel.COLUMN, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(TargetTableModel.SUGGESTION, QHeaderView.ResizeMode.Fixed)
        self.options_editor.show_column(None, self._mapping.options_for(""), [], 0)

    def _fit_columns(self) -> None:
        """Size the columns whose contents change with the mapping (names turn bold, "Goes
        to" and "Suggestion" fill in); the Examples and From column ones share the rest."""
        for view, columns in (
            (self.columns_view, (ColumnListModel.NAME, ColumnListModel.MAPPED_TO)),
            (self.targets_view, (TargetTableModel.TARGET, TargetTableModel.TYPE,
                                 TargetTableModel.SUGGESTION)),
        ):
            if view.model() is not None:
                # No column wider than 40% of the view: a long name must not push the others
                # out (it is elided, and whole in the tooltip).
                widest = max(80, view.viewport().width() * 2 // 5)
                for column in columns:
                    view.resizeColumnToContents(column)
                    if view.columnWidth(column) > widest:
                        view.setColumnWidth(column, widest)

    def _after_mapping_changed(self) -> None:
        if self.column_model is not None:
            self.column_model.refresh()
        if self.target_model is not None:
            self.target_model.refresh()
            self.accept_all_button.setEnabled(bool(self.target_model.suggestions))
            if not self.target_model.suggestions:
                self.show_suggestions_button.setVisible(False)
        self._fit_columns()
        self._show_selected_column_options()
        self._show_user_id_note()
        reasons = self.blocking_reasons()
        self.missing_label.setText(" ".join(reasons))
        self.missing_label.setVisible(bool(reasons))
        self.save_template_button.setEnabled(bool(self._mapping.assignments))
        self.completeChanged.emit()

    def _show_user_id_note(self) -> None:
        """Say that an e-mail column used as User ID is sent as the e-mail is: trimmed and in
        lower case (else the same person could be imported twice)."""
        column = self._mapping.assignments.get("_user_id")
        email_keys = {target.key for target in self._targets if target.data_type == DataType.EMAIL}
        is_email = column is not None and any(
            self._mapping.assignments.get(key) == column for key in email_keys)
        if not is_email or column is None:
            self.user_id_note.setVisible(False)
            return
        if self._mapping.options_for(column).lowercase_email:
            text = arg(self.tr(
                "“%1” is also the User ID: like the e-mail, it is sent trimmed and in lower case, "
                "so the same person is not imported twice. To keep it exactly as written, "
                "select the column."), column)
        else:
            text = arg(self.tr("“%1” is sent as the User ID exactly as written."), column)
        self.user_id_note.setText(text)
        self.user_id_note.setVisible(True)

    def _on_columns_changed_mapping(self) -> None:
        self._after_mapping_changed()

    def _on_targets_changed_mapping(self) -> None:
        self._after_mapping_changed()

    # -- column selection and options ------------------------------------------------------
    def selected_column(self) -> str | None:
        if self.column_model is None:
            return None
        rows = self.columns_view.selectionModel().selectedRows()
        return self.column_model.column_at(rows[0].row()) if rows else None

    def select_column(self, column: str) -> None:
        assert self.column_model is not None
        self.columns_view.selectRow(self.column_model.row_of(column))

    def empty_cell_count(self, column: str) -> int:
        if column not in self._empty_counts and self._table is not None:
            self._empty_counts[column] = int(self._table.frame[column].eq("").sum())
        return self._empty_counts.get(column, 0)

    def _on_column_selected(self, selected: QItemSelection, deselected: QItemSelection) -> None:
        self._show_selected_column_options()

    def _show_selected_column_options(self) -> None:
        column = self.selected_column()
        self.column_hint.setVisible(column is None)
        if column is None:
            self.options_editor.show_column(None, self._mapping.options_for(""), [], 0)
            return
        keys = set(self._mapping.targets_of(column))
        feeds = [target for target in self._targets if target.key in keys]
        self.options_editor.show_column(column, self._mapping.options_for(column), feeds,
                                        self.empty_cell_count(column))
        # The panel takes room from the list: keep the selected column in sight.
        rows = self.columns_view.selectionModel().selectedRows()
        if rows:
            self.columns_view.scrollTo(rows[0])

    def _on_options_changed(self, column: str, options: Any) -> None:
        self._mapping.options[column] = options
        self._show_user_id_note()

    def _feeds_of(self, column: str) -> list[str]:
        """The targets ``column`` feeds, in the fields table's order (the editor's first one
        is the first of these)."""
        keys = set(self._mapping.targets_of(column))
        return [target.key for target in self._targets if target.key in keys]

    def _on_target_chosen_for_column(self, column: str, key: str) -> None:
        """The "Goes to" chooser: ``key`` replaces the column's first target (its other
        targets stay); "" stops importing the column."""
        assert self.target_model is not None
        feeds = self._feeds_of(column)
        if not key:
            for current in feeds:
                self.target_model.unassign(current)
        elif key not in feeds:
            if feeds:
                self.target_model.unassign(feeds[0])
            self.target_model.assign(column, key)
        self._after_mapping_changed()

    def _on_target_added_for_column(self, column: str, key: str) -> None:
        """The column feeds ``key`` as well (a target fed by another column moves here)."""
        assert self.target_model is not None
        if self._mapping.assignments.get(key) != column:
            self.target_model.assign(column, key)
        self._after_mapping_changed()

    def _on_target_removed_for_column(self, column: str, key: str) -> None:
        assert self.target_model is not None
        if self._mapping.assignments.get(key) == column:
            self.target_model.unassign(key)
        self._after_mapping_changed()

    # -- mapping actions -------------------------------------------------------------------
    def _on_target_clicked(self, index: QModelIndex) -> None:
        if index.column() == TargetTableModel.SUGGESTION and self.target_model is not None:
            self.target_model.accept_suggestion(index.row())

    def remove_selected_target_mapping(self) -> None:
        if self.target_model is None:
            return
        for index in self.targets_view.selectionModel().selectedRows():
            self.target_model.unassign(self.target_model.target_at(index.row()).key)

    def unmap_selected_column(self) -> None:
        column = self.selected_column()
        if column is not None:
            self._on_target_chosen_for_column(column, "")

    def accept_all_suggestions(self) -> None:
        if self.target_model is not None:
            self.target_model.accept_all_suggestions()
            self._after_mapping_changed()

    def show_first_suggestion(self) -> None:
        """Scroll the fields table to the first suggestion still offered and select it."""
        model = self.target_model
        if model is None:
            return
        offered = model.suggestions
        row = next((row for row, target in enumerate(model.targets) if target.key in offered),
                   None)
        if row is None:
            self.show_suggestions_button.setVisible(False)
            return
        index = model.index(row, TargetTableModel.COLUMN)
        self.targets_view.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        self.targets_view.selectRow(row)
        self.targets_view.setFocus(Qt.FocusReason.OtherFocusReason)

    def clear_mapping(self) -> None:
        for key in list(self._mapping.assignments):
            self._mapping.unassign(key)
        if self.target_model is not None:
            self.target_model.set_suggestions([])
        self._after_mapping_changed()

    def auto_map(self) -> None:
        """Ask the core for suggestions off the GUI thread (it reads the values)."""
        table, targets = self._table, list(self._targets)
        if table is None or self.suggesting.is_running():
            return
        self._show_message(self.tr("Looking at your columns…"), BannerKind.INFO)
        self.suggesting.start(
            lambda cancel, report: suggest(table, targets), on_success=self._on_suggestions,
            on_failure=lambda message: self._show_message(message, BannerKind.ERROR))

    def _on_suggestions(self, suggestions: list[Suggestion]) -> None:
        before = dict(self._mapping.assignments)
        offered = auto_map(self._mapping, suggestions)
        applied = sum(1 for key, column in self._mapping.assignments.items()
                      if before.get(key) != column)
        assert self.target_model is not None
        self.target_model.set_suggestions(offered)
        self._after_mapping_changed()
        offered_count = len(self.target_model.suggestions)
        if applied == 0 and offered_count == 0:
            self._show_message(self.tr(
                "No column clearly matches a field. Drag the columns onto the fields yourself."),
                BannerKind.INFO)
            return
        text = self.tr("Mapped %Ln column(s) automatically.", "", applied)
        if self._source is not None:
            text = " ".join((arg(self.tr("This file looks like a %1."), self._source.label),
                             text))
        if offered_count:
            text += " " + self.tr(
                "%Ln more are suggested in italics: check them and click Accept.", "",
                offered_count)
        self._show_message(text, BannerKind.SUCCESS)
        self.show_suggestions_button.setVisible(offered_count > 0)

    def is_busy(self) -> bool:
        return self.suggesting.is_running()

    def _show_message(self, text: str, kind: BannerKind) -> None:
        self.message_banner.set_text(text, kind)
        self.show_suggestions_button.setVisible(False)  # (only the auto-map news offers it)
        self.message_banner.setVisible(True)

    # -- templates -------------------------------------------------------------------------
    def _offer_template(self, headers: list[str]) -> None:
        self._offered_template = None
        self.template_banner.setVisible(False)
        if self._mapping.assignments:
            return  # the user has a mapping already; don't push a template on them
        try:
            match = find_template(headers, templates_dir())
        except (OSError, ValueError):
            match = None  # an unreadable template folder must not block mapping
        if match is None or match.path == self._dismissed_template:
            return
        self._offered_template = match
        text = arg(self.tr("A saved template, \"%1\", was made for a file with these columns."),
                   match.path.stem)
        if match.added_headers:
            text += " " + arg(self.tr("New columns in this file: %1."),
                              ", ".join(match.added_headers))
        if match.removed_headers:
            text += " " + arg(self.tr("Columns no longer in this file: %1."),
                              ", ".join(match.removed_headers))
        self.template_banner.set_text(text)
        self.template_banner.setVisible(True)

    def use_offered_template(self) -> None:
        match = self._offered_template
        if match is None:
            return
        self.template_banner.setVisible(False)
        self._apply_template(match.mapping, match.path)

    def _dismiss_template(self) -> None:
        if self._offered_template is not None:
            self._dismissed_template = self._offered_template.path
        self.template_banner.setVisible(False)

    def _apply_template(self, template: Mapping, path: Path) -> None:
        """Take the template's assignments and options that fit this file and this import."""
        headers = self._table.headers if self._table is not None else []
        keys = {target.key for target in self._targets}
        for key in list(self._mapping.assignments):
            self._mapping.unassign(key)
        skipped: list[str] = []
        for key, column in template.assignments.items():
            if key in keys and column in headers:
                self._mapping.assign(column, key)
            else:
                skipped.append(column)
        self._mapping.options.update({column: options for column, options
                                      in template.options.items() if column in headers})
        if self.target_model is not None:
            self.target_model.set_suggestions([])
        self._after_mapping_changed()
        text = arg(self.tr("Applied the template \"%1\"."), path.stem)
        if skipped:
            text += " " + arg(self.tr("Not used (not in this file or not a field here): %1."),
                              ", ".join(skipped))
        self._show_message(text, BannerKind.SUCCESS)

    def load_template_from_file(self) -> None:
        directory = templates_dir()
        path = OpenFileDialog.ask(self, self.tr("Load a mapping template"), directory,
                                  self.tr("Mapping templates (*.json)"))
        if path is None:
            return
        try:
            template, _headers = load_template(path)
        except (OSError, ValueError) as error:
            # The core's sentence (not a template, another version…), or the system's refusal
            # to read the file told as a sentence.
            self._show_message(describe_failure(error, path=path), BannerKind.ERROR)
            return
        self.template_banner.setVisible(False)
        self._apply_template(template, path)

    def save_template_to_file(self) -> None:
        if self._table is None:
            return
        outcome = ask_and_save_template(self, self._mapping, self._table)
        if outcome is not None:
            saved, message = outcome
            self._show_message(message, BannerKind.SUCCESS if saved else BannerKind.ERROR)
