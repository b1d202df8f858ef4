"""The consent guard's core: recognising consent attributes, negative signals winning, counting
what an import gives and withdraws, and refusing unconfirmed grants (issue 16)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest_gui.api.client import IngestClient
from ingest_gui.api.specs import AttributeSpec, DatasourceSpecs
from ingest_gui.core.consent import (
    Channel,
    ConsentNotConfirmedError,
    ConsentReport,
    consent_attribute,
    consent_attributes,
    consent_targets,
    count_consent,
    parse_channels,
    require_confirmation,
    unconfirmed_channels,
    withdraw_conflicting_grants,
)
from ingest_gui.core.journal import Journal
from ingest_gui.core.mapping import (
    ColumnOptions,
    EmptyCellPolicy,
    ImportKind,
    InvalidValuePolicy,
    Mapping,
    auto_map,
    propose_mapping,
    suggest,
    targets_for,
)
from ingest_gui.core.payload import PayloadPlan, build_batches
from ingest_gui.core.validation import ValidationResult, validate
from ingest_gui.core.workflow import ConsentRefusedError, ImportWorkflow
from ingest_gui.sandbox.server import SandboxServer
from ingest_gui.texts import install_translator
from tests.benchmarks.mapping_quality import demo_specs, expectations, load_expected_table
from tests.core.factories import make_specs, make_table
from tests.import_helpers import write_csv

SMS, EMAIL = "_accepts_marketing_sms", "_accepts_marketing_email"


def contacts_mapping(**targets: str) -> Mapping:
    """Column "id" feeds ``_user_id``; each keyword maps a column (its name) onto a target."""
    mapping = Mapping(ImportKind.CONTACTS)
    mapping.assign("id", "_user_id")
    for column, target in targets.items():
        mapping.assign(column, target)
    return mapping


def with_attributes(*attributes: AttributeSpec) -> DatasourceSpecs:
    """The demo datasource with other attributes."""
    return dataclasses.replace(make_specs(), attributes=attributes)


def checked(columns: dict[str, list[str]], mapping: Mapping,
            specs: DatasourceSpecs | None = None) -> tuple[ValidationResult, dict[str, int]]:
    return withdraw_conflicting_grants(
        validate(make_table(columns), mapping, specs or make_specs()))


def plan_of(validation: ValidationResult) -> PayloadPlan:
    return build_batches(validation, datasource="demo|demo")


def sent(plan: PayloadPlan) -> list[dict[str, Any]]:
    return [item for batch in plan.batches for item in batch.items]


# --------------------------------------------------------------------------- recognition


def test_the_demo_datasource_has_one_consent_attribute_per_channel() -> None:
    found = consent_attributes(make_specs())
    assert {uid: attribute.channel for uid, attribute in found.items()} == {
        SMS: Channel.SMS, EMAIL: Channel.EMAIL, "_accepts_marketing_whatsapp": Channel.WHATSAPP}
    assert not any(attribute.negative for attribute in found.values())
    # Other yes/no attributes are not consent ("VIP", the read-only "Email verified").
    vip = make_specs().attribute("vip")
    assert vip is not None
    assert consent_attribute(vip) is None


def test_a_datasource_with_other_uids_is_recognised_by_its_labels() -> None:
    specs = with_attributes(
        AttributeSpec("_user_id", "User ID", data_type="string"),
        AttributeSpec("acepta_sms", "Acepta SMS", data_type="bool"),
        AttributeSpec("news", "Suscrito a la newsletter", data_type="bool"),
        AttributeSpec("wa_optin", "Opt-in WhatsApp", data_type="bool"),
        AttributeSpec("hs_unsub", "Unsubscribed from all email", data_type="bool"),
        AttributeSpec("gdpr", "Consentimiento RGPD", data_type="bool"),
        AttributeSpec("acceptsMarketing", "", data_type="bool"),
        AttributeSpec("_is_subscribed_sms", "Subscribed (SMS)", data_type="bool"),
        AttributeSpec("vip", "VIP", data_type="bool"),
        # Consent words on a text attribute: not a yes/no, so not consent.
        AttributeSpec("consent_notes", "Consent notes", data_type="text"),
    )
    found = {uid: (attribute.channel.value, attribute.negative)
             for uid, attribute in consent_attributes(specs).items()}
    assert found == {
        "acepta_sms": ("sms", False),
        "news": ("email", False),
        "wa_optin": ("whatsapp", False),
        "hs_unsub": ("email", True),
        "gdpr": ("other", False),
        "acceptsMarketing": ("other", False),
        "_is_subscribed_sms": ("sms", False),
    }


def test_consent_targets_of_events_are_their_user_data() -> None:
    mapping = Mapping(ImportKind.EVENTS, event_type="purchase", with_user_data=True)
    mapping.assign("id", "_user_id")
    mapping.assign("SMS ok", f"_user_data.{SMS}")
    mapping.assign("Amount", "_event_parameters.amount")
    targets = consent_targets(mapping, make_specs())
    assert [(target.key, target.column, target.attribute.channel) for target in targets] == [
        (f"_user_data.{SMS}", "SMS ok", Channel.SMS)]
    assert consent_targets(Mapping(ImportKind.DELETE), make_specs()) == []


# --------------------------------------------------------------------------- negative signals


def test_a_person_granted_in_one_row_and_withdrawn_in_another_is_sent_withdrawn() -> None:
    mapping = contacts_mapping(sms=SMS)
    validation, conflicts = checked(
        {"id": ["A", "B", "A", "C"], "sms": ["yes", "yes", "no", "no"]}, mapping)
    assert conflicts == {"sms": 1}
    items = sent(plan_of(validation))
    assert [(item["_user_id"], item[SMS]) for item in items] == [
        ("A", "0"), ("B", "1"), ("A", "0"), ("C", "0")]


def test_two_columns_for_one_channel_disagreeing_withdraw_both() -> None:
    """Shopify's "Accepts Email Marketing" says yes, the newsletter column says no: no grant."""
    specs = with_attributes(
        *make_specs().attributes,
        AttributeSpec("newsletter", "Newsletter subscriber", data_type="bool", custom=True),
    )
    mapping = contacts_mapping(accepts=EMAIL, newsletter="newsletter")
    validation, conflicts = checked(
        {"id": ["A", "B", "C"], "accepts": ["yes", "yes", "no"],
         "newsletter": ["0", "", "0"]}, mapping, specs)
    assert conflicts == {"email": 1}
    items = {item["_user_id"]: item for item in sent(plan_of(validation))}
    assert (items["A"][EMAIL], items["A"]["newsletter"]) == ("0", "0")
    assert items["B"][EMAIL] == "1"
    assert "newsletter" not in items["B"]
    assert (items["C"][EMAIL], items["C"]["newsletter"]) == ("0", "0")


