"""Saved connections: ids in JSON, the token only in the keychain."""

from __future__ import annotations

import json

import keyring
import keyring.backends.chainer
import keyring.backends.fail
import pytest

from ingest_gui import paths
from ingest_gui.core.connections import (
    KEYRING_SERVICE,
    Connection,
    KeychainUnavailable,
    delete_connection,
    keychain_available,
    keychain_entry,
    keychain_name,
    last_connection,
    load_connections,
    read_token,
    save_connection,
    store_token,
)

SHOP = Connection("Shop", "https://api.instasent.com/v1", "p1", "d1")
CRM = Connection("CRM", "https://api.instasent.com/v1", "p2", "d2")


def test_no_file_means_no_connections():
    assert load_connections() == []
    assert last_connection() is None


def test_saved_connections_round_trip_and_last_is_remembered():
    save_connection(SHOP)
    save_connection(CRM)
    assert load_connections() == [SHOP, CRM]
    assert last_connection() == CRM
    save_connection(SHOP)  # using it again makes it the last one without duplicating it
    assert load_connections() == [SHOP, CRM]
    assert last_connection() == SHOP


def test_make_last_false_keeps_the_previous_choice():
    save_connection(SHOP)
    save_connection(CRM, make_last=False)
    assert last_connection() == SHOP


def test_saving_by_the_same_name_replaces_the_ids():
    save_connection(SHOP)
    moved = Connection("Shop", "https://api.instasent.com/v1", "p9", "d9")
    save_connection(moved)
    assert load_connections() == [moved]


def test_delete_forgets_ids_and_token(memory_keyring):
    save_connection(SHOP)
    store_token("Shop", "secret-token-1")
    delete_connection("Shop")
    assert load_connections() == []
    assert last_connection() is None
    assert (KEYRING_SERVICE, "Shop") not in memory_keyring.passwords


def test_token_goes_to_the_keychain_and_never_to_the_file(memory_keyring):
    save_connection(SHOP)
    store_token("Shop", "secret-token-1")
    assert memory_keyring.passwords[(KEYRING_SERVICE, "Shop")] == "secret-token-1"
    assert read_token("Shop") == "secret-token-1"
    for file in paths.config_dir().rglob("*"):
        if file.is_file():
            assert "secret-token-1" not in file.read_text(encoding="utf-8")


def test_a_nameless_connection_is_refused():
    with pytest.raises(ValueError, match="name"):
        save_connection(Connection("  ", "https://x", "p", "d"))


def test_a_damaged_file_is_kept_aside_not_fatal():
    file = paths.config_dir() / "connections.json"
    file.write_text("{not json", encoding="utf-8")
    assert load_connections() == []
    assert (paths.config_dir() / "connections.json.broken").read_text() == "{not json"
    save_connection(SHOP)
    assert load_connections() == [SHOP]


def test_malformed_entries_are_skipped():
    file = paths.config_dir() / "connections.json"
    file.write_text(json.dumps({"version": 1, "last": "Shop", "connections": [
        {"name": "Shop", "base_url": "https://a", "project": "p", "datasource": "d"},
        {"name": "Broken"},
        "junk",
    ]}), encoding="utf-8")
    assert [c.name for c in load_connections()] == ["Shop"]
    assert last_connection() is not None


def test_fail_backend_means_no_keychain():
    keyring.set_keyring(keyring.backends.fail.Keyring())
    assert keychain_available() is False
    with pytest.raises(KeychainUnavailable, match="kept in memory"):
        store_token("Shop", "secret-token-1")
    # Not None: the caller must be able to say there was no keychain to look in.
    with pytest.raises(KeychainUnavailable, match="No system keychain") as caught:
        read_token("Shop")
    assert caught.value.keychain == ""
    assert not caught.value.locked
    assert keychain_name() == ""


def test_chainer_without_backends_means_no_keychain(monkeypatch):
    monkeypatch.setattr(keyring.backends.chainer.ChainerBackend, "backends", [])
    keyring.set_keyring(keyring.backends.chainer.ChainerBackend())
    assert keychain_available() is False


def test_chainer_with_a_real_backend_is_a_keychain(monkeypatch, memory_keyring):
    monkeypatch.setattr(keyring.backends.chainer.ChainerBackend, "backends", [memory_keyring])
    keyring.set_keyring(keyring.backends.chainer.ChainerBackend())
    assert keychain_available() is True


