"""Mapping quality on the export corpus: how much of each real-shaped export auto-map gets right.

    python -m tests.benchmarks.mapping_quality [--json] [--check] [--corpus DIR]

For every file in ``tests/benchmarks/corpus/files`` (see ``corpus/generate.py``), the file is loaded
with :func:`ingest_gui.core.loading.load_table`, the mapping is proposed for the sandbox's demo
datasource, and compared with ``corpus/expected/<file>.json``:

- **right**: a column with a clear target (a non-empty expected list, consent columns aside)
  whose expected targets were all *applied* automatically and nothing wrong with them;
- **wrong applied**: an applied (column, target) pair the expectation does not name (or name as
  acceptable), any applied pair on a consent column, any pair on a secret column;
- **wrong offers**: an offered, not applied, pair the expectation does not name or accept;
- **source**: whether the file was recognised as the expected source.

Targets (issue 14): at least 95 % right overall, no wrong applied pair, at most one wrong offer per
file, no secret column offered. ``--check`` exits 1 when a target is missed.

The proposal comes from ``propose_mapping`` (``ingest_gui.core.sources`` or
``ingest_gui.core.mapping``) where it exists; otherwise from today's ``suggest`` + ``auto_map``,
which knows no sources. The report says which one was measured.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ingest_gui.api.specs import AttributeSpec, DatasourceSpecs, EventParameterSpec, EventSpec
from ingest_gui.core.loading import LoadedTable, LoadError, LoadOptions, load_table
from ingest_gui.core.mapping import ImportKind, Mapping, auto_map, suggest, targets_for
from ingest_gui.sandbox import demo

CORPUS_DIR = Path(__file__).resolve().parent / "corpus"
TARGET_RIGHT_SHARE = 0.95
TARGET_WRONG_OFFERS_PER_FILE = 1


def demo_specs() -> DatasourceSpecs:
    """The sandbox's demo datasource, built from the very dicts the sandbox serves."""
    return DatasourceSpecs(
        attributes=tuple(AttributeSpec.from_json(item) for item in demo.ATTRIBUTES),
        events=tuple(EventSpec.from_json(item) for item in demo.EVENTS),
        event_parameters={
            uid: tuple(EventParameterSpec.from_json(item) for item in items)
            for uid, items in demo.EVENT_PARAMETERS.items()
        },
        default_country=demo.DEFAULT_COUNTRY,
        timezone=demo.TIMEZONE,
    )


@dataclass(frozen=True, slots=True)
class Pair:
    """One proposed (column, target) pair, as the benchmark sees it."""

    column: str
    target: str
    applied: bool
    confidence: float
    reason: str


@dataclass(frozen=True, slots=True)
class Proposal:
    source: str | None
    pairs: tuple[Pair, ...]


Proposer = Callable[[LoadedTable, DatasourceSpecs, ImportKind, "str | None"], Proposal]


def _proposal_api() -> tuple[str, Proposer]:
    """``propose_mapping`` where a branch has it; else today's ``suggest`` + ``auto_map``."""
    for module_name in ("ingest_gui.core.sources", "ingest_gui.core.mapping"):
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError:
            continue
        propose = getattr(module, "propose_mapping", None)
        if propose is not None:
            return f"{module_name}.propose_mapping", _adapt(propose)
    return "ingest_gui.core.mapping.suggest + auto_map (no source recognition)", _fallback


def _adapt(propose: Callable[..., Any]) -> Proposer:
    def run(table: LoadedTable, specs: DatasourceSpecs, kind: ImportKind,
            event_type: str | None) -> Proposal:
        result = propose(table, specs, kind, event_type=event_type, with_user_data=False)
        return Proposal(result.source, tuple(
            Pair(entry.column, entry.target, bool(entry.applied), float(entry.confidence),
                 entry.reason)
            for entry in result.entries if entry.target is not None))
    return run


def _fallback(table: LoadedTable, specs: DatasourceSpecs, kind: ImportKind,
              event_type: str | None) -> Proposal:
    suggestions = suggest(table, targets_for(kind, specs, event_type=event_type))
    mapping = Mapping(kind=kind, event_type=event_type)
    auto_map(mapping, suggestions)
    return Proposal(None, tuple(
        Pair(s.column, s.target, mapping.assignments.get(s.target) == s.column, s.confidence,
             s.reason)
        for s in suggestions))


@dataclass(slots=True)
class FileResult:
    file: str
    source_expected: str | None
    source_found: str | None
    clear_columns: int
    right: int
    wrong_applied: list[str] = field(default_factory=list)
    wrong_offers: list[str] = field(default_factory=list)
    secrets_offered: list[str] = field(default_factory=list)
    #: Expected pairs that were only offered, and those not proposed at all.
    only_offered: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    error: str | None = None
    #: Data rows loaded vs in the file (a report footer loaded as data shows here).
    rows_loaded: int | None = None
    rows_expected: int | None = None
    #: For workbooks: the sheet to import, and the one ``propose_sheet`` picked (when it exists).
    sheet_expected: str | None = None
    sheet_proposed: str | None = None

    @property
    def source_recognised(self) -> bool | None:
        """``None`` when no source is expected (a hand-made spreadsheet)."""
        if self.source_expected is None:
            return None if self.source_found is None else False
        return self.source_found == self.source_expected

    @property
    def share(self) -> float:
        return self.right / self.clear_columns if self.clear_columns else 1.0


