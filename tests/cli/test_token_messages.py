"""Issue 19: without a token, the command line says where it looked (the environment, the
saved connection's keychain entry and the keychain's state)."""

from __future__ import annotations

from pathlib import Path

import keyring
import keyring.backend
import keyring.backends.fail
import keyring.errors
import pytest

from ingest_gui import cli
from ingest_gui.core import connections
from tests.import_helpers import CONTACT_HEADERS, CONTACT_MAP, contact_rows, write_csv


class LockedSecretService(keyring.backend.KeyringBackend):
    """A Secret Service keychain whose unlock prompt was refused."""

    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")

    def delete_password(self, service: str, username: str) -> None:
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")


LockedSecretService.__module__ = "keyring.backends.SecretService"


class EmptySecretService(LockedSecretService):
    def get_password(self, service: str, username: str) -> str | None:
        return None


EmptySecretService.__module__ = "keyring.backends.SecretService"


def _import(tmp_path: Path, capsys: pytest.CaptureFixture[str], *options: str) -> tuple[int, str]:
    path = write_csv(tmp_path / "contacts.csv", CONTACT_HEADERS, contact_rows(2))
    code = cli.main(["import", str(path), "--kind", "contacts", *CONTACT_MAP, *options])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, err


@pytest.fixture
def saved_shop() -> None:
    connections.save_connection(connections.Connection("Shop", "https://example.invalid/v1",
                                                       "p", "d"))


def test_no_saved_token_names_the_keychain_entry(tmp_path, capsys, saved_shop):
    keyring.set_keyring(EmptySecretService())
    code, err = _import(tmp_path, capsys)
    assert code == cli.EXIT_CONNECTION
    assert ("No API token: set INSTASENT_TOKEN or save the token in the wizard; looked in: "
            "environment, keychain entry “Instasent Ingest Wizard / Shop” (Secret Service).") in err


def test_a_locked_keychain_is_named_as_locked(tmp_path, capsys, saved_shop):
    keyring.set_keyring(LockedSecretService())
    code, err = _import(tmp_path, capsys, "--connection", "Shop")
    assert code == cli.EXIT_CONNECTION
    assert ("No API token: set INSTASENT_TOKEN or unlock the keychain; looked in: environment, "
            "keychain entry “Instasent Ingest Wizard / Shop” (Secret Service: locked).") in err


def test_a_failing_keychain_is_named_as_unreadable(tmp_path, capsys, saved_shop, memory_keyring,
                                                   monkeypatch):
    def broken(service: str, username: str) -> str | None:
        raise keyring.errors.InitError("no D-Bus session")

    monkeypatch.setattr(memory_keyring, "get_password", broken)
    code, err = _import(tmp_path, capsys)
    assert code == cli.EXIT_CONNECTION
    assert "keychain entry “Instasent Ingest Wizard / Shop” (MemoryKeyring: could not be read)" \
        in err


def test_no_keychain_at_all_says_so(tmp_path, capsys, saved_shop):
    keyring.set_keyring(keyring.backends.fail.Keyring())
    code, err = _import(tmp_path, capsys)
    assert code == cli.EXIT_CONNECTION
    assert "there is no system keychain on this computer" in err
    assert "looked in: environment." in err


def test_explicit_ids_without_a_token_name_the_environment_only(tmp_path, capsys):
    code, err = _import(tmp_path, capsys, "--project", "p", "--datasource", "d")
    assert code == cli.EXIT_CONNECTION
    assert ("No API token: set the INSTASENT_TOKEN environment variable (looked in: "
            "environment).") in err


def test_the_environment_token_wins_over_a_locked_keychain(tmp_path, capsys, sandbox,
                                                           monkeypatch):
    """The keychain is not even asked: a locked one does not stop an import with a token."""
    from ingest_gui.sandbox.server import DEFAULT_TOKEN

    connections.save_connection(connections.Connection(
        "Shop", sandbox.base_url, sandbox.config.project, sandbox.config.datasource))
    keyring.set_keyring(LockedSecretService())
    monkeypatch.setenv("INSTASENT_TOKEN", DEFAULT_TOKEN)
    path = write_csv(tmp_path / "contacts.csv", CONTACT_HEADERS,
                     contact_rows(2, invalid_every=None))
    code = cli.main(["import", str(path), "--kind", "contacts", *CONTACT_MAP])
    _out, err = capsys.readouterr()
    assert code == cli.EXIT_OK, err
    assert len(sandbox.state()["contacts"]) == 2
