"""Validation of whole tables against the specs: every rule, the automation window, re-checks."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest_gui.core.cancel import Cancelled, CancelToken
from ingest_gui.core.cleaning import NO_TIME
from ingest_gui.core.mapping import (
    ColumnOptions,
    DateOrder,
    EmptyCellPolicy,
    ImportKind,
    InvalidValuePolicy,
    Mapping,
)
from ingest_gui.core.validation import (
    LIST_SEPARATOR,
    AutomationCounts,
    Severity,
    ValidationResult,
    revalidate_rows,
    validate,
)
from tests.core.factories import make_specs, make_table

NOW = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)


def contacts(assignments: dict[str, str], **options: ColumnOptions) -> Mapping:
    return Mapping(ImportKind.CONTACTS, assignments=assignments, options=dict(options))


#: A column whose invalid values reject their rows (the option's non-default choice).
SKIP_ROW = ColumnOptions(invalid_values=InvalidValuePolicy.SKIP_ROW)


def cells(result: ValidationResult, key: str) -> list[str | None]:
    """A cleaned column as Python values (None where empty or invalid)."""
    values: list[str | None] = result.values.column(key).to_pylist()
    return values


def kinds_by_row(result: ValidationResult) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for row, kind in zip(result.problems["row"], result.problems["kind"], strict=True):
        found.setdefault(int(row), []).append(str(kind))
    return found


def test_clean_contacts_come_out_in_wire_form() -> None:
    table = make_table({
        "ID": [" 001 ", "002"],
        "Correo": ["Ada@Example.com", "bob@x.org"],
        "Móvil": ["612 345 678", "+44 20 7946 0958"],
        "País": ["España", "UK"],
        "VIP": ["sí", "no"],
        "LTV": ["1.234,50", "12"],
        "Pedidos": ["3", "4"],
        "Cumple": ["27/01/1985", "13/02/1990"],
        "Login": ["2016-01-27 10:15", ""],
        "Intereses": ["golf, vela", ""],
        "Tier": ["gold", "silver"],
    })
    mapping = contacts({
        "_user_id": "ID", "_email": "Correo", "_phone_mobile": "Móvil", "_country_code": "País",
        "vip": "VIP", "lifetime_value": "LTV", "orders_count": "Pedidos", "birthday": "Cumple",
        "last_login": "Login", "interests": "Intereses", "loyalty_tier": "Tier",
    })
    result = validate(table, mapping, make_specs(), now=NOW)
    assert result.problems.empty, result.problems["message"].tolist()
    assert result.valid.tolist() == [True, True]
    first = {key: cells[0] for key, cells in result.values.to_pydict().items()}
    assert first == {
        "_user_id": "001", "_email": "ada@example.com", "_phone_mobile": "+34612345678",
        "_country_code": "ES", "vip": "1", "lifetime_value": "1234.5", "orders_count": "3",
        "birthday": "1985-01-27", "last_login": "2016-01-27T09:15:00.000Z",
        "interests": f"golf{LIST_SEPARATOR}vela", "loyalty_tier": "gold",
    }
    assert cells(result, "_phone_mobile")[1] == "+442079460958"
    assert cells(result, "last_login")[1] is None
    assert cells(result, "interests")[1] is None
    assert result.values.column_names == list(mapping.assignments)
    assert result.values.num_rows == len(table.frame)
    assert result.automation is None
    assert result.checked_at == NOW
    assert result.detected_date_order == {"Cumple": "day_first", "Login": "day_first"}


def test_every_problem_names_row_column_and_value() -> None:
    table = make_table({"ID": ["1", "2", "3"], "Móvil": ["612345678", "12ab", ""]},
                       header_row=1232)
    result = validate(table, contacts({"_user_id": "ID", "_phone_mobile": "Móvil"},
                                      Móvil=SKIP_ROW), make_specs())
    (problem,) = result.problems.to_dict("records")
    assert problem["row"] == 1234
    assert problem["column"] == "Móvil"
    assert problem["value"] == "12ab"
    assert problem["message"] == 'Row 1,234, column "Móvil": "12ab" is not a phone number'
    assert problem["severity"] == Severity.ERROR
    assert problem["kind"] == "invalid_phone"
    assert problem["frame_row"] == 1
    assert result.valid.tolist() == [True, False, True]
    assert result.valid_count == 2
    assert result.invalid_count == 1
    assert result.problem_counts() == {"invalid_phone": 1}


@pytest.mark.parametrize(
    ("target", "column_values", "kind"),
    [
        ("_email", ["nope"], "invalid_email"),
        ("_country_code", ["Atlantis"], "invalid_country"),
        ("vip", ["maybe"], "invalid_bool"),
        ("lifetime_value", ["12abc"], "invalid_number"),
        ("birthday", ["31/02/1990"], "invalid_date"),
        ("last_login", ["yesterday"], "invalid_date"),
        ("interests", ["a,b,c,d,e,f"], "too_many_values"),
        ("work_email", ["x@"], "invalid_email"),
    ],
)
def test_type_errors_keep_the_row_out_when_the_column_skips_rows(
        target: str, column_values: list[str], kind: str) -> None:
    table = make_table({"ID": ["1"], "Value": column_values})
    result = validate(table, contacts({"_user_id": "ID", target: "Value"}, Value=SKIP_ROW),
                      make_specs())
    assert result.problems["kind"].tolist() == [kind]
    assert result.problems["severity"].tolist() == [Severity.ERROR]
    assert result.valid.tolist() == [False]
    assert pd.isna(cells(result, target)[0])
    assert result.left_out == {}
    assert result.values_left_out == {}


@pytest.mark.parametrize(
    ("target", "column_values", "kind"),
    [
        ("_email", ["nope"], "invalid_email"),
        ("_country_code", ["Atlantis"], "invalid_country"),
        ("vip", ["maybe"], "invalid_bool"),
        ("lifetime_value", ["12abc"], "invalid_number"),
        ("birthday", ["31/02/1990"], "invalid_date"),
        ("last_login", ["yesterday"], "invalid_date"),
        ("interests", ["a,b,c,d,e,f"], "too_many_values"),
        ("work_email", ["x@"], "invalid_email"),
    ],
)
def test_type_errors_of_optional_fields_leave_only_the_value_out(
        target: str, column_values: list[str], kind: str) -> None:
    table = make_table({"ID": ["1", "2"], "Value": [*column_values, ""]})
    result = validate(table, contacts({"_user_id": "ID", target: "Value"}), make_specs())
    (problem,) = result.problems.to_dict("records")
    assert problem["kind"] == kind
    assert problem["severity"] == Severity.WARNING
    assert problem["message"].endswith(
        "; this value is left out and the rest of the row is sent")
    assert result.valid.tolist() == [True, True]
    assert pd.isna(cells(result, target)[0])
    assert result.left_out[target].tolist() == [True, False]
    assert result.values_left_out == {target: 1}
    assert result.values_left_out_count == result.left_out_warnings == 1


def test_a_left_out_value_is_a_warning_naming_row_column_and_value() -> None:
    table = make_table({"ID": ["1", "2"], "Landline": ["12345", "+34 912 345 678"]})
    result = validate(table, contacts({"_user_id": "ID", "landline": "Landline"}),
                      make_specs())
    (problem,) = result.problems.to_dict("records")
    assert problem["message"] == ('Row 2, column "Landline": "12345" is not a phone number; '
                                  "this value is left out and the rest of the row is sent")
    assert problem["value"] == "12345"
    assert problem["severity"] == Severity.WARNING
    assert result.valid.tolist() == [True, True]
    assert cells(result, "landline") == [None, "+34912345678"]


@pytest.mark.parametrize(("assignments", "edited", "kind"), [
    ({"_user_id": "ID", "_event_date": "Value"}, "31/02/2026", "invalid_date"),
    ({"_user_id": "ID", "_event_type": "Value"}, "nonsense", "unknown_event_type"),
])
def test_invalid_event_fields_still_reject_the_row(assignments: dict[str, str], edited: str,
                                                   kind: str) -> None:
    table = make_table({"ID": ["u1"], "Value": [edited]})
    mapping = Mapping(ImportKind.EVENTS, assignments=assignments,
                      event_type=None if "_event_type" in assignments else "signup")
    result = validate(table, mapping, make_specs(), now=NOW)
    assert kind in result.problems["kind"].tolist()
    assert set(result.problems["severity"]) == {Severity.ERROR}
    assert result.valid.tolist() == [False]
    assert result.left_out == {}


def test_an_invalid_user_id_still_rejects_the_row() -> None:
    table = make_table({"ID": ["7.02255E+12", "2"], "Plan": ["pro", "pro"]})
    result = validate(table, contacts({"_user_id": "ID", "plan": "Plan"}), make_specs())
    assert result.problems["kind"].tolist() == ["shortened_by_excel"]
    assert result.problems["severity"].tolist() == [Severity.ERROR]
    assert result.valid.tolist() == [False, True]


def test_invalid_required_parameters_reject_the_row_and_optional_ones_are_left_out() -> None:
    fixed = validate(make_table({"User": ["u1"], "Order": ["A1"], "Amount": ["12abc"],
                                 "Products": ["a,b,c,d,e,f,g,h,i,j,k"]}),
                     Mapping(ImportKind.EVENTS, event_type="purchase", assignments={
                         "_user_id": "User", "_event_parameters.order_id": "Order",
                         "_event_parameters.amount": "Amount",
                         "_event_parameters.products": "Products"}), make_specs(), now=NOW)
    assert dict(zip(fixed.problems["kind"], fixed.problems["severity"], strict=True)) == {
        "invalid_number": Severity.ERROR, "too_many_values": Severity.WARNING}
    assert fixed.valid.tolist() == [False]

    # The type varies by row: a parameter is required on the rows of the types that need it.
    by_row = validate(make_table({"User": ["u1", "u2"], "Type": ["reservation_made", "signup"],
                                  "Res": ["R1", ""], "Date": ["31/02/2026", "31/02/2026"]}),
                      Mapping(ImportKind.EVENTS, assignments={
                          "_user_id": "User", "_event_type": "Type",
                          "_event_parameters.reservation_id": "Res",
                          "_event_parameters.check_in": "Date"}), make_specs(), now=NOW)
    assert by_row.problems[["row", "severity"]].values.tolist() == [
        [2, Severity.ERROR], [3, Severity.WARNING]]
    assert by_row.valid.tolist() == [False, True]
    assert by_row.values_left_out == {"_event_parameters.check_in": 1}


def test_integer_parameter_rejects_fractions_and_max_length_is_checked() -> None:
    specs = make_specs()
    table = make_table({
        "User": ["u1", "u2"], "Res": ["R" * 3, "R2"], "In": ["2026-01-01", "2026-01-02"],
        "Guests": ["2", "2,5"],
    })
    mapping = Mapping(ImportKind.EVENTS, event_type="reservation_made", assignments={
        "_user_id": "User", "_event_parameters.reservation_id": "Res",
        "_event_parameters.check_in": "In", "_event_parameters.guests": "Guests"})
    result = validate(table, mapping, specs, now=NOW)
    # "number" accepts decimals; the spec's guests is a number, so 2,5 is fine here.
    assert result.problems.empty
    assert cells(result, "_event_parameters.guests") == ["2", "2.5"]

    long_order = make_table({"User": ["u1"], "Order": ["X" * 33], "Amount": ["1"]})
    purchase = Mapping(ImportKind.EVENTS, event_type="purchase", assignments={
        "_user_id": "User", "_event_parameters.order_id": "Order",
        "_event_parameters.amount": "Amount"})
    result = validate(long_order, purchase, specs, now=NOW)
    assert result.problems["kind"].tolist() == ["too_long"]
    assert "longer than 32 characters" in result.problems["message"][0]


def test_required_user_id_and_empty_cells() -> None:
    table = make_table({"ID": ["1", "", "  "], "Name": ["a", "b", ""]})
    result = validate(table, contacts({"_user_id": "ID", "_first_name": "Name"}), make_specs())
    assert kinds_by_row(result) == {3: ["missing_required"], 4: ["missing_required"]}
    assert "User ID is required" in result.problems["message"][0]
    assert result.valid.tolist() == [True, False, False]
    assert result.empty_cells == {"ID": 2, "Name": 1}


def test_unmapped_user_id_blocks_every_row_with_one_problem() -> None:
    table = make_table({"Email": ["a@b.com", "c@d.com"]})
    result = validate(table, contacts({"_email": "Email"}), make_specs())
    assert result.problems["kind"].tolist() == ["missing_required_column"]
    assert result.problems["row"].tolist() == [2]
    assert result.valid.tolist() == [False, False]
    assert result.blocked


def test_read_only_target_is_one_problem_that_blocks_all_rows() -> None:
    table = make_table({"ID": ["1", "2", "3"], "Verified": ["1", "0", "1"]})
    result = validate(table, contacts({"_user_id": "ID", "_email_verified": "Verified"}),
                      make_specs())
    assert result.problems["kind"].tolist() == ["read_only_target"]
    assert "does not let you write" in result.problems["message"][0]
    assert result.problems["column"][0] == "Verified"
    assert not result.valid.any()
    assert "_email_verified" not in result.values.column_names


def test_mapped_column_missing_from_the_file_and_unknown_target_block() -> None:
    table = make_table({"ID": ["1"]})
    result = validate(table, contacts({"_user_id": "ID", "_email": "Gone", "nope": "ID"}),
                      make_specs())
    assert sorted(result.problems["kind"]) == ["missing_column", "unknown_target"]
    assert not result.valid.any()


def test_duplicate_user_ids_warn_on_the_rows_a_later_row_replaces() -> None:
    table = make_table({"ID": ["7", "8", "7", "7", "9"],
                        "Email": ["a@x.com", "b@x.com", "c@x.com", "bad", "e@x.com"]})
    result = validate(table, contacts({"_user_id": "ID", "_email": "Email"}, Email=SKIP_ROW),
                      make_specs())
    problems = result.problems.set_index("row")
    # Row 5 (the last 7) has an error and will not be sent: row 4 is the one that wins.
    assert problems.loc[2, "kind"] == "duplicate_user_id"
    assert problems.loc[2, "severity"] == Severity.WARNING
    assert problems.loc[2, "message"] == (
        'Row 2, column "ID": the user id "7" appears again in row 4; that later row wins')
    assert problems.loc[5, "kind"] == "invalid_email"
    assert result.problem_counts() == {"duplicate_user_id": 1, "invalid_email": 1}
    # Warnings do not keep rows out.
    assert result.valid.tolist() == [True, True, True, False, True]


def test_empty_cell_policy_is_reported_for_the_payload() -> None:
    table = make_table({"ID": ["1", "2"], "Plan": ["pro", ""], "Notes": ["", ""]})
    mapping = contacts({"_user_id": "ID", "plan": "Plan", "notes": "Notes"},
                       Plan=ColumnOptions(empty_cells=EmptyCellPolicy.CLEAR))
    result = validate(table, mapping, make_specs())
    assert result.clear_targets == frozenset({"plan"})
    assert result.empty_cells == {"ID": 0, "Plan": 1, "Notes": 2}
    assert cells(result, "plan")[1] is None


@pytest.mark.parametrize("threads", [1, 2, 3])
def test_columns_cleaned_in_any_order_give_the_same_result(monkeypatch: pytest.MonkeyPatch,
                                                          threads: int) -> None:
    """Columns start costliest first (phones wait for the countries in the pool), yet values
    and problems come out in the mapping's order, with any number of threads."""
    import ingest_gui.core.validation as validation

    table = make_table({
        "ID": ["1", "2", "3", "3"],
        "Tel": ["020 7946 0958", "612345678", "x", "612345678"],
        "Mail": ["a@x.com", "bad", "bad2", "d@x.com"],
        "Country": ["UK", "", "Atlantis", "ES"],
    })
    mapping = contacts({"_user_id": "ID", "_phone_mobile": "Tel", "_email": "Mail",
                        "_country_code": "Country"}, Tel=SKIP_ROW, Mail=SKIP_ROW,
                       Country=SKIP_ROW)
    monkeypatch.setattr(validation, "CLEANING_THREADS", threads)
    result = validate(table, mapping, make_specs())
    assert cells(result, "_phone_mobile")[:2] == ["+442079460958", "+34612345678"]
    # Row 4's problems: the country's first, then the mapping's order.
    assert result.problems[["row", "kind"]].values.tolist() == [
        [3, "invalid_email"], [4, "invalid_country"], [4, "invalid_phone"],
        [4, "invalid_email"]]
    assert result.valid.tolist() == [True, False, False, True]


