"""Saved connections, shared by the wizard and the command line.

SKELETON — types and signatures are the contract; bodies are being written.

Ids live in ``paths.config_dir()/connections.json`` (Qt-free so ``ingest-gui import`` can read
them); the token lives only in the OS keychain (keyring service ``KEYRING_SERVICE``, user name =
connection name). When no keychain backend exists, :class:`KeychainUnavailable` is raised and the
caller keeps the token for the session only.
"""

from __future__ import annotations

from dataclasses import dataclass

KEYRING_SERVICE = "Instasent Ingest Wizard"


class KeychainUnavailable(Exception):
    """No usable OS keychain; the message says what to do."""


@dataclass(frozen=True, slots=True)
class Connection:
    name: str
    base_url: str
    project: str
    datasource: str


def load_connections() -> list[Connection]:
    raise NotImplementedError


def save_connection(connection: Connection, *, make_last: bool = True) -> None:
    raise NotImplementedError


def delete_connection(name: str) -> None:
    raise NotImplementedError


def last_connection() -> Connection | None:
    raise NotImplementedError


def keychain_available() -> bool:
    raise NotImplementedError


def store_token(connection_name: str, token: str) -> None:
    """Raises :class:`KeychainUnavailable` when there is no keychain."""
    raise NotImplementedError


def read_token(connection_name: str) -> str | None:
    raise NotImplementedError
