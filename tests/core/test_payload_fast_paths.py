"""The body writer's fast paths (``ingest_gui.core.payload.bodies_fast``: byte scans that decide
which cells payload building writes straight from the column) against the plain version beside
them (``bodies.cell_text``: Python's ``json`` encoder, one cell at a time).

A cell written straight from the column must be exactly what ``json.dumps`` would write for its
wire value; a cell that needs Python may be sent there even when it did not have to (that only
costs time). These tests hold every scan to the first rule on generated and hand-picked texts,
and check that the common forms do take the fast path.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest_gui.core.mapping import ImportKind
from ingest_gui.core.payload import bodies, bodies_fast, build_batches, planner
from tests.core.test_payload import make_result

NUMBER_LIKE = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.decimals(allow_nan=False, allow_infinity=False).map(str),
    st.text(alphabet="0123456789.-+eE _", max_size=18),
    st.sampled_from(["0", "-0", "0.0", "-0.0", "00", "01", "0.0001", "0.00001", "0.00012",
                     "1.0", "10.0", "1.10", ".5", "5.", "-", ".", "1e5", "123456789012345.6",
                     "1234567890123456", "0.99999999999999", "١٢", "12\x1f3"]),
)


def arrow_texts(texts: list[str | None], *, sliced: bool) -> pa.Array:
    """A string column as the builder sees it (optionally a slice of a longer one)."""
    if not sliced:
        return pa.array(texts, type=pa.large_string())
    padded = pa.array(["pad", *texts, "pad"], type=pa.large_string())
    return padded.slice(1, len(texts))


def prints_itself(text: str) -> bool:
    return bodies.json_text(bodies.to_decimal(text)) == text


@settings(max_examples=300, deadline=None)
@given(texts=st.lists(st.one_of(st.none(), NUMBER_LIKE), max_size=30), sliced=st.booleans())
def test_numbers_taken_verbatim_print_back_unchanged(texts: list[str | None],
                                                     sliced: bool) -> None:
    verbatim = bodies_fast.verbatim_numbers(arrow_texts(texts, sliced=sliced))
    assert len(verbatim) == len(texts)
    for text, fast in zip(texts, verbatim.tolist(), strict=True):
        if fast:
            assert text is not None
            # Both converters: number/integer columns use _to_integer, decimal _to_decimal.
            assert prints_itself(text)
            assert bodies.json_text(bodies.to_integer(text)) == text


def test_common_numbers_take_the_column_wise_path() -> None:
    common = ["0", "7", "-12", "123456789012345", "0.1", "-2.5", "1234.56", "1.0", "-0.0",
              "0.0001", "99.99", "100.5"]
    assert bodies_fast.verbatim_numbers(arrow_texts(common, sliced=True)).all()
    # And these print differently, so Python writes them.
    differ = ["-0", "007", "1.50", "0.00001", "+5", "1e5", " 7", "5.", ".5", "1_000"]
    assert not bodies_fast.verbatim_numbers(arrow_texts(differ, sliced=False)).any()
    assert not any(prints_itself(text) for text in differ)


text_cells = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=8)


@settings(max_examples=300, deadline=None)
@given(texts=st.lists(st.one_of(st.none(), text_cells,
                                st.sampled_from(['"', "\\", "\x00", "\x1f", "\x7f", "😀"])),
                      max_size=30),
       sliced=st.booleans())
def test_rows_to_escape_are_exactly_those_json_changes(texts: list[str | None],
                                                       sliced: bool) -> None:
    cells = arrow_texts(texts, sliced=sliced)
    escaped = set(bodies_fast.rows_to_escape(cells, lists=False).tolist())
    in_lists = set(bodies_fast.rows_to_escape(cells, lists=True).tolist())
    for row, text in enumerate(texts):
        if text is None:
            continue
        assert (row in escaped) == (encode_basestring(text) != f'"{text}"')
        parts_change = any(encode_basestring(part) != f'"{part}"' for part in text.split("\x1f"))
        assert (row in in_lists) == parts_change


@settings(max_examples=300, deadline=None)
@given(texts=st.lists(st.one_of(st.none(), st.lists(st.sampled_from(["", "a", "bc", "ñ"]),
                                                    min_size=1, max_size=4).map("\x1f".join)),
                      max_size=30),
       sliced=st.booleans())
def test_rows_with_empty_list_parts_are_found(texts: list[str | None], sliced: bool) -> None:
    found = set(bodies_fast.rows_with_empty_parts(arrow_texts(texts, sliced=sliced)).tolist())
    expected = {row for row, text in enumerate(texts)
                if text is not None and "\x1f" in text and not all(text.split("\x1f"))}
    assert found == expected


def column_wise_text(kind: bodies.ValueKind, text: str) -> str:
    """The value text the column-wise path writes for a cell it takes as it is (``_VARIANTS``
    variant 0): the cell, framed, its list separators turned into JSON's."""
    if kind is bodies.ValueKind.TEXT:
        return text
    if kind is bodies.ValueKind.NUMBER:
        return text
    if kind is bodies.ValueKind.TEXT_LIST:
        return '["' + text.replace("\x1f", '","') + '"]'
    return "[" + text.replace("\x1f", ",") + "]"