def test_phone_region_comes_from_option_then_country_column_then_default() -> None:
    table = make_table({
        "ID": ["1", "2", "3"],
        "Tel": ["020 7946 0958", "612345678", "612345678"],
        "Country": ["UK", "", "Atlantis"],
    })
    by_country = validate(table, contacts({"_user_id": "ID", "_phone_mobile": "Tel",
                                           "_country_code": "Country"}), make_specs())
    assert cells(by_country, "_phone_mobile")[:2] == ["+442079460958", "+34612345678"]
    # Row 4's country is unreadable and left out: its phone is not guessed, it is left out too.
    assert cells(by_country, "_phone_mobile")[2] is None
    assert by_country.problems["kind"].tolist() == ["invalid_country", "phone_without_country"]
    assert by_country.valid.tolist() == [True, True, True]

    forced = validate(table, contacts({"_user_id": "ID", "_phone_mobile": "Tel"},
                                      Tel=ColumnOptions(phone_country="GB")), make_specs())
    assert cells(forced, "_phone_mobile")[0] == "+442079460958"
    assert forced.problems["kind"].tolist() == ["invalid_phone", "invalid_phone"]

    no_default = validate(table, contacts({"_user_id": "ID", "_phone_mobile": "Tel"}),
                          make_specs(default_country=""))
    assert set(no_default.problems["kind"]) == {"phone_without_country"}
    assert "no international prefix" in no_default.problems["message"][0]


