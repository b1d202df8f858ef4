"""Measure the app's speed against the targets of issue 7 and print one Markdown table.

    python tests/benchmarks/run.py                 # the full run (about 10-15 minutes)
    python tests/benchmarks/run.py --quick         # small sizes: a smoke run of the harness
    python tests/benchmarks/run.py --write-readme  # also put the table into README.md
    python tests/benchmarks/run.py --only csv,xlsx # some measurements only

How it measures (the machine this runs on is usually shared and noisy):

* Every figure is the median of several runs, shown with the min and max; comparisons (the
  XLSX reader against pandas, the upload engine against a bare load generator) are ratios of runs
  made side by side, interleaved, in the same invocation.
* Every timed run happens in a fresh Python process (``run.py --worker NAME``), so one
  measurement's memory cannot inflate another's, and peak memory is the process's peak resident
  set size (``getrusage``), which counts Arrow's buffers that ``tracemalloc`` misses. Libraries
  are imported before the clock starts: the figures are for the work, not for ``import pandas``.
* Uploads go to the sandbox running as its own process (``python -m ingest_gui sandbox``) unless
  ``--sandbox inprocess`` is given: in the benchmark process it would share one GIL with the
  client threads it is supposed to be a neutral target for.
* Files come from ``generate.py`` and are cached (see :func:`generate.cache_dir`).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # run as a script: make ``tests.benchmarks`` importable
    sys.path.insert(0, str(ROOT))

from tests.benchmarks import generate  # noqa: E402

README = ROOT / "README.md"
README_START = "<!-- benchmarks:start -->"
README_END = "<!-- benchmarks:end -->"
SANDBOX_TOKEN = "sandbox-token"  # ingest_gui.sandbox.server.DEFAULT_TOKEN
WORKER_TIMEOUT = 1800.0
GIB = 1024**3
#: The verdict of a row that only gives context (the figures its ratios are made of).
NO_TARGET = "— (context)"


# --------------------------------------------------------------------------- sizes


@dataclass(frozen=True, slots=True)
class Sizes:
    csv_rows: int
    xlsx_rows: int
    validate_rows: int
    upload_rows: int
    rate_limit: int
    rate_window: float
    gui_rows: int
    #: Rows of the Check page's edit benchmark (3 columns).
    edit_rows: int
    import_rows: int
    repeats: int
    #: The upload comparisons are ratios of runs a few seconds long on a shared machine: more
    #: runs, so one disturbed run moves the median less.
    upload_repeats: int
    import_repeats: int
    quick: bool


FULL = Sizes(csv_rows=1_000_000, xlsx_rows=100_000, validate_rows=1_000_000,
             upload_rows=200_000, rate_limit=600, rate_window=60.0, gui_rows=100_000,
             edit_rows=1_000_000, import_rows=1_000_000, repeats=3, upload_repeats=5,
             import_repeats=1, quick=False)
QUICK = Sizes(csv_rows=20_000, xlsx_rows=2_000, validate_rows=20_000, upload_rows=5_000,
              rate_limit=40, rate_window=5.0, gui_rows=2_000, edit_rows=20_000,
              import_rows=5_000, repeats=2,
              upload_repeats=2, import_repeats=1, quick=True)

MEASUREMENTS = ("csv", "xlsx", "validate", "edit", "upload", "rate", "gui", "gui-edit", "import",
                "mapping",
                "package")


# --------------------------------------------------------------------------- results


@dataclass(slots=True)
class Row:
    what: str
    target: str
    median: str = "—"
    spread: str = "—"
    verdict: str = ""
    notes: list[str] = field(default_factory=list)


def met(ok: bool, sizes: Sizes) -> str:
    if sizes.quick:
        return "quick run: not judged"
    return "✅ met" if ok else "❌ missed"


def fmt_seconds(value: float) -> str:
    return f"{value:.2f} s" if value < 100 else f"{value:.0f} s"


def fmt_bytes(value: float) -> str:
    return f"{value / GIB:.2f} GB" if value >= 0.5 * GIB else f"{value / 1024**2:.0f} MB"


def spread(values: Sequence[float], fmt: Callable[[float], str]) -> str:
    if len(values) == 1:
        return f"{fmt(values[0])} (1 run)"
    return f"{fmt(min(values))} – {fmt(max(values))} ({len(values)} runs)"


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values))


class MeasurementError(Exception):
    """A measurement could not be taken; ``str()`` says why in one line."""


# --------------------------------------------------------------------------- subprocess plumbing


def peak_rss_bytes() -> int | None:
    """This process's peak resident set size so far (``None`` where getrusage is missing)."""
    try:
        import resource
    except ImportError:  # Windows
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(peak if sys.platform == "darwin" else peak * 1024)


