"""Page 2, File: choose a spreadsheet, adjust how it is read, preview it, load it off-thread."""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QMimeData, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QFontMetricsF
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QStyle,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from ingest_gui.core import errorlog, loading
from ingest_gui.core.loading import SUPPORTED_SUFFIXES, LoadError, LoadOptions
from ingest_gui.core.sources import SourceMatch, recognise_source
from ingest_gui.ui import settings
from ingest_gui.ui.i18n import arg
from ingest_gui.ui.models.preview import PREVIEW_ROWS, Preview, PreviewModel, preview_of
from ingest_gui.ui.session import WizardSession
from ingest_gui.ui.tasks import PageTask
from ingest_gui.ui.widgets.common import Banner, BannerKind
from ingest_gui.ui.widgets.page_helpers import StatusLabel, accessible, bold, secondary_label

if TYPE_CHECKING:
    from ingest_gui.core.cancel import CancelToken
    from ingest_gui.core.loading import FileInfo, LoadedTable

log = logging.getLogger(__name__)

#: Text encodings offered (codec name, label); a detected one not listed is added on the fly.
ENCODINGS = (
    ("utf-8", "UTF-8"),
    ("utf-8-sig", "UTF-8 (BOM)"),
    ("utf-16", "UTF-16"),
    ("cp1252", "Windows-1252"),
    ("latin-1", "ISO-8859-1 (Latin-1)"),
    ("mac_roman", "Mac Roman"),
    ("cp850", "DOS (CP850)"),
)
#: Reload this long after the last change to a picker, so typing "12" loads once, not twice.
RELOAD_DELAY_MS = 300


def dropped_file(mime: QMimeData | None) -> Path | None:
    """The first local file with a supported extension in dragged data, else ``None``."""
    if mime is None or not mime.hasUrls():
        return None
    for url in mime.urls():
        if url.isLocalFile():
            path = Path(url.toLocalFile())
            if path.suffix.lower() in SUPPORTED_SUFFIXES:
                return path
    return None


@dataclass(frozen=True, slots=True)
class LoadOutcome:
    info: FileInfo
    table: LoadedTable
    options: LoadOptions
    #: The file was one of our error logs; its Row/Errors columns were removed.
    was_error_log: bool
    preview: Preview
    #: The platform the header row was recognised as ("Shopify customers export"), if any.
    source: SourceMatch | None = None
    #: A workbook's sheets -> their column names; empty for a text file or a single sheet.
    sheet_headers: dict[str, tuple[str, ...]] = field(default_factory=dict)


def load_in_background(path: Path, options: LoadOptions, cancel: CancelToken,
                       report: Any, *,
                       sheets: dict[str, tuple[str, ...]] | None = None) -> LoadOutcome:
    """The worker's job: look at the file, load it, recognise its source, list a workbook's
    sheets (unless ``sheets`` already lists them), drop our error-log columns, copy out the
    preview, and add it to the recent files."""
    info = loading.inspect_file(path)
    cancel.raise_if_cancelled()
    table = loading.load_table(
        path, options, progress=lambda done, total: report((done, total)), cancel=cancel)
    source = recognise_source(table.headers, file_name=path.name)
    if sheets is None:
        sheets = {}
    if len(info.sheet_names) > 1 and not sheets:
        try:
            sheets = loading.sheet_headers(path)
        except LoadError:
            sheets = {}  # the table loaded: only the sheet proposal is lost
    was_error_log = errorlog.is_error_log(table.headers)
    if was_error_log:
        table = errorlog.strip_error_log_columns(table)
    preview = preview_of(table)
    cancel.raise_if_cancelled()  # a load the user replaced or stopped is not a recent file
    # Recorded here: QSettings writes its file through to the disk, 15-45 ms.
    settings.add_recent_file(table.path)
    return LoadOutcome(info, table, options, was_error_log, preview, source, sheets)


