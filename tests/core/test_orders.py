"""Orders written one row per line item become one purchase event per order."""

from __future__ import annotations

import csv
import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pyarrow as pa
from hypothesis import given
from hypothesis import strategies as st

from ingest_gui.api.items import LIST_SEPARATOR
from ingest_gui.api.specs import EventParameterSpec
from ingest_gui.core.loading import load_table
from ingest_gui.core.mapping import ColumnOptions, ImportKind, InvalidValuePolicy, Mapping
from ingest_gui.core.orders import find_groups, gather_orders, order_key
from ingest_gui.core.payload import build_batches
from ingest_gui.core.report import build_report
from ingest_gui.core.upload import RowStatus, UploadResult
from ingest_gui.core.validation import revalidate_rows, validate
from tests.core.factories import make_specs, make_table

CORPUS = Path(__file__).parents[1] / "benchmarks" / "corpus"

PURCHASE = {
    "_user_id": "Email", "_event_id": "Name", "_event_parameters.order_id": "Name",
    "_event_parameters.amount": "Total", "_event_parameters.currency": "Currency",
    "_event_date": "Created at", "_event_parameters.products": "Lineitem name",
}


def shopify_table(**overrides: list[str]) -> dict[str, list[str]]:
    """Two orders as Shopify writes them: order fields on the first row only."""
    columns = {
        "Name": ["#1042", "#1042", "#1042", "#1043"],
        "Email": ["ana@example.com", "ana@example.com", "ana@example.com", "luis@example.com"],
        "Total": ["64.75", "", "", "19.90"],
        "Currency": ["EUR", "", "", "EUR"],
        "Created at": ["2024-01-02 23:50:27 +0100"] * 3 + ["2024-01-03 10:00:00 +0100"],
        "Lineitem name": ["Camiseta - M / Azul", "Taza", "Bolsa", "Gorra"],
    }
    columns.update(overrides)
    return columns


def items_of(plan: object) -> list[dict[str, object]]:
    return [item for batch in plan.batches for item in batch.items]  # type: ignore[attr-defined]


def test_an_order_of_several_rows_is_one_event_with_its_line_items_as_products() -> None:
    result = validate(make_table(shopify_table()),
                      Mapping(ImportKind.EVENTS, event_type="purchase", assignments=PURCHASE),
                      make_specs())
    plan = build_batches(result, datasource="ds")

    assert result.problems.empty
    assert result.orders_grouped == (4, 2)
    assert plan.orders_grouped == (4, 2)
    items = items_of(plan)
    assert [item["_event_id"] for item in items] == ["#1042", "#1043"]
    assert items[0]["_event_parameters"] == {
        "order_id": "#1042", "amount": 64.75, "currency": "EUR",
        "products": ["Camiseta - M / Azul", "Taza", "Bolsa"]}
    assert items[1]["_event_parameters"]["products"] == ["Gorra"]
    # The item is sent from the order's first row and carries all its rows; none of them is
    # a duplicate event or a skipped row.
    assert [row for batch in plan.batches for row in batch.rows] == [2, 5]
    assert plan.order_rows == {2: (2, 3, 4)}
    assert plan.rows_of(2) == (2, 3, 4)
    assert plan.rows_of(5) == (5,)
    assert plan.duplicate_events == ()
    assert plan.skipped_rows == ()
    assert result.automation is not None
    assert result.automation.will_trigger == 0
    assert result.automation.outside_window == 2


def test_repeated_order_columns_woocommerce_style_group_the_same_way() -> None:
    columns = shopify_table(Total=["64.75"] * 3 + ["19.90"], Currency=["EUR"] * 4)
    result = validate(make_table(columns),
                      Mapping(ImportKind.EVENTS, event_type="purchase", assignments=PURCHASE),
                      make_specs())
    items = items_of(build_batches(result, datasource="ds"))

    assert result.problems.empty
    assert [item["_event_parameters"]["products"] for item in items] == [
        ["Camiseta - M / Azul", "Taza", "Bolsa"], ["Gorra"]]
    assert [item["_event_parameters"]["amount"] for item in items] == [64.75, 19.9]


def test_a_later_row_that_contradicts_its_order_is_an_error_and_the_order_is_held_back() -> None:
    columns = shopify_table(Total=["64.75", "", "70.00", "19.90"])
    table = make_table(columns)
    result = validate(table, Mapping(ImportKind.EVENTS, event_type="purchase",
                                     assignments=PURCHASE), make_specs())
    plan = build_batches(result, datasource="ds")

    conflict = result.problems[result.problems["kind"] == "order_conflict"]
    assert conflict["row"].tolist() == [4]
    assert conflict["column"].tolist() == ["Total"]
    assert conflict["value"].tolist() == ["70.00"]
    assert conflict["message"].tolist() == [
        'Row 4, column "Total": order "#1042" has "64.75" here in row 2; the rows of one '
        "order must agree"]
    held = result.problems[result.problems["kind"] == "order_held_back"]
    assert held["row"].tolist() == [2, 3]
    assert held["message"].iloc[0] == (
        'Row 2: order "#1042" is not sent: row 4 of the same order has a problem')
    # Only the other order goes; the error log names every row of the held one.
    assert [item["_event_id"] for item in items_of(plan)] == ["#1043"]
    assert plan.skipped_rows == (2, 3, 4)
    report = build_report(result, plan, None)
    assert sorted(report.messages_by_row) == [2, 3, 4]


