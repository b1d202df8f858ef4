"""The mapping proposal: source profiles on any datasource, values that rule targets out, the
conventions that give one column two targets, and the JSON the command line prints."""

from __future__ import annotations

from pathlib import Path

from ingest_gui.api.specs import AttributeSpec, DatasourceSpecs, EventParameterSpec, EventSpec
from ingest_gui.core.mapping import (
    AUTO_APPLY_CONFIDENCE,
    ImportKind,
    Mapping,
    MappingProposal,
    auto_map,
    propose_mapping,
    suggest,
    targets_for,
)
from tests.core.factories import make_specs, make_table


def spanish_specs() -> DatasourceSpecs:
    """A datasource whose custom attributes have other uids and Spanish labels than the demo's."""
    attributes = (
        AttributeSpec("_user_id", "Identificador", data_type="string"),
        AttributeSpec("_first_name", "Nombre", data_type="string"),
        AttributeSpec("_last_name", "Apellidos", data_type="string"),
        AttributeSpec("_email", "Correo", data_type="email"),
        AttributeSpec("_phone_mobile", "Móvil", data_type="phone"),
        AttributeSpec("_country_code", "País", data_type="string"),
        AttributeSpec("gasto", "Total gastado", data_type="decimal", custom=True),
        AttributeSpec("n_compras", "Número de pedidos", data_type="integer", custom=True),
        AttributeSpec("fijo", "Teléfono fijo", data_type="phone", custom=True),
        AttributeSpec("cumple", "Cumpleaños", data_type="date", custom=True),
        AttributeSpec("acepta_email", "Newsletter", data_type="bool", custom=True),
        AttributeSpec("comentarios", "Comentarios", data_type="text", custom=True),
    )
    events = (EventSpec("compra", "Compra"),)
    parameters = {"compra": (
        EventParameterSpec("order_id", "Pedido", data_type="string", required=True),
        EventParameterSpec("amount", "Importe", data_type="decimal", required=True),
        EventParameterSpec("currency", "Moneda", data_type="string"),
    )}
    return DatasourceSpecs(attributes, events, parameters, "ES", "Europe/Madrid")


def pairs(proposal: MappingProposal, *, applied: bool | None = None) -> dict[str, str]:
    """target -> column of the proposal's entries (only applied / only offered if asked)."""
    return {entry.target: entry.column for entry in proposal.entries
            if entry.target is not None and (applied is None or entry.applied is applied)}


SHOPIFY_GEN3 = {
    "Customer ID": ["'7391542345851", "'7391542345852", "'7391542345853"],
    "First Name": ["Lucía", "Pedro", ""],
    "Last Name": ["Gómez", "Ruiz", ""],
    "Email": ["lucia@example.com", "pedro@example.com", ""],
    "Accepts Email Marketing": ["yes", "no", "no"],
    "Default Address Company": ["", "", ""],
    "Default Address City": ["Barcelona", "Madrid", ""],
    "Default Address Province Code": ["B", "M", ""],
    "Default Address Country Code": ["ES", "ES", ""],
    "Default Address Zip": ["'08001", "28001", ""],
    "Default Address Phone": ["'612 34 56 78", "'(892) 350-2533", ""],
    "Phone": ["'+34612345678", "'+34699000111", "'+34699000112"],
    "Accepts SMS Marketing": ["no", "yes", "yes"],
    "Total Spent": ["1240.50", "0.00", "13.20"],
    "Total Orders": ["3", "0", "1"],
    "Note": ["VIP\nllamar por la tarde", "", ""],
    "Tax Exempt": ["no", "no", "no"],
    "Tags": ["newsletter, vip", "", ""],
}


