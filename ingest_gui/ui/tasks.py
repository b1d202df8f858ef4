"""A page's background work, wired once: :class:`PageTask` (after Anki's ``CollectionOp``).

A page makes one ``PageTask`` per kind of work it runs (loading its file, testing a connection)
and calls :meth:`PageTask.start` with the work and what to do with its outcome::

    self.loading = PageTask(self, disables=(self.open_button,))
    ...
    self.loading.start(work, on_success=self._show_table, on_failure=self._show_error,
                       on_progress=self._show_progress, on_cancel=self._say_cancelled)

The helper owns everything around it, so pages never wire a :class:`BackgroundTask` by hand:

- **one current run**: starting again supersedes the run before (it is cancelled and its
  outcome dropped, as is a run :meth:`PageTask.discard` gave up on); only the current run's
  progress and outcome reach the page, and after :meth:`PageTask.cancel` its outcome is
  ``on_cancel`` whatever the work did;
- **busy state**: :meth:`PageTask.is_running` is True from ``start`` until the current run's
  outcome callback has run; while it runs the ``disables`` widgets are disabled, and each change
  emits :attr:`PageTask.running_changed` and, when the page is a ``QWizardPage``, its
  ``completeChanged`` (after the outcome callback, so ``isComplete`` sees the result);
- **clean-up**: each run's task is deleted once its thread has ended (``cleanup`` runs then, for
  superseded runs too, to release what the work built); :meth:`PageTask.stop` cancels and waits
  for every run still going (``cleanupPage``, closing the window: see :func:`stop_page_tasks`);
- **a page destroyed while work runs**: the runs are cancelled and their callbacks never called;
  each task keeps itself (and its thread) alive until the thread has ended, then deletes itself.

Callbacks are called on the GUI thread; the work runs on a worker thread and must not touch
widgets (see :mod:`ingest_gui.ui.workers`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal, Slot
from PySide6.QtWidgets import QWidget, QWizardPage

from ingest_gui.ui.workers import BackgroundTask, Describe, Work, describe_error, wait_for_task

log = logging.getLogger(__name__)


class _Run(QObject):
    """One start of a :class:`PageTask`: its task and callbacks. A child of the PageTask, so
    its slots (and the page callbacks behind them) die with the page."""

    def __init__(self, owner: PageTask, task: BackgroundTask,
                 on_success: Callable[[Any], object] | None,
                 on_failure: Callable[[str], object] | None,
                 on_cancel: Callable[[], object] | None,
                 on_progress: Callable[[Any], object] | None,
                 cleanup: Callable[[], object] | None) -> None:
        super().__init__(owner)
        self.owner = owner
        self.task = task
        self.on_success = on_success
        self.on_failure = on_failure
        self.on_cancel = on_cancel
        self.on_progress = on_progress
        self.cleanup = cleanup
        task.progressed.connect(self._progressed)
        task.succeeded.connect(self._succeeded)
        task.failed.connect(self._failed)
        task.cancelled.connect(self._cancelled)
        task.finished.connect(self._finished)
        token = task.cancel_token
        # The page is going (or this run is done, when cancelling is harmless): stop the work.
        self.destroyed.connect(lambda *_args: token.cancel())

    @property
    def is_current(self) -> bool:
        return self.owner._current is self

    @Slot(object)
    def _progressed(self, value: Any) -> None:
        if self.is_current and not self.task.cancel_token.is_cancelled and self.on_progress:
            self.on_progress(value)

    @Slot(object)
    def _succeeded(self, value: Any) -> None:
        if self.is_current:
            self.owner._settle(self.on_success, value)

    @Slot(str)
    def _failed(self, message: str) -> None:
        if not self.is_current:
            return
        if self.task.cancel_token.is_cancelled:  # the user asked it to stop: that is the news
            self.owner._settle(self.on_cancel)
        elif self.on_failure is None:
            log.warning("Background work failed: %s", message)
            self.owner._settle(None)
        else:
            self.owner._settle(self.on_failure, message)

    @Slot()
    def _cancelled(self) -> None:
        if self.is_current:
            self.owner._settle(self.on_cancel)

    @Slot()
    def _finished(self) -> None:
        if self.is_current:  # ended without an outcome reaching us: still not busy any more
            self.owner._settle(None)
        try:
            if self.cleanup is not None:
                self.cleanup()
        finally:
            self.owner._run_ended(self)


class PageTask(QObject):
    """One kind of background work of a page, run any number of times, one run at a time.

    Args:
        page: the page (or widget) the work belongs to; the PageTask is its child.
        disables: widgets disabled while a run is current (and enabled otherwise: do not list
            a widget whose enabled state also depends on something else).
        describe: turns the work's exceptions into the sentence given to ``on_failure``.

    Signals:
        running_changed(bool): :meth:`is_running` changed.
    """

    running_changed = Signal(bool)

    def __init__(self, page: QWidget, *, disables: Iterable[QWidget] = (),
                 describe: Describe = describe_error) -> None:
        super().__init__(page)
        self._page = page
        self._disables = tuple(disables)
        self._describe = describe
        self._current: _Run | None = None
        self._runs: list[_Run] = []  # every run whose thread has not ended, superseded too
        self._shown_running = False
        self._when_ended: list[tuple[set[_Run], Callable[[], object]]] = []

    # -- starting and stopping ----------------------------------------------------------------
    def start(self, work: Work, *,
              on_success: Callable[[Any], object] | None = None,
              on_failure: Callable[[str], object] | None = None,
              on_cancel: Callable[[], object] | None = None,
              on_progress: Callable[[Any], object] | None = None,
              cleanup: Callable[[], object] | None = None) -> None:
        """Run ``work(cancel, report)`` on a worker thread; any current run is superseded.

        Exactly one of ``on_success(result)``, ``on_failure(message)`` or ``on_cancel()`` is
        called for this run unless it is superseded, discarded or the page is destroyed first
        (a missing ``on_failure`` leaves the message to the log); ``on_progress(value)`` gets
        what ``work`` passed to ``report``. ``cleanup()`` is called once the run's thread has
        ended, whatever became of the run (not if the page was destroyed).
        """
        self._drop_current()
        # Parented to the application, not the page: a task must outlive a page destroyed
        # while its thread runs (a running QThread destroyed aborts the process); it deletes
        # itself once the thread has ended.
        task = BackgroundTask(work, QCoreApplication.instance(), describe=self._describe)
        task.finished.connect(task.deleteLater)
        run = _Run(self, task, on_success, on_failure, on_cancel, on_progress, cleanup)
        self._runs.append(run)
        self._current = run
        self._show_state()
        task.start()

    def is_running(self) -> bool:
        """True from :meth:`start` until the current run's outcome has been handled."""
        return self._current is not None

    def cancel(self) -> None:
        """Ask the current run to stop; ``on_cancel`` follows once it has (still busy till then)."""
        if self._current is not None:
            self._current.task.cancel()

    def discard(self) -> None:
        """Give up on the current run now: it is cancelled, none of its callbacks but
        ``cleanup`` is called, and the PageTask is no longer running."""
        if self._drop_current():
            self._show_state()

    @property
    def current_task(self) -> BackgroundTask | None:
        """The current run's task (for tests; pages need not touch it)."""
        return None if self._current is None else self._current.task

    def stop(self, timeout_ms: int = 30_000) -> bool:
        """Cancel every run still going, superseded ones too, and wait for their threads while
        the window keeps painting; their outcomes are handled before this returns. For
        ``cleanupPage`` and closing the window. True if all ended in time."""
        return self._wait_all(cancel=True, timeout_ms=timeout_ms)

    def wait(self, timeout_ms: int = 30_000) -> bool:
        """Like :meth:`stop` without cancelling: for work stopped another way (the upload's
        ``UploadControl`` lets its batches in flight finish and still delivers a result)."""
        return self._wait_all(cancel=False, timeout_ms=timeout_ms)

    def call_when_ended(self, callback: Callable[[], object]) -> None:
        """Call ``callback`` once the threads of every run started so far have ended (now, if
        none is going): e.g. to close a client they may still be using."""
        pending = set(self._runs)
        if pending:
            self._when_ended.append((pending, callback))
        else:
            callback()

    def _drop_current(self) -> bool:
        run, self._current = self._current, None
        if run is None:
            return False
        run.task.cancel()
        return True

    def _wait_all(self, *, cancel: bool, timeout_ms: int) -> bool:
        ended = True
        for run in list(self._runs):
            if run in self._runs:  # (not ended meanwhile, while an earlier one was waited for)
                ended = wait_for_task(run.task, cancel=cancel, timeout_ms=timeout_ms) and ended
        return ended

    # -- called by the runs --------------------------------------------------------------------
    def _settle(self, callback: Callable[..., object] | None, *args: Any) -> None:
        """The current run's outcome: not running any more, then ``callback(*args)``, then
        the busy state shown (the callback may have started the next run)."""
        self._current = None
        try:
            if callback is not None:
                callback(*args)
        finally:
            self._show_state()

    def _run_ended(self, run: _Run) -> None:
        if run in self._runs:
            self._runs.remove(run)
        run.deleteLater()
        waiting = self._when_ended
        self._when_ended = []
        for pending, callback in waiting:
            pending.discard(run)
            if pending:
                self._when_ended.append((pending, callback))
            else:
                callback()

    def _show_state(self) -> None:
        running = self.is_running()
        if running != self._shown_running:
            self._shown_running = running
            for widget in self._disables:
                widget.setEnabled(not running)
            self.running_changed.emit(running)
        if isinstance(self._page, QWizardPage):
            self._page.completeChanged.emit()


def page_tasks(page: QObject) -> list[PageTask]:
    """The page's PageTasks (its children and its widgets')."""
    return page.findChildren(PageTask)


def any_page_task_running(page: QObject) -> bool:
    """The window's "is this page busy?" question."""
    return any(task.is_running() for task in page_tasks(page))


def stop_page_tasks(page: QObject, timeout_ms: int = 30_000) -> bool:
    """Cancel and wait for all of the page's work (the window is closing). True if it ended."""
    ended = True
    for task in page_tasks(page):
        ended = task.stop(timeout_ms) and ended
    return ended


__all__ = ["PageTask", "any_page_task_running", "page_tasks", "stop_page_tasks"]