def test_explicit_date_order_and_ambiguity_count() -> None:
    table = make_table({"ID": ["1", "2", "3"], "B": ["03/04/1990", "04/05/1991", "2000-01-31"]})
    auto = validate(table, contacts({"_user_id": "ID", "birthday": "B"}), make_specs())
    assert auto.ambiguous_dates == {"B": 2}
    assert auto.detected_date_order == {"B": "day_first"}
    assert cells(auto, "birthday") == ["1990-04-03", "1991-05-04", "2000-01-31"]
    month = validate(table, contacts({"_user_id": "ID", "birthday": "B"},
                                     B=ColumnOptions(date_order=DateOrder.MONTH_FIRST)),
                     make_specs())
    assert cells(month, "birthday") == ["1990-03-04", "1991-04-05", "2000-01-31"]
    assert month.detected_date_order == {}
    us = validate(table, contacts({"_user_id": "ID", "birthday": "B"}),
                  make_specs(default_country="US"))
    assert us.detected_date_order == {"B": "month_first"}


def events_table() -> pd.DataFrame:
    return {
        "Customer": ["c1", "c2", "c3", "c4", "c5"],
        "Fecha": ["27/11/2026 10:30", "2026-11-27T12:30:00", "", "01/01/2020 09:00",
                  "27/11/2026 11:59"],
        "Pedido": ["A1", "A2", "A3", "A4", ""],
        "Importe": ["1.234,56", "12", "3", "4,5", "1"],
        "Email": ["a@b.com", "c@d.com", "e@f.com", "g@h.com", "i@j.com"],
    }