def test_shopify_profile_maps_onto_a_datasource_with_other_uids_and_labels() -> None:
    table = make_table(SHOPIFY_GEN3, path=Path("customers_export.csv"))
    proposal = propose_mapping(table, spanish_specs(), ImportKind.CONTACTS)
    assert proposal.source == "shopify_customers"
    assert proposal.source_label == "Shopify customers export"
    assert pairs(proposal, applied=True) == {
        "_user_id": "Customer ID", "_first_name": "First Name", "_last_name": "Last Name",
        "_email": "Email", "_phone_mobile": "Phone", "fijo": "Default Address Phone",
        "_country_code": "Default Address Country Code", "gasto": "Total Spent",
        "n_compras": "Total Orders", "comentarios": "Note",
    }
    # Consent is offered to the consent field, never applied.
    offered = pairs(proposal, applied=False)
    assert offered["acepta_email"] in {"Accepts Email Marketing", "Accepts SMS Marketing"}
    consent = [e for e in proposal.entries if e.column.startswith("Accepts")]
    assert consent
    assert not any(entry.applied for entry in consent)
    assert all(entry.reason for entry in consent)


def test_the_same_profile_on_the_demo_datasource() -> None:
    table = make_table(SHOPIFY_GEN3, path=Path("customers_export.csv"))
    proposal = propose_mapping(table, make_specs(), ImportKind.CONTACTS)
    applied = pairs(proposal, applied=True)
    assert applied["_phone_mobile"] == "Phone"  # the customer's own phone first
    assert applied["landline"] == "Default Address Phone"
    assert applied["lifetime_value"] == "Total Spent"
    assert "vip" not in pairs(proposal)  # a consent column never lands on another yes/no


def test_proposal_json_has_one_entry_per_pair_and_one_per_unmapped_column() -> None:
    table = make_table({
        "Order ID": ["1001", "1002"], "Email": ["a@x.com", "b@y.com"],
        "Total": ["10.00", "12.50"], "Weird": ["?", "!"],
    }, path=Path("orders.csv"))
    proposal = propose_mapping(table, make_specs(), ImportKind.EVENTS, event_type="purchase")
    body = proposal.as_json(sheet=None, header_row=1)
    assert body["source"] is None
    assert body["sheet"] is None
    assert body["header_row"] == 1
    columns = body["columns"]
    assert {(c["column"], c["target"]) for c in columns} >= {
        ("Order ID", "_event_id"), ("Order ID", "_event_parameters.order_id"),
        ("Total", "_event_parameters.amount"), ("Weird", None),
    }
    for column in columns:
        assert set(column) == {"column", "target", "confidence", "applied", "reason"}
        assert column["applied"] == (column["confidence"] >= AUTO_APPLY_CONFIDENCE)
        assert column["reason"]
    assert [c["column"] for c in columns if c["target"] is None] == ["Weird"]


def test_suggest_and_auto_map_follow_the_proposal() -> None:
    table = make_table(SHOPIFY_GEN3, path=Path("customers_export.csv"))
    specs = make_specs()
    proposal = propose_mapping(table, specs, ImportKind.CONTACTS)
    suggestions = suggest(table, targets_for(ImportKind.CONTACTS, specs))
    assert suggestions == proposal.suggestions()
    mapping = Mapping(ImportKind.CONTACTS)
    auto_map(mapping, suggestions)
    assert mapping.assignments == pairs(proposal, applied=True)


MAILCHIMP = {
    "Email Address": ["Emiliano.Morales@Example.Com", "ana@example.com", "bo@example.org"],
    "First Name": ["Emiliano", "Ana", "Bo"],
    "Last Name": ["Morales", "Ruiz", "Li"],
    "Phone Number": ["612345678", "", "+34 622 345 678"],
    "Birthday": ["01/27", "12/03", ""],
    "MEMBER_RATING": ["2", "3", "5"],
    "OPTIN_TIME": ["2016-04-18 13:51:14", "2020-01-01 10:00:00", ""],
    "OPTIN_IP": ["77.222.65.130", "", ""],
    "LATITUDE": ["47.6614000", "40.4167754", "-33.8688197"],
    "LONGITUDE": ["-122.2930000", "-3.7037902", "151.2092955"],
    "GMTOFF": ["-8", "1", "10"],
    "CC": ["US", "ES", "AU"],
    "LEID": ["55331253", "90498395", "90498396"],
    "EUID": ["89501affba", "1f2e3d4c5b", "a1b2c3d4e5"],
    "TAGS": ['"VIP","Blog"', "", ""],
}


