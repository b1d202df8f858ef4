"""Find what stalls a GUI thread while the core works on another thread (a dev tool, not a test).

The wizard runs loading, validation, payload building and upload on worker threads, yet its GUI
thread can still freeze: a worker inside one long C call that keeps the GIL (an object-dtype
numpy/pandas operation over a whole column, a giant ``json.dumps``, a full garbage collection)
stops every other Python thread. This script reproduces that without Qt:

- the core steps run on a worker thread, one after the other, as the wizard runs them;
- the main thread runs a heartbeat (``time.sleep(tick)`` in a loop) and records every gap;
- a third thread samples the stacks of all other threads every millisecond, so each long gap is
  reported with where the busy threads were just before it started and just after it ended
  (the sampler needs the GIL too, so "just before" is the line that made the long call).

    .venv/bin/python -m tests.core.stall_probe PATH [--steps load,suggest,validate,build,...]
        [--sandbox inprocess|process|none] [--no-phone] [--top 8]

With ``--sandbox inprocess`` the upload goes to a SandboxServer thread in this process, as the
wizard's "Try it on the sandbox" mode does; ``process`` runs ``ingest-gui sandbox`` in a child
process, like the remote service. For PATH, tests/benchmarks/generate.py makes realistic files.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import socket
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: Contacts file headers (tests/benchmarks/generate.py) -> demo datasource targets.
BENCH_MAPPING = {
    "ID Cliente": "_user_id", "Nombre": "_first_name", "Apellidos": "_last_name",
    "Correo electrónico": "_email", "Móvil": "_phone_mobile", "País": "_country_code",
    "Fecha de nacimiento": "birthday", "Plan": "plan", "Lifetime value": "lifetime_value",
    "Pedidos": "orders_count", "VIP": "vip", "Intereses": "interests",
    "Work email": "work_email", "Notas": "notes", "Último acceso": "last_login",
}
ALL_STEPS = ("load", "suggest", "validate", "build", "upload", "report")
#: Frames whose innermost call means "this thread is waiting, not working".
_IDLE_FUNCTIONS = frozenset({"wait", "select", "_worker", "get", "accept", "poll", "sleep",
                             "run_forever", "_run_once", "_recv_into", "recv_into", "readinto",
                             "_wait_for_tstate_lock", "join", "result", "acquire"})


@dataclass(slots=True)
class Gap:
    seconds: float
    ended_at: float
    step: str
    before: dict[str, list[str]] = field(default_factory=dict)
    after: dict[str, list[str]] = field(default_factory=dict)
    #: (generation, seconds, collected objects) of garbage collections inside the gap.
    collections: list[tuple[int, float, int]] = field(default_factory=list)


class CollectionLog:
    """When the cyclic garbage collector ran: a full collection holds the GIL throughout."""

    def __init__(self) -> None:
        self.runs: list[tuple[float, float, int, int]] = []
        self._started = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.runs.append((self._started, time.perf_counter(), info["generation"],
                              info["collected"]))

    def within(self, start: float, end: float) -> list[tuple[int, float, int]]:
        return [(generation, stop - begin, collected)
                for begin, stop, generation, collected in self.runs
                if begin < end and stop > start and stop - begin > 0.005]


class StackSampler:
    """Every ``interval`` seconds, the stacks of every thread but the main one and itself.

    Samples are ``(time, {thread name: "frame\\nframe..."})``: strings in tuples and dicts, which
    the garbage collector stops tracking, so the probe does not add to the collections it
    measures. Only the last ``keep`` samples are kept; gaps are attributed as they happen.
    """

    def __init__(self, interval: float = 0.001, keep: int = 3000) -> None:
        self.interval = interval
        self.samples: deque[tuple[float, dict[str, str]]] = deque(maxlen=keep)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="stack-sampler", daemon=True)
        self._main = threading.main_thread().ident

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)

    def _run(self) -> None:
        me = threading.get_ident()
        names: dict[int | None, str] = {}
        while not self._stop.wait(self.interval):
            frames = sys._current_frames()
            if len(names) != len(frames):
                names = {thread.ident: thread.name for thread in threading.enumerate()}
            stacks: dict[str, str] = {}
            for ident, frame in frames.items():
                if ident in (me, self._main):
                    continue
                lines: list[str] = []
                current: Any = frame
                while current is not None and len(lines) < 40:
                    code = current.f_code
                    lines.append(f"{_short(code.co_filename)}:{current.f_lineno} {code.co_name}")
                    current = current.f_back
                stacks[names.get(ident, str(ident))] = "\n".join(lines)
            self.samples.append((time.perf_counter(), stacks))

    def around(self, start: float, end: float) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
        """The last sample before ``start`` and the first after ``end``."""
        before: dict[str, str] = {}
        after: dict[str, str] = {}
        for at, stacks in reversed(list(self.samples)):  # list(): one atomic copy
            if at >= end:
                after = stacks
            elif at <= start:
                before = stacks
                break
        return ({name: text.split("\n") for name, text in before.items()},
                {name: text.split("\n") for name, text in after.items()})


def _short(filename: str) -> str:
    for marker in ("site-packages/", "ingest_gui/", "lib/python3"):
        index = filename.find(marker)
        if index >= 0:
            return filename[index:]
    return filename


def _busy(stacks: dict[str, list[str]]) -> dict[str, list[str]]:
    """Threads that are working (not waiting on a lock, a socket or a queue)."""
    busy = {}
    for name, lines in stacks.items():
        innermost = lines[0].rsplit(" ", 1)[-1] if lines else ""
        if innermost in _IDLE_FUNCTIONS or (name.startswith(("asyncio", "Thread-")) and \
                innermost in {"_worker", "select"}):
            continue
        busy[name] = lines
    return busy


class Heartbeat:
    """The GUI thread stand-in: sleeps ``tick`` and notes how late it woke up."""

    def __init__(self, sampler: StackSampler, tick: float = 0.005, keep_over: float = 0.03):
        self.sampler = sampler
        self.tick = tick
        self.keep_over = keep_over
        self.step = "-"
        self.gaps: list[Gap] = []
        self.worst: dict[str, float] = {}

    def run_until(self, done: threading.Event) -> None:
        last = time.perf_counter()
        while not done.is_set():
            time.sleep(self.tick)
            now = time.perf_counter()
            gap = now - last
            step = self.step
            self.worst[step] = max(self.worst.get(step, 0.0), gap)
            if gap > self.keep_over:
                record = Gap(gap, now, step)
                time.sleep(0.003)  # let the sampler see the thread after the gap
                record.before, record.after = self.sampler.around(now - gap + self.tick, now)
                self.gaps.append(record)
                now = time.perf_counter()
            last = now

    def attribute(self, collections: CollectionLog) -> None:
        """Attach the stacks around each gap (call once the sampler has stopped)."""
        for gap in self.gaps:
            gap.collections = collections.within(gap.ended_at - gap.seconds, gap.ended_at)


@contextlib.contextmanager
def sandbox_server(kind: str) -> Iterator[tuple[str, Any]]:
    """(base URL, the in-process server or None) for ``kind`` "inprocess" or "process"."""
    if kind == "inprocess":
        from ingest_gui.sandbox.server import SandboxServer

        with SandboxServer() as server:
            yield server.base_url, server
        return
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    child = subprocess.Popen(
        [sys.executable, "-m", "ingest_gui", "sandbox", "--port", str(port), "--rate-limit", "0"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
                break
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}/v1", None
    finally:
        child.terminate()
        child.wait(10)


def run_steps(path: Path, steps: tuple[str, ...], heartbeat: Heartbeat, base_url: str | None,
              with_phone: bool, timings: dict[str, float]) -> None:
    from ingest_gui.api.client import IngestClient
    from ingest_gui.core.loading import inspect_file, load_table
    from ingest_gui.core.mapping import ImportKind, Mapping, suggest, targets_for
    from ingest_gui.core.payload import build_batches
    from ingest_gui.core.report import build_report
    from ingest_gui.core.upload import UploadEngine
    from ingest_gui.core.validation import validate
    from ingest_gui.sandbox.server import DEFAULT_TOKEN

    def timed(step: str, work: Callable[[], Any]) -> Any:
        heartbeat.step = step
        started = time.perf_counter()
        value = work()
        timings[step] = time.perf_counter() - started
        heartbeat.step = "-"
        return value

    client = IngestClient(base_url or "http://127.0.0.1:9/v1", "demo", "demo", DEFAULT_TOKEN)
    with client:
        specs = client.fetch_specs() if base_url else None
        if specs is None:
            from tests.core.factories import make_specs

            specs = make_specs()
        table = timed("load", lambda: (inspect_file(path), load_table(path))[1])
        mapping = Mapping(kind=ImportKind.CONTACTS, assignments={
            target: header for header, target in BENCH_MAPPING.items()
            if header in table.headers and (with_phone or target != "_phone_mobile")})
        if "suggest" in steps:
            targets = targets_for(ImportKind.CONTACTS, specs)
            timed("suggest", lambda: suggest(table, targets))
        if not {"validate", "build", "upload", "report"} & set(steps):
            return
        result = timed("validate", lambda: validate(table, mapping, specs))
        if not {"build", "upload", "report"} & set(steps):
            return
        plan = timed("build", lambda: build_batches(result, datasource="demo"))
        upload = None
        if "upload" in steps and base_url:
            upload = timed("upload", lambda: UploadEngine(client).run(
                plan.batches, skipped_rows=plan.skipped_rows))
        if "report" in steps:
            timed("report", lambda: build_report(result, plan, upload))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--steps", default=",".join(ALL_STEPS))
    parser.add_argument("--sandbox", choices=("inprocess", "process", "none"), default="process")
    parser.add_argument("--no-phone", action="store_true")
    parser.add_argument("--freeze-at-start", action="store_true",
                        help="gc.freeze() after the imports, as an app can do at startup")
    parser.add_argument("--top", type=int, default=8, help="how many of the longest gaps to show")
    parser.add_argument("--frames", type=int, default=6, help="frames shown per thread")
    options = parser.parse_args(argv)
    steps = tuple(step for step in options.steps.split(",") if step)

    # What the wizard has imported by the time it works: keep imports out of the measurement.
    import numpy  # noqa: F401
    import pandas  # noqa: F401
    import pyarrow.compute
    import pyarrow.csv  # noqa: F401

    import ingest_gui.core.payload
    import ingest_gui.core.upload  # noqa: F401

    if options.freeze_at_start:
        gc.freeze()
    sampler = StackSampler()
    heartbeat = Heartbeat(sampler)
    timings: dict[str, float] = {}
    failure: list[BaseException] = []
    done = threading.Event()
    sandbox_kind = options.sandbox if "upload" in steps else "none"
    cm: contextlib.AbstractContextManager[tuple[str | None, Any]] = (
        contextlib.nullcontext((None, None)) if sandbox_kind == "none"
        else sandbox_server(sandbox_kind))
    with cm as (base_url, _server):
        def work() -> None:
            try:
                run_steps(options.path, steps, heartbeat, base_url, not options.no_phone, timings)
            except BaseException as error:  # reported by the main thread
                failure.append(error)
            finally:
                done.set()

        collections = CollectionLog()
        gc.callbacks.append(collections)
        sampler.start()
        worker = threading.Thread(target=work, name="core-worker")
        worker.start()
        heartbeat.run_until(done)
        worker.join()
        sampler.stop()
        gc.callbacks.remove(collections)
        heartbeat.attribute(collections)
    if failure:
        raise failure[0]
    print(f"file: {options.path.name}  sandbox: {sandbox_kind}  gc thresholds: {gc.get_threshold()}"
          f"  cpus: {os.cpu_count()}")
    for step in steps:
        if step in timings:
            worst_ms = heartbeat.worst.get(step, 0) * 1000
            print(f"  {step:9s} {timings[step]:7.2f} s   worst gap {worst_ms:6.0f} ms")
    print(f"  overall worst gap {max(heartbeat.worst.values(), default=0)*1000:.0f} ms")
    for gap in sorted(heartbeat.gaps, key=lambda g: -g.seconds)[: options.top]:
        print(f"\n--- {gap.seconds*1000:.0f} ms during {gap.step}")
        for generation, seconds, collected in gap.collections:
            print(f"  garbage collection of generation {generation}: {seconds*1000:.0f} ms, "
                  f"{collected} collected")
        for label, stacks in (("before", gap.before), ("after", gap.after)):
            for name, lines in _busy(stacks).items():
                print(f"  [{label}] {name}:")
                for line in lines[: options.frames]:
                    print(f"      {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