def test_every_contradiction_of_every_order_is_named() -> None:
    columns = {
        "Name": ["#1", "#1", "#2", "#2", "#2"],
        "Email": ["a@example.com", "b@example.com", "c@example.com", "", "c@example.com"],
        "Total": ["10", "", "20", "20.00", "21"],
        "Currency": ["EUR", "", "EUR", "USD", ""],
        "Created at": ["2024-01-02 10:00:00 +0100"] * 5,
        "Lineitem name": ["a", "b", "c", "d", "e"],
    }
    result = validate(make_table(columns),
                      Mapping(ImportKind.EVENTS, event_type="purchase", assignments=PURCHASE),
                      make_specs())

    conflicts = result.problems[result.problems["kind"] == "order_conflict"]
    assert sorted(zip(conflicts["row"], conflicts["column"], conflicts["value"],
                      strict=True)) == [
        (3, "Email", "b@example.com"), (5, "Currency", "USD"), (6, "Total", "21")]
    assert 'order "#2" has "20" here in row 4' in " ".join(conflicts["message"])
    held = result.problems[result.problems["kind"] == "order_held_back"]
    assert sorted(zip(held["row"], held["message"], strict=True)) == [
        (2, 'Row 2: order "#1" is not sent: row 3 of the same order has a problem'),
        (4, 'Row 4: order "#2" is not sent: row 5 of the same order has a problem')]
    assert build_batches(result, datasource="ds").item_count == 0


def test_an_order_the_service_refuses_puts_all_its_rows_in_the_error_log() -> None:
    result = validate(make_table(shopify_table()),
                      Mapping(ImportKind.EVENTS, event_type="purchase", assignments=PURCHASE),
                      make_specs())
    plan = build_batches(result, datasource="ds")
    upload = UploadResult(statuses={2: RowStatus.REJECTED, 5: RowStatus.ACCEPTED},
                          messages={2: ["amount too large"]})

    report = build_report(result, plan, upload)

    assert report.messages_by_row == {
        row: ["Rejected by Instasent: amount too large"] for row in (2, 3, 4)}
    assert (report.sent, report.accepted, report.rejected) == (2, 1, 1)


def test_a_line_item_with_its_own_error_holds_its_order_back() -> None:
    columns = shopify_table(Currency=["EUR", "", "", "EURO-DOLLAR"])
    columns["Total"] = ["64.75", "", "abc", "19.90"]
    # The currency column skips the rows of its invalid values (else only the value goes).
    skip_rows = ColumnOptions(invalid_values=InvalidValuePolicy.SKIP_ROW)
    result = validate(make_table(columns),
                      Mapping(ImportKind.EVENTS, event_type="purchase", assignments=PURCHASE,
                              options={"Currency": skip_rows}),
                      make_specs())
    items = items_of(build_batches(result, datasource="ds"))

    assert items == []
    assert set(result.problems["row"].tolist()) == {2, 3, 4, 5}


def test_more_line_items_than_the_list_accepts_is_an_error_on_the_order() -> None:
    count = 11
    columns = {
        "Name": ["#7"] * count, "Email": ["ana@example.com"] * count,
        "Total": ["10"] + [""] * (count - 1), "Currency": ["EUR"] + [""] * (count - 1),
        "Created at": ["2024-01-02 23:50:27 +0100"] * count,
        "Lineitem name": [f"Item {n}" for n in range(count)],
    }
    result = validate(make_table(columns),
                      Mapping(ImportKind.EVENTS, event_type="purchase", assignments=PURCHASE),
                      make_specs())

    over = result.problems[result.problems["kind"] == "too_many_values"]
    assert over["row"].tolist() == [2]
    assert over["column"].tolist() == ["Lineitem name"]
    assert "11 values here, more than the 10 accepted" in over["message"].iloc[0]
    assert build_batches(result, datasource="ds").item_count == 0


def test_a_quantity_parameter_is_the_sum_of_the_line_items() -> None:
    specs = make_specs()
    purchase = (*specs.parameters_of("purchase"),
                EventParameterSpec("quantity", "Quantity", data_type="number"))
    specs = replace(specs, event_parameters={**specs.event_parameters, "purchase": purchase})
    columns = shopify_table()
    columns["Lineitem quantity"] = ["2", "1", "3", "1"]
    mapping = Mapping(ImportKind.EVENTS, event_type="purchase", assignments={
        **PURCHASE, "_event_parameters.quantity": "Lineitem quantity"})
    items = items_of(build_batches(validate(make_table(columns), mapping, specs),
                                   datasource="ds"))

    assert [item["_event_parameters"]["quantity"] for item in items] == [6, 1]