def test_mailchimp_email_is_the_user_id_and_hash_ids_and_coordinates_are_never_offered() -> None:
    table = make_table(MAILCHIMP, path=Path("subscribed_email_audience_export_9c62c33314.csv"))
    proposal = propose_mapping(table, make_specs(), ImportKind.CONTACTS)
    assert proposal.source == "mailchimp_subscribed"
    applied = pairs(proposal, applied=True)
    assert applied["_user_id"] == "Email Address"
    assert applied["_email"] == "Email Address"
    assert applied["_country_code"] == "CC"
    offered_to = {e.column: e.target for e in proposal.entries if e.target is not None}
    for column in ("EUID", "LEID", "LATITUDE", "LONGITUDE", "GMTOFF", "MEMBER_RATING"):
        assert column not in offered_to, column


def test_the_same_values_under_no_known_source_are_still_judged() -> None:
    # Without the Mailchimp markers nothing says what EUID and LATITUDE are: the values must.
    columns = {name: MAILCHIMP[name] for name in
               ("Email Address", "First Name", "LATITUDE", "LONGITUDE", "EUID")}
    table = make_table(columns, path=Path("export.csv"))
    assert propose_mapping(table, make_specs(), ImportKind.CONTACTS).source is None
    found = {s.column: s.target for s in suggest(
        table, targets_for(ImportKind.CONTACTS, make_specs()))}
    assert found.get("LATITUDE") is None
    assert found.get("LONGITUDE") is None
    assert found.get("EUID") is None


def test_a_birthday_without_a_year_is_offered_with_a_note() -> None:
    table = make_table({"Email": ["a@x.com", "b@y.com"], "Birthday": ["01/27", "12/03"]})
    entries = [e for e in propose_mapping(table, make_specs(), ImportKind.CONTACTS).entries
               if e.column == "Birthday"]
    assert [e.target for e in entries] == ["birthday"]
    assert "no year" in entries[0].reason
    assert not entries[0].applied  # the user decides, having read the note
    # ...but never for a date-time field, where a year is needed to say when.
    table = make_table({"Last login": ["01/27", "12/03"]})
    found = {s.target for s in suggest(table, targets_for(ImportKind.CONTACTS, make_specs()))}
    assert "last_login" not in found


def test_currency_and_locale_numbers_count_as_numbers() -> None:
    for header, values in {
        "Lifetime Value": ["1.234,56 €", "$1,234.56", "12,50"],
        "Total compras (€)": ["1.234,56", "99", "0,50"],
        "Total Spent": ["EUR 10.00", "1 234,00 €", "3"],
    }.items():
        table = make_table({"Email": ["a@x.com", "b@y.com", "c@z.com"], header: values})
        found = {s.column: (s.target, s.confidence) for s in suggest(
            table, targets_for(ImportKind.CONTACTS, make_specs()))}
        assert found[header][0] == "lifetime_value", header
        assert found[header][1] >= AUTO_APPLY_CONFIDENCE, header
    table = make_table({"Descuento": ["12,5 %", "3 %"], "Importe": ["1.234,56 €", "3"]})
    found = {s.target: s.column for s in suggest(table, targets_for(
        ImportKind.EVENTS, make_specs(), event_type="purchase"))}
    assert found["_event_parameters.amount"] == "Importe"


def test_text_in_a_number_column_rules_the_number_target_out() -> None:
    table = make_table({"Total Spent": ["mucho", "poco", "nada"]})
    found = {s.target for s in suggest(table, targets_for(ImportKind.CONTACTS, make_specs()))}
    assert "lifetime_value" not in found


