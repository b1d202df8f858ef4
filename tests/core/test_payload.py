"""Payload building: wire shapes and types, event ids, duplicates, batching.

Validation results are built by hand (independent of ``validate()``)."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest_gui.api.items import encode_items
from ingest_gui.api.specs import EventParameterSpec
from ingest_gui.core.mapping import ColumnOptions, EmptyCellPolicy, ImportKind, Mapping
from ingest_gui.core.payload import (
    MAX_BATCH_BYTES,
    MAX_ITEMS_PER_BATCH,
    PayloadPlan,
    build_batches,
    event_id_for,
)
from ingest_gui.core.validation import ValidationResult
from tests.core.factories import make_specs, make_table

PROBLEM_COLUMNS = ["row", "column", "value", "message", "severity", "kind"]


def make_result(
    kind: ImportKind,
    values: dict[str, list[str | None]],
    *,
    valid: Sequence[bool] | None = None,
    event_type: str | None = None,
    clear: Iterable[str] = (),
    with_user_data: bool = False,
    header_row: int = 1,
    left_out: dict[str, list[bool]] | None = None,
) -> ValidationResult:
    """A ValidationResult whose ``values`` are ``values`` (target key -> cleaned strings/None).

    Each target is fed by a column named after it; ``clear`` lists targets whose column uses
    the "clear" empty-cell policy; ``left_out`` the rows whose invalid value is left out.
    """
    count = len(next(iter(values.values()))) if values else 0
    table = make_table({f"col {key}": [v or "" for v in cells] for key, cells in values.items()},
                       header_row=header_row)
    cleaned = pa.table({key: pa.array(cells, type=pa.string()) for key, cells in values.items()})
    clear = set(clear)
    mapping = Mapping(
        kind,
        event_type=event_type,
        with_user_data=with_user_data,
        assignments={key: f"col {key}" for key in values},
        options={f"col {key}": ColumnOptions(empty_cells=EmptyCellPolicy.CLEAR)
                 for key in clear},
    )
    result = ValidationResult(
        table=table,
        mapping=mapping,
        specs=make_specs(),
        values=cleaned,
        valid=np.array([True] * count if valid is None else list(valid), dtype=bool),
        problems=pd.DataFrame(columns=PROBLEM_COLUMNS),
        clear_targets=frozenset(clear),
        left_out={key: np.array(rows, dtype=bool) for key, rows in (left_out or {}).items()},
    )
    return result


def all_items(plan: PayloadPlan) -> list[dict[str, Any]]:
    return [dict(item) for batch in plan.batches for item in batch.items]


def all_rows(plan: PayloadPlan) -> list[int]:
    return [row for batch in plan.batches for row in batch.rows]


def _no_constant(name: str) -> None:
    raise AssertionError(f"{name} is not JSON")


def assert_batches_well_formed(plan: PayloadPlan) -> None:
    """Indexes in order; items, rows and user ids aligned; every body — the bytes sent — is the
    one serialisation of its items and under the byte limit (a single item may exceed it), and
    a batch is only cut short when the next item would not fit."""
    batches = plan.batches
    for position, batch in enumerate(batches):
        assert batch.index == position
        items = batch.items
        assert len(items) == len(batch.rows) == len(batch.encoded.user_ids)
        assert 1 <= len(items) <= MAX_ITEMS_PER_BATCH
        body = batch.encoded.body
        assert body == encode_items(items)
        assert len(body) < MAX_BATCH_BYTES or len(items) == 1
        # Never NaN/Infinity, which is not JSON.
        json.loads(body, parse_constant=_no_constant)
        if position + 1 < len(batches) and len(items) < MAX_ITEMS_PER_BATCH:
            following = encode_items(batches[position + 1].items[:1])
            assert len(body) + len(following) - 1 >= MAX_BATCH_BYTES


# --------------------------------------------------------------------------- contacts


def test_contacts_follow_the_reference_shape_with_typed_values():
    result = make_result(ImportKind.CONTACTS, {
        "_user_id": ["USER-1", "USER-2"],
        "_first_name": ["Ada", "Grace"],
        "_email": ["ada@example.com", "grace@example.com"],
        "_phone_mobile": ["+34600000000", "+34600000001"],
        "orders_count": ["12", "0"],
        "lifetime_value": ["0.1", "1234.50"],
        "vip": ["1", "0"],
        "birthday": ["1990-01-31", "1985-12-09"],
        "interests": ["golf\x1fwine", "tea"],
        "loyalty_tier": ["gold", "silver"],
    })
    plan = build_batches(result, datasource="ds-1")

    assert all_items(plan) == [
        {"_user_id": "USER-1", "_first_name": "Ada", "_email": "ada@example.com",
         "_phone_mobile": "+34600000000", "orders_count": 12, "lifetime_value": 0.1,
         "vip": "1", "birthday": "1990-01-31", "interests": ["golf", "wine"],
         "loyalty_tier": "gold"},
        {"_user_id": "USER-2", "_first_name": "Grace", "_email": "grace@example.com",
         "_phone_mobile": "+34600000001", "orders_count": 0, "lifetime_value": 1234.5,
         "vip": "0", "birthday": "1985-12-09", "interests": ["tea"], "loyalty_tier": "silver"},
    ]
    assert all_rows(plan) == [2, 3]
    assert plan.skipped_rows == ()
    assert plan.duplicate_events == ()
    assert plan.item_count == 2
    assert plan.batches[0].kind is ImportKind.CONTACTS
    assert_batches_well_formed(plan)


def test_decimals_serialise_exactly_as_the_cleaned_text():
    texts = ["0.1", "0.3", "10", "-2.5", "1234.56", "99999999999999999999",
             "12345678901234567890.12", "0.000001"]
    result = make_result(ImportKind.CONTACTS, {
        "_user_id": [f"U{i}" for i in range(len(texts))], "lifetime_value": texts,
    })
    items = all_items(build_batches(result, datasource="ds"))
    printed = [json.dumps(item["lifetime_value"]) for item in items]

    # A float only where its JSON is the same number; else the exact text, never rounded.
    assert printed[:6] == ["0.1", "0.3", "10", "-2.5", "1234.56", "99999999999999999999"]
    assert items[6]["lifetime_value"] == "12345678901234567890.12"
    assert Decimal(printed[7]) == Decimal("0.000001")
    assert "0.1000000000000000055" not in json.dumps(items)


def test_empty_cells_are_omitted_or_null_by_policy_and_never_nan():
    result = make_result(ImportKind.CONTACTS, {
        "_user_id": ["U1", "U2", "U3"],
        "_first_name": ["Ada", None, ""],
        "plan": [None, "pro", None],
        "orders_count": [None, None, "3"],
        "interests": [None, "a", None],
    }, clear=["plan", "interests"])
    items = all_items(build_batches(result, datasource="ds"))

    assert items == [
        {"_user_id": "U1", "_first_name": "Ada", "plan": None, "interests": None},
        {"_user_id": "U2", "plan": "pro", "interests": ["a"]},
        {"_user_id": "U3", "plan": None, "orders_count": 3, "interests": None},
    ]
    body = json.dumps(items, allow_nan=False)
    assert "NaN" not in body
    assert body.count("null") == 4


def test_invalid_rows_are_skipped_and_listed_by_spreadsheet_row():
    result = make_result(ImportKind.CONTACTS, {
        "_user_id": ["U1", "U2", "U3", None, "U5"],
        "_email": ["a@x.es", "bad", "c@x.es", "d@x.es", "e@x.es"],
    }, valid=[True, False, True, True, False], header_row=3)
    plan = build_batches(result, datasource="ds")

    assert [item["_user_id"] for item in all_items(plan)] == ["U1", "U3"]
    assert all_rows(plan) == [4, 6]
    # Row 7 is "valid" but has no user id: it cannot be sent, so it is listed, not dropped.
    assert plan.skipped_rows == (5, 7, 8)


def test_contacts_without_a_user_id_column_are_refused_clearly():
    result = make_result(ImportKind.CONTACTS, {"_email": ["a@x.es"]})
    with pytest.raises(ValueError, match="user id"):
        build_batches(result, datasource="ds")


def test_many_empty_cell_patterns_still_build_the_right_items():
    # 10 optional columns, each empty on a different bit of the row number: 1024 patterns,
    # beyond the grouping limit, so rows are assembled one by one.
    count = 1100
    keys = [f"custom_{bit}" for bit in range(10)]
    values: dict[str, list[str | None]] = {"_user_id": [f"U{i}" for i in range(count)]}
    for bit, key in enumerate(keys):
        values[key] = [None if i >> bit & 1 else f"{key}-{i}" for i in range(count)]
    items = all_items(build_batches(make_result(ImportKind.CONTACTS, values), datasource="ds"))

    for i, item in enumerate(items):
        expected = {"_user_id": f"U{i}"}
        expected.update({key: f"{key}-{i}" for bit, key in enumerate(keys) if not i >> bit & 1})
        assert item == expected


def test_list_values_are_independent_objects():
    result = make_result(ImportKind.CONTACTS, {
        "_user_id": ["U1", "U2"], "interests": ["a\x1fb", "a\x1fb"],
    })
    first, second = all_items(build_batches(result, datasource="ds"))
    assert first["interests"] == second["interests"] == ["a", "b"]
    assert first["interests"] is not second["interests"]


# --------------------------------------------------------------------------- delete


def test_delete_items_carry_only_the_user_id():
    result = make_result(ImportKind.DELETE, {
        "_user_id": ["U1", "U2", None], "_email": ["a@x.es", "b@x.es", "c@x.es"],
    }, valid=[True, True, True])
    plan = build_batches(result, datasource="ds")
    assert all_items(plan) == [{"_user_id": "U1"}, {"_user_id": "U2"}]
    assert plan.batches[0].kind is ImportKind.DELETE
    assert plan.skipped_rows == (4,)


# --------------------------------------------------------------------------- events


def reference_event_id(datasource, event_type, user_id, date, parameters):
    """The README formula, written out independently of the implementation."""
    canonical = json.dumps(
        [datasource, event_type, user_id, date, [[k, parameters[k]] for k in sorted(parameters)]],
        separators=(",", ":"),
    )
    return "ev-" + hashlib.sha256(canonical.encode("ascii")).hexdigest()[:32]


def purchase_result(**overrides):
    values = {
        "_user_id": ["U1", "U2", "U3"],
        "_event_date": ["2026-11-27T10:15:00.000Z", None, "2026-11-27T11:00:00.000Z"],
        "_event_parameters.order_id": ["A-1", "A-2", "A-3"],
        "_event_parameters.amount": ["19.90", "5", "0.1"],
        "_event_parameters.currency": ["EUR", None, "EUR"],
        "_event_parameters.products": ["p1\x1fp2", None, "p3"],
    }
    values.update(overrides.pop("values", {}))
    return make_result(ImportKind.EVENTS, values, event_type="purchase", **overrides)


def test_events_follow_the_reference_shape():
    plan = build_batches(purchase_result(), datasource="ds-9")
    items = all_items(plan)

    assert items[0] == {
        "_user_id": "U1",
        "_event_id": reference_event_id("ds-9", "purchase", "U1", "2026-11-27T10:15:00.000Z", {
            "_event_parameters.order_id": "A-1", "_event_parameters.amount": "19.90",
            "_event_parameters.currency": "EUR", "_event_parameters.products": "p1\x1fp2",
        }),
        "_event_type": "purchase",
        "_event_date": "2026-11-27T10:15:00.000Z",
        "_event_parameters": {"order_id": "A-1", "amount": 19.9, "currency": "EUR",
                              "products": ["p1", "p2"]},
    }
    # No date: the key is left out so the service stamps "now".
    assert "_event_date" not in items[1]
    assert items[1]["_event_parameters"] == {"order_id": "A-2", "amount": 5}
    assert items[1]["_event_id"] == reference_event_id(
        "ds-9", "purchase", "U2", "",
        {"_event_parameters.order_id": "A-2", "_event_parameters.amount": "5"})
    assert items[2]["_event_parameters"]["amount"] == 0.1
    assert "_user_data" not in items[0]
    assert all_rows(plan) == [2, 3, 4]
    assert plan.batches[0].kind is ImportKind.EVENTS
    assert_batches_well_formed(plan)


def test_event_id_for_matches_the_documented_formula():
    params = {"_event_parameters.b": "2", "_event_parameters.a": "ñ \"quoted\" \x1f 😀"}
    assert event_id_for("ds", "purchase", "U1", "2026-01-01T00:00:00.000Z", params) == (
        reference_event_id("ds", "purchase", "U1", "2026-01-01T00:00:00.000Z", params))
    assert re.fullmatch(r"ev-[0-9a-f]{32}", event_id_for("ds", "t", "u", "", {}))
    # Every ingredient matters.
    base = event_id_for("ds", "t", "u", "d", {"k": "v"})
    assert len({base, event_id_for("ds2", "t", "u", "d", {"k": "v"}),
                event_id_for("ds", "t2", "u", "d", {"k": "v"}),
                event_id_for("ds", "t", "u2", "d", {"k": "v"}),
                event_id_for("ds", "t", "u", "d2", {"k": "v"}),
                event_id_for("ds", "t", "u", "d", {"k": "v2"})}) == 6


text_cells = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)


@settings(max_examples=40, deadline=None)
@given(rows=st.lists(st.tuples(text_cells.filter(bool), st.one_of(st.none(), text_cells),
                               st.one_of(st.none(), text_cells), st.one_of(st.none(), text_cells)),
                     min_size=1, max_size=8))
def test_derived_ids_in_bulk_equal_event_id_for(rows):
    result = make_result(ImportKind.EVENTS, {
        "_user_id": [r[0] for r in rows],
        "_event_date": [r[1] for r in rows],
        "_event_parameters.source": [r[2] for r in rows],
        "_event_parameters.newsletter": [r[3] for r in rows],
    }, event_type="signup")
    plan = build_batches(result, datasource="ds")
    sent = {row: item["_event_id"] for batch in plan.batches
            for row, item in zip(batch.rows, batch.items, strict=True)}
    for offset, (user, date, source, newsletter) in enumerate(rows):
        params = {key: value for key, value in (("_event_parameters.source", source),
                                                ("_event_parameters.newsletter", newsletter))
                  if value}
        expected = event_id_for("ds", "signup", user, date or "", params)
        row = offset + 2
        if row in sent:
            assert sent[row] == expected
        else:
            first = dict(plan.duplicate_events)[row]
            assert sent[first] == expected


def test_the_same_file_twice_gives_the_same_event_ids():
    first = all_items(build_batches(purchase_result(), datasource="ds"))
    again = all_items(build_batches(purchase_result(), datasource="ds"))
    assert [item["_event_id"] for item in first] == [item["_event_id"] for item in again]
    assert len({item["_event_id"] for item in first}) == 3
    other = all_items(build_batches(purchase_result(), datasource="another"))
    assert {item["_event_id"] for item in other}.isdisjoint(item["_event_id"] for item in first)


def test_identical_event_rows_are_reported_and_sent_once():
    result = make_result(ImportKind.EVENTS, {
        "_user_id": ["U1", "U2", "U1", "U1", "U2"],
        "_event_parameters.product_id": ["P1", "P1", "P1", "P2", "P1"],
    }, event_type="viewed_product", valid=[True, True, True, True, True])
    plan = build_batches(result, datasource="ds")

    assert all_rows(plan) == [2, 3, 5]
    assert plan.duplicate_events == ((4, 2), (6, 3))
    assert len({item["_event_id"] for item in all_items(plan)}) == 3


def test_a_mapped_event_id_column_is_used_and_its_repeats_reported():
    result = purchase_result(values={
        "_user_id": ["U1", "U2", "U3", "U4"],
        "_event_id": ["order-1", None, "order-1", "order-4"],
        "_event_date": [None] * 4,
        "_event_parameters.order_id": ["A-1", "A-2", "A-3", "A-4"],
        "_event_parameters.amount": ["1", "2", "3", "4"],
        "_event_parameters.currency": [None] * 4,
        "_event_parameters.products": [None] * 4,
    })
    plan = build_batches(result, datasource="ds")
    items = all_items(plan)

    assert [item["_event_id"] for item in items] == [
        "order-1",
        reference_event_id("ds", "purchase", "U2", "", {"_event_parameters.order_id": "A-2",
                                                        "_event_parameters.amount": "2"}),
        "order-4",
    ]
    assert plan.duplicate_events == ((4, 2),)
    assert all_rows(plan) == [2, 3, 5]


def test_event_type_from_a_column_types_parameters_per_event_type():
    result = make_result(ImportKind.EVENTS, {
        "_user_id": ["U1", "U2", "U3"],
        "_event_type": ["reservation_made", "signup", None],
        "_event_parameters.guests": ["4", None, None],
        "_event_parameters.reservation_id": ["R1", None, None],
        "_event_parameters.check_in": ["2026-12-01", None, None],
        "_event_parameters.newsletter": [None, "1", None],
    }, valid=[True, True, True])
    plan = build_batches(result, datasource="ds")
    items = all_items(plan)

    assert [item["_event_type"] for item in items] == ["reservation_made", "signup"]
    assert items[0]["_event_parameters"] == {"guests": 4, "reservation_id": "R1",
                                             "check_in": "2026-12-01"}
    assert items[1]["_event_parameters"] == {"newsletter": "1"}
    # A row whose event type cell is empty cannot be sent.
    assert plan.skipped_rows == (4,)


def test_a_parameter_typed_differently_by_two_event_types_follows_each_row():
    specs = make_specs()
    params = dict(specs.event_parameters)
    params["signup"] = (*params["signup"], EventParameterSpec("guests", "Guests", data_type="text"))
    result = make_result(ImportKind.EVENTS, {
        "_user_id": ["U1", "U2"],
        "_event_type": ["reservation_made", "signup"],
        "_event_parameters.guests": ["4", "04"],
    })
    result.specs = dataclasses.replace(specs, event_parameters=params)
    items = all_items(build_batches(result, datasource="ds"))
    assert [item["_event_parameters"]["guests"] for item in items] == [4, "04"]


def test_events_without_any_event_type_are_refused_clearly():
    result = make_result(ImportKind.EVENTS, {"_user_id": ["U1"]})
    with pytest.raises(ValueError, match="event type"):
        build_batches(result, datasource="ds")


def test_events_embed_user_data_with_the_empty_cell_policy():
    result = make_result(ImportKind.EVENTS, {
        "_user_id": ["U1", "U2"],
        "_event_parameters.source": ["web", "shop"],
        "_user_data._email": ["a@x.es", None],
        "_user_data.orders_count": ["3", None],
        "_user_data.plan": [None, None],
    }, event_type="signup", with_user_data=True, clear=["_user_data.plan"])
    items = all_items(build_batches(result, datasource="ds"))

    assert items[0]["_user_data"] == {"_user_id": "U1", "_email": "a@x.es", "orders_count": 3,
                                      "plan": None}
    assert items[1]["_user_data"] == {"_user_id": "U2", "plan": None}
    # Contact attributes are not part of the event's identity.
    assert items[0]["_event_id"] == event_id_for("ds", "signup", "U1", "",
                                                 {"_event_parameters.source": "web"})


def test_events_with_user_data_embed_the_user_id_even_without_contact_columns():
    result = make_result(ImportKind.EVENTS, {"_user_id": ["U1", "U2"]}, event_type="signup",
                         with_user_data=True)
    items = all_items(build_batches(result, datasource="ds"))
    assert [item["_user_data"] for item in items] == [{"_user_id": "U1"}, {"_user_id": "U2"}]


def test_values_left_out_are_omitted_never_sent_as_null():
    result = make_result(ImportKind.CONTACTS, {
        "_user_id": ["U1", "U2", "U3"],
        "landline": [None, "+34912345678", None],
        "plan": [None, None, "pro"],
    }, clear=["landline", "plan"], left_out={"landline": [True, False, False],
                                             "plan": [False, True, False]})
    plan = build_batches(result, datasource="ds")
    assert all_items(plan) == [
        {"_user_id": "U1", "plan": None},  # the left-out landline keeps what the contact has
        {"_user_id": "U2", "landline": "+34912345678"},
        {"_user_id": "U3", "landline": None, "plan": "pro"},
    ]
    assert plan.skipped_rows == ()
    assert_batches_well_formed(plan)


def test_event_values_left_out_are_omitted_in_parameters_and_user_data():
    result = make_result(ImportKind.EVENTS, {
        "_user_id": ["U1", "U2"],
        "_event_parameters.source": [None, "shop"],
        "_event_parameters.newsletter": [None, "1"],
        "_user_data.plan": [None, None],
    }, event_type="signup", with_user_data=True,
        clear=["_event_parameters.source", "_user_data.plan"],
        left_out={"_event_parameters.source": [True, False], "_user_data.plan": [False, True]})
    items = all_items(build_batches(result, datasource="ds"))
    assert items[0]["_event_parameters"] == {}
    assert items[0]["_user_data"] == {"_user_id": "U1", "plan": None}
    assert items[1]["_event_parameters"] == {"source": "shop", "newsletter": "1"}
    assert items[1]["_user_data"] == {"_user_id": "U2"}


def test_event_parameters_is_always_an_object():
    result = make_result(ImportKind.EVENTS, {"_user_id": ["U1"]}, event_type="signup")
    (item,) = all_items(build_batches(result, datasource="ds"))
    assert item["_event_parameters"] == {}
    assert set(item) == {"_user_id", "_event_id", "_event_type", "_event_parameters"}


# --------------------------------------------------------------------------- batching


def test_batches_hold_at_most_100_items_in_row_order():
    count = 250
    result = make_result(ImportKind.CONTACTS, {"_user_id": [f"U{i}" for i in range(count)]})
    plan = build_batches(result, datasource="ds")

    assert [len(batch.items) for batch in plan.batches] == [100, 100, 50]
    assert [batch.index for batch in plan.batches] == [0, 1, 2]
    assert all_rows(plan) == list(range(2, count + 2))
    assert [item["_user_id"] for item in all_items(plan)] == [f"U{i}" for i in range(count)]
    assert_batches_well_formed(plan)


@pytest.mark.parametrize("character", ["a", "ñ", "😀", "\x01"])
def test_large_cells_split_batches_below_the_byte_limit(character):
    count = 60
    notes = [character * (8_000 + 500 * (i % 7)) for i in range(count)]
    notes[5] = None
    result = make_result(ImportKind.CONTACTS, {
        "_user_id": [f"U{i}" for i in range(count)], "notes": notes,
    })
    plan = build_batches(result, datasource="ds")

    assert len(plan.batches) > 1
    assert all_rows(plan) == list(range(2, count + 2))
    assert [item.get("notes") for item in all_items(plan)] == notes
    assert_batches_well_formed(plan)


def test_an_empty_result_builds_no_batches():
    result = make_result(ImportKind.CONTACTS, {"_user_id": []})
    plan = build_batches(result, datasource="ds")
    assert plan.batches == ()
    assert plan.item_count == 0


# --------------------------------------------------------------------------- with validate()


def test_payloads_from_a_real_validation_of_a_spanish_export():
    from ingest_gui.core.validation import validate

    table = make_table({
        "ID Cliente": ["1", "2", "3"],
        "Correo": ["Ana@Example.com", "no es correo", ""],
        "Valor": ["1.234,50", "0,1", ""],
        "Intereses": ["golf, vino", "", "té"],
        "Plan": ["pro", "", ""],
    })
    mapping = Mapping(
        ImportKind.CONTACTS,
        assignments={"_user_id": "ID Cliente", "_email": "Correo", "lifetime_value": "Valor",
                     "interests": "Intereses", "plan": "Plan"},
        options={"Plan": ColumnOptions(empty_cells=EmptyCellPolicy.CLEAR)},
    )
    plan = build_batches(validate(table, mapping, make_specs()), datasource="ds")

    assert all_items(plan) == [
        {"_user_id": "1", "_email": "ana@example.com", "lifetime_value": 1234.5,
         "interests": ["golf", "vino"], "plan": "pro"},
        # The invalid e-mail is left out; the rest of the row goes.
        {"_user_id": "2", "lifetime_value": 0.1, "plan": None},
        {"_user_id": "3", "interests": ["té"], "plan": None},
    ]
    assert plan.skipped_rows == ()
    assert_batches_well_formed(plan)


def test_identical_event_rows_from_a_real_validation_are_sent_once():
    from ingest_gui.core.validation import validate

    # Not consecutive: the order comes back later in the file (consecutive rows of one order
    # are gathered into it, tests/core/test_orders.py).
    table = make_table({
        "Cliente": ["1", "2", "1"],
        "Pedido": ["A1", "A2", "A1"],
        "Importe": ["10,5", "3", "10,5"],
    })
    mapping = Mapping(ImportKind.EVENTS, event_type="purchase", assignments={
        "_user_id": "Cliente", "_event_parameters.order_id": "Pedido",
        "_event_parameters.amount": "Importe"})
    result = validate(table, mapping, make_specs())
    plan = build_batches(result, datasource="ds")

    assert result.orders is None
    assert plan.duplicate_events == ((4, 2),)
    assert [item["_event_parameters"] for item in all_items(plan)] == [
        {"order_id": "A1", "amount": 10.5}, {"order_id": "A2", "amount": 3}]
    assert all_rows(plan) == [2, 3]


def test_columns_with_few_distinct_values_build_the_same_items():
    # Enough rows for the shared-string path (few distinct values); "" and <NA> are empty.
    count = 8_000
    cycle = ["pro", "", None, "free"]
    result = make_result(ImportKind.CONTACTS, {
        "_user_id": [f"U{i}" for i in range(count)],
        "plan": [cycle[i % 4] for i in range(count)],
        "_country_code": [cycle[(i + 1) % 4] for i in range(count)],
        "orders_count": [["7", None, "", "12"][i % 4] for i in range(count)],
    }, clear=["_country_code"])
    items = all_items(build_batches(result, datasource="ds"))

    for i, item in enumerate(items):
        expected: dict[str, Any] = {"_user_id": f"U{i}"}
        if cycle[i % 4]:
            expected["plan"] = cycle[i % 4]
        expected["_country_code"] = cycle[(i + 1) % 4] or None
        if i % 4 in (0, 3):
            expected["orders_count"] = 7 if i % 4 == 0 else 12
        assert item == expected


def test_columns_of_arrow_nulls_are_accepted():
    result = make_result(ImportKind.CONTACTS, {
        "_user_id": ["U1", "U2"], "plan": ["pro", None], "notes": [None, None],
        "orders_count": [None, None],
    }, clear=["notes"])
    # A column with no value at all may have Arrow's null type instead of a string type.
    result.values = result.values.set_column(3, "orders_count", pa.nulls(2)).set_column(
        2, "notes", pa.nulls(2))
    assert all_items(build_batches(result, datasource="ds")) == [
        {"_user_id": "U1", "plan": "pro", "notes": None}, {"_user_id": "U2", "notes": None}]