def run_worker(name: str, params: dict[str, Any], *, env: dict[str, str] | None = None,
               timeout: float = WORKER_TIMEOUT) -> dict[str, Any]:
    """Run ``run.py --worker name`` in a fresh interpreter; its last stdout line is JSON."""
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", name,
               json.dumps(params)]
    environment = dict(os.environ, **(env or {}))
    environment.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                              env=environment, cwd=ROOT, check=False)
    except subprocess.TimeoutExpired as error:
        raise MeasurementError(f"{name} did not finish within {timeout:.0f} s") from error
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    if done.returncode != 0 or not lines:
        tail = (done.stderr.strip().splitlines() or ["(no output)"])[-1]
        raise MeasurementError(f"{name} failed (exit {done.returncode}): {tail}")
    result: dict[str, Any] = json.loads(lines[-1])
    if "error" in result:
        raise MeasurementError(f"{name}: {result['error']}")
    return result


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class SandboxProcess:
    """``python -m ingest_gui sandbox --port N`` as a child process, stopped on exit."""

    def __init__(self) -> None:
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}/v1"
        self.root_url = f"http://127.0.0.1:{self.port}"
        self._home = tempfile.TemporaryDirectory(prefix="bench-sandbox-")
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int | None:
        return None if self._process is None else self._process.pid

    def __enter__(self) -> SandboxProcess:
        import httpx

        environment = dict(os.environ, INGEST_GUI_HOME=self._home.name)
        self._process = subprocess.Popen(
            [sys.executable, "-m", "ingest_gui", "sandbox", "--port", str(self.port),
             "--rate-limit", "0"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=environment, cwd=ROOT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                error = self._process.stderr.read().decode(errors="replace") if (
                    self._process.stderr) else ""
                raise MeasurementError(f"the sandbox process exited: {error.strip()[-200:]}")
            try:
                httpx.get(f"{self.base_url}/project/demo/datasource/demo/stream",
                          headers=auth_headers(), timeout=1.0)
                return self
            except httpx.TransportError:
                time.sleep(0.1)
        self.__exit__(None, None, None)
        raise MeasurementError("the sandbox process did not start within 30 s")

    def __exit__(self, *exc_info: object) -> None:
        process, self._process = self._process, None
        if process is not None:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            if process.stderr is not None:
                process.stderr.close()
        self._home.cleanup()


def auth_headers() -> dict[str, str]:
    return {"Authorization": f"Bearer {SANDBOX_TOKEN}"}


def sandbox_post(root_url: str, path: str, body: dict[str, Any] | None = None) -> Any:
    import httpx

    answer = httpx.post(f"{root_url}{path}", json=body or {}, headers=auth_headers(), timeout=30)
    answer.raise_for_status()
    return answer.json()


def sandbox_contact_count(base_url: str) -> int:
    import httpx

    answer = httpx.get(f"{base_url}/project/demo/datasource/demo/stream",
                       headers=auth_headers(), timeout=30)
    answer.raise_for_status()
    return int(answer.json()["datasource"]["contacts"])


# --------------------------------------------------------------------------- workers
# Each runs in its own process and returns a JSON-able dict (printed as the last stdout line).


def _preload_core() -> None:
    """Import what the timed code imports lazily, so the clock measures work, not imports."""
    for name in ("numpy", "pandas", "pyarrow", "pyarrow.compute", "pyarrow.csv",
                 "ingest_gui.core.loading"):
        importlib.import_module(name)


def worker_load(params: dict[str, Any]) -> dict[str, Any]:
    from ingest_gui.core.loading import load_table

    _preload_core()
    with contextlib.suppress(ImportError):
        importlib.import_module("fastexcel")
    path = Path(params["path"])
    started = time.perf_counter()
    table = load_table(path)
    seconds = time.perf_counter() - started
    frame = table.frame
    return {
        "seconds": seconds, "peak_rss": peak_rss_bytes(), "rows": len(frame),
        "columns": len(frame.columns), "delimiter": table.delimiter, "encoding": table.encoding,
        "first_phone": str(frame.iloc[0][generate.PHONE_HEADER]),
    }


def worker_pandas_excel(params: dict[str, Any]) -> dict[str, Any]:
    import pandas as pd

    importlib.import_module("openpyxl")
    started = time.perf_counter()
    frame = pd.read_excel(params["path"], engine="openpyxl")
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "peak_rss": peak_rss_bytes(), "rows": len(frame),
            "columns": len(frame.columns)}


def _demo_specs() -> Any:
    """The sandbox's demo datasource specs, fetched over HTTP like the app does."""
    from ingest_gui.api.client import IngestClient
    from ingest_gui.sandbox.server import DEFAULT_TOKEN, SandboxServer

    with (SandboxServer() as server,
          IngestClient(server.base_url, "demo", "demo", DEFAULT_TOKEN) as client):
        return client.fetch_specs()


def contact_mapping(*, with_phone: bool) -> Any:
    from ingest_gui.core.mapping import ImportKind, Mapping

    assignments = {target: header for header, target in generate.CONTACT_MAPPING.items()
                   if with_phone or header != generate.PHONE_HEADER}
    return Mapping(kind=ImportKind.CONTACTS, assignments=assignments)


def worker_validate(params: dict[str, Any]) -> dict[str, Any]:
    from ingest_gui.core.loading import load_table
    from ingest_gui.core.payload import build_batches
    from ingest_gui.core.validation import validate

    _preload_core()
    specs = _demo_specs()
    table = load_table(Path(params["path"]))
    mapping = contact_mapping(with_phone=params["with_phone"])
    if not params["with_phone"]:  # the file without its phone column: nothing of it is read
        table.frame = table.frame.drop(columns=[generate.PHONE_HEADER])
    started = time.perf_counter()
    result = validate(table, mapping, specs)
    validated = time.perf_counter()
    plan = build_batches(result, datasource="demo")
    built = time.perf_counter()
    kinds: dict[str, int] = {}
    if len(result.problems):
        kinds = {str(k): int(v) for k, v in result.problems["kind"].value_counts().items()}
    return {
        "seconds": built - started, "validate_seconds": validated - started,
        "build_seconds": built - validated, "peak_rss": peak_rss_bytes(),
        "rows": len(table), "valid": result.valid_count, "batches": len(plan.batches),
        "items": plan.item_count, "problems": kinds,
    }


def _contact_batches(rows: int) -> list[Any]:
    from ingest_gui.core.mapping import ImportKind
    from ingest_gui.core.payload import Batch

    items = generate.contact_items(rows)
    return [
        Batch.of_items(number, ImportKind.CONTACTS, items[start:start + 100],
                       range(start + 2, start + 2 + len(items[start:start + 100])))
        for number, start in enumerate(range(0, rows, 100))
    ]


def _post_url(base_url: str) -> str:
    return f"{base_url}/project/demo/datasource/demo/stream/contacts"


def _process_cpu_seconds(pid: int | None) -> float | None:
    """User + system CPU seconds of process ``pid`` so far (Linux ``/proc``), else ``None``."""
    if pid is None:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def _upload_engine(base_url: str, batches: Sequence[Any], concurrency: int) -> float:
    from ingest_gui.api.client import IngestClient
    from ingest_gui.core.upload import RowStatus, UploadEngine

    with IngestClient(base_url, "demo", "demo", SANDBOX_TOKEN,
                      max_connections=concurrency) as client:
        engine = UploadEngine(client, concurrency=concurrency)
        started = time.perf_counter()
        result = engine.run(batches)
        seconds = time.perf_counter() - started
    expected = sum(len(batch.rows) for batch in batches)
    accepted = result.count(RowStatus.ACCEPTED)
    if accepted != expected or result.fatal_error:
        raise MeasurementError(f"the engine had {accepted} of {expected} rows accepted "
                               f"({result.fatal_error or 'no fatal error'})")
    return seconds


def _upload_bare(base_url: str, batches: Sequence[Any], threads: int) -> float:
    """The simplest possible load generator: one shared httpx.Client, ``threads`` threads."""
    from concurrent.futures import ThreadPoolExecutor

    import httpx

    url = _post_url(base_url)
    # The same bytes the engine sends: the plan encodes each batch once, before uploading.
    bodies = [batch.encoded.body for batch in batches]
    limits = httpx.Limits(max_connections=threads, max_keepalive_connections=threads)
    headers = {**auth_headers(), "Content-Type": "application/json"}
    with httpx.Client(headers=headers, limits=limits, timeout=30) as client:

        def post(body: bytes) -> None:
            client.post(url, content=body).raise_for_status()

        started = time.perf_counter()
        if threads == 1:
            for body in bodies:
                post(body)
        else:
            with ThreadPoolExecutor(max_workers=threads) as pool:
                list(pool.map(post, bodies))
        return time.perf_counter() - started


def worker_upload(params: dict[str, Any]) -> dict[str, Any]:
    """Engine, bare load generator and sequential loop, interleaved, against one sandbox.

    Besides the time of each run, the CPU time per batch of this process (the client) and of
    the sandbox process (when it runs apart and ``/proc`` tells) is kept: on a loaded two-core
    machine they say more than the wall clock about what bounds what.
    """
    import httpx  # noqa: F401

    from ingest_gui.core import upload

    rows, repeats = params["rows"], params["repeats"]
    concurrency: int = params.get("concurrency") or upload.DEFAULT_CONCURRENCY
    faults: str | None = params.get("faults")
    server_pid: int | None = params.get("server_pid")
    batches = _contact_batches(rows)
    with contextlib.ExitStack() as stack:
        base_url = params.get("base_url")
        if base_url is None:
            from ingest_gui.sandbox.server import SandboxServer

            server = stack.enter_context(SandboxServer())
            base_url = server.base_url
        root_url = base_url.removesuffix("/v1")
        sandbox_post(root_url, "/_sandbox/settings", {"faults": faults})
        variants: dict[str, Callable[[], float]] = {
            "engine": lambda: _upload_engine(base_url, batches, concurrency),
            "bare": lambda: _upload_bare(base_url, batches, concurrency),
            "sequential": lambda: _upload_bare(base_url, batches, 1),
        }
        order = list(variants)
        seconds: dict[str, list[float]] = {name: [] for name in order}
        client_cpu: dict[str, list[float]] = {name: [] for name in order}
        server_cpu: dict[str, list[float]] = {name: [] for name in order}
        for repeat in range(repeats):
            for name in order[repeat % 3:] + order[:repeat % 3]:
                sandbox_post(root_url, "/_sandbox/reset")
                server_before = _process_cpu_seconds(server_pid)
                client_before = time.process_time()
                seconds[name].append(variants[name]())
                client_cpu[name].append((time.process_time() - client_before) / len(batches))
                server_after = _process_cpu_seconds(server_pid)
                if server_before is not None and server_after is not None:
                    server_cpu[name].append((server_after - server_before) / len(batches))
                stored = sandbox_contact_count(base_url)
                if stored != rows:
                    raise MeasurementError(f"{name}: the sandbox holds {stored} contacts, "
                                           f"not {rows}")
                print(f"  upload {name} run {repeat + 1}: {rows / seconds[name][-1]:,.0f} items/s",
                      file=sys.stderr, flush=True)
        sandbox_post(root_url, "/_sandbox/settings", {"faults": None})
    return {"seconds": seconds, "rows": rows, "concurrency": concurrency,
            "client_cpu": client_cpu,
            "server_cpu": server_cpu if all(server_cpu.values()) else None}


def worker_rate(params: dict[str, Any]) -> dict[str, Any]:
    """Hold a sandbox limited to N calls a window for one whole window; count 429s."""
    from ingest_gui.api.client import IngestClient
    from ingest_gui.core.upload import UploadControl, UploadEngine, UploadProgress

    base_url, limit, window = params["base_url"], params["limit"], params["window"]
    root_url = base_url.removesuffix("/v1")
    batches = _contact_batches(100 * (2 * limit + 20))
    sandbox_post(root_url, "/_sandbox/reset")
    sandbox_post(root_url, "/_sandbox/settings", {"rateLimit": limit, "rateLimitWindow": window})
    samples: list[tuple[float, int]] = []

    def on_progress(progress: UploadProgress) -> None:
        samples.append((time.time(), progress.accepted + progress.rejected))

    control = UploadControl()
    outcome: dict[str, Any] = {}
    with IngestClient(base_url, "demo", "demo", SANDBOX_TOKEN) as client:
        engine = UploadEngine(client, concurrency=4, window_seconds=window)

        def upload() -> None:
            try:
                outcome["result"] = engine.run(batches, on_progress=on_progress,
                                               control=control)
            except BaseException as error:  # reported by the main thread
                outcome["error"] = error

        started = time.time()
        # The sandbox's windows are aligned to multiples of their length (as the service's
        # are). The first one is partial and still has its whole budget, so it says nothing
        # about pacing: measure the first whole window after the start.
        first_boundary = (int(started // window) + 1) * window
        second_boundary = first_boundary + window
        thread = threading.Thread(target=upload, name="bench-rate-upload")
        thread.start()
        while time.time() < second_boundary + 0.5 and thread.is_alive():
            time.sleep(0.2)
        control.cancel()
        thread.join()
    sandbox_post(root_url, "/_sandbox/settings", {"rateLimit": None})
    if "error" in outcome:
        raise MeasurementError(f"the engine failed: {outcome['error']}")
    result = outcome["result"]
    if samples and samples[-1][0] < second_boundary:
        raise MeasurementError("the upload ran out of batches before the window ended")
    items = _interpolate(samples, second_boundary) - _interpolate(samples, first_boundary)
    return {
        "items_in_window": items, "window": window, "limit": limit,
        "ceiling_items": limit * 100, "rate_limited": result.rate_limited,
        "retries": result.retries, "seconds": time.time() - started,
    }


def _interpolate(samples: Sequence[tuple[float, int]], moment: float) -> float:
    """Items acknowledged by ``moment``, from (time, cumulative items) progress samples."""
    before = [(t, n) for t, n in samples if t <= moment]
    after = [(t, n) for t, n in samples if t > moment]
    if not before:
        return 0.0
    if not after:
        return float(before[-1][1])
    (t0, n0), (t1, n1) = before[-1], after[0]
    return n0 + (n1 - n0) * (moment - t0) / (t1 - t0)


def worker_gui(params: dict[str, Any]) -> dict[str, Any]:
    """Drive the real wizard offscreen; a QTimer heartbeat measures the GUI thread's stalls."""
    from tests.benchmarks import gui_driver

    return gui_driver.measure(Path(params["path"]), base_url=params["base_url"],
                              mapping=generate.CONTACT_MAPPING, timeout=params["timeout"])


def worker_gui_edit(params: dict[str, Any]) -> dict[str, Any]:
    """The Check page at ``rows`` × 3 columns; a heartbeat measures stalls while cells are fixed."""
    from tests.benchmarks import gui_driver

    return gui_driver.measure_edits(int(params["rows"]), timeout=params["timeout"])


def worker_edit(params: dict[str, Any]) -> dict[str, Any]:
    """Edit cells one at a time and re-check each row on a worker thread (see edit.py)."""
    from tests.benchmarks import edit

    _preload_core()
    return edit.measure_edits(params["rows"], params["edits"])


WORKERS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "load": worker_load,
    "pandas_excel": worker_pandas_excel,
    "validate": worker_validate,
    "edit": worker_edit,
    "upload": worker_upload,
    "rate": worker_rate,
    "gui": worker_gui,
    "gui-edit": worker_gui_edit,
}


def worker_main(name: str, params_json: str) -> int:
    try:
        result = WORKERS[name](json.loads(params_json))
    except MeasurementError as error:
        result = {"error": str(error)}
    except NotImplementedError as error:
        result = {"error": f"not implemented yet ({_where(error)})"}
    except Exception as error:
        import traceback

        traceback.print_exc()
        result = {"error": f"{type(error).__name__}: {error} ({_where(error)})"}
    print(json.dumps(result, default=str), flush=True)
    return 0


def _where(error: BaseException) -> str:
    import traceback

    frames = traceback.extract_tb(error.__traceback__)
    inside = [frame for frame in frames if "ingest_gui" in frame.filename] or frames
    if not inside:
        return "?"
    frame = inside[-1]
    return f"{Path(frame.filename).name}:{frame.lineno} in {frame.name}"


# --------------------------------------------------------------------------- measurements


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def measure_csv(sizes: Sizes, options: argparse.Namespace) -> list[Row]:
    rows = sizes.csv_rows
    what = f"read a {rows:,}-row × 15-column CSV (detection included)"
    path = generate.contacts_csv(rows)
    runs = []
    for repeat in range(sizes.repeats):
        result = run_worker("load", {"path": str(path)})
        if result["rows"] != rows or result["columns"] != 15:
            raise MeasurementError(f"read {result['rows']} rows × {result['columns']} columns, "
                                   f"expected {rows} × 15")
        runs.append(result)
        log(f"  csv run {repeat + 1}: {result['seconds']:.2f} s, "
            f"peak {fmt_bytes(result['peak_rss'] or 0)}")
    seconds = [run["seconds"] for run in runs]
    size_mb = path.stat().st_size / 1e6
    time_row = Row(what, "≤ 1.5 s", fmt_seconds(median(seconds)), spread(seconds, fmt_seconds),
                   met(median(seconds) <= 1.5, sizes),
                   [f"{size_mb:.0f} MB, UTF-8, ';'-separated; detected delimiter "
                    f"{runs[0]['delimiter']!r}, encoding {runs[0]['encoding']!r}"])
    peaks = [run["peak_rss"] for run in runs if run["peak_rss"]]
    if not peaks:
        return [time_row, Row(what + ": peak memory", "≤ 1 GB", verdict="not measured: "
                              "no getrusage on this system")]
    memory_row = Row("peak memory (process RSS) while reading that CSV", "≤ 1 GB",
                     fmt_bytes(median(peaks)), spread(peaks, fmt_bytes),
                     met(median(peaks) <= GIB, sizes))
    return [time_row, memory_row]


def measure_xlsx(sizes: Sizes, options: argparse.Namespace) -> list[Row]:
    rows = sizes.xlsx_rows
    path = generate.contacts_xlsx(rows)
    core: list[float] = []
    pandas: list[float] = []
    for repeat in range(sizes.repeats):
        result = run_worker("load", {"path": str(path)})
        if result["rows"] != rows or result["columns"] != 15:
            raise MeasurementError(f"read {result['rows']} rows × {result['columns']} columns, "
                                   f"expected {rows} × 15")
        core.append(result["seconds"])
        baseline = run_worker("pandas_excel", {"path": str(path)})
        pandas.append(baseline["seconds"])
        log(f"  xlsx run {repeat + 1}: core {core[-1]:.2f} s, pandas/openpyxl "
            f"{pandas[-1]:.2f} s")
    ratios = [p / c for p, c in zip(pandas, core, strict=True)]
    return [
        Row(f"read a {rows:,}-row × 15-column XLSX", "≤ 2 s", fmt_seconds(median(core)),
            spread(core, fmt_seconds), met(median(core) <= 2.0, sizes),
            [f"pandas.read_excel(engine='openpyxl') on the same file: {median(pandas):.1f} s "
             f"median"]),
        Row("… speed-up over pandas.read_excel(engine='openpyxl'), same file, same run",
            "≥ 8×", f"{median(ratios):.1f}×", spread(ratios, lambda r: f"{r:.1f}×"),
            met(median(ratios) >= 8, sizes)),
    ]


def measure_validate(sizes: Sizes, options: argparse.Namespace) -> list[Row]:
    rows = sizes.validate_rows
    path = generate.contacts_csv(rows)
    out = []
    for with_phone, target in ((False, 3.0), (True, 10.0)):
        label = "with" if with_phone else "without"
        runs = []
        for repeat in range(sizes.repeats):
            result = run_worker("validate", {"path": str(path), "with_phone": with_phone})
            runs.append(result)
            log(f"  validate {label} phone run {repeat + 1}: {result['seconds']:.2f} s "
                f"(validate {result['validate_seconds']:.2f} s, build "
                f"{result['build_seconds']:.2f} s), {result['valid']:,} valid, "
                f"{result['batches']:,} batches")
        seconds = [run["seconds"] for run in runs]
        validate_s = median([run["validate_seconds"] for run in runs])
        build_s = median([run["build_seconds"] for run in runs])
        last = runs[-1]
        problems = ", ".join(f"{kind} {count:,}" for kind, count in
                             sorted(last["problems"].items(), key=lambda kv: -kv[1])[:4])
        out.append(Row(
            f"clean, validate and build payloads for {rows:,} contacts, {label} a phone column",
            f"≤ {target:.0f} s", fmt_seconds(median(seconds)), spread(seconds, fmt_seconds),
            met(median(seconds) <= target, sizes),
            [f"{label} phone: validate {validate_s:.2f} s + build {build_s:.2f} s (medians); "
             f"{last['valid']:,} valid rows, {last['items']:,} items in {last['batches']:,} "
             f"batches; problems: {problems or 'none'}; peak "
             f"{fmt_bytes(median([run['peak_rss'] or 0 for run in runs]))}"],
        ))
    return out


@contextlib.contextmanager
def sandbox_for(options: argparse.Namespace) -> Iterator[SandboxProcess | None]:
    """An out-of-process sandbox, or ``None``: the worker starts one in-process."""
    if options.sandbox == "inprocess":
        yield None
        return
    with SandboxProcess() as sandbox:
        yield sandbox


#: Simulated network round trip for the second upload comparison (a real API is not on
#: loopback; Madrid to a European data centre is typically 20-40 ms).
NETWORK_LATENCY_MS = 30


def measure_upload(sizes: Sizes, options: argparse.Namespace) -> list[Row]:
    """The engine at its default concurrency; the bare load generator at the same."""
    rows = sizes.upload_rows
    with sandbox_for(options) as sandbox:
        where_to = ({} if sandbox is None
                    else {"base_url": sandbox.base_url, "server_pid": sandbox.pid})
        loopback = run_worker("upload", {"rows": rows, "repeats": sizes.upload_repeats,
                                         **where_to})
        latency_rows = max(rows // 4, 1000)
        latency = run_worker("upload", {"rows": latency_rows, "repeats": sizes.upload_repeats,
                                        **where_to,
                                        "faults": f"latency={NETWORK_LATENCY_MS}ms"})
    where = ("in-process sandbox (same process as the client)" if sandbox is None
             else "sandbox in its own process (python -m ingest_gui sandbox)")
    return [
        *_upload_rows(f"upload {rows:,} contacts, no rate limit, loopback", loopback, where,
                      sizes, loopback=True),
        *_upload_rows(f"upload {latency_rows:,} contacts with {NETWORK_LATENCY_MS} ms of "
                      "simulated network latency per call", latency, where, sizes),
    ]


def _upload_rows(what: str, result: dict[str, Any], where: str, sizes: Sizes, *,
                 loopback: bool = False) -> list[Row]:
    rows, seconds, threads = result["rows"], result["seconds"], result["concurrency"]
    rate = {name: [rows / s for s in values] for name, values in seconds.items()}
    vs_bare = [e / b for e, b in zip(rate["engine"], rate["bare"], strict=True)]
    vs_seq = [e / s for e, s in zip(rate["engine"], rate["sequential"], strict=True)]

    def per_second(value: float) -> str:
        return f"{value:,.0f} items/s"

    notes = [f"{what}: {where}; bare load generator {median(rate['bare']):,.0f} items/s, "
             f"sequential loop {median(rate['sequential']):,.0f} items/s (medians)"]
    client = {name: median(values) * 1000 for name, values in result["client_cpu"].items()}
    cpu_note = (f"{what}: CPU per batch of 100 (medians): client engine {client['engine']:.2f} ms, "
                f"bare {client['bare']:.2f} ms, sequential {client['sequential']:.2f} ms")
    seq_verdict = met(median(vs_seq) >= 4, sizes)
    if result["server_cpu"] is not None:
        server = median([value for values in result["server_cpu"].values()
                         for value in values]) * 1000
        cpu_note += f"; sandbox {server:.2f} ms"
        if loopback:
            # With nothing to wait on, a sequential batch costs client + sandbox CPU, one
            # after the other; concurrency can at best spread that same CPU over the cores
            # (and each side stays on one: a GIL, one event loop).
            cores = os.cpu_count() or 1
            sequential = client["sequential"] + server
            ceiling = sequential / max(client["engine"], server,
                                       (client["engine"] + server) / cores)
            cpu_note += (f". With no network wait a sequential batch costs {sequential:.2f} ms "
                         f"of CPU; {threads} in flight can at best spread the engine's and the "
                         f"sandbox's CPU over the {cores} cores: about {ceiling:.1f}× the "
                         "sequential loop here (medians of CPU per batch), whatever the engine "
                         "does; the latency rows are the realistic comparison")
            if ceiling < 4 and not sizes.quick and median(vs_seq) < 4:
                seq_verdict += f" ({cores} cores allow about {ceiling:.1f}×)"
    notes.append(cpu_note)
    cpu_rows: list[Row] = []
    if loopback:
        # CPU per batch is steadier than the wall clock, and says what the engine would reach
        # if the client, not the sandbox, were what bounds the run.
        cpu_share = [b / e for b, e in zip(result["client_cpu"]["bare"],
                                           result["client_cpu"]["engine"], strict=True)]
        cpu_rows.append(Row(
            "… client CPU per batch, bare loop ÷ engine (the engine's share were the client the "
            "bottleneck)", "≥ 90%", f"{median(cpu_share):.0%}",
            spread(cpu_share, lambda r: f"{r:.0%}"), met(median(cpu_share) >= 0.9, sizes)))
    return [
        Row(f"{what}: UploadEngine, {threads} in flight", "—",
            per_second(median(rate["engine"])), spread(rate["engine"], per_second), NO_TARGET,
            notes),
        Row(f"… engine ÷ bare httpx load generator (shared Client, {threads} threads), same run",
            "≥ 90%", f"{median(vs_bare):.0%}", spread(vs_bare, lambda r: f"{r:.0%}"),
            met(median(vs_bare) >= 0.9, sizes)),
        *cpu_rows,
        Row("… engine ÷ sequential one-batch-at-a-time loop, same run", "≥ 4×",
            f"{median(vs_seq):.1f}×", spread(vs_seq, lambda r: f"{r:.1f}×"), seq_verdict),
    ]


def measure_rate(sizes: Sizes, options: argparse.Namespace) -> list[Row]:
    limit, window = sizes.rate_limit, sizes.rate_window
    with SandboxProcess() as sandbox:
        result = run_worker("rate", {"base_url": sandbox.base_url, "limit": limit,
                                     "window": window})
    share = result["items_in_window"] / result["ceiling_items"]
    per_minute = result["items_in_window"] * 60 / window
    window_text = f"{window:.0f}-second" if window != 60 else "one-minute"
    return [Row(
        f"upload against a sandbox limited to {limit} calls per {window_text} window",
        "≥ 95% of N × 100 items", f"{share:.1%} ({per_minute:,.0f} items/min)",
        f"1 whole window ({result['seconds']:.0f} s run)", met(share >= 0.95, sizes),
        [f"rate limit: {result['items_in_window']:,.0f} items acknowledged in the first whole "
         f"window after the start (ceiling {result['ceiling_items']:,}); 429s received: "
         f"{result['rate_limited']}; other retries: {result['retries']}"],
    ), Row("… 429s received during that run", "a handful at most",
           str(result["rate_limited"]), "1 run", met(result["rate_limited"] <= 5, sizes))]


def measure_gui(sizes: Sizes, options: argparse.Namespace) -> list[Row]:
    rows = sizes.gui_rows
    what = f"GUI thread: worst stall while loading, validating and uploading {rows:,} rows"
    path = generate.contacts_csv(rows)
    stalls = []
    with SandboxProcess() as sandbox:
        for repeat in range(sizes.repeats):
            sandbox_post(sandbox.root_url, "/_sandbox/reset")
            result = run_worker("gui", {"path": str(path), "base_url": sandbox.base_url,
                                        "timeout": 600 if not sizes.quick else 120})
            stalls.append(result["worst_stall_ms"])
            log(f"  gui run {repeat + 1}: worst stall {result['worst_stall_ms']:.0f} ms "
                f"({result.get('where', '?')})")
    return [Row(what, "≤ 100 ms", f"{median(stalls):.0f} ms",
                spread(stalls, lambda v: f"{v:.0f} ms"), met(median(stalls) <= 100, sizes),
                [f"GUI: {result.get('note', '')}"] if result.get("note") else [])]


def measure_gui_edit(sizes: Sizes, options: argparse.Namespace) -> list[Row]:
    rows = sizes.edit_rows
    what = (f"GUI thread: worst stall while fixing cells on the Check page, {rows:,} rows × 3 "
            "columns")
    stalls = []
    result: dict[str, Any] = {}
    for repeat in range(sizes.repeats):
        result = run_worker("gui-edit",
                            {"rows": rows, "timeout": 600 if not sizes.quick else 120})
        stalls.append(result["worst_stall_ms"])
        log(f"  gui-edit run {repeat + 1}: worst stall {result['worst_stall_ms']:.0f} ms")
    return [Row(what, "≤ 50 ms", f"{median(stalls):.0f} ms",
                spread(stalls, lambda v: f"{v:.0f} ms"), met(median(stalls) <= 50, sizes),
                [f"Edits: {result['note']}"] if result.get("note") else [])]


def measure_import(sizes: Sizes, options: argparse.Namespace) -> list[Row]:
    rows = sizes.import_rows
    path = generate.contacts_csv(rows)
    peaks: list[float] = []
    seconds: list[float] = []
    summary: dict[str, Any] = {}
    with SandboxProcess() as sandbox:
        for repeat in range(sizes.import_repeats):
            sandbox_post(sandbox.root_url, "/_sandbox/reset")
            peak, elapsed, summary = run_cli_import(path, sandbox.base_url)
            peaks.append(peak)
            seconds.append(elapsed)
            log(f"  import run {repeat + 1}: {elapsed:.1f} s, peak {fmt_bytes(peak)}, "
                f"{summary.get('accepted', '?')} accepted")
    return [Row(
        f"peak memory of a whole {rows:,}-row contacts import (ingest-gui import → sandbox)",
        "≤ 2 GB", fmt_bytes(median(peaks)), spread(peaks, fmt_bytes),
        met(median(peaks) <= 2 * GIB, sizes),
        [f"import: peak of the command itself {fmt_bytes(summary['_own_peak'])} (getrusage), "
         f"of its whole process tree {fmt_bytes(summary['_tree_peak'])} (sampled every 50 ms, "
         f"up to {summary['_processes']} processes at once); "
         f"the whole command took {median(seconds):.0f} s (median); last run: "
         + ", ".join(f"{key} {summary[key]:,}" for key in ("rows_read", "valid", "invalid",
                                                           "accepted", "rejected")
                     if isinstance(summary.get(key), int))],
    )]


class TreeMemory:
    """Samples the summed RSS of a process and all its descendants (Linux ``/proc``).

    The phone cleaner may start worker processes; their memory is part of the import's
    footprint but not of the parent's own ``ru_maxrss``.
    """

    INTERVAL = 0.05

    def __init__(self, pid: int) -> None:
        self._pid = pid
        self.peak = 0
        self.most_processes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="bench-tree-rss", daemon=True)
        self.available = Path("/proc/self/stat").exists()

    def __enter__(self) -> TreeMemory:
        if self.available:
            self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        if self.available:
            self._thread.join(timeout=5)

    def _run(self) -> None:
        page = os.sysconf("SC_PAGE_SIZE")
        while not self._stop.wait(self.INTERVAL):
            parents: dict[int, int] = {}
            resident: dict[int, int] = {}
            for entry in Path("/proc").iterdir():
                if not entry.name.isdigit():
                    continue
                try:
                    stat = (entry / "stat").read_text()
                    statm = (entry / "statm").read_text()
                except OSError:
                    continue
                pid = int(entry.name)
                parents[pid] = int(stat.rsplit(")", 1)[1].split()[1])
                resident[pid] = int(statm.split()[1]) * page
            tree = {self._pid}
            grew = True
            while grew:
                grew = False
                for pid, parent in parents.items():
                    if parent in tree and pid not in tree:
                        tree.add(pid)
                        grew = True
            total = sum(resident.get(pid, 0) for pid in tree)
            self.peak = max(self.peak, total)
            self.most_processes = max(self.most_processes, len(tree & resident.keys()))


def run_cli_import(path: Path, base_url: str) -> tuple[float, float, dict[str, Any]]:
    """Run ``python -m ingest_gui import`` as a child: (peak bytes, seconds, JSON summary).

    The peak is the larger of the command's own peak RSS (``wait4``, exact) and the summed RSS
    of its process tree sampled every 50 ms (worker processes included); the summary gets
    ``_own_peak``, ``_tree_peak`` and ``_processes`` added.
    """
    with tempfile.TemporaryDirectory(prefix="bench-import-") as home:
        command = [sys.executable, "-m", "ingest_gui", "import", str(path), "--kind", "contacts",
                   "--sandbox", base_url, "--json",
                   "--error-log", str(Path(home) / "errors.csv")]
        for header, target in generate.CONTACT_MAPPING.items():
            command += ["--map", f"{header}={target}"]
        environment = dict(os.environ, INGEST_GUI_HOME=home)
        environment.pop("INSTASENT_TOKEN", None)
        out_path = Path(home) / "stdout.json"
        err_path = Path(home) / "stderr.txt"
        with out_path.open("wb") as out, err_path.open("wb") as err:
            started = time.perf_counter()
            process = subprocess.Popen(command, stdout=out, stderr=err, env=environment,
                                       cwd=ROOT)
            if not hasattr(os, "wait4"):
                process.wait()
                raise MeasurementError("no os.wait4 on this system: peak memory not measured")
            with TreeMemory(process.pid) as tree:
                _, status, usage = os.wait4(process.pid, 0)
            process.returncode = os.waitstatus_to_exitcode(status)
            elapsed = time.perf_counter() - started
        peak = usage.ru_maxrss if sys.platform == "darwin" else usage.ru_maxrss * 1024
        output = out_path.read_text(encoding="utf-8", errors="replace")
        if process.returncode not in (0, 1):
            errors = err_path.read_text(encoding="utf-8", errors="replace").strip()
            last = errors.splitlines()[-1] if errors else "(nothing on stderr)"
            raise MeasurementError(f"ingest-gui import exited {process.returncode}: {last}")
        try:
            summary = json.loads(output.strip().splitlines()[-1]) if output.strip() else {}
        except json.JSONDecodeError:
            summary = {}
        summary.update(_own_peak=peak, _tree_peak=tree.peak, _processes=tree.most_processes)
        return float(max(peak, tree.peak)), elapsed, summary


def find_package_build() -> tuple[Path, Path] | None:
    """(folder, executable) of the one-folder build ``packaging/build.sh`` makes, if built."""
    if not (ROOT / "packaging" / "build.sh").exists():
        return None
    dist = ROOT / "packaging" / "dist"
    for folder, executable in (
        (dist / "IngestWizard", dist / "IngestWizard" / "IngestWizard"),
        (dist / "IngestWizard", dist / "IngestWizard" / "IngestWizard.exe"),
        (dist / "Instasent Ingest Wizard.app",
         dist / "Instasent Ingest Wizard.app" / "Contents" / "MacOS" / "IngestWizard"),
    ):
        if executable.is_file() and os.access(executable, os.X_OK):
            return folder, executable
    return None


def _package_size(folder: Path) -> int:
    """Bytes of the build's files; PyInstaller's symlinks into ``_internal`` count once."""
    return sum(entry.lstat().st_size for entry in folder.rglob("*")
               if entry.is_file() and not entry.is_symlink())


def _time_to_first_window(executable: Path, environment: dict[str, str]) -> tuple[float, float]:
    """(seconds until the smoke test reports the wizard window, seconds until it exits).

    The smoke test opens the window first, as a real start does, and prints
    ``ok   wizard window`` the moment it shows; the checks after it (heavy imports, a spawned
    worker, sandbox uploads) are not part of starting the app.
    """
    started = time.perf_counter()
    with subprocess.Popen([str(executable), "--smoke-test"], stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL, env=environment) as process:
        assert process.stdout is not None
        window: float | None = None
        for raw in process.stdout:
            line = raw.decode(errors="replace")
            if window is None and line.startswith(("ok   wizard window", "FAIL wizard window")):
                if line.startswith("FAIL"):
                    process.kill()
                    raise MeasurementError(f"the packaged app's window did not open: "
                                           f"{line.strip()[:200]}")
                window = time.perf_counter() - started
        code = process.wait(timeout=300)
    if code != 0 or window is None:
        raise MeasurementError(f"`{executable.name} --smoke-test` failed (exit {code})")
    return window, time.perf_counter() - started


def measure_package(sizes: Sizes, options: argparse.Namespace) -> list[Row]:
    what = "packaged app (one-folder build): size on disk; start until the wizard window shows"
    target = "≤ 1.5 s start"
    build = find_package_build()
    if build is None:
        return [Row(what, target, verdict="not measured: no build (run bash packaging/build.sh "
                    "first; packaging/dist/IngestWizard does not exist)")]
    folder, executable = build
    size = _package_size(folder)
    windows: list[float] = []
    wholes: list[float] = []
    environment = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    with tempfile.TemporaryDirectory(prefix="bench-package-home-") as home:
        environment["INGEST_GUI_HOME"] = home
        for _ in range(sizes.repeats + 1):
            try:
                window, whole = _time_to_first_window(executable, environment)
            except MeasurementError as error:
                return [Row(what, target, fmt_bytes(size), verdict=f"size only: {error}")]
            windows.append(window)
            wholes.append(whole)
    newest = max(entry.lstat().st_mtime for entry in folder.rglob("*"))
    built = datetime.fromtimestamp(newest).strftime("%Y-%m-%d %H:%M")
    first, warm = windows[0], windows[1:]
    return [Row(what, target, f"{fmt_bytes(size)}; start {fmt_seconds(median(warm))}",
                spread(warm, fmt_seconds), met(median(warm) <= 1.5, sizes),
                [f"package: {folder.relative_to(ROOT)} built {built} (files, symlinks counted "
                 f"once); the first start of this run took {first:.2f} s to its window; the "
                 "median is of the starts after it (warm OS file cache: a start after a reboot is "
                 f"slower); the whole smoke test (17 checks) took {median(wholes[1:]):.1f} s"])]


def measure_edit(sizes: Sizes, options: argparse.Namespace) -> list[Row]:
    rows = sizes.validate_rows
    runs = []
    for repeat in range(sizes.repeats):
        result = run_worker("edit", {"rows": rows, "edits": 10 if sizes.quick else 40})
        runs.append(result)
        log(f"  edit run {repeat + 1}: {result['edits']} edits, worst stall "
            f"{max(result['stall']):.1f} ms, CPU median {median(result['cpu']):.1f} ms")
    worst = [max(run["stall"]) for run in runs]
    cpu = [median(run["cpu"]) for run in runs]
    last, first = runs[-1], runs[-1]["first"]

    def ms(value: float) -> str:
        return f"{value:.1f} ms"

    return [
        Row(f"GUI thread: worst stall while re-checking an edited cell at {rows:,} rows × 3 "
            f"columns (revalidate_rows on a worker thread; the worst of {last['edits']} edits "
            "per run)", "≤ 50 ms", ms(median(worst)), spread(worst, ms),
            met(median(worst) <= 50, sizes),
            [f"edit: {last['problems_before']:,} problems before the edits; re-check of one "
             f"row: CPU {median(last['cpu']):.1f} ms, wall {median(last['wall']):.1f} ms "
             f"(medians of the last run's {last['edits']}); the first edit also sorts the "
             f"user-id index: CPU {first['cpu']:.0f} ms, stall {first['stall']:.1f} ms; writing "
             f"the cell into the frame {median(last['write']):.1f} ms (median); the heartbeat "
             f"alone, as long as all the edits: longest gap {last['idle_stall']:.1f} ms (the "
             "machine's noise)"]),
        Row("… CPU of re-checking one edited row (the worker thread's; per run, the median of "
            "its edits)", "a few ms", ms(median(cpu)), spread(cpu, ms), NO_TARGET),
    ]


def measure_mapping(sizes: Sizes, options: argparse.Namespace) -> list[Row]:
    """The export corpus (tests/benchmarks/corpus) through the mapping proposal: quality, not
    speed, so one run in this process whatever the size."""
    from tests.benchmarks import mapping_quality

    api, results = mapping_quality.run()
    summary = mapping_quality.summarise(api, results)
    log(f"  mapping: {summary.right}/{summary.clear_columns} right, "
        f"{summary.wrong_applied} wrong applied, at most {summary.max_wrong_offers} wrong "
        f"offers in a file")
    notes = [f"mapping: {summary.files} files shaped like real exports "
             f"(tests/benchmarks/corpus, synthetic people), {summary.recognisable} of them from a "
             f"known platform: recognised {summary.recognised} of {summary.recognisable}; "
             f"workbook sheet proposed right "
             f"{summary.sheets_right} of {summary.sheets_measured}; secret columns offered "
             f"{summary.secrets_offered}; proposal API: {api}"]
    return [
        Row(f"mapping: columns with a clear target mapped right automatically, "
            f"{summary.files} real-shaped exports", "≥ 95%",
            f"{100 * summary.share:.1f}% ({summary.right}/{summary.clear_columns})", "—",
            met(summary.share >= mapping_quality.TARGET_RIGHT_SHARE and not summary.errors,
                sizes), notes),
        Row("… wrong pairs applied automatically", "0", str(summary.wrong_applied), "—",
            met(summary.wrong_applied == 0, sizes)),
        Row("… wrong offers in the worst file", "≤ 1 per file", str(summary.max_wrong_offers),
            "—", met(not summary.files_over_offer_limit, sizes)),
    ]


MEASURE: dict[str, Callable[[Sizes, argparse.Namespace], list[Row]]] = {
    "csv": measure_csv,
    "xlsx": measure_xlsx,
    "validate": measure_validate,
    "edit": measure_edit,
    "upload": measure_upload,
    "rate": measure_rate,
    "gui": measure_gui,
    "gui-edit": measure_gui_edit,
    "import": measure_import,
    "mapping": measure_mapping,
    "package": measure_package,
}

FAILED_ROWS: dict[str, tuple[str, str]] = {
    "csv": ("read a 1,000,000-row × 15-column CSV", "≤ 1.5 s, ≤ 1 GB"),
    "xlsx": ("read a 100,000-row × 15-column XLSX", "≤ 2 s, ≥ 8× pandas/openpyxl"),
    "validate": ("clean, validate and build payloads for 1,000,000 contacts",
                 "≤ 3 s / ≤ 10 s with phones"),
    "edit": ("GUI thread: worst stall while re-checking an edited cell at 1,000,000 rows",
             "≤ 50 ms"),
    "upload": ("upload 200,000 contacts, no rate limit", "≥ 90% of bare, ≥ 4× sequential"),
    "rate": ("upload against a rate-limited sandbox", "≥ 95% of N × 100 items/min"),
    "gui": ("GUI thread: worst stall while loading, validating and uploading 100,000 rows",
            "≤ 100 ms"),
    "gui-edit": ("GUI thread: worst stall while fixing cells on the Check page, 1,000,000 "
                 "rows × 3 columns", "≤ 50 ms"),
    "import": ("peak memory of a whole 1,000,000-row contacts import", "≤ 2 GB"),
    "mapping": ("mapping: columns with a clear target mapped right automatically", "≥ 95%"),
    "package": ("packaged app: size and cold start", "≤ 1.5 s start"),
}


# --------------------------------------------------------------------------- report


def reference_loop_seconds() -> float:
    """Best of three runs of a fixed pure-Python loop: the host's speed at this moment.

    The machine is a shared virtual one whose speed drifts by a third from hour to hour (the
    same loop, the same file): runs of different days compare by this, not by the clock.
    """
    best = float("inf")
    for _ in range(3):
        started = time.process_time()
        total = 0
        for number in range(5_000_000):
            total += number
        best = min(best, time.process_time() - started)
    return best


def machine_facts() -> list[str]:
    from importlib import metadata

    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = ""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        memory = f", {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / GIB:.0f} GB RAM"
    load = ""
    with contextlib.suppress(OSError, AttributeError):
        load = " (load average at start: {:.1f} / {:.1f} / {:.1f})".format(*os.getloadavg())

    def version(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "not installed"

    packages = ", ".join(f"{name} {version(name)}" for name in (
        "pandas", "pyarrow", "numpy", "fastexcel", "openpyxl", "phonenumbers", "httpx", "msgspec",
        "uvicorn", "PySide6-Essentials"))
    return [
        f"CPU: {cpu}, {os.cpu_count()} logical cores{memory}{load}; reference loop "
        f"(5 million Python additions) {reference_loop_seconds():.2f} s at the start",
        f"OS: {platform.platform()}",
        f"Python {platform.python_version()} ({platform.python_implementation()}); {packages}",
    ]


def render(rows: Sequence[Row], sizes: Sizes, facts: Sequence[str], started: datetime,
           seconds: float) -> str:
    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    lines = [
        "| what | target | median | min–max | verdict |",
        "|---|---|---|---|---|",
    ]
    lines += [f"| {cell(r.what)} | {cell(r.target)} | {cell(r.median)} | {cell(r.spread)} | "
              f"{cell(r.verdict)} |" for r in rows]
    notes = [note for row in rows for note in row.notes]
    mode = "QUICK smoke run (small sizes; not the real figures)" if sizes.quick else "full run"
    header = [
        f"Measured {started:%Y-%m-%d %H:%M} by `python tests/benchmarks/run.py` ({mode}, "
        f"{seconds / 60:.1f} minutes). Each figure is the median of the runs shown (every run "
        "in a fresh process); ratios compare runs made side by side in the same invocation.",
        "",
    ]
    end_load = ""
    with contextlib.suppress(OSError, AttributeError):
        end_load = " Load average at the end: {:.1f} / {:.1f} / {:.1f}.".format(*os.getloadavg())
    end_load += f" Reference loop at the end: {reference_loop_seconds():.2f} s."
    footer = ["", "Machine: " + facts[0] + ".  ", *[fact + ".  " for fact in facts[1:]]]
    footer[-1] = footer[-1].rstrip() + end_load
    if notes:
        footer += ["", "Notes:", *[f"- {note}" for note in notes]]
    return "\n".join(header + lines + footer) + "\n"


def write_readme(section: str, path: Path) -> str | None:
    """Replace what lies between the markers; a sentence saying why not, when it cannot."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        return f"cannot read {path}: {error.strerror or error}"
    pattern = re.compile(re.escape(README_START) + r".*?" + re.escape(README_END), re.DOTALL)
    if not pattern.search(text):
        return (f"{path} has no benchmark section: add the two lines {README_START} and "
                f"{README_END} where the table belongs, then run again with --write-readme.")
    replaced = pattern.sub(lambda _: f"{README_START}\n{section}{README_END}", text, count=1)
    path.write_text(replaced, encoding="utf-8")
    return None


# --------------------------------------------------------------------------- main


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run")
    parser.add_argument("--write-readme", action="store_true",
                        help="write the table between the benchmark markers of the README")
    parser.add_argument("--readme", type=Path, default=None,
                        help=f"the README to write (default {README})")
    parser.add_argument("--only", default=",".join(MEASUREMENTS),
                        help=f"comma-separated subset of: {', '.join(MEASUREMENTS)}")
    parser.add_argument("--repeats", type=int, default=None, help="runs per figure")
    parser.add_argument("--sandbox", choices=["process", "inprocess"], default="process",
                        help="where the upload benchmark's sandbox runs (default: own process)")
    parser.add_argument("--output", type=Path, default=None,
                        help="also write the Markdown section to this file")
    parser.add_argument("--worker", nargs=2, metavar=("NAME", "PARAMS"), help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    options = parse_args(argv)
    if options.worker:
        return worker_main(*options.worker)
    chosen = [name.strip() for name in options.only.split(",") if name.strip()]
    unknown = [name for name in chosen if name not in MEASURE]
    if unknown:
        print(f"run.py: unknown measurement(s) {', '.join(unknown)}; choose from "
              f"{', '.join(MEASUREMENTS)}", file=sys.stderr)
        return 2
    readme = options.readme or README
    if options.write_readme and options.quick and options.readme is None:
        print("run.py: --write-readme with --quick would put smoke-run figures into README.md; "
              "run the full benchmark (or pass --readme PATH for a scratch copy).",
              file=sys.stderr)
        return 2
    sizes = QUICK if options.quick else FULL
    if options.repeats:
        sizes = Sizes(**{**{name: getattr(sizes, name) for name in Sizes.__slots__},
                         "repeats": options.repeats, "upload_repeats": options.repeats})
    started_at = datetime.now()
    started = time.perf_counter()
    facts = machine_facts()
    log("\n".join(facts))
    rows: list[Row] = []
    errors = 0
    for name in MEASUREMENTS:
        if name not in chosen:
            continue
        log(f"[{name}] ...")
        step = time.perf_counter()
        try:
            rows += MEASURE[name](sizes, options)
        except MeasurementError as error:
            errors += 1
            what, target = FAILED_ROWS[name]
            rows.append(Row(what, target, verdict=f"not measured: {error}"))
        log(f"[{name}] {time.perf_counter() - step:.0f} s")
    section = render(rows, sizes, facts, started_at, time.perf_counter() - started)
    print(section)
    if options.output:
        options.output.write_text(section, encoding="utf-8")
    if options.write_readme:
        problem = write_readme(section, readme)
        if problem:
            print(f"run.py: README not updated: {problem}", file=sys.stderr)
            return 3
        print(f"run.py: wrote the table into {readme}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
