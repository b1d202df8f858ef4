"""Page 5, Check: validate every row off the GUI thread, show and fix the problems, dry-run.

On arrival the page makes the import's :class:`~ingest_gui.core.workflow.ImportWorkflow` (the
same one the command line runs) and has it check every row and plan the batches in one
background task, so Next is instant even for a million rows. The workflow goes to the Upload page
through the session. Editing a problem cell re-checks only that row (core ``revalidate_rows``), then
rebuilds the plan, both in the background: the window never waits for the core.

Once checked, the page previews the import against the datasource (``ImportWorkflow.preview``:
paced reads of a sample, about 15 s; the workflow keeps it for the summary) and says what it
would change. Next waits for three things a
person must decide, never a default: events whose contact is not in the datasource (the service
drops them silently) need a way out; granting marketing consent needs a tick per channel naming
the count; rows with errors need "skip them".
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from ingest_gui.core.cancel import CancelToken
from ingest_gui.core.mapping import ImportKind
from ingest_gui.ui.i18n import arg
from ingest_gui.ui.models.problems import ProblemRowsModel
from ingest_gui.ui.session import WizardSession
from ingest_gui.ui.tasks import PageTask, any_page_task_running, stop_page_tasks
from ingest_gui.ui.widgets.common import Banner, BannerKind, format_count
from ingest_gui.ui.widgets.consent_confirmations import ConsentConfirmations
from ingest_gui.ui.widgets.dialogs import SaveFileDialog
from ingest_gui.ui.widgets.preview_panel import (
    PreviewPanel,
    SampledContactsDialog,
    UnknownContactsBox,
)
from ingest_gui.ui.widgets.problem_kinds import kind_label
from ingest_gui.ui.workers import describe_error

if TYPE_CHECKING:
    import pandas as pd

    from ingest_gui.core.consent import ConsentReport
    from ingest_gui.core.payload import PayloadPlan
    from ingest_gui.core.preview import Preview
    from ingest_gui.core.upload import UploadResult
    from ingest_gui.core.validation import ValidationResult
    from ingest_gui.core.workflow import CheckResult, ImportWorkflow
    from ingest_gui.ui.models.default_country import DefaultCountryPhones

#: Progress reports from the worker are forwarded at most this often (seconds).
PROGRESS_INTERVAL = 0.05
#: How many of the service's rejections a dry run lists on the page.
DRY_RUN_EXAMPLES = 5


def throttled(report: Callable[[Any], None], stage: str) -> Callable[[int, int], None]:
    """A core ``progress(done, total)`` callback that forwards at most every 50 ms."""
    last = [0.0]

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] >= PROGRESS_INTERVAL or (total and done >= total):
            last[0] = now
            report((stage, done, total))

    return progress


def ending_with(done: Callable[[], object],
                callback: Callable[..., object] | None = None) -> Callable[..., None]:
    """An outcome callback of a PageTask: ``callback(*args)``, then ``done()`` whatever the
    outcome. The page's state settles with the outcome, not later when the thread has ended:
    whoever sees the task not running sees the page settled."""

    def outcome(*args: Any) -> None:
        try:
            if callback is not None:
                callback(*args)
        finally:
            done()

    return outcome


def describe_preview_error(error: BaseException) -> str:
    """The workflow's sentence when the reads stop on an error; otherwise as every task."""
    from ingest_gui.core.workflow import WorkflowError

    if isinstance(error, WorkflowError):
        return str(error)
    return describe_error(error)


def country_name(code: str, language: str) -> str:
    """A country's name in ``language`` ("es": Spanish, else English; its code when
    unknown)."""
    from ingest_gui.core.countries import country_names

    english, spanish = country_names().get(code.upper(), (code, code))
    return spanish if language == "es" else english


def records_before(preview: Preview) -> dict[str, dict[str, Any] | None]:
    """Each sampled contact as it is now (the attributes the import writes; None: not in the
    datasource), from the preview's comparisons (a contact's first row shows it untouched)."""
    from ingest_gui.core.preview import ContactStatus

    records: dict[str, dict[str, Any] | None] = {}
    for comparison in preview.comparisons:
        if comparison.user_id not in records:
            records[comparison.user_id] = (
                None if comparison.status is ContactStatus.NEW
                else {field.attribute: field.before for field in comparison.fields})
    return records


def messages_by_row(problems: pd.DataFrame) -> dict[int, list[str]]:
    """Spreadsheet row -> its problem messages (for the error log)."""
    grouped: dict[int, list[str]] = {}
    for row, message in zip(problems["row"].tolist(), problems["message"].tolist(), strict=True):
        grouped.setdefault(int(row), []).append(str(message))
    return grouped