def test_an_order_id_that_comes_back_later_is_a_repeated_event_not_a_line_item() -> None:
    columns = {key: [values[0], values[3], values[0]] for key, values in
               shopify_table().items()}
    result = validate(make_table(columns),
                      Mapping(ImportKind.EVENTS, event_type="purchase", assignments=PURCHASE),
                      make_specs())
    plan = build_batches(result, datasource="ds")

    assert result.orders is None
    assert plan.orders_grouped is None
    assert plan.duplicate_events == ((4, 2),)


def test_without_an_order_id_nothing_is_gathered() -> None:
    mapping = Mapping(ImportKind.EVENTS, event_type="viewed_product", assignments={
        "_user_id": "Cliente", "_event_id": "Visita",
        "_event_parameters.product_id": "Producto"})
    table = make_table({"Cliente": ["1", "1"], "Visita": ["v1", "v1"],
                        "Producto": ["a", "a"]})
    result = validate(table, mapping, make_specs())

    assert result.orders is None
    assert build_batches(result, datasource="ds").duplicate_events == ((3, 2),)


def test_editing_a_row_of_an_order_checks_the_orders_again() -> None:
    table = make_table(shopify_table(Total=["64.75", "", "70.00", "19.90"]))
    mapping = Mapping(ImportKind.EVENTS, event_type="purchase", assignments=PURCHASE)
    result = validate(table, mapping, make_specs())
    assert not result.valid[:3].any()

    table.frame.loc[2, "Total"] = ""
    fixed = revalidate_rows(result, [2])

    assert fixed.problems.empty
    assert fixed.orders_grouped == (4, 2)
    assert build_batches(fixed, datasource="ds").item_count == 2


def test_order_key_prefers_the_order_id_parameter() -> None:
    lists = {"_event_parameters.products"}
    assert order_key(["_event_id", "_event_parameters.order_id"], lists) == \
        "_event_parameters.order_id"
    assert order_key(["_event_id", "_event_parameters.products"], lists) == "_event_id"
    assert order_key(["_event_id"], set()) is None


@given(st.lists(st.tuples(st.sampled_from(["A", "B", "C"]), st.sampled_from(["x", "y", ""])),
                min_size=1, max_size=30))
def test_gathering_keeps_every_line_item_once_in_row_order(rows: list[tuple[str, str]]) -> None:
    ids = pa.array([order for order, _item in rows], pa.string())
    items = pa.array([item or None for _order, item in rows], pa.string())
    groups = find_groups(ids, "_event_parameters.order_id")
    if groups is None:
        assert all(a != b for a, b in zip(ids.to_pylist(), ids.to_pylist()[1:], strict=False))
        return
    gathered = gather_orders({"_event_parameters.order_id": ids,
                              "_event_parameters.products": items}, groups,
                             list_limits={"_event_parameters.products": 100})
    products = gathered.values["_event_parameters.products"].to_pylist()
    # Runs of equal ids, by hand.
    runs: list[list[int]] = []
    for position, (order, _item) in enumerate(rows):
        if runs and rows[runs[-1][0]][0] == order:
            runs[-1].append(position)
        else:
            runs.append([position])
    assert groups.leaders.tolist() == [run[0] for run in runs]
    for run in runs:
        expected = [rows[p][1] for p in run if rows[p][1]]
        if len(run) > 1:
            got = products[run[0]]
            assert (got.split(LIST_SEPARATOR) if got else []) == expected
        assert np.all(groups.group_of[run] == groups.group_of[run[0]])
    assert gathered.conflicts == ()


def test_the_shopify_orders_export_of_the_corpus_is_one_event_per_order() -> None:
    name = "orders_export_1.csv"
    expected = json.loads((CORPUS / "expected" / f"{name}.json").read_text(encoding="utf-8"))
    path = CORPUS / "files" / name
    with path.open(encoding="utf-8", newline="") as handle:
        records = list(csv.DictReader(handle))
    assignments = {target: column for column, targets in expected["targets"].items()
                   for target in targets}
    result = validate(load_table(path), Mapping(ImportKind.EVENTS, event_type="purchase",
                                                assignments=assignments), make_specs())
    plan = build_batches(result, datasource="ds")

    assert result.orders_grouped == (expected["rows"], expected["events"])
    # Orders bought without an e-mail have no user id: left out, all their rows named.
    with_email = {r["Name"] for r in records if r["Email"]}
    sent = {item["_event_id"]: item for item in items_of(plan)}
    assert set(sent) == with_email
    for order, item in sent.items():
        lines = [r for r in records if r["Name"] == order]
        assert item["_event_parameters"]["products"] == [r["Lineitem name"] for r in lines]
        assert item["_event_parameters"]["amount"] == float(lines[0]["Total"])
    assert plan.duplicate_events == ()
    assert set(plan.skipped_rows) == {
        row for row, r in enumerate(records, start=2) if not r["Email"]}