def test_events_automation_window_counts_only_valid_rows() -> None:
    table = make_table(events_table())
    mapping = Mapping(ImportKind.EVENTS, event_type="purchase", with_user_data=True,
                      assignments={"_user_id": "Customer", "_event_date": "Fecha",
                                   "_event_parameters.order_id": "Pedido",
                                   "_event_parameters.amount": "Importe",
                                   "_user_data._email": "Email"})
    result = validate(table, mapping, make_specs(), now=NOW)
    # Madrid is UTC+1: 10:30 -> 09:30Z (inside), 12:30 -> 11:30Z (outside), 11:59 -> 10:59Z.
    assert cells(result, "_event_date")[:2] == ["2026-11-27T09:30:00.000Z",
                                                        "2026-11-27T11:30:00.000Z"]
    assert kinds_by_row(result) == {6: ["missing_required"]}
    assert result.automation == AutomationCounts(inside_window=1, no_date=1, outside_window=2)
    assert result.automation.will_trigger == 2
    assert result.event_epoch_ms is not None
    assert result.event_epoch_ms[2] == NO_TIME
    assert cells(result, "_user_data._email")[0] == "a@b.com"
    assert cells(result, "_event_parameters.amount")[0] == "1234.56"


def test_event_dates_use_the_column_timezone_and_no_date_column_means_now() -> None:
    table = make_table({"Customer": ["c1"], "When": ["2026-11-27 05:00"], "Src": ["web"]})
    mapping = Mapping(ImportKind.EVENTS, event_type="signup", assignments={
        "_user_id": "Customer", "_event_date": "When", "_event_parameters.source": "Src"},
        options={"When": ColumnOptions(timezone="America/New_York")})
    result = validate(table, mapping, make_specs(), now=NOW)
    assert cells(result, "_event_date")[0] == "2026-11-27T10:00:00.000Z"
    assert result.automation == AutomationCounts(inside_window=1)

    undated = Mapping(ImportKind.EVENTS, event_type="signup",
                      assignments={"_user_id": "Customer"})
    assert validate(table, undated, make_specs(), now=NOW).automation == AutomationCounts(
        no_date=1)


