"""Issue 19, fault 1: closing the wizard while the keychain is still asking the user to unlock
it (the system's prompt left unanswered) must close the window at once and end the process
cleanly; it used to freeze for 30 s, then abort ("QThread: Destroyed while thread ... is still
running").

Run in a fresh process, because the fault aborts the interpreter. The keychain is a keyring
backend whose read never returns, as a read waiting on an unanswered unlock prompt does.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
#: Well under the 30 s the window used to wait for the blocked read before aborting.
CLOSE_LIMIT_S = 15

_SCENARIO = r"""
import sys
import threading

import keyring
import keyring.backend

asked = threading.Event()


class UnansweredPrompt(keyring.backend.KeyringBackend):
    priority = 1

    def get_password(self, service, username):
        asked.set()
        threading.Event().wait()  # the unlock prompt nobody answers

    def set_password(self, service, username, password):
        threading.Event().wait()

    def delete_password(self, service, username):
        pass


keyring.set_keyring(UnansweredPrompt())
from ingest_gui.core import connections

connections.save_connection(connections.Connection("Shop", "https://example.invalid/v1", "p",
                                                   "d"))
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from ingest_gui.ui.wizard import IngestWizard

app = QApplication([])
window = IngestWizard()
window.show()


def close_once_blocked():
    if not asked.is_set():
        QTimer.singleShot(20, close_once_blocked)
        return
    print("read blocked; closing", flush=True)
    window.close()
    app.quit()


QTimer.singleShot(0, close_once_blocked)
code = app.exec()
print("closed", flush=True)
sys.exit(code)
"""


@pytest.mark.gui
def test_closing_while_the_keychain_prompt_is_open_closes_at_once(tmp_path: Path) -> None:
    environment = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen",
                       INGEST_GUI_HOME=str(tmp_path / "home"))
    process = subprocess.run([sys.executable, "-c", _SCENARIO], cwd=ROOT, env=environment,
                             capture_output=True, text=True, timeout=CLOSE_LIMIT_S, check=False)
    assert "read blocked; closing" in process.stdout, process.stderr
    assert process.returncode == 0, process.stderr
    assert "closed" in process.stdout
    assert "QThread: Destroyed" not in process.stderr