def test_no_keyring_error_means_no_keychain(monkeypatch):
    def no_keyring():
        raise keyring.errors.NoKeyringError("none")

    monkeypatch.setattr(keyring, "get_keyring", no_keyring)
    assert keychain_available() is False


def test_a_backend_refusing_to_save_becomes_keychain_unavailable(memory_keyring, monkeypatch):
    def refuse(service, username, password):
        raise keyring.errors.PasswordSetError("locked")

    monkeypatch.setattr(memory_keyring, "set_password", refuse)
    with pytest.raises(KeychainUnavailable) as caught:
        store_token("Shop", "secret-token-1")
    assert "secret-token-1" not in str(caught.value)



def test_no_saved_token_is_none_not_an_error(memory_keyring):
    assert read_token("Shop") is None


def _secret_service_like(memory_keyring, monkeypatch):
    """The in-memory keyring, reported under the Secret Service backend's module."""
    monkeypatch.setattr(type(memory_keyring), "__module__", "keyring.backends.SecretService")


def test_a_locked_keychain_is_named_when_reading(memory_keyring, monkeypatch, caplog):
    _secret_service_like(memory_keyring, monkeypatch)
    memory_keyring.passwords[(KEYRING_SERVICE, "Shop")] = "secret-token-1"

    def locked(service, username):
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")

    monkeypatch.setattr(memory_keyring, "get_password", locked)
    with pytest.raises(KeychainUnavailable) as caught:
        read_token("Shop")
    assert str(caught.value) == (
        "The system keychain (Secret Service) is locked, so the saved API token could not be "
        "read. Unlock it and try again, or paste the token: it will be kept in memory until you "
        "close the app.")
    assert caught.value.locked
    assert caught.value.keychain == "Secret Service"
    assert "secret-token-1" not in caplog.text


def test_a_locked_keychain_is_named_when_saving(memory_keyring, monkeypatch):
    _secret_service_like(memory_keyring, monkeypatch)

    def locked(service, username, password):
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")

    monkeypatch.setattr(memory_keyring, "set_password", locked)
    with pytest.raises(KeychainUnavailable, match=r"^The system keychain \(Secret Service\) is "
                       "locked, so the API token was not saved") as caught:
        store_token("Shop", "secret-token-1")
    assert caught.value.locked
    assert "secret-token-1" not in str(caught.value)


@pytest.mark.parametrize("failure", [
    keyring.errors.InitError("no dbus"),
    RuntimeError("the backend's own bug"),  # plug-in code may raise anything
])
def test_a_failing_backend_raises_a_sentence_naming_the_keychain(memory_keyring, monkeypatch,
                                                                 failure):
    monkeypatch.setattr(type(memory_keyring), "__module__", "keyring.backends.Windows")

    def fail(service, username):
        raise failure

    monkeypatch.setattr(memory_keyring, "get_password", fail)
    with pytest.raises(KeychainUnavailable) as caught:
        read_token("Shop")
    assert str(caught.value) == (
        f"The system keychain (Windows Credential Manager) could not be read "
        f"({type(failure).__name__}). Paste the token: it will be kept in memory until you "
        "close the app.")
    assert not caught.value.locked


@pytest.mark.parametrize(("module", "name"), [
    ("keyring.backends.SecretService", "Secret Service"),
    ("keyring.backends.libsecret", "Secret Service"),
    ("keyring.backends.macOS", "macOS Keychain"),
    ("keyring.backends.Windows", "Windows Credential Manager"),
    ("keyring.backends.kwallet", "KDE Wallet"),
    ("tests.conftest", "MemoryKeyring"),
])
def test_each_platform_keychain_has_its_name(memory_keyring, monkeypatch, module, name):
    monkeypatch.setattr(type(memory_keyring), "__module__", module)
    assert keychain_name() == name


def test_the_chainer_is_named_after_its_first_real_keychain(monkeypatch, memory_keyring):
    monkeypatch.setattr(type(memory_keyring), "__module__", "keyring.backends.macOS")
    monkeypatch.setattr(keyring.backends.chainer.ChainerBackend, "backends",
                        [keyring.backends.fail.Keyring(), memory_keyring])
    keyring.set_keyring(keyring.backends.chainer.ChainerBackend())
    assert keychain_name() == "macOS Keychain"


def test_the_keychain_entry_names_service_and_connection():
    assert keychain_entry("Shop") == "“Instasent Ingest Wizard / Shop”"