def test_a_first_name_is_not_an_order_id() -> None:
    table = make_table({"Name": ["Ana", "Luis", "Eva"], "Total": ["1", "2", "3"]})
    found = {s.target: s.column for s in suggest(table, targets_for(
        ImportKind.EVENTS, make_specs(), event_type="purchase"))}
    assert "_event_parameters.order_id" not in found
    assert "_event_id" not in found


def test_the_email_is_user_id_and_email_when_no_column_is_an_id() -> None:
    table = make_table({"Correo": ["a@x.com", "b@y.com"], "Nombre": ["Ana", "Bo"]})
    proposal = propose_mapping(table, make_specs(), ImportKind.CONTACTS)
    applied = pairs(proposal, applied=True)
    assert applied["_email"] == "Correo"
    assert applied["_user_id"] == "Correo"
    table = make_table({"Correo": ["a@x.com", "b@y.com"], "Código postal": ["28001", "08001"]})
    assert pairs(propose_mapping(table, make_specs(), ImportKind.CONTACTS),
                 applied=True)["_user_id"] == "Correo"
    # With a column that may be the id, the e-mail is never applied as the id.
    for header in ("Código cliente", "DNI", "Customer number", "Referencia"):
        table = make_table({"Correo": ["a@x.com", "b@y.com"], header: ["A1", "B2"]})
        proposal = propose_mapping(table, make_specs(), ImportKind.CONTACTS)
        assert ("Correo", "_user_id") not in {
            (e.column, e.target) for e in proposal.entries if e.applied}, header


def test_a_second_phone_column_goes_to_the_second_phone_attribute() -> None:
    table = make_table({
        "Email": ["a@x.com", "b@y.com"], "Mobile": ["+34 612 345 678", "+34 622 345 678"],
        "Phone": ["'912 345 678", "'933 456 789"],
    })
    applied = pairs(propose_mapping(table, make_specs(), ImportKind.CONTACTS), applied=True)
    assert applied["_phone_mobile"] == "Mobile"
    assert applied["landline"] == "Phone"
    table = make_table({"Teléfono": ["612345678", "622345678"], "Fecha alta": ["02/01/2024", ""],
                        "Teléfono 2": ["912345678", ""]})
    proposal = propose_mapping(table, make_specs(), ImportKind.CONTACTS)
    assert pairs(proposal, applied=True)["landline"] == "Teléfono 2"
    assert [e.target for e in proposal.entries if e.column == "Fecha alta"] == [None]
    table = make_table({"Mobile": ["+34 612 345 678", "+34 622 345 678"],
                        "Phone": ["call me", "never"]})
    assert "landline" not in pairs(propose_mapping(table, make_specs(), ImportKind.CONTACTS))


def test_text_markers_do_not_hide_ids_and_phones() -> None:
    table = make_table({"Customer ID": ["'7391542345851", "'7391542345852"],
                        "Telefono": ["'+34612345678", "'+34699000111"]})
    applied = pairs(propose_mapping(table, make_specs(), ImportKind.CONTACTS), applied=True)
    assert applied["_user_id"] == "Customer ID"
    assert applied["_phone_mobile"] == "Telefono"


def test_password_hashes_are_never_offered() -> None:
    table = make_table({
        "email": ["a@x.com"], "_website": ["base"], "_store": ["default"],
        "firstname": ["Ana"], "password_hash": ["a1b2c3:2"], "rp_token": ["0f0f0f0f0f"],
        "created_in": ["Default Store View"],
    }, path=Path("customer_main.csv"))
    proposal = propose_mapping(table, make_specs(), ImportKind.CONTACTS)
    assert proposal.source == "magento_customers"
    for entry in proposal.entries:
        if entry.column in {"password_hash", "rp_token"}:
            assert entry.target is None
            assert "never sent" in entry.reason


