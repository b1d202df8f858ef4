"""Saved connections, shared by the wizard and the command line.

Ids live in ``paths.config_dir()/connections.json`` (Qt-free so ``ingest-gui import`` can read
them); the token lives only in the OS keychain (keyring service ``KEYRING_SERVICE``, user name =
connection name). When there is no keychain, or it is locked or fails, :class:`KeychainUnavailable`
is raised, naming the keychain (:func:`keychain_name`), and the caller keeps the token for the
session only. ``read_token`` returns ``None`` only when the keychain answered and holds no token.

The JSON file never holds a token: :func:`save_connection` only ever writes the four public
fields of :class:`Connection`.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ingest_gui import paths
from ingest_gui.texts import fill, translate

KEYRING_SERVICE = "Instasent Ingest Wizard"
CONNECTIONS_FILE = "connections.json"
_FILE_VERSION = 1

# Backends that exist but are no OS keychain: they fail every call or silently keep nothing,
# or (keyrings.alt) write secrets to plain files. Matched by module name so we never import them.
_NOT_A_KEYCHAIN_MODULES = ("keyring.backends.fail", "keyring.backends.null", "keyrings.alt")

log = logging.getLogger(__name__)


class KeychainUnavailable(Exception):
    """The OS keychain is absent, locked or failing; the message names it and says what to do.

    Attributes:
        keychain: the keychain's name (:func:`keychain_name`), ``""`` when there is none.
        locked: whether the keychain exists but is locked (the user refused or could not
            answer its unlock prompt).
    """

    def __init__(self, message: str | None = None, *, keychain: str = "",
                 locked: bool = False) -> None:
        super().__init__(message or translate(
            "Keychain", "No system keychain is available on this computer, so the API token "
            "cannot be saved. It will be kept in memory until you close the app; you will need "
            "to enter it again next time."))
        self.keychain = keychain
        self.locked = locked


@dataclass(frozen=True, slots=True)
class Connection:
    name: str
    base_url: str
    project: str
    datasource: str


def _file() -> Path:
    return paths.config_dir() / CONNECTIONS_FILE


def _read_document() -> dict[str, Any]:
    path = _file()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {"version": _FILE_VERSION, "last": None, "connections": []}
    try:
        document = json.loads(text)
        if not isinstance(document, dict) or not isinstance(document.get("connections"), list):
            raise ValueError("not a connections document")
    except ValueError:
        # Keep the damaged file for inspection instead of silently overwriting it later.
        broken = path.with_suffix(".json.broken")
        os.replace(path, broken)
        log.warning("Saved connections file %s was unreadable; moved it to %s", path, broken)
        return {"version": _FILE_VERSION, "last": None, "connections": []}
    return document


def _write_document(document: dict[str, Any]) -> None:
    path = _file()
    # Write-then-rename so a crash never leaves a half-written file.
    handle, temporary = tempfile.mkstemp(prefix=".connections-", suffix=".json", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(document, stream, indent=2, ensure_ascii=False)
            stream.write("\n")
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _parse(entry: Any) -> Connection | None:
    if not isinstance(entry, dict):
        return None
    fields = ("name", "base_url", "project", "datasource")
    if not all(isinstance(entry.get(name), str) for name in fields):
        return None
    return Connection(*(str(entry[name]) for name in fields))


def load_connections() -> list[Connection]:
    """Every saved connection, in the order they were first saved."""
    connections = []
    for entry in _read_document()["connections"]:
        connection = _parse(entry)
        if connection is None:
            log.warning("Ignoring a malformed saved connection entry")
            continue
        connections.append(connection)
    return connections


def save_connection(connection: Connection, *, make_last: bool = True) -> None:
    """Add or replace (by name) ``connection``; ``make_last`` makes it the preselected one."""
    if not connection.name.strip():
        raise ValueError("A saved connection needs a name.")
    document = _read_document()
    entries = [entry for entry in document["connections"] if _parse(entry) is not None]
    replaced = False
    for index, entry in enumerate(entries):
        if entry["name"] == connection.name:
            entries[index] = asdict(connection)
            replaced = True
    if not replaced:
        entries.append(asdict(connection))
    document["connections"] = entries
    document["version"] = _FILE_VERSION
    if make_last:
        document["last"] = connection.name
    _write_document(document)


def delete_connection(name: str) -> None:
    """Forget the connection and its keychain token (missing ones are fine)."""
    document = _read_document()
    document["connections"] = [
        entry for entry in document["connections"]
        if not (isinstance(entry, dict) and entry.get("name") == name)
    ]
    if document.get("last") == name:
        document["last"] = None
    _write_document(document)
    if keychain_available():
        import keyring
        import keyring.errors

        try:
            keyring.delete_password(KEYRING_SERVICE, name)
        except keyring.errors.PasswordDeleteError:
            pass  # there was no token saved for it
        except keyring.errors.KeyringError:
            log.warning("Could not remove the saved token of connection %r", name)


def last_connection() -> Connection | None:
    """The connection used most recently, else the only/first saved one, else ``None``."""
    document = _read_document()
    connections = [c for c in map(_parse, document["connections"]) if c is not None]
    last = document.get("last")
    for connection in connections:
        if connection.name == last:
            return connection
    return connections[0] if connections else None


# The keychain each keyring backend module talks to, as the user knows it (not translated:
# these are product names).
_KEYCHAIN_NAMES = {
    "keyring.backends.SecretService": "Secret Service",
    "keyring.backends.libsecret": "Secret Service",
    "keyring.backends.kwallet": "KDE Wallet",
    "keyring.backends.macOS": "macOS Keychain",
    "keyring.backends.Windows": "Windows Credential Manager",
}


def _is_real_keychain(backend: object) -> bool:
    from keyring.backends.chainer import ChainerBackend

    if isinstance(backend, ChainerBackend):
        return any(_is_real_keychain(inner) for inner in ChainerBackend.backends)
    module = type(backend).__module__
    return not module.startswith(_NOT_A_KEYCHAIN_MODULES)


def _backend_name(backend: object) -> str:
    from keyring.backends.chainer import ChainerBackend

    if isinstance(backend, ChainerBackend):
        # The chainer asks its backends by priority: the first real one answers.
        names = [_backend_name(inner) for inner in ChainerBackend.backends
                 if _is_real_keychain(inner)]
        return names[0] if names else ""
    module = type(backend).__module__
    return _KEYCHAIN_NAMES.get(module, type(backend).__name__ if _is_real_keychain(backend)
                               else "")


def keychain_name() -> str:
    """The keychain tokens go to, as its user knows it ("Secret Service", "macOS Keychain",
    "Windows Credential Manager"); ``""`` when there is none."""
    import keyring
    import keyring.errors

    try:
        return _backend_name(keyring.get_keyring())
    except keyring.errors.KeyringError:
        return ""


def keychain_entry(connection_name: str) -> str:
    """Where a connection's token is kept, for messages: “Instasent Ingest Wizard / Shop”."""
    return f"“{KEYRING_SERVICE} / {connection_name}”"


