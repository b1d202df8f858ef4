"""Page 6, Upload: the import workflow's run, upload and finish in a background task.

The Check page's :class:`~ingest_gui.core.workflow.ImportWorkflow` does the work, as it does for
the command line: nothing is sent without its journal (when the journal cannot be opened the page
says why and offers no upload), every acknowledged batch is recorded as it arrives, and on
arrival the page offers to resume the unfinished run of the same file, mapping and datasource.
Pause stops sending new batches; Cancel (after confirmation) lets the batches in flight finish
and keeps the run resumable. The finished import's summary goes to the Done page.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
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
from ingest_gui.ui.i18n import arg
from ingest_gui.ui.session import WizardSession
from ingest_gui.ui.tasks import PageTask
from ingest_gui.ui.widgets.common import Banner, BannerKind, format_count, format_duration
from ingest_gui.ui.widgets.dialogs import CancelUploadDialog
from ingest_gui.ui.widgets.task_errors import describe_workflow_error

if TYPE_CHECKING:
    from ingest_gui.core.journal import RunInfo
    from ingest_gui.core.upload import UploadControl, UploadProgress, UploadResult
    from ingest_gui.core.workflow import ImportOutcome, ImportWorkflow

# What the upload task hands back: the finished import, and the sentence saying why its error
# log could not be written (None when it was, or none was needed).
Finished = tuple["ImportOutcome", "str | None"]

@dataclass(frozen=True, slots=True)
class SnapshotReads:
    """Progress of the undo snapshot's reads, before anything is sent."""

    done: int
    total: int


