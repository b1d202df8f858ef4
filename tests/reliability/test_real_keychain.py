"""Issue 19, item 1: the token in a real keychain (GNOME Keyring over Secret Service, each app
session in its own process and D-Bus session; see ``keychain_scenarios.py``).

1. Save: the token typed on the Connect page goes to the keychain (libsecret's ``secret-tool``
   reads it back).
2. Restart: keyring daemon, D-Bus and app all new; the Connect page fills the token in and the
   connection works, and the command line finds the token too.
3. Locked: the keyring daemon runs but the keyring is never unlocked; the reader names the
   locked keychain and the command line says so.

After all three, the token is in no file under the app's folders, nor anywhere in the fake home
the keyring daemon wrote to (its keyring file is encrypted).

Without ``dbus-run-session``, ``gnome-keyring-daemon`` and ``secret-tool`` (a developer's
laptop, Windows, macOS), the test is skipped and ``-ra`` prints why.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from ingest_gui.sandbox.server import SandboxConfig, SandboxServer
from tests.reliability.keychain_support import keyring_environment, missing_tools, skip_reason
from tests.reliability.secrets_support import TOKEN, files_under, secret_hits

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(bool(missing_tools()), reason=skip_reason())


@pytest.fixture
def secret_sandbox() -> Iterator[SandboxServer]:
    """One sandbox for every session of the test, accepting only :data:`TOKEN`."""
    with SandboxServer(SandboxConfig(token=TOKEN, rate_limit=None)) as server:
        yield server


def _session(scenario: str, environment: dict[str, str], *, unlock: bool) -> None:
    """One app session in a fresh process and a fresh D-Bus session."""
    command = ["dbus-run-session", "--", sys.executable, "-m",
               "tests.reliability.keychain_scenarios", scenario]
    if unlock:
        command.append("--unlock")
    process = subprocess.run(command, cwd=ROOT, env=environment, capture_output=True,
                             text=True, timeout=240, check=False)
    assert process.returncode == 0, (
        f"scenario {scenario!r} failed ({process.returncode}):\n{process.stdout}\n"
        f"{process.stderr}")
    assert TOKEN not in process.stdout + process.stderr


@pytest.mark.slow
def test_the_token_lives_in_the_real_keychain_and_survives_a_restart(
    tmp_path: Path, secret_sandbox: SandboxServer
) -> None:
    fake_home = tmp_path / "home"
    app_home = tmp_path / "app"
    environment = keyring_environment(
        fake_home, PYTHONPATH=str(ROOT), KEYCHAIN_SCENARIO_HOME=str(app_home),
        KEYCHAIN_SCENARIO_SANDBOX=secret_sandbox.base_url)

    _session("save", environment, unlock=True)
    keyrings = fake_home / "data" / "keyrings"
    assert any(path.suffix == ".keyring" for path in files_under(keyrings)), (
        "the keyring daemon wrote no keyring file: the token went somewhere else")
    _session("restart", environment, unlock=True)
    _session("locked", environment, unlock=False)

    assert len(secret_sandbox.state()["contacts"]) == 20  # the command line's import arrived
    written = {path.name for path in files_under(app_home)}
    assert {"connections.json", "journal.sqlite3", "ingest-gui.log"} <= written
    assert secret_hits(app_home, [TOKEN]) == []
    assert secret_hits(fake_home, [TOKEN]) == []
