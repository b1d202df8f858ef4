"""The first window opens without the heavy libraries: they load later, on worker threads.

Loading pandas, pyarrow, numpy, httpx or keyring's backends takes a good part of the packaged
app's start (issue 7: cold start to the first window ≤ 1.5 s). The start runs in a fresh
interpreter (``python -m ingest_gui`` with no arguments), up to the moment the event loop would
start with the window shown, and reports which of them were imported by then.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib.util import find_spec
from pathlib import Path

import pytest

#: Libraries the first window must not wait for.
HEAVY = ("pandas", "pyarrow", "numpy", "httpx", "keyring")

_START = """
import json, sys
from PySide6.QtWidgets import QApplication

def stop_at_event_loop(*args):
    windows = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    heavy = sorted({name.split(".")[0] for name in sys.modules} & set(json.loads(sys.argv[1])))
    print(json.dumps({"windows": [type(w).__name__ for w in windows], "heavy": heavy}))
    return 0

QApplication.exec = stop_at_event_loop  # the start goes as far as the event loop, no further
from ingest_gui.__main__ import main
sys.exit(main([]))
"""


def test_heavy_libraries_are_installed():
    """Else the check below would pass for the wrong reason."""
    assert [name for name in HEAVY if find_spec(name) is None] == []


def test_the_first_window_opens_without_the_heavy_libraries(tmp_path: Path) -> None:
    environment = dict(os.environ, QT_QPA_PLATFORM="offscreen",
                       INGEST_GUI_HOME=str(tmp_path / "home"))
    run = subprocess.run([sys.executable, "-c", _START, json.dumps(HEAVY)], env=environment,
                         capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout.strip().splitlines()[-1])
    assert report["windows"] == ["IngestWizard"]
    assert report["heavy"] == [], (
        f"imported before the first window: {report['heavy']} (import them where they are "
        "used, on a worker thread)")


@pytest.mark.parametrize("module", ["ingest_gui.ui.models.problems", "ingest_gui.ui.pages.check",
                                    "ingest_gui.ui.pages.connect", "ingest_gui.api.urls"])
def test_a_start_module_alone_imports_none_of_them(module: str) -> None:
    """Pins the culprits found before: each of these used to load numpy or httpx by itself."""
    code = (f"import json, sys; import {module}; "
            f"print(json.dumps(sorted({{n.split('.')[0] for n in sys.modules}} & {set(HEAVY)!r})))")
    run = subprocess.run([sys.executable, "-c", code],
                         env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
                         capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout.strip().splitlines()[-1]) == []
