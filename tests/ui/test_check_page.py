"""Page 5, Check: background validation, problems, filter, edit and re-check, export, dry run."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QLocale, Qt

from ingest_gui.core.errorlog import ERRORS_COLUMN, ROW_COLUMN
from ingest_gui.core.mapping import ImportKind, Mapping
from ingest_gui.core.payload import build_batches
from ingest_gui.ui.models.problems import ProblemRowsModel
from ingest_gui.ui.pages.check import CheckPage
from ingest_gui.ui.widgets.dialogs import SaveFileDialog
from tests.core.factories import make_table
from tests.ui.support_pages import contacts_mapping, contacts_table, session_for

pytestmark = pytest.mark.gui

WAIT_MS = 10_000


@pytest.fixture
def english_numbers():
    """Counts are formatted with the user's locale; these tests read English ones."""
    previous = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    yield
    QLocale.setDefault(previous)


def checked_page(qtbot, session, *, preview: bool = False) -> CheckPage:
    """The page once its check (and, with ``preview``, its preview) has finished. Without,
    the preview does not start: most of these pages' connection reaches no service."""
    page = CheckPage(session)
    page.preview_on_check = preview
    qtbot.addWidget(page)
    page.resize(1000, 700)
    page.initializePage()
    qtbot.waitUntil(lambda: page.result is not None and not page.is_busy(), timeout=WAIT_MS)
    return page


@pytest.fixture
def page(qtbot, english_numbers):
    mapping = contacts_mapping(_user_id="Customer id", _email="E-mail", _phone_mobile="Mobile")
    page = checked_page(qtbot, session_for(contacts_table(), mapping))
    yield page
    page.stop_background_work()


def test_problems_are_summarised_by_kind_and_listed(page):
    result = page.result
    assert result is not None
    assert result.valid_count == 2
    assert page.summary_label.text().startswith("2 rows are ready to upload. 2 rows have errors")
    assert "Invalid email: 2" in page.kinds_label.text()
    assert page.problems_model.rowCount() == 2
    assert page.kind_filter.itemText(0) == "All problems (2)"
    assert page.plan is not None
    assert page.plan.item_count == 2


def test_the_selected_rows_problems_are_spelled_out_in_full(page):
    """The table elides long messages; the first row is selected and its problems shown whole,
    and choosing another row shows that row's."""
    view, model = page.problems_view, page.problems_model
    assert view.currentIndex().row() == 0
    assert page.problem_details.text() == (
        'Row 3, column "E-mail": "not-an-email" is not an e-mail address')
    view.setCurrentIndex(model.index(1, 0))
    assert page.problem_details.text().startswith('Row 5, column "E-mail": "bad@"')
    page.filter_by_kind("no_such_kind")
    assert page.problem_details.text() == ""


def test_rows_with_errors_block_next_until_the_user_chooses_to_skip_them(qtbot, page):
    assert not page.isComplete()
    assert page.skip_checkbox.isVisibleTo(page)
    assert page.skip_checkbox.text() == "Upload the 2 valid rows and skip those with errors (2)"
    with qtbot.waitSignal(page.completeChanged, timeout=1000):
        page.skip_checkbox.setChecked(True)
    assert page.isComplete()
    assert page.validatePage()
    assert page.session.data.plan is page.plan
    assert page.session.data.validation is page.result


def test_filter_by_kind(page):
    page.filter_by_kind("invalid_email")
    assert page.problems_model.rowCount() == 2
    assert page.problems_model.kind_filter == "invalid_email"
    page.problems_model.set_kind_filter("missing_required")
    assert page.problems_model.rowCount() == 0
    page.filter_by_kind(None)
    assert page.problems_model.rowCount() == 2


