"""Fixtures of the reliability suite, and the fault matrix printed after the run."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pytest

from ingest_gui.core import upload as upload_module
from ingest_gui.core.upload import UploadResult

#: fault name -> {"contacts": cell, "events": cell, "retries contacts": n, ...}, filled by
#: ``test_fault_matrix`` and printed as the README's markdown table at the end of the run.
FAULT_MATRIX: dict[str, dict[str, str]] = {}
FAULT_ORDER: list[str] = []
#: Where ``test_crash_resume`` killed the command, counted by kind of moment.
CRASH_POINTS: Counter[str] = Counter()


@dataclass
class EngineSpy:
    """Keeps every :class:`UploadResult` the real engine returned (for the retry counts)."""

    results: list[UploadResult] = field(default_factory=list)

    @property
    def last(self) -> UploadResult:
        return self.results[-1]


@pytest.fixture
def engine_spy(monkeypatch: pytest.MonkeyPatch) -> EngineSpy:
    spy = EngineSpy()
    real_run = upload_module.UploadEngine.run

    def run(self: upload_module.UploadEngine, *args: Any, **kwargs: Any) -> UploadResult:
        result = real_run(self, *args, **kwargs)
        spy.results.append(result)
        return result

    monkeypatch.setattr(upload_module.UploadEngine, "run", run)
    return spy


def fault_matrix_markdown() -> str:
    lines = ["| fault | contacts | events | retries seen (contacts / events) |",
             "|---|---|---|---|"]
    for fault in FAULT_ORDER:
        if fault not in FAULT_MATRIX:
            continue
        cells = FAULT_MATRIX[fault]
        lines.append(
            f"| {fault} | {cells.get('contacts', 'not run')} | {cells.get('events', 'not run')} "
            f"| {cells.get('retries contacts', '–')} / {cells.get('retries events', '–')} |"
        )
    return "\n".join(lines)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if FAULT_MATRIX:
        terminalreporter.section("fault matrix (markdown for the README)")
        terminalreporter.write_line(fault_matrix_markdown())
    if CRASH_POINTS:
        terminalreporter.section("where the crash tests killed the command")
        for point, count in sorted(CRASH_POINTS.items()):
            terminalreporter.write_line(f"{count:3d} × {point}")
