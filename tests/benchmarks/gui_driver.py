"""Drive the real wizard offscreen through load → map → check → upload and time GUI-thread stalls.

A ``QTimer`` on the GUI thread ticks every :data:`HEARTBEAT_MS`; the longest gap between two
ticks, minus the interval, is the worst time the window could not repaint or react. The driver
does what a person does: fills in the connection and clicks "Test", opens the file, keeps
"Contacts", uses the mapping template the page offers for these headers (saved beforehand, as a
returning user would have), waits for the check, ticks "skip the rows with errors", clicks Start
upload and waits for the end. Page changes (``QWizard.next()``) run on the GUI thread like a click
on Next, so whatever a page does when it opens counts too. Between opening a page and clicking on
it the driver lets the event loop run for :data:`THINK_SECONDS`, as a person needs the page drawn
before clicking: called back to back, two clicks would be measured as one stall no one could see.

Run only through ``run.py`` (a fresh process, ``QT_QPA_PLATFORM=offscreen``).
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

HEARTBEAT_MS = 5
#: The event loop runs this long between opening a page and clicking on it.
THINK_SECONDS = 0.2
SANDBOX_TOKEN = "sandbox-token"


class DriverError(Exception):
    """The wizard did not get where it should have; the message says where it stopped."""


class Heartbeat:
    """Records the gaps between ticks of a precise GUI-thread timer, per named phase."""

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.phase = "start"
        self.worst: dict[str, float] = {}
        #: Per phase, the most CPU the GUI thread itself used between two ticks: on a busy
        #: machine a long gap with little of it was spent waiting for a core, not in our code.
        self.busiest: dict[str, float] = {}
        self.gaps: list[tuple[float, str]] = []
        self._last = time.perf_counter()
        self._last_cpu = time.thread_time()
        self.last_tick = self._last
        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(HEARTBEAT_MS)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        self._last = self.last_tick = time.perf_counter()
        self._last_cpu = time.thread_time()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def enter(self, phase: str) -> None:
        self._tick()  # a gap belongs to the phase in which it ended; close the previous one
        self.phase = phase

    def _tick(self) -> None:
        now, cpu_now = time.perf_counter(), time.thread_time()  # runs on the GUI thread
        stall = max(0.0, (now - self._last) * 1000 - HEARTBEAT_MS)
        cpu = (cpu_now - self._last_cpu) * 1000
        self._last = self.last_tick = now
        self._last_cpu = cpu_now
        if stall > self.worst.get(self.phase, 0.0):
            self.worst[self.phase] = stall
        if cpu > self.busiest.get(self.phase, 0.0):
            self.busiest[self.phase] = cpu
        if stall > 20:
            self.gaps.append((stall, self.phase))


class StallSampler:
    """While the heartbeat is late, samples what the GUI thread is running (its Python stack).

    A stall spent inside our code names the function; one spent in the event loop's own wait
    means the thread was runnable but starved (the GIL held by worker threads, or the OS).
    """

    LATE_MS = 40.0

    def __init__(self, heartbeat: Heartbeat) -> None:
        import collections
        import threading

        self._heartbeat = heartbeat
        self._main = threading.main_thread().ident
        self._stop = threading.Event()
        self.samples: collections.Counter[tuple[str, str]] = collections.Counter()
        self._thread = threading.Thread(target=self._run, name="bench-stall-sampler",
                                        daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        import sys

        while not self._stop.wait(0.01):
            late = (time.perf_counter() - self._heartbeat.last_tick) * 1000
            if late < self.LATE_MS or self._main is None:
                continue
            frame = sys._current_frames().get(self._main)
            self.samples[(self._heartbeat.phase, _describe_stack(frame))] += 1

    def top(self, count: int = 6) -> str:
        total = sum(self.samples.values())
        if not total:
            return "none"
        return "; ".join(f"{phase}: {stack} ({n * 10} ms)"
                         for (phase, stack), n in self.samples.most_common(count))


def _describe_stack(frame: Any) -> str:
    """The innermost frames of the app (or of Qt's own loop) in a stack, innermost last."""
    names: list[str] = []
    while frame is not None and len(names) < 40:
        code = frame.f_code
        where = code.co_filename.replace("\\", "/")
        if "/ingest_gui/" in where:
            names.append(f"{where.rsplit('/ingest_gui/', 1)[1]}:{code.co_name}")
        elif "gui_driver" in where:
            names.append(f"driver:{code.co_name}")
        frame = frame.f_back
    names.reverse()
    if names and names[-1].startswith("driver:"):
        # No app code on the stack: the thread is in Qt itself (page switch, layout, painting)
        # or waiting for the CPU or the GIL.
        names[-1] += " [in Qt, or waiting for the CPU/GIL]"
    return " > ".join(names[-4:]) or "(no Python frame)"


def wait_until(predicate: Callable[[], bool], timeout: float, what: str) -> None:
    """Run the event loop until ``predicate()`` holds (checked every 10 ms).

    A :class:`DriverError` raised by ``predicate`` ends the wait and is raised here.
    """
    from PySide6.QtCore import QEventLoop, QTimer

    if predicate():
        return
    loop = QEventLoop()
    deadline = time.monotonic() + timeout
    timed_out = False
    failure: DriverError | None = None

    def check() -> None:
        nonlocal timed_out, failure
        try:
            done = predicate()
        except DriverError as error:  # a Qt slot cannot raise: hand it over
            failure = error
            loop.quit()
            return
        if done:
            loop.quit()
        elif time.monotonic() > deadline:
            timed_out = True
            loop.quit()

    poll = QTimer()
    poll.setInterval(10)
    poll.timeout.connect(check)
    poll.start()
    loop.exec()
    poll.stop()
    if failure is not None:
        raise failure
    if timed_out:
        raise DriverError(f"timed out after {timeout:.0f} s waiting for {what}")


def pause(seconds: float = THINK_SECONDS) -> None:
    """Run the event loop for ``seconds`` (the page paints; the heartbeat keeps ticking)."""
    end = time.monotonic() + seconds
    wait_until(lambda: time.monotonic() >= end, seconds + 30, "a pause between two clicks")


def measure(path: Path, *, base_url: str, mapping: dict[str, str], timeout: float,
            ) -> dict[str, Any]:
    home = tempfile.mkdtemp(prefix="bench-gui-home-")
    os.environ["INGEST_GUI_HOME"] = home
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from PySide6.QtWidgets import QApplication

    _app = QApplication.instance() or QApplication(["ingest-gui-benchmark"])  # kept alive
    from ingest_gui.core.mapping import ImportKind, Mapping, save_template, templates_dir
    from ingest_gui.ui import wizard as wizard_module
    from ingest_gui.ui.pages import connect as connect_module
    from ingest_gui.ui.pages.check import CheckPage
    from ingest_gui.ui.pages.connect import ConnectPage
    from ingest_gui.ui.pages.file import FilePage
    from ingest_gui.ui.pages.mapping import MappingPage
    from ingest_gui.ui.pages.upload import UploadPage
    from ingest_gui.ui.widgets.common import deliver_events
    from ingest_gui.ui.wizard import IngestWizard, PageId

    # Nothing may open a modal dialog in an unattended run.
    connect_module.KeychainNotice.tell = classmethod(lambda cls, parent, message: None)  # type: ignore[assignment]
    wizard_module.CloseDuringUploadDialog.ask = classmethod(lambda cls, parent: True)  # type: ignore[assignment]

    # The template a returning user saved for these headers; the Map page offers it.
    headers = _headers(path)
    template = Mapping(kind=ImportKind.CONTACTS,
                       assignments={target: header for header, target in mapping.items()})
    save_template(templates_dir() / "benchmark.json", template, headers)

    wizard = IngestWizard()
    wizard.show()
    heartbeat = Heartbeat()
    heartbeat.start()
    sampler = StallSampler(heartbeat)
    sampler.start()
    notes: list[str] = []
    started = time.perf_counter()
    try:
        heartbeat.enter("connect")
        connect = cast(ConnectPage, wizard.page(PageId.CONNECT))
        connect.remember_box.setChecked(False)
        connect.base_url_edit.setText(base_url)
        connect.project_edit.setText("demo")
        connect.datasource_edit.setText("demo")
        connect.token_edit.setText(SANDBOX_TOKEN)
        connect.test_connection()
        wait_until(connect.isComplete, 60, "the Connect page to test the sandbox connection")
        pause()
        wizard.next()
        _expect(wizard, PageId.FILE)
        pause()

        heartbeat.enter("load")
        load_started = time.perf_counter()
        file_page = cast(FilePage, wizard.page(PageId.FILE))
        file_page.open_file(path)
        wait_until(file_page.isComplete, timeout, "the File page to load the file")
        load_seconds = time.perf_counter() - load_started
        pause()
        wizard.next()
        _expect(wizard, PageId.KIND)
        pause()

        heartbeat.enter("map")
        wizard.next()
        _expect(wizard, PageId.MAPPING)
        mapping_page = cast(MappingPage, wizard.page(PageId.MAPPING))
        pause()
        if mapping_page.template_banner.isVisibleTo(mapping_page):
            mapping_page.use_offered_template()
        else:
            notes.append("the Map page did not offer the saved template; mapped through its "
                         "model instead")
            for target, header in template.assignments.items():
                mapping_page.mapping.assign(header, target)
            mapping_page._after_mapping_changed()  # no public way to refresh after assign()
        wait_until(mapping_page.isComplete, 30, "the Map page to accept the mapping")
        mapped = dict(mapping_page.mapping.assignments)
        if len(mapped) != len(mapping):
            notes.append(f"{len(mapped)} of {len(mapping)} columns mapped")
        pause()

        heartbeat.enter("check")
        check_started = time.perf_counter()
        wizard.next()
        _expect(wizard, PageId.CHECK)
        check = cast(CheckPage, wizard.page(PageId.CHECK))

        def checked() -> bool:
            if check.error_banner.isVisibleTo(check):  # failed: say why now, not at the timeout
                raise DriverError(f"the Check page stopped: {check.error_banner.text()}")
            return check.result is not None and not check.is_busy()

        wait_until(checked, timeout, "the Check page to validate the rows")
        check_seconds = time.perf_counter() - check_started
        validation = check.result
        if validation is None:
            raise DriverError("the Check page finished without a result")
        pause()
        if validation.invalid_count:
            check.skip_checkbox.setChecked(True)
        wait_until(check.isComplete, 30, "the Check page to allow going on")
        pause()

        heartbeat.enter("upload")
        wizard.next()
        _expect(wizard, PageId.UPLOAD)
        upload = cast(UploadPage, wizard.page(PageId.UPLOAD))
        pause()
        upload_started = time.perf_counter()
        upload.start_upload()
        wait_until(upload.isComplete, timeout, "the Upload page to finish sending")
        upload_seconds = time.perf_counter() - upload_started
        heartbeat.enter("done")
        result = upload.result
        table = file_page.session.data.table
        if result is None or table is None:
            raise DriverError("the Upload page finished without a result")
        accepted = sum(1 for status in result.statuses.values() if status.value == "accepted")
        rows = len(table)
    finally:
        sampler.stop()
        heartbeat.stop()
        wizard.close()
        deliver_events()

    measured = {phase: ms for phase, ms in heartbeat.worst.items()
                if phase in {"load", "map", "check", "upload"}}
    worst_phase = max(measured, key=lambda phase: measured[phase])
    long_gaps = sorted(heartbeat.gaps, reverse=True)[:5]
    notes.append(
        f"{rows:,} rows: load {load_seconds:.1f} s, check {check_seconds:.1f} s, upload "
        f"{upload_seconds:.1f} s ({accepted:,} accepted); worst stall per phase: "
        + ", ".join(f"{phase} {ms:.0f} ms" for phase, ms in measured.items())
        + "; longest gaps: " + ", ".join(f"{ms:.0f} ms ({phase})" for ms, phase in long_gaps)
        + "; most GUI-thread CPU between two ticks: " + ", ".join(
            f"{phase} {heartbeat.busiest.get(phase, 0.0):.0f} ms" for phase in measured)
        + "; the GUI thread was late (> 40 ms) in: " + sampler.top()
    )
    return {
        "worst_stall_ms": measured[worst_phase], "where": worst_phase, "per_phase": measured,
        "seconds": time.perf_counter() - started, "accepted": accepted, "rows": rows,
        "note": "; ".join(notes),
    }


def _headers(path: Path) -> list[str]:
    """The headers as the loader detects them, read from a copy of the file's first lines."""
    from ingest_gui.core.loading import LoadOptions, load_table

    sample = Path(tempfile.mkdtemp(prefix="bench-gui-head-")) / path.name
    with path.open("rb") as source:
        sample.write_bytes(b"".join(source.readline() for _ in range(20)))
    return load_table(sample, LoadOptions()).headers


def _expect(wizard: Any, page_id: int) -> None:
    current = wizard.currentId()
    if current != page_id:
        page = wizard.currentPage()
        reason = ""
        blocking = getattr(page, "blocking_reasons", None)
        if blocking is not None:
            reason = " ".join(blocking())
        raise DriverError(f"the wizard stayed on page {current} instead of {page_id} {reason}")


# -- editing cells on the Check page ---------------------------------------------------------

#: The edit benchmark's file: a contact id, an e-mail (every 10th one broken) and a mobile.
EDIT_HEADERS = ("Customer id", "E-mail", "Mobile")
EDIT_MAPPING = {"Customer id": "_user_id", "E-mail": "_email", "Mobile": "_phone_mobile"}
#: Single edits, each waited for (re-check and plan), then bursts typed faster than a re-check.
SINGLE_EDITS = 8
BURSTS, BURST_SIZE = 3, 3


def edit_file(rows: int) -> Path:
    """``rows`` × 3 columns, written once into the benchmark cache."""
    from tests.benchmarks import generate

    path = generate.cache_dir() / f"edit-contacts-{rows}x3.csv"
    if path.exists():
        return path
    partial = path.with_name(path.name + f".{os.getpid()}.partial")
    with partial.open("w", encoding="utf-8", newline="") as handle:
        handle.write(",".join(EDIT_HEADERS) + "\n")
        for start in range(0, rows, 100_000):
            handle.write("".join(
                f"C{n:07d},{'broken' if n % 10 == 3 else 'user'}{n}"
                f"{'' if n % 10 == 3 else '@example.com'},+346{n:08d}\n"
                for n in range(start, min(start + 100_000, rows))))
    os.replace(partial, path)
    return path


def measure_edits(rows: int, *, timeout: float) -> dict[str, Any]:
    """The Check page with ``rows`` × 3 columns checked: the GUI thread's worst stall while the
    user fixes problem cells (each edit re-checked and the upload re-planned in the background).
    """
    home = tempfile.mkdtemp(prefix="bench-edit-home-")
    os.environ["INGEST_GUI_HOME"] = home
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from PySide6.QtWidgets import QApplication

    _app = QApplication.instance() or QApplication(["ingest-gui-benchmark"])  # kept alive
    from ingest_gui.core.connections import Connection
    from ingest_gui.core.loading import load_table
    from ingest_gui.core.mapping import ColumnOptions, ImportKind, InvalidValuePolicy, Mapping
    from ingest_gui.ui.models.problems import ProblemRowsModel
    from ingest_gui.ui.pages.check import CheckPage
    from ingest_gui.ui.session import WizardSession, build_client
    from ingest_gui.ui.widgets.common import deliver_events
    from tests.core.factories import make_specs

    table = load_table(edit_file(rows))
    session = WizardSession()
    data = session.data
    # A connection nothing is sent to: checking and planning need only its datasource key.
    data.connection = Connection("benchmark", "http://127.0.0.1:9/v1", "demo", "demo")
    data.token = SANDBOX_TOKEN
    # Built beforehand, as the Connect page does when it tests the connection.
    session.adopt_client(build_client(data.connection, data.token))
    data.specs = make_specs()
    data.table, data.file_path = table, table.path
    # Bad values skip their row (a value would otherwise just be left out): fixing a cell then
    # brings a row back, which is what the benchmark waits for.
    data.mapping = Mapping(ImportKind.CONTACTS,
                           assignments={target: header for header, target in EDIT_MAPPING.items()},
                           options={header: ColumnOptions(
                               invalid_values=InvalidValuePolicy.SKIP_ROW)
                                    for header in EDIT_MAPPING})
    page = CheckPage(session)
    page.resize(1100, 750)
    page.show()
    heartbeat = Heartbeat()
    heartbeat.start()
    sampler = StallSampler(heartbeat)
    sampler.start()
    model = page.problems_model
    email = ProblemRowsModel.FIRST_FILE_COLUMN + table.headers.index("E-mail")
    latencies: list[float] = []
    started = time.perf_counter()

    def settled() -> bool:
        if page.error_banner.isVisibleTo(page):
            raise DriverError(f"the Check page stopped: {page.error_banner.text()}")
        return page.result is not None and page.plan is not None and not page.is_busy()

    try:
        heartbeat.enter("check")
        page.initializePage()
        wait_until(settled, timeout, "the Check page to check the rows")
        before = page.result
        assert before is not None
        invalid_before = before.invalid_count
        pause()
        heartbeat.enter("edit")
        row = 0
        for _ in range(SINGLE_EDITS):
            edit_started = time.perf_counter()
            if not model.setData(model.index(row, email), f"fixed{row}@example.com"):
                raise DriverError(f"the edit of model row {row} was refused")
            row += 1
            wait_until(settled, timeout, "an edit to be checked and the upload re-planned")
            latencies.append(time.perf_counter() - edit_started)
            pause()
        for _ in range(BURSTS):
            for _ in range(BURST_SIZE):  # typed faster than a re-check: they queue
                if not model.setData(model.index(row, email), f"fixed{row}@example.com"):
                    raise DriverError(f"the edit of model row {row} was refused")
                row += 1
                pause(0.05)
            wait_until(settled, timeout, "a burst of edits to be checked")
            pause()
        heartbeat.enter("done")
        after = page.result
        assert after is not None
        fixed = invalid_before - after.invalid_count
        if fixed != row:
            raise DriverError(f"{row} rows were fixed but the result counts {fixed} fewer "
                              "invalid rows")
    finally:
        sampler.stop()
        heartbeat.stop()
        page.shutdown()
        page.close()
        page.deleteLater()
        deliver_events()

    stall = heartbeat.worst.get("edit", 0.0)
    long_gaps = sorted((gap for gap in heartbeat.gaps if gap[1] == "edit"), reverse=True)[:5]
    latencies.sort()
    note = (
        f"{rows:,} rows × 3 columns ({invalid_before:,} with a broken e-mail): {row} cells fixed "
        f"({SINGLE_EDITS} one at a time, then {BURSTS} bursts of {BURST_SIZE}); an edit is "
        f"checked and re-planned in {latencies[len(latencies) // 2]:.2f} s (median, off the GUI "
        f"thread); worst GUI-thread stall while checking the whole file "
        f"{heartbeat.worst.get('check', 0.0):.0f} ms, while editing {stall:.0f} ms; longest gaps "
        "while editing: " + (", ".join(f"{ms:.0f} ms" for ms, _phase in long_gaps) or "none")
        + "; most GUI-thread CPU between two ticks while editing: "
        f"{heartbeat.busiest.get('edit', 0.0):.0f} ms; the GUI thread was late (> 40 ms) in: "
        + sampler.top()
    )
    return {"worst_stall_ms": stall, "edits": row, "rows": rows,
            "seconds": time.perf_counter() - started, "note": note}