def keychain_available() -> bool:
    """Whether tokens can be saved in an OS keychain on this machine."""
    import keyring
    import keyring.errors

    try:
        backend = keyring.get_keyring()
    except keyring.errors.KeyringError:
        return False
    return _is_real_keychain(backend)


def _unavailable(error: BaseException, *, saving: bool) -> KeychainUnavailable:
    """The sentence for a keychain call that failed; ``error`` comes from the backend and is
    named by its type only (its text is the backend's, in no language the user chose)."""
    import keyring.errors

    #: Stands in the sentences below for a keychain whose name is not known.
    name = keychain_name() or translate("Keychain", "unknown")
    if isinstance(error, keyring.errors.KeyringLocked):
        template = (
            translate("Keychain", "The system keychain ({keychain}) is locked, so the API token "
                      "was not saved. It will be kept in memory until you close the app.")
            if saving else
            translate("Keychain", "The system keychain ({keychain}) is locked, so the saved API "
                      "token could not be read. Unlock it and try again, or paste the token: it "
                      "will be kept in memory until you close the app."))
        return KeychainUnavailable(fill(template, keychain=name), keychain=name, locked=True)
    template = (
        translate("Keychain", "The system keychain ({keychain}) refused to save the API token "
                  "({error}). It will be kept in memory until you close the app.")
        if saving else
        translate("Keychain", "The system keychain ({keychain}) could not be read ({error}). "
                  "Paste the token: it will be kept in memory until you close the app."))
    return KeychainUnavailable(fill(template, keychain=name, error=type(error).__name__),
                               keychain=name)


def store_token(connection_name: str, token: str) -> None:
    """Save ``token`` in the keychain.

    Raises :class:`KeychainUnavailable` when there is no keychain, or it is locked or fails.
    """
    if not keychain_available():
        raise KeychainUnavailable()
    import keyring

    try:
        keyring.set_password(KEYRING_SERVICE, connection_name, token)
    except Exception as error:  # a backend is plug-in code: any failure means "not saved"
        raise _unavailable(error, saving=True) from None


def read_token(connection_name: str) -> str | None:
    """The saved token, or ``None`` when the keychain answered and holds none for it.

    Raises :class:`KeychainUnavailable` when there is no keychain, or it is locked or fails,
    so the caller can say where it looked.
    """
    if not keychain_available():
        raise KeychainUnavailable()
    import keyring

    try:
        return keyring.get_password(KEYRING_SERVICE, connection_name)
    except Exception as error:  # a backend is plug-in code: any failure means "not read"
        log.warning("Could not read the saved token of connection %r (%s)", connection_name,
                    type(error).__name__)
        raise _unavailable(error, saving=False) from None
