"""Real exports through ``ingest-gui import`` into the sandbox (issue 14, "Done means").

The files are the corpus's (``tests/benchmarks/corpus``) or written by its generator's helpers;
what the sandbox must hold is worked out here from the files and the generator's people, never
by the core.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import phonenumbers
import pytest

from ingest_gui import cli
from ingest_gui.sandbox.server import SandboxServer
from tests.benchmarks.corpus.generate import (
    DEFAULT_SEED,
    people,
    shopify_customers_gen1,
    write_csv,
)
from tests.import_helpers import run_cli

CORPUS = Path(__file__).resolve().parents[1] / "benchmarks" / "corpus" / "files"


def records(path: Path, encoding: str = "utf-8") -> list[dict[str, str]]:
    with path.open(encoding=encoding, newline="") as handle:
        return list(csv.DictReader(handle))


def logged_rows(path: Path) -> dict[int, str]:
    """The error log's rows: spreadsheet row -> its errors (empty when no log was written)."""
    if not path.exists():
        return {}
    return {int(row["Row"]): row["Errors"] for row in records(path, encoding="utf-8-sig")}


def assert_only_phone_numbers_refused(logged: dict[int, str], rows: list[dict[str, str]],
                                      phone_columns: list[str], country_column: str | None,
                                      ) -> None:
    """Every row logged was logged for a phone number that is not one (the test's own judge:
    libphonenumber with the row's country), never for a marker or an e-mail's case; the number
    is left out and the rest of the row sent."""
    for row_number, errors in logged.items():
        row = rows[row_number - 2]
        for error in errors.split(" | "):
            assert error.endswith(
                "is not a phone number; this value is left out and the rest of the row is sent"
            ), error
        region = (row[country_column] if country_column else "") or "ES"
        refused = [row[column].removeprefix("'") for column in phone_columns
                   if f'"{row[column]}" is not a phone number' in errors.replace('""', '"')]
        assert refused, errors
        for number in refused:
            assert not phonenumbers.is_valid_number(phonenumbers.parse(number, region)), number


def maps(pairs: dict[str, list[str]]) -> list[str]:
    """``--map "Header=target"`` for every (column, target) pair."""
    return [argument for column, targets in pairs.items() for target in targets
            for argument in ("--map", f"{column}={target}")]


def test_a_shopify_customers_export_keeps_ids_phones_and_zips_as_shopify_shows_them(
        tmp_path: Path, sandbox: SandboxServer, capsys: pytest.CaptureFixture[str]) -> None:
    path = CORPUS / "customers_export.csv"
    rows = records(path)
    assert sum(row["Customer ID"].startswith("'") for row in rows) == len(rows)
    zipped = [row for row in rows if row["Default Address Zip"].startswith("'")]
    assert zipped, "the file should hold ZIP codes with Shopify's apostrophe"
    # The demo datasource has no postal-code attribute: a text attribute carries the ZIP.
    mapping = {"Customer ID": ["_user_id"], "First Name": ["_first_name"],
               "Email": ["_email"], "Phone": ["_phone_mobile"],
               "Default Address Phone": ["landline"],
               "Default Address Country Code": ["_country_code"],
               "Default Address Zip": ["plan"]}

    error_log = tmp_path / "errors.csv"
    code, out, err = run_cli(capsys, "import", str(path), "--kind", "contacts",
                             "--sandbox", sandbox.base_url, *maps(mapping), "--json",
                             "--error-log", str(error_log))

    logged = logged_rows(error_log)
    # A number that is not one is left out; every contact goes in.
    assert code == cli.EXIT_OK, err
    assert_only_phone_numbers_refused(logged, rows, ["Phone", "Default Address Phone"],
                                      "Default Address Country Code")
    imported = rows
    assert json.loads(out)["accepted"] == len(imported) >= 100
    contacts = sandbox.state()["contacts"]
    assert set(contacts) == {row["Customer ID"].removeprefix("'") for row in imported}
    for number, row in enumerate(imported, start=2):
        contact = contacts[row["Customer ID"].removeprefix("'")]
        errors = logged.get(number, "").replace('""', '"')
        left_out = {column for column in ("Phone", "Default Address Phone")
                    if f'"{row[column]}" is not a phone number' in errors}
        # Shopify writes the customer's phone in E.164 behind the apostrophe.
        if row["Phone"] and "Phone" not in left_out:
            assert contact["_phone_mobile"] == row["Phone"].removeprefix("'")
        else:
            assert "_phone_mobile" not in contact
        landline = row["Default Address Phone"].removeprefix("'")
        if "Default Address Phone" in left_out:
            assert "landline" not in contact
        elif landline and row["Default Address Country Code"] == "ES":
            digits = "".join(ch for ch in landline if ch.isdigit())
            assert contact["landline"] == ("+" if landline.startswith("+") else "+34") + digits
        if row["Default Address Zip"]:
            assert contact["plan"] == row["Default Address Zip"].removeprefix("'")
    for row in (row for row in zipped if row in imported):
        assert contacts[row["Customer ID"].removeprefix("'")]["plan"].startswith("0")


