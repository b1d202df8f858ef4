"""Run a core function off the GUI thread: one worker object moved to a ``QThread``.

The function is plain Python taking ``(cancel, report)``: ``cancel`` is the core's
:class:`~ingest_gui.core.cancel.CancelToken`, ``report(value)`` forwards progress to the GUI thread.
The worker only emits plain data; it never touches widgets. Every exception becomes ``failed``
with a human message (and is logged with its traceback), never a silent exit.

Usage from a page::

    work = lambda cancel, report: load_table(path, progress=..., cancel=cancel)
    self._task = BackgroundTask(work)
    self._task.progressed.connect(...); self._task.succeeded.connect(...)
    self._task.failed.connect(...); self._task.cancelled.connect(...)
    self._task.start()
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

from ingest_gui.core.cancel import Cancelled, CancelToken

log = logging.getLogger(__name__)

#: ``work(cancel, report) -> result``
Work = Callable[[CancelToken, Callable[[Any], None]], Any]
#: Turns an exception from ``work`` into the sentence shown to the user.
Describe = Callable[[BaseException], str]


def describe_error(error: BaseException) -> str:
    """Our errors carry a readable message; anything else is a bug: point to the log."""
    from ingest_gui.api.errors import IngestError
    from ingest_gui.core.loading import LoadError

    if isinstance(error, IngestError | LoadError | ValueError | OSError):
        return str(error)
    from ingest_gui import paths

    return (
        f"Something unexpected went wrong ({type(error).__name__}). "
        f"Details were written to the log in {paths.log_dir()}."
    )


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
            log.exception("Background task failed")
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

    def start(self) -> None:
        self._running = True
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
        if not self._thread.isRunning():
            return True
        return bool(self._thread.wait(timeout_ms))

    @Slot()
    def _on_thread_finished(self) -> None:
        self._running = False
        self._worker.deleteLater()
        self.finished.emit()
