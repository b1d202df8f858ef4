"""BackgroundTask: results, failures, cancellation and closing while busy, on a real QThread."""

from __future__ import annotations

import logging
import threading
from typing import Any

import pytest

from ingest_gui.core.cancel import CancelToken
from ingest_gui.ui.workers import BackgroundTask

pytestmark = pytest.mark.gui


def test_result_and_progress_arrive_on_the_gui_thread(qtbot: Any) -> None:
    seen_threads: list[threading.Thread] = []

    def work(cancel: CancelToken, report: Any) -> int:
        for step in range(3):
            report(step)
        return 42

    task = BackgroundTask(work)
    progress: list[object] = []
    task.progressed.connect(lambda value: (progress.append(value),
                                           seen_threads.append(threading.current_thread())))
    with (
        qtbot.waitSignal(task.finished, timeout=10_000),
        qtbot.waitSignal(task.succeeded, timeout=10_000) as succeeded,
    ):
        task.start()
    assert succeeded.args == [42]
    assert progress == [0, 1, 2]
    assert all(thread is threading.main_thread() for thread in seen_threads)


def test_exceptions_become_human_failures(qtbot: Any) -> None:
    def work(cancel: CancelToken, report: Any) -> None:
        raise ValueError("The file has no rows.")

    task = BackgroundTask(work)
    with qtbot.waitSignal(task.failed, timeout=10_000) as failed:
        task.start()
    assert failed.args == ["The file has no rows."]
    assert task.wait(10_000)


def test_cancel_and_wait_returns_promptly_while_the_gui_thread_blocks(qtbot: Any) -> None:
    """Closing the window blocks the GUI thread in wait(): the thread must still end."""
    started = threading.Event()

    def work(cancel: CancelToken, report: Any) -> None:
        started.set()
        while True:
            cancel.raise_if_cancelled()
            threading.Event().wait(0.01)

    task = BackgroundTask(work)
    task.start()
    assert started.wait(10)
    assert task.cancel_and_wait(10_000)
    with qtbot.waitSignal(task.cancelled, timeout=10_000):
        pass


def run_failing(qtbot: Any, error: BaseException) -> str:
    def work(cancel: CancelToken, report: Any) -> None:
        raise error

    task = BackgroundTask(work)
    with qtbot.waitSignal(task.failed, timeout=10_000) as failed:
        task.start()
    assert task.wait(10_000)
    return str(failed.args[0])


def test_a_system_file_error_becomes_a_sentence_logged_without_traceback(qtbot: Any,
                                                                         caplog: Any) -> None:
    caplog.set_level(logging.INFO, logger="ingest_gui")
    message = run_failing(qtbot, PermissionError(13, "Permission denied", "/data/clientes.csv"))
    assert "Errno" not in message
    assert "Permission denied" not in message
    assert '"clientes.csv"' in message
    records = [record for record in caplog.records if record.name.startswith("ingest_gui")]
    assert [record.levelno for record in records] == [logging.WARNING]
    assert records[0].exc_info is None
    assert "\n" not in records[0].getMessage()


def test_an_unexpected_error_keeps_its_traceback_in_the_log(qtbot: Any, caplog: Any) -> None:
    caplog.set_level(logging.INFO, logger="ingest_gui")
    message = run_failing(qtbot, RuntimeError("a bug"))
    assert "RuntimeError" in message
    errors = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert len(errors) == 1
    assert errors[0].exc_info is not None
