"""Headless commands over the core: ``import``, ``delete``, ``sandbox``, ``runs``.

No Qt here. Exit codes (stable, scripts rely on them):
0 every valid row accepted and none invalid · 1 some rows invalid or rejected ·
2 bad usage or unreadable input · 3 authentication or connection failure ·
4 interrupted (resumable).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from ingest_gui import __version__

if TYPE_CHECKING:
    from ingest_gui.api.client import IngestClient
    from ingest_gui.api.specs import DatasourceSpecs
    from ingest_gui.core.journal import Journal
    from ingest_gui.core.loading import LoadedTable
    from ingest_gui.core.mapping import Mapping
    from ingest_gui.core.upload import UploadControl, UploadProgress

HEADLESS_COMMANDS = frozenset({"import", "delete", "sandbox", "runs"})

EXIT_OK = 0
EXIT_ROWS_FAILED = 1
EXIT_USAGE = 2
EXIT_CONNECTION = 3
EXIT_INTERRUPTED = 4


def is_headless_command(args: Sequence[str]) -> bool:
    """True when ``args`` asks for a command that needs no window."""
    return bool(args) and (args[0] in HEADLESS_COMMANDS or args[0] in {"-h", "--help", "--version"})


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ingest-gui",
        description="Instasent Ingest Wizard. With no command, opens the wizard.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    sandbox = commands.add_parser("sandbox", help="serve the Ingest API sandbox on this machine")
    sandbox.add_argument("--host", default="127.0.0.1")
    sandbox.add_argument("--port", type=int, default=8765)
    sandbox.add_argument("--project", default="demo")
    sandbox.add_argument("--datasource", default="demo")
    sandbox.add_argument("--token", default=None, help="default: a fixed demo token")
    sandbox.add_argument(
        "--rate-limit", type=int, default=None, metavar="CALLS_PER_MIN",
        help="calls per minute per endpoint, answered with X-RateLimit-* headers "
        "(default: 600, like a real datasource; 0: unlimited)",
    )
    sandbox.add_argument("--answer-shape", choices=["A", "B"], default="A")
    sandbox.add_argument("--faults", default=None, metavar="SPEC",
                         help='e.g. "500=0.05,503=0.02,429=0.05,drop=0.02,latency=0-50ms,seed=3"')
    sandbox.add_argument("--state", default=None, metavar="FILE",
                         help="persist contacts and events in FILE across restarts")
    connection_help = "default: the saved connection (see the wizard's Connect page)"

    def add_connection_options(command: argparse.ArgumentParser) -> None:
        group = command.add_argument_group("connection", connection_help)
        group.add_argument("--base-url", default=None)
        group.add_argument("--project", default=None)
        group.add_argument("--datasource", default=None)
        group.add_argument("--sandbox", default=None, metavar="URL",
                           help='a sandbox base URL; project and datasource "demo"')
        group.add_argument("--connection", default=None, metavar="NAME",
                           help="a saved connection other than the last one used")

    def add_file_options(command: argparse.ArgumentParser) -> None:
        command.add_argument("file", metavar="FILE")
        command.add_argument("--sheet", default=None, metavar="NAME")
        command.add_argument("--header-row", type=int, default=None, metavar="N",
                             help="1-based row number of the column names, as shown in the sheet")
        command.add_argument("--encoding", default=None, help="text files: override detection")
        command.add_argument("--delimiter", default=None, help="text files: override detection")
        command.add_argument("--error-log", default=None, metavar="PATH.csv|PATH.xlsx")
        command.add_argument("--json", action="store_true",
                             help="print one JSON summary on stdout")

    importer = commands.add_parser(
        "import", help="import contacts or events from a spreadsheet",
        description="Import a spreadsheet of contacts or events. The token comes from the "
        "INSTASENT_TOKEN environment variable, else the saved connection's keychain entry.",
    )
    add_file_options(importer)
    importer.add_argument("--kind", required=True, choices=["contacts", "events"])
    mapping = importer.add_mutually_exclusive_group()
    mapping.add_argument("--mapping", default=None, metavar="TEMPLATE.json")
    mapping.add_argument("--auto-map", action="store_true",
                         help="apply the high-confidence mapping suggestions")
    importer.add_argument("--map", action="append", default=[], metavar='"Header=target"',
                          help="give that target to that column (repeatable)")
    importer.add_argument("--event-type", default=None, metavar="TYPE")
    importer.add_argument("--with-user-data", action="store_true",
                          help="events: also create/update the contact (_user_data.* targets)")
    importer.add_argument("--dry-run", action="store_true",
                          help="validate against the service without writing anything")
    resume = importer.add_mutually_exclusive_group()
    resume.add_argument(
        "--resume", action="store_true",
        help="continue the unfinished run of this file (the default when one exists)",
    )
    resume.add_argument("--restart", action="store_true",
                        help="ignore an unfinished run and send everything again")
    add_connection_options(importer)

    delete = commands.add_parser(
        "delete", help="permanently remove the contacts whose user ids a column lists"
    )
    add_file_options(delete)
    delete.add_argument("--column", required=True, metavar="HEADER")
    delete.add_argument("--yes", action="store_true", help="confirm the removal")
    resume = delete.add_mutually_exclusive_group()
    resume.add_argument("--resume", action="store_true")
    resume.add_argument("--restart", action="store_true")
    add_connection_options(delete)

    commands.add_parser("runs", help="list recent imports from the journal")
    return parser


def _run_sandbox(options: argparse.Namespace) -> int:
    from pathlib import Path

    from ingest_gui.sandbox.server import (
        DEFAULT_RATE_LIMIT,
        DEFAULT_TOKEN,
        SandboxConfig,
        serve_forever,
    )

    if options.rate_limit is not None and options.rate_limit < 0:
        print("ingest-gui sandbox: --rate-limit takes a number of calls per minute, or 0 for "
              "no limit.", file=sys.stderr)
        return EXIT_USAGE
    config = SandboxConfig(
        project=options.project,
        datasource=options.datasource,
        token=options.token or DEFAULT_TOKEN,
        rate_limit=(DEFAULT_RATE_LIMIT if options.rate_limit is None
                    else options.rate_limit or None),
        answer_shape=options.answer_shape,
        faults=options.faults,
        state_file=Path(options.state) if options.state else None,
    )
    with suppress(KeyboardInterrupt):
        serve_forever(config, host=options.host, port=options.port)
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        options = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    except SystemExit as exit_:
        return int(exit_.code or 0) and EXIT_USAGE
    if options.command == "sandbox":
        return _run_sandbox(options)
    if options.command in {"import", "delete"}:
        return _run_import(options)
    if options.command == "runs":
        return _list_runs()
    parser.print_help(sys.stderr)
    return EXIT_USAGE


class CommandError(Exception):
    """Ends a command with a message on stderr and an exit code."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def _connect(options: argparse.Namespace) -> IngestClient:
    """The client for the chosen connection; the token never comes from the command line."""
    from ingest_gui.api.client import IngestClient
    from ingest_gui.api.errors import IngestError, InsecureURLError
    from ingest_gui.core import connections

    token = os.environ.get("INSTASENT_TOKEN") or None
    if options.sandbox:
        base_url, project, datasource = options.sandbox, "demo", "demo"
        if token is None:
            from ingest_gui.sandbox.server import DEFAULT_TOKEN

            token = DEFAULT_TOKEN
    elif options.base_url or options.project or options.datasource:
        if not (options.project and options.datasource):
            raise CommandError("Give both --project and --datasource.", EXIT_USAGE)
        from ingest_gui.api.client import DEFAULT_BASE_URL

        base_url = options.base_url or DEFAULT_BASE_URL
        project, datasource = options.project, options.datasource
    else:
        saved = (
            next((c for c in connections.load_connections() if c.name == options.connection), None)
            if options.connection
            else connections.last_connection()
        )
        if saved is None:
            raise CommandError(
                "No connection given and none saved. Use --project and --datasource (with the "
                "token in INSTASENT_TOKEN), --sandbox URL, or connect once in the wizard.",
                EXIT_USAGE,
            )
        base_url, project, datasource = saved.base_url, saved.project, saved.datasource
        if token is None:
            try:
                token = connections.read_token(saved.name)
            except connections.KeychainUnavailable as error:
                raise CommandError(str(error), EXIT_CONNECTION) from None
    if not token:
        raise CommandError(
            "No API token: set the INSTASENT_TOKEN environment variable.", EXIT_CONNECTION
        )
    try:
        return IngestClient(base_url, project, datasource, token)
    except InsecureURLError as error:
        raise CommandError(str(error), EXIT_USAGE) from None
    except IngestError as error:
        raise CommandError(str(error), EXIT_CONNECTION) from None


