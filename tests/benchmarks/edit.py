"""Cell edits on the Check page at scale: what re-checking one edited row costs (a benchmark run
on demand, not a test).

    python -m tests.benchmarks.edit [--rows 1000000] [--edits 40]

A contacts table of ``--rows`` rows × 3 columns (id, e-mail, plan; some e-mails invalid, some ids
repeated) is validated once, then cells are edited one at a time as the Check page does: the
new text is written into the table's frame, then ``revalidate_rows(result, [row])`` runs on a
worker thread while this thread beats every millisecond, as the GUI thread's event loop would.
Per edit it records the re-check's wall time and its thread's CPU time, the longest the
heartbeat waited (the worker keeping the GIL in one long C call is what stalls a GUI), and how
long writing the cell into the frame took (the Check page's model does that part).

The first edit also sorts the user ids into the result's index, which later edits reuse; it is
reported apart. ``run.py --only edit`` shows the same figures as a row of the benchmark table.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # run as a script: make ``tests`` importable
    sys.path.insert(0, str(ROOT))

#: The heartbeat's sleep: a gap beyond it is time the beating thread could not run.
HEARTBEAT_SECONDS = 0.001
INVALID_EMAIL_EVERY = 50
REPEATED_ID_EVERY = 100


def edit_table(rows: int) -> Any:
    """The table, mapping and specs edited: ids ``C0000000``..., every 100th repeating the one
    before it, every 50th e-mail invalid."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa

    from ingest_gui.core.loading import LoadedTable
    from ingest_gui.core.mapping import ImportKind, Mapping
    from tests.core.factories import make_specs

    numbers = np.arange(rows)
    numbers[REPEATED_ID_EVERY - 1::REPEATED_ID_EVERY] -= 1
    ids = pa.array(np.char.add("C", np.char.zfill(numbers.astype(str), 7)), type=pa.large_string())
    emails = np.char.add(np.char.add("user", numbers.astype(str)), "@example.com").astype(object)
    emails[::INVALID_EMAIL_EVERY] = "not an e-mail"
    plans = np.array(["free", "pro", "team"], dtype=object)[numbers % 3]

    def column(values: Any) -> pd.Series:
        return pd.Series(pa.chunked_array([pa.array(values, type=pa.large_string())]),
                         dtype="str")

    frame = pd.DataFrame({"ID": column(ids), "Email": column(emails), "Plan": column(plans)})
    table = LoadedTable(path=Path("edits.csv"), frame=frame,
                        row_numbers=np.arange(2, rows + 2, dtype=np.int64), header_row=1,
                        original_headers=("ID", "Email", "Plan"), format="csv",
                        fingerprint="edit-benchmark")
    mapping = Mapping(ImportKind.CONTACTS,
                      assignments={"_user_id": "ID", "_email": "Email", "plan": "Plan"})
    return table, mapping, make_specs()


def _edits(rows: int, count: int) -> list[tuple[int, str, str]]:
    """(frame row, column, new text): fix or break e-mails, give rows a repeated or a new id."""
    import numpy as np

    rng = np.random.default_rng(7)
    chosen = rng.integers(0, rows, size=count).tolist()
    edits = []
    for number, row in enumerate(chosen):
        kind = number % 4
        if kind == 0:
            edits.append((row, "Email", f"fixed{row}@example.com"))
        elif kind == 1:
            edits.append((row, "Email", "broken again"))
        elif kind == 2:
            edits.append((row, "ID", f"C{int(rng.integers(0, rows)):07d}"))  # likely taken
        else:
            edits.append((row, "ID", f"NEW{number}"))
    return edits


def _recheck_on_a_worker(result: Any, row: int) -> tuple[Any, float, float, float]:
    """(new result, wall seconds, worker CPU seconds, longest heartbeat gap in seconds)."""
    from ingest_gui.core.validation import revalidate_rows

    outcome: dict[str, Any] = {}

    def work() -> None:
        started = time.thread_time()
        outcome["result"] = revalidate_rows(result, [row])
        outcome["cpu"] = time.thread_time() - started

    worker = threading.Thread(target=work, name="edit-recheck")
    longest = 0.0
    started = time.perf_counter()
    worker.start()
    beat = time.perf_counter()
    while worker.is_alive():
        time.sleep(HEARTBEAT_SECONDS)
        now = time.perf_counter()
        longest = max(longest, now - beat)
        beat = now
    worker.join()
    wall = time.perf_counter() - started
    if "result" not in outcome:
        raise RuntimeError(f"re-checking row {row} failed on the worker thread")
    return outcome["result"], wall, outcome["cpu"], longest


def _idle_heartbeat(seconds: float) -> float:
    """The longest heartbeat gap beyond its sleep with no work running: what the machine's own
    scheduling adds (a shared machine's other processes), in seconds."""
    longest = 0.0
    beat = started = time.perf_counter()
    while beat - started < seconds:
        time.sleep(HEARTBEAT_SECONDS)
        now = time.perf_counter()
        longest = max(longest, now - beat)
        beat = now
    return max(longest - HEARTBEAT_SECONDS, 0.0)


def measure_edits(rows: int, edits: int) -> dict[str, Any]:
    """Validate once, then edit ``edits`` cells one by one; figures in milliseconds."""
    from ingest_gui.core.validation import validate

    table, mapping, specs = edit_table(rows)
    result = validate(table, mapping, specs)
    problems_before = len(result.problems)
    runs: list[dict[str, float]] = []
    for row, column, text in _edits(rows, edits + 1):
        written = time.perf_counter()
        table.frame.at[row, column] = text
        write = time.perf_counter() - written
        result, wall, cpu, stall = _recheck_on_a_worker(result, row)
        runs.append({"wall": wall * 1000, "cpu": cpu * 1000,
                     "stall": max(stall - HEARTBEAT_SECONDS, 0.0) * 1000,
                     "write": write * 1000})
    first, later = runs[0], runs[1:]
    idle = _idle_heartbeat(sum(run["wall"] for run in runs) / 1000)
    return {
        "idle_stall": idle * 1000,
        "rows": rows, "edits": len(later), "problems_before": problems_before,
        "problems_after": len(result.problems), "first": first,
        "wall": [run["wall"] for run in later], "cpu": [run["cpu"] for run in later],
        "stall": [run["stall"] for run in later], "write": [run["write"] for run in later],
    }


def summary(figures: dict[str, Any]) -> str:
    def spread(name: str) -> str:
        values = figures[name]
        return (f"median {statistics.median(values):.1f} ms, max {max(values):.1f} ms")

    first = figures["first"]
    return "\n".join([
        f"{figures['rows']:,} rows × 3 columns, {figures['problems_before']:,} problems; "
        f"{figures['edits']} single-cell edits after the first",
        f"  re-check wall:  {spread('wall')}",
        f"  re-check CPU:   {spread('cpu')}",
        f"  GUI-thread stall (longest heartbeat gap beyond 1 ms): {spread('stall')}",
        f"  writing the cell into the frame (the model's part): {spread('write')}",
        f"  first edit (sorts the user-id index): wall {first['wall']:.1f} ms, CPU "
        f"{first['cpu']:.1f} ms, stall {first['stall']:.1f} ms",
        f"  the heartbeat with nothing running, as long as all the edits: longest gap "
        f"{figures['idle_stall']:.1f} ms (the machine's own noise)",
    ])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--edits", type=int, default=40)
    options = parser.parse_args(argv)
    print(summary(measure_edits(options.rows, options.edits)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
