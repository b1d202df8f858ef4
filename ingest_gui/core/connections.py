"""Saved connections, shared by the wizard and the command line.

Ids live in ``paths.config_dir()/connections.json`` (Qt-free so ``ingest-gui import`` can read
them); the token lives only in the OS keychain (keyring service ``KEYRING_SERVICE``, user name =
connection name). When no keychain backend exists, :class:`KeychainUnavailable` is raised and the
caller keeps the token for the session only.

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

KEYRING_SERVICE = "Instasent Ingest Wizard"
CONNECTIONS_FILE = "connections.json"
_FILE_VERSION = 1

#: Backends that exist but are no OS keychain: they fail every call or silently keep nothing,
#: or (keyrings.alt) write secrets to plain files. Matched by module name so we never import them.
_NOT_A_KEYCHAIN_MODULES = ("keyring.backends.fail", "keyring.backends.null", "keyrings.alt")

log = logging.getLogger(__name__)


class KeychainUnavailable(Exception):
    """No usable OS keychain; the message says what to do."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(
            message
            or "No system keychain is available on this computer, so the API token cannot be "
            "saved. It will be kept in memory until you close the app; you will need to enter "
            "it again next time."
        )


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


def _is_real_keychain(backend: object) -> bool:
    from keyring.backends.chainer import ChainerBackend

    if isinstance(backend, ChainerBackend):
        return any(_is_real_keychain(inner) for inner in ChainerBackend.backends)
    module = type(backend).__module__
    return not module.startswith(_NOT_A_KEYCHAIN_MODULES)


def keychain_available() -> bool:
    """Whether tokens can be saved in an OS keychain on this machine."""
    import keyring
    import keyring.errors

    try:
        backend = keyring.get_keyring()
    except keyring.errors.KeyringError:
        return False
    return _is_real_keychain(backend)


def store_token(connection_name: str, token: str) -> None:
    """Raises :class:`KeychainUnavailable` when there is no keychain."""
    if not keychain_available():
        raise KeychainUnavailable()
    import keyring
    import keyring.errors

    try:
        keyring.set_password(KEYRING_SERVICE, connection_name, token)
    except keyring.errors.KeyringError as error:
        # The error text comes from the backend; it never contains the password.
        raise KeychainUnavailable(
            "The system keychain refused to save the API token "
            f"({type(error).__name__}). It will be kept in memory until you close the app."
        ) from None


def read_token(connection_name: str) -> str | None:
    """The saved token, or ``None`` when none is saved or there is no keychain."""
    if not keychain_available():
        return None
    import keyring
    import keyring.errors

    try:
        return keyring.get_password(KEYRING_SERVICE, connection_name)
    except keyring.errors.KeyringError:
        log.warning("Could not read the saved token of connection %r", connection_name)
        return None
