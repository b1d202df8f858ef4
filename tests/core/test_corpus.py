"""The export corpus of the mapping-quality benchmark stays usable: every file loads, every
expectation names the file's real columns and targets the demo datasource has, and the committed
files are what the generator writes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from ingest_gui.core.loading import load_table
from ingest_gui.core.mapping import ImportKind, targets_for
from tests.benchmarks.corpus import generate
from tests.benchmarks.mapping_quality import (
    CORPUS_DIR,
    Pair,
    Proposal,
    demo_specs,
    evaluate,
    expectations,
    load_expected_table,
)

EXPECTED = expectations()
FILES_WITHOUT_USER_ID = {"orders_2025-11-03_orderby-date_order-desc.csv"}


def _id(expected: dict[str, Any]) -> str:
    return str(expected["file"])


def test_every_corpus_file_has_an_expectation_and_the_corpus_is_small():
    files = sorted(path.name for path in (CORPUS_DIR / "files").iterdir())
    assert files == sorted(expected["file"] for expected in EXPECTED)
    assert len(files) >= 20
    total = sum(path.stat().st_size for path in (CORPUS_DIR / "files").iterdir())
    assert total < 1024 * 1024


@pytest.mark.parametrize("expected", EXPECTED, ids=_id)
def test_the_file_loads_with_exactly_the_expected_columns(expected):
    table = load_expected_table(expected)
    assert table.headers == list(expected["targets"])
    assert 30 <= expected["rows"] <= 200
    # Never fewer (a report footer may still load as rows until it is recognised).
    assert len(table) >= expected["rows"]
    if expected["kind"] == "events":
        assert 0 < expected["events"] <= expected["rows"]
    else:
        assert expected["events"] is None
    if expected["sheet"] is not None:
        assert table.sheet == expected["sheet"]


@pytest.mark.parametrize("expected", EXPECTED, ids=_id)
def test_the_expectation_names_targets_of_the_demo_datasource(expected):
    specs = demo_specs()
    kind = ImportKind(expected["kind"])
    assert kind in {ImportKind.CONTACTS, ImportKind.EVENTS}
    if kind is ImportKind.EVENTS:
        assert specs.event_type(expected["event_type"]) is not None
    else:
        assert expected["event_type"] is None
    keys = {target.key for target in targets_for(kind, specs, event_type=expected["event_type"])}
    columns = set(expected["targets"])
    named = [*expected["targets"].items(), *expected["acceptable"].items()]
    for column, wanted in named:
        assert column in columns
        assert set(wanted) <= keys, (column, set(wanted) - keys)
    assert set(expected["consent"]) <= columns
    assert set(expected["sensitive"]) <= columns
    # A target is fed by one column: two columns expecting it would make "right" impossible.
    fed = [target for wanted in expected["targets"].values() for target in wanted]
    assert len(fed) == len(set(fed))
    # Every file but one identifies people (WooCommerce's Analytics orders report has no e-mail).
    assert ("_user_id" in fed) is (expected["file"] not in FILES_WITHOUT_USER_ID)


def test_the_committed_corpus_is_what_the_generator_writes(tmp_path: Path):
    generate.write_corpus(tmp_path)
    for folder in ("files", "expected"):
        assert sorted(p.name for p in (tmp_path / folder).iterdir()) == sorted(
            p.name for p in (CORPUS_DIR / folder).iterdir())
    for written in sorted((tmp_path / "files").iterdir()):
        committed = CORPUS_DIR / "files" / written.name
        if written.name == "clientes_errores.csv":
            # Written by the app's own error-log writer, whose format may evolve: same table.
            assert load_table(written).frame.equals(load_table(committed).frame)
        else:
            assert written.read_bytes() == committed.read_bytes(), written.name
    for written in sorted((tmp_path / "expected").iterdir()):
        committed = CORPUS_DIR / "expected" / written.name
        assert json.loads(written.read_text("utf-8")) == json.loads(committed.read_text("utf-8"))


def _raw(name: str) -> bytes:
    return (CORPUS_DIR / "files" / name).read_bytes()


def _column(name: str, column: str, *, encoding: str = "utf-8-sig",
            delimiter: str = ",") -> list[str]:
    """A column's cells exactly as written (the loader may one day clean text markers)."""
    text = _raw(name).decode(encoding)
    return [row[column] for row in csv.DictReader(io.StringIO(text), delimiter=delimiter)]


