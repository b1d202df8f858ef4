"""Page 7, Done: the totals, the error log, the template, and "Import another file".

The counts are the import workflow's one :class:`~ingest_gui.core.workflow.ImportSummary`, the
numbers ``ingest-gui import --json`` prints, shown at a glance by a small chart beside them; the
error log comes from the same report, so both front-ends count and explain every row alike. The
error log lists, with the file's original columns, every row to fix: rows skipped because they
had errors, rows Instasent rejected, and rows not sent because the upload stopped (resumable);
after them, repeated events, sent once: nothing to fix.

"Undo this import…" takes a contact import back (core :func:`~ingest_gui.core.undo.undo_run`):
it deletes the contacts the import created and restores what it changed, from the copy kept
before sending. It is offered only when the run can be undone; otherwise the page says why
(events cannot be removed through the Ingest API; an import without its copy cannot be undone).
The workflow writes it to the data folder when the upload finishes ("Open error log"); "Save
error log…" writes a copy where the user chooses, also after a cancelled upload.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from ingest_gui.core.cancel import CancelToken
from ingest_gui.ui.i18n import arg
from ingest_gui.ui.session import WizardSession
from ingest_gui.ui.tasks import PageTask
from ingest_gui.ui.widgets.chart import OutcomeChart
from ingest_gui.ui.widgets.common import Banner, BannerKind, format_count
from ingest_gui.ui.widgets.dialogs import SaveFileDialog
from ingest_gui.ui.widgets.task_errors import describe_workflow_error

if TYPE_CHECKING:
    from ingest_gui.core.report import ImportReport
    from ingest_gui.core.undo import UndoOutcome, UndoTarget
    from ingest_gui.core.upload import UploadControl, UploadProgress
    from ingest_gui.core.workflow import ImportOutcome, ImportSummary


class UndoImportDialog:
    """"Undo this import?" — counts what is deleted and restored, and says events stay."""

    @classmethod
    def ask(cls, parent: QWidget | None, target: UndoTarget) -> bool:
        box = QMessageBox(QMessageBox.Icon.Warning, QCoreApplication.translate(
            "UndoImportDialog", "Undo this import?"), target.sentence(),
            QMessageBox.StandardButton.Cancel, parent)
        undo = box.addButton(QCoreApplication.translate(
            "UndoImportDialog", "Undo the import"), QMessageBox.ButtonRole.DestructiveRole)
        # A deliberate act: the default answer keeps everything as it is.
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is undo


class DonePage(QWizardPage):
    """The summary of the upload, the error log, and "Import another file".

    Signals:
        start_over_requested(): the user wants to import another file with the same
            connection (the wizard goes back to its File page).
    """

    start_over_requested = Signal()

    def __init__(self, session: WizardSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setTitle(self.tr("Done"))
        self.setSubTitle(self.tr(
            "What happened to each row of your file, and what you can do next."))
        # The finished import's report (None when nothing was uploaded).
        self.report: ImportReport | None = None
        self.summary: ImportSummary | None = None
        self.saving = PageTask(self)

        self.headline = Banner(BannerKind.SUCCESS, self)
        self.accepted_value = QLabel(self)
        self.rejected_value = QLabel(self)
        self.skipped_value = QLabel(self)
        self.duplicates_value = QLabel(self)
        self.not_sent_value = QLabel(self)
        grid = QGridLayout()
        self._duplicates_caption = QLabel(self)
        for position, (title, value) in enumerate((
            (self.tr("Accepted by Instasent:"), self.accepted_value),
            (self.tr("Rejected by Instasent:"), self.rejected_value),
            (self.tr("Skipped because of errors in the file:"), self.skipped_value),
            (self.tr("Duplicate events (sent once):"), self.duplicates_value),
            (self.tr("Not sent (upload stopped):"), self.not_sent_value),
        )):
            caption = self._duplicates_caption if value is self.duplicates_value else QLabel(self)
            caption.setText(title)
            caption.setBuddy(value)
            value.setAccessibleName(title.rstrip(":"))
            grid.addWidget(caption, position, 0)
            grid.addWidget(value, position, 1)
        grid.setColumnStretch(1, 1)
        self.chart = OutcomeChart(self)
        numbers = QHBoxLayout()
        numbers.addLayout(grid, 1)
        numbers.addWidget(self.chart, 1, Qt.AlignmentFlag.AlignTop)

        self.error_log_label = QLabel(self)
        self.error_log_label.setWordWrap(True)
        self.save_log_button = QPushButton(self.tr("Save error log…"), self)
        self.save_log_button.clicked.connect(self.save_error_log)
        self.open_log_button = QPushButton(self.tr("Open error log"), self)
        self.open_log_button.clicked.connect(self.open_error_log)
        log_row = QHBoxLayout()
        log_row.addWidget(self.save_log_button)
        log_row.addWidget(self.open_log_button)
        log_row.addStretch(1)

        self.save_template_button = QPushButton(self.tr("Save this mapping as a template…"), self)
        self.save_template_button.clicked.connect(self.save_template)
        self.import_another_button = QPushButton(self.tr("Import another file"), self)
        self.import_another_button.clicked.connect(self.import_another_file)
        self.undo_button = QPushButton(self.tr("Undo this import…"), self)
        self.undo_button.clicked.connect(self.undo_import)
        next_row = QHBoxLayout()
        next_row.addWidget(self.save_template_button)
        next_row.addWidget(self.import_another_button)
        next_row.addWidget(self.undo_button)
        next_row.addStretch(1)
        # Why this import cannot be undone, when it cannot (events, no copy kept, ...).
        self.undo_note = QLabel(self)
        self.undo_note.setWordWrap(True)
        self.undo_progress = QProgressBar(self)
        self.undo_progress.setAccessibleName(self.tr("Undo progress"))
        self.undo_progress.setRange(0, 1000)
        self.undo_progress.setVisible(False)
        self.undoing = PageTask(self, describe=describe_workflow_error)
        self._undo_target: UndoTarget | None = None
        self._undo_control: UploadControl | None = None

        self.status_label = QLabel(self)
        self.status_label.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        layout.addLayout(numbers)
        layout.addSpacing(12)
        layout.addWidget(self.error_log_label)
        layout.addLayout(log_row)
        layout.addSpacing(12)
        layout.addLayout(next_row)
        layout.addWidget(self.undo_note)
        layout.addWidget(self.undo_progress)
        layout.addWidget(self.status_label)
        layout.addStretch(1)

    # -- wizard hooks ----------------------------------------------------------------------
    def initializePage(self) -> None:
        data = self.session.data
        self.status_label.clear()
        self.save_template_button.setEnabled(data.mapping is not None and data.table is not None)
        self._show_outcome(data.outcome)
        self._update_open_button()
        self.undo_progress.setVisible(False)
        self._offer_undo()

    def cleanupPage(self) -> None:
        self.shutdown()

    def shutdown(self) -> None:
        self.saving.stop()
        if self._undo_control is not None:
            self._undo_control.cancel()  # the batches in flight finish; undo again resumes
        self.undoing.wait(timeout_ms=120_000)

    def is_busy(self) -> bool:
        return self.saving.is_running() or self.undoing.is_running()

    def _values(self) -> tuple[QLabel, ...]:
        return (self.accepted_value, self.rejected_value, self.skipped_value,
                self.duplicates_value, self.not_sent_value)

    def _show_duplicates(self, shown: bool) -> None:
        """Only event imports can have duplicates: the line would be noise otherwise."""
        self._duplicates_caption.setVisible(shown)
        self.duplicates_value.setVisible(shown)

    # -- the summary -----------------------------------------------------------------------
    def _show_outcome(self, outcome: ImportOutcome | None) -> None:
        """The workflow's summary (the ``--json`` numbers) and what to do about the rest."""
        self.report = outcome.report if outcome is not None else None
        self.summary = outcome.summary if outcome is not None else None
        if outcome is None:
            for value in self._values():
                value.setText(format_count(0))
            self._show_duplicates(False)
            self.chart.set_counts(0, 0, 0, 0)
            self.headline.set_text(self.tr("Nothing was uploaded."), BannerKind.INFO)
            self.error_log_label.setText(self.tr("No row needs fixing."))
            self.save_log_button.setEnabled(False)
            return
        summary = outcome.summary
        self.accepted_value.setText(format_count(summary.accepted))
        self.rejected_value.setText(format_count(summary.rejected))
        self.skipped_value.setText(format_count(summary.invalid))
        self.duplicates_value.setText(format_count(summary.duplicates))
        self.not_sent_value.setText(format_count(summary.not_sent))
        self._show_duplicates(summary.duplicates > 0)
        # Skipped: invalid rows and repeated events, as --json counts them; with the others
        # they add up to every row read.
        created, updated = self._previewed_contacts()
        self.chart.set_counts(summary.accepted, summary.rejected, summary.skipped,
                              summary.not_sent, created=created, updated=updated)
        if summary.stopped_because is not None:
            self.headline.set_text(self.tr("The upload stopped: %1").replace(
                "%1", summary.stopped_because), BannerKind.ERROR)
        elif summary.status != "completed":
            self.headline.set_text(self.tr(
                "The upload was stopped before the end. Open the same file again to resume it."),
                BannerKind.WARNING)
        elif summary.rejected:
            self.headline.set_text(self.tr("Upload finished, with some rows rejected."),
                                   BannerKind.WARNING)
        else:
            self.headline.set_text(self.tr("Upload finished."), BannerKind.SUCCESS)
        if summary.orders is not None:
            # The counts above are of orders (one event each), the skipped ones of rows.
            rows, orders = summary.orders
            self.headline.set_text(self.headline.text() + " " + arg(self.tr(
                "%1 rows were %Ln order(s), each sent as one event: accepted, rejected and "
                "not sent count orders; skipped counts rows.", "", orders), rows))
        report = outcome.report
        rows_to_fix, sent_once = report.rows_to_fix, len(report.sent_once_by_row)
        self.save_log_button.setEnabled((rows_to_fix > 0 or sent_once > 0)
                                        and self.session.data.table is not None)
        # The error log also lists rows that went in without a bad value (warnings): they
        # were imported, so they are not counted as rows that were not.
        summary = outcome.summary
        not_imported = min(rows_to_fix, summary.invalid + summary.rejected + summary.not_sent)
        imported_with_warnings = rows_to_fix - not_imported
        parts = []
        if not_imported:
            parts.append(self.tr(
                "%Ln row(s) were not imported. The error log lists them with their original "
                "columns, the row number and the reason, ready to fix and import again.", "",
                not_imported))
        if imported_with_warnings:
            parts.append(self.tr(
                "%Ln row(s) were imported without a value that was not valid; the error log "
                "lists them as warnings.", "", imported_with_warnings))
        text = " ".join(parts) if parts else self.tr("No row needs fixing.")
        if sent_once:
            text += " " + self.tr("%Ln repeated row(s) were sent once — nothing to fix. The "
                                  "error log lists them last.", "", sent_once)
        self.error_log_label.setText(text)

    def _previewed_contacts(self) -> tuple[int | None, int | None]:
        """New and updated contacts, when a preview of this contact import ran (estimated
        for the whole file from its sample); (None, None) otherwise."""
        from ingest_gui.core.preview import ContactStatus

        workflow = self.session.data.workflow
        preview = workflow.previewed if workflow is not None else None
        if preview is None or preview.contacts is None:
            return None, None
        new = preview.contacts.get(ContactStatus.NEW, 0)
        updated = preview.contacts.get(ContactStatus.UPDATED, 0)
        return preview.estimate(new).value, preview.estimate(updated).value

    def _update_open_button(self) -> None:
        path = self.session.data.error_log_path
        self.open_log_button.setEnabled(path is not None and path.exists())

    # -- error log -------------------------------------------------------------------------
    def save_error_log(self) -> None:
        table, report = self.session.data.table, self.report
        if table is None or report is None or self.saving.is_running():
            return
        suggested = table.path.with_name(f"{table.path.stem} - errors.xlsx")
        path = SaveFileDialog.ask(self, self.tr("Save the error log"), suggested,
                                  self.tr("Excel workbook (*.xlsx);;CSV file (*.csv)"))
        if path is None:
            return
        if path.suffix.lower() not in (".csv", ".xlsx"):
            path = path.with_name(path.name + ".xlsx")
        messages, sent_once = report.messages_by_row, report.sent_once_by_row

        def work(cancel: CancelToken, progress: Callable[[Any], None]) -> tuple[Path, int]:
            from ingest_gui.core.errorlog import write_error_log

            return path, write_error_log(path, table, messages, nothing_to_fix=sent_once)

        self.save_log_button.setEnabled(False)
        self.status_label.setText(self.tr("Writing the error log…"))
        self.saving.start(work, on_success=self._on_saved, on_failure=self._on_failed)

    def _on_saved(self, value: tuple[Path, int]) -> None:
        self.save_log_button.setEnabled(True)
        path, count = value
        self.session.data.error_log_path = path
        self.status_label.setText(self.tr("Saved %Ln row(s) to %1.", "", count).replace(
            "%1", str(path)))
        self._update_open_button()

    def _on_failed(self, message: str) -> None:
        self.save_log_button.setEnabled(True)
        self.status_label.setText(message)

    def open_error_log(self) -> None:
        path = self.session.data.error_log_path
        if path is None:
            return
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            self.status_label.setText(self.tr(
                "No application could open %1. Open it from your file manager.").replace(
                "%1", str(path)))

    # -- undo ------------------------------------------------------------------------------
    def _offer_undo(self) -> None:
        """Enable "Undo this import…" only for a run that can be undone; else say why."""
        from ingest_gui.core.undo import UndoRefusedError, find_undo_target
        from ingest_gui.core.workflow import JournalUnavailableError, open_journal

        self._undo_target = None
        self.undo_button.setEnabled(False)
        self.undo_note.clear()
        summary = self.summary
        if summary is None or summary.run_id is None or summary.dry_run:
            self.undo_button.setVisible(False)
            return
        self.undo_button.setVisible(True)
        try:
            datasource_key = self.session.client().datasource_key
            with open_journal() as journal:
                self._undo_target = find_undo_target(journal, summary.run_id,
                                                     datasource_key=datasource_key)
        except (UndoRefusedError, JournalUnavailableError) as error:
            self.undo_note.setText(str(error))
            return
        except RuntimeError:  # no connection any more: nothing to undo with
            return
        self.undo_button.setEnabled(not self.undoing.is_running())

    def undo_import(self) -> None:
        """Ask (counting what is deleted and restored), then undo the import in the
        background, paced and journalled like an import."""
        from ingest_gui.core.upload import UploadControl

        target = self._undo_target
        if target is None or self.undoing.is_running() or not UndoImportDialog.ask(self, target):
            return
        client = self.session.client()
        run_id = target.run.run_id
        control = self._undo_control = UploadControl()

        def work(cancel: CancelToken, report: Callable[[Any], None]) -> UndoOutcome:
            from ingest_gui.core.undo import undo_run

            return undo_run(run_id, client, on_progress=report, control=control)

        self.undo_button.setEnabled(False)
        self.undo_progress.setValue(0)
        self.undo_progress.setVisible(True)
        self.status_label.setText(self.tr("Undoing the import…"))
        self.undoing.start(work, on_success=self._on_undone, on_failure=self._on_undo_failed,
                           on_progress=self._on_undo_progress, cleanup=self._after_undo)

    def _on_undo_progress(self, progress: UploadProgress) -> None:
        total = max(progress.rows_total, 1)
        self.undo_progress.setValue(int(1000 * min(progress.rows_sent, total) / total))

    def _on_undone(self, outcome: UndoOutcome) -> None:
        summary, target = outcome.summary, outcome.target
        if summary.status == "completed":
            self.status_label.setText(arg(self.tr(
                "Import run #%1 was undone. Contacts deleted: %2. Contacts restored: %3. "
                "Events, if any, cannot be removed through the Ingest API."),
                str(target.run.run_id), target.deletions, target.restorations))
        else:
            reason = summary.stopped_because or self.tr("it was stopped.")
            self.status_label.setText(arg(self.tr(
                "The undo stopped before the end: %1 Undo again to finish it."), reason))

    def _on_undo_failed(self, message: str) -> None:
        self.status_label.setText(message)

    def _after_undo(self) -> None:
        self._undo_control = None
        self.undo_progress.setVisible(False)
        self._offer_undo()

    # -- template and restart --------------------------------------------------------------
    def save_template(self) -> None:
        from ingest_gui.ui.widgets.templates import ask_and_save_template

        data = self.session.data
        if data.mapping is None or data.table is None:
            return
        outcome = ask_and_save_template(self, data.mapping, data.table)
        if outcome is not None:
            self.status_label.setText(outcome[1])

    def import_another_file(self) -> None:
        """Back to the File page with the same connection (the wizard does it)."""
        self.start_over_requested.emit()
