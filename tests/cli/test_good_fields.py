"""Rows keep their good fields: an invalid optional value is left out, the rest of the row goes.

End to end: ``ingest-gui import`` against the sandbox over loopback, the outcome read back from
``GET /_sandbox/state`` as a user would. The expected contacts are written out here by hand.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from ingest_gui import cli
from ingest_gui.core.mapping import (
    ColumnOptions,
    EmptyCellPolicy,
    ImportKind,
    InvalidValuePolicy,
    Mapping,
    save_template,
)
from ingest_gui.sandbox.server import DEFAULT_TOKEN, SandboxServer
from tests.import_helpers import run_cli, write_csv

HEADERS = ["Customer ID", "Name", "Email", "Landline"]
MAP = ["--map", "Customer ID=_user_id", "--map", "Name=_first_name", "--map", "Email=_email",
       "--map", "Landline=landline"]
#: What the datasource holds before the import.
SEED = [["C1", "Ana", "ana@example.com", "+34 912 345 678"],
        ["C2", "Bea", "bea@example.com", "+34 913 333 333"]]
#: C1's landline is malformed; C3 is new, with a malformed landline too.
UPDATE = [["C1", "Ana María", "ana.maria@example.com", "12345"],
          ["C2", "Beatriz", "bea@example.com", "+34 914 444 444"],
          ["C3", "Carla", "carla@example.com", "abc"]]


def stored_contacts(sandbox: SandboxServer) -> dict[str, dict[str, Any]]:
    response = httpx.get(sandbox.root_url + "/_sandbox/state", timeout=10,
                         headers={"Authorization": f"Bearer {DEFAULT_TOKEN}"})
    response.raise_for_status()
    contacts: dict[str, dict[str, Any]] = response.json()["contacts"]
    return contacts


def seeded(tmp_path: Path, sandbox: SandboxServer, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_csv(tmp_path / "seed.csv", HEADERS, SEED)
    code, out, _err = run_cli(capsys, "import", str(path), "--kind", "contacts",
                              "--sandbox", sandbox.base_url, *MAP, "--json")
    assert code == cli.EXIT_OK, out
    assert stored_contacts(sandbox)["C1"]["landline"] == "+34912345678"


def template(tmp_path: Path, landline: ColumnOptions) -> Path:
    mapping = Mapping(ImportKind.CONTACTS, assignments={
        "_user_id": "Customer ID", "_first_name": "Name", "_email": "Email",
        "landline": "Landline"}, options={"Landline": landline})
    path = tmp_path / "template.json"
    save_template(path, mapping, HEADERS)
    return path


def logged_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("empty_cells", [EmptyCellPolicy.KEEP, EmptyCellPolicy.CLEAR])
def test_a_malformed_landline_leaves_the_rest_of_the_contact_imported(
        tmp_path: Path, sandbox: SandboxServer, capsys: pytest.CaptureFixture[str],
        empty_cells: EmptyCellPolicy) -> None:
    seeded(tmp_path, sandbox, capsys)
    path = write_csv(tmp_path / "update.csv", HEADERS, UPDATE)
    error_log = tmp_path / "errors.csv"
    mapping = template(tmp_path, ColumnOptions(empty_cells=empty_cells))
    code, out, _err = run_cli(capsys, "import", str(path), "--kind", "contacts",
                              "--sandbox", sandbox.base_url, "--mapping", str(mapping),
                              "--json", "--error-log", str(error_log))

    assert code == cli.EXIT_OK, out
    summary = json.loads(out)
    assert (summary["rows_read"], summary["valid"], summary["invalid"]) == (3, 3, 0)
    assert summary["accepted"] == 3
    assert summary["values_left_out"] == 2
    contacts = stored_contacts(sandbox)
    # The existing landline is kept, never cleared (even where empty cells clear).
    assert contacts["C1"] == {"_user_id": "C1", "_first_name": "Ana María",
                              "_email": "ana.maria@example.com", "landline": "+34912345678"}
    assert contacts["C2"]["landline"] == "+34914444444"
    assert contacts["C3"] == {"_user_id": "C3", "_first_name": "Carla",
                              "_email": "carla@example.com"}

    # The error log lists both rows as warnings, their cells as they were.
    assert summary["error_log"] == str(error_log)
    logged = logged_rows(error_log)
    assert [(entry["Row"], entry["Landline"]) for entry in logged] == [("2", "12345"),
                                                                       ("4", "abc")]
    assert logged[0]["Errors"] == (
        'Row 2, column "Landline": "12345" is not a phone number; this value is left out and '
        "the rest of the row is sent")


def test_the_summary_line_says_how_many_values_were_left_out(
        tmp_path: Path, sandbox: SandboxServer, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_csv(tmp_path / "update.csv", HEADERS, UPDATE)
    code, _out, err = run_cli(capsys, "import", str(path), "--kind", "contacts",
                              "--sandbox", sandbox.base_url, *MAP,
                              "--error-log", str(tmp_path / "errors.csv"))
    assert code == cli.EXIT_OK, err
    assert "invalid: 0;" in err
    assert "Invalid values left out, the rest of their rows kept: 2 (warnings in the error " \
           "log)." in err


def test_a_column_set_to_skip_the_row_rejects_it_whole(
        tmp_path: Path, sandbox: SandboxServer, capsys: pytest.CaptureFixture[str]) -> None:
    seeded(tmp_path, sandbox, capsys)
    path = write_csv(tmp_path / "update.csv", HEADERS, UPDATE)
    error_log = tmp_path / "errors.csv"
    mapping = template(tmp_path, ColumnOptions(invalid_values=InvalidValuePolicy.SKIP_ROW))
    code, out, _err = run_cli(capsys, "import", str(path), "--kind", "contacts",
                              "--sandbox", sandbox.base_url, "--mapping", str(mapping),
                              "--json", "--error-log", str(error_log))

    assert code == cli.EXIT_ROWS_FAILED
    summary = json.loads(out)
    assert (summary["valid"], summary["invalid"], summary["values_left_out"]) == (1, 2, 0)
    contacts = stored_contacts(sandbox)
    assert contacts["C1"]["_first_name"] == "Ana"  # untouched: the row was not sent
    assert "C3" not in contacts
    assert contacts["C2"]["_first_name"] == "Beatriz"
    assert [entry["Row"] for entry in logged_rows(error_log)] == ["2", "4"]


def test_a_malformed_user_id_still_rejects_the_row(
        tmp_path: Path, sandbox: SandboxServer, capsys: pytest.CaptureFixture[str]) -> None:
    rows = [["7.02255E+12", "Dora", "dora@example.com", "12345"], *UPDATE[1:]]
    path = write_csv(tmp_path / "update.csv", HEADERS, rows)
    code, out, _err = run_cli(capsys, "import", str(path), "--kind", "contacts",
                              "--sandbox", sandbox.base_url, *MAP, "--json",
                              "--error-log", str(tmp_path / "errors.csv"))
    assert code == cli.EXIT_ROWS_FAILED
    summary = json.loads(out)
    assert (summary["invalid"], summary["values_left_out"]) == (1, 1)
    assert set(stored_contacts(sandbox)) == {"C2", "C3"}
