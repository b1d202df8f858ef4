"""Page 7, Done: totals, the error log (also after a cancelled upload), template, open."""

from __future__ import annotations

import csv

import pytest
from PySide6.QtCore import QLocale, QUrl
from PySide6.QtGui import QDesktopServices

from ingest_gui.core.errorlog import ERRORS_COLUMN, ROW_COLUMN
from ingest_gui.core.mapping import load_template
from ingest_gui.core.upload import RowStatus, UploadResult
from ingest_gui.core.validation import validate
from ingest_gui.ui.pages.done import DonePage
from ingest_gui.ui.widgets.dialogs import SaveFileDialog
from tests.ui.support_pages import contacts_mapping, contacts_table, session_for

pytestmark = pytest.mark.gui

WAIT_MS = 10_000


@pytest.fixture(autouse=True)
def english_numbers():
    previous = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    yield
    QLocale.setDefault(previous)


def done_page(qtbot, *, cancelled: bool) -> DonePage:
    """Rows 3 and 5 were invalid (skipped); row 2 was rejected by the service; row 4 accepted,
    or, when cancelled, row 4 was never sent."""
    mapping = contacts_mapping(_user_id="Customer id", _email="E-mail")
    session = session_for(contacts_table(), mapping)
    data = session.data
    data.validation = validate(data.table, mapping, data.specs)
    data.upload_result = UploadResult(
        statuses={2: RowStatus.REJECTED, 3: RowStatus.SKIPPED, 5: RowStatus.SKIPPED,
                  4: RowStatus.NOT_SENT if cancelled else RowStatus.ACCEPTED},
        messages={2: ["_email: Invalid format"]},
        cancelled=cancelled,
    )
    page = DonePage(session)
    qtbot.addWidget(page)
    page.initializePage()
    return page


def test_totals_and_headline(qtbot):
    page = done_page(qtbot, cancelled=False)
    assert page.accepted_value.text() == "1"
    assert page.rejected_value.text() == "1"
    assert page.skipped_value.text() == "2"
    assert page.not_sent_value.text() == "0"
    assert page.headline.text() == "Upload finished, with some rows rejected."
    assert page.error_log_label.text().startswith("3 rows were not imported.")
    assert page.save_log_button.isEnabled()
    assert not page.open_log_button.isEnabled()


def test_the_error_log_is_available_after_a_cancelled_upload(qtbot, monkeypatch, tmp_path):
    page = done_page(qtbot, cancelled=True)
    assert "stopped before the end" in page.headline.text()
    assert page.not_sent_value.text() == "1"
    target = tmp_path / "errors.csv"
    monkeypatch.setattr(SaveFileDialog, "ask", classmethod(lambda cls, *args: target))
    page.save_error_log()
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=WAIT_MS)
    assert page.status_label.text() == f"Saved 3 rows to {target}."
    assert page.session.data.error_log_path == target
    with target.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [row[ROW_COLUMN] for row in rows] == ["2", "3", "5"]
    assert rows[0]["Customer id"] == "C-1"  # original columns kept
    assert rows[0][ERRORS_COLUMN] == "Rejected by Instasent: _email: Invalid format"
    assert rows[1]["E-mail"] == "not-an-email"
    assert rows[1][ERRORS_COLUMN]  # the validation's reason

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


def test_nothing_to_log_when_every_row_went_in(qtbot):
    mapping = contacts_mapping(_user_id="Customer id")
    session = session_for(contacts_table(), mapping)
    session.data.validation = validate(session.data.table, mapping, session.data.specs)
    session.data.upload_result = UploadResult(
        statuses={row: RowStatus.ACCEPTED for row in range(2, 6)})
    page = DonePage(session)
    qtbot.addWidget(page)
    page.initializePage()
    assert page.headline.text() == "Upload finished."
    assert page.error_log_label.text() == "No row needs fixing."
    assert not page.save_log_button.isEnabled()