def test_the_files_keep_the_quirks_of_their_sources():
    """What makes each file hard to read is what the corpus is for: guard it."""
    # Shopify: no BOM, LF, an apostrophe before every id and phone, yes/no consent.
    raw = _raw("customers_export.csv")
    assert raw.startswith(b"Customer ID,")
    assert b"\r\n" not in raw
    assert all(value.startswith("'") for value in _column("customers_export.csv", "Customer ID"))
    assert all(v.startswith("'+") for v in _column("customers_export.csv", "Phone") if v)
    assert set(_column("customers_export.csv", "Accepts SMS Marketing")) == {"yes", "no"}
    # ... and once re-saved by Spanish Excel: ';', Windows-1252, ids destroyed.
    raw = _raw("customers_export_excel_es.csv")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert all("E+12" in v for v in _column("customers_export_excel_es.csv", "Customer ID",
                                            encoding="cp1252", delimiter=";"))
    # Shopify orders: line-item rows carry no order fields; fewer orders than rows.
    names = _column("orders_export_1.csv", "Name")
    totals = _column("orders_export_1.csv", "Total")
    assert len(set(names)) < len(names)
    assert all(bool(total) == (i == 0 or names[i - 1] != name)
               for i, (name, total) in enumerate(zip(names, totals, strict=True)))
    # WooCommerce: formula-escaped phones; the e-mailed report has a BOM.
    assert any(v.startswith("'+") for v in _column("orders-2025-11-03-09-12-41.csv",
                                                  "Phone (Billing)"))
    assert _raw("customers_2025-11-03_orderby-date_last_active.csv").startswith(b"\xef\xbb\xbf")
    # Mailchimp: coordinates, hash ids, yearless birthdays; the status only in the name.
    subscribed = "subscribed_email_audience_export_5b1c0e2f9a.csv"
    assert any(v.startswith("40.") for v in _column(subscribed, "LATITUDE"))
    assert all(len(v) == 10 for v in _column(subscribed, "EUID"))
    assert any(len(v) == 5 and v[2] == "/" for v in _column(subscribed, "Birthday"))
    # Salesforce report: the footer follows a blank line.
    lines = _raw("report1762163512345.csv").decode("cp1252").splitlines()
    assert lines[-1].startswith('"Copyright (c)')
    assert lines[-5] == ""
    # Magento's technical export carries secrets.
    assert all(_column("customer_main_20251103_091500.csv", "password_hash"))
    # The Spanish workbook: money typed with thousands dots and the euro sign.
    spent = load_table(CORPUS_DIR / "files" / "clientes_tienda.xlsx").frame["Total compras (€)"]
    assert any(v.endswith(" €") and "." in v for v in spent)


# ------------------------------------------------------------------ the benchmark's scoring

_EXPECTED = {
    "file": "subscribed.csv", "source": "mailchimp_subscribed", "kind": "contacts",
    "event_type": None, "sheet": None,
    "targets": {"Email Address": ["_user_id", "_email"], "Phone Number": ["_phone_mobile"],
                "LATITUDE": [], "Accepts": [], "password_hash": [], "TAGS": []},
    "acceptable": {"TAGS": ["interests"]},
    "consent": ["Accepts"], "sensitive": ["password_hash"], "rows": 30, "events": None,
}


def _pair(column, target, *, applied):
    return Pair(column, target, applied, 0.9 if applied else 0.6, "")


def test_a_proposal_that_applies_every_expected_pair_is_all_right():
    proposal = Proposal("mailchimp_subscribed", (
        _pair("Email Address", "_user_id", applied=True),
        _pair("Email Address", "_email", applied=True),
        _pair("Phone Number", "_phone_mobile", applied=True),
        _pair("TAGS", "interests", applied=False),  # acceptable: not a wrong offer
    ))
    result = evaluate(_EXPECTED, proposal)
    assert (result.right, result.clear_columns) == (2, 2)
    assert result.wrong_applied == result.wrong_offers == result.secrets_offered == []
    assert result.source_recognised is True


def test_a_column_is_right_only_when_all_its_targets_are_applied():
    proposal = Proposal(None, (
        _pair("Email Address", "_email", applied=True),
        _pair("Email Address", "_user_id", applied=False),
    ))
    result = evaluate(_EXPECTED, proposal)
    assert (result.right, result.clear_columns) == (0, 2)
    assert result.only_offered == ["Email Address → _user_id"]
    assert result.missed == ["Phone Number → _phone_mobile"]
    assert result.source_recognised is False


def test_wrong_pairs_consent_and_secrets_are_counted():
    proposal = Proposal("mailchimp_subscribed", (
        _pair("Email Address", "_user_id", applied=True),
        _pair("Email Address", "_email", applied=True),
        _pair("Phone Number", "_phone_mobile", applied=True),
        _pair("LATITUDE", "landline", applied=False),
        _pair("Accepts", "vip", applied=True),
        _pair("password_hash", "notes", applied=False),
    ))
    result = evaluate(_EXPECTED, proposal)
    assert result.wrong_applied == ["Accepts → vip"]
    assert result.wrong_offers == ["LATITUDE → landline", "password_hash → notes"]
    assert result.secrets_offered == ["password_hash → notes"]
    assert (result.right, result.clear_columns) == (2, 2)


def test_a_wrong_target_applied_beside_the_right_one_spoils_the_column():
    proposal = Proposal(None, (
        _pair("Phone Number", "_phone_mobile", applied=True),
        _pair("Phone Number", "landline", applied=True),
    ))
    result = evaluate(_EXPECTED, proposal)
    assert result.right == 0
    assert result.wrong_applied == ["Phone Number → landline"]