def _pair_text(column: str, target: str) -> str:
    return f"{column} → {target}"


def evaluate(expected: dict[str, Any], proposal: Proposal) -> FileResult:
    """Score one file's proposal against its expectation."""
    targets: dict[str, list[str]] = expected["targets"]
    acceptable: dict[str, list[str]] = expected.get("acceptable", {})
    consent = set(expected.get("consent", []))
    sensitive = set(expected.get("sensitive", []))
    result = FileResult(expected["file"], expected["source"], proposal.source, 0, 0)
    applied: dict[str, set[str]] = {}
    offered: dict[str, set[str]] = {}
    wrong_columns: set[str] = set()
    for pair in proposal.pairs:
        allowed = set(targets.get(pair.column, ())) | set(acceptable.get(pair.column, ()))
        text = _pair_text(pair.column, pair.target)
        if pair.column in sensitive:
            result.secrets_offered.append(text)
        if pair.applied:
            applied.setdefault(pair.column, set()).add(pair.target)
            if pair.target not in allowed or pair.column in consent or pair.column in sensitive:
                result.wrong_applied.append(text)
                wrong_columns.add(pair.column)
        else:
            offered.setdefault(pair.column, set()).add(pair.target)
            if pair.target not in allowed:
                result.wrong_offers.append(text)
    for column, wanted in targets.items():
        if not wanted or column in consent:
            continue
        result.clear_columns += 1
        got = applied.get(column, set())
        if set(wanted) <= got and column not in wrong_columns:
            result.right += 1
        for target in wanted:
            if target in got:
                continue
            if target in offered.get(column, set()):
                result.only_offered.append(_pair_text(column, target))
            else:
                result.missed.append(_pair_text(column, target))
    return result


def _sheet_proposer() -> Callable[[dict[str, list[str]], str], str | None] | None:
    """``propose_sheet`` (branch ``sources``) as name-or-None, or ``None`` where it is missing."""
    try:
        module = importlib.import_module("ingest_gui.core.sources")
    except ModuleNotFoundError:
        return None
    propose = getattr(module, "propose_sheet", None)
    if propose is None:
        return None

    def pick(sheets: dict[str, list[str]], kind: str) -> str | None:
        proposal = propose(sheets, kind)
        return None if proposal is None else str(proposal.sheet)
    return pick


def _sheet_headers(table: LoadedTable) -> dict[str, list[str]]:
    headers = {}
    for name in table.sheet_names:
        try:
            headers[name] = load_table(table.path, LoadOptions(sheet=name)).headers
        except LoadError:
            headers[name] = []
    return headers


def expectations(corpus_dir: Path = CORPUS_DIR) -> list[dict[str, Any]]:
    return [json.loads(path.read_text(encoding="utf-8"))
            for path in sorted((corpus_dir / "expected").glob("*.json"))]


def load_expected_table(expected: dict[str, Any], corpus_dir: Path = CORPUS_DIR) -> LoadedTable:
    options = LoadOptions(sheet=expected["sheet"]) if expected.get("sheet") else None
    return load_table(corpus_dir / "files" / expected["file"], options)


def run(corpus_dir: Path = CORPUS_DIR) -> tuple[str, list[FileResult]]:
    api, propose = _proposal_api()
    pick_sheet = _sheet_proposer()
    specs = demo_specs()
    results = []
    for expected in expectations(corpus_dir):
        sheet_proposed = None
        try:
            table = load_expected_table(expected, corpus_dir)
            proposal = propose(table, specs, ImportKind(expected["kind"]),
                               expected["event_type"])
            if expected.get("sheet") and pick_sheet is not None:
                sheet_proposed = pick_sheet(_sheet_headers(table), expected["kind"])
        except Exception as error:  # a crash is a result to report, not a reason to stop
            result = FileResult(expected["file"], expected["source"], None, 0, 0,
                                error=f"{type(error).__name__}: {error}")
        else:
            result = evaluate(expected, proposal)
            result.rows_loaded = len(table)
        result.rows_expected = expected.get("rows")
        result.sheet_expected = expected.get("sheet")
        result.sheet_proposed = sheet_proposed
        results.append(result)
    return api, results


@dataclass(slots=True)
class Summary:
    api: str
    files: int
    clear_columns: int
    right: int
    wrong_applied: int
    max_wrong_offers: int
    files_over_offer_limit: list[str]
    secrets_offered: int
    recognised: int
    recognisable: int
    errors: list[str]
    #: Files whose loaded row count differs from the data rows they hold (not a target).
    row_mismatches: list[str]
    #: Workbooks whose sheet was proposed right, of those measured (``propose_sheet`` exists).
    sheets_right: int
    sheets_measured: int

    @property
    def share(self) -> float:
        return self.right / self.clear_columns if self.clear_columns else 1.0

    @property
    def targets_met(self) -> bool:
        return (self.share >= TARGET_RIGHT_SHARE and self.wrong_applied == 0
                and not self.files_over_offer_limit and self.secrets_offered == 0
                and not self.errors)


