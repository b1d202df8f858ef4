"""The column-wise payload writer sends exactly what a plain per-row builder would.

``reference_plan`` below is the test oracle: the payload rules written out row by row with
dicts, the way the builder worked before it wrote bodies column-wise, batched by the exact size
of each body. For every plan, each batch's body must equal byte for byte
``encode_items(items)`` of the oracle's items for that batch, with the same user ids, rows,
skipped rows and duplicates.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
from collections.abc import Callable, Iterator
from decimal import Decimal, InvalidOperation
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest_gui.api.items import encode_items, user_id_text
from ingest_gui.api.specs import AttributeSpec, DatasourceSpecs, EventParameterSpec
from ingest_gui.core.mapping import ImportKind
from ingest_gui.core.payload import MAX_BATCH_BYTES, MAX_ITEMS_PER_BATCH, build_batches, planner
from ingest_gui.core.validation import ValidationResult
from tests.core.factories import make_specs
from tests.core.test_payload import make_result, purchase_result

PARAMS = "_event_parameters."
USER_DATA = "_user_data."

# --------------------------------------------------------------------------- the oracle


def reference_number(text: str) -> Any:
    """A JSON number that prints as exactly the same number as ``text``, else the text."""
    try:
        return int(text)
    except ValueError:
        pass
    try:
        number = float(text)
    except ValueError:
        return text
    if not math.isfinite(number):
        return text
    try:
        return number if Decimal(repr(number)) == Decimal(text) else text
    except InvalidOperation:
        return text


def reference_value(text: str, data_type: str, is_list: bool) -> Any:
    def scalar(part: str) -> Any:
        return reference_number(part) if data_type in ("number", "integer", "decimal") else part

    if is_list:
        return [scalar(part) for part in text.split("\x1f") if part]
    return scalar(text)


def reference_event_id(datasource: str, event_type: str, user: str, date: str,
                       parameters: dict[str, str]) -> str:
    canonical = json.dumps(
        [datasource, event_type, user, date, [[k, parameters[k]] for k in sorted(parameters)]],
        separators=(",", ":"))
    return "ev-" + hashlib.sha256(canonical.encode("ascii")).hexdigest()[:32]


def cell(value: Any) -> str | None:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return str(value) or None


def attribute_kind(specs: DatasourceSpecs, uid: str) -> tuple[str, bool]:
    spec = specs.attribute(uid)
    return (spec.effective_type, spec.is_list) if spec else ("text", False)


def parameter_kind(specs: DatasourceSpecs, event_type: str, name: str) -> tuple[str, bool]:
    for spec in specs.parameters_of(event_type):
        if spec.parameter == name:
            return spec.effective_type, spec.is_list
    return "text", False


def reference_object(row: dict[str, str | None], targets: list[str], prefix: str,
                     kind_of: Callable[[str], tuple[str, bool]],
                     clear: frozenset[str], left_out: set[str]) -> dict[str, Any]:
    item: dict[str, Any] = {}
    for target in targets:
        key = target.removeprefix(prefix)
        text = row[target]
        if target in left_out:
            continue  # an invalid value left out: omitted, never null
        if text is None:
            if target in clear and target != "_user_id":
                item[key] = None
        else:
            item[key] = reference_value(text, *kind_of(key))
    return item


def reference_items(result: ValidationResult, datasource: str) -> tuple[
        list[dict[str, Any]], list[int], tuple[int, ...], tuple[tuple[int, int], ...]]:
    """(items, their rows, skipped rows, duplicate events), one row at a time."""
    values = {name: result.values.column(name).to_pylist() for name in result.values.column_names}
    targets = list(values)
    kind = result.mapping.kind
    specs = result.specs
    items: list[dict[str, Any]] = []
    rows: list[int] = []
    skipped: list[int] = []
    duplicates: list[tuple[int, int]] = []
    first_row_of: dict[str, int] = {}
    for position, row_number in enumerate(result.table.row_numbers.tolist()):
        row = {target: cell(values[target][position]) for target in targets}
        left_out = {target for target, rows in result.left_out.items() if rows[position]}
        event_type = row.get("_event_type") or result.mapping.event_type
        if (not result.valid[position] or row["_user_id"] is None
                or (kind is ImportKind.EVENTS and "_event_type" in targets
                    and row["_event_type"] is None)):
            skipped.append(row_number)
            continue
        if kind is ImportKind.DELETE:
            item: dict[str, Any] = {"_user_id": row["_user_id"]}
        elif kind is ImportKind.CONTACTS:
            item = reference_object(row, targets, "", lambda key: attribute_kind(specs, key),
                                    result.clear_targets, left_out)
        else:
            assert event_type is not None
            parameters = [t for t in targets if t.startswith(PARAMS)]
            event_id = row.get("_event_id") or reference_event_id(
                datasource, event_type, row["_user_id"], row.get("_event_date") or "",
                {t: row[t] for t in parameters if row[t] is not None})  # type: ignore[misc]
            first = first_row_of.setdefault(event_id, row_number)
            if first != row_number:
                duplicates.append((row_number, first))
                continue
            item = {"_user_id": row["_user_id"], "_event_id": event_id,
                    "_event_type": event_type}
            if row.get("_event_date"):
                item["_event_date"] = row["_event_date"]
            item["_event_parameters"] = reference_object(
                row, parameters, PARAMS,
                lambda key, event_type=event_type: parameter_kind(specs, event_type, key),
                result.clear_targets, left_out)
            user_data = [t for t in targets if t.startswith(USER_DATA)]
            if user_data or result.mapping.with_user_data:
                item["_user_data"] = {"_user_id": row["_user_id"], **reference_object(
                    row, user_data, USER_DATA, lambda key: attribute_kind(specs, key),
                    result.clear_targets, left_out)}
        items.append(item)
        rows.append(row_number)
    return items, rows, tuple(skipped), tuple(duplicates)


def reference_batches(items: list[dict[str, Any]]) -> Iterator[tuple[int, int]]:
    """Greedy: as many items as fit, at most 100, the body under the byte limit; a single item
    over the limit alone."""
    start = 0
    while start < len(items):
        end = start + 1
        while (end < len(items) and end - start < MAX_ITEMS_PER_BATCH
               and len(encode_items(items[start:end + 1])) < MAX_BATCH_BYTES):
            end += 1
        yield start, end
        start = end


def assert_matches_reference(result: ValidationResult, datasource: str = "ds") -> None:
    plan = build_batches(result, datasource=datasource)
    items, rows, skipped, duplicates = reference_items(result, datasource)
    assert plan.skipped_rows == skipped
    assert plan.duplicate_events == duplicates
    expected = list(reference_batches(items))
    assert len(plan.batches) == len(expected)
    for index, (batch, (start, end)) in enumerate(zip(plan.batches, expected, strict=True)):
        assert batch.index == index
        assert batch.kind is result.mapping.kind
        assert batch.rows == tuple(rows[start:end])
        assert batch.encoded.body == encode_items(items[start:end])
        assert batch.encoded.user_ids == tuple(
            user_id_text(item["_user_id"]) for item in items[start:end])


# --------------------------------------------------------------------------- existing cases


def spanish_validation() -> ValidationResult:
    from ingest_gui.core.mapping import ColumnOptions, EmptyCellPolicy, Mapping
    from ingest_gui.core.validation import validate
    from tests.core.factories import make_table

    table = make_table({
        "ID Cliente": ["1", "2", "3", "4"],
        "Correo": ["Ana@Example.com", "no es correo", "", "b@x.es"],
        "Valor": ["1.234,50", "0,1", "", "-0,0"],
        "Intereses": ["golf, vino", "", "té", 'a "b", c\\d'],
        "Plan": ["pro", "", "", "  "],
    })
    mapping = Mapping(
        ImportKind.CONTACTS,
        assignments={"_user_id": "ID Cliente", "_email": "Correo", "lifetime_value": "Valor",
                     "interests": "Intereses", "plan": "Plan"},
        options={"Plan": ColumnOptions(empty_cells=EmptyCellPolicy.CLEAR)},
    )
    return validate(table, mapping, make_specs())


def typed_twice() -> ValidationResult:
    specs = make_specs()
    params = dict(specs.event_parameters)
    params["signup"] = (*params["signup"],
                        EventParameterSpec("guests", "Guests", data_type="text"))
    result = make_result(ImportKind.EVENTS, {
        "_user_id": ["U1", "U2", "U3", "U4"],
        "_event_type": ["reservation_made", "signup", "signup", "purchase"],
        "_event_parameters.guests": ["4", "04", None, "4.50"],
    }, clear=["_event_parameters.guests"])
    result.specs = dataclasses.replace(specs, event_parameters=params)
    return result


EXISTING_CASES: dict[str, Callable[[], ValidationResult]] = {
    "contacts with typed values": lambda: make_result(ImportKind.CONTACTS, {
        "_user_id": ["USER-1", "USER-2"], "_first_name": ["Ada", "Grace"],
        "orders_count": ["12", "0"], "lifetime_value": ["0.1", "1234.50"], "vip": ["1", "0"],
        "interests": ["golf\x1fwine", "tea"], "loyalty_tier": ["gold", "silver"]}),
    "decimals": lambda: make_result(ImportKind.CONTACTS, {
        "_user_id": [f"U{i}" for i in range(9)],
        "lifetime_value": ["0.1", "0.3", "10", "-2.5", "1234.56", "99999999999999999999",
                           "12345678901234567890.12", "0.000001", "-0"]}),
    "empty cells keep and clear": lambda: make_result(ImportKind.CONTACTS, {
        "_user_id": ["U1", "U2", "U3"], "_first_name": ["Ada", None, ""],
        "plan": [None, "pro", None], "orders_count": [None, None, "3"],
        "interests": [None, "a", None]}, clear=["plan", "interests"]),
    "invalid rows": lambda: make_result(ImportKind.CONTACTS, {
        "_user_id": ["U1", "U2", "U3", None, "U5"],
        "_email": ["a@x.es", "bad", "c@x.es", "d@x.es", "e@x.es"]},
        valid=[True, False, True, True, False], header_row=3),
    "delete": lambda: make_result(ImportKind.DELETE, {
        "_user_id": ["U1", "U2", None, 'quote " and \\'], "_email": ["a", "b", "c", "d"]}),
    "purchase events": lambda: purchase_result(),
    "mapped event ids": lambda: purchase_result(values={
        "_user_id": ["U1", "U2", "U3", "U4"], "_event_id": ["order-1", None, "order-1", ""],
        "_event_date": [None] * 4, "_event_parameters.order_id": ["A-1", "A-2", "A-3", "A-4"],
        "_event_parameters.amount": ["1", "2", "3", "4"],
        "_event_parameters.currency": [None] * 4, "_event_parameters.products": [None] * 4}),
    "identical events": lambda: make_result(ImportKind.EVENTS, {
        "_user_id": ["U1", "U2", "U1", "U1", "U2"],
        "_event_parameters.product_id": ["P1", "P1", "P1", "P2", "P1"]},
        event_type="viewed_product"),
    "event type column": lambda: make_result(ImportKind.EVENTS, {
        "_user_id": ["U1", "U2", "U3"], "_event_type": ["reservation_made", "signup", None],
        "_event_parameters.guests": ["4", None, None],
        "_event_parameters.reservation_id": ["R1", None, None],
        "_event_parameters.newsletter": [None, "1", None]}),
    "parameter typed twice": typed_twice,
    "user data": lambda: make_result(ImportKind.EVENTS, {
        "_user_id": ["U1", "U2"], "_event_parameters.source": ["web", "shop"],
        "_user_data._email": ["a@x.es", None], "_user_data.orders_count": ["3", None],
        "_user_data.plan": [None, None]},
        event_type="signup", with_user_data=True, clear=["_user_data.plan"]),
    "user data chosen, no columns": lambda: make_result(ImportKind.EVENTS, {
        "_user_id": ["U1"]}, event_type="signup", with_user_data=True),
    "values left out": lambda: make_result(ImportKind.CONTACTS, {
        "_user_id": ["U1", "U2", "U3"], "landline": [None, "+34912345678", None],
        "plan": [None, None, "pro"]}, clear=["landline", "plan"],
        left_out={"landline": [True, False, False], "plan": [False, True, False]}),
    "event values left out": lambda: make_result(ImportKind.EVENTS, {
        "_user_id": ["U1", "U2"], "_event_parameters.source": [None, "shop"],
        "_user_data.plan": [None, None]}, event_type="signup", with_user_data=True,
        clear=["_event_parameters.source", "_user_data.plan"],
        left_out={"_event_parameters.source": [True, False], "_user_data.plan": [False, True]}),
    "no parameters": lambda: make_result(ImportKind.EVENTS, {"_user_id": ["U1"]},
                                         event_type="signup"),
    "empty": lambda: make_result(ImportKind.CONTACTS, {"_user_id": []}),
    "spanish validation": spanish_validation,
    "list edge cases": lambda: make_result(ImportKind.CONTACTS, {
        "_user_id": [f"U{i}" for i in range(11)],
        # Empty parts first, doubled and last (also last in the column), escapes, empty lists.
        "interests": ["a\x1fb", "a\x1f\x1fb", "\x1fa", "a\x1f", "a\x1fb", "\x1f", "\x1f\x1f",
                      'q"\x1f\\', "\x01\x1fb", None, "c\x1f"],
        "scores": ["1\x1f2", "1\x1f\x1f2", "\x1f1", "1\x1f", "1\x1f2", "\x1f", "0.10\x1f2",
                   "1e5\x1f-0", "x\x1f1", None, "3\x1f"]}, clear=["scores"]),
}


@pytest.mark.parametrize("case", list(EXISTING_CASES))
def test_existing_cases_match_the_reference(case: str) -> None:
    result = EXISTING_CASES[case]()
    result.specs = list_specs()
    assert_matches_reference(result)


# --------------------------------------------------------------------------- generated tables

SPECIAL_TEXTS = ['"', "\\", "\x00", "\x01", "\n", "\t", "\x1f", "\x7f", "😀", "ñ", "€", "\u2028",
                 "a\x1fb", "\x1fa", "a\x1f", "a\x1f\x1fb", '"\x1f\\', " ", "null", "{}", "[1]"]
NUMBER_TEXTS = ["0", "-0", "0.0", "-0.0", "0.1", "1e5", "1E5", "1.10", "10.0", "-2.5", "0.00001",
                "0.0001", "00", "007", "+5", " 7", "1_000", "١٢", "nan", "inf", "-", ".5", "5.",
                "99999999999999999999", "12345678901234567890.12", "123456789012345.6",
                "0.1\x1f2\x1f-3", "1\x1f\x1f2", "\x1f1", "2.50\x1f1e3", "x\x1f1"]

plain_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=10)
number_text = st.one_of(
    st.sampled_from(NUMBER_TEXTS),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.decimals(allow_nan=False, allow_infinity=False).map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.lists(st.integers(-1000, 1000).map(str), min_size=1, max_size=3).map("\x1f".join),
)
any_cell = st.one_of(st.none(), st.just(""), plain_text, st.sampled_from(SPECIAL_TEXTS),
                     number_text,
                     st.lists(st.one_of(plain_text, st.sampled_from(SPECIAL_TEXTS)),
                              max_size=3).map("\x1f".join))


def list_specs() -> DatasourceSpecs:
    """The test specs plus number lists (an attribute and a parameter)."""
    specs = make_specs()
    params = dict(specs.event_parameters)
    params["purchase"] = (*params["purchase"],
                          EventParameterSpec("quantities", "Quantities", data_type="number",
                                             multi_value=5),
                          EventParameterSpec("guests", "Guests", data_type="decimal"))
    params["signup"] = (*params["signup"],
                        EventParameterSpec("guests", "Guests", data_type="string",
                                           multi_value=3))
    attributes = (*specs.attributes,
                  AttributeSpec("scores", "Scores", data_type="decimal", multivalue=4,
                                custom=True),
                  AttributeSpec("age", "Age", data_type="integer", custom=True))
    return dataclasses.replace(specs, attributes=attributes, event_parameters=params)


CONTACT_TARGETS = ["_first_name", "_email", "notes", "plan", "lifetime_value", "orders_count",
                   "age", "vip", "interests", "scores", "loyalty_tier", "unknown_custom"]
PARAMETER_TARGETS = ["order_id", "amount", "products", "quantities", "guests", "source",
                     "newsletter", "check_in"]
USER_DATA_TARGETS = ["_email", "lifetime_value", "interests", "plan"]


@st.composite
def tables(draw: st.DrawFn, targets: list[str]) -> dict[str, list[str | None]]:
    count = draw(st.integers(min_value=0, max_value=12))
    chosen = draw(st.lists(st.sampled_from(targets), unique=True, max_size=len(targets)))
    return {target: draw(st.lists(any_cell, min_size=count, max_size=count))
            for target in chosen}


user_ids = st.one_of(st.sampled_from(["U1", "U2", 'U"3', "U\\4", "😀", "", None]), plain_text)
generated = settings(max_examples=120, deadline=None,
                     suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def draw_left_out(data: st.DataObject, values: dict[str, list[str | None]],
                  count: int) -> dict[str, list[bool]]:
    """Rows whose invalid value validation left out, per optional target; like validation, the
    cleaned value of such a cell is null."""
    optional = [t for t in values if not t.startswith("_event") and t != "_user_id"]
    left_out: dict[str, list[bool]] = {}
    for target in data.draw(st.lists(st.sampled_from(optional), unique=True)) if optional else []:
        rows = data.draw(st.lists(st.booleans(), min_size=count, max_size=count))
        values[target] = [None if left else text
                          for text, left in zip(values[target], rows, strict=True)]
        left_out[target] = rows
    return left_out


@generated
@given(data=st.data(), columns=tables(CONTACT_TARGETS))
def test_generated_contacts_match_the_reference(data: st.DataObject,
                                                columns: dict[str, list[str | None]]) -> None:
    count = len(next(iter(columns.values()))) if columns else data.draw(st.integers(0, 12))
    users = data.draw(st.lists(user_ids, min_size=count, max_size=count))
    order = data.draw(st.permutations(["_user_id", *columns]))
    values = {target: users if target == "_user_id" else columns[target] for target in order}
    clear = data.draw(st.lists(st.sampled_from(sorted(columns) or ["plan"]), unique=True))
    valid = data.draw(st.lists(st.booleans(), min_size=count, max_size=count))
    result = make_result(ImportKind.CONTACTS, values, clear=clear, valid=valid,
                         left_out=draw_left_out(data, values, count))
    result.specs = list_specs()
    assert_matches_reference(result)


@generated
@given(data=st.data(), parameters=tables(PARAMETER_TARGETS),
       user_data=tables(USER_DATA_TARGETS))
def test_generated_events_match_the_reference(data: st.DataObject,
                                              parameters: dict[str, list[str | None]],
                                              user_data: dict[str, list[str | None]]) -> None:
    count = data.draw(st.integers(0, 12))

    def column(strategy: st.SearchStrategy[str | None], given: list[str | None] | None = None,
               ) -> list[str | None]:
        if given is not None and len(given) == count:
            return given
        return data.draw(st.lists(strategy, min_size=count, max_size=count))

    few = st.sampled_from(["U1", "U2", "Ü3"])  # repeats make duplicate events likely
    values: dict[str, list[str | None]] = {"_user_id": column(st.one_of(few, user_ids))}
    if data.draw(st.booleans()):
        values["_event_type"] = column(st.sampled_from(
            ["purchase", "signup", "reservation_made", 'odd "type"', "", None]))
    if data.draw(st.booleans()):
        values["_event_id"] = column(st.sampled_from(["E1", "E2", 'E"3', "", None]))
    if data.draw(st.booleans()):
        values["_event_date"] = column(st.sampled_from(
            ["2026-01-01T00:00:00.000Z", "2026-01-02T10:00:00.000Z", "", None]))
    for name, cells in parameters.items():
        values[PARAMS + name] = column(st.sampled_from(["1", "2.50", "a"]), cells)
    for name, cells in user_data.items():
        values[USER_DATA + name] = column(st.sampled_from(["3", "x"]), cells)
    clear = data.draw(st.lists(st.sampled_from(
        [t for t in values if t.startswith((PARAMS, USER_DATA))] or ["plan"]), unique=True))
    valid = data.draw(st.lists(st.booleans(), min_size=count, max_size=count))
    result = make_result(ImportKind.EVENTS, values, clear=clear, valid=valid,
                         left_out=draw_left_out(data, values, count),
                         event_type=data.draw(st.sampled_from(["purchase", "signup"])),
                         with_user_data=data.draw(st.booleans()))
    result.specs = list_specs()
    assert_matches_reference(result, datasource=data.draw(st.sampled_from(["ds", 'd"s'])))


# --------------------------------------------------------------------------- batching and chunks


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Write 100 rows at a time: batches that span chunks are carried over to the next one."""
    monkeypatch.setattr(planner, "_CHUNK_MIN_ROWS", 100)
    monkeypatch.setattr(planner, "_CHUNK_MAX_ROWS", 100)


