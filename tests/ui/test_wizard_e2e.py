"""The real wizard, driven page by page against the sandbox over loopback.

Every test builds the real :class:`IngestWizard`, fills real widgets, waits on the background work
with bounded timeouts, and checks what the sandbox stored (the sandbox is an independent oracle:
it shares no validation code with the app).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, Qt, QTimer
from PySide6.QtWidgets import QWizard

from ingest_gui.core.upload import RowStatus
from ingest_gui.sandbox.server import DEFAULT_TOKEN
from ingest_gui.ui.pages.check import CheckPage
from ingest_gui.ui.pages.done import DonePage
from ingest_gui.ui.pages.mapping import MappingPage
from ingest_gui.ui.pages.upload import UploadPage
from ingest_gui.ui.wizard import IngestWizard, PageId
from tests.ui.support_pages import write_csv, write_xlsx

pytestmark = [
    pytest.mark.gui,
    # The offscreen platform warns when a wizard page change resizes the window.
    pytest.mark.qt_log_ignore("propagateSizeHints"),
]

WAIT_MS = 30_000


@pytest.fixture(autouse=True)
def english_numbers():
    previous = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    yield
    QLocale.setDefault(previous)


@pytest.fixture
def wizard(qtbot):
    made: list[IngestWizard] = []

    def make() -> IngestWizard:
        window = IngestWizard()
        qtbot.addWidget(window)
        window.show()
        made.append(window)
        return window

    yield make
    for window in made:
        window.close()


def next_button(wizard: QWizard):
    page = wizard.currentPage()
    which = QWizard.WizardButton.CommitButton if page.isCommitPage() \
        else QWizard.WizardButton.NextButton
    return wizard.button(which)


def go_next(qtbot, wizard: QWizard) -> None:
    before = wizard.currentId()
    button = next_button(wizard)
    qtbot.waitUntil(button.isEnabled, timeout=WAIT_MS)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert wizard.currentId() == before + 1


def connect(qtbot, wizard: IngestWizard, sandbox, token: str = DEFAULT_TOKEN) -> None:
    page = wizard.currentPage()
    page.advanced_button.setChecked(True)
    for edit, text in ((page.name_edit, "Shop"), (page.project_edit, sandbox.config.project),
                       (page.datasource_edit, sandbox.config.datasource),
                       (page.token_edit, token), (page.base_url_edit, sandbox.base_url)):
        edit.clear()
        qtbot.keyClicks(edit, text)
    qtbot.mouseClick(page.test_button, Qt.MouseButton.LeftButton)


def open_file(qtbot, wizard: IngestWizard, path: Path) -> None:
    assert wizard.currentId() == PageId.FILE
    page = wizard.currentPage()
    page.open_file(path)
    qtbot.waitUntil(lambda: not page.is_loading(), timeout=WAIT_MS)


def to_mapping_page(qtbot, wizard: IngestWizard, sandbox, path: Path, *,
                    event_type: str | None = None) -> MappingPage:
    connect(qtbot, wizard, sandbox)
    go_next(qtbot, wizard)
    open_file(qtbot, wizard, path)
    go_next(qtbot, wizard)
    kind = wizard.currentPage()
    if event_type is not None:
        kind.events_radio.setChecked(True)
        kind.event_type_combo.setCurrentIndex(kind.event_type_combo.findData(event_type))
    else:
        kind.contacts_radio.setChecked(True)
    go_next(qtbot, wizard)
    page = wizard.currentPage()
    assert isinstance(page, MappingPage)
    return page


def map_columns(page: MappingPage, assignments: dict[str, str]) -> None:
    """Drag each column onto its target (through the models' drag-and-drop API)."""
    columns, targets = page.column_model, page.target_model
    assert columns is not None
    assert targets is not None
    for column, target in assignments.items():
        data = columns.mimeData([columns.index(columns.row_of(column), 0)])
        assert targets.dropMimeData(data, Qt.DropAction.CopyAction, -1, -1,
                                    targets.index(targets.row_of(target), 0))


def upload(qtbot, wizard: IngestWizard) -> UploadPage:
    page = wizard.currentPage()
    assert isinstance(page, UploadPage)
    qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(page.isComplete, timeout=WAIT_MS)
    return page


CONTACTS = {
    "Customer": ["C-1", "C-2", "C-3", "C-4", "C-5"],
    "Email address": ["ada@example.com", "grace@example.com", "broken", "alan@example.com",
                      "edsger@example.com"],
    "Mobile": ["600000001", "+34 600 000 002", "600000003", "600000004", "600000005"],
    "Plan": ["pro", "free", "pro", "", "free"],
}


def test_contacts_from_an_xlsx_end_to_end(qtbot, wizard, sandbox, tmp_path):
    path = write_xlsx(tmp_path / "customers.xlsx", CONTACTS)
    window = wizard()
    mapping = to_mapping_page(qtbot, window, sandbox, path)
    assert not next_button(window).isEnabled()  # nothing mapped yet
    map_columns(mapping, {"Customer": "_user_id", "Email address": "_email",
                          "Mobile": "_phone_mobile", "Plan": "plan"})
    go_next(qtbot, window)

    check = window.currentPage()
    assert isinstance(check, CheckPage)
    qtbot.waitUntil(lambda: check.result is not None and not check.is_busy(), timeout=WAIT_MS)
    # The bad e-mail is left out; its row goes with the rest of its fields, no decision needed.
    assert check.result.valid_count == 5
    assert "1 invalid value will be left out" in check.summary_label.text()
    assert next_button(window).isEnabled()
    go_next(qtbot, window)

    upload(qtbot, window)
    go_next(qtbot, window)
    done = window.currentPage()
    assert isinstance(done, DonePage)
    qtbot.waitUntil(lambda: done.report is not None, timeout=WAIT_MS)
    assert done.accepted_value.text() == "5"
    assert done.skipped_value.text() == "0"
    assert done.report.values_left_out == 1
    assert done.save_log_button.isEnabled()  # the error log lists the warning

    stored = sandbox.state()["contacts"]
    assert set(stored) == {"C-1", "C-2", "C-3", "C-4", "C-5"}
    assert stored["C-3"] == {"_user_id": "C-3", "_phone_mobile": "+34600000003", "plan": "pro"}
    assert stored["C-1"]["_email"] == "ada@example.com"
    assert stored["C-1"]["_phone_mobile"] == "+34600000001"  # the datasource's country
    assert stored["C-2"]["plan"] == "free"
    assert "plan" not in stored["C-4"]  # empty cell: kept, not cleared

    # Import another file: back on the File page, still connected.
    qtbot.mouseClick(done.import_another_button, Qt.MouseButton.LeftButton)
    assert window.currentId() == PageId.FILE
    assert window.session.data.connection is not None
    assert window.session.data.table is None


def test_events_from_a_csv_with_the_automation_warning(qtbot, wizard, sandbox, tmp_path):
    now = datetime.now(UTC)
    # The contacts must exist first: an event-only item for an unknown contact is skipped.
    contacts = write_csv(tmp_path / "people.csv", {"Id": ["U1", "U2", "U3"],
                                                   "Mail": ["a@x.com", "b@x.com", "c@x.com"]})
    window = wizard()
    mapping = to_mapping_page(qtbot, window, sandbox, contacts)
    map_columns(mapping, {"Id": "_user_id", "Mail": "_email"})
    for _ in range(2):
        go_next(qtbot, window)
    upload(qtbot, window)
    go_next(qtbot, window)
    window.currentPage().import_another_button.click()

    events = write_csv(tmp_path / "orders.csv", {
        "Customer": ["U1", "U2", "U3"],
        # Explicit UTC: a date without a zone is read in the datasource's (Europe/Madrid).
        "Date": [now.strftime("%Y-%m-%dT%H:%M:%SZ"), "",
                 (now - timedelta(days=30)).strftime("%Y-%m-%d %H:%M:%S")],
        "Order": ["O-1", "O-2", "O-3"],
        "Amount": ["10.50", "20", "7.25"],
    })
    open_file(qtbot, window, events)
    go_next(qtbot, window)
    kind = window.currentPage()
    kind.events_radio.setChecked(True)
    kind.event_type_combo.setCurrentIndex(kind.event_type_combo.findData("purchase"))
    go_next(qtbot, window)
    mapping = window.currentPage()
    map_columns(mapping, {"Customer": "_user_id", "Date": "_event_date",
                          "Order": "_event_parameters.order_id",
                          "Amount": "_event_parameters.amount"})
    go_next(qtbot, window)
    check = window.currentPage()
    qtbot.waitUntil(lambda: check.result is not None and not check.is_busy(), timeout=WAIT_MS)
    assert check.automation_banner.isVisible()
    assert check.automation_banner.text() == (
        "2 events are dated within 1 hour of now or have no date: they will trigger "
        "automations, such as SMS, for these contacts.")
    go_next(qtbot, window)
    page = upload(qtbot, window)
    assert page.result.count(RowStatus.ACCEPTED) == 3

    stored = sandbox.state()["events"]
    assert sorted(event["_event_parameters"]["order_id"] for event in stored) == \
        ["O-1", "O-2", "O-3"]
    assert {event["_event_type"] for event in stored} == {"purchase"}
    by_order = {event["_event_parameters"]["order_id"]: event for event in stored}
    assert by_order["O-1"]["_event_parameters"]["amount"] in ("10.50", "10.5", 10.5)
    assert by_order["O-3"]["_event_date"].endswith("Z")
    assert len({event["_event_id"] for event in stored}) == 3


def test_a_rejected_token_keeps_the_wizard_on_the_connect_page(qtbot, wizard, sandbox):
    window = wizard()
    connect(qtbot, window, sandbox, token="wrong-token")
    page = window.currentPage()
    qtbot.waitUntil(lambda: page.status.kind == "error", timeout=WAIT_MS)
    assert "token" in page.status.message
    assert "wrong-token" not in page.status.message
    assert not next_button(window).isEnabled()
    assert window.currentId() == PageId.CONNECT


def test_an_unreadable_file_stays_on_the_file_page_with_a_reason(qtbot, wizard, sandbox,
                                                                   tmp_path):
    broken = tmp_path / "export.xlsx"
    broken.write_bytes(b"this is not a workbook")
    window = wizard()
    connect(qtbot, window, sandbox)
    go_next(qtbot, window)
    open_file(qtbot, window, broken)
    page = window.currentPage()
    assert page.status.kind == "error"
    assert "export.xlsx" in page.status.message
    assert not next_button(window).isEnabled()


def test_unmapped_required_targets_block_next(qtbot, wizard, sandbox, tmp_path):
    path = write_csv(tmp_path / "people.csv", {"Mail": ["a@x.com"], "Name": ["Ada"]})
    window = wizard()
    mapping = to_mapping_page(qtbot, window, sandbox, path)
    map_columns(mapping, {"Mail": "_email"})
    assert not next_button(window).isEnabled()
    assert mapping.missing_label.isVisible()
    assert "Required fields still without a column" in mapping.missing_label.text()
    assert "User ID" in mapping.missing_label.text()


@pytest.mark.slow
def test_the_gui_thread_keeps_breathing_through_a_big_import(qtbot, wizard, sandbox, tmp_path):
    """Load, check and upload 100,000 rows; no GUI-thread gap may exceed 1 s."""
    rows = 100_000
    path = write_csv(tmp_path / "big.csv", {
        "Id": [f"U{n:06d}" for n in range(rows)],
        "Mail": [f"user{n}@example.com" for n in range(rows)],
        "Plan": ["pro" if n % 3 else "free" for n in range(rows)],
    })
    window = wizard()
    connect(qtbot, window, sandbox)
    go_next(qtbot, window)

    worst = [0.0]
    last = [time.monotonic()]

    def beat() -> None:
        now = time.monotonic()
        worst[0] = max(worst[0], now - last[0])
        last[0] = now

    heartbeat = QTimer()
    heartbeat.setInterval(10)
    heartbeat.timeout.connect(beat)
    heartbeat.start()
    last[0] = time.monotonic()
    open_file(qtbot, window, path)
    go_next(qtbot, window)
    go_next(qtbot, window)
    map_columns(window.currentPage(), {"Id": "_user_id", "Mail": "_email", "Plan": "plan"})
    go_next(qtbot, window)
    check = window.currentPage()
    qtbot.waitUntil(lambda: check.result is not None and not check.is_busy(), timeout=60_000)
    go_next(qtbot, window)
    page = window.currentPage()
    qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(page.isComplete, timeout=60_000)
    heartbeat.stop()
    assert page.result.count(RowStatus.ACCEPTED) == rows
    assert len(sandbox.state()["contacts"]) == rows
    assert worst[0] < 1.0, f"the GUI thread froze for {worst[0]:.2f} s"


def test_closing_the_window_mid_upload_stops_cleanly_and_leaves_it_resumable(
        qtbot, wizard, sandbox, tmp_path, monkeypatch):
    from ingest_gui.core.journal import Journal
    from ingest_gui.ui.wizard import CloseDuringUploadDialog

    rows = 3000
    path = write_csv(tmp_path / "people.csv", {"Id": [f"U{n}" for n in range(rows)],
                                               "Mail": [f"u{n}@x.com" for n in range(rows)]})
    sandbox.set_faults("latency=40ms,seed=2")
    window = wizard()
    mapping = to_mapping_page(qtbot, window, sandbox, path)
    map_columns(mapping, {"Id": "_user_id", "Mail": "_email"})
    go_next(qtbot, window)
    check = window.currentPage()
    qtbot.waitUntil(lambda: check.result is not None and not check.is_busy(), timeout=WAIT_MS)
    go_next(qtbot, window)
    page = window.currentPage()
    qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page._last_progress is not None and page._last_progress.rows_sent > 0,
                    timeout=WAIT_MS)
    monkeypatch.setattr(CloseDuringUploadDialog, "ask", classmethod(lambda cls, parent: True))
    assert window.close()
    assert not page.is_busy()
    stored = len(sandbox.state()["contacts"])
    assert 0 < stored < rows
    with Journal() as journal:
        run = journal.runs()[0]
    assert run.status == "cancelled"
    assert 0 < run.batches_acknowledged < run.batches_total