def rows_for_python(kind: bodies.ValueKind, cells: pa.Array) -> set[int]:
    """The rows ``_encode_leaf`` sends to ``cell_text``, found by the byte scans."""
    if kind is bodies.ValueKind.TEXT:
        found = bodies_fast.rows_to_escape(cells, lists=False)
    elif kind is bodies.ValueKind.NUMBER:
        found = np.flatnonzero(~bodies_fast.verbatim_numbers(cells))
    elif kind is bodies.ValueKind.TEXT_LIST:
        found = np.union1d(bodies_fast.rows_to_escape(cells, lists=True),
                           bodies_fast.rows_with_empty_parts(cells))
    else:
        found = bodies_fast.list_rows_not_verbatim(cells)
    return set(found.tolist())


any_cell_text = st.one_of(NUMBER_LIKE, text_cells,
                          st.lists(st.one_of(NUMBER_LIKE, text_cells), max_size=3)
                          .map("\x1f".join))


@settings(max_examples=300, deadline=None)
@given(texts=st.lists(any_cell_text, min_size=1, max_size=20), sliced=st.booleans(),
       data_type=st.sampled_from([("text", False), ("decimal", False), ("integer", False),
                                  ("text", True), ("number", True), ("decimal", True)]))
def test_cells_the_scans_let_through_are_written_as_the_plain_version_writes_them(
        texts: list[str], sliced: bool, data_type: tuple[str, bool]) -> None:
    """The fast paths against the plain one: every non-empty cell the byte scans leave to the
    column-wise path gets exactly the text ``bodies.cell_text`` (Python's encoder) gives it."""
    kind, convert = bodies.value_kind(*data_type)
    leaf = bodies.Leaf("key", kind, None, convert=convert)
    python_rows = rows_for_python(kind, arrow_texts(texts, sliced=sliced))
    for row, text in enumerate(texts):
        if text and row not in python_rows:
            assert column_wise_text(kind, text) == bodies.cell_text(leaf, text)


def test_chunk_size_does_not_change_the_bodies(monkeypatch: pytest.MonkeyPatch) -> None:
    count = 2_345
    columns = {
        "_user_id": [f"U{i}" for i in range(count)],
        "notes": [None if i % 5 == 0 else 'say "hi"' * (i % 40) for i in range(count)],
        "lifetime_value": [["0.1", "1.50", None, "7"][i % 4] for i in range(count)],
        "interests": [["a\x1fb", None, "\x1fc"][i % 3] for i in range(count)],
    }
    default = build_batches(make_result(ImportKind.CONTACTS, columns), datasource="d")
    for rows in (100, 700, 1_000):
        monkeypatch.setattr(planner, "_CHUNK_MIN_ROWS", rows)
        monkeypatch.setattr(planner, "_CHUNK_MAX_ROWS", rows)
        again = build_batches(make_result(ImportKind.CONTACTS, columns), datasource="d")
        assert again == default


def test_a_constant_event_type_is_escaped_like_any_string() -> None:
    result = make_result(ImportKind.EVENTS, {"_user_id": ["U1"]}, event_type='say "hi"\\')
    (batch,) = build_batches(result, datasource="ds").batches
    assert batch.items[0]["_event_type"] == 'say "hi"\\'
    assert b'"_event_type":"say \\"hi\\"\\\\"' in batch.encoded.body


def test_values_that_are_not_text_are_refused_clearly() -> None:
    result = make_result(ImportKind.CONTACTS, {"_user_id": ["U1", "U2"], "plan": ["a", "b"]})
    result.values = result.values.set_column(1, "plan", pa.array([1, 2]))
    with pytest.raises(ValueError, match="plan"):
        build_batches(result, datasource="ds")


def test_body_bytes_are_utf8_without_ascii_escapes() -> None:
    result = make_result(ImportKind.CONTACTS, {"_user_id": ["Ü1"], "notes": ["ñ 😀 \x01"]})
    (batch,) = build_batches(result, datasource="ds").batches
    assert batch.encoded.body == '[{"_user_id":"Ü1","notes":"ñ 😀 \\u0001"}]'.encode()
    assert json.loads(batch.encoded.body) == [{"_user_id": "Ü1", "notes": "ñ 😀 \x01"}]
    assert batch.encoded.user_ids == ("Ü1",)


def test_number_cells_without_a_fast_form_are_converted_once_per_text() -> None:
    texts = [["1.50", "2.50"][i % 2] for i in range(3_000)]
    calls: list[str] = []
    original = bodies.to_decimal

    def counting(text: str) -> object:
        calls.append(text)
        return original(text)

    result = make_result(ImportKind.CONTACTS, {
        "_user_id": [f"U{i}" for i in range(len(texts))], "lifetime_value": texts})
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(bodies, "to_decimal", counting)
        plan = build_batches(result, datasource="ds")
    assert sorted(calls) == ["1.50", "2.50"]
    assert [item["lifetime_value"] for item in plan.batches[0].items[:2]] == [1.5, 2.5]
    assert np.all([b'"lifetime_value":1.5' in batch.encoded.body for batch in plan.batches])


def test_pieces_too_big_for_32_bit_offsets_are_written_with_64(
        monkeypatch: pytest.MonkeyPatch) -> None:
    result = make_result(ImportKind.EVENTS, {
        "_user_id": [f"U{i}" for i in range(300)],
        "_event_parameters.amount": [["1.5", None, "2.50"][i % 3] for i in range(300)]},
        event_type="purchase")
    usual = build_batches(result, datasource="ds")
    monkeypatch.setattr(bodies, "_SMALL_OFFSETS_MAX", 0)
    assert build_batches(result, datasource="ds") == usual