#: No speed is shown before the upload has run this long: over a few milliseconds, 76 rows
#: would read as "19,063 rows/s".
MIN_SECONDS_FOR_RATE = 3.0


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

        self._resumable: RunInfo | None = None
        self._control: UploadControl | None = None
        self._snapshot_cancel = CancelToken()
        self._outcome: ImportOutcome | None = None
        self._last_progress: UploadProgress | None = None
        # The status line names a wait (an outage, the rate limit, the undo snapshot's reads),
        # to be put back to "Uploading…" when it is over.
        self._transient_status = False
        # False when the journal cannot be opened: then nothing may be sent.
        self._journal_ready = False
        self._guarding_back = False
        self.uploading = PageTask(self, describe=describe_workflow_error)

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
        if not self._guarding_back:
            # Connected after the wizard's own handler, which re-enables Back on every
            # completeChanged: nobody leaves mid-upload.
            self.completeChanged.connect(self._keep_back_disabled_while_uploading)
            self._guarding_back = True
        self._outcome = None
        self._last_progress = None
        self._journal_ready = False
        self.status_banner.setVisible(False)
        self.resume_banner.setVisible(False)
        self._reset_counters()
        workflow = self.session.data.workflow
        if workflow is None or workflow.checked is None:
            self._show_status(self.tr("Check the file first."), BannerKind.ERROR)
            self.start_button.setEnabled(False)
            return
        self._show_summary("ready")
        self.start_button.setEnabled(True)
        self._offer_resume(workflow)
        self._show_idle()

    def _show_summary(self, state: str) -> None:
        """The line above the buttons, following the upload: what is to be sent ("ready"),
        being sent ("sending", "paused", "stopping"), or that it was sent ("finished") or
        stopped part way ("stopped")."""
        data = self.session.data
        workflow = data.workflow
        if workflow is None or workflow.checked is None:
            return
        plan, mapping = workflow.checked.plan, workflow.mapping
        items, batches = plan.item_count, len(plan.batches)
        what = {
            "contacts": self.tr("%Ln contact(s)", "", items),
            "events": self.tr("%Ln event(s)", "", items),
            "delete": self.tr("%Ln contact removal(s)", "", items),
        }.get(mapping.kind.value, self.tr("%Ln row(s)", "", items))
        skipped, repeated = len(plan.skipped_rows), len(plan.duplicate_events)
        done = state in ("finished", "stopped")
        if state == "finished":
            text = self.tr("Finished sending %1 in %Ln batch(es).", "", batches)
        elif state == "stopped":
            text = self.tr("Stopped before sending all of %1 in %Ln batch(es).", "", batches)
        elif state == "sending":
            text = self.tr("Sending %1 in %Ln batch(es)…", "", batches)
        elif state == "paused":
            text = self.tr("Paused while sending %1 in %Ln batch(es).", "", batches)
        elif state == "stopping":
            text = self.tr("Stopping the upload of %1 in %Ln batch(es)…", "", batches)
        else:
            text = self.tr("Ready to send %1 in %Ln batch(es).", "", batches)
        text = text.replace("%1", what)
        if skipped:
            text += " " + (self.tr("%Ln row(s) with errors were skipped.", "", skipped) if done
                           else self.tr("%Ln row(s) with errors will be skipped.", "", skipped))
        if repeated:
            # The same count the Check page and the Done page show, and --json's "duplicates".
            text += " " + (self.tr("%Ln repeated row(s) were sent once.", "", repeated) if done
                           else self.tr("%Ln repeated row(s) will be sent once.", "", repeated))
        info = data.stream_info
        if info is not None and info.datasource_name:
            text += " " + self.tr("Destination: %1.").replace("%1", info.datasource_name)
        self.summary_label.setText(text)

    def cleanupPage(self) -> None:
        self.shutdown()

    def isComplete(self) -> bool:
        return not self.uploading.is_running() and self._outcome is not None

    def validatePage(self) -> bool:
        if not self.isComplete():
            return False
        self.session.data.outcome = self._outcome
        return True

    # -- the shell's contract --------------------------------------------------------------
    def is_busy(self) -> bool:
        """True while an upload runs (the window asks before closing)."""
        return self.uploading.is_running()

    def request_cancel_for_close(self) -> bool:
        """The window is closing and the user agreed to stop (the window asked): cancel, wait
        for the batches in flight, leave the run resumable. True when the window may close."""
        if not self.uploading.is_running():
            return True
        if self._control is not None:
            self._control.cancel()
        self._snapshot_cancel.cancel()
        self._show_summary("stopping")
        self._show_status(self.tr("Stopping after the batches being sent…"), BannerKind.INFO)
        return self.uploading.wait(timeout_ms=120_000)

    def shutdown(self) -> None:
        """Window closing or leaving the page: stop cleanly and close the journal."""
        self.request_cancel_for_close()
        workflow = self.session.data.workflow
        if workflow is not None and not self.uploading.is_running():
            workflow.close()  # its journal; opened again on the next visit

    # -- state -----------------------------------------------------------------------------
    @property
    def outcome(self) -> ImportOutcome | None:
        """The finished (or stopped) import: the workflow's summary, report and result."""
        return self._outcome

    @property
    def result(self) -> UploadResult | None:
        return self._outcome.upload if self._outcome is not None else None

    @property
    def resumable_run(self) -> RunInfo | None:
        return self._resumable

    @property
    def run_id(self) -> int | None:
        workflow = self.session.data.workflow
        return workflow.run_id if workflow is not None else None

    def _offer_resume(self, workflow: ImportWorkflow) -> None:
        """Open the journal (nothing is sent without it) and offer its unfinished run."""
        from ingest_gui.core.workflow import JournalUnavailableError

        self._resumable = None
        try:
            workflow.open_journal()
        except JournalUnavailableError as error:
            self._show_status(str(error), BannerKind.ERROR)
            self.start_button.setEnabled(False)
            return
        self._journal_ready = True
        try:
            info = workflow.find_resumable()
        except JournalUnavailableError as error:
            # As with --restart on the command line: a fresh run may still be recorded.
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
        workflow = self.session.data.workflow
        if (self.uploading.is_running() or workflow is None or workflow.checked is None
                or not self._journal_ready):
            return
        from ingest_gui.core.upload import UploadControl
        from ingest_gui.core.workflow import ErrorLogNotWrittenError

        resume_run_id: int | None = None
        if resume:
            resume_run_id = self._resumable.run_id if self._resumable is not None \
                else workflow.run_id
        self._resumable = None
        self._outcome = None
        self.resume_banner.setVisible(False)
        self._show_summary("ready")
        control = UploadControl()
        # The undo snapshot's reads stop with "Stop upload…" too (not only with the page).
        snapshot_cancel = self._snapshot_cancel = CancelToken()

        def work(cancel: CancelToken, report: Callable[[Any], None]) -> Finished:
            started = workflow.start_run(resume_run_id=resume_run_id)
            # As the command line does: a contact import small enough keeps a copy of the
            # contacts it touches first, so that the Done page can undo it.
            choice = workflow.snapshot_choice() if started is not None else None
            if choice is not None and choice.automatic:
                try:
                    workflow.take_snapshot(
                        progress=lambda done, total: report(SnapshotReads(done, total)),
                        cancel=snapshot_cancel)
                except BaseException:
                    workflow.close()  # nothing was sent; the run is left resumable
                    raise
            workflow.upload(on_progress=report, control=control)
            try:
                return workflow.finish(), None
            except ErrorLogNotWrittenError as error:  # the run is stored all the same
                return error.outcome, str(error)

        self._control = control
        self.uploading.start(work, on_success=self._on_uploaded,
                             on_failure=self._on_upload_failed,
                             on_cancel=self._on_stopped_before_sending,
                             on_progress=self._on_progress)
        self._show_running()
        self._show_summary("sending")
        self._show_status(self.tr("Uploading…"), BannerKind.INFO)
        self._keep_back_disabled_while_uploading()

    def _on_start_clicked(self) -> None:
        # After a stopped upload the same button resumes it.
        self.start_upload(resume=self._outcome is not None)

    def toggle_pause(self) -> None:
        control = self._control
        if control is None:
            return
        if control.is_paused:
            control.resume()
            self.pause_button.setText(self.tr("Pause"))
            self._show_summary("sending")
            self._show_status(self.tr("Uploading…"), BannerKind.INFO)
        else:
            control.pause()
            self.pause_button.setText(self.tr("Resume"))
            self._show_summary("paused")
            self._show_status(self.tr(
                "Paused. The batches already on their way finish; nothing new is sent until you "
                "resume."), BannerKind.INFO)

    def cancel_upload(self) -> None:
        if self._control is None or not CancelUploadDialog.ask(self):
            return
        if self._control is not None:  # it may have finished while the dialog was open
            self._control.cancel()
            self._snapshot_cancel.cancel()
            self.cancel_button.setEnabled(False)
            self.pause_button.setEnabled(False)
            self._show_summary("stopping")
            self._show_status(self.tr("Stopping after the batches being sent…"),
                              BannerKind.INFO)

    def _on_progress(self, progress: UploadProgress | SnapshotReads) -> None:
        if isinstance(progress, SnapshotReads):
            self._show_status(arg(self.tr(
                "Keeping a copy of the contacts this import changes, so that it can be undone: "
                "%1 of %2 read. Nothing is sent before."), progress.done, progress.total),
                BannerKind.INFO)
            self._transient_status = True
            return
        self._last_progress = progress
        total = max(progress.rows_total, 1)
        self.progress_bar.setValue(int(1000 * min(progress.rows_sent, total) / total))
        self.progress_bar.setFormat(f"{100 * progress.rows_sent / total:.0f}%")
        self.sent_value.setText(self.tr("%1 of %Ln row(s)", "", progress.rows_total)
                                .replace("%1", format_count(progress.rows_sent)))
        self.accepted_value.setText(format_count(progress.accepted))
        self.rejected_value.setText(format_count(progress.rejected))
        self.retried_value.setText(format_count(progress.retries))
        self.rate_value.setText(self.rate_text(progress))
        if progress.rows_sent >= progress.rows_total:
            self.eta_value.setText("—")
        elif progress.paused:
            self.eta_value.setText(self.tr("paused"))
        elif progress.eta_seconds is not None:
            self.eta_value.setText(self.tr("about %1").replace(
                "%1", format_duration(max(progress.eta_seconds, 1.0))))
        else:
            self.eta_value.setText("—")
        self._show_trouble(progress)

    def rate_text(self, progress: UploadProgress) -> str:
        """The speed, once there is enough of the upload to measure it: rows a second, or a
        minute for slow runs; "—" before."""
        rate = progress.rate_per_second
        if progress.elapsed_seconds < MIN_SECONDS_FOR_RATE or rate <= 0:
            return "—"
        if rate < 1:
            return arg(self.tr("%1 rows/min"), round(rate * 60))
        return arg(self.tr("%1 rows/s"), round(rate))

    def _show_trouble(self, progress: UploadProgress) -> None:
        """Name an outage or a rate-limit wait while it lasts; back to "Uploading…" after."""
        from ingest_gui.core.upload import RetryReason

        if progress.paused or self._control is None or self._control.is_cancelled:
            return
        reason = progress.retrying
        # Whole seconds, rounded up: never "trying again in 0 s".
        wait = self.tr("now") if progress.retry_in_seconds < 0.5 else arg(
            self.tr("in %1"), format_duration(math.ceil(progress.retry_in_seconds)))
        safe = self.tr("%Ln row(s) are safe.", "", progress.rows_sent)
        if reason is RetryReason.CONNECTION:
            text = arg(self.tr("Cannot reach Instasent — trying again %1; %2"), wait, safe)
        elif reason is RetryReason.SERVER:
            text = arg(self.tr("Instasent answered with an error (%1) — trying again %2; %3"),
                       progress.last_failure or "", wait, safe)
        elif reason is RetryReason.RATE_LIMITED and progress.retry_in_seconds >= 1:
            # (Waits under a second are the pacer's ordinary rhythm: not worth a message.)
            text = arg(self.tr("Instasent's rate limit was reached — sending again %1."), wait)
        else:
            if self._transient_status:
                self._transient_status = False
                self._show_status(self.tr("Uploading…"), BannerKind.INFO)
            return
        self._transient_status = True
        self._show_status(text, BannerKind.INFO if reason is RetryReason.RATE_LIMITED
                          else BannerKind.WARNING)

    def _on_upload_failed(self, message: str) -> None:
        self._show_status(message, BannerKind.ERROR)
        self._on_finished()

    def _on_stopped_before_sending(self) -> None:
        """Stopped while the undo snapshot was being read: nothing was sent."""
        self._show_status(self.tr("Upload stopped before anything was sent."), BannerKind.INFO)
        self._on_finished()

    def _on_uploaded(self, finished: Finished) -> None:
        outcome, log_failure = finished
        self._outcome = outcome
        self._transient_status = False
        result, summary = outcome.upload, outcome.summary
        data = self.session.data
        data.outcome = outcome
        data.error_log_path = Path(summary.error_log) if summary.error_log else None
        self._show_summary("finished" if summary.status == "completed" else "stopped")
        counts = self.tr("%Ln row(s) accepted by Instasent.", "", summary.accepted) + " " + \
            self.tr("%Ln row(s) rejected.", "", summary.rejected)
        if result.fatal_error is not None:
            text = self.tr("The upload stopped: %1").replace("%1", result.fatal_error)
            if result.auth_failed:
                text += " " + self.tr("Check the API token of this connection.")
            text += " " + counts + " " + self.tr(
                "%Ln row(s) were not sent; you can resume later.", "", summary.not_sent)
            kind = BannerKind.ERROR
        elif result.cancelled:
            text = self.tr("Upload stopped.") + " " + counts + " " + self.tr(
                "%Ln row(s) were not sent. Resume now, or continue to save an error log; this "
                "upload will also be offered for resuming the next time you open the file.", "",
                summary.not_sent)
            kind = BannerKind.WARNING
        else:
            text, kind = self.tr("Upload finished.") + " " + counts, BannerKind.SUCCESS
        if log_failure is not None:
            text += " " + log_failure
            kind = BannerKind.ERROR if kind is BannerKind.ERROR else BannerKind.WARNING
        self._show_status(text, kind)
        self._on_finished()

    def _on_finished(self) -> None:
        """The upload ended, whatever the outcome (called on the GUI thread with it)."""
        self._control = None
        self._transient_status = False
        if self._outcome is None:
            self._show_summary("ready")  # nothing was sent: as before it started
        resumable = self._outcome is not None and self._outcome.summary.status != "completed"
        self._show_idle(can_resume=resumable)

    # -- display ---------------------------------------------------------------------------
    def _keep_back_disabled_while_uploading(self) -> None:
        wizard = self.wizard()
        if wizard is not None and wizard.currentPage() is self and self.uploading.is_running():
            back = wizard.button(QWizard.WizardButton.BackButton)
            if back is not None:
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
        running = self.uploading.is_running()
        self.pause_button.setVisible(running)
        self.cancel_button.setVisible(running)
        if self._outcome is None:
            self.start_button.setText(self.tr("Start upload"))
            # A resumable run is offered as "Resume" / "Start over" only. (Whether the banner
            # is visible says nothing before the page is on screen.)
            self.start_button.setVisible(not running and self._resumable is None)
        else:
            self.start_button.setText(self.tr("Resume upload"))
            self.start_button.setVisible(can_resume)

    def _show_status(self, text: str, kind: BannerKind) -> None:
        self.status_banner.set_text(text, kind)
        self.status_banner.setVisible(True)

    def status_text(self) -> str:
        return self.status_banner.text() if self.status_banner.isVisible() else ""