def test_event_type_from_a_column() -> None:
    table = make_table({
        "Customer": ["c1", "c2", "c3", "c4", "c5"],
        "Type": ["purchase", "Purchase", "signup", "refund", "viewed_product"],
        "Order": ["A1", "", "", "x", "y"],
        "Amount": ["10", "12", "", "3", "4"],
    })
    mapping = Mapping(ImportKind.EVENTS, assignments={
        "_user_id": "Customer", "_event_type": "Type", "_event_parameters.order_id": "Order",
        "_event_parameters.amount": "Amount"})
    result = validate(table, mapping, make_specs(), now=NOW)
    assert cells(result, "_event_type")[:3] == ["purchase", "purchase", "signup"]
    found = kinds_by_row(result)
    assert found == {3: ["missing_required"], 5: ["unknown_event_type"],
                     6: ["missing_required"]}
    messages = result.problems.set_index("row")["message"]
    assert '"refund" is not an event type' in messages[5]
    assert "Viewed product events need Product" in messages[6]
    # Parameters of other types are not sent with a row.
    assert cells(result, "_event_parameters.order_id")[4] is None
    assert result.valid.tolist() == [True, False, True, False, False]


def test_event_type_column_required_when_not_fixed_and_unknown_fixed_type_blocks() -> None:
    table = make_table({"Customer": ["c1"]})
    missing = validate(table, Mapping(ImportKind.EVENTS, assignments={"_user_id": "Customer"}),
                       make_specs(), now=NOW)
    assert missing.problems["kind"].tolist() == ["missing_required_column"]
    unknown = validate(table, Mapping(ImportKind.EVENTS, event_type="refund",
                                      assignments={"_user_id": "Customer"}),
                       make_specs(), now=NOW)
    assert unknown.problems["kind"].tolist() == ["unknown_event_type_setting"]
    assert not unknown.valid.any()


def test_required_parameter_without_column_blocks_fixed_type_events() -> None:
    table = make_table({"Customer": ["c1"], "Amount": ["3"]})
    mapping = Mapping(ImportKind.EVENTS, event_type="purchase", assignments={
        "_user_id": "Customer", "_event_parameters.amount": "Amount"})
    result = validate(table, mapping, make_specs(), now=NOW)
    assert result.problems["kind"].tolist() == ["missing_required_column"]
    assert '"Order"' in result.problems["message"][0]


def test_delete_needs_only_user_ids() -> None:
    table = make_table({"ID": ["1", "", "3"]})
    result = validate(table, Mapping(ImportKind.DELETE, assignments={"_user_id": "ID"}),
                      make_specs())
    assert result.valid.tolist() == [True, False, True]
    assert result.values.column_names == ["_user_id"]