def _load(options: argparse.Namespace, err: TextIO) -> LoadedTable:
    from ingest_gui.core import errorlog
    from ingest_gui.core.loading import LoadError, LoadOptions, load_table

    load_options = LoadOptions(
        sheet=options.sheet, header_row=options.header_row,
        encoding=options.encoding, delimiter=options.delimiter,
    )
    with _progress_line(err, "Reading") as report:
        try:
            table = load_table(Path(options.file), load_options, progress=report)
        except LoadError as error:
            raise CommandError(str(error), EXIT_USAGE) from None
    if errorlog.is_error_log(table.headers):
        table = errorlog.strip_error_log_columns(table)
    for note in table.notes:
        print(f"Note: {note}", file=err)
    return table


def _build_mapping(
    options: argparse.Namespace, table: LoadedTable, specs: DatasourceSpecs
) -> Mapping:
    from ingest_gui.core.mapping import (
        ImportKind,
        Mapping,
        auto_map,
        load_template,
        suggest,
        targets_for,
    )

    if options.command == "delete":
        mapping = Mapping(ImportKind.DELETE)
        if options.column not in table.headers:
            raise CommandError(
                f'{table.path.name} has no column "{options.column}". '
                f"Its columns are: {', '.join(table.headers)}.",
                EXIT_USAGE,
            )
        mapping.assign(options.column, "_user_id")
        return mapping

    kind = ImportKind(options.kind)
    if options.mapping:
        try:
            mapping, _headers = load_template(Path(options.mapping))
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot use the mapping template: {error}", EXIT_USAGE) from None
        if mapping.kind is not kind:
            raise CommandError(
                f"The template maps {mapping.kind.value}, but --kind is {kind.value}.", EXIT_USAGE
            )
    else:
        mapping = Mapping(kind)
    if options.event_type:
        if specs.event_type(options.event_type) is None:
            known = ", ".join(spec.uid for spec in specs.events)
            raise CommandError(
                f'The datasource has no event type "{options.event_type}" (it has: {known}).',
                EXIT_USAGE,
            )
        mapping.event_type = options.event_type
    if options.with_user_data:
        mapping.with_user_data = True
    targets = targets_for(
        kind, specs, event_type=mapping.event_type, with_user_data=mapping.with_user_data
    )
    if options.auto_map:
        auto_map(mapping, suggest(table, targets))
    known_targets = {target.key for target in targets if not target.read_only}
    read_only = {target.key for target in targets if target.read_only}
    for pair in options.map:
        header, separator, target = pair.rpartition("=")
        if not separator or not header:
            raise CommandError(f'--map takes "Header=target", not "{pair}".', EXIT_USAGE)
        if header not in table.headers:
            raise CommandError(f'{table.path.name} has no column "{header}".', EXIT_USAGE)
        if target in read_only:
            raise CommandError(
                f'"{target}" is read-only in this datasource: the service sets it, so it '
                "cannot be imported. Leave that column unmapped.",
                EXIT_USAGE,
            )
        if target not in known_targets:
            raise CommandError(
                f'"{target}" is not something this datasource accepts for {kind.value}. '
                f"Choose one of: {', '.join(sorted(known_targets))}.",
                EXIT_USAGE,
            )
        mapping.assign(header, target)
    if kind is ImportKind.EVENTS and not mapping.event_type and not mapping.event_type_from_column:
        raise CommandError(
            "Say which event type these rows are: --event-type TYPE, or map a column to "
            "_event_type.",
            EXIT_USAGE,
        )
    missing = mapping.missing_required(targets)
    if missing:
        names = ", ".join(f"{target.label} ({target.key})" for target in missing)
        raise CommandError(f"Required targets have no column: {names}. Use --map.", EXIT_USAGE)
    return mapping


