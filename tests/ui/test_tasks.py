"""PageTask: a page's background work with its outcome, busy state and clean-up in one place."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWizardPage

from ingest_gui.core.cancel import CancelToken
from ingest_gui.ui.tasks import PageTask, any_page_task_running, page_tasks, stop_page_tasks
from ingest_gui.ui.workers import BackgroundTask, gui_thread_collections

pytestmark = pytest.mark.gui

WAIT_MS = 10_000


class Page(QWizardPage):
    """A page with one task, one button it disables, and a record of what reached it."""

    def __init__(self) -> None:
        super().__init__()
        self.button = QPushButton("Go", self)
        QVBoxLayout(self).addWidget(self.button)
        self.task = PageTask(self, disables=(self.button,))
        self.seen: list[Any] = []
        self.result: object = None
        # What the wizard would see each time the page says its completeness changed.
        self.complete_changes: list[tuple[bool, object]] = []
        self.completeChanged.connect(
            lambda: self.complete_changes.append((self.task.is_running(), self.result)))

    def run(self, work: Any, **overrides: Any) -> None:
        callbacks: dict[str, Callable[..., object]] = {
            "on_success": self.succeeded,
            "on_failure": lambda message: self.seen.append(("failed", message)),
            "on_cancel": lambda: self.seen.append("cancelled"),
            "on_progress": lambda value: self.seen.append(("progress", value)),
            "cleanup": lambda: self.seen.append("cleanup"),
        }
        callbacks.update(overrides)
        self.task.start(work, **callbacks)

    def succeeded(self, value: object) -> None:
        self.result = value
        self.seen.append(("succeeded", value))

    def isComplete(self) -> bool:
        return not self.task.is_running() and self.result is not None


def waits_for(release: threading.Event, result: object = "done") -> Any:
    def work(cancel: CancelToken, report: Any) -> object:
        if not release.wait(WAIT_MS / 1000):
            raise TimeoutError("the test never released the work")
        return result

    return work


def until_cancelled(started: threading.Event) -> Any:
    def work(cancel: CancelToken, report: Any) -> None:
        started.set()
        for _ in range(WAIT_MS // 5):
            cancel.raise_if_cancelled()
            threading.Event().wait(0.005)
        raise TimeoutError("never cancelled")

    return work


def current_task(task: PageTask) -> BackgroundTask:
    running = task.current_task
    assert running is not None
    return running


@pytest.fixture
def page(qtbot: Any) -> Page:
    page = Page()
    qtbot.addWidget(page)
    return page


def test_success_reaches_the_page_and_busy_state_follows_the_run(qtbot: Any, page: Page) -> None:
    release = threading.Event()
    running: list[bool] = []
    page.task.running_changed.connect(running.append)
    page.run(waits_for(release, 42))
    assert page.task.is_running()
    assert not page.button.isEnabled()
    assert not page.isComplete()
    assert running == [True]
    assert page.complete_changes == [(True, None)]
    release.set()
    qtbot.waitUntil(lambda: "cleanup" in page.seen, timeout=WAIT_MS)
    assert page.seen == [("succeeded", 42), "cleanup"]
    assert not page.task.is_running()
    assert page.button.isEnabled()
    assert running == [True, False]
    # Told after the result was taken in, so the wizard enables Next at that moment.
    assert page.complete_changes[-1] == (False, 42)
    assert page.isComplete()


def test_a_failure_reaches_the_page_as_a_sentence(qtbot: Any, page: Page) -> None:
    def work(cancel: CancelToken, report: Any) -> None:
        raise ValueError("Row 3, column 'email': not an email address.")

    page.run(work)
    qtbot.waitUntil(lambda: "cleanup" in page.seen, timeout=WAIT_MS)
    assert page.seen == [("failed", "Row 3, column 'email': not an email address."), "cleanup"]
    assert not page.task.is_running()
    assert page.button.isEnabled()


def test_progress_arrives_on_the_gui_thread_before_the_outcome(qtbot: Any, page: Page) -> None:
    threads: list[threading.Thread] = []

    def work(cancel: CancelToken, report: Any) -> str:
        for step in (1, 2, 3):
            report(step)
        return "loaded"

    page.run(work, on_progress=lambda value: (page.seen.append(("progress", value)),
                                              threads.append(threading.current_thread())))
    qtbot.waitUntil(lambda: "cleanup" in page.seen, timeout=WAIT_MS)
    assert page.seen == [("progress", 1), ("progress", 2), ("progress", 3),
                         ("succeeded", "loaded"), "cleanup"]
    assert threads == [threading.main_thread()] * 3


def test_cancel_ends_in_on_cancel_and_stays_busy_until_then(qtbot: Any, page: Page) -> None:
    started = threading.Event()
    page.run(until_cancelled(started))
    assert started.wait(WAIT_MS / 1000)
    page.task.cancel()
    assert page.task.is_running()  # until the work has actually stopped
    qtbot.waitUntil(lambda: "cleanup" in page.seen, timeout=WAIT_MS)
    assert page.seen == ["cancelled", "cleanup"]
    assert not page.task.is_running()
    assert page.button.isEnabled()


@pytest.mark.parametrize("ending", ["returns", "raises"])
def test_after_cancel_the_outcome_is_cancelled_whatever_the_work_did(
        qtbot: Any, page: Page, ending: str) -> None:
    """Work that notices the cancel too late still returns (or fails): the user asked to stop."""
    started, release = threading.Event(), threading.Event()

    def work(cancel: CancelToken, report: Any) -> str:
        started.set()
        release.wait(WAIT_MS / 1000)
        if ending == "raises":
            raise OSError("The connection was reset.")
        return "finished anyway"

    page.run(work)
    assert started.wait(WAIT_MS / 1000)
    page.task.cancel()
    release.set()
    qtbot.waitUntil(lambda: "cleanup" in page.seen, timeout=WAIT_MS)
    assert page.seen == ["cancelled", "cleanup"]


def test_starting_again_supersedes_the_run_before(qtbot: Any, page: Page) -> None:
    first_release, second_release = threading.Event(), threading.Event()
    cleaned: list[str] = []
    page.run(waits_for(first_release, "first"), cleanup=lambda: cleaned.append("first"),
             on_progress=None)
    first = current_task(page.task)
    page.run(waits_for(second_release, "second"), cleanup=lambda: cleaned.append("second"))
    assert first.cancel_token.is_cancelled
    first_release.set()
    qtbot.waitUntil(lambda: cleaned == ["first"], timeout=WAIT_MS)
    assert page.seen == []  # the first run's outcome was dropped
    assert page.task.is_running()
    assert not page.button.isEnabled()
    second_release.set()
    qtbot.waitUntil(lambda: cleaned == ["first", "second"], timeout=WAIT_MS)
    assert page.seen == [("succeeded", "second")]
    assert not page.task.is_running()


def test_discard_drops_the_run_at_once(qtbot: Any, page: Page) -> None:
    release = threading.Event()
    page.run(waits_for(release))
    task = current_task(page.task)
    page.task.discard()
    assert not page.task.is_running()
    assert page.button.isEnabled()
    assert task.cancel_token.is_cancelled
    release.set()
    qtbot.waitUntil(lambda: "cleanup" in page.seen, timeout=WAIT_MS)
    assert page.seen == ["cleanup"]


def test_each_task_is_deleted_once_its_thread_has_ended(
        qtbot: Any, page: Page, destroy_deleted_objects: Any) -> None:
    deleted: list[bool] = []
    page.run(lambda cancel, report: "quick")
    current_task(page.task).destroyed.connect(lambda *_args: deleted.append(True))
    qtbot.waitUntil(lambda: "cleanup" in page.seen, timeout=WAIT_MS)
    destroy_deleted_objects()
    assert deleted == [True]
    assert QCoreApplication.instance().findChildren(BackgroundTask) == []
    assert not gui_thread_collections.active


def test_stop_cancels_every_run_and_settles_before_returning(qtbot: Any, page: Page) -> None:
    started_first, started_second = threading.Event(), threading.Event()
    page.run(until_cancelled(started_first))
    page.run(until_cancelled(started_second))  # the first is superseded but still running
    assert started_first.wait(WAIT_MS / 1000)
    assert started_second.wait(WAIT_MS / 1000)
    assert page.task.stop(WAIT_MS)
    # No waiting here: the outcome was delivered inside stop().
    # (The superseded run's outcome is dropped: only its clean-up shows.)
    assert page.seen == ["cleanup", "cancelled", "cleanup"]
    assert not page.task.is_running()
    ended: list[bool] = []
    page.task.call_when_ended(lambda: ended.append(True))
    assert ended == [True]  # nothing is left running


def test_wait_lets_the_run_finish_and_delivers_its_result(qtbot: Any, page: Page) -> None:
    release = threading.Event()
    page.run(waits_for(release, "all batches sent"))
    release.set()
    assert page.task.wait(WAIT_MS)
    assert page.seen == [("succeeded", "all batches sent"), "cleanup"]


def test_call_when_ended_waits_for_superseded_runs_too(qtbot: Any, page: Page) -> None:
    first_release, second_release = threading.Event(), threading.Event()
    page.run(waits_for(first_release))
    page.run(waits_for(second_release))
    ended: list[bool] = []
    page.task.call_when_ended(lambda: ended.append(True))
    second_release.set()
    qtbot.waitUntil(lambda: "cleanup" in page.seen, timeout=WAIT_MS)
    assert ended == []  # the superseded run may still be using what the callback releases
    first_release.set()
    qtbot.waitUntil(lambda: ended == [True], timeout=WAIT_MS)


def test_the_window_asks_and_stops_a_page_through_its_tasks(qtbot: Any, page: Page) -> None:
    other = PageTask(page.button)  # a widget's task counts as the page's
    assert set(page_tasks(page)) == {page.task, other}
    assert not any_page_task_running(page)
    started = threading.Event()
    other.start(until_cancelled(started))
    assert any_page_task_running(page)
    assert started.wait(WAIT_MS / 1000)
    assert stop_page_tasks(page, WAIT_MS)
    assert not any_page_task_running(page)


def test_a_page_destroyed_while_its_task_runs(qtbot: Any, destroy_deleted_objects: Any) -> None:
    """The work is cancelled, no callback reaches the dead page, and the task (with its
    thread) outlives the page until the thread has ended, then is deleted."""
    page = Page()
    started = threading.Event()
    page.run(until_cancelled(started))
    task = current_task(page.task)
    token = task.cancel_token
    task_deleted: list[bool] = []
    task.destroyed.connect(lambda *_args: task_deleted.append(True))
    seen = page.seen
    assert started.wait(WAIT_MS / 1000)
    page.deleteLater()
    del page
    destroy_deleted_objects()
    assert token.is_cancelled
    qtbot.waitUntil(lambda: task_deleted == [True], timeout=WAIT_MS)
    assert seen == []
    assert not gui_thread_collections.active
