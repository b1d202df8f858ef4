"""Real exports through the real wizard against the sandbox (issue 14, "Done means").

The wizard says what the file looks like, the Map page starts from that source's proposal, and
the sandbox (an independent oracle: it shares no cleaning code with the app) ends up holding the
values as the platform shows them. The expected values are read from the export with the csv
module, not through the app.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from ingest_gui import cli
from ingest_gui.ui.pages.check import CheckPage
from ingest_gui.ui.pages.done import DonePage
from ingest_gui.ui.pages.file import FilePage
from ingest_gui.ui.pages.mapping import MappingPage
from ingest_gui.ui.pages.upload import UploadPage
from ingest_gui.ui.wizard import IngestWizard
from tests.benchmarks.corpus.generate import (
    DEFAULT_SEED,
    people,
    shopify_customers_gen1,
    write_csv,
)
from tests.cli.test_real_exports import maps
from tests.import_helpers import run_cli
from tests.ui.test_wizard_e2e import (
    WAIT_MS,
    connect,
    go_next,
    map_columns,
    next_button,
    open_file,
    upload,
)

pytestmark = [
    pytest.mark.gui,
    # The offscreen platform warns when a wizard page change resizes the window.
    pytest.mark.qt_log_ignore("propagateSizeHints"),
]

CORPUS = Path(__file__).parents[1] / "benchmarks" / "corpus" / "files"
SHOPIFY_CUSTOMERS = CORPUS / "customers_export.csv"
MAILCHIMP_SUBSCRIBED = CORPUS / "subscribed_email_audience_export_5b1c0e2f9a.csv"
SHOPIFY_ORDERS = CORPUS / "orders_export_1.csv"


@pytest.fixture
def window(qtbot):
    made = IngestWizard()
    qtbot.addWidget(made)
    made.show()
    yield made
    made.close()


def rows_of(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def as_shopify_shows(cell: str) -> str:
    """Shopify writes ``'`` before ids, phones and ZIP codes so that Excel keeps them as text;
    its admin shows them without it."""
    return cell[1:] if cell.startswith("'") else cell


def to_contacts_mapping(qtbot, window: IngestWizard, sandbox, path: Path) -> MappingPage:
    """Connect, open ``path`` (checking what the File page says), choose contacts, and wait for
    the Map page's proposal."""
    connect(qtbot, window, sandbox)
    go_next(qtbot, window)
    open_file(qtbot, window, path)
    go_next(qtbot, window)
    window.currentPage().contacts_radio.setChecked(True)
    go_next(qtbot, window)
    page = window.currentPage()
    assert isinstance(page, MappingPage)
    qtbot.waitUntil(lambda: not page.is_busy() and bool(page.mapping.assignments),
                    timeout=WAIT_MS)
    return page


def check_skipping_bad_rows(qtbot, window: IngestWizard) -> tuple[set[int], set[int]]:
    """On the Check page: the spreadsheet rows found invalid, skipped; and the rows sent
    without a value that was invalid (left out, a warning)."""
    check = window.currentPage()
    assert isinstance(check, CheckPage)
    qtbot.waitUntil(lambda: check.result is not None and not check.is_busy(), timeout=WAIT_MS)
    result = check.result
    assert result is not None
    errors = result.problems["severity"] == "error"
    bad_rows = {int(row) for row in result.problems["row"][errors]}
    warned_rows = {int(row) for row in result.problems["row"][~errors]}
    if bad_rows:
        check.skip_checkbox.setChecked(True)
    return bad_rows, warned_rows