@contextmanager
def _progress_line(err: TextIO, title: str) -> Iterator[Any]:
    """A one-line progress display on a terminal; silent otherwise."""
    interactive = err.isatty()
    last = [0.0]

    def report(done: int, total: int) -> None:
        now = time.monotonic()
        if not interactive or now - last[0] < 0.1:
            return
        last[0] = now
        share = f"{100 * done / total:5.1f}%" if total else f"{done:,}"
        print(f"\r{title}: {share}", end="", file=err, flush=True)

    try:
        yield report
    finally:
        if interactive:
            print(f"\r{title}: done    ", file=err, flush=True)


def _upload_progress_printer(err: TextIO) -> Any:
    interactive = err.isatty()

    def show(progress: UploadProgress) -> None:
        if not interactive:
            return
        share = 100 * progress.rows_sent / progress.rows_total if progress.rows_total else 100.0
        eta = f", {progress.eta_seconds:,.0f} s left" if progress.eta_seconds else ""
        wait = f", waiting {progress.waiting_seconds:.0f} s (rate limit)" if (
            progress.waiting_seconds) else ""
        print(
            f"\rUploading: {share:5.1f}%  {progress.accepted:,} accepted, "
            f"{progress.rejected:,} rejected, {progress.retries:,} retries, "
            f"{progress.rate_per_second:,.0f} rows/s{eta}{wait}   ",
            end="", file=err, flush=True,
        )

    return show