def test_a_negative_attribute_withdraws_with_its_yes() -> None:
    specs = with_attributes(
        *make_specs().attributes,
        AttributeSpec("unsubscribed", "Unsubscribed from all email", data_type="bool"),
    )
    mapping = contacts_mapping(accepts=EMAIL, unsub="unsubscribed")
    validation, conflicts = checked(
        {"id": ["A", "B"], "accepts": ["yes", "yes"], "unsub": ["true", "false"]},
        mapping, specs)
    assert conflicts == {"email": 1}
    items = {item["_user_id"]: item for item in sent(plan_of(validation))}
    assert (items["A"][EMAIL], items["A"]["unsubscribed"]) == ("0", "1")
    assert (items["B"][EMAIL], items["B"]["unsubscribed"]) == ("1", "0")
    report = count_consent(validation, plan_of(validation), conflicts=conflicts)
    assert report.as_json() == {"email": {"grant": 1, "revoke": 1}}


def test_a_withdrawal_in_an_invalid_row_still_wins() -> None:
    """The row cannot be sent (bad e-mail), but the file said "no" for that person."""
    mapping = contacts_mapping(sms=SMS, mail="_email")
    mapping.options["mail"] = ColumnOptions(invalid_values=InvalidValuePolicy.SKIP_ROW)
    validation, conflicts = checked(
        {"id": ["A", "A"], "sms": ["yes", "no"], "mail": ["a@example.com", "not-an-email"]},
        mapping)
    assert list(validation.valid) == [True, False]
    assert conflicts == {"sms": 1}
    assert [item[SMS] for item in sent(plan_of(validation))] == ["0"]