class OpenFileDialog:
    """The file chooser, behind a classmethod tests can replace."""

    @classmethod
    def ask(cls, parent: QWidget | None, directory: str = "") -> Path | None:
        patterns = " ".join(f"*{suffix}" for suffix in sorted(SUPPORTED_SUFFIXES))
        name, _ = QFileDialog.getOpenFileName(
            parent,
            QCoreApplication.translate("OpenFileDialog", "Open a spreadsheet"),
            directory,
            arg(QCoreApplication.translate("OpenFileDialog", "Spreadsheets (%1);;All files (*)"),
                patterns),
        )
        return Path(name) if name else None


class FilePage(QWizardPage):
    """Pick the file; Next is enabled once it has loaded.

    Signals:
        change_datasource_requested(): the user wants to import into another datasource (the
            wizard goes back to the Connect page).
        sheet_switch_failed(str): a sheet asked for by a later page (:meth:`switch_sheet`)
            could not be loaded; the sentence says why.
    """

    change_datasource_requested = Signal()
    sheet_switch_failed = Signal(str)

    def __init__(self, session: WizardSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        session.file_forgotten.connect(self.forget_file)
        self.loading = PageTask(self)
        self.loading.running_changed.connect(self._show_loading)
        self._path: Path | None = None
        self._info: FileInfo | None = None
        self._table: LoadedTable | None = None
        self._options = LoadOptions()
        self._source: SourceMatch | None = None
        self._sheet_headers: dict[str, tuple[str, ...]] = {}
        self._syncing = False
        self._header_chosen = False
        #: The load running was asked for by a later page: its table goes to the session.
        self._publish_when_loaded = False
        self.setTitle(self.tr("Choose the file to import"))
        self.setSubTitle(self.tr(
            "CSV or text exports, Excel workbooks (.xlsx, .xls) and OpenDocument sheets (.ods). "
            "You can also drop a file on this window."))
        self.setAcceptDrops(True)
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(RELOAD_DELAY_MS)
        self._reload_timer.timeout.connect(self._reload_with_pickers)
        self._build()

    # -- layout -----------------------------------------------------------------------------
    def _build(self) -> None:
        self.open_button = accessible(QPushButton(self.tr("&Open a file…")),
                                      self.tr("Open a file"))
        self.open_button.clicked.connect(self.choose_file)
        self.recent_button = accessible(QToolButton(), self.tr("Recent files"))
        self.recent_button.setText(self.tr("&Recent files"))
        self.recent_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.recent_menu = QMenu(self.recent_button)
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        self.recent_button.setMenu(self.recent_menu)
        drop_hint = secondary_label(self.tr("…or drag a file from your desktop onto this window."))
        top = QHBoxLayout()
        top.addWidget(self.open_button)
        top.addWidget(self.recent_button)
        top.addWidget(drop_hint, 1)

        self.destination_label = secondary_label()
        self.destination_label.setWordWrap(False)  # one line, the button right after it
        self.change_datasource_button = accessible(
            QPushButton(self.tr("Change &datasource…")), self.tr("Change datasource"),
            self.tr("Go back to choose another Instasent datasource (the file stays chosen)."))
        self.change_datasource_button.setFlat(True)
        self.change_datasource_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.change_datasource_button.clicked.connect(self.change_datasource_requested)
        destination = QHBoxLayout()
        destination.addWidget(self.destination_label)
        destination.addWidget(self.change_datasource_button)
        destination.addStretch(1)

        self.path_label = accessible(QLabel(self.tr("No file chosen yet.")),
                                     self.tr("Chosen file"))
        self.path_label.setFont(bold(self.path_label.font()))
        self.path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.path_label.setWordWrap(True)

        # Right under the file's name: what the file looks like, and which sheet is read.
        self.source_banner = Banner(BannerKind.INFO, self)
        self.source_banner.setAccessibleName(self.tr("What the file looks like"))
        self.source_banner.setVisible(False)
        self.sheet_banner = Banner(BannerKind.INFO, self)
        self.sheet_banner.setVisible(False)

        self.sheet_combo = accessible(QComboBox(), self.tr("Sheet"),
                                      self.tr("The workbook sheet to import."))
        self.header_spin = accessible(
            QSpinBox(), self.tr("Header row"),
            self.tr("The spreadsheet row that holds the column names."))
        self.header_spin.setRange(1, 10_000)
        self.encoding_combo = accessible(
            QComboBox(), self.tr("Encoding"),
            self.tr("How the text file's characters are stored. Change it if accents look wrong."))
        for codec, label in ENCODINGS:
            self.encoding_combo.addItem(label, codec)
        self.delimiter_combo = accessible(
            QComboBox(), self.tr("Delimiter"),
            self.tr("The character between columns. Change it if everything is in one column."))
        for symbol, label in (
            (",", self.tr("Comma ( , )")), (";", self.tr("Semicolon ( ; )")),
            ("\t", self.tr("Tab")), ("|", self.tr("Vertical bar ( | )")),
        ):
            self.delimiter_combo.addItem(label, symbol)
        self.options_box = QGroupBox(self.tr("How to read the file"))
        self.options_form = QFormLayout(self.options_box)
        self.options_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        for picker in (self.sheet_combo, self.encoding_combo, self.delimiter_combo):
            picker.setMinimumWidth(240)
        for text, widget in (
            (self.tr("S&heet:"), self.sheet_combo), (self.tr("Header &row:"), self.header_spin),
            (self.tr("&Encoding:"), self.encoding_combo),
            (self.tr("&Delimiter:"), self.delimiter_combo),
        ):
            buddy = QLabel(text)
            buddy.setBuddy(widget)
            self.options_form.addRow(buddy, widget)
        self.options_box.setVisible(False)
        self.sheet_combo.currentIndexChanged.connect(self._on_sheet_changed)
        self.encoding_combo.currentIndexChanged.connect(self._on_picker_changed)
        self.delimiter_combo.currentIndexChanged.connect(self._on_picker_changed)
        self.header_spin.valueChanged.connect(self._on_header_changed)

        self.progress = accessible(QProgressBar(), self.tr("Loading progress"))
        self.progress.setVisible(False)
        self.cancel_button = accessible(QPushButton(self.tr("&Cancel loading")),
                                        self.tr("Cancel loading"))
        self.cancel_button.setVisible(False)
        self.cancel_button.clicked.connect(self.cancel_loading)
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.cancel_button)

        self.status = accessible(StatusLabel(), self.tr("File status"))
        self.status.clear_message()
        self.preview_label = QLabel()
        self.preview_model = PreviewModel(self)
        self.preview = accessible(QTableView(), self.tr("Preview of the first rows"))
        self.preview.setModel(self.preview_model)
        self.preview.setAlternatingRowColors(True)
        self.preview.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.preview.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.Interactive)
        self.preview.horizontalHeader().setDefaultSectionSize(140)
        self.preview.verticalHeader().setDefaultSectionSize(
            self.preview.fontMetrics().height() + 8)
        self.preview_label.setBuddy(self.preview)

        left = QVBoxLayout()
        left.addLayout(destination)
        left.addLayout(top)
        left.addWidget(self.path_label)
        left.addWidget(self.source_banner)
        left.addWidget(self.sheet_banner)
        left.addWidget(self.options_box)
        left.addLayout(progress_row)
        left.addWidget(self.status)
        layout = QVBoxLayout(self)
        layout.addLayout(left)
        layout.addWidget(self.preview_label)
        layout.addWidget(self.preview, 1)

    # -- choosing a file --------------------------------------------------------------------
    @Slot()
    def choose_file(self) -> None:
        start = str(self._path.parent) if self._path is not None else ""
        path = OpenFileDialog.ask(self, start)
        if path is not None:
            self.open_file(path)

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = settings.recent_files()
        if not recent:
            action = self.recent_menu.addAction(self.tr("No recent files"))
            action.setEnabled(False)
            return
        for path in recent:
            action = self.recent_menu.addAction(path.name)
            action.setToolTip(str(path))
            action.triggered.connect(lambda _checked=False, p=path: self.open_file(p))

    def open_file(self, path: Path) -> None:
        """Load ``path`` with everything detected (a new file forgets the previous pickers)."""
        self._path = path
        self._info = None
        self._table = None
        self._header_chosen = False
        self._publish_when_loaded = False
        self.path_label.setText(str(path))
        self.options_box.setVisible(False)
        self._show_recognition(None, {}, None)
        self._start_load(LoadOptions())

    def switch_sheet(self, sheet: str) -> None:
        """Load the workbook's ``sheet`` off the GUI thread for a later page (the Kind page's
        "use it"); once loaded, the table goes to the session (``session.changed``), or
        :attr:`sheet_switch_failed` says why not."""
        if self._path is None or self._info is None:
            self.sheet_switch_failed.emit(self.tr("Open a file first."))
            return
        self._syncing = True
        try:
            self.sheet_combo.setCurrentText(sheet)
        finally:
            self._syncing = False
        self._header_chosen = False  # the other sheet's own header row
        self._publish_when_loaded = True
        self._start_load(LoadOptions(sheet=sheet))

    # -- pickers ----------------------------------------------------------------------------
    def _on_sheet_changed(self) -> None:
        if not self._syncing:
            self._header_chosen = False  # another sheet: find its own header row
        self._on_picker_changed()

    def _on_header_changed(self) -> None:
        if not self._syncing:
            self._header_chosen = True
        self._on_picker_changed()

    def _on_picker_changed(self) -> None:
        if self._syncing or self._path is None or self._info is None:
            return
        self._reload_timer.start()

    def _picker_options(self) -> LoadOptions:
        assert self._info is not None
        # Detected unless the user picked it: it depends on the sheet, delimiter and encoding.
        header_row = self.header_spin.value() if self._header_chosen else None
        if self._info.format == "csv":
            return LoadOptions(
                header_row=header_row,
                encoding=str(self.encoding_combo.currentData()),
                delimiter=str(self.delimiter_combo.currentData()),
            )
        return LoadOptions(sheet=self.sheet_combo.currentText() or None, header_row=header_row)

    @Slot()
    def _reload_with_pickers(self) -> None:
        if self._path is not None and self._info is not None:
            self._start_load(self._picker_options())

    def _select_data(self, combo: QComboBox, value: str | None, label: str | None = None) -> None:
        if value is None:
            return
        index = combo.findData(value)
        if index < 0:
            combo.addItem(label or value, value)
            index = combo.count() - 1
        combo.setCurrentIndex(index)

    def _sync_pickers(self, info: FileInfo, table: LoadedTable) -> None:
        self._syncing = True
        try:
            is_text = info.format == "csv"
            self.sheet_combo.clear()
            self.sheet_combo.addItems(list(info.sheet_names or table.sheet_names))
            if table.sheet:
                self.sheet_combo.setCurrentText(table.sheet)
            self.header_spin.setValue(table.header_row)
            self._select_data(self.encoding_combo, table.encoding or info.encoding)
            delimiter = table.delimiter or info.delimiter
            self._select_data(self.delimiter_combo, delimiter,
                              repr(delimiter) if delimiter else None)
            for widget, visible in (
                (self.sheet_combo, not is_text), (self.encoding_combo, is_text),
                (self.delimiter_combo, is_text),
            ):
                self.options_form.setRowVisible(widget, visible)
            self.options_box.setVisible(True)
        finally:
            self._syncing = False

    # -- loading ----------------------------------------------------------------------------
    def _start_load(self, options: LoadOptions) -> None:
        assert self._path is not None
        self._reload_timer.stop()
        self._table = None
        path = self._path
        # Another sheet or header row of the same workbook: its sheets were listed already.
        known_sheets = dict(self._sheet_headers) if self._info is not None else None
        self.status.show_message("busy", arg(self.tr("Loading %1…"), path.name))
        self.progress.setRange(0, 0)
        self.cancel_button.setEnabled(True)  # (again, if a load stopped meanwhile is replaced)

        def work(cancel: CancelToken, report: Any) -> LoadOutcome:
            return load_in_background(path, options, cancel, report, sheets=known_sheets)

        # A load still running is replaced: its outcome no longer matters.
        self.loading.start(work, on_success=self._on_loaded, on_failure=self._on_failed,
                           on_cancel=self._on_cancelled, on_progress=self._on_progress)

    def is_loading(self) -> bool:
        return self.loading.is_running()

    def _show_loading(self, running: bool) -> None:
        self.progress.setVisible(running)
        self.cancel_button.setVisible(running)

    def _on_progress(self, value: Any) -> None:
        done, total = value
        if total > 0:
            self.progress.setRange(0, int(total))
            self.progress.setValue(min(int(done), int(total)))
        else:
            self.progress.setRange(0, 0)

    def _on_loaded(self, outcome: LoadOutcome) -> None:
        self._info, self._table, self._options = outcome.info, outcome.table, outcome.options
        self._sync_pickers(outcome.info, outcome.table)
        self._source, self._sheet_headers = outcome.source, outcome.sheet_headers
        self._show_recognition(outcome.source, outcome.sheet_headers, outcome.table.sheet)
        self.preview_model.set_preview(outcome.preview)
        self._fit_columns()
        total = len(outcome.table)
        shown = min(total, PREVIEW_ROWS)
        rows = (arg(self.tr("Preview: the first %1 of %Ln row(s).", "", total), shown)
                if shown < total else
                self.tr("Preview: all %Ln row(s).", "", total))
        columns = self.tr("%Ln column(s).", "", len(outcome.table.headers))
        self.preview_label.setText(" ".join((rows, columns)))
        notes = list(outcome.table.notes)  # the core explains what it changed, error logs too
        if len(outcome.table) == 0:
            self.status.show_message("error", arg(self.tr(
                "%1 has column names but no rows to import."), outcome.table.path.name))
        else:
            message = arg(self.tr("Loaded %Ln row(s) from %1.", "", total),
                          outcome.table.path.name)
            self.status.show_message("ok", " ".join([message, *notes]))
        if self._publish_when_loaded:
            self._publish_when_loaded = False
            self._publish()

    def _show_recognition(self, source: SourceMatch | None,
                          sheets: dict[str, tuple[str, ...]], sheet: str | None) -> None:
        """Say what the file looks like and, for a workbook of several sheets, which one is
        read (a first sheet read silently hid the orders on the third)."""
        if source is not None:
            self.source_banner.set_text(arg(self.tr(
                "This file looks like a %1. The Map step proposes where its columns go."),
                source.label))
        self.source_banner.setVisible(source is not None)
        if len(sheets) > 1 and sheet is not None:
            names = ", ".join(f"“{name}”" for name in sheets)
            self.sheet_banner.set_text(arg(self.tr(
                "This workbook has %Ln sheet(s): %1. Reading the sheet “%2”; choose another "
                "under Sheet.", "", len(sheets)), names, sheet))
        self.sheet_banner.setVisible(len(sheets) > 1 and sheet is not None)

    @property
    def source(self) -> SourceMatch | None:
        """What the loaded file was recognised as."""
        return self._source

    def _fit_columns(self) -> None:
        """Columns as wide as their content, but none wider than a third of the view.

        Measured here with the view's font: ``resizeColumnsToContents`` asks the model and the
        style about every cell in every role, which held the window still for ~100 ms.
        """
        view, model = self.preview, self.preview_model
        # The viewport's width, without asking for the viewport widget: PySide's first wrapper
        # for it costs ~30 ms (once per process, but on this click).
        scroll_bar = view.verticalScrollBar()
        viewport_width = view.maximumViewportSize().width() - (
            scroll_bar.width() if scroll_bar.isVisible() else 0)
        widest = max(120, viewport_width // 3)
        metrics = QFontMetricsF(view.font())
        # What the style adds around an item's text (QCommonStyle's view item margins), plus
        # the grid line, as in QTableView::sizeHintForColumn.
        margin = 2 * (view.style().pixelMetric(
            QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1)
        margin += 1 if view.showGrid() else 0
        header = view.horizontalHeader()
        for column in range(model.columnCount()):
            content = math.ceil(max((metrics.horizontalAdvance(line) for text in
                                     model.column_texts(column) for line in text.splitlines()),
                                    default=0.0))
            width = max(content + margin, header.sectionSizeHint(column))
            header.resizeSection(column, min(widest, width + 16))

    def _on_failed(self, message: str) -> None:
        self.preview_model.set_table(None)
        self.preview_label.clear()
        self._show_recognition(None, {}, None)
        self.status.show_message("error", message)
        if self._publish_when_loaded:
            self._publish_when_loaded = False
            self.sheet_switch_failed.emit(message)

    def _on_cancelled(self) -> None:
        self.status.show_message("info", self.tr("Loading cancelled. Choose a file to continue."))
        if self._publish_when_loaded:
            self._publish_when_loaded = False
            self.sheet_switch_failed.emit(self.tr("Loading the sheet was cancelled."))

    @Slot()
    def cancel_loading(self) -> None:
        if self.loading.is_running():
            self.cancel_button.setEnabled(False)
            self.loading.cancel()

    # -- drag and drop ----------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if dropped_file(event.mimeData()) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        path = dropped_file(event.mimeData())
        if path is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.open_file(path)

    # -- wizard hooks -----------------------------------------------------------------------
    def initializePage(self) -> None:
        data = self.session.data
        connection = data.connection
        if connection is not None:
            self.destination_label.setText(arg(
                self.tr("Importing into the datasource %1."),
                connection.name or connection.datasource))
        self.destination_label.setVisible(connection is not None)
        if self._table is None and data.table is not None and data.file_path is not None:
            # The session already has a table (e.g. "Import another file" came back here).
            self._path, self._table = data.file_path, data.table
            self.path_label.setText(str(data.file_path))
            self.preview_model.set_table(data.table)

    def isComplete(self) -> bool:
        return not self.loading.is_running() and self._table is not None and len(self._table) > 0

    def validatePage(self) -> bool:
        if not self.isComplete() or self._table is None:
            return False
        self._publish()
        return True

    def _publish(self) -> None:
        """Hand the loaded table to the session (what comes after it is for the old one)."""
        if self._table is None:
            return
        data = self.session.data
        changed = data.table is not self._table
        data.file_path = self._table.path
        data.table = self._table
        data.load_options = self._options
        data.sheet_headers = dict(self._sheet_headers)
        if changed:
            self.session.forget_results()
            self.session.changed.emit()

    def forget_file(self) -> None:
        """Start clean ("Import another file"): no file, no pickers, no preview, Next disabled."""
        self._reload_timer.stop()
        self.loading.discard()
        self._path = self._info = self._table = None
        self._options = LoadOptions()
        self._header_chosen = False
        self._publish_when_loaded = False
        self._source, self._sheet_headers = None, {}
        self._show_recognition(None, {}, None)
        self.path_label.setText(self.tr("No file chosen yet."))
        self.options_box.setVisible(False)
        self.progress.setVisible(False)
        self.cancel_button.setVisible(False)
        self.preview_model.set_table(None)
        self.preview_label.clear()
        self.status.clear_message()
        self.completeChanged.emit()

    def shutdown(self) -> None:
        self._reload_timer.stop()  # (the wizard then stops the loading itself)
