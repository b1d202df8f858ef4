"""Page 6, Upload: the core upload engine in a background task, journalled and resumable.

Every acknowledged batch is recorded in the journal as it arrives, so a cancelled, failed or
killed upload can be resumed later: on arrival the page looks for an unfinished run of the same
file, mapping and datasource and offers to resume it. Pause stops sending new batches; Cancel
(after confirmation) lets the batches in flight finish and keeps the run resumable.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from ingest_gui.core.cancel import CancelToken
from ingest_gui.ui.session import WizardSession
from ingest_gui.ui.widgets.common import (
    Banner,
    BannerKind,
    format_count,
    format_duration,
    wait_for_task,
)
from ingest_gui.ui.widgets.dialogs import CancelUploadDialog
from ingest_gui.ui.workers import BackgroundTask

if TYPE_CHECKING:
    from ingest_gui.core.journal import Journal, JournalRun, RunInfo
    from ingest_gui.core.upload import UploadControl, UploadProgress, UploadResult


def summary_of(result: UploadResult) -> dict[str, int]:
    """The counts recorded with a finished run in the journal (one pass over the rows)."""
    from ingest_gui.core.upload import RowStatus

    found = Counter(result.statuses.values())
    counts = {status.value: found[status] for status in RowStatus}
    counts["retries"] = result.retries
    return counts


@dataclass(frozen=True, slots=True)
class UploadOutcome:
    """What the upload task hands back: the result, and its counts added up on the worker
    (counting a few hundred thousand rows on the GUI thread would hold the window up)."""

    result: UploadResult
    counts: dict[str, int]


class UploadPage(QWizardPage):
    def __init__(self, session: WizardSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setTitle(self.tr("Upload"))
        self.setSubTitle(self.tr(
            "Rows are sent in batches of up to 100. You can pause, or stop and resume later."))
        # After the upload there is no going back to change what was sent.
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("&Next >"))

        self._journal: Journal | None = None
        self._run: JournalRun | None = None
        self._resumable: RunInfo | None = None
        self._task: BackgroundTask | None = None
        self._control: UploadControl | None = None
        self._result: UploadResult | None = None
        self._last_progress: UploadProgress | None = None

        self.summary_label = QLabel(self)
        self.summary_label.setWordWrap(True)

        self.resume_banner = Banner(BannerKind.INFO, self)
        self.resume_button = self.resume_banner.add_button(self.tr("Resume"))
        self.start_over_button = self.resume_banner.add_button(self.tr("Start over"))
        self.resume_banner.finish_buttons()
        self.resume_button.clicked.connect(lambda: self.start_upload(resume=True))
        self.start_over_button.clicked.connect(lambda: self.start_upload(resume=False))
        self.resume_banner.setVisible(False)

        self.start_button = QPushButton(self.tr("Start upload"), self)
        self.start_button.setDefault(True)
        self.start_button.clicked.connect(self._on_start_clicked)
        self.pause_button = QPushButton(self.tr("Pause"), self)
        self.pause_button.clicked.connect(self.toggle_pause)
        self.cancel_button = QPushButton(self.tr("Stop upload…"), self)
        self.cancel_button.clicked.connect(self.cancel_upload)
        buttons = QHBoxLayout()
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.pause_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)

        self.progress_bar = QProgressBar(self)
        self.progress_bar.setAccessibleName(self.tr("Upload progress"))
        self.progress_bar.setRange(0, 1000)
        self.sent_value = QLabel(self)
        self.accepted_value = QLabel(self)
        self.rejected_value = QLabel(self)
        self.retried_value = QLabel(self)
        self.rate_value = QLabel(self)
        self.eta_value = QLabel(self)
        grid = QGridLayout()
        for position, (title, value) in enumerate((
            (self.tr("Sent:"), self.sent_value),
            (self.tr("Accepted:"), self.accepted_value),
            (self.tr("Rejected by Instasent:"), self.rejected_value),
            (self.tr("Retried:"), self.retried_value),
            (self.tr("Speed:"), self.rate_value),
            (self.tr("Time left:"), self.eta_value),
        )):
            caption = QLabel(title, self)
            caption.setBuddy(value)
            value.setAccessibleName(title.rstrip(":"))
            grid.addWidget(caption, position // 2, (position % 2) * 2)
            grid.addWidget(value, position // 2, (position % 2) * 2 + 1)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)

        self.status_banner = Banner(BannerKind.INFO, self)
        self.status_banner.setVisible(False)

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.resume_banner)
        layout.addLayout(buttons)
        layout.addWidget(self.progress_bar)
        layout.addLayout(grid)
        layout.addWidget(self.status_banner)
        layout.addStretch(1)
        self._show_idle()

    # -- wizard hooks ----------------------------------------------------------------------
    def initializePage(self) -> None:
        self._result = None
        self._run = None
        self._last_progress = None
        self.status_banner.setVisible(False)
        self._reset_counters()
        data = self.session.data
        plan, table, mapping = data.plan, data.table, data.mapping
        if plan is None or table is None or mapping is None:
            self._show_status(self.tr("Check the file first."), BannerKind.ERROR)
            self.start_button.setEnabled(False)
            return
        self._show_summary("ready")
        self.start_button.setEnabled(True)
        self._offer_resume()
        self._show_idle()

    def _show_summary(self, state: str) -> None:
        """The line above the buttons: what is to be sent ("ready"), or that it was sent
        ("finished") or stopped part way ("stopped")."""
        data = self.session.data
        plan, mapping = data.plan, data.mapping
        if plan is None or mapping is None:
            return
        items, batches = plan.item_count, len(plan.batches)
        what = {
            "contacts": self.tr("%Ln contact(s)", "", items),
            "events": self.tr("%Ln event(s)", "", items),
            "delete": self.tr("%Ln contact removal(s)", "", items),
        }.get(mapping.kind.value, self.tr("%Ln row(s)", "", items))
        skipped = len(plan.skipped_rows)
        if state == "finished":
            text = self.tr("Finished sending %1 in %Ln batch(es).", "", batches)
            skipped_text = self.tr("%Ln row(s) with errors were skipped.", "", skipped)
        elif state == "stopped":
            text = self.tr("Stopped before sending all of %1 in %Ln batch(es).", "", batches)
            skipped_text = self.tr("%Ln row(s) with errors will be skipped.", "", skipped)
        else:
            text = self.tr("Ready to send %1 in %Ln batch(es).", "", batches)
            skipped_text = self.tr("%Ln row(s) with errors will be skipped.", "", skipped)
        text = text.replace("%1", what)
        if skipped:
            text += " " + skipped_text
        info = data.stream_info
        if info is not None and info.datasource_name:
            text += " " + self.tr("Destination: %1.").replace("%1", info.datasource_name)
        self.summary_label.setText(text)

    def cleanupPage(self) -> None:
        self.shutdown()

    def isComplete(self) -> bool:
        return self._task is None and self._result is not None

    def validatePage(self) -> bool:
        if not self.isComplete():
            return False
        self.session.data.upload_result = self._result
        return True

    # -- the shell's contract --------------------------------------------------------------
    def is_busy(self) -> bool:
        """True while an upload runs (the window asks before closing)."""
        return self._task is not None

    def request_cancel_for_close(self) -> bool:
        """The window is closing and the user agreed to stop (the window asked): cancel, wait
        for the batches in flight, leave the run resumable. True when the window may close."""
        if self._task is None:
            return True
        if self._control is not None:
            self._control.cancel()
        self._show_status(self.tr("Stopping after the batches being sent…"), BannerKind.INFO)
        return wait_for_task(self._task, cancel=False, timeout_ms=120_000)

    def shutdown(self) -> None:
        """Window closing or leaving the page: stop cleanly and close the journal."""
        self.request_cancel_for_close()
        if self._journal is not None:
            self._journal.close()
            self._journal = None

    # -- state -----------------------------------------------------------------------------
    @property
    def result(self) -> UploadResult | None:
        return self._result

    @property
    def resumable_run(self) -> RunInfo | None:
        return self._resumable

    @property
    def run_id(self) -> int | None:
        return self._run.run_id if self._run is not None else None

    def _keys(self) -> tuple[str, str, dict[str, object]] | None:
        data = self.session.data
        if data.table is None or data.mapping is None:
            return None
        return data.table.fingerprint, self.session.client().datasource_key, \
            data.mapping.to_json()

    def _open_journal(self) -> Journal | None:
        if self._journal is None:
            from ingest_gui.core.journal import Journal

            try:
                self._journal = Journal()
            except Exception as error:  # the upload still works, only not resumably
                self._show_status(self.tr(
                    "The upload cannot be made resumable: %1").replace("%1", str(error)),
                    BannerKind.WARNING)
        return self._journal

    def _offer_resume(self) -> None:
        self._resumable = None
        self.resume_banner.setVisible(False)
        try:
            keys = self._keys()
        except RuntimeError as error:
            self._show_status(str(error), BannerKind.ERROR)
            return
        journal = self._open_journal()
        if journal is None or keys is None:
            return
        fingerprint, datasource_key, mapping = keys
        try:
            info = journal.find_resumable(fingerprint=fingerprint, datasource_key=datasource_key,
                                          mapping=mapping)
        except Exception as error:  # a damaged journal must not block a fresh upload
            self._show_status(str(error), BannerKind.WARNING)
            return
        if info is None or info.batches_acknowledged == 0:
            return
        self._resumable = info
        started = datetime.fromtimestamp(info.started_at).strftime("%Y-%m-%d %H:%M")
        self.resume_banner.set_text(self.tr(
            "An earlier upload of this file, with the same mapping and datasource, stopped after "
            "%1 of %Ln batch(es) (started %2). Resume it to send only what is missing, or start "
            "over to send everything again.", "", info.batches_total)
            .replace("%1", format_count(info.batches_acknowledged)).replace("%2", started))
        self.resume_banner.setVisible(True)
        self.start_button.setVisible(False)

    # -- running ---------------------------------------------------------------------------
    def start_upload(self, *, resume: bool = False) -> None:
        data = self.session.data
        plan, table, mapping = data.plan, data.table, data.mapping
        if self._task is not None or plan is None or table is None or mapping is None:
            return
        from ingest_gui.core.upload import UploadControl, UploadEngine

        try:
            client = self.session.client()
        except RuntimeError as error:
            self._show_status(str(error), BannerKind.ERROR)
            return
        journal = self._open_journal()
        run: JournalRun | None = None
        if journal is not None:
            try:
                if resume and (self._resumable is not None or self._run is not None):
                    run_id = self._resumable.run_id if self._resumable is not None \
                        else self._run.run_id  # type: ignore[union-attr]
                    run = journal.resume_run(run_id)
                else:
                    run = journal.start_run(
                        kind=mapping.kind.value, file_path=str(table.path),
                        fingerprint=table.fingerprint, datasource_key=client.datasource_key,
                        mapping=mapping.to_json(), batches_total=len(plan.batches))
            except Exception as error:
                self._show_status(str(error), BannerKind.ERROR)
                return
        self._run = run
        self._resumable = None
        self._result = None
        self.resume_banner.setVisible(False)
        self._show_summary("ready")
        control = UploadControl()
        batches, skipped = plan.batches, plan.skipped_rows

        def work(cancel: CancelToken, report: Callable[[Any], None]) -> UploadOutcome:
            engine = UploadEngine(client)
            try:
                result = engine.run(batches, on_progress=report, control=control, journal=run,
                                    skipped_rows=skipped)
            except BaseException:
                if run is not None:
                    run.finish("interrupted", {})
                raise
            counts = summary_of(result)
            if run is not None:
                run.finish(result.run_status, counts)
            return UploadOutcome(result, counts)

        task = BackgroundTask(work, self)
        task.progressed.connect(self._on_progress)
        task.succeeded.connect(self._on_uploaded)
        task.failed.connect(lambda message: self._show_status(message, BannerKind.ERROR))
        task.finished.connect(self._on_finished)
        self._task, self._control = task, control
        self._show_running()
        self._show_status(self.tr("Uploading…"), BannerKind.INFO)
        task.start()
        self._complete_changed()

    def _on_start_clicked(self) -> None:
        # After a stopped upload the same button resumes it.
        self.start_upload(resume=self._result is not None)

    def toggle_pause(self) -> None:
        control = self._control
        if control is None:
            return
        if control.is_paused:
            control.resume()
            self.pause_button.setText(self.tr("Pause"))
            self._show_status(self.tr("Uploading…"), BannerKind.INFO)
        else:
            control.pause()
            self.pause_button.setText(self.tr("Resume"))
            self._show_status(self.tr(
                "Paused. The batches already on their way finish; nothing new is sent until you "
                "resume."), BannerKind.INFO)

    def cancel_upload(self) -> None:
        if self._control is None or not CancelUploadDialog.ask(self):
            return
        if self._control is not None:  # it may have finished while the dialog was open
            self._control.cancel()
            self.cancel_button.setEnabled(False)
            self.pause_button.setEnabled(False)
            self._show_status(self.tr("Stopping after the batches being sent…"),
                              BannerKind.INFO)

    def _on_progress(self, progress: UploadProgress) -> None:
        self._last_progress = progress
        total = max(progress.rows_total, 1)
        self.progress_bar.setValue(int(1000 * min(progress.rows_sent, total) / total))
        self.progress_bar.setFormat(f"{100 * progress.rows_sent / total:.0f}%")
        self.sent_value.setText(self.tr("%1 of %Ln row(s)", "", progress.rows_total)
                                .replace("%1", format_count(progress.rows_sent)))
        self.accepted_value.setText(format_count(progress.accepted))
        self.rejected_value.setText(format_count(progress.rejected))
        self.retried_value.setText(format_count(progress.retries))
        self.rate_value.setText(self.tr("%1 rows/s").replace(
            "%1", format_count(round(progress.rate_per_second))))
        if progress.rows_sent >= progress.rows_total:
            self.eta_value.setText("—")
        elif progress.paused:
            self.eta_value.setText(self.tr("paused"))
        elif progress.waiting_seconds > 0:
            self.eta_value.setText(self.tr("waiting %1 for Instasent's rate limit").replace(
                "%1", format_duration(progress.waiting_seconds)))
        elif progress.eta_seconds is not None:
            self.eta_value.setText(self.tr("about %1").replace(
                "%1", format_duration(progress.eta_seconds)))
        else:
            self.eta_value.setText("—")

    def _on_uploaded(self, outcome: UploadOutcome) -> None:
        from ingest_gui.core.upload import RowStatus

        result, tally = outcome.result, outcome.counts
        self._result = result
        self.session.data.upload_result = result
        accepted, rejected = tally[RowStatus.ACCEPTED.value], tally[RowStatus.REJECTED.value]
        not_sent = tally[RowStatus.NOT_SENT.value]
        self._show_summary("finished" if result.run_status == "completed" else "stopped")
        counts = self.tr("%Ln row(s) accepted by Instasent.", "", accepted) + " " + self.tr(
            "%Ln row(s) rejected.", "", rejected)
        if result.fatal_error is not None:
            text = self.tr("The upload stopped: %1").replace("%1", result.fatal_error)
            if result.auth_failed:
                text += " " + self.tr("Check the API token of this connection.")
            text += " " + counts + " " + self.tr(
                "%Ln row(s) were not sent; you can resume later.", "", not_sent)
            self._show_status(text, BannerKind.ERROR)
        elif result.cancelled:
            self._show_status(self.tr("Upload stopped.") + " " + counts + " " + self.tr(
                "%Ln row(s) were not sent. Resume now, or continue to save an error log; this "
                "upload will also be offered for resuming the next time you open the file.", "",
                not_sent), BannerKind.WARNING)
        else:
            self._show_status(self.tr("Upload finished.") + " " + counts, BannerKind.SUCCESS)

    def _on_finished(self) -> None:
        if self._task is not None:
            self._task.deleteLater()
        self._task, self._control = None, None
        resumable = (self._result is not None and self._run is not None
                     and self._result.run_status != "completed")
        self._show_idle(can_resume=resumable)
        self._complete_changed()

    # -- display ---------------------------------------------------------------------------
    def _complete_changed(self) -> None:
        self.completeChanged.emit()
        # QWizard re-enables Back on every completeChanged; nobody leaves mid-upload.
        wizard = self.wizard()
        if wizard is not None and wizard.currentPage() is self:
            back = wizard.button(QWizard.WizardButton.BackButton)
            if back is not None and self._task is not None:
                back.setEnabled(False)

    def _reset_counters(self) -> None:
        self.progress_bar.setValue(0)
        self.progress_bar.setFormat("%p%")
        for label in (self.sent_value, self.accepted_value, self.rejected_value,
                      self.retried_value, self.rate_value, self.eta_value):
            label.setText("—")

    def _show_running(self) -> None:
        self.start_button.setVisible(False)
        self.pause_button.setVisible(True)
        self.pause_button.setEnabled(True)
        self.pause_button.setText(self.tr("Pause"))
        self.cancel_button.setVisible(True)
        self.cancel_button.setEnabled(True)

    def _show_idle(self, *, can_resume: bool = False) -> None:
        running = self._task is not None
        self.pause_button.setVisible(running)
        self.cancel_button.setVisible(running)
        if self._result is None:
            self.start_button.setText(self.tr("Start upload"))
            self.start_button.setVisible(not running and not self.resume_banner.isVisible())
        else:
            self.start_button.setText(self.tr("Resume upload"))
            self.start_button.setVisible(can_resume)

    def _show_status(self, text: str, kind: BannerKind) -> None:
        self.status_banner.set_text(text, kind)
        self.status_banner.setVisible(True)

    def status_text(self) -> str:
        return self.status_banner.text() if self.status_banner.isVisible() else ""