def test_shopify_orders_propose_the_purchase_event() -> None:
    table = make_table({
        "Name": ["#1042", "#1042", "#1043"],
        "Email": ["ana@example.com", "ana@example.com", "bo@example.com"],
        "Financial Status": ["paid", "", "paid"],
        "Accepts Marketing": ["yes", "", "no"],
        "Currency": ["EUR", "", "EUR"],
        "Total": ["64.75", "", "20.00"],
        "Created at": ["2024-01-02 23:50:27 +0100", "2024-01-02 23:50:27 +0100",
                       "2024-01-03 10:00:00 +0100"],
        "Lineitem quantity": ["2", "1", "1"],
        "Lineitem name": ["Camiseta - M / Azul", "Taza", "Taza"],
        "Billing Zip": ["'08001", "", "'28001"],
        "Id": ["5612345678901", "", "5612345678902"],
    }, path=Path("orders_export_1.csv"))
    proposal = propose_mapping(table, make_specs(), ImportKind.EVENTS, event_type="purchase",
                               with_user_data=True)
    assert proposal.source == "shopify_orders"
    applied = pairs(proposal, applied=True)
    assert applied == {
        "_event_id": "Name", "_event_parameters.order_id": "Name", "_user_id": "Email",
        "_user_data._email": "Email", "_event_date": "Created at",
        "_event_parameters.amount": "Total", "_event_parameters.currency": "Currency",
        "_event_parameters.products": "Lineitem name",
    }


def test_a_dedicated_id_column_wins_over_the_email_convention() -> None:
    table = make_table({
        "EMAIL": ["ana@example.com", "bo@example.com"], "NOMBRE": ["Ana", "Bo"],
        "SMS": ["34612345678", "34622345678"], "EXT_ID": ["C10120", "C10121"],
    }, path=Path("contacts_export_brevo.csv"))
    proposal = propose_mapping(table, make_specs(), ImportKind.CONTACTS)
    assert proposal.source == "brevo_contacts"
    applied = pairs(proposal, applied=True)
    assert applied["_user_id"] == "EXT_ID"
    assert applied["_email"] == "EMAIL"
    assert applied["_first_name"] == "NOMBRE"
    assert applied["_phone_mobile"] == "SMS"


def test_a_mostly_empty_id_column_yields_to_the_email() -> None:
    table = make_table({
        "EMAIL": [f"p{n}@example.com" for n in range(10)],
        "NOMBRE": [f"P{n}" for n in range(10)],
        "EXT_ID": ["C1", "C2", "C3", "", "", "", "", "", "", ""],
    }, path=Path("contacts_export_brevo.csv"))
    proposal = propose_mapping(table, make_specs(), ImportKind.CONTACTS)
    assert pairs(proposal, applied=True)["_user_id"] == "EMAIL"
    assert [e.target for e in proposal.entries if e.column == "EXT_ID"] == [None]


def test_spanish_number_signs_and_bracketed_notes_in_headers() -> None:
    table = make_table({
        "Nº Cliente": ["CL-00001", "CL-00002"], "Nº pedidos": ["2", "18"],
        "Total compras (€)": ["136,94 €", "3.591,91 €"],
        "Fecha de nacimiento (customer.metafields.facts.birth_date)": ["1973-07-21", ""],
    })
    applied = pairs(propose_mapping(table, make_specs(), ImportKind.CONTACTS), applied=True)
    assert applied == {
        "_user_id": "Nº Cliente", "orders_count": "Nº pedidos",
        "lifetime_value": "Total compras (€)",
        "birthday": "Fecha de nacimiento (customer.metafields.facts.birth_date)",
    }


