"""The column-wise fast paths of payload building give exactly what the simple paths give.

Row dicts built by one constructor per pattern of empty cells must equal (keys, order, values)
rows built whole with the empty keys deleted; numbers converted by Arrow must be the same
Python ints and floats (and the same texts for values no float prints exactly) as the
value-by-value conversion.
"""

from __future__ import annotations

import random

import numpy as np
import pytest

from ingest_gui.core import payload
from ingest_gui.core.mapping import ImportKind
from ingest_gui.core.payload import build_batches
from tests.core.test_payload import make_result

Columns = tuple[list[str], list[list[object]], list[np.ndarray | None]]


def _columns(count: int, seed: int) -> Columns:
    rng = random.Random(seed)
    keys = ["_user_id", "a", "b", "c", "d", "e"]
    values: list[list[object]] = [[f"{key}{row}" for row in range(count)] for key in keys]
    omit: list[np.ndarray | None] = [None]
    for share in (0.0, 0.5, 0.1, 0.9, 0.3):
        omit.append(np.array([rng.random() < share for _ in range(count)], dtype=bool))
    return keys, values, omit


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_pattern_constructors_build_the_same_rows_as_deleting_keys(
        seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    keys, values, omit = _columns(3000, seed)
    by_pattern = payload._assemble(keys, values, omit, 3000)
    monkeypatch.setattr(payload, "_PATTERNS", 0)  # force the build-whole-then-delete path
    by_deleting = payload._assemble(keys, values, omit, 3000)
    assert by_pattern == by_deleting
    assert [list(row) for row in by_pattern] == [list(row) for row in by_deleting]
    # Spot-check against the rule itself.
    for row in (0, 1234, 2999):
        expected = [key for key, mask in zip(keys, omit, strict=True)
                    if mask is None or not mask[row]]
        assert list(by_pattern[row]) == expected


def test_contacts_with_many_empty_patterns_fall_back_and_agree(
        monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(7)
    count = 400
    columns = {"_user_id": [f"u{n}" for n in range(count)]}
    for name in ("first", "second", "third", "fourth"):
        columns[name] = [None if rng.random() < 0.5 else f"{name}{n}" for n in range(count)]
    items = [item for batch in build_batches(make_result(ImportKind.CONTACTS, columns),
                                             datasource="d").batches for item in batch.items]
    monkeypatch.setattr(payload, "_PATTERNS", 0)
    fallback = [item for batch in build_batches(make_result(ImportKind.CONTACTS, columns),
                                                datasource="d").batches for item in batch.items]
    assert items == fallback
    assert all(value is not None for item in items for value in item.values())


def _varied_numbers(count: int) -> list[str | None]:
    rng = random.Random(11)
    texts: list[str | None] = []
    for _ in range(count):
        kind = rng.random()
        if kind < 0.1:
            texts.append(None)
        elif kind < 0.4:
            texts.append(str(rng.randint(-10**9, 10**9)))
        elif kind < 0.85:
            texts.append(f"{rng.uniform(-1e5, 1e5):.{rng.randint(1, 6)}f}".rstrip("0").rstrip("."))
        else:
            # Texts no float prints back exactly stay texts: the service gets every digit.
            texts.append(rng.choice(["0.1", "-0.5", "0", "3.14159265358979323846",
                                     "0." + "1" * 20, "1234.5"]))
    return texts


@pytest.mark.parametrize("data_type", ["decimal", "number", "integer"])
def test_arrow_numbers_equal_value_by_value_conversion(data_type: str) -> None:
    texts = _varied_numbers(20_000)
    scalar = payload._scalar_converter(data_type)
    assert scalar is not None
    expected = [None if text is None else scalar(text) for text in texts]
    converted = payload._numbers_with_arrow(texts)
    assert converted is not None
    assert [type(value) for value in converted] == [type(value) for value in expected]
    assert converted == expected
    assert "3.14159265358979323846" in converted  # kept as text, not rounded


def test_numbers_beyond_64_bits_fall_back_to_exact_python_ints() -> None:
    texts: list[str | None] = [str(n) for n in range(5000)] + ["123456789012345678901234567890"]
    assert payload._numbers_with_arrow(texts) is None
    converted = payload._convert(texts, "integer", False)
    assert converted[-1] == 123456789012345678901234567890
    assert converted[:3] == [0, 1, 2]