def test_a_shopify_customers_export_round_trips_without_its_apostrophes(
        qtbot, window, sandbox):
    rows = rows_of(SHOPIFY_CUSTOMERS)
    assert all(row["Customer ID"].startswith("'") for row in rows)  # the file has the markers
    connect(qtbot, window, sandbox)
    go_next(qtbot, window)
    open_file(qtbot, window, SHOPIFY_CUSTOMERS)
    file_page = window.currentPage()
    assert isinstance(file_page, FilePage)
    assert file_page.source_banner.isVisible()
    assert "Shopify customers export" in file_page.source_banner.text()
    go_next(qtbot, window)
    window.currentPage().contacts_radio.setChecked(True)
    go_next(qtbot, window)
    page = window.currentPage()
    assert isinstance(page, MappingPage)
    qtbot.waitUntil(lambda: not page.is_busy() and bool(page.mapping.assignments),
                    timeout=WAIT_MS)

    # The page arrived with the Shopify profile's proposal: the customer's own Phone is the
    # mobile, the address's phone the landline; consent columns only offered.
    assignments = page.mapping.assignments
    assert assignments["_user_id"] == "Customer ID"
    assert assignments["_email"] == "Email"
    assert assignments["_phone_mobile"] == "Phone"
    assert assignments["landline"] == "Default Address Phone"
    assert "_accepts_marketing_email" not in assignments
    assert "Shopify customers export" in page.message_banner.text()
    # The demo datasource has no ZIP field: the ZIP codes go to a text one to be read back.
    map_columns(page, {"Default Address Zip": "plan"})
    go_next(qtbot, window)

    bad_rows, warned_rows = check_skipping_bad_rows(qtbot, window)
    # A few numbers that are no phones, left out (not the apostrophes); no row refused.
    assert not bad_rows
    assert 0 < len(warned_rows) < 10
    go_next(qtbot, window)
    upload(qtbot, window)

    stored = sandbox.state()["contacts"]
    # Spreadsheet row n is the csv's data row n - 2 (row 1 holds the column names).
    sent = [row for number, row in enumerate(rows, start=2) if number not in bad_rows]
    assert set(stored) == {as_shopify_shows(row["Customer ID"]) for row in sent}
    marked_zips = 0
    for number, row in enumerate(rows, start=2):
        contact = stored[as_shopify_shows(row["Customer ID"])]
        # A row with a warning had a phone that is none, left out; its other fields went.
        if row["Phone"] and number not in warned_rows:
            assert contact["_phone_mobile"] == as_shopify_shows(row["Phone"])
        if row["Default Address Zip"]:
            marked_zips += row["Default Address Zip"].startswith("'")
            assert contact["plan"] == as_shopify_shows(row["Default Address Zip"])
        landline = as_shopify_shows(row["Default Address Phone"])
        if landline.startswith("+") and number not in warned_rows:
            assert contact["landline"] == landline.replace(" ", "")
    assert marked_zips > 0  # the file's ZIP codes with the marker were among those checked


def test_a_mailchimp_export_ends_under_lower_cased_emails_with_no_manual_mapping(
        qtbot, window, sandbox):
    rows = rows_of(MAILCHIMP_SUBSCRIBED)
    assert any(row["Email Address"] != row["Email Address"].lower() for row in rows)
    page = to_contacts_mapping(qtbot, window, sandbox, MAILCHIMP_SUBSCRIBED)
    assert page.source is not None
    assert page.source.source == "mailchimp_subscribed"
    # Mailchimp's convention: the e-mail is the user id; the page says it is lower-cased.
    assert page.mapping.assignments["_user_id"] == "Email Address"
    assert page.mapping.assignments["_email"] == "Email Address"
    assert page.user_id_note.isVisible()
    assert "lower case" in page.user_id_note.text()
    assert not any(column in ("EUID", "LATITUDE", "LONGITUDE", "LEID")
                   for column in page.mapping.assignments.values())
    go_next(qtbot, window)

    bad_rows, _warned_rows = check_skipping_bad_rows(qtbot, window)
    go_next(qtbot, window)
    upload(qtbot, window)

    sent = [row for number, row in enumerate(rows, start=2) if number not in bad_rows]
    assert len(sent) > len(rows) * 0.9
    stored = sandbox.state()["contacts"]
    expected = {row["Email Address"].strip().lower() for row in sent}
    assert set(stored) == expected
    for user_id, contact in stored.items():
        assert contact["_email"] == user_id


def test_keeping_the_user_id_e_mail_as_written(qtbot, window, sandbox):
    page = to_contacts_mapping(qtbot, window, sandbox, MAILCHIMP_SUBSCRIBED)
    page.select_column("Email Address")
    box = page.options_editor.keep_email_case_box
    assert box.isVisibleTo(page.options_editor)
    assert not box.isChecked()  # lower-cased by default
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton)
    assert page.mapping.options_for("Email Address").lowercase_email is False
    assert "exactly as written" in page.user_id_note.text()
    go_next(qtbot, window)
    check_skipping_bad_rows(qtbot, window)
    assert next_button(window).isEnabled()
    go_next(qtbot, window)
    upload(qtbot, window)

    stored = sandbox.state()["contacts"]
    assert "Emiliano.Hernandez@Protonmail.Com" in stored
    assert "emiliano.hernandez@protonmail.com" not in stored


