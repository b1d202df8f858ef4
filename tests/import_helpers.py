"""Files, expected states and CLI runners shared by the command-line and reliability tests.

The expected final state is worked out here from what the test wrote, never by the core: a bug
in the core's cleaning or payloads must not be able to hide behind itself.
"""

from __future__ import annotations

import csv
import json
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from ingest_gui import cli

CONTACT_HEADERS = ["Customer ID", "First Name", "Email", "Phone", "Country", "Plan"]
CONTACT_MAP = [
    "--map", "Customer ID=_user_id", "--map", "First Name=_first_name",
    "--map", "Email=_email", "--map", "Phone=_phone_mobile",
    "--map", "Country=_country_code", "--map", "Plan=plan",
]
EVENT_HEADERS = ["Customer ID", "Order", "Date", "Amount"]
EVENT_MAP = [
    "--event-type", "purchase", "--map", "Customer ID=_user_id",
    "--map", "Order=_event_parameters.order_id", "--map", "Date=_event_date",
    "--map", "Amount=_event_parameters.amount",
]
#: The demo datasource's zone: dates written without one are read in it.
DATASOURCE_ZONE = ZoneInfo("Europe/Madrid")
#: Every this-many-th row of a generated file is invalid (a user id Excel shortened, or a bad
#: date): an invalid value that rejects the row, where a bad e-mail would only be left out.
INVALID_EVERY = 97


def write_csv(path: Path, headers: list[str], rows: list[list[str]], *, encoding: str = "utf-8",
              delimiter: str = ",") -> Path:
    with path.open("w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(headers)
        writer.writerows(rows)
    return path


def contact_rows(count: int, *, invalid_every: int | None = INVALID_EVERY) -> list[list[str]]:
    """Contacts C000000...; with ``invalid_every``, rows n % invalid_every == 1 get a user id
    that Excel shortened to scientific notation (the row is rejected)."""
    rows = []
    for n in range(count):
        user_id = f"C{n:06d}"
        if invalid_every and n % invalid_every == 1:
            user_id = f"1.{n:06d}E+12"
        rows.append([user_id, f"Name{n}", f"User{n}@Example.com", f"6{n:08d}", "España",
                     f"plan-{n % 3}"])
    return rows


def is_valid_contact(row: list[str]) -> bool:
    return not row[0].endswith("E+12")


def expected_contact(row: list[str]) -> dict[str, Any]:
    user_id, name, email, phone, _country, plan = row
    return {
        "_user_id": user_id,
        "_first_name": name,
        "_email": email.lower(),
        "_phone_mobile": "+34" + phone,
        "_country_code": "ES",
        "plan": plan,
    }


def assert_contacts_exact(state: dict[str, Any], rows: list[list[str]]) -> None:
    """The sandbox holds exactly the valid rows, each with exactly the file's values."""
    valid = [row for row in rows if is_valid_contact(row)]
    contacts = state["contacts"]
    assert set(contacts) == {row[0] for row in valid}
    for row in valid:
        assert contacts[row[0]] == expected_contact(row), row[0]


def event_rows(count: int, *, users: int, invalid_every: int | None = INVALID_EVERY
               ) -> list[list[str]]:
    """Purchases ORD-0000000...; rows n % invalid_every == 2 get a date that does not exist."""
    rows = []
    for n in range(count):
        date = f"{1 + n % 28:02d}/03/2024 10:{n % 60:02d}"
        if invalid_every and n % invalid_every == 2:
            date = "31/02/2024 10:00"
        rows.append([f"C{n % users:06d}", f"ORD-{n:07d}", date, f"{n % 997},{n % 100:02d}"])
    return rows


def is_valid_event(row: list[str]) -> bool:
    return not row[2].startswith("31/02")


def expected_event(row: list[str]) -> dict[str, Any]:
    user_id, order, date, amount = row
    day_month_year, clock = date.split(" ")
    day, month, year = (int(part) for part in day_month_year.split("/"))
    hour, minute = (int(part) for part in clock.split(":"))
    moment = datetime(year, month, day, hour, minute, tzinfo=DATASOURCE_ZONE).astimezone(UTC)
    return {
        "_user_id": user_id,
        "_event_type": "purchase",
        "_event_date": moment.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "_event_parameters": {"order_id": order, "amount": float(amount.replace(",", "."))},
    }


def assert_events_exactly_once(state: dict[str, Any], rows: list[list[str]],
                               contact_ids: set[str]) -> None:
    """Every valid event of a known contact stored once, with the file's values; nothing else."""
    stored = state["events"]
    ids = [event["_event_id"] for event in stored]
    assert len(ids) == len(set(ids)), "an _event_id was stored twice"
    by_order = {}
    for event in stored:
        order = event["_event_parameters"]["order_id"]
        assert order not in by_order, f"{order} stored twice"
        by_order[order] = {key: event[key] for key in
                           ("_user_id", "_event_type", "_event_date", "_event_parameters")}
    expected = {row[1]: expected_event(row) for row in rows
                if is_valid_event(row) and row[0] in contact_ids}
    assert set(by_order) == set(expected)
    for order, event in expected.items():
        assert by_order[order] == event, order


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def wait_for(condition: Callable[[], bool], timeout: float, what: str,
             interval: float = 0.02) -> None:
    """Poll ``condition`` until true; fail with ``what`` after ``timeout`` seconds."""
    pause = threading.Event()
    waited = 0.0
    while not condition():
        if waited >= timeout:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        pause.wait(interval)
        waited += interval


@contextmanager
def journal_reader(path: Path) -> Iterator[sqlite3.Connection]:
    """A plain read connection to the journal file (it never writes, unlike ``Journal()``)."""
    connection = sqlite3.connect(path, timeout=10.0)
    try:
        yield connection
    finally:
        connection.close()


def summary_of(out: str) -> dict[str, Any]:
    summary: dict[str, Any] = json.loads(out)
    return summary
