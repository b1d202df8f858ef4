"""The export corpus of the mapping-quality benchmark stays usable: every file loads, every
expectation names the file's real columns and targets the demo datasource has, and the committed
files are what the generator writes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ingest_gui.core.loading import load_table
from ingest_gui.core.mapping import ImportKind, targets_for
from tests.benchmarks.corpus import generate
from tests.benchmarks.mapping_quality import (
    CORPUS_DIR,
    demo_specs,
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
    assert 30 <= len(table) <= 200
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