def test_custom_attributes_are_found_by_what_their_labels_mean() -> None:
    attributes = (
        AttributeSpec("_user_id", "User ID", data_type="string"),
        AttributeSpec("_email", "Email", data_type="email"),
        AttributeSpec("hobbies", "Intereses", data_type="string", multivalue=5, custom=True),
        AttributeSpec("is_vip", "Cliente VIP", data_type="bool", custom=True),
        AttributeSpec("tier", "Nivel de fidelidad", data_type="text", custom=True),
        AttributeSpec("seen", "Último acceso", data_type="datetime", custom=True),
    )
    specs = DatasourceSpecs(attributes, (), {}, "ES", "Europe/Madrid")
    table = make_table({
        "Email": ["a@x.com", "b@y.com"], "Interests": ["regalos", "moda"],
        "VIP": ["Sí", "No"], "Loyalty tier": ["Oro", "Bronce"],
        "Last login": ["2024-01-02 10:00", "2024-02-03 11:00"],
    })
    applied = pairs(propose_mapping(table, specs, ImportKind.CONTACTS), applied=True)
    assert applied == {
        "_email": "Email", "_user_id": "Email", "hobbies": "Interests", "is_vip": "VIP",
        "tier": "Loyalty tier", "seen": "Last login",
    }


def test_an_error_log_is_mapped_by_its_headers_though_its_values_are_the_wrong_ones() -> None:
    table = make_table({
        "ID Cliente": ["1003", "1006"], "Correo electrónico": ["james at icloud.com", "x at y"],
        "Móvil": ["+34 6", "924 123 825"], "Row": ["4", "7"],
        "Errors": ['"james at icloud.com" is not an e-mail address.', "..."],
    }, path=Path("clientes_errores.csv"))
    proposal = propose_mapping(table, make_specs(), ImportKind.CONTACTS)
    assert proposal.source == "ingest_gui_error_log"
    applied = pairs(proposal, applied=True)
    assert applied["_email"] == "Correo electrónico"
    assert applied["_user_id"] == "ID Cliente"
    assert "Row" not in applied.values()
    assert "Errors" not in applied.values()


def consent_specs() -> DatasourceSpecs:
    """The demo datasource with Instasent's three consent attributes."""
    specs = make_specs()
    consent = (
        AttributeSpec("_accepts_marketing_sms", "Accepts SMS marketing", data_type="bool"),
        AttributeSpec("_accepts_marketing_email", "Accepts e-mail marketing", data_type="bool"),
        AttributeSpec("_accepts_marketing_whatsapp", "Accepts WhatsApp marketing",
                      data_type="bool"),
    )
    return DatasourceSpecs((*specs.attributes, *consent), specs.events, specs.event_parameters,
                           specs.default_country, specs.timezone)


def test_consent_columns_are_offered_to_their_own_channel_and_never_applied() -> None:
    table = make_table(SHOPIFY_GEN3 | {"Accepts WhatsApp Marketing": ["no", "yes", "no"]},
                       path=Path("customers_export.csv"))
    proposal = propose_mapping(table, consent_specs(), ImportKind.CONTACTS)
    consent = {e.column: e for e in proposal.entries if e.column.startswith("Accepts")}
    assert consent["Accepts Email Marketing"].target == "_accepts_marketing_email"
    assert consent["Accepts SMS Marketing"].target == "_accepts_marketing_sms"
    assert consent["Accepts WhatsApp Marketing"].target == "_accepts_marketing_whatsapp"
    assert not any(entry.applied for entry in consent.values())
    # Nothing else is ever offered to a consent attribute.
    assert {e.target for e in proposal.entries if not e.column.startswith("Accepts")} \
        .isdisjoint({"_accepts_marketing_sms", "_accepts_marketing_email",
                     "_accepts_marketing_whatsapp"})


def test_a_column_that_says_who_refused_is_never_offered_for_consent() -> None:
    table = make_table({
        "Record ID": ["101", "102"], "Email": ["a@x.com", "b@y.com"],
        "Create Date": ["2024-01-02 10:00", "2024-01-03 11:00"],
        "Unsubscribed from all email": ["true", "false"],
        "Partner offers": ["1", "0"],
    }, path=Path("hubspot.csv"))
    proposal = propose_mapping(table, consent_specs(), ImportKind.CONTACTS)
    for entry in proposal.entries:
        if entry.column in {"Unsubscribed from all email", "Partner offers"}:
            assert entry.target is None
            assert entry.reason
