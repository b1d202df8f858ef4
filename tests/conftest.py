"""Shared fixtures: offscreen Qt, an in-memory keyring, a private app home, the sandbox server."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import keyring
import keyring.backend
import pytest

if TYPE_CHECKING:
    from ingest_gui.sandbox.server import SandboxServer

# Before anything imports Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


class MemoryKeyring(keyring.backend.KeyringBackend):
    """Holds passwords in a dict: tests never touch the real OS keychain."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.passwords.pop((service, username), None)


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    backend = MemoryKeyring()
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def app_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own data/config/log folders (see ``ingest_gui.paths``)."""
    home = tmp_path_factory.mktemp("app-home")
    monkeypatch.setenv("INGEST_GUI_HOME", str(home))
    monkeypatch.delenv("INSTASENT_TOKEN", raising=False)
    return home


@pytest.fixture(autouse=True)
def no_leaked_threads() -> Iterator[None]:
    """Fail a test that leaves a non-daemon thread running (a worker, a pool)."""
    before = set(threading.enumerate())
    yield
    leaked = [
        thread for thread in threading.enumerate()
        if thread not in before and thread.is_alive() and not thread.daemon
    ]
    for thread in leaked:
        thread.join(timeout=5)
    still = [thread.name for thread in leaked if thread.is_alive()]
    assert not still, f"threads left running: {still}"


@pytest.fixture(scope="session")
def sandbox_server() -> Iterator[SandboxServer]:
    """One real sandbox server on a free loopback port for the whole session.

    Use the function-scoped ``sandbox`` fixture, which resets state, faults and limits.
    """
    from ingest_gui.sandbox.server import SandboxConfig, SandboxServer

    server = SandboxServer(SandboxConfig())
    server.start()
    yield server
    server.stop()


@pytest.fixture
def sandbox(sandbox_server: SandboxServer) -> Iterator[SandboxServer]:
    """The shared sandbox, empty, with no faults, no rate limit and answer shape A."""
    sandbox_server.reset()
    sandbox_server.set_faults(None)
    sandbox_server.set_rate_limit(None)
    sandbox_server.set_answer_shape("A")
    yield sandbox_server
    sandbox_server.set_faults(None)
    sandbox_server.set_rate_limit(None)