def test_revalidate_rows_rechecks_only_edited_rows() -> None:
    table = make_table({"ID": ["1", "2", "1"], "Email": ["a@x.com", "bad", "c@x.com"],
                        "B": ["25/12/1990", "03/04/1990", "01/02/1990"]})
    mapping = contacts({"_user_id": "ID", "_email": "Email", "birthday": "B"}, Email=SKIP_ROW)
    result = validate(table, mapping, make_specs())
    assert kinds_by_row(result) == {2: ["duplicate_user_id"], 3: ["invalid_email"]}

    table.frame.loc[1, "Email"] = "Bob@X.com"
    table.frame.loc[2, "ID"] = "3"
    table.frame.loc[2, "B"] = "02/01/1990"
    updated = revalidate_rows(result, [1, 2])
    assert updated.problems.empty
    assert updated.valid.tolist() == [True, True, True]
    assert cells(updated, "_email")[1] == "bob@x.com"
    assert cells(updated, "_user_id") == ["1", "2", "3"]
    # The column's detected order (day first) is kept for the edited cell.
    assert cells(updated, "birthday")[2] == "1990-01-02"
    # The original result is untouched.
    assert cells(result, "_email")[1] is None

    table.frame.loc[0, "Email"] = "still bad"
    again = revalidate_rows(updated, [0])
    assert kinds_by_row(again) == {2: ["invalid_email"]}
    assert again.valid.tolist() == [False, True, True]
    with pytest.raises(IndexError):
        revalidate_rows(again, [5])


def test_revalidate_rows_updates_the_values_left_out() -> None:
    table = make_table({"ID": ["1", "2", "3"], "Email": ["a@x.com", "bad", "worse"]})
    result = validate(table, contacts({"_user_id": "ID", "_email": "Email"}), make_specs())
    assert result.left_out["_email"].tolist() == [False, True, True]
    table.frame.loc[1, "Email"] = "b@x.com"
    table.frame.loc[0, "Email"] = "nope"
    updated = revalidate_rows(result, [0, 1])
    assert updated.left_out["_email"].tolist() == [True, False, True]
    assert updated.values_left_out == {"_email": 2}
    assert kinds_by_row(updated) == {2: ["invalid_email"], 4: ["invalid_email"]}
    assert set(updated.problems["severity"]) == {Severity.WARNING}
    assert result.left_out["_email"].tolist() == [False, True, True]  # untouched
    table.frame.loc[0, "Email"] = "a@x.com"
    table.frame.loc[2, "Email"] = "c@x.com"
    assert revalidate_rows(updated, [0, 2]).left_out == {}


def test_revalidate_keeps_the_automation_window_consistent() -> None:
    table = make_table({"Customer": ["c1", "c2"], "When": ["2026-11-27 10:30", ""]})
    mapping = Mapping(ImportKind.EVENTS, event_type="signup", assignments={
        "_user_id": "Customer", "_event_date": "When"})
    result = validate(table, mapping, make_specs(), now=NOW)
    assert result.automation == AutomationCounts(inside_window=1, no_date=1)
    table.frame.loc[1, "When"] = "2020-01-01 10:00"
    updated = revalidate_rows(result, [1])
    assert updated.automation == AutomationCounts(inside_window=1, outside_window=1)


def same_check(revalidated: ValidationResult, fresh: ValidationResult) -> None:
    """A re-checked result says what checking the edited table from scratch says."""
    assert revalidated.values.equals(fresh.values)
    assert revalidated.valid.tolist() == fresh.valid.tolist()
    assert revalidated.automation == fresh.automation
    assert {key: rows.tolist() for key, rows in revalidated.left_out.items()} == {
        key: rows.tolist() for key, rows in fresh.left_out.items()}
    columns = ["frame_row", "row", "column", "value", "message", "severity", "kind"]

    def records(result: ValidationResult) -> list[tuple[object, ...]]:
        return sorted(tuple(record) for record in result.problems[columns].astype(object)
                      .itertuples(index=False))

    assert records(revalidated) == records(fresh)
    # Ordered by row, as the Check page's model expects.
    frame_rows = revalidated.problems["frame_row"].to_numpy()
    assert (frame_rows[1:] >= frame_rows[:-1]).all()


ID_CHOICES = ["1", "2", "3", "", "4"]
EMAIL_CHOICES = ["a@x.com", "bad", "", "b@y.org"]


@settings(max_examples=60, deadline=None)
@given(ids=st.lists(st.sampled_from(ID_CHOICES), min_size=1, max_size=8),
       data=st.data(), with_read_only=st.booleans(), skip_rows=st.booleans())