class CheckPage(QWizardPage):
    #: The preview starts by itself once the check has finished (tests of the check alone,
    #: whose connection reaches no service, turn it off).
    preview_on_check = True

    def __init__(self, session: WizardSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setTitle(self.tr("Check"))
        self.setSubTitle(self.tr(
            "Every row is checked against your datasource before anything is sent."))
        self._result: ValidationResult | None = None
        self._plan: PayloadPlan | None = None
        self._workflow: ImportWorkflow | None = None
        self._plan_stale = False
        self._dry_run_control: Any = None
        self.validating = PageTask(self)
        self.planning = PageTask(self)
        self.exporting = PageTask(self)
        self.dry_running = PageTask(self)
        self.previewing = PageTask(self, describe=describe_preview_error)
        self._preview: Preview | None = None
        self._consent: ConsentReport | None = None
        self._default_country_phones: DefaultCountryPhones | None = None
        self.sampled_contacts_dialog: SampledContactsDialog | None = None

        self.progress_bar = QProgressBar(self)
        self.progress_bar.setAccessibleName(self.tr("Checking progress"))
        self.progress_label = QLabel(self)
        self.cancel_button = QPushButton(self.tr("Stop checking"), self)
        self.cancel_button.clicked.connect(self.cancel_validation)
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress_label)
        progress_row.addWidget(self.progress_bar, 1)
        progress_row.addWidget(self.cancel_button)

        self.error_banner = Banner(BannerKind.ERROR, self)
        self.retry_button = self.error_banner.add_button(self.tr("Check again"))
        self.error_banner.finish_buttons()
        self.retry_button.clicked.connect(self.start_validation)
        self.error_banner.setVisible(False)

        self.automation_banner = Banner(BannerKind.WARNING, self)
        self.automation_banner.setVisible(False)

        self.summary_label = QLabel(self)
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextFormat(Qt.TextFormat.PlainText)
        self.kinds_label = QLabel(self)
        self.kinds_label.setWordWrap(True)

        # Phones without a country, read with the datasource's default one (issue 18, item 9).
        self.default_country_label = QLabel(self)
        self.default_country_label.setWordWrap(True)
        self.phones_as_errors_box = QCheckBox(
            self.tr("Treat them as errors instead"), self)
        self.phones_as_errors_box.toggled.connect(lambda _checked: self.start_validation())
        default_country_row = QHBoxLayout()
        default_country_row.addWidget(self.default_country_label, 1)
        default_country_row.addWidget(self.phones_as_errors_box)

        self.preview_panel = PreviewPanel(self)
        self.preview_panel.previewRequested.connect(self.start_preview)
        self.preview_panel.stopRequested.connect(self.previewing.cancel)
        self.preview_panel.contactsRequested.connect(self.show_sampled_contacts)
        self.unknown_contacts = UnknownContactsBox(self)
        self.unknown_contacts.withContactRequested.connect(self.send_events_with_contacts)
        self.unknown_contacts.choiceChanged.connect(self.completeChanged)
        self.consent_box = ConsentConfirmations(self)
        self.consent_box.confirmationChanged.connect(self.completeChanged)

        self.kind_filter = QComboBox(self)
        self.kind_filter.setAccessibleName(self.tr("Show problems of kind"))
        self.kind_filter.activated.connect(self._on_filter_chosen)
        self.export_button = QPushButton(self.tr("Export problem rows…"), self)
        self.export_button.clicked.connect(self.export_problem_rows)
        filter_row = QHBoxLayout()
        self.show_label = QLabel(self.tr("Show:"), self)
        filter_row.addWidget(self.show_label)
        filter_row.addWidget(self.kind_filter, 1)
        filter_row.addWidget(self.export_button)

        self.problems_model = ProblemRowsModel(self)
        self.problems_model.resultChanged.connect(self._on_row_rechecked)
        self.problems_model.editFailed.connect(
            lambda message: self._show_error(message, retry=False))
        self.problems_model.checkingChanged.connect(self._on_checking_changed)
        self.problems_view = QTableView(self)
        self.problems_view.setAccessibleName(self.tr("Rows with problems"))
        self.problems_view.setModel(self.problems_model)
        self.problems_view.verticalHeader().setVisible(False)
        self.problems_view.setWordWrap(False)
        self.problems_view.setEditTriggers(self._edit_triggers())
        self.problems_view.horizontalHeader().setDefaultSectionSize(140)
        self.problems_view.selectionModel().currentRowChanged.connect(
            lambda _current, _previous: self._show_problem_details())
        self.problems_model.modelReset.connect(self._select_first_problem_row)
        self.problems_model.dataChanged.connect(
            lambda *_args: self._show_problem_details())
        # The table cuts long messages short; the selected row's problems are spelled out here.
        self.problem_details = QLabel(self)
        self.problem_details.setWordWrap(True)
        self.problem_details.setTextFormat(Qt.TextFormat.PlainText)
        self.problem_details.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problem_details.setAccessibleName(self.tr("Problems of the selected row"))
        self.edit_hint = QLabel(self.tr(
            "Double-click a highlighted cell to fix it; the row is checked again at once. "
            "Hover over it to see the problem."), self)
        self.edit_hint.setWordWrap(True)

        self.skip_checkbox = QCheckBox(self)
        self.skip_checkbox.toggled.connect(lambda _checked: self.completeChanged.emit())
        self.back_hint = QLabel(self.tr(
            "Or go Back to fix the file or the mapping, then check again."), self)
        self.back_hint.setWordWrap(True)

        self.dry_run_button = QPushButton(self.tr("Dry run"), self)
        self.dry_run_button.setToolTip(self.tr(
            "Send the valid rows to Instasent marked as a test: the service checks them "
            "and saves nothing."))
        self.dry_run_button.clicked.connect(self.start_dry_run)
        self.dry_run_label = QLabel(self)
        self.dry_run_label.setWordWrap(True)
        self.dry_run_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        dry_run_row = QHBoxLayout()
        dry_run_row.addWidget(self.dry_run_button)
        dry_run_row.addWidget(self.dry_run_label, 1)

        self.status_label = QLabel(self)
        self.status_label.setWordWrap(True)

        # The findings can outgrow the window at its default size (960×640): the page
        # scrolls rather than squeezing the problem list or cutting text.
        content = QWidget(self)
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(progress_row)
        layout.addWidget(self.error_banner)
        layout.addWidget(self.automation_banner)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.kinds_label)
        layout.addLayout(default_country_row)
        layout.addWidget(self.unknown_contacts)
        layout.addWidget(self.consent_box)
        layout.addWidget(self.preview_panel)
        layout.addLayout(filter_row)
        layout.addWidget(self.problems_view, 1)
        layout.addWidget(self.problem_details)
        layout.addWidget(self.edit_hint)
        layout.addWidget(self.skip_checkbox)
        layout.addWidget(self.back_hint)
        layout.addLayout(dry_run_row)
        layout.addWidget(self.status_label)
        self.problems_view.setMinimumHeight(150)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(content)
        page_layout = QVBoxLayout(self)
        page_layout.setContentsMargins(0, 0, 0, 0)
        page_layout.addWidget(scroll)
        self._show_results_widgets(False)

    @staticmethod
    def _edit_triggers() -> QAbstractItemView.EditTrigger:
        return (QAbstractItemView.EditTrigger.DoubleClicked
                | QAbstractItemView.EditTrigger.EditKeyPressed
                | QAbstractItemView.EditTrigger.AnyKeyPressed)

    # -- wizard hooks ----------------------------------------------------------------------
    def initializePage(self) -> None:
        self.start_validation()

    def cleanupPage(self) -> None:
        self.stop_background_work()

    def isComplete(self) -> bool:
        result = self._result
        if result is None or self._plan is None or self.is_busy():
            return False
        if result.valid_count == 0:
            return False
        if not self.unknown_contacts.is_resolved() or not self.consent_box.all_confirmed():
            return False
        return result.invalid_count == 0 or self.skip_checkbox.isChecked()

    def validatePage(self) -> bool:
        if not self.isComplete():
            return False
        data = self.session.data
        data.validation = self._result
        data.plan = self._plan
        data.workflow = self._workflow
        if self._workflow is not None:
            # The user ticked each granting channel by name: the workflow's guard lets it go.
            self._workflow.confirm_consent(self.consent_box.confirmed_channels())
        return True

    # -- state -----------------------------------------------------------------------------
    @property
    def result(self) -> ValidationResult | None:
        return self._result

    @property
    def plan(self) -> PayloadPlan | None:
        return self._plan

    @property
    def preview(self) -> Preview | None:
        """What the import would do to the datasource (None until a preview has finished)."""
        return self._preview

    @property
    def default_country_phones(self) -> DefaultCountryPhones | None:
        """Phones read with the datasource's default country (None before a check)."""
        return self._default_country_phones

    @property
    def workflow(self) -> ImportWorkflow | None:
        """The import being checked (None until the check has started)."""
        return self._workflow

    def is_busy(self) -> bool:
        return self.problems_model.is_checking or any_page_task_running(self)

    def stop_background_work(self) -> None:
        """Cancel and wait for every task (leaving the page or closing the window)."""
        if self._dry_run_control is not None:
            self._dry_run_control.cancel()
        stop_page_tasks(self)
        self.problems_model.settle_edits()

    def shutdown(self) -> None:
        """The window is closing: no check, export or dry run may outlive it."""
        self.stop_background_work()

    # -- validation ------------------------------------------------------------------------
    def start_validation(self) -> None:
        data = self.session.data
        table, mapping, specs = data.table, data.mapping, data.specs
        if table is None or mapping is None or specs is None:
            self._show_error(self.tr("Open a file and map its columns first."), retry=False)
            return
        if self.validating.is_running():
            return
        try:
            client = self.session.client()  # its key derives the event ids, as on the command line
        except RuntimeError as error:
            self._show_error(str(error), retry=False)
            return
        self.problems_model.settle_edits()  # the whole check must see every edit
        self._result, self._plan = None, None
        if self._workflow is not None:
            self._workflow.close()
            self._workflow = None
        self.problems_model.set_result(None)
        self.previewing.discard()
        self._preview, self._consent, self._default_country_phones = None, None, None
        self.preview_panel.show_idle()
        self.preview_panel.setVisible(False)
        self.unknown_contacts.clear()
        self.consent_box.set_report(None)
        self.default_country_label.setVisible(False)
        self.phones_as_errors_box.setVisible(False)
        self.error_banner.setVisible(False)
        self.automation_banner.setVisible(False)
        self.dry_run_label.clear()
        self.status_label.clear()
        self._show_results_widgets(False)
        self._set_progress_visible(True)
        self.progress_label.setText(self.tr("Checking %Ln row(s)…", "", len(table)))
        self.progress_bar.setRange(0, 0)

        as_errors = self.phones_as_errors_box.isChecked()
        problem_template = self.tr(
            'Row %1, column "%2": "%3" has no international prefix (+…), and phones without '
            "a country are treated as errors")

        def work(cancel: CancelToken, report: Callable[[Any], None],
                 ) -> tuple[ImportWorkflow, CheckResult, DefaultCountryPhones]:
            from ingest_gui.core.workflow import ImportWorkflow
            from ingest_gui.ui.models.default_country import (
                phones_as_errors,
                phones_read_with_default_country,
            )

            workflow = ImportWorkflow(table, mapping, specs, client)
            checked = workflow.check(progress=throttled(report, "check"), cancel=cancel)
            phones = phones_read_with_default_country(checked.validation)
            if as_errors and phones.count:
                checked = workflow.replan(phones_as_errors(
                    checked.validation, phones, problem_template))
            return workflow, checked, phones

        def hide_progress() -> None:
            self._set_progress_visible(False)

        self.validating.start(
            work, on_success=ending_with(hide_progress, self._on_validated),
            on_failure=ending_with(hide_progress,
                                   lambda message: self._show_error(message, retry=True)),
            on_cancel=ending_with(hide_progress, self._on_validation_cancelled),
            on_progress=self._on_progress)

    def cancel_validation(self) -> None:
        self.validating.cancel()

    def _on_progress(self, value: Any) -> None:
        _stage, done, total = value
        if total and done >= total:  # every row checked: the batches are planned next
            self.progress_label.setText(self.tr("Preparing the upload…"))
            self.progress_bar.setRange(0, 0)
        elif total:
            self.progress_bar.setRange(0, 1000)
            self.progress_bar.setValue(int(1000 * min(done, total) / total))

    def _on_validated(
            self, value: tuple[ImportWorkflow, CheckResult, DefaultCountryPhones]) -> None:
        self._workflow, checked, self._default_country_phones = value
        self._result, self._plan = checked.validation, checked.plan
        self._consent = checked.consent
        self._show_result()
        self.consent_box.set_report(self._consent)
        self._show_default_country_phones()
        if self.preview_on_check:
            self.start_preview()
        else:
            self.preview_panel.setVisible(True)  # "Preview changes" is offered

    def _on_validation_cancelled(self) -> None:
        self._show_error(self.tr("Checking was stopped. Nothing has been sent."), retry=True)

    def _set_progress_visible(self, visible: bool) -> None:
        for widget in (self.progress_bar, self.progress_label, self.cancel_button):
            widget.setVisible(visible)

    def _show_results_widgets(self, visible: bool) -> None:
        for widget in (self.summary_label, self.kinds_label, self.show_label, self.kind_filter,
                       self.export_button, self.problems_view, self.problem_details,
                       self.edit_hint,
                       self.skip_checkbox, self.back_hint, self.dry_run_button,
                       self.dry_run_label):
            widget.setVisible(visible)

    def _show_error(self, message: str, *, retry: bool) -> None:
        self.error_banner.set_text(message)
        self.retry_button.setVisible(retry)
        self.error_banner.setVisible(True)

    # -- showing the result ----------------------------------------------------------------
    def _show_result(self) -> None:
        result = self._result
        if result is None:
            return
        self._show_results_widgets(True)
        has_problems = len(result.problems) > 0
        for widget in (self.kinds_label, self.show_label, self.kind_filter, self.export_button,
                       self.problems_view, self.problem_details, self.edit_hint):
            widget.setVisible(has_problems)
        self.problems_model.set_result(result, None)  # first: the summary reads its counts
        self._update_summary()
        self._fill_kind_filter(keep=None)
        self._fit_row_column()
        self.problems_view.setColumnWidth(ProblemRowsModel.PROBLEMS, 380)
        self._update_automation_banner()
        self.completeChanged.emit()

    def _fit_row_column(self) -> None:
        """The "Row" column as wide as its widest number or its title.

        The largest row number has the most digits, so only that cell is measured:
        ``resizeColumnToContents`` would ask the model about up to 1,000 rows (~80 ms).
        """
        view, model = self.problems_view, self.problems_model
        width = view.horizontalHeader().sectionSizeHint(ProblemRowsModel.ROW)
        widest = model.row_with_largest_number()
        if widest is not None:
            cell = view.sizeHintForIndex(model.index(widest, ProblemRowsModel.ROW)).width()
            width = max(width, cell + (1 if view.showGrid() else 0))
        view.setColumnWidth(ProblemRowsModel.ROW, width)

    def _select_first_problem_row(self) -> None:
        if self.problems_model.rowCount() > 0:
            self.problems_view.setCurrentIndex(
                self.problems_model.index(0, ProblemRowsModel.PROBLEMS))
        self._show_problem_details()

    def _show_problem_details(self) -> None:
        """Spell out the current row's problems in full (the table elides long ones)."""
        current = self.problems_view.currentIndex()
        if not current.isValid():
            self.problem_details.clear()
            return
        model = self.problems_model
        row = model.index(current.row(), ProblemRowsModel.PROBLEMS)
        self.problem_details.setText(str(model.data(row, Qt.ItemDataRole.ToolTipRole) or ""))

    def _update_summary(self) -> None:
        result = self._result
        if result is None:
            return
        valid, invalid = result.valid_count, result.invalid_count
        counts = self.problems_model.counts
        warnings = counts.warnings
        # Repeated events are sent once: the count of rows to send is the plan's, as on the
        # Upload and Done pages (issue 18, item 2).
        repeated = len(self._plan.duplicate_events) if self._plan is not None else 0
        parts = [self.tr("%Ln row(s) are ready to upload.", "", valid - repeated)]
        if result.orders is not None:
            # Orders written one row per line item travel one event each: the count ready is
            # of orders, the Upload page's "events" and the Done page's "accepted".
            rows, orders = result.orders.counts
            ready = int((result.valid & ~result.orders.continuation).sum()) - repeated
            parts[0:1] = [
                arg(self.tr("%1 rows are %Ln order(s): each order is sent as one purchase "
                            "event.", "", orders), rows),
                self.tr("%Ln order(s) are ready to upload.", "", ready)]
        if repeated:
            parts.append(self.tr(
                "%Ln repeated row(s) are the same event as an earlier row: sent once, nothing "
                "to fix.", "", repeated))
        if invalid:
            parts.append(self.tr("%Ln row(s) have errors and cannot be uploaded as they are.", "",
                                 invalid))
        # Values left out are counted apart from the rows rejected: their rows still go.
        left_out = result.values_left_out_count
        if left_out:
            parts.append(self.tr(
                "%Ln invalid value(s) will be left out; the rest of their rows is uploaded.", "",
                left_out))
        warnings -= result.left_out_warnings
        if warnings:
            parts.append(self.tr("%Ln warning(s) do not stop a row from being uploaded.", "",
                                 warnings))
        if not invalid and not warnings and not repeated and not left_out:
            parts.append(self.tr("No problems found."))
        mapping = result.mapping
        if mapping.kind is ImportKind.EVENTS and mapping.with_user_data and not any(
                key.startswith("_user_data.") for key in mapping.assignments):
            parts.append(self.tr(
                "Each event carries its contact (its user id only): to fill in their name, "
                "e-mail or phone too, go Back to Map columns and map those columns."))
        self.summary_label.setText(" ".join(parts))
        self.kinds_label.setText(" · ".join(
            f"{kind_label(kind)}: {format_count(count)}"
            for kind, count in sorted(counts.by_kind.items(), key=lambda item: -item[1])))
        self.skip_checkbox.setVisible(invalid > 0 and valid > 0)
        self.back_hint.setVisible(invalid > 0)
        self.skip_checkbox.setText(
            self.tr("Upload the %Ln valid row(s) and skip those with errors (%1)", "", valid)
            .replace("%1", format_count(invalid)))
        self.dry_run_button.setEnabled(valid > 0)
        if self.problems_model.is_checking:
            self.status_label.setText(self.tr("Checking your edits…"))
        elif valid == 0:
            self.status_label.setText(self.tr(
                "No row can be uploaded. Go Back to fix the file or the mapping."))
        else:
            self.status_label.clear()

    def _fill_kind_filter(self, keep: str | None) -> None:
        result = self._result
        self.kind_filter.clear()
        if result is None:
            return
        counts = self.problems_model.counts.by_kind
        self.kind_filter.addItem(self.tr("All problems (%1)").replace(
            "%1", format_count(sum(counts.values()))), None)
        for kind, count in sorted(counts.items(), key=lambda item: -item[1]):
            self.kind_filter.addItem(f"{kind_label(kind)} ({format_count(count)})", kind)
        if keep is not None:
            self.kind_filter.setCurrentIndex(max(0, self.kind_filter.findData(keep)))

    def _update_automation_banner(self) -> None:
        result = self._result
        automation = result.automation if result is not None else None
        if automation is None or automation.will_trigger <= 0:
            self.automation_banner.setVisible(False)
            return
        self.automation_banner.set_text(self.automation_warning_text(automation.will_trigger))
        self.automation_banner.setVisible(True)

    def automation_warning_text(self, count: int) -> str:
        return self.tr(
            "%Ln event(s) are dated within 1 hour of now or have no date: they will trigger "
            "automations, such as SMS, for these contacts.", "", count)

    def filter_by_kind(self, kind: str | None) -> None:
        self.kind_filter.setCurrentIndex(max(0, self.kind_filter.findData(kind)))
        self.problems_model.set_kind_filter(kind)

    def _on_filter_chosen(self, position: int) -> None:
        self.problems_model.set_kind_filter(self.kind_filter.itemData(position))

    # -- edits -----------------------------------------------------------------------------
    def _on_checking_changed(self, checking: bool) -> None:
        self.export_button.setEnabled(not checking and not self.exporting.is_running())
        if checking:
            self.status_label.setText(self.tr("Checking your edits…"))
        elif not self.planning.is_running():
            self._update_summary()
        self.completeChanged.emit()

    def _on_row_rechecked(self, result: ValidationResult) -> None:
        self._result = result
        self._update_summary()
        self._fill_kind_filter(keep=self.problems_model.kind_filter)
        self._update_automation_banner()
        self._rebuild_plan()

    def _rebuild_plan(self) -> None:
        """The edited result needs a new plan; built off the GUI thread (it reads every row)."""
        self._plan = None
        if self.planning.is_running():
            self._plan_stale = True  # one more build once this one ends
            return
        result, workflow = self._result, self._workflow
        if result is None or workflow is None or result.valid_count == 0:
            self._update_summary()
            self.completeChanged.emit()
            return
        self._plan_stale = False
        # The core must not read the result while a re-check writes the table: edits made
        # meanwhile wait for the next one.
        self.problems_model.hold_rechecks(True)
        self.status_label.setText(self.tr("Preparing the upload…"))

        def work(cancel: CancelToken, report: Callable[[Any], None]) -> CheckResult:
            return workflow.replan(result)

        self.planning.start(
            work, on_success=ending_with(self._on_plan_finished, self._on_plan_built),
            on_failure=ending_with(self._on_plan_finished,
                                   lambda message: self._show_error(message, retry=True)),
            on_cancel=ending_with(self._on_plan_finished))

    def _on_plan_built(self, checked: CheckResult) -> None:
        if not self._plan_stale:
            self._plan = checked.plan
            if checked.consent != self._consent:  # the counts changed: confirm them again
                self._consent = checked.consent
                self.consent_box.set_report(self._consent)

    def _on_plan_finished(self) -> None:
        self.problems_model.hold_rechecks(False)
        if self._plan_stale:
            self._rebuild_plan()
            return
        self._update_summary()
        if self._preview is not None and self._plan is not None:
            self.start_preview()  # the preview was of the plan before the edit
        self.completeChanged.emit()

    def _show_default_country_phones(self) -> None:
        phones = self._default_country_phones
        specs = self.session.data.specs
        if phones is None or phones.count == 0 or specs is None:
            self.default_country_label.setVisible(False)
            self.phones_as_errors_box.setVisible(False)
            return
        # Like Qt's QT_LAYOUT_DIRECTION: each catalogue says which names it wants.
        country = country_name(specs.default_country, self.tr(
            "en", "The language of country names: en (English) or es (Spanish)"))
        if self.phones_as_errors_box.isChecked():
            text = arg(self.tr(
                "%Ln phone(s) had no country: they are errors, as you chose, instead of being "
                "read as %1, the datasource's default.", "", phones.count), country)
        else:
            text = arg(self.tr(
                "%Ln phone(s) had no country: read as %1, the datasource's default.", "",
                phones.count), country)
        self.default_country_label.setText(text)
        self.default_country_label.setVisible(True)
        self.phones_as_errors_box.setVisible(True)

    # -- preview against the datasource ------------------------------------------------------
    def start_preview(self) -> None:
        """Read a sample of the contacts the plan touches and say what the import would do
        (about 15 s of paced reads; cancellable). Contacts and events only."""
        workflow, plan = self._workflow, self._plan
        if workflow is None or plan is None or self.previewing.is_running():
            return
        if workflow.mapping.kind is ImportKind.DELETE or plan.item_count == 0:
            return

        checked = workflow.checked

        def work(cancel: CancelToken, report: Callable[[Any], None],
                 ) -> tuple[Preview, ConsentReport | None]:
            # The workflow keeps it: the summary then never counts events of unknown
            # contacts as accepted without saying the service skipped them.
            preview = workflow.preview(progress=throttled(report, "preview"), cancel=cancel)
            if checked is None or not checked.consent.writes_consent:
                return preview, None
            from ingest_gui.core.consent import count_consent

            # How many of the sampled contacts given consent did not have it before.
            consent = count_consent(checked.validation, checked.plan,
                                    conflicts=checked.consent.conflicts,
                                    current=records_before(preview))
            return preview, consent

        self._preview = None
        self.unknown_contacts.clear()
        self.preview_panel.setVisible(True)
        self.preview_panel.show_reading()
        self.completeChanged.emit()
        self.previewing.start(
            work, on_success=ending_with(self.completeChanged.emit, self._on_previewed),
            on_failure=ending_with(self.completeChanged.emit, self._on_preview_failed),
            on_cancel=ending_with(self.completeChanged.emit, self._on_preview_cancelled),
            on_progress=self._on_preview_progress)

    def _on_preview_progress(self, value: Any) -> None:
        _stage, done, total = value
        self.preview_panel.show_progress(done, total)

    def _on_previewed(self, value: tuple[Preview, ConsentReport | None]) -> None:
        preview, consent = value
        self._preview = preview
        unknown = preview.events_unknown_contact or 0
        # The warning above says it, with the ways out; the panel keeps to the sample.
        self.preview_panel.show_preview(preview, sampling_only=bool(unknown))
        if consent is not None:
            self._consent = consent
            self.consent_box.set_report(consent)
        if unknown:
            estimate = preview.estimate(unknown)
            self.unknown_contacts.show_unknown(
                unknown, preview.rows_sampled, sampled_all=preview.sampled_all,
                estimate=arg(self.tr("%1 ± %2"), estimate.value, estimate.margin))

    def _on_preview_failed(self, message: str) -> None:
        self.preview_panel.show_message(arg(self.tr(
            "The preview stopped: %1 Nothing has been sent; you can preview again."), message))

    def _on_preview_cancelled(self) -> None:
        self.preview_panel.show_message(self.tr(
            "The preview was stopped. Nothing has been sent; you can preview again."))

    def show_sampled_contacts(self) -> None:
        """The sampled contacts side by side, current vs after (a few of them)."""
        preview = self._preview
        if preview is None or not preview.comparisons:
            return
        if self.sampled_contacts_dialog is not None:
            self.sampled_contacts_dialog.close()
        self.sampled_contacts_dialog = SampledContactsDialog(preview.examples, self)
        self.sampled_contacts_dialog.open()

    def send_events_with_contacts(self) -> None:
        """Send each event with its contact (``_user_data``: its user id, plus the contact
        columns mapped on the Map page), so the service creates missing contacts; check
        again."""
        mapping = self.session.data.mapping
        if mapping is None or mapping.kind is not ImportKind.EVENTS:
            return
        mapping.with_user_data = True
        self.start_validation()

    # -- export ----------------------------------------------------------------------------
    def export_problem_rows(self) -> None:
        result = self._result
        if result is None or self.exporting.is_running() or self.problems_model.is_checking:
            return
        table = result.table
        suggested = table.path.with_name(f"{table.path.stem} - problems.xlsx")
        path = SaveFileDialog.ask(self, self.tr("Export the rows with problems"), suggested,
                                  self.tr("Excel workbook (*.xlsx);;CSV file (*.csv)"))
        if path is None:
            return
        if path.suffix.lower() not in (".csv", ".xlsx"):
            path = path.with_name(path.name + ".xlsx")
        kind = self.problems_model.kind_filter
        problems = result.problems

        def work(cancel: CancelToken, report: Callable[[Any], None]) -> tuple[Path, int]:
            from ingest_gui.core.errorlog import write_error_log

            chosen = problems if kind is None else problems[problems["kind"] == kind]
            return path, write_error_log(path, table, messages_by_row(chosen))

        self.export_button.setEnabled(False)
        self.problems_model.hold_rechecks(True)  # the export reads the table's cells
        self.exporting.start(
            work, on_success=ending_with(self._on_export_finished, self._on_exported),
            on_failure=ending_with(self._on_export_finished,
                                   lambda message: self._show_error(message, retry=False)),
            on_cancel=ending_with(self._on_export_finished))

    def _on_exported(self, value: tuple[Path, int]) -> None:
        path, count = value
        self.status_label.setText(self.tr("Saved %Ln row(s) with problems to %1.", "", count)
                                  .replace("%1", str(path)))

    def _on_export_finished(self) -> None:
        self.problems_model.hold_rechecks(False)
        self.export_button.setEnabled(not self.problems_model.is_checking)
        self.completeChanged.emit()

    # -- dry run ---------------------------------------------------------------------------
    def start_dry_run(self) -> None:
        workflow = self._workflow
        if self._plan is None or workflow is None or self.dry_running.is_running():
            return
        from ingest_gui.core.upload import UploadControl

        control = UploadControl()

        def work(cancel: CancelToken, report: Callable[[Any], None]) -> UploadResult:
            return workflow.send_dry_run(on_progress=report, control=control)

        self._dry_run_control = control
        self.dry_run_button.setEnabled(False)
        self.dry_run_label.setText(self.tr("Asking Instasent to check the rows…"))
        self.dry_running.start(
            work, on_success=ending_with(self._on_dry_run_finished, self._on_dry_run_done),
            on_failure=ending_with(self._on_dry_run_finished,
                                   lambda message: self._show_error(message, retry=False)),
            on_cancel=ending_with(self._on_dry_run_finished),
            on_progress=self._on_dry_run_progress)

    def _on_dry_run_progress(self, progress: Any) -> None:
        self.dry_run_label.setText(
            self.tr("Dry run: %1 of %Ln row(s) checked by Instasent…", "", progress.rows_total)
            .replace("%1", format_count(progress.rows_sent)))

    def _on_dry_run_done(self, result: UploadResult) -> None:
        from ingest_gui.core.upload import RowStatus

        accepted = result.count(RowStatus.ACCEPTED)
        rejected = result.count(RowStatus.REJECTED)
        if result.fatal_error:
            self.dry_run_label.setText(self.tr("The dry run stopped: %1").replace(
                "%1", result.fatal_error))
            return
        text = self.tr("Dry run: Instasent would accept %Ln row(s) and reject %1.", "",
                       accepted).replace("%1", format_count(rejected))
        examples = sorted(result.messages.items())[:DRY_RUN_EXAMPLES]
        for row, messages in examples:
            text += "\n" + self.tr("Row %1: %2").replace("%1", str(row)).replace(
                "%2", "; ".join(messages))
        if len(result.messages) > DRY_RUN_EXAMPLES:
            text += "\n" + self.tr("…and %Ln more row(s).", "",
                                    len(result.messages) - DRY_RUN_EXAMPLES)
        self.dry_run_label.setText(text)

    def _on_dry_run_finished(self) -> None:
        self._dry_run_control = None
        self.dry_run_button.setEnabled(self._plan is not None)
        self.completeChanged.emit()