def test_editing_a_problem_cell_rechecks_the_row_and_rebuilds_the_plan(qtbot, page):
    model = page.problems_model
    column = ProblemRowsModel.FIRST_FILE_COLUMN + page.result.table.headers.index("E-mail")
    assert model.setData(model.index(0, column), "fixed@example.com", Qt.ItemDataRole.EditRole)
    # Re-checked in the background: until then the row says so and Next waits.
    assert model.index(0, ProblemRowsModel.PROBLEMS).data() == "Checking…"
    assert page.is_busy()
    assert not page.isComplete()
    assert page.status_label.text() == "Checking your edits…"
    qtbot.waitUntil(lambda: page.plan is not None and not page.is_busy(), timeout=WAIT_MS)
    assert page.summary_label.text().startswith("3 rows are ready to upload. 1 row has errors")
    assert page.status_label.text() == ""
    assert page.plan.item_count == 3
    assert model.index(0, ProblemRowsModel.PROBLEMS).data() == "Fixed"
    page.skip_checkbox.setChecked(True)
    assert page.validatePage()
    assert page.session.data.validation.valid_count == 3


def test_edits_made_while_the_plan_is_rebuilt_wait_for_it_then_count(qtbot, page):
    model = page.problems_model
    column = ProblemRowsModel.FIRST_FILE_COLUMN + page.result.table.headers.index("E-mail")
    seen: list[tuple[bool, str, str]] = []

    def edit_while_the_plan_is_built(_result) -> None:
        model.resultChanged.disconnect(edit_while_the_plan_is_built)
        # The page has just started building the plan from the first edit's result (it is
        # connected first): this edit queues until the plan is built.
        assert model.setData(model.index(1, column), "also-fixed@example.com")
        seen.append((page.planning.is_running(), model.index(1, column).data(),
                     model.index(1, ProblemRowsModel.PROBLEMS).data()))

    model.resultChanged.connect(edit_while_the_plan_is_built)
    assert model.setData(model.index(0, column), "fixed@example.com")
    qtbot.waitUntil(lambda: bool(seen) and page.plan is not None and not page.is_busy(),
                    timeout=WAIT_MS)
    assert seen == [(True, "also-fixed@example.com", "Checking…")]
    assert page.result.invalid_count == 0
    assert page.plan.item_count == 4
    assert page.isComplete()


def test_checking_again_keeps_an_edit_still_waiting_to_be_checked(qtbot, page):
    model = page.problems_model
    column = ProblemRowsModel.FIRST_FILE_COLUMN + page.result.table.headers.index("E-mail")
    model.hold_rechecks(True)  # as while the plan is built
    assert model.setData(model.index(0, column), "fixed@example.com")
    model.hold_rechecks(False)
    page.start_validation()
    qtbot.waitUntil(lambda: page.result is not None and not page.is_busy(), timeout=WAIT_MS)
    assert page.result.valid_count == 3


def test_event_ids_come_from_the_clients_key_as_on_the_command_line(qtbot, english_numbers):
    table = make_table({"Customer": ["U1", "U2"], "When": ["2020-01-01 10:00", "2020-01-02"],
                        "Product": ["P1", "P2"]})
    mapping = Mapping(ImportKind.EVENTS, event_type="viewed_product")
    for column, target in (("Customer", "_user_id"), ("When", "_event_date"),
                           ("Product", "_event_parameters.product_id")):
        mapping.assign(column, target)
    session = session_for(table, mapping)
    page = checked_page(qtbot, session)
    key = session.client().datasource_key
    assert page.workflow.datasource_key == key
    expected = build_batches(page.result, datasource=key)
    assert [batch.encoded for batch in page.plan.batches] == \
        [batch.encoded for batch in expected.batches]
    # The key the Check page used to fall back to derives other ids: this test would see it.
    fallback = build_batches(page.result, datasource=session.data.connection.datasource)
    assert [batch.encoded for batch in fallback.batches] != \
        [batch.encoded for batch in expected.batches]
    assert page.validatePage()
    assert page.session.data.workflow is page.workflow