def test_edits_rechecked_one_at_a_time_match_a_full_check(
        ids: list[str], data: st.DataObject, with_read_only: bool, skip_rows: bool) -> None:
    """Duplicate ids appear and disappear as ids and e-mails are edited (an invalid later row
    does not supersede an earlier one); a wrong mapping blocks every row throughout."""
    count = len(ids)
    emails = data.draw(st.lists(st.sampled_from(EMAIL_CHOICES), min_size=count,
                                max_size=count))
    table = make_table({"ID": ids, "Email": emails, "Plan": ["pro"] * count})
    assignments = {"_user_id": "ID", "_email": "Email"}
    if with_read_only:
        assignments["_email_verified"] = "Plan"  # read-only: blocks every row
    mapping = contacts(assignments, **({"Email": SKIP_ROW} if skip_rows else {}))
    specs = make_specs()
    result = validate(table, mapping, specs)
    edits = data.draw(st.lists(st.tuples(st.integers(0, count - 1), st.booleans(),
                                         st.sampled_from(ID_CHOICES + EMAIL_CHOICES)),
                               min_size=1, max_size=6))
    for row, edit_id, text in edits:
        table.frame.loc[row, "ID" if edit_id else "Email"] = text
        result = revalidate_rows(result, [row])
        same_check(result, validate(table, mapping, specs))


def test_many_rows_rechecked_at_once_match_a_full_check() -> None:
    count = 300
    table = make_table({"ID": [str(i % 120) for i in range(count)],
                        "Email": [["a@x.com", "bad"][i % 7 == 0] for i in range(count)]})
    mapping = contacts({"_user_id": "ID", "_email": "Email"}, Email=SKIP_ROW)
    specs = make_specs()
    result = validate(table, mapping, specs)
    edited = list(range(0, count, 3))  # more rows than one edit splices
    for row in edited:
        table.frame.loc[row, "ID"] = str(row % 50)
        table.frame.loc[row, "Email"] = ["c@z.com", "worse"][row % 2]
    same_check(revalidate_rows(result, edited), validate(table, mapping, specs))


