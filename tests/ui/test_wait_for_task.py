"""wait_for_task: how pages stop their background work when left or when the window closes."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from PySide6.QtCore import QTimer

from ingest_gui.core.cancel import CancelToken
from ingest_gui.ui.widgets.common import wait_for_task
from ingest_gui.ui.workers import BackgroundTask

pytestmark = pytest.mark.gui

WAIT_MS = 10_000


def recorded(task: BackgroundTask) -> list[str]:
    """The task's outcome signals, in the order the GUI thread received them."""
    seen: list[str] = []
    task.succeeded.connect(lambda value: seen.append(f"succeeded {value}"))
    task.cancelled.connect(lambda: seen.append("cancelled"))
    task.failed.connect(lambda message: seen.append(f"failed {message}"))
    task.finished.connect(lambda: seen.append("finished"))
    return seen


def test_cancelling_delivers_the_outcome_before_returning(qtbot: Any) -> None:
    started = threading.Event()

    def work(cancel: CancelToken, report: Any) -> None:
        started.set()
        while not cancel.is_cancelled:  # work in slices, checking between them
            pass

    task = BackgroundTask(work)
    seen = recorded(task)
    task.start()
    assert started.wait(WAIT_MS / 1000)
    assert wait_for_task(task, cancel=True, timeout_ms=WAIT_MS)
    # No further event processing: the handlers already ran, so the page's state is settled.
    assert seen == ["cancelled", "finished"]
    assert not task.is_running


def test_the_gui_keeps_running_while_waiting(qtbot: Any) -> None:
    """Timers fire and queued progress arrives during the wait: here the work can only end
    because a GUI-thread timer releases it, so a wait that blocked the GUI thread (as
    BackgroundTask.cancel_and_wait does) would time out instead."""
    released = threading.Event()

    def work(cancel: CancelToken, report: Any) -> str:
        report("batch in flight")
        if not released.wait(WAIT_MS / 1000):
            raise TimeoutError("the GUI thread never ran the timer")
        return "result"

    task = BackgroundTask(work)
    seen = recorded(task)
    progress: list[object] = []
    task.progressed.connect(progress.append)
    QTimer.singleShot(50, released.set)
    task.start()
    # cancel=False: the work is stopped another way and its result must still arrive.
    assert wait_for_task(task, cancel=False, timeout_ms=WAIT_MS)
    assert progress == ["batch in flight"]
    assert seen == ["succeeded result", "finished"]


def test_gives_up_after_the_timeout(qtbot: Any) -> None:
    release = threading.Event()

    def work(cancel: CancelToken, report: Any) -> None:
        release.wait(WAIT_MS / 1000)  # ignores cancel, like a request stuck on the network

    task = BackgroundTask(work)
    seen = recorded(task)
    task.start()
    assert not wait_for_task(task, cancel=True, timeout_ms=50)
    assert seen == []
    release.set()
    assert wait_for_task(task, cancel=True, timeout_ms=WAIT_MS)
    assert seen == ["cancelled", "finished"]


def test_no_task_is_nothing_to_wait_for() -> None:
    assert wait_for_task(None, cancel=True)