@contextmanager
def _cancel_on_interrupt(control: UploadControl, err: TextIO) -> Iterator[None]:
    """Ctrl-C / SIGTERM cancel cleanly: in-flight batches finish and are journalled."""

    def handler(signum: int, _frame: object) -> None:
        print("\nStopping after the batches in flight; run the same command to resume.",
              file=err, flush=True)
        control.cancel()

    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    for sig in previous:
        signal.signal(sig, handler)
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def _default_error_log_path(table: LoadedTable) -> Path:
    from ingest_gui import paths

    folder = paths.data_dir() / "error-logs"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    return folder / f"{table.path.stem}-errors-{stamp}.csv"


def _confirm_delete(options: argparse.Namespace, count: int, datasource: str, err: TextIO) -> None:
    if options.yes:
        return
    if not sys.stdin.isatty():
        raise CommandError(
            f"This would permanently remove {count:,} contacts from {datasource}. "
            "Add --yes to confirm.",
            EXIT_USAGE,
        )
    print(f"Permanently remove {count:,} contacts from {datasource}? Type 'yes' to confirm: ",
          end="", file=err, flush=True)
    if sys.stdin.readline().strip().lower() != "yes":
        raise CommandError("Nothing was removed.", EXIT_INTERRUPTED)


def _run_import(options: argparse.Namespace) -> int:
    out, err = sys.stdout, sys.stderr
    try:
        return _import(options, out, err)
    except CommandError as error:
        print(f"\n{error}" if err.isatty() else str(error), file=err)
        return error.exit_code