def test_many_edits_keep_columns_in_few_chunks_and_match_a_full_check(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import pyarrow as pa

    from ingest_gui.core import validation

    # Each edit splices chunks in; past the limit (8 here, to reach it quickly) they are joined.
    monkeypatch.setattr(validation, "_MAX_VALUE_CHUNKS", 8)
    count = 400
    table = make_table({"ID": [str(i % 350) for i in range(count)],
                        "Email": [["a@x.com", "bad"][i % 5 == 0] for i in range(count)]})
    mapping = contacts({"_user_id": "ID", "_email": "Email"})
    specs = make_specs()
    result = validate(table, mapping, specs)
    for edit in range(60):
        row = edit * 7 % count
        table.frame.loc[row, "Email"] = ["fixed@x.com", "broken"][edit % 2]
        result = revalidate_rows(result, [row])
        assert result.values.column("_email").num_chunks <= 8
        messages = pa.array(result.problems["message"])
        assert not isinstance(messages, pa.ChunkedArray) or messages.num_chunks <= 8
    same_check(result, validate(table, mapping, specs))


def test_rechecks_reuse_the_user_id_index_and_leave_earlier_results_alone() -> None:
    table = make_table({"ID": ["1", "2", "3"], "Email": ["a@x.com", "b@x.com", "c@x.com"]})
    mapping = contacts({"_user_id": "ID", "_email": "Email"})
    result = validate(table, mapping, make_specs())
    table.frame.loc[2, "ID"] = "1"
    first = revalidate_rows(result, [2])
    assert kinds_by_row(first) == {2: ["duplicate_user_id"]}
    assert result.user_id_index is not None
    assert first.user_id_index is not None
    assert first.user_id_index.sorted_from is result.user_id_index.sorted_from
    assert first.user_id_index.rows_of("1").tolist() == [0, 2]
    assert result.user_id_index.rows_of("1").tolist() == [0]
    assert cells(result, "_user_id") == ["1", "2", "3"]
    assert result.problems.empty
    table.frame.loc[0, "ID"] = "2"
    second = revalidate_rows(first, [0])  # ids now 2, 2, 1: row 0 lost its twin, found one
    assert kinds_by_row(second) == {2: ["duplicate_user_id"]}
    assert "appears again in row 3" in second.problems["message"][0]


def test_events_rechecked_keep_the_automation_counts_of_a_full_check() -> None:
    table = make_table({"Customer": ["c1", "c2", "c3"],
                        "When": ["2026-11-27 10:30", "", "2020-01-01 10:00"]})
    mapping = Mapping(ImportKind.EVENTS, event_type="signup", assignments={
        "_user_id": "Customer", "_event_date": "When"})
    specs = make_specs()
    result = validate(table, mapping, specs, now=NOW)
    for row, text in ((1, "2026-11-27 09:45"), (0, ""), (2, "not a date"), (2, "")):
        table.frame.loc[row, "When"] = text
        result = revalidate_rows(result, [row])
        same_check(result, validate(table, mapping, specs, now=NOW))


user_id_texts = st.one_of(st.none(), st.sampled_from(["a", "A", "ab", "é", "😀", "a\x00", "ß"]),
                          st.text(max_size=3))


@settings(max_examples=150, deadline=None)
@given(ids=st.lists(user_id_texts, max_size=12), data=st.data())
def test_the_user_id_index_finds_every_row_of_an_id_through_edits(
        ids: list[str | None], data: st.DataObject) -> None:
    import pyarrow as pa

    from ingest_gui.core.user_id_index import UserIdIndex

    index = UserIdIndex.build(pa.chunked_array([pa.array(ids, type=pa.string())]))
    current = list(ids)
    for _ in range(data.draw(st.integers(0, 4))):
        if not current:
            break
        rows = data.draw(st.lists(st.integers(0, len(current) - 1), unique=True, min_size=1))
        new_ids = data.draw(st.lists(user_id_texts, min_size=len(rows), max_size=len(rows)))
        index = index.with_ids(rows, new_ids)
        for row, user_id in zip(rows, new_ids, strict=True):
            current[row] = user_id
    for user_id in {*ids, *current, "zz"} - {None}:
        assert user_id is not None
        expected = [row for row, held in enumerate(current) if held == user_id]
        assert index.rows_of(user_id).tolist() == expected


def test_progress_and_cancel() -> None:
    table = make_table({"ID": ["1"], "Email": ["a@b.com"]})
    calls: list[tuple[int, int]] = []
    validate(table, contacts({"_user_id": "ID", "_email": "Email"}), make_specs(),
             progress=lambda done, total: calls.append((done, total)))
    assert calls[-1][0] == calls[-1][1]
    assert len(calls) >= 3
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        validate(table, contacts({"_user_id": "ID"}), make_specs(), cancel=token)


def test_empty_table_and_naive_now() -> None:
    table = make_table({"ID": []})
    result = validate(table, contacts({"_user_id": "ID"}), make_specs(),
                      now=datetime(2026, 1, 1, 12, 0))
    assert result.valid_count == 0
    assert result.problems.empty
    assert result.checked_at is not None
    assert result.checked_at.tzinfo is not None


def test_fifty_thousand_rows_validate_quickly_as_a_sanity_check() -> None:
    count = 50_000
    ids = np.char.add("C", np.arange(count).astype(str))
    table = make_table({
        "ID": ids.tolist(),
        "Email": np.char.add(ids, "@Example.com").tolist(),
        "Phone": np.char.add("6", (10_000_000 + np.arange(count)).astype(str)).tolist(),
        "Country": (["ES", "España", "US"] * count)[:count],
        "LTV": (["1.234,5", "12", ""] * count)[:count],
    })
    mapping = contacts({"_user_id": "ID", "_email": "Email", "_phone_mobile": "Phone",
                        "_country_code": "Country", "lifetime_value": "LTV"})
    result = validate(table, mapping, make_specs())
    assert cells(result, "_email")[49_999] == "c49999@example.com"
    # Spanish mobiles are read as US numbers on the US rows: too short there, left out.
    us_rows = np.arange(count) % 3 == 2
    assert result.valid.all()
    assert (result.left_out["_phone_mobile"] == us_rows).all()
    assert cells(result, "_phone_mobile")[0] == "+34610000000"


def test_row_numbers_in_messages_use_thousands_separators() -> None:
    from ingest_gui.core.validation import _thousands

    rows = np.array([2, 999, 1000, 1005, 12_345, 1_000_000, 1_234_567, 10_020_003])
    assert _thousands(rows).to_pylist() == [
        "2", "999", "1,000", "1,005", "12,345", "1,000,000", "1,234,567", "10,020,003"]


def test_long_values_are_shortened_in_messages_but_kept_whole() -> None:
    long_value = "x" * 200
    table = make_table({"ID": ["1"], "Email": [long_value]})
    result = validate(table, contacts({"_user_id": "ID", "_email": "Email"}, Email=SKIP_ROW),
                      make_specs())
    problem = result.problems.iloc[0]
    assert problem["value"] == long_value
    assert "…" in problem["message"]
    assert len(problem["message"]) < 150


def test_list_of_phones_reads_each_element_with_its_rows_country() -> None:
    from dataclasses import replace

    from ingest_gui.api.specs import AttributeSpec

    base = make_specs()
    specs = replace(base, attributes=(*base.attributes,
                                      AttributeSpec("phones", "Phones", data_type="phone",
                                                    multivalue=3, custom=True)))
    table = make_table({
        "ID": ["1", "2", "3"],
        "Country": ["ES", "UK", "ES"],
        "Phones": ["612345678; 623 456 789", "020 7946 0958", "612345678;12ab"],
    })
    mapping = contacts({"_user_id": "ID", "_country_code": "Country", "phones": "Phones"},
                       Phones=ColumnOptions(multivalue_separator=";"))
    result = validate(table, mapping, specs)
    assert cells(result, "phones")[:2] == [
        f"+34612345678{LIST_SEPARATOR}+34623456789", "+442079460958"]
    assert result.problems["kind"].tolist() == ["invalid_phone"]
    assert result.problems["value"][0] == "612345678;12ab"
    # The whole list is left out, one warning for the cell.
    assert result.valid.tolist() == [True, True, True]
    assert result.left_out["phones"].tolist() == [False, False, True]