@pytest.mark.parametrize("chunks", ["default", "small"])
def test_bodies_near_the_byte_limit_split_exactly(chunks: str, request: pytest.FixtureRequest,
                                                  ) -> None:
    if chunks == "small":
        request.getfixturevalue("small_chunks")
    rng = np.random.default_rng(3)
    count = 700
    # Sizes around MAX_BATCH_BYTES / k for several k, so batches end by bytes at every count.
    sizes = rng.choice([MAX_BATCH_BYTES // k - 40 for k in (1, 2, 3, 7, 40, 99, 150)]
                       + [MAX_BATCH_BYTES + 10, 5], size=count)
    fillers = ["a", "ñ", "😀", '"', "\x01"]
    notes: list[str | None] = [
        None if i % 17 == 0 else fillers[i % len(fillers)] * max(1, int(size) // 4)
        for i, size in enumerate(sizes)]
    result = make_result(ImportKind.CONTACTS, {
        "_user_id": [f"U{i}" for i in range(count)], "notes": notes,
        "orders_count": [str(i) for i in range(count)]})
    assert_matches_reference(result)
    plan = build_batches(result, datasource="ds")
    # Every batch is as full as the limits allow, and some end by bytes, not by count.
    assert any(len(batch.rows) < MAX_ITEMS_PER_BATCH for batch in plan.batches[:-1])


def test_many_rows_in_small_chunks_match_the_reference(small_chunks: None) -> None:
    count = 1_234
    result = make_result(ImportKind.EVENTS, {
        "_user_id": [f"U{i % 300}" for i in range(count)],
        "_event_type": [["purchase", "signup"][i % 2] for i in range(count)],
        "_event_parameters.amount": [[None, "1.50", "2", "x"][i % 4] for i in range(count)],
        "_event_parameters.guests": [[None, "3", "4.0"][i % 3] for i in range(count)],
        "_user_data.interests": [["a\x1fb", None, '"q"'][i % 3] for i in range(count)],
    }, event_type="purchase", clear=["_user_data.interests"],
        valid=[i % 11 != 0 for i in range(count)])
    result.specs = list_specs()
    assert_matches_reference(result)


def sized_contacts(body_sizes: list[int]) -> ValidationResult:
    """Contacts whose items, each alone in a body, take exactly ``body_sizes`` bytes."""
    notes = []
    for index, size in enumerate(body_sizes):
        overhead = len(encode_items([{"_user_id": f"U{index}", "notes": ""}]))
        notes.append("n" * (size - overhead))
    return make_result(ImportKind.CONTACTS, {
        "_user_id": [f"U{i}" for i in range(len(body_sizes))], "notes": notes})


@pytest.mark.parametrize(("total", "together"), [
    (MAX_BATCH_BYTES - 1, True), (MAX_BATCH_BYTES, False), (MAX_BATCH_BYTES + 1, False)])
def test_two_items_share_a_body_only_below_the_limit(total: int, together: bool) -> None:
    # Two items together take both bodies' bytes minus the one bracket pair, plus a comma.
    first = 1000
    result = sized_contacts([first, total - first + 1])
    plan = build_batches(result, datasource="ds")
    assert [len(batch.rows) for batch in plan.batches] == ([2] if together else [1, 1])
    assert sum(len(batch.encoded.body) for batch in plan.batches) == (
        total if together else total + 1)
    assert_matches_reference(result)


def test_an_item_over_the_limit_travels_alone() -> None:
    result = make_result(ImportKind.CONTACTS, {
        "_user_id": ["U1", "U2", "U3"],
        "notes": ["small", "x" * (MAX_BATCH_BYTES + 1), "small"]})
    plan = build_batches(result, datasource="ds")
    assert [batch.rows for batch in plan.batches] == [(2,), (3,), (4,)]
    assert len(plan.batches[1].encoded.body) > MAX_BATCH_BYTES
    assert_matches_reference(result)