def test_a_mailchimp_export_with_auto_map_files_every_contact_under_its_lower_cased_email(
        tmp_path: Path, sandbox: SandboxServer, capsys: pytest.CaptureFixture[str]) -> None:
    path = CORPUS / "subscribed_email_audience_export_5b1c0e2f9a.csv"
    rows = records(path)
    emails = [row["Email Address"] for row in rows]
    assert any(email != email.lower() for email in emails), "the file should mix cases"

    error_log = tmp_path / "errors.csv"
    code, out, err = run_cli(capsys, "import", str(path), "--kind", "contacts", "--auto-map",
                             "--sandbox", sandbox.base_url, "--json",
                             "--error-log", str(error_log))

    logged = logged_rows(error_log)
    assert code == cli.EXIT_OK, err
    assert_only_phone_numbers_refused(logged, rows, ["Phone Number"], "CC")
    summary = json.loads(out)
    assert summary["rejected"] == summary["invalid"] == 0
    assert summary["values_left_out"] == len(logged)  # one phone column: one value a row
    imported = [row["Email Address"] for row in rows]
    assert len(imported) >= 100
    assert any(email != email.lower() for email in imported)
    contacts = sandbox.state()["contacts"]
    assert set(contacts) == {email.strip().lower() for email in imported}
    for user_id, contact in contacts.items():
        assert contact["_email"] == user_id


def test_a_shopify_orders_export_after_its_customers_is_one_event_per_order(
        tmp_path: Path, sandbox: SandboxServer, capsys: pytest.CaptureFixture[str]) -> None:
    orders_path = CORPUS / "orders_export_1.csv"
    lines = records(orders_path)
    by_order: dict[str, list[dict[str, str]]] = {}
    for line in lines:
        by_order.setdefault(line["Name"], []).append(line)
    assert any(len(items) > 1 for items in by_order.values())
    # The buyers' customers export, written by the corpus generator (Shopify's first header
    # generation: the e-mail is the customer's id, as in the orders).
    crowd = people(DEFAULT_SEED)
    by_email = {person.email: person for person in crowd}
    buyers = [by_email[email] for email in dict.fromkeys(
        line["Email"] for line in lines if line["Email"])]
    customers = shopify_customers_gen1(DEFAULT_SEED, [*crowd[:100], *buyers])
    customers_path = tmp_path / customers.name
    write_csv(customers_path, customers)
    code, out, err = run_cli(capsys, "import", str(customers_path), "--kind", "contacts",
                             "--sandbox", sandbox.base_url, "--json",
                             *maps({"Email": ["_user_id", "_email"],
                                    "First Name": ["_first_name"]}))
    assert code == cli.EXIT_OK, err
    assert set(sandbox.state()["contacts"]) == {person.email.lower() for person in buyers}

    code, out, err = run_cli(
        capsys, "import", str(orders_path), "--kind", "events", "--event-type", "purchase",
        "--sandbox", sandbox.base_url, "--json",
        *maps({"Name": ["_event_id", "_event_parameters.order_id"], "Email": ["_user_id"],
               "Total": ["_event_parameters.amount"], "Currency": ["_event_parameters.currency"],
               "Created at": ["_event_date"],
               "Lineitem name": ["_event_parameters.products"]}))

    summary = json.loads(out)
    assert summary["orders"] == {"rows": len(lines), "orders": len(by_order)}
    assert f"Orders: {len(lines):,} rows → {len(by_order):,} orders" in err
    # Orders bought without an e-mail have no contact to go to: reported, not sent.
    with_email = {name: items for name, items in by_order.items() if items[0]["Email"]}
    assert code == cli.EXIT_ROWS_FAILED
    assert summary["invalid"] == sum(len(items) for items in by_order.values()
                                     if not items[0]["Email"])
    assert summary["duplicates"] == 0
    assert summary["accepted"] == len(with_email)
    events = sandbox.state()["events"]
    assert sorted(event["_event_id"] for event in events) == sorted(with_email)
    for event in events:
        items = with_email[event["_event_id"]]
        assert event["_user_id"] == items[0]["Email"].lower()
        parameters = event["_event_parameters"]
        assert parameters["order_id"] == event["_event_id"]
        assert parameters["products"] == [item["Lineitem name"] for item in items]
        assert parameters["amount"] == float(items[0]["Total"])
        assert parameters["currency"] == items[0]["Currency"]
