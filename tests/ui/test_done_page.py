"""Page 7, Done: totals, the error log (also after a cancelled upload), template, open."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import QLocale, QUrl
from PySide6.QtGui import QDesktopServices

from ingest_gui.core.errorlog import ERRORS_COLUMN, ROW_COLUMN
from ingest_gui.core.mapping import ImportKind, Mapping, load_template
from ingest_gui.core.payload import build_batches
from ingest_gui.core.report import build_report
from ingest_gui.core.upload import RowStatus, UploadResult
from ingest_gui.core.validation import validate
from ingest_gui.core.workflow import ImportOutcome, ImportSummary
from ingest_gui.ui.pages.done import DonePage
from ingest_gui.ui.widgets.dialogs import SaveFileDialog
from tests.ui.support_pages import contacts_mapping, contacts_table, session_for

if TYPE_CHECKING:
    from ingest_gui.ui.session import WizardSession

pytestmark = pytest.mark.gui

WAIT_MS = 10_000


@pytest.fixture(autouse=True)
def english_numbers():
    previous = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    yield
    QLocale.setDefault(previous)


def finish(session: WizardSession, upload: UploadResult) -> ImportOutcome:
    """What the workflow's ``finish()`` hands the Upload page for this upload (no error log
    written: the tests save their own)."""
    data = session.data
    report = build_report(data.validation, data.plan, upload)
    summary = ImportSummary.from_report(report, upload, error_log=None, seconds=1.5,
                                        dry_run=False, run_id=7)
    data.outcome = ImportOutcome(summary, report, upload)
    return data.outcome


def show(qtbot, session: WizardSession) -> DonePage:
    page = DonePage(session)
    qtbot.addWidget(page)
    page.initializePage()
    return page


def done_page(qtbot, *, cancelled: bool) -> DonePage:
    """Rows 3 and 5 were invalid (skipped); row 2 was rejected by the service; row 4 accepted,
    or, when cancelled, row 4 was never sent."""
    mapping = contacts_mapping(_user_id="Customer id", _email="E-mail")
    session = session_for(contacts_table(), mapping)
    data = session.data
    data.validation = validate(data.table, mapping, data.specs)
    data.plan = build_batches(data.validation, datasource="ds")
    finish(session, UploadResult(
        statuses={2: RowStatus.REJECTED, 3: RowStatus.SKIPPED, 5: RowStatus.SKIPPED,
                  4: RowStatus.NOT_SENT if cancelled else RowStatus.ACCEPTED},
        messages={2: ["_email: Invalid format"]},
        cancelled=cancelled,
    ))
    return show(qtbot, session)


def saved_log(qtbot, monkeypatch, page: DonePage, target: Path) -> list[dict[str, str]]:
    monkeypatch.setattr(SaveFileDialog, "ask", classmethod(lambda cls, *args: target))
    page.save_error_log()
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=WAIT_MS)
    with target.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_totals_and_headline(qtbot):
    page = done_page(qtbot, cancelled=False)
    assert page.accepted_value.text() == "1"
    assert page.rejected_value.text() == "1"
    assert page.skipped_value.text() == "2"
    assert page.not_sent_value.text() == "0"
    assert page.duplicates_value.isHidden()  # contacts have no duplicate events
    assert page.headline.text() == "Upload finished, with some rows rejected."
    assert page.error_log_label.text().startswith("3 rows were not imported.")
    assert page.save_log_button.isEnabled()
    assert not page.open_log_button.isEnabled()


def test_the_counts_are_the_workflows_summary(qtbot):
    """The same numbers ``ingest-gui import --json`` prints for this import."""
    page = done_page(qtbot, cancelled=True)
    summary = page.session.data.outcome.summary
    assert page.summary is summary
    numbers = summary.as_json()
    shown = {"accepted": page.accepted_value, "rejected": page.rejected_value,
             "invalid": page.skipped_value, "duplicates": page.duplicates_value,
             "not_sent": page.not_sent_value}
    assert {key: label.text() for key, label in shown.items()} == \
        {key: str(numbers[key]) for key in shown}
    assert numbers["status"] == "cancelled"


def test_the_error_log_the_upload_wrote_opens_at_once(qtbot, monkeypatch, tmp_path):
    mapping = contacts_mapping(_user_id="Customer id", _email="E-mail")
    session = session_for(contacts_table(), mapping)
    data = session.data
    data.validation = validate(data.table, mapping, data.specs)
    data.plan = build_batches(data.validation, datasource="ds")
    finish(session, UploadResult(statuses={2: RowStatus.ACCEPTED, 4: RowStatus.ACCEPTED}))
    written = tmp_path / "contacts-errors.csv"
    written.write_text("as the workflow wrote it", encoding="utf-8")
    data.error_log_path = written  # what the Upload page keeps from the summary
    page = show(qtbot, session)
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl",
                        staticmethod(lambda url: opened.append(url) or True))
    assert page.open_log_button.isEnabled()
    page.open_log_button.click()
    assert opened == [QUrl.fromLocalFile(str(written))]


def test_nothing_uploaded_shows_zeros(qtbot):
    session = session_for(contacts_table(), contacts_mapping(_user_id="Customer id"))
    page = show(qtbot, session)
    assert page.headline.text() == "Nothing was uploaded."
    assert [label.text() for label in (page.accepted_value, page.not_sent_value)] == ["0", "0"]
    assert not page.save_log_button.isEnabled()


def test_the_error_log_is_available_after_a_cancelled_upload(qtbot, monkeypatch, tmp_path):
    page = done_page(qtbot, cancelled=True)
    assert "stopped before the end" in page.headline.text()
    assert page.not_sent_value.text() == "1"
    assert page.error_log_label.text().startswith("4 rows were not imported.")
    target = tmp_path / "errors.csv"
    rows = saved_log(qtbot, monkeypatch, page, target)
    assert page.status_label.text() == f"Saved 4 rows to {target}."
    assert page.session.data.error_log_path == target
    assert [row[ROW_COLUMN] for row in rows] == ["2", "3", "4", "5"]
    assert rows[0]["Customer id"] == "C-1"  # original columns kept
    assert rows[0][ERRORS_COLUMN] == "Rejected by Instasent: _email: Invalid format"
    assert rows[1]["E-mail"] == "not-an-email"
    assert "e-mail" in rows[1][ERRORS_COLUMN].lower()  # the validation's reason
    # The row the cancelled upload never sent says so, and that the run can be resumed.
    assert rows[2]["Customer id"] == "C-3"
    assert rows[2][ERRORS_COLUMN] == (
        "Not sent: the upload stopped before this row (it can be resumed).")

    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl",
                        staticmethod(lambda url: opened.append(url) or True))
    assert page.open_log_button.isEnabled()
    page.open_log_button.click()
    assert opened == [QUrl.fromLocalFile(str(target))]


def test_the_error_log_as_xlsx(qtbot, monkeypatch, tmp_path):
    from openpyxl import load_workbook

    page = done_page(qtbot, cancelled=False)
    target = tmp_path / "errors"  # no suffix: saved as a workbook
    monkeypatch.setattr(SaveFileDialog, "ask", classmethod(lambda cls, *args: target))
    page.save_error_log()
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=WAIT_MS)
    saved = tmp_path / "errors.xlsx"
    assert page.session.data.error_log_path == saved
    sheet = load_workbook(saved).active
    assert sheet.max_row == 4  # header + 3 rows


def test_save_this_mapping_as_a_template(qtbot, monkeypatch, tmp_path):
    page = done_page(qtbot, cancelled=False)
    target = tmp_path / "shop.json"
    monkeypatch.setattr(SaveFileDialog, "ask", classmethod(lambda cls, *args: target))
    page.save_template()
    mapping, headers = load_template(target)
    assert mapping.assignments == {"_user_id": "Customer id", "_email": "E-mail"}
    assert list(headers) == page.session.data.table.headers
    assert "Saved the template \"shop\"" in page.status_label.text()


def test_duplicate_events_are_counted_and_explained(qtbot, monkeypatch, tmp_path):
    """Row 4 repeats row 2: the event went in once and the log says which row it repeats."""
    table = contacts_table({"Customer": ["U1", "U2", "U1"], "Product": ["P1", "P1", "P1"]})
    mapping = Mapping(ImportKind.EVENTS, event_type="viewed_product")
    mapping.assign("Customer", "_user_id")
    mapping.assign("Product", "_event_parameters.product_id")
    session = session_for(table, mapping)
    data = session.data
    data.validation = validate(data.table, mapping, data.specs)
    data.plan = build_batches(data.validation, datasource="ds")
    assert data.plan.duplicate_events == ((4, 2),)
    finish(session, UploadResult(statuses={2: RowStatus.ACCEPTED, 3: RowStatus.ACCEPTED}))
    page = show(qtbot, session)
    assert not page.duplicates_value.isHidden()
    assert page.duplicates_value.text() == "1"
    assert page.accepted_value.text() == "2"
    assert page.headline.text() == "Upload finished."
    # Sent once: nothing to fix, and said so apart from the rows to fix.
    assert page.error_log_label.text() == (
        "No row needs fixing. 1 repeated row was sent once — nothing to fix. The error log "
        "lists it last.")
    rows = saved_log(qtbot, monkeypatch, page, tmp_path / "errors.csv")
    assert [(row[ROW_COLUMN], row["Customer"]) for row in rows] == [("4", "U1")]
    assert rows[0][ERRORS_COLUMN] == (
        "Sent once — nothing to fix: row 4 is identical to row 2, whose event was sent.")


def test_nothing_to_log_when_every_row_went_in(qtbot):
    mapping = contacts_mapping(_user_id="Customer id")
    session = session_for(contacts_table(), mapping)
    session.data.validation = validate(session.data.table, mapping, session.data.specs)
    session.data.plan = build_batches(session.data.validation, datasource="ds")
    finish(session, UploadResult(statuses={row: RowStatus.ACCEPTED for row in range(2, 6)}))
    page = show(qtbot, session)
    assert page.headline.text() == "Upload finished."
    assert page.error_log_label.text() == "No row needs fixing."
    assert not page.save_log_button.isEnabled()


def test_rows_imported_without_a_bad_value_are_not_called_rows_not_imported(qtbot):
    """Bad e-mails left out (the default): their rows went in, so the page counts them as
    imported with a warning, not as rows that were not imported."""
    mapping = contacts_mapping(leave_out=True, _user_id="Customer id", _email="E-mail")
    session = session_for(contacts_table(), mapping)
    data = session.data
    data.validation = validate(data.table, mapping, data.specs)
    data.plan = build_batches(data.validation, datasource="ds")
    rows = [row for batch in data.plan.batches for row in batch.rows]
    finish(session, UploadResult(statuses=dict.fromkeys(rows, RowStatus.ACCEPTED)))
    page = show(qtbot, session)
    left_out = data.validation.values_left_out_count
    assert left_out > 0
    assert page.skipped_value.text() == "0"
    assert page.error_log_label.text() == (
        f"{left_out} rows were imported without a value that was not valid; the error log "
        "lists them as warnings.")
    assert "not imported" not in page.error_log_label.text()
