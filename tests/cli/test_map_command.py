"""``ingest-gui map``: what a real export was recognised as and the mapping it would get, against
the sandbox's datasource; nothing is imported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest_gui import cli
from ingest_gui.core.loading import load_table
from ingest_gui.core.mapping import ImportKind, Mapping, auto_map, suggest, targets_for
from ingest_gui.sandbox.server import SandboxServer
from tests.core.factories import make_specs
from tests.import_helpers import run_cli

CORPUS = Path(__file__).resolve().parents[1] / "benchmarks" / "corpus" / "files"


def test_json_names_the_source_and_one_entry_per_column_and_target(
        sandbox: SandboxServer, capsys: pytest.CaptureFixture[str]) -> None:
    path = CORPUS / "customers_export.csv"
    code, out, _err = run_cli(capsys, "map", str(path), "--kind", "contacts",
                              "--sandbox", sandbox.base_url, "--json")
    assert code == cli.EXIT_OK
    body = json.loads(out)
    assert body["source"] == "shopify_customers"
    assert (body["sheet"], body["header_row"]) == (None, 1)
    headers = load_table(path).headers
    assert {entry["column"] for entry in body["columns"]} == set(headers)
    for entry in body["columns"]:
        assert set(entry) == {"column", "target", "confidence", "applied", "reason"}
        assert entry["reason"]
        if entry["target"] is None:
            assert not entry["applied"]
            # A column without a target has exactly one entry.
            assert [e["column"] for e in body["columns"]].count(entry["column"]) == 1
    applied = {(e["column"], e["target"]) for e in body["columns"] if e["applied"]}
    assert ("Customer ID", "_user_id") in applied
    assert ("Phone", "_phone_mobile") in applied
    # "applied" is exactly what --auto-map would apply.
    table = load_table(path)
    mapping = Mapping(ImportKind.CONTACTS)
    specs = make_specs()
    auto_map(mapping, suggest(table, targets_for(ImportKind.CONTACTS, specs)))
    assert applied == {(column, target) for target, column in mapping.assignments.items()}
    assert sandbox.state()["contacts"] == {}  # nothing imported


def test_the_readable_table_says_what_the_file_looks_like(
        sandbox: SandboxServer, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run_cli(capsys, "map", str(CORPUS / "customers_export.csv"), "--kind",
                              "contacts", "--sandbox", sandbox.base_url)
    assert code == cli.EXIT_OK
    first, header, *lines = out.splitlines()
    assert first == "customers_export.csv, column names in row 1: Shopify customers export."
    assert header.split() == ["column", "target", "conf.", "applied", "reason"]
    customer_id = next(line for line in lines if line.strip().startswith("Customer ID"))
    assert customer_id.split()[2:5] == ["_user_id", "0.96", "yes"]


def test_a_workbook_is_read_from_the_sheet_that_fits_the_kind_and_says_so(
        sandbox: SandboxServer, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "map", str(CORPUS / "ventas_2025.xlsx"), "--kind", "events",
                             "--event-type", "purchase", "--sandbox", sandbox.base_url, "--json")
    assert code == cli.EXIT_OK
    assert json.loads(out)["sheet"] == "Pedidos"
    assert 'reading the sheet "Pedidos", which looks like events' in err
    assert "use --sheet to read another" in err
    code, out, err = run_cli(capsys, "map", str(CORPUS / "ventas_2025.xlsx"), "--kind", "events",
                             "--sheet", "Clientes", "--sandbox", sandbox.base_url, "--json")
    assert code == cli.EXIT_OK
    assert json.loads(out)["sheet"] == "Clientes"
    assert "reading the sheet" not in err


def test_an_unknown_event_type_is_a_sentence(sandbox: SandboxServer,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run_cli(capsys, "map", str(CORPUS / "orders_export_1.csv"), "--kind",
                              "events", "--event-type", "teleport", "--sandbox", sandbox.base_url)
    assert code == cli.EXIT_USAGE
    assert 'The datasource has no event type "teleport"' in err