def test_an_invalid_consent_value_left_out_withdraws_nothing() -> None:
    """Under "clear", an empty cell withdraws; an invalid value left out says nothing."""
    mapping = contacts_mapping(sms=SMS)
    mapping.options["sms"] = ColumnOptions(empty_cells=EmptyCellPolicy.CLEAR)
    validation, conflicts = checked({"id": ["A", "A"], "sms": ["yes", "maybe"]}, mapping)
    assert list(validation.valid) == [True, True]
    assert conflicts == {}
    assert [item.get(SMS, "absent") for item in sent(plan_of(validation))] == ["1", "absent"]


def test_nothing_conflicting_leaves_the_validation_as_it_was() -> None:
    mapping = contacts_mapping(sms=SMS, mail=EMAIL)
    # Granting SMS and withdrawing e-mail for one person is no conflict: two channels.
    validation = validate(make_table({"id": ["A", "B"], "sms": ["1", "0"], "mail": ["0", "1"]}),
                          mapping, make_specs())
    assert withdraw_conflicting_grants(validation) == (validation, {})


# --------------------------------------------------------------------------- counts


def test_counts_are_contacts_per_channel_and_per_attribute_from_what_is_sent() -> None:
    mapping = contacts_mapping(sms=SMS, mail=EMAIL, name="_first_name")
    validation, conflicts = checked({
        "id": ["A", "B", "C", "D", "B", "E"],
        "sms": ["yes", "yes", "no", "", "yes", "si"],
        "mail": ["", "no", "no", "1", "", "0"],
        "name": ["Ada", "Bo", "Cy", "Di", "Bo", "Ed"],
    }, mapping)
    report = count_consent(validation, plan_of(validation), conflicts=conflicts)
    # B appears twice granting SMS: one contact. D sends no SMS value: not counted.
    assert report.as_json() == {"sms": {"grant": 3, "revoke": 1},
                                "email": {"grant": 1, "revoke": 3}}
    assert report.attributes[SMS].grant == 3
    assert report.granting_channels == [Channel.SMS, Channel.EMAIL]
    assert report.sentences()[:2] == [
        "This import gives SMS marketing consent to 3 contacts and withdraws it from 1.",
        "This import gives e-mail marketing consent to 1 contacts and withdraws it from 3.",
    ]


def reference_counts(plan: PayloadPlan, kind: ImportKind,
                     attributes: dict[str, bool]) -> dict[str, tuple[int, int]]:
    """The plain version: per consent attribute (uid -> negative?), contacts given and
    withdrawn, read from the items exactly as they would be sent."""
    grants: dict[str, dict[str, bool]] = {uid: {} for uid in attributes}
    for item in sent(plan):
        values = item.get("_user_data", {}) if kind is ImportKind.EVENTS else item
        for uid, negative in attributes.items():
            if uid in values:
                gives = (values[uid] == "1") != negative
                seen = grants[uid]
                seen[item["_user_id"]] = seen.get(item["_user_id"], True) and gives
    return {uid: (sum(seen.values()), len(seen) - sum(seen.values()))
            for uid, seen in grants.items()}