def summarise(api: str, results: Sequence[FileResult]) -> Summary:
    return Summary(
        api=api, files=len(results),
        clear_columns=sum(r.clear_columns for r in results),
        right=sum(r.right for r in results),
        wrong_applied=sum(len(r.wrong_applied) for r in results),
        max_wrong_offers=max((len(r.wrong_offers) for r in results), default=0),
        files_over_offer_limit=[r.file for r in results
                                if len(r.wrong_offers) > TARGET_WRONG_OFFERS_PER_FILE],
        secrets_offered=sum(len(r.secrets_offered) for r in results),
        recognised=sum(1 for r in results if r.source_recognised),
        recognisable=sum(1 for r in results if r.source_expected is not None),
        errors=[f"{r.file}: {r.error}" for r in results if r.error],
        row_mismatches=[f"{r.file}: {r.rows_loaded} loaded, {r.rows_expected} in the file"
                        for r in results
                        if r.rows_loaded is not None and r.rows_loaded != r.rows_expected],
        sheets_right=sum(1 for r in results
                         if r.sheet_expected and r.sheet_proposed == r.sheet_expected),
        sheets_measured=sum(1 for r in results if r.sheet_expected and r.error is None)
        if _sheet_proposer() is not None else 0,
    )


def _text_report(summary: Summary, results: Sequence[FileResult], *, details: bool) -> str:
    lines = [f"Proposal API measured: {summary.api}", ""]
    header = (f"{'file':52} {'source':24} {'rec':>4} {'right':>9} {'share':>6} "
              f"{'wrong applied':>13} {'wrong offers':>12}")
    lines += [header, "-" * len(header)]
    for r in results:
        recognised = {True: "yes", False: "NO", None: "—"}[r.source_recognised]
        lines.append(
            f"{r.file[:52]:52} {(r.source_expected or '—')[:24]:24} {recognised:>4} "
            f"{r.right:>4}/{r.clear_columns:<4} {r.share:>6.0%} {len(r.wrong_applied):>13} "
            f"{len(r.wrong_offers):>12}")
        if r.error:
            lines.append(f"    ERROR {r.error}")
        if details:
            for label, items in (("wrong applied", r.wrong_applied),
                                 ("wrong offer", r.wrong_offers),
                                 ("SECRET offered", r.secrets_offered),
                                 ("only offered", r.only_offered), ("missed", r.missed)):
                lines += [f"    {label}: {item}" for item in items]
            if r.source_recognised is False:
                lines.append(f"    source found: {r.source_found}")
            if r.sheet_expected and r.sheet_proposed != r.sheet_expected:
                lines.append(f"    sheet proposed: {r.sheet_proposed} (expected "
                             f"{r.sheet_expected})")
    sheets = (f"{summary.sheets_right}/{summary.sheets_measured} workbooks"
              if summary.sheets_measured else "not measured (no propose_sheet)")
    rows = "; ".join(summary.row_mismatches) or "every file loads its data rows, nothing else"
    lines += [
        "",
        f"Right (applied) : {summary.right}/{summary.clear_columns} = {summary.share:.1%} "
        f"(target ≥ {TARGET_RIGHT_SHARE:.0%})",
        f"Wrong applied   : {summary.wrong_applied} (target 0)",
        f"Wrong offers    : at most {summary.max_wrong_offers} in a file "
        f"(target ≤ {TARGET_WRONG_OFFERS_PER_FILE}); over: "
        f"{', '.join(summary.files_over_offer_limit) or 'none'}",
        f"Secrets offered : {summary.secrets_offered} (target 0)",
        f"Recognised      : {summary.recognised}/{summary.recognisable} files with a source",
        "Sheet proposed  : " + sheets,
        "Rows            : " + rows,
        f"Targets met     : {'yes' if summary.targets_met else 'NO'}",
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--details", action="store_true",
                        help="list every wrong, offered-only and missed pair")
    parser.add_argument("--check", action="store_true",
                        help="exit with status 1 when a target is missed")
    parser.add_argument("--corpus", type=Path, default=CORPUS_DIR,
                        help="a corpus folder (files/ and expected/) other than the committed one")
    arguments = parser.parse_args(argv)
    api, results = run(arguments.corpus)
    summary = summarise(api, results)
    if arguments.json:
        body = {
            "summary": {**asdict(summary), "share": summary.share,
                        "targets_met": summary.targets_met},
            "files": [{**asdict(r), "share": r.share, "source_recognised": r.source_recognised}
                      for r in results],
        }
        print(json.dumps(body, ensure_ascii=False, indent=2))
    else:
        print(_text_report(summary, results, details=arguments.details))
    return 1 if arguments.check and not summary.targets_met else 0


if __name__ == "__main__":
    sys.exit(main())
