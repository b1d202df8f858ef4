"""``ingest-gui import --confirm-consent`` end to end against the sandbox (issue 16).

The expected counts are worked out here from the rows the test wrote, and checked against what
the sandbox holds afterwards, not against the core's own numbers alone.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest_gui import cli
from ingest_gui.sandbox.server import SandboxServer
from tests.import_helpers import CONTACT_HEADERS, CONTACT_MAP, contact_rows, run_cli, write_csv

HEADERS = [*CONTACT_HEADERS, "Accepts SMS Marketing", "Accepts Email Marketing"]
CONSENT_MAP = [*CONTACT_MAP, "--map", "Accepts SMS Marketing=_accepts_marketing_sms",
               "--map", "Accepts Email Marketing=_accepts_marketing_email"]
SMS, EMAIL = "_accepts_marketing_sms", "_accepts_marketing_email"


def consent_rows(count: int) -> list[list[str]]:
    """SMS: yes for every third contact, else no. E-mail: yes for even contacts, empty for odd
    ones (the attribute is left as it was)."""
    return [[*row, "yes" if n % 3 == 0 else "no", "yes" if n % 2 == 0 else ""]
            for n, row in enumerate(contact_rows(count, invalid_every=None))]


def import_args(path: Path, sandbox: SandboxServer, *extra: str) -> list[str]:
    return ["import", str(path), "--kind", "contacts", "--sandbox", sandbox.base_url,
            *CONSENT_MAP, *extra]


def held(sandbox: SandboxServer, attribute: str) -> dict[str, int]:
    """Per value of ``attribute`` in the sandbox, how many contacts hold it."""
    counts: dict[str, int] = {"1": 0, "0": 0}
    for contact in sandbox.state()["contacts"].values():
        if attribute in contact:
            counts[str(contact[attribute])] += 1
    return counts


def test_granting_consent_without_the_option_is_refused_and_nothing_is_sent(
        tmp_path: Path, sandbox: SandboxServer, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_csv(tmp_path / "customers.csv", HEADERS, consent_rows(30))
    code, out, err = run_cli(capsys, *import_args(path, sandbox, "--json"))
    assert code == cli.EXIT_USAGE
    assert out == ""
    assert ("This import would give SMS marketing consent to 10 contacts; e-mail marketing "
            "consent to 15 contacts. Nothing was sent") in err
    assert "--confirm-consent sms,email" in err
    assert sandbox.state()["contacts"] == {}

    # Confirming one channel is not enough when the file grants on two.
    code, _out, err = run_cli(capsys, *import_args(path, sandbox, "--confirm-consent", "sms"))
    assert code == cli.EXIT_USAGE
    assert "This import would give e-mail marketing consent to 15 contacts. Nothing" in err
    assert "--confirm-consent email" in err
    assert sandbox.state()["contacts"] == {}


def test_with_the_confirmation_the_counts_match_what_the_sandbox_holds(
        tmp_path: Path, sandbox: SandboxServer, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_csv(tmp_path / "customers.csv", HEADERS, consent_rows(30))
    code, out, err = run_cli(capsys, *import_args(path, sandbox, "--json",
                                                  "--confirm-consent", "sms,email"))
    assert code == cli.EXIT_OK, err
    consent = json.loads(out)["consent"]
    assert consent == {"sms": {"grant": 10, "revoke": 20}, "email": {"grant": 15, "revoke": 0}}
    assert held(sandbox, SMS) == {"1": 10, "0": 20}
    assert held(sandbox, EMAIL) == {"1": 15, "0": 0}
    # What it changes is shown even with --json (on stderr).
    assert "This import gives SMS marketing consent to 10 contacts and withdraws it from 20." \
        in err
    assert "This import gives e-mail marketing consent to 15 contacts." in err


def test_a_dry_run_needs_no_confirmation_and_reports_the_counts(
        tmp_path: Path, sandbox: SandboxServer, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_csv(tmp_path / "customers.csv", HEADERS, consent_rows(12))
    code, out, err = run_cli(capsys, *import_args(path, sandbox, "--dry-run", "--json"))
    assert code == cli.EXIT_OK, err
    summary = json.loads(out)
    assert summary["dry_run"] is True
    assert summary["consent"] == {"sms": {"grant": 4, "revoke": 8},
                                  "email": {"grant": 6, "revoke": 0}}
    assert sandbox.state()["contacts"] == {}


def test_withdrawing_needs_no_confirmation_but_is_printed(
        tmp_path: Path, sandbox: SandboxServer, capsys: pytest.CaptureFixture[str]) -> None:
    rows = [[*row, "no"] for row in contact_rows(5, invalid_every=None)]
    path = write_csv(tmp_path / "unsubscribed.csv", [*CONTACT_HEADERS, "SMS"], rows)
    code, _out, err = run_cli(capsys, "import", str(path), "--kind", "contacts",
                              "--sandbox", sandbox.base_url, *CONTACT_MAP,
                              "--map", f"SMS={SMS}")
    assert code == cli.EXIT_OK, err
    assert "This import withdraws SMS marketing consent from 5 contacts." in err
    assert held(sandbox, SMS) == {"1": 0, "0": 5}


def test_a_file_that_both_grants_and_withdraws_a_person_never_grants(
        tmp_path: Path, sandbox: SandboxServer, capsys: pytest.CaptureFixture[str]) -> None:
    """Mailchimp's subscribed and unsubscribed lists pasted into one sheet: C000001 is in
    both. Whatever the order of the rows, the withdrawal wins; the rest of the file goes in."""
    rows = contact_rows(3, invalid_every=None)
    table = [[*rows[0], "yes"], [*rows[1], "yes"], [*rows[2], "yes"], [*rows[1], "no"]]
    path = write_csv(tmp_path / "members.csv", [*CONTACT_HEADERS, "SMS"], table)
    code, out, err = run_cli(capsys, "import", str(path), "--kind", "contacts", "--json",
                             "--sandbox", sandbox.base_url, *CONTACT_MAP,
                             "--map", f"SMS={SMS}", "--confirm-consent", "sms")
    assert code == cli.EXIT_OK, err
    assert json.loads(out)["consent"] == {"sms": {"grant": 2, "revoke": 1}}
    assert "1 contacts both give and withdraw SMS consent in this file" in err
    contacts = sandbox.state()["contacts"]
    assert {user: contact[SMS] for user, contact in contacts.items()} == {
        "C000000": "1", "C000001": "0", "C000002": "1"}


def test_an_import_without_consent_reports_an_empty_consent_object(
        tmp_path: Path, sandbox: SandboxServer, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_csv(tmp_path / "contacts.csv", CONTACT_HEADERS,
                     contact_rows(3, invalid_every=None))
    code, out, err = run_cli(capsys, "import", str(path), "--kind", "contacts", "--json",
                             "--sandbox", sandbox.base_url, *CONTACT_MAP)
    assert code == cli.EXIT_OK, err
    assert json.loads(out)["consent"] == {}
    assert "consent" not in err


def test_an_unknown_channel_name_is_a_usage_error(
        tmp_path: Path, sandbox: SandboxServer, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_csv(tmp_path / "customers.csv", HEADERS, consent_rows(3))
    code, _out, err = run_cli(capsys, *import_args(path, sandbox, "--confirm-consent", "sms,fax"))
    assert code == cli.EXIT_USAGE
    assert '--confirm-consent: "fax" is not a consent channel: use sms, email, whatsapp or ' \
        "other." in err
    assert sandbox.state()["contacts"] == {}