def _import(options: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ingest_gui.api.errors import AuthError, IngestError, NotFoundError
    from ingest_gui.core.errorlog import write_error_log
    from ingest_gui.core.journal import JournalError
    from ingest_gui.core.payload import build_batches
    from ingest_gui.core.report import build_report
    from ingest_gui.core.upload import UploadControl, UploadEngine
    from ingest_gui.core.validation import validate

    started = time.monotonic()
    table = _load(options, err)
    client = _connect(options)
    with client:
        try:
            specs = client.fetch_specs()
        except (AuthError, NotFoundError) as error:
            raise CommandError(str(error), EXIT_CONNECTION) from None
        except IngestError as error:
            raise CommandError(f"Cannot reach the Ingest API: {error}", EXIT_CONNECTION) from None
        mapping = _build_mapping(options, table, specs)
        with _progress_line(err, "Checking") as report:
            validation = validate(table, mapping, specs, progress=report)
        plan = build_batches(validation, datasource=client.datasource_key)
        if options.command == "delete":
            _confirm_delete(options, plan.item_count, client.datasource_key.split("|")[-1], err)

        dry_run = bool(getattr(options, "dry_run", False))
        engine = UploadEngine(client, dry_run=dry_run)
        control = UploadControl()
        journal = None if dry_run else _open_journal()
        try:
            run = None
            if journal is not None:
                previous = None if options.restart else journal.find_resumable(
                    fingerprint=table.fingerprint, datasource_key=client.datasource_key,
                    mapping=mapping.to_json(),
                )
                try:
                    if previous is not None:
                        run = journal.resume_run(previous.run_id)
                        started_at = time.localtime(previous.started_at)
                        print(
                            "Resuming the unfinished import started "
                            f"{time.strftime('%Y-%m-%d %H:%M', started_at)} "
                            f"({previous.batches_acknowledged:,} of "
                            f"{previous.batches_total:,} batches already acknowledged; "
                            "use --restart to send everything again).",
                            file=err,
                        )
                    else:
                        run = journal.start_run(
                            kind=mapping.kind.value, file_path=str(table.path.resolve()),
                            fingerprint=table.fingerprint,
                            datasource_key=client.datasource_key,
                            mapping=mapping.to_json(), batches_total=len(plan.batches),
                        )
                except JournalError as error:
                    raise CommandError(str(error), EXIT_USAGE) from None
            with _cancel_on_interrupt(control, err):
                upload = engine.run(
                    plan.batches, on_progress=_upload_progress_printer(err), control=control,
                    journal=run,
                )
            if err.isatty():
                print(file=err)
            report_ = build_report(validation, plan, upload)
            error_log: Path | None = None
            if report_.messages_by_row:
                error_log = Path(options.error_log) if options.error_log else (
                    _default_error_log_path(table))
                try:
                    write_error_log(error_log, table, report_.messages_by_row)
                except OSError as error:
                    raise CommandError(
                        f"Could not write the error log {error_log}: {error}", EXIT_USAGE
                    ) from None
            if upload.auth_failed:
                exit_code = EXIT_CONNECTION
                status = "interrupted"
            elif upload.cancelled or upload.fatal_error:
                exit_code = EXIT_INTERRUPTED
                status = "cancelled" if upload.cancelled else "interrupted"
            elif report_.invalid or report_.rejected:
                exit_code, status = EXIT_ROWS_FAILED, "completed"
            else:
                exit_code, status = EXIT_OK, "completed"
            summary = report_.as_json() | {
                "error_log": str(error_log) if error_log else None,
                "retries": upload.retries,
                "seconds": round(time.monotonic() - started, 3),
                "dry_run": dry_run,
                "status": status,
            }
            if run is not None:
                run.finish(status, summary, str(error_log) if error_log else None)
        finally:
            if journal is not None:
                journal.close()
    _print_summary(summary, upload.fatal_error, options.json, out, err)
    return exit_code


def _print_summary(summary: dict[str, Any], fatal: str | None, as_json: bool, out: TextIO,
                   err: TextIO) -> None:
    if fatal:
        print(fatal, file=err)
    if as_json:
        print(json.dumps(summary), file=out)
        return
    lines = [
        f"Rows read: {summary['rows_read']:,}; valid: {summary['valid']:,}; "
        f"invalid: {summary['invalid']:,}; duplicates: {summary['duplicates']:,}.",
        f"Sent: {summary['sent']:,}; accepted: {summary['accepted']:,}; "
        f"rejected: {summary['rejected']:,}; not sent: {summary['not_sent']:,}.",
    ]
    if summary["events_inside_window"] is not None:
        lines.append(
            f"Events within 1 hour of now or without a date (they trigger automations): "
            f"{summary['events_inside_window'] + summary['events_without_date']:,}; "
            f"outside the window: {summary['events_outside_window']:,}."
        )
    if summary["error_log"]:
        lines.append(f"Error log: {summary['error_log']}")
    if summary["dry_run"]:
        lines.append("Dry run: nothing was written.")
    print("\n".join(lines), file=err)


def _open_journal() -> Journal:
    """The journal, or a sentence saying why it cannot be used (nothing is sent without it)."""
    from ingest_gui.core.journal import Journal, JournalError

    try:
        return Journal()
    except JournalError as error:
        raise CommandError(
            f"{error} Nothing was sent: an import without its journal could not be resumed.",
            EXIT_USAGE,
        ) from None


def _list_runs() -> int:
    try:
        journal = _open_journal()
    except CommandError as error:
        print(error, file=sys.stderr)
        return error.exit_code
    try:
        for run in journal.runs():
            when = time.strftime("%Y-%m-%d %H:%M", time.localtime(run.started_at))
            print(f"#{run.run_id}  {when}  {run.status:<11}  {run.kind:<8}  "
                  f"{run.batches_acknowledged}/{run.batches_total} batches  {run.file_path}")
    finally:
        journal.close()
    return EXIT_OK
