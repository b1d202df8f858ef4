"""Run a core function off the GUI thread: one worker object moved to a ``QThread``.

The function is plain Python taking ``(cancel, report)``: ``cancel`` is the core's
:class:`~ingest_gui.core.cancel.CancelToken`, ``report(value)`` forwards progress to the GUI thread.
The worker only emits plain data; it never touches widgets. Every exception becomes ``failed``
with a human message (and is logged with its traceback), never a silent exit.

Pages do not use it directly: :class:`ingest_gui.ui.tasks.PageTask` starts these tasks, routes
their outcome to the page and owns their clean-up and the page's busy state.

While any task's thread runs, Python's cyclic garbage collector runs only on the GUI thread
(see :class:`GuiThreadCollections`).
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import (
    QCoreApplication,
    QDeadlineTimer,
    QEventLoop,
    QObject,
    Qt,
    QThread,
    QTimer,
    Signal,
    Slot,
)

from ingest_gui import paths
from ingest_gui.api.errors import IngestError
from ingest_gui.core.cancel import Cancelled, CancelToken
from ingest_gui.core.loading import LoadError
from ingest_gui.core.oserrors import describe_os_error

log = logging.getLogger(__name__)

#: ``work(cancel, report) -> result``
Work = Callable[[CancelToken, Callable[[Any], None]], Any]
#: Turns an exception from ``work`` into the sentence shown to the user.
Describe = Callable[[BaseException], str]


#: Refusals a person causes or the service answers (a file that is not a spreadsheet, an empty
#: file, a folder that cannot be written, a wrong token): logged as one line, no traceback.
EXPECTED_ERRORS: tuple[type[BaseException], ...] = (IngestError, LoadError, OSError)


def is_expected(error: BaseException) -> bool:
    return isinstance(error, EXPECTED_ERRORS)


def log_failure(error: BaseException) -> None:
    """An expected refusal as one WARNING line; anything else with its traceback (a bug)."""
    if is_expected(error):
        log.warning("Background task refused: %s: %s", type(error).__name__, error)
    else:
        log.error("Background task failed", exc_info=error)


def describe_error(error: BaseException) -> str:
    """Our errors carry a readable message (the system's file errors get one); anything else
    is a bug: point to the log."""
    if isinstance(error, OSError):
        return describe_os_error(error)
    if isinstance(error, IngestError | LoadError | ValueError):
        return str(error)
    return (
        f"Something unexpected went wrong ({type(error).__name__}). "
        f"Details were written to the log in {paths.log_dir()}."
    )


class GuiThreadCollections:
    """Keeps cyclic garbage collections on the GUI thread while tasks' threads run Python.

    Automatic collections start in whichever thread allocates past the threshold, so while a
    task runs they mostly start on its worker. PySide6 (6.12) is not safe with that: while the
    GUI thread destroys a widget tree it builds (a ``deleteLater``, a closed window), shiboken
    releases the GIL to run each Python-owned child's C++ destructor while a layout's wrapper
    still lists that freed child, and a collection started on another thread at that moment
    walks the layout and reads freed memory: a segmentation fault "Garbage-collecting" on the
    worker. (Reproduced with nothing but a File page deleted while a plain thread allocates;
    it never happens when only the GUI thread collects, since it cannot collect halfway
    through a destruction of its own.) Python-owned Qt objects freed by a collection are
    likewise deleted on the GUI thread this way, never on a worker.

    So while at least one task runs, automatic collection is off and a GUI-thread timer does
    what it would have done: a young collection once the allocation count passes the first
    threshold, the middle generation too when its count passes the second. Full collections
    wait until the last task ends, when automatic collection resumes with CPython's own rule
    for them (core.heap keeps the big long-lived data out of those anyway).

    Cost, measured with the GUI benchmark (100,000 rows, side by side on a busy 2-core
    machine): the check phase's worst stall went from a median of about 40 ms to about 75 ms
    (the extra is time the GUI thread waits "in Qt, or for the CPU/GIL", not the collections
    it runs: 25 ms at most); a 10 ms tick did no worse than 50 ms and keeps them small.
    """

    #: How often the GUI thread checks the allocation count while tasks run (cheap when
    #: nothing is due: one ``gc.get_count()``).
    TICK_MS = 10

    def __init__(self) -> None:
        self._tasks = 0
        self._resume_automatic = False
        self._timer: QTimer | None = None

    @property
    def active(self) -> bool:
        """True while automatic collection is held off because tasks run."""
        return self._tasks > 0

    def task_started(self) -> None:
        """Called on the GUI thread before a task's thread starts."""
        if self._tasks == 0:
            self._resume_automatic = gc.isenabled()
            gc.disable()
            timer = self._timer
            if timer is None or not shiboken6.isValid(timer):  # (a new application)
                # Parented to the application: it lives, and ticks, on the GUI thread.
                timer = self._timer = QTimer(QCoreApplication.instance())
                timer.setInterval(self.TICK_MS)
                timer.timeout.connect(self.collect_as_automatic)
            timer.start()
        self._tasks += 1

    def task_ended(self) -> None:
        """Called on the GUI thread once a task's thread has ended."""
        self._tasks -= 1
        if self._tasks == 0:
            if self._timer is not None and shiboken6.isValid(self._timer):
                self._timer.stop()
            if self._resume_automatic:
                gc.enable()

    def collect_as_automatic(self) -> int:
        """The young collection automatic collection would have started by now, if any (run on
        the GUI thread); returns the number of objects found unreachable."""
        young, middle, _old = gc.get_count()
        first, second, _third = gc.get_threshold()
        if first == 0 or young <= first:
            return 0  # a threshold of 0 turns automatic collection off: respect it
        return gc.collect(1 if middle >= second else 0)


#: The one policy of the process (tasks are started and end on the GUI thread).
gui_thread_collections = GuiThreadCollections()


class _Worker(QObject):
    progressed = Signal(object)
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    done = Signal()

    def __init__(self, work: Work, cancel: CancelToken, describe: Describe) -> None:
        super().__init__()
        self._work = work
        self._cancel = cancel
        self._describe = describe

    @Slot()
    def run(self) -> None:
        try:
            result = self._work(self._cancel, self.progressed.emit)
        except Cancelled:
            self.cancelled.emit()
        except Exception as error:  # every failure must reach the user, never a silent exit
            log_failure(error)
            self.failed.emit(self._describe(error))
        else:
            if self._cancel.is_cancelled:
                self.cancelled.emit()
            else:
                self.succeeded.emit(result)
        finally:
            self.done.emit()


class BackgroundTask(QObject):
    """Owns one QThread and one worker for a single run of ``work``.

    Signals (all delivered on the GUI thread):
        progressed(object): whatever ``work`` passed to ``report``.
        succeeded(object): the return value of ``work``.
        failed(str): a human sentence describing the error.
        cancelled(): ``work`` stopped because :meth:`cancel` was called.
        finished(): after any of the three outcomes, once the thread has stopped.
    """

    progressed = Signal(object)
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    finished = Signal()

    def __init__(self, work: Work, parent: QObject | None = None,
                 describe: Describe = describe_error) -> None:
        super().__init__(parent)
        self.cancel_token = CancelToken()
        self._thread = QThread()
        self._thread.setObjectName("ingest-gui-worker")
        self._worker = _Worker(work, self.cancel_token, describe)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.progressed.connect(self.progressed)
        self._worker.succeeded.connect(self.succeeded)
        self._worker.failed.connect(self.failed)
        self._worker.cancelled.connect(self.cancelled)
        # Direct: quit() is thread-safe, and a queued call would never run while the GUI thread
        # blocks in wait() (closing the window), leaving the thread alive until the timeout.
        self._worker.done.connect(self._thread.quit, Qt.ConnectionType.DirectConnection)
        self._thread.finished.connect(self._on_thread_finished)
        self._running = False
        self._holds_collections = False

    def start(self) -> None:
        self._running = True
        gui_thread_collections.task_started()
        self._holds_collections = True
        self._thread.start()

    @property
    def is_running(self) -> bool:
        return self._running

    def cancel(self) -> None:
        """Ask ``work`` to stop at its next check; ``cancelled`` follows."""
        self.cancel_token.cancel()

    def cancel_and_wait(self, timeout_ms: int = 30_000) -> bool:
        """For closing the window: cancel, then block until the thread ends. True if it ended."""
        self.cancel()
        return self.wait(timeout_ms)

    def wait(self, timeout_ms: int = 30_000) -> bool:
        if self._thread.isRunning() and not self._thread.wait(timeout_ms):
            return False
        if self._thread.isFinished():
            # Ended: no worker Python left, whether or not ``finished`` is ever delivered
            # (a window closing blocks here and may never run the event loop again).
            self._release_collections()
        return True

    def _release_collections(self) -> None:
        if self._holds_collections:
            self._holds_collections = False
            gui_thread_collections.task_ended()

    @Slot()
    def _on_thread_finished(self) -> None:
        self._running = False
        self._release_collections()
        self._worker.deleteLater()
        self.finished.emit()


def deliver_events(flags: QEventLoop.ProcessEventsFlag = QEventLoop.ProcessEventsFlag.AllEvents,
                   max_ms: int | None = None) -> None:
    """Deliver the pending events now: the one way this app calls ``processEvents``.

    Through an event loop instance, never the static ``QCoreApplication.processEvents``: in
    PySide6 6.12 every call of the static one takes a reference away from ``None``, and Python
    3.11 aborts ("none_dealloc") once None's count runs out — a long wait loop gets there.
    """
    loop = QEventLoop()
    if max_ms is None:
        loop.processEvents(flags)
    else:
        loop.processEvents(flags, max_ms)


def wait_for_task(task: BackgroundTask | None, *, cancel: bool,
                  timeout_ms: int = 30_000) -> bool:
    """Wait for ``task``'s thread to end, after cancelling it if ``cancel``; how pages stop
    their work when they are left or the window closes (through
    :meth:`ingest_gui.ui.tasks.PageTask.stop`). True if it ended in time.

    ``BackgroundTask.cancel_and_wait`` would block the GUI thread in ``QThread.wait`` for the
    whole time. This waits in short slices and delivers queued events between them, except
    user input (nothing new may start while a page shuts down): the window keeps repainting
    while, say, an upload's batches in flight finish, which can take seconds; progress already
    queued arrives; and once the thread has ended the task's own queued ``succeeded`` /
    ``cancelled`` / ``failed`` / ``finished`` signals are delivered before this returns, so the
    page's handlers have run and its state (``is_busy()``) is settled.

    ``cancel=False`` is for work stopped another way (the upload's ``UploadControl``, which
    lets the batches in flight finish and still delivers the result).
    """
    if task is None:
        return True
    if cancel:
        task.cancel()
    keep_input_out = QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents
    deadline = QDeadlineTimer(timeout_ms)
    while not task.wait(10):
        deliver_events(keep_input_out, 10)
        if deadline.hasExpired():
            return False
    deliver_events(keep_input_out)
    return True