def test_without_a_connection_nothing_is_checked_or_planned(qtbot, english_numbers):
    session = session_for(contacts_table(), contacts_mapping(_user_id="Customer id"))
    session.data.connection = None
    page = CheckPage(session)
    qtbot.addWidget(page)
    page.initializePage()
    assert page.error_banner.text() == "No connection has been chosen yet."
    assert not page.is_busy()
    assert page.plan is None
    assert not page.isComplete()


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_problem_rows(qtbot, page, monkeypatch, tmp_path, suffix):
    target = tmp_path / f"problems{suffix}"
    monkeypatch.setattr(SaveFileDialog, "ask", classmethod(lambda cls, *args: target))
    page.export_problem_rows()
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=WAIT_MS)
    assert target.exists()
    assert "Saved 2 rows with problems" in page.status_label.text()
    if suffix == ".csv":
        with target.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
        assert [row[ROW_COLUMN] for row in rows] == ["3", "5"]
        assert rows[0]["E-mail"] == "not-an-email"
        assert rows[0][ERRORS_COLUMN]


def test_a_clean_file_needs_no_choice(qtbot, english_numbers):
    table = make_table({"Id": ["U1", "U2"], "Mail": ["a@example.com", "b@example.com"]})
    page = checked_page(qtbot, session_for(table, contacts_mapping(_user_id="Id", _email="Mail")))
    assert page.summary_label.text() == "2 rows are ready to upload. No problems found."
    assert not page.skip_checkbox.isVisibleTo(page)
    assert not page.problems_view.isVisibleTo(page)
    assert page.isComplete()


def test_no_valid_row_keeps_next_disabled_and_says_so(qtbot, english_numbers):
    table = make_table({"Id": ["U1"], "Mail": ["nope"]})
    page = checked_page(qtbot, session_for(table, contacts_mapping(_user_id="Id", _email="Mail")))
    assert not page.isComplete()
    assert "No row can be uploaded" in page.status_label.text()


def test_events_that_would_trigger_automations_raise_a_prominent_warning(qtbot, english_numbers):
    now = datetime.now(UTC)
    table = make_table({
        "Customer": ["U1", "U2", "U3"],
        "When": [now.strftime("%Y-%m-%dT%H:%M:%SZ"), "",
                 (now - timedelta(days=400)).strftime("%Y-%m-%d %H:%M")],
        "Order": ["O-1", "O-2", "O-3"],
        "Total": ["10.50", "20", "5"],
    })
    mapping = Mapping(ImportKind.EVENTS, event_type="purchase")
    for column, target in (("Customer", "_user_id"), ("When", "_event_date"),
                           ("Order", "_event_parameters.order_id"),
                           ("Total", "_event_parameters.amount")):
        mapping.assign(column, target)
    page = checked_page(qtbot, session_for(table, mapping))
    automation = page.result.automation
    assert automation is not None
    assert automation.will_trigger == 2
    assert page.automation_banner.isVisibleTo(page)
    assert page.automation_banner.text() == (
        "2 events are dated within 1 hour of now or have no date: they will trigger "
        "automations, such as SMS, for these contacts.")
    assert page.automation_warning_text(3120).startswith("3,120 events are dated")


def test_no_automation_warning_for_old_events(qtbot, english_numbers):
    table = make_table({"Customer": ["U1"], "When": ["2020-01-01 10:00"], "Order": ["O-1"],
                        "Total": ["1"]})
    mapping = Mapping(ImportKind.EVENTS, event_type="purchase")
    for column, target in (("Customer", "_user_id"), ("When", "_event_date"),
                           ("Order", "_event_parameters.order_id"),
                           ("Total", "_event_parameters.amount")):
        mapping.assign(column, target)
    page = checked_page(qtbot, session_for(table, mapping))
    assert not page.automation_banner.isVisibleTo(page)


