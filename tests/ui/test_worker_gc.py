"""Cyclic garbage collection stays on the GUI thread while a task's worker runs Python.

PySide6 6.12 crashes when a collection started on another thread walks the wrappers of a
widget tree the GUI thread is destroying (shiboken lets go of the GIL halfway through, while a
layout's wrapper still lists a freed child): a segmentation fault "Garbage-collecting" on the
worker, seen about once in five runs of tests/ui when one test's window was deleted while the
next test's file was loading. ``ingest_gui.ui.workers.GuiThreadCollections`` is the remedy.
"""

from __future__ import annotations

import gc
import threading
import weakref
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import QWidget

from ingest_gui.core.cancel import CancelToken
from ingest_gui.ui.pages.file import FilePage
from ingest_gui.ui.session import WizardSession
from ingest_gui.ui.workers import BackgroundTask, gui_thread_collections

pytestmark = pytest.mark.gui

WAIT_MS = 15_000


class Node:
    """One link of a reference cycle: only the cyclic collector frees it."""

    def __init__(self) -> None:
        self.me = self


def churn(started: threading.Event, until: threading.Event,
          dropped: list[weakref.ref[Node]]) -> Any:
    """Work for a task: allocate cyclic garbage (enough to pass the collector's first threshold
    many times a second) until ``until`` is set. The short waits let go of the GIL often, as
    real work does, so the GUI thread is not starved (and the worker is often waiting to take
    the GIL back: the moment the crash needs)."""

    def work(cancel: CancelToken, report: Any) -> int:
        rounds = 0
        started.set()
        while not until.wait(0.0005):
            garbage = [Node() for _ in range(500)]
            if len(dropped) < 50:
                dropped.append(weakref.ref(garbage[0]))
            del garbage
            rounds += 1
        return rounds

    return work


@pytest.fixture
def collection_threads() -> Iterator[list[threading.Thread]]:
    """The thread each garbage collection starts on, from here to the end of the test."""
    threads: list[threading.Thread] = []

    def record(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            threads.append(threading.current_thread())

    gc.callbacks.append(record)
    yield threads
    gc.callbacks.remove(record)


def test_while_a_task_runs_only_the_gui_thread_collects(qtbot, collection_threads):
    assert gc.isenabled()
    started, until = threading.Event(), threading.Event()
    dropped: list[weakref.ref[Node]] = []
    task = BackgroundTask(churn(started, until, dropped))
    task.start()
    try:
        assert started.wait(10)
        # The worker's cyclic garbage is still collected while it runs, by the GUI thread.
        qtbot.waitUntil(lambda: len(dropped) >= 10 and all(ref() is None for ref in dropped[:10]),
                        timeout=WAIT_MS)
    finally:
        until.set()
        with qtbot.waitSignal(task.finished, timeout=WAIT_MS):
            pass
    assert collection_threads, "nothing was collected"
    assert all(thread is threading.main_thread() for thread in collection_threads), {
        thread.name for thread in collection_threads}
    assert gc.isenabled()  # automatic collection is back once no task runs
    assert not gui_thread_collections.active


def test_the_collector_is_handed_back_only_when_the_last_task_ends(qtbot):
    events = [threading.Event() for _ in range(2)]
    tasks = [BackgroundTask(lambda cancel, report, event=event: event.wait(10))
             for event in events]
    for task in tasks:
        task.start()
    events[0].set()
    with qtbot.waitSignal(tasks[0].finished, timeout=WAIT_MS):
        pass
    assert not gc.isenabled()  # the second task's worker still runs Python
    events[1].set()
    assert tasks[1].wait(WAIT_MS)  # a window closing waits without delivering ``finished``
    assert gc.isenabled()
    with qtbot.waitSignal(tasks[1].finished, timeout=WAIT_MS):
        pass
    assert gc.isenabled()
    assert not gui_thread_collections.active


def test_pages_destroyed_while_a_worker_allocates_do_not_crash(qtbot, collection_threads):
    """The crash itself: File pages deleted (as a closed window is) while a worker makes
    garbage. Before the fix this died of a segmentation fault (6 runs in 6, each within
    a second)."""
    started, until = threading.Event(), threading.Event()
    task = BackgroundTask(churn(started, until, []))
    task.start()
    destroyed: list[int] = []
    pages = 150
    try:
        assert started.wait(10)
        for number in range(pages):
            page = FilePage(WizardSession())
            page.show()
            page.destroyed.connect(lambda _obj=None, number=number: destroyed.append(number))
            page.deleteLater()
            del page
            qtbot.waitUntil(lambda number=number: number in destroyed, timeout=WAIT_MS)
    finally:
        until.set()
        with qtbot.waitSignal(task.finished, timeout=WAIT_MS):
            pass
    assert destroyed == list(range(pages))
    assert all(thread is threading.main_thread() for thread in collection_threads)


def test_the_teardown_helper_destroys_deleted_windows(destroy_deleted_objects):
    """What conftest's teardown relies on to destroy each test's windows before the next test
    starts work: pytest-qt's ``deleteLater`` plus ``processEvents`` destroys nothing yet."""
    destroyed: list[bool] = []
    window = QWidget()
    window.destroyed.connect(lambda *_args: destroyed.append(True))
    window.show()
    window.close()
    window.deleteLater()
    del window
    QEventLoop().processEvents()
    assert destroyed == []
    destroy_deleted_objects()
    assert destroyed == [True]
