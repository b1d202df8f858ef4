"""Targets from the specs, the mapping object, suggestions on real exports' headers, templates."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from ingest_gui import paths
from ingest_gui.core.mapping import (
    AUTO_APPLY_CONFIDENCE,
    ColumnOptions,
    DateOrder,
    EmptyCellPolicy,
    ImportKind,
    InvalidValuePolicy,
    Mapping,
    Suggestion,
    auto_map,
    find_template,
    load_template,
    normalize_header,
    save_template,
    suggest,
    targets_for,
)
from tests.core.factories import make_specs, make_table

# ----------------------------------------------------------------------------- targets


def test_contact_targets_are_the_attributes_with_read_only_marked() -> None:
    targets = {t.key: t for t in targets_for(ImportKind.CONTACTS, make_specs())}
    assert targets["_user_id"].required
    assert targets["_email"].data_type == "email"
    assert targets["_email_verified"].read_only
    assert targets["loyalty_tier"].data_type == "text"  # unknown "mystery" reads as text
    assert targets["interests"].multivalue == 5
    assert targets["lifetime_value"].label == "Lifetime value"
    assert not any(t.required for k, t in targets.items() if k != "_user_id")


def test_event_targets_for_a_fixed_type() -> None:
    targets = {t.key: t for t in targets_for(ImportKind.EVENTS, make_specs(),
                                             event_type="purchase")}
    assert list(targets)[:4] == ["_user_id", "_event_id", "_event_type", "_event_date"]
    assert targets["_user_id"].required
    assert not targets["_event_type"].required
    assert targets["_event_date"].data_type == "datetime"
    order = targets["_event_parameters.order_id"]
    assert (order.required, order.max_length, order.group) == (True, 32, "parameter")
    assert targets["_event_parameters.products"].multivalue == 10
    assert "_event_parameters.product_id" not in targets
    assert not any(key.startswith("_user_data.") for key in targets)


def test_event_targets_when_the_type_comes_from_a_column() -> None:
    targets = {t.key: t for t in targets_for(ImportKind.EVENTS, make_specs())}
    assert targets["_event_type"].required
    parameters = [k for k in targets if k.startswith("_event_parameters.")]
    assert "_event_parameters.order_id" in parameters
    assert "_event_parameters.check_in" in parameters
    assert len(parameters) == len(set(parameters))
    assert not any(targets[k].required for k in parameters)


def test_event_targets_with_user_data_and_delete_targets() -> None:
    targets = {t.key: t for t in targets_for(ImportKind.EVENTS, make_specs(),
                                             event_type="signup", with_user_data=True)}
    assert targets["_user_data._email"].group == "user_data"
    assert targets["_user_data._phone_mobile"].data_type == "phone"
    assert "_user_data._user_id" not in targets
    assert [t.key for t in targets_for(ImportKind.DELETE, make_specs())] == ["_user_id"]


# ----------------------------------------------------------------------------- Mapping


def test_a_target_takes_one_column_and_a_column_feeds_many() -> None:
    mapping = Mapping(ImportKind.CONTACTS)
    mapping.assign("Email", "_email")
    mapping.assign("Email", "_user_id")
    mapping.assign("Correo", "_email")  # replaces Email for _email
    assert mapping.assignments == {"_email": "Correo", "_user_id": "Email"}
    assert mapping.targets_of("Email") == ["_user_id"]
    assert mapping.unmapped_columns(["Email", "Correo", "Notes"]) == ["Notes"]
    mapping.unassign("_email")
    mapping.unassign("_not_there")
    assert mapping.unmapped_columns(["Email", "Correo"]) == ["Correo"]
    assert mapping.options_for("Email") == ColumnOptions()


def test_missing_required_targets() -> None:
    targets = targets_for(ImportKind.EVENTS, make_specs(), event_type="purchase")
    mapping = Mapping(ImportKind.EVENTS, event_type="purchase")
    assert [t.key for t in mapping.missing_required(targets)] == [
        "_user_id", "_event_parameters.order_id", "_event_parameters.amount"]
    by_column = Mapping(ImportKind.EVENTS, assignments={"_user_id": "U", "_event_type": "T"})
    assert by_column.event_type_from_column
    assert by_column.missing_required(targets_for(ImportKind.EVENTS, make_specs())) == []
    no_type = Mapping(ImportKind.EVENTS, assignments={"_user_id": "U"})
    assert [t.key for t in no_type.missing_required(
        targets_for(ImportKind.EVENTS, make_specs()))] == ["_event_type"]


def full_mapping() -> Mapping:
    return Mapping(
        ImportKind.EVENTS, event_type="purchase", with_user_data=True,
        assignments={"_user_id": "Email", "_user_data._email": "Email", "_event_date": "Date"},
        options={
            "Date": ColumnOptions(date_order=DateOrder.MONTH_FIRST, timezone="America/Bogota"),
            "Email": ColumnOptions(empty_cells=EmptyCellPolicy.CLEAR, trim=False),
            "Plain": ColumnOptions(),
        },
    )


def test_json_round_trip_is_versioned_and_omits_defaults() -> None:
    mapping = full_mapping()
    body = mapping.to_json()
    assert body["format"] == "ingest-gui-mapping"
    assert body["version"] == 1
    assert body["kind"] == "events"
    assert body["options"] == {
        "Date": {"date_order": "month_first", "timezone": "America/Bogota"},
        "Email": {"empty_cells": "clear", "trim": False},
    }
    json.dumps(body)  # plain JSON types only
    again = Mapping.from_json(json.loads(json.dumps(body)))
    assert again.assignments == mapping.assignments
    assert again.options["Date"] == mapping.options["Date"]
    assert again.options["Email"] == mapping.options["Email"]
    assert (again.kind, again.event_type, again.with_user_data) == (
        ImportKind.EVENTS, "purchase", True)


def test_the_invalid_values_option_is_saved_and_old_templates_read_as_leave_out(
        tmp_path: Path) -> None:
    assert ColumnOptions().invalid_values is InvalidValuePolicy.LEAVE_OUT
    mapping = Mapping(ImportKind.CONTACTS, assignments={"_user_id": "ID", "landline": "Tel"},
                      options={"Tel": ColumnOptions(invalid_values=InvalidValuePolicy.SKIP_ROW)})
    path = tmp_path / "landlines.json"
    save_template(path, mapping, ["ID", "Tel"])
    body = json.loads(path.read_text(encoding="utf-8"))
    assert body["options"] == {"Tel": {"invalid_values": "skip_row"}}
    again, _headers = load_template(path)
    assert again.options_for("Tel").invalid_values is InvalidValuePolicy.SKIP_ROW
    # A template written before the option existed: every column leaves invalid values out.
    del body["options"]["Tel"]["invalid_values"]
    body["options"]["Tel"]["trim"] = False
    path.write_text(json.dumps(body), encoding="utf-8")
    old, _headers = load_template(path)
    assert old.options_for("Tel") == ColumnOptions(trim=False)
    assert old.options_for("Tel").invalid_values is InvalidValuePolicy.LEAVE_OUT
    with pytest.raises(ValueError, match='option "invalid_values" of column "A"'):
        Mapping.from_json({"kind": "contacts", "options": {"A": {"invalid_values": "drop"}}})


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ([], "expected a JSON object"),
        ({"format": "other"}, "not an Ingest Wizard mapping template"),
        ({"kind": "contacts", "version": 99}, "newer version"),
        ({"kind": "people"}, '"people" is not one of'),
        ({"kind": "contacts", "assignments": {"_email": 3}}, "assignments"),
        ({"kind": "contacts", "options": {"A": {"empty_cells": "burn"}}},
         'option "empty_cells" of column "A"'),
        ({"kind": "contacts", "options": {"A": {"trim": "yes"}}}, 'option "trim"'),
        ({"kind": "contacts", "options": {"A": 5}}, 'options of column "A"'),
    ],
)
def test_from_json_refuses_bad_bodies_clearly(body: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Mapping.from_json(body)  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- suggestions


def suggested(headers: dict[str, list[str]], kind: ImportKind = ImportKind.CONTACTS,
              **target_options: object) -> dict[str, tuple[str, float]]:
    table = make_table(headers)
    targets = targets_for(kind, make_specs(), **target_options)  # type: ignore[arg-type]
    found: dict[str, tuple[str, float]] = {}
    for suggestion in suggest(table, targets):
        found.setdefault(suggestion.target, (suggestion.column, suggestion.confidence))
    return found


def confident(found: dict[str, tuple[str, float]]) -> dict[str, str]:
    return {target: column for target, (column, confidence) in found.items()
            if confidence >= AUTO_APPLY_CONFIDENCE}


def test_normalize_header() -> None:
    assert normalize_header("Correo electrónico:") == "correo electronico"
    assert normalize_header("firstName") == "first name"
    assert normalize_header("E-Mail_Address") == "e mail address"
    assert normalize_header("  País  ") == "pais"


def test_shopify_customer_export() -> None:
    found = suggested({
        "Customer ID": ["7001", "7002"], "First Name": ["Ada", "Bo"],
        "Last Name": ["L", "M"], "Email": ["ada@x.com", "bo@y.com"],
        "Accepts Email Marketing": ["yes", "no"], "Default Address Company": ["", ""],
        "Default Address Country Code": ["ES", "FR"], "Default Address Phone": ["", ""],
        "Phone": ["+34612345678", "+33612345678"], "Total Spent": ["10.00", "0.00"],
        "Total Orders": ["1", "0"], "Note": ["", ""], "Tags": ["vip", ""],
    })
    # Recognised as Shopify: its profile maps the shop's own columns onto the datasource's
    # attributes of the same meaning (Total Spent -> the decimal "Lifetime value").
    assert confident(found) == {
        "_user_id": "Customer ID", "_first_name": "First Name", "_last_name": "Last Name",
        "_email": "Email", "_phone_mobile": "Phone",
        "_country_code": "Default Address Country Code",
        "landline": "Default Address Phone", "lifetime_value": "Total Spent",
        "orders_count": "Total Orders", "notes": "Note",
    }
    assert "vip" not in found  # consent is never offered to another yes/no field


def test_hubspot_contacts_export() -> None:
    found = suggested({
        "Record ID": ["101", "102"], "First Name": ["Ada", "Bo"], "Last Name": ["L", "M"],
        "Email": ["ada@x.com", "bo@y.com"], "Phone Number": ["+1 201 555 0123", ""],
        "Mobile Phone Number": ["+34 612 345 678", "+34 622 345 678"],
        "Country/Region": ["Spain", "France"], "Lifecycle Stage": ["lead", "customer"],
        "Create Date": ["2024-01-02 10:00", "2024-01-03 11:00"],
    })
    applied = confident(found)
    assert applied["_user_id"] == "Record ID"
    assert applied["_phone_mobile"] == "Mobile Phone Number"
    assert applied["_country_code"] == "Country/Region"
    assert applied["_email"] == "Email"


def test_mailchimp_audience_export_uses_the_email_as_user_id() -> None:
    found = suggested({
        "Email Address": ["ada@x.com", "bo@y.com"], "First Name": ["Ada", "Bo"],
        "Last Name": ["L", "M"], "Phone Number": ["612345678", ""], "Birthday": ["01/27", ""],
        "MEMBER_RATING": ["2", "3"], "OPTIN_TIME": ["2020-01-01 10:00:00", ""],
        "CC": ["ES", "FR"], "TAGS": ["", ""],
    })
    assert found["_email"][0] == "Email Address"
    assert found["_email"][1] >= AUTO_APPLY_CONFIDENCE
    # Mailchimp's convention: the e-mail is the contact's id.
    assert found["_user_id"] == found["_email"]
    assert found["_country_code"][0] == "CC"
    assert found["birthday"][0] == "Birthday"
    assert found["birthday"][1] < AUTO_APPLY_CONFIDENCE  # MM/DD: no year, offered only


def test_spanish_headers() -> None:
    found = suggested({
        "ID Cliente": ["1", "2"], "Nombre": ["Ana", "Luis"], "Apellidos": ["García", "Pérez"],
        "Correo electrónico": ["ana@x.es", "luis@y.es"], "Móvil": ["612345678", "622345678"],
        "Teléfono": ["912345678", ""], "País": ["España", "Francia"],
        "Fecha de nacimiento": ["27/01/1985", ""],
    })
    assert confident(found) == {
        "_user_id": "ID Cliente", "_first_name": "Nombre", "_last_name": "Apellidos",
        "_email": "Correo electrónico", "_phone_mobile": "Móvil", "_country_code": "País",
        "landline": "Teléfono", "birthday": "Fecha de nacimiento",
    }


def test_event_headers_for_purchases() -> None:
    found = suggested({
        "Customer ID": ["1"], "Order ID": ["A-1"], "Fecha": ["27/11/2026 10:00"],
        "Importe": ["12,50"], "Moneda": ["EUR"], "E-mail": ["a@b.com"],
    }, ImportKind.EVENTS, event_type="purchase", with_user_data=True)
    assert confident(found) == {
        "_user_id": "Customer ID", "_event_parameters.order_id": "Order ID",
        "_event_id": "Order ID", "_event_date": "Fecha", "_event_parameters.amount": "Importe",
        "_event_parameters.currency": "Moneda", "_user_data._email": "E-mail",
    }


def test_event_type_and_english_date_headers() -> None:
    found = suggested({
        "user_id": ["1"], "Event type": ["purchase"], "Date": ["2026-11-27"],
        "Amount": ["3"], "Total": ["3"],
    }, ImportKind.EVENTS)
    applied = confident(found)
    assert applied["_event_type"] == "Event type"
    assert applied["_event_date"] == "Date"
    assert applied["_user_id"] == "user_id"
    assert found["_event_parameters.amount"][0] in {"Amount", "Total"}


def test_values_alone_are_offered_not_applied() -> None:
    found = suggested({"col1": ["ada@x.com", "bo@y.org"], "col2": ["+34612345678", "+3361234"
                                                                   "5678"]})
    assert found["_email"][0] == "col1"
    assert found["_email"][1] < AUTO_APPLY_CONFIDENCE
    assert found["_phone_mobile"][0] == "col2"
    assert found["_phone_mobile"][1] < AUTO_APPLY_CONFIDENCE


def test_header_contradicted_by_values_is_not_auto_applied() -> None:
    found = suggested({"Email": ["yes", "no", "yes"]})
    assert found.get("_email", ("", 0.0))[1] < AUTO_APPLY_CONFIDENCE


def test_read_only_targets_are_never_suggested_and_each_target_once() -> None:
    table = make_table({"Email verified": ["1"], "Email": ["a@b.com"], "E-mail": ["c@d.com"]})
    suggestions = suggest(table, targets_for(ImportKind.CONTACTS, make_specs()))
    targets = [s.target for s in suggestions]
    assert "_email_verified" not in targets
    assert targets.count("_email") == 1
    assert all(0 <= s.confidence <= 1 and s.reason for s in suggestions)


def test_auto_map_applies_confident_suggestions_and_returns_the_rest() -> None:
    mapping = Mapping(ImportKind.CONTACTS, assignments={"_first_name": "Given"})
    suggestions = [
        Suggestion("Email", "_email", 0.95, "header"),
        Suggestion("Email", "_user_id", 0.6, "fallback"),
        Suggestion("Nombre", "_first_name", 0.97, "header"),  # user's choice stays
    ]
    offered = auto_map(mapping, suggestions)
    assert mapping.assignments == {"_first_name": "Given", "_email": "Email"}
    assert offered == [suggestions[1]]


# ----------------------------------------------------------------------------- templates


def test_template_file_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "shop.json"
    save_template(path, full_mapping(), ["Email", "Date", "Total"])
    body = json.loads(path.read_text(encoding="utf-8"))
    assert list(body) == ["format", "version", "kind", "event_type", "with_user_data",
                          "headers", "assignments", "options"]
    mapping, headers = load_template(path)
    assert headers == ("Email", "Date", "Total")
    assert mapping.to_json() == full_mapping().to_json()
    assert not list(tmp_path.glob("*.tmp"))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"format": "ingest-gui-mapping", "version": 1, "kind": "x"}', "cannot be used"),
        ('{"kind": "contacts", "headers": "A,B"}', "headers must be a list"),
    ],
)
def test_bad_template_files_raise_clear_errors(tmp_path: Path, content: str,
                                               message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=message) as caught:
        load_template(path)
    assert "bad.json" in str(caught.value)


def test_missing_template_file(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="does not exist"):
        load_template(tmp_path / "nope.json")


def test_find_template_reports_added_and_removed_headers() -> None:
    directory = paths.data_dir() / "templates"
    contacts = Mapping(ImportKind.CONTACTS, assignments={"_user_id": "ID", "_email": "Email"})
    save_template(directory / "crm.json", contacts, ["ID", "Email", "Name", "Old"])
    other = Mapping(ImportKind.CONTACTS, assignments={"_user_id": "Code"})
    save_template(directory / "other.json", other, ["Code", "Phone"])
    (directory / "junk.json").write_text("{", encoding="utf-8")

    match = find_template(["ID", "Email", "Name", "New"])
    assert match is not None
    assert match.path.name == "crm.json"
    assert match.mapping.assignments == contacts.assignments
    assert match.added_headers == ("New",)
    assert match.removed_headers == ("Old",)
    # A template whose mapped columns are gone does not match.
    assert find_template(["Name", "Old", "Phone"]) is None
    assert find_template(["Something", "Else"]) is None


def test_find_template_prefers_the_closest_then_the_newest(tmp_path: Path) -> None:
    mapping = Mapping(ImportKind.CONTACTS, assignments={"_user_id": "ID"})
    save_template(tmp_path / "exact.json", mapping, ["ID", "Email"])
    save_template(tmp_path / "looser.json", mapping, ["ID", "Email", "Extra"])
    match = find_template(["ID", "Email"], tmp_path)
    assert match is not None
    assert match.path.name == "exact.json"
    save_template(tmp_path / "newer.json", mapping, ["ID", "Email"])
    stamp = (tmp_path / "exact.json").stat().st_mtime
    os.utime(tmp_path / "newer.json", (stamp + 10, stamp + 10))
    newest = find_template(["ID", "Email"], tmp_path)
    assert newest is not None
    assert newest.path.name == "newer.json"
    assert find_template(["ID"], tmp_path / "missing") is None