CELLS = st.sampled_from(["yes", "no", "1", "0", "", "maybe"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(st.tuples(st.sampled_from(["A", "B", "C", "D", ""]), CELLS, CELLS,
                               st.sampled_from(["a@example.com", "bad"])),
                     min_size=1, max_size=25),
       clear=st.booleans(), events=st.booleans())
def test_the_counts_equal_those_of_the_items_as_sent(
        rows: list[tuple[str, str, str, str]], clear: bool, events: bool) -> None:
    """Repeated ids, invalid rows (a bad e-mail, "maybe"), empty cells kept or cleared, a
    negative attribute, contacts or events with user data: the fast count is the plain one."""
    specs = with_attributes(*make_specs().attributes, AttributeSpec(
        "unsubscribed", "Unsubscribed from all email", data_type="bool"))
    if events:
        mapping = Mapping(ImportKind.EVENTS, event_type="signup", with_user_data=True)
        mapping.assign("id", "_user_id")
        prefix = "_user_data."
    else:
        mapping = contacts_mapping()
        prefix = ""
    mapping.assign("sms", prefix + SMS)
    mapping.assign("unsub", prefix + "unsubscribed")
    mapping.assign("mail", prefix + "_email")
    if clear:
        mapping.options["sms"] = ColumnOptions(empty_cells=EmptyCellPolicy.CLEAR)
    columns = {"id": [r[0] for r in rows], "sms": [r[1] for r in rows],
               "unsub": [r[2] for r in rows], "mail": [r[3] for r in rows]}
    validation, conflicts = checked(columns, mapping, specs)
    plan = plan_of(validation)
    report = count_consent(validation, plan, conflicts=conflicts)
    expected = reference_counts(plan, mapping.kind, {SMS: False, "unsubscribed": True})
    assert {uid: (report.attributes[prefix + uid].grant, report.attributes[prefix + uid].revoke)
            for uid in expected} == expected
    # After negative signals won, nobody is both given and refused one channel.
    email = report.channels[Channel.EMAIL]
    assert (email.grant, email.revoke) == expected["unsubscribed"]


def test_a_mapping_without_consent_counts_nothing() -> None:
    mapping = contacts_mapping(name="_first_name")
    validation = validate(make_table({"id": ["A"], "name": ["Ada"]}), mapping, make_specs())
    report = count_consent(validation, plan_of(validation))
    assert report == ConsentReport()
    assert not report.writes_consent
    assert report.as_json() == {}
    assert report.sentences() == []


def test_a_column_that_only_withdraws_is_shown_but_grants_nothing() -> None:
    mapping = contacts_mapping(sms=SMS)
    validation, _ = checked({"id": ["A", "B"], "sms": ["no", "no"]}, mapping)
    report = count_consent(validation, plan_of(validation))
    assert report.as_json() == {"sms": {"grant": 0, "revoke": 2}}
    assert report.sentences() == ["This import withdraws SMS marketing consent from 2 contacts."]
    require_confirmation(report, ())  # withdrawing needs no confirmation


def test_the_preview_sample_says_how_many_granted_ones_had_no_consent_before() -> None:
    mapping = contacts_mapping(sms=SMS)
    validation, _ = checked({"id": ["A", "B", "C", "D"], "sms": ["1", "1", "1", "0"]}, mapping)
    current = {"A": {SMS: "1"}, "B": {SMS: "0"}, "C": None, "D": {SMS: "1"}}
    report = count_consent(validation, plan_of(validation), current=current)
    count = report.channels[Channel.SMS]
    assert (count.grant, count.revoke, count.sampled_grants, count.newly_granted) == (3, 1, 3, 2)
    assert ("In the preview sample, 2 of the 3 contacts given SMS consent did not have it "
            "before.") in report.sentences()


def test_events_that_create_contacts_count_their_consent() -> None:
    mapping = Mapping(ImportKind.EVENTS, event_type="signup", with_user_data=True)
    mapping.assign("id", "_user_id")
    mapping.assign("wa", "_user_data._accepts_marketing_whatsapp")
    validation, conflicts = checked({"id": ["A", "B", "A"], "wa": ["yes", "yes", "no"]},
                                    mapping)
    assert conflicts == {"whatsapp": 1}
    report = count_consent(validation, plan_of(validation), conflicts=conflicts)
    assert report.as_json() == {"whatsapp": {"grant": 1, "revoke": 1}}


# --------------------------------------------------------------------------- the guard


def test_granting_is_refused_until_every_granting_channel_is_named() -> None:
    mapping = contacts_mapping(sms=SMS, mail=EMAIL)
    validation, _ = checked({"id": ["A", "B", "C"], "sms": ["1", "1", "0"],
                             "mail": ["1", "0", "0"]}, mapping)
    report = count_consent(validation, plan_of(validation))
    with pytest.raises(ConsentNotConfirmedError) as refused:
        require_confirmation(report, ["sms"])
    assert refused.value.channels == [Channel.EMAIL]
    assert str(refused.value) == (
        "This import would give e-mail marketing consent to 1 contacts. Nothing was sent: "
        "giving marketing consent needs an explicit confirmation, channel by channel, that "
        "these people agreed.")
    assert unconfirmed_channels(report, []) == [Channel.SMS, Channel.EMAIL]
    require_confirmation(report, ["SMS", "email"])


def test_channel_names_are_parsed_and_unknown_ones_refused() -> None:
    assert parse_channels(" sms, Email ,,whatsapp") == [
        Channel.SMS, Channel.EMAIL, Channel.WHATSAPP]
    assert parse_channels("") == []
    with pytest.raises(ValueError, match='"fax" is not a consent channel'):
        parse_channels("sms,fax")


def test_the_sentences_are_translatable() -> None:
    mapping = contacts_mapping(sms=SMS)
    validation, _ = checked({"id": ["A"], "sms": ["1"]}, mapping)
    report = count_consent(validation, plan_of(validation))
    install_translator(lambda _context, text, _disambiguation=None: "ES " + text)
    try:
        assert report.sentences() == [
            "ES This import gives ES ES SMS marketing consent to 1 contacts."]
    finally:
        install_translator(None)


def test_auto_map_and_source_profiles_offer_consent_targets_but_never_apply_them() -> None:
    """Every corpus file with a consent column, against the demo datasource (which now has
    consent attributes): the source profile's proposal and "Auto-map" offer consent targets
    and leave every one of them unmapped."""
    specs = demo_specs()
    consent_keys = set(consent_attributes(specs))
    files = [expected for expected in expectations() if expected["consent"]]
    assert len(files) >= 5
    offered = set()
    for expected in files:
        table = load_expected_table(expected)
        kind = ImportKind(expected["kind"])
        proposal = propose_mapping(table, specs, kind, event_type=expected["event_type"])
        assert not [entry for entry in proposal.entries
                    if entry.applied and entry.target in consent_keys], expected["file"]
        offered |= {entry.target for entry in proposal.entries} & consent_keys
        mapping = Mapping(kind, event_type=expected["event_type"])
        auto_map(mapping, suggest(table, targets_for(kind, specs,
                                                     event_type=expected["event_type"])))
        applied = set(mapping.assignments) & consent_keys
        assert not applied, (expected["file"], applied)
    assert offered == consent_keys  # offered they are (Shopify's three "Accepts ..." columns)


# --------------------------------------------------------------------------- the workflow


@pytest.fixture
def client(sandbox: SandboxServer) -> Iterator[IngestClient]:
    config = sandbox.config
    with IngestClient(sandbox.base_url, config.project, config.datasource, config.token,
                      timeout=10.0) as client:
        yield client


def consent_file(tmp_path: Path) -> Any:
    from ingest_gui.core.loading import load_table

    return load_table(write_csv(tmp_path / "consent.csv", ["id", "sms"],
                                [["A", "yes"], ["B", "no"], ["C", "yes"]]))


def test_the_workflow_sends_no_unconfirmed_grant(
        tmp_path: Path, sandbox: SandboxServer, client: IngestClient, app_home: Path) -> None:
    mapping = contacts_mapping(sms=SMS)
    with ImportWorkflow(consent_file(tmp_path), mapping, client.fetch_specs(), client) as flow:
        result = flow.check()
        assert result.consent.as_json() == {"sms": {"grant": 2, "revoke": 1}}
        flow.open_journal()
        # The step the wizard calls refuses too, not only ``run()``.
        with pytest.raises(ConsentRefusedError) as refused:
            flow.start_run()
        assert refused.value.channels == ["sms"]
        assert "SMS marketing consent to 2 contacts" in str(refused.value)
        assert sandbox.state()["contacts"] == {}
        with pytest.raises(ConsentRefusedError):
            flow.run(consent_confirmed=["email"])
        assert sandbox.state()["contacts"] == {}
        flow.confirm_consent(["sms"])
        outcome = flow.run()
    assert outcome.summary.consent == {"sms": {"grant": 2, "revoke": 1}}
    contacts = sandbox.state()["contacts"]
    assert {user: contact[SMS] for user, contact in contacts.items()} == {
        "A": "1", "B": "0", "C": "1"}
    with Journal() as journal:
        stored = journal.run_info(outcome.summary.run_id or 0).summary
    assert stored["consent"] == {"sms": {"grant": 2, "revoke": 1}}


def test_a_dry_run_needs_no_confirmation(
        tmp_path: Path, sandbox: SandboxServer, client: IngestClient, app_home: Path) -> None:
    mapping = contacts_mapping(sms=SMS)
    with ImportWorkflow(consent_file(tmp_path), mapping, client.fetch_specs(), client,
                        dry_run=True) as flow:
        outcome = flow.run()
    assert outcome.summary.consent == {"sms": {"grant": 2, "revoke": 1}}
    assert sandbox.state()["contacts"] == {}