def test_orders_written_one_row_per_line_item_are_counted_as_orders(qtbot, english_numbers):
    """Shopify's layout: the order's fields on its first row, one row per line item. The page
    says how many orders the rows are, and counts orders ready, as Upload counts events."""
    table = make_table({
        "Order": ["#1001", "#1001", "#1001", "#1002", "#1003", "#1003"],
        "Customer": ["U1", "", "", "U2", "", ""],  # #1003 has no customer: held back whole
        "When": ["2020-01-01 10:00", "", "", "2020-01-02 11:00", "2020-01-03 12:00", ""],
        "Product": ["Tee", "Cap", "Mug", "Tee", "Cap", "Sock"],
        "Total": ["30", "", "", "10", "20", ""],
    })
    mapping = Mapping(ImportKind.EVENTS, event_type="purchase")
    for column, target in (("Order", "_event_parameters.order_id"), ("Customer", "_user_id"),
                           ("When", "_event_date"), ("Product", "_event_parameters.products"),
                           ("Total", "_event_parameters.amount")):
        mapping.assign(column, target)
    page = checked_page(qtbot, session_for(table, mapping))
    assert page.plan is not None
    assert page.plan.orders_grouped == (6, 3)
    assert page.plan.item_count == 1 + 1  # #1001 and #1002
    assert page.summary_label.text().startswith(
        "6 rows are 3 orders: each order is sent as one purchase event. "
        "2 orders are ready to upload. 2 rows have errors and cannot be uploaded as they are.")
    page.skip_checkbox.setChecked(True)
    assert page.isComplete()


def test_events_not_in_orders_are_counted_as_rows(qtbot, english_numbers):
    table = make_table({"Order": ["#1001", "#1002"], "Customer": ["U1", "U2"],
                        "When": ["2020-01-01 10:00", "2020-01-02 11:00"], "Total": ["3", "4"]})
    mapping = Mapping(ImportKind.EVENTS, event_type="purchase")
    for column, target in (("Order", "_event_parameters.order_id"), ("Customer", "_user_id"),
                           ("When", "_event_date"), ("Total", "_event_parameters.amount")):
        mapping.assign(column, target)
    page = checked_page(qtbot, session_for(table, mapping))
    assert page.plan is not None
    assert page.plan.orders_grouped is None
    assert page.summary_label.text().startswith("2 rows are ready to upload.")
    assert "orders" not in page.summary_label.text()


def test_dry_run_reports_what_the_service_would_do_and_writes_nothing(qtbot, sandbox,
                                                                       english_numbers):
    mapping = contacts_mapping(_user_id="Customer id", _email="E-mail", _phone_mobile="Mobile")
    session = session_for(contacts_table(), mapping, sandbox=sandbox)
    page = checked_page(qtbot, session)
    qtbot.mouseClick(page.dry_run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=WAIT_MS)
    assert page.dry_run_label.text() == "Dry run: Instasent would accept 2 rows and reject 0."
    assert sandbox.state()["contacts"] == {}
    session.close()


def test_stopping_the_check_says_nothing_was_sent(qtbot, english_numbers):
    rows = 20_000
    table = make_table({"Id": [f"U{n}" for n in range(rows)],
                        "Mail": [f"user{n}@example.com" for n in range(rows)]})
    page = CheckPage(session_for(table, contacts_mapping(_user_id="Id", _email="Mail")))
    page.preview_on_check = False
    qtbot.addWidget(page)
    page.initializePage()
    assert page.is_busy()
    page.cancel_validation()
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=WAIT_MS)
    # Cancelled microseconds after starting: the worker reports "cancelled" even if the core
    # had already returned (BackgroundTask checks the token after the work).
    assert page.result is None
    assert "Checking was stopped. Nothing has been sent." in page.error_banner.text()
    assert page.retry_button.isVisibleTo(page)
    assert not page.isComplete()


def test_values_left_out_are_counted_apart_from_rows_with_errors(qtbot, english_numbers):
    """By default the two bad e-mails are left out: all four rows go, and Next is open."""
    mapping = contacts_mapping(leave_out=True, _user_id="Customer id", _email="E-mail")
    page = checked_page(qtbot, session_for(contacts_table(), mapping))
    try:
        assert page.summary_label.text() == (
            "4 rows are ready to upload. 2 invalid values will be left out; the rest of their "
            "rows is uploaded.")
        assert page.problems_model.rowCount() == 2  # still listed, as warnings
        assert page.isComplete()
        assert not page.skip_checkbox.isVisible()
    finally:
        page.stop_background_work()