def import_the_buyers(tmp_path: Path, sandbox, capsys, lines: list[dict[str, str]]) -> None:
    """The orders' customers, imported first through the command line (an event of a contact
    the datasource lacks is dropped by the service): Shopify's customers export as the corpus
    generator writes it, the e-mail being the customer's id as in the orders."""
    crowd = people(DEFAULT_SEED)
    by_email = {person.email: person for person in crowd}
    buyers = [by_email[email] for email in dict.fromkeys(
        line["Email"] for line in lines if line["Email"])]
    customers = shopify_customers_gen1(DEFAULT_SEED, [*crowd[:100], *buyers])
    customers_path = tmp_path / customers.name
    write_csv(customers_path, customers)
    code, _out, err = run_cli(capsys, "import", str(customers_path), "--kind", "contacts",
                              "--sandbox", sandbox.base_url, "--json",
                              *maps({"Email": ["_user_id", "_email"]}))
    assert code == cli.EXIT_OK, err
    assert set(sandbox.state()["contacts"]) == {person.email.lower() for person in buyers}


def test_a_shopify_orders_export_becomes_one_event_per_order(
        qtbot, window, sandbox, tmp_path, capsys):
    lines = rows_of(SHOPIFY_ORDERS)
    by_order: dict[str, list[dict[str, str]]] = {}
    for line in lines:
        by_order.setdefault(line["Name"], []).append(line)
    assert any(len(items) > 1 for items in by_order.values())  # multi-item orders
    with_email = {name: items for name, items in by_order.items() if items[0]["Email"]}
    rows_without_email = sum(len(items) for name, items in by_order.items()
                             if name not in with_email)
    assert rows_without_email > 0  # orders bought without an e-mail: no contact to go to
    import_the_buyers(tmp_path, sandbox, capsys, lines)

    connect(qtbot, window, sandbox)
    go_next(qtbot, window)
    open_file(qtbot, window, SHOPIFY_ORDERS)
    file_page = window.currentPage()
    assert isinstance(file_page, FilePage)
    assert "Shopify orders export" in file_page.source_banner.text()
    go_next(qtbot, window)
    kind = window.currentPage()
    kind.events_radio.setChecked(True)
    kind.event_type_combo.setCurrentIndex(kind.event_type_combo.findData("purchase"))
    go_next(qtbot, window)
    page = window.currentPage()
    assert isinstance(page, MappingPage)
    qtbot.waitUntil(lambda: not page.is_busy() and bool(page.mapping.assignments),
                    timeout=WAIT_MS)
    # The Shopify orders profile's proposal, taken as it is.
    assignments = page.mapping.assignments
    assert assignments["_user_id"] == "Email"
    assert assignments["_event_parameters.products"] == "Lineitem name"
    assert "Name" in (assignments.get("_event_id"), assignments.get("_event_parameters.order_id"))
    go_next(qtbot, window)

    check = window.currentPage()
    assert isinstance(check, CheckPage)
    qtbot.waitUntil(lambda: check.result is not None and check.preview is not None
                    and not check.is_busy(), timeout=WAIT_MS)
    summary = check.summary_label.text()
    assert (f"{len(lines)} rows are {len(by_order)} orders: each order is sent as one "
            "purchase event.") in summary
    assert f"{len(with_email)} orders are ready to upload." in summary
    assert f"{rows_without_email} rows have errors" in summary
    assert not check.unknown_contacts.needed  # every buyer was imported first
    check.skip_checkbox.setChecked(True)
    go_next(qtbot, window)

    uploading = window.currentPage()
    assert isinstance(uploading, UploadPage)
    assert f"Ready to send {len(with_email)} events" in uploading.summary_label.text()
    upload(qtbot, window)
    assert f"Finished sending {len(with_email)} events" in uploading.summary_label.text()
    assert uploading.sent_value.text() == f"{len(with_email)} of {len(with_email)} orders"
    assert uploading.accepted_value.text() == str(len(with_email))
    assert f"{len(with_email)} orders accepted by Instasent. 0 orders rejected." in \
        uploading.status_text()
    go_next(qtbot, window)
    done = window.currentPage()
    assert isinstance(done, DonePage)
    qtbot.waitUntil(lambda: done.report is not None, timeout=WAIT_MS)
    assert done.accepted_value.text() == str(len(with_email))
    assert done.skipped_value.text() == str(rows_without_email)
    assert done.summary is not None
    assert done.summary.orders == (len(lines), len(by_order))
    assert (f"{len(lines)} rows were {len(by_order)} orders, each sent as one event: "
            "accepted, rejected and not sent count orders; skipped counts rows.") in \
        done.headline.text()

    events = sandbox.state()["events"]
    # Exactly one event per order with an e-mail, with the order's products as listed.
    assert sorted(event["_event_parameters"]["order_id"] for event in events) == \
        sorted(with_email)
    for event in events:
        items = with_email[event["_event_parameters"]["order_id"]]
        assert event["_event_type"] == "purchase"
        assert event["_user_id"] == items[0]["Email"].lower()
        assert event["_event_parameters"]["products"] == [item["Lineitem name"]
                                                          for item in items]
