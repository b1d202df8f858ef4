"""Headless commands over the core: ``import``, ``delete``, ``sandbox``, ``runs``, ``undo``.

The import itself is :class:`ingest_gui.core.workflow.ImportWorkflow`, the same the wizard runs;
this module only turns options into its inputs and its summary into lines, JSON and an exit code.
With any argument the command line answers (usage and exit 2 for an unknown command); only
``ingest-gui`` alone opens the wizard.

No Qt here. Exit codes (stable, scripts rely on them; :class:`~ingest_gui.core.workflow.ExitCode`):
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
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from ingest_gui import __version__

if TYPE_CHECKING:
    from ingest_gui.api.client import IngestClient
    from ingest_gui.api.specs import DatasourceSpecs
    from ingest_gui.core.cancel import CancelToken
    from ingest_gui.core.loading import LoadedTable
    from ingest_gui.core.mapping import Mapping
    from ingest_gui.core.upload import UploadControl, UploadProgress
    from ingest_gui.core.workflow import ImportSummary, ImportWorkflow

HEADLESS_COMMANDS = frozenset({"import", "delete", "map", "sandbox", "runs", "undo"})

# The values of ingest_gui.core.workflow.ExitCode, spelled out so that ``--version`` and
# ``--help`` need not load the core (a test holds them equal).
EXIT_OK = 0
EXIT_ROWS_FAILED = 1
EXIT_USAGE = 2
EXIT_CONNECTION = 3
EXIT_INTERRUPTED = 4


def is_headless_command(args: Sequence[str]) -> bool:
    """True for any arguments: the command line answers them (an unknown command gets usage
    and exit 2 at once). Only no arguments at all open the wizard; so does the process serial
    number (``-psn_...``) that macOS may pass to an app opened from the Finder."""
    return any(not arg.startswith("-psn_") for arg in args)


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
                           help='a sandbox: its address (http://127.0.0.1:8765) or the base URL '
                           'it prints (http://127.0.0.1:8765/v1); project and datasource "demo"')
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
    importer.add_argument(
        "--confirm-consent", default="", metavar="CHANNELS",
        help="confirm that the contacts this import gives marketing consent to agreed to it, "
        "per channel: sms, email, whatsapp, other (comma-separated, e.g. sms,email); "
        "without it an import that gives consent is refused",
    )
    importer.add_argument(
        "--preview", action="store_true",
        help="compare a sample of the rows with the datasource and say what the import would "
        "do; sends nothing")
    importer.add_argument(
        "--allow-unknown-contacts", action="store_true",
        help="events: send them even when some belong to contacts not in the datasource "
        "(the service skips those without an error)")
    importer.add_argument(
        "--snapshot", action="store_true",
        help="contacts: keep a copy of the contacts before sending, so the import can be "
        "undone, however many there are (automatic up to 5,000)")
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

    mapper = commands.add_parser(
        "map", help="say what a file looks like and the mapping it would get; imports nothing",
        description="Recognise the file's source (a Shopify customers export, a Mailchimp "
        "audience, ...) and print the mapping proposed onto the datasource's attributes: one "
        "line per column and target, with its confidence and whether --auto-map applies it. "
        "Nothing is imported.",
    )
    mapper.add_argument("file", metavar="FILE")
    mapper.add_argument("--kind", required=True, choices=["contacts", "events"])
    mapper.add_argument("--event-type", default=None, metavar="TYPE")
    mapper.add_argument("--with-user-data", action="store_true",
                        help="events: also propose the contact's columns (_user_data.*)")
    mapper.add_argument("--sheet", default=None, metavar="NAME")
    mapper.add_argument("--header-row", type=int, default=None, metavar="N",
                        help="1-based row number of the column names, as shown in the sheet")
    mapper.add_argument("--encoding", default=None, help="text files: override detection")
    mapper.add_argument("--delimiter", default=None, help="text files: override detection")
    mapper.add_argument("--json", action="store_true",
                        help="print the proposal as one JSON object on stdout")
    add_connection_options(mapper)

    undo = commands.add_parser(
        "undo", help="take back a contact import: delete the contacts it created and restore "
        "what it changed",
        description="Undo a contact import that kept a copy of its contacts (automatic up to "
        "5,000 contacts, else --snapshot). Running it again continues an interrupted undo. "
        "Events cannot be removed through the Ingest API.")
    which = undo.add_mutually_exclusive_group(required=True)
    which.add_argument("run_id", nargs="?", type=int, default=None, metavar="RUN_ID",
                       help="the run to undo (see ingest-gui runs)")
    which.add_argument("--last", action="store_true", help="undo the latest import")
    undo.add_argument("--yes", action="store_true", help="confirm the undo")
    undo.add_argument("--json", action="store_true", help="print one JSON summary on stdout")
    add_connection_options(undo)

    runs = commands.add_parser("runs", help="list recent imports from the journal")
    runs.add_argument("--json", action="store_true",
                      help="print the runs as one JSON list on stdout")
    runs.add_argument(
        "--forget", type=int, default=None, metavar="RUN_ID",
        help="forget this import: remove its journal rows, its undo snapshot and the error "
        "log the app wrote on its own (never one saved where you chose); needs --yes")
    runs.add_argument("--yes", action="store_true", help="confirm --forget")
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
        return _run_command(_import, options)
    if options.command == "map":
        return _run_command(_map, options)
    if options.command == "runs":
        return _list_runs(options)
    if options.command == "undo":
        return _run_command(_undo, options)
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
    #: Said when no token is found: where to put one, and where we looked.
    no_token = ("No API token: set the INSTASENT_TOKEN environment variable "
                "(looked in: environment).")
    if options.sandbox:
        from ingest_gui.api.urls import with_api_path

        base_url, project, datasource = with_api_path(options.sandbox), "demo", "demo"
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
            token, no_token = _saved_token(saved.name)
    if not token:
        raise CommandError(no_token, EXIT_CONNECTION)
    try:
        return IngestClient(base_url, project, datasource, token)
    except InsecureURLError as error:
        raise CommandError(str(error), EXIT_USAGE) from None
    except IngestError as error:
        raise CommandError(str(error), EXIT_CONNECTION) from None


def _saved_token(connection_name: str) -> tuple[str | None, str]:
    """The token in the keychain entry of ``connection_name``, and the sentence to say when
    there is none, naming where it looked."""
    from ingest_gui.core import connections

    entry = connections.keychain_entry(connection_name)
    try:
        token = connections.read_token(connection_name)
    except connections.KeychainUnavailable as error:
        if not error.keychain:
            return None, ("No API token: set INSTASENT_TOKEN (there is no system keychain on "
                          "this computer); looked in: environment.")
        state = "locked" if error.locked else "could not be read"
        return None, (f"No API token: set INSTASENT_TOKEN or unlock the keychain; looked in: "
                      f"environment, keychain entry {entry} ({error.keychain}: {state}).")
    keychain = connections.keychain_name()
    return token, (f"No API token: set INSTASENT_TOKEN or save the token in the wizard; "
                   f"looked in: environment, keychain entry {entry} ({keychain}).")


def _proposed_sheet(options: argparse.Namespace, err: TextIO) -> str | None:
    """The sheet to read: the one asked for, else the one of a workbook that fits the import's
    kind better than the first (said on stderr, never silently), else None (the first)."""
    from ingest_gui.core.loading import LoadError, sheet_headers
    from ingest_gui.core.sources import propose_sheet

    if options.sheet is not None:
        return str(options.sheet)
    try:
        sheets = sheet_headers(Path(options.file))
    except LoadError:
        return None  # load_table says why, in its own words
    if len(sheets) < 2:
        return None
    kind = "contacts" if options.command == "delete" else options.kind
    proposal = propose_sheet(sheets, kind)
    if proposal is None or proposal.sheet == next(iter(sheets)):
        return None
    print(f'Note: reading the sheet "{proposal.sheet}", which looks like {kind} (the workbook '
          f"has {len(sheets)} sheets: {', '.join(sheets)}); use --sheet to read another.",
          file=err)
    return proposal.sheet


def _load(options: argparse.Namespace, err: TextIO) -> LoadedTable:
    from ingest_gui.core import errorlog
    from ingest_gui.core.loading import LoadError, LoadOptions, load_table

    load_options = LoadOptions(
        sheet=_proposed_sheet(options, err), header_row=options.header_row,
        encoding=options.encoding, delimiter=options.delimiter,
    )
    reading = _ProgressLine(err, "Reading")
    try:
        table = load_table(Path(options.file), load_options, progress=reading)
    except LoadError as error:
        raise CommandError(str(error), EXIT_USAGE) from None
    finally:
        reading.close()
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


class _ProgressLine:
    """A one-line progress display on a terminal (``line(done, total)``); silent otherwise."""

    def __init__(self, err: TextIO, title: str) -> None:
        self._err = err
        self._title = title
        self._interactive = err.isatty()
        self._last = 0.0
        self._closed = False

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if not self._interactive or self._closed or now - self._last < 0.1:
            return
        self._last = now
        share = f"{100 * done / total:5.1f}%" if total else f"{done:,}"
        print(f"\r{self._title}: {share}", end="", file=self._err, flush=True)

    def close(self) -> None:
        """End the line (once)."""
        if self._interactive and not self._closed and self._last:
            print(f"\r{self._title}: done    ", file=self._err, flush=True)
        self._closed = True

    def retitle(self, title: str) -> None:
        """Show the next stage's progress on a new line under ``title``."""
        self.close()
        self._title, self._closed, self._last = title, False, 0.0


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


class _Stop:
    """What Ctrl-C / SIGTERM stops, by stage: the check (nothing sent), the question before a
    removal (nothing sent), or the upload (the batches in flight finish and are journalled)."""

    def __init__(self, cancel: CancelToken, control: UploadControl, err: TextIO) -> None:
        self.cancel = cancel
        self.control = control
        self.err = err
        #: "checking", "confirming" or "sending"
        self.stage = "checking"

    def __call__(self, _signum: int, _frame: object) -> None:
        if self.stage == "confirming":
            raise KeyboardInterrupt
        if self.stage == "sending":
            print("\nStopping after the batches in flight; run the same command to resume.",
                  file=self.err, flush=True)
            self.control.cancel()
            self.cancel.cancel()  # the snapshot's reads, before the first batch
        else:
            self.cancel.cancel()


@contextmanager
def _stopping_on_interrupt(stop: _Stop) -> Iterator[None]:
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    for sig in previous:
        signal.signal(sig, stop)
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


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


def _run_command(command: Callable[[argparse.Namespace, TextIO, TextIO], int],
                 options: argparse.Namespace) -> int:
    """Run a command on stdout/stderr; a :class:`CommandError` ends it with its sentence (on a
    line of its own after a progress line) and its exit code."""
    out, err = sys.stdout, sys.stderr
    try:
        return command(options, out, err)
    except CommandError as error:
        print(f"\n{error}" if err.isatty() else str(error), file=err)
        return error.exit_code


def _import(options: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Gather the choices, then run the one import workflow and print its summary."""
    from ingest_gui.api.errors import AuthError, IngestError, NotFoundError
    from ingest_gui.core.cancel import Cancelled, CancelToken
    from ingest_gui.core.consent import parse_channels
    from ingest_gui.core.upload import UploadControl
    from ingest_gui.core.workflow import (
        CheckResult,
        ConsentRefusedError,
        ImportWorkflow,
        StartedRun,
        UnknownContactsError,
        WorkflowError,
    )

    try:
        consent_confirmed = [channel.value for channel in
                             parse_channels(getattr(options, "confirm_consent", ""))]
    except ValueError as error:
        raise CommandError(f"--confirm-consent: {error}", EXIT_USAGE) from None

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
        stop = _Stop(CancelToken(), UploadControl(), err)
        checking = _ProgressLine(err, "Checking")

        def confirm(checked: CheckResult) -> None:
            checking.close()
            _print_orders(checked.plan.orders_grouped, err)
            # What the import changes in marketing consent is always shown, before anything
            # is sent (withdrawals need no confirmation; grants are refused unless confirmed).
            for sentence in checked.consent.sentences():
                print(sentence, file=err)
            reading.close()
            reading.retitle("Copying the contacts (for undo)")
            _announce_snapshot(workflow, bool(getattr(options, "snapshot", False)), err)
            if options.command == "delete":
                stop.stage = "confirming"
                _confirm_delete(options, checked.plan.item_count,
                                client.datasource_key.split("|")[-1], err)
            stop.stage = "sending"

        def announce(run: StartedRun) -> None:
            if run.resumed is not None:
                previous = run.resumed
                started_at = time.localtime(previous.started_at)
                print(
                    "Resuming the unfinished import started "
                    f"{time.strftime('%Y-%m-%d %H:%M', started_at)} "
                    f"({previous.batches_acknowledged:,} of {previous.batches_total:,} batches "
                    "already acknowledged; use --restart to send everything again).",
                    file=err,
                )

        workflow = ImportWorkflow(
            table, mapping, specs, client, dry_run=bool(getattr(options, "dry_run", False)),
            started=started)
        reading = _ProgressLine(err, "Reading contacts")
        previewing = bool(getattr(options, "preview", False))
        try:
            with workflow, _stopping_on_interrupt(stop):
                if previewing:
                    return _preview_only(workflow, checking, reading, stop.cancel, options,
                                         out, err)
                snapshot = True if getattr(options, "snapshot", False) else None
                outcome = workflow.run(
                    restart=options.restart, check_progress=checking, cancel=stop.cancel,
                    on_progress=_upload_progress_printer(err), control=stop.control,
                    confirm=confirm, on_run=announce,
                    error_log=Path(options.error_log) if options.error_log else None,
                    consent_confirmed=consent_confirmed,
                    allow_unknown_contacts=bool(getattr(options, "allow_unknown_contacts",
                                                        False)),
                    read_progress=reading, snapshot=snapshot,
                )
                reading.close()
        except Cancelled:
            checking.close()
            reading.close()
            raise CommandError("Stopped before sending. Nothing was sent.",
                               EXIT_INTERRUPTED) from None
        except KeyboardInterrupt:
            raise CommandError("Stopped. Nothing was sent.", EXIT_INTERRUPTED) from None
        except ConsentRefusedError as error:
            raise CommandError(
                f"{error} If they did, run the same command with --confirm-consent "
                f"{','.join(error.channels)}.", error.exit_code) from None
        except UnknownContactsError as error:
            reading.close()
            raise CommandError(
                f"{error} Nothing was sent. Import the contacts first; or add "
                "--with-user-data to send each event with its contact (created if missing); "
                "or add --allow-unknown-contacts to send them anyway.", error.exit_code,
            ) from None
        except WorkflowError as error:
            raise CommandError(str(error), error.exit_code) from None
    if err.isatty():
        print(file=err)
    _print_summary(outcome.summary, options.json, out, err)
    return int(outcome.summary.exit_code)


def _announce_snapshot(workflow: ImportWorkflow, wanted: bool, err: TextIO) -> None:
    """A contact import too large for an automatic snapshot says what one costs: that it is
    being taken (``--snapshot``), or that the import will not be undoable without it."""
    choice = workflow.snapshot_choice()
    if choice is None:
        return
    if wanted and not choice.automatic:
        print(choice.cost, file=err)
    elif not wanted and not choice.automatic:
        print(f"This import will not be undoable: {choice.cost} Add --snapshot to keep that "
              "copy.", file=err)


def _preview_only(workflow: ImportWorkflow, checking: _ProgressLine, reading: _ProgressLine,
                  cancel: CancelToken, options: argparse.Namespace, out: TextIO,
                  err: TextIO) -> int:
    """``--preview``: check, compare a sample with the datasource, say it; send nothing."""
    from ingest_gui.core.report import build_report
    from ingest_gui.core.upload import UploadResult
    from ingest_gui.core.workflow import ImportSummary, unknown_contacts_sentence

    checked = workflow.check(progress=checking, cancel=cancel)
    checking.close()
    preview = workflow.preview(progress=reading, cancel=cancel)
    reading.close()
    report = build_report(checked.validation, checked.plan, None)
    summary = ImportSummary.from_report(report, UploadResult(), error_log=None, seconds=0.0,
                                        dry_run=True, run_id=None,
                                        orders=checked.plan.orders_grouped)
    if options.json:
        print(json.dumps({**summary.as_json(), "preview": preview.as_json()}), file=out)
    else:
        print(f"Rows read: {summary.rows_read:,}; valid: {summary.valid:,}; "
              f"invalid: {summary.invalid:,}; duplicates: {summary.duplicates:,}.", file=err)
        _print_orders(summary.orders, err)
        print("\n".join(preview.summary_lines()), file=err)
        if preview.events_would_vanish and workflow.unknown_contacts_matter:
            print(f"{unknown_contacts_sentence(preview)} Importing would need "
                  "--with-user-data or --allow-unknown-contacts.", file=err)
        print("Preview: nothing was sent.", file=err)
    return EXIT_ROWS_FAILED if summary.invalid else EXIT_OK


def _print_orders(orders: tuple[int, int] | None, err: TextIO) -> None:
    """Orders written one row per line item: "312 rows → 120 orders", one event each."""
    if orders is not None:
        rows, count = orders
        print(f"Orders: {rows:,} rows → {count:,} orders (one purchase event per order).",
              file=err)


def _print_summary(summary: ImportSummary, as_json: bool, out: TextIO, err: TextIO) -> None:
    if summary.stopped_because:
        print(summary.stopped_because, file=err)
    for warning in summary.warnings:
        print(f"Warning: {warning}", file=err)
    if as_json:
        print(json.dumps(summary.as_json()), file=out)
        return
    lines = [
        f"Rows read: {summary.rows_read:,}; valid: {summary.valid:,}; "
        f"invalid: {summary.invalid:,}; duplicates: {summary.duplicates:,}.",
        f"Sent: {summary.sent:,}; accepted: {summary.accepted:,}; "
        f"rejected: {summary.rejected:,}; not sent: {summary.not_sent:,}.",
    ]
    if summary.values_left_out:
        lines.append(f"Invalid values left out, the rest of their rows kept: "
                     f"{summary.values_left_out:,} (warnings in the error log).")
    if summary.events_inside_window is not None:
        lines.append(
            f"Events within 1 hour of now or without a date (they trigger automations): "
            f"{summary.events_inside_window + (summary.events_without_date or 0):,}; "
            f"outside the window: {summary.events_outside_window or 0:,}."
        )
    if summary.error_log:
        lines.append(f"Error log: {summary.error_log}")
    if summary.dry_run:
        lines.append("Dry run: nothing was written.")
    print("\n".join(lines), file=err)


def _map(options: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``ingest-gui map``: the proposal for the file, onto the connected datasource."""
    from ingest_gui.api.errors import AuthError, IngestError, NotFoundError
    from ingest_gui.core.mapping import ImportKind, propose_mapping

    table = _load(options, err)
    with _connect(options) as client:
        try:
            specs = client.fetch_specs()
        except (AuthError, NotFoundError) as error:
            raise CommandError(str(error), EXIT_CONNECTION) from None
        except IngestError as error:
            raise CommandError(f"Cannot reach the Ingest API: {error}", EXIT_CONNECTION) from None
    kind = ImportKind(options.kind)
    if options.event_type and specs.event_type(options.event_type) is None:
        known = ", ".join(spec.uid for spec in specs.events)
        raise CommandError(
            f'The datasource has no event type "{options.event_type}" (it has: {known}).',
            EXIT_USAGE,
        )
    proposal = propose_mapping(table, specs, kind, event_type=options.event_type,
                               with_user_data=options.with_user_data)
    body = proposal.as_json(sheet=table.sheet, header_row=table.header_row)
    if options.json:
        print(json.dumps(body, ensure_ascii=False), file=out)
        return EXIT_OK
    where = f', sheet "{table.sheet}"' if table.sheet else ""
    print(f"{table.path.name}{where}, column names in row {table.header_row}: "
          f"{proposal.source_label or 'no known export'}.", file=out)
    width = min(max((len(entry["column"]) for entry in body["columns"]), default=6), 32)
    print(f"  {'column':<{width}}  {'target':<32} {'conf.':>5}  applied  reason", file=out)
    for entry in body["columns"]:
        column = entry["column"]
        if len(column) > width:
            column = column[:width - 1] + "…"
        target = entry["target"] or "—"
        applied = "yes" if entry["applied"] else ("offered" if entry["target"] else "")
        print(f"  {column:<{width}}  {target:<32} {entry['confidence']:>5.2f}  "
              f"{applied:<7}  {entry['reason']}", file=out)
    return EXIT_OK


def _list_runs(options: argparse.Namespace) -> int:
    from ingest_gui.core.workflow import JournalUnavailableError, list_runs

    if options.forget is not None:
        return _forget_run(options)

    try:
        runs = list_runs()
    except JournalUnavailableError as error:
        print(error, file=sys.stderr)
        return error.exit_code
    if options.json:
        print(json.dumps([run.as_json() for run in runs]))
        return EXIT_OK
    for run in runs:
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(run.started_at))
        summary = run.summary
        counts = (f"{summary.accepted:,} accepted, {summary.rejected:,} rejected, "
                  f"{summary.invalid:,} invalid, {summary.not_sent:,} not sent"
                  if summary is not None else
                  f"{run.batches_acknowledged}/{run.batches_total} batches")
        undoable = "  (undoable)" if run.undoable else ""
        print(f"#{run.run_id}  {when}  {run.status:<11}  {run.kind:<8}  {counts}  "
              f"{run.file_path}{undoable}")
    return EXIT_OK


def _forget_run(options: argparse.Namespace) -> int:
    """``ingest-gui runs --forget RUN_ID --yes``: the core's "Forget this import"."""
    from ingest_gui.core.workflow import WorkflowError, forget_run

    run_id = options.forget
    if not options.yes:
        print(f"Forgetting run #{run_id} removes its journal rows, its undo snapshot (it can "
              "no longer be undone or resumed) and the error log the app wrote for it. Add "
              "--yes to confirm.", file=sys.stderr)
        return EXIT_USAGE
    try:
        forgotten = forget_run(run_id)
    except WorkflowError as error:
        print(error, file=sys.stderr)
        return int(error.exit_code)
    print(f"Forgot run #{run_id} ({forgotten.run.kind}, {forgotten.run.file_path}): its journal "
          "rows and undo snapshot are removed.", file=sys.stderr)
    for log in forgotten.deleted_logs:
        print(f"Deleted its error log {log}.", file=sys.stderr)
    for log in forgotten.kept_logs:
        print(f"Kept the error log {log}: you saved it there, so it is yours to delete.",
              file=sys.stderr)
    for _log, reason in forgotten.undeleted_logs:
        print(reason, file=sys.stderr)
    return EXIT_USAGE if forgotten.undeleted_logs else EXIT_OK


def _undo(options: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``ingest-gui undo RUN_ID|--last``: the one undo of the core, confirmed first."""
    from ingest_gui.core.cancel import CancelToken
    from ingest_gui.core.undo import UndoTarget, undo_run
    from ingest_gui.core.upload import UploadControl
    from ingest_gui.core.workflow import WorkflowError

    stop = _Stop(CancelToken(), UploadControl(), err)

    def confirm(target: UndoTarget) -> None:
        if target.unfinished is not None:
            print(f"Continuing the interrupted undo of run #{target.run.run_id} "
                  f"(run #{target.unfinished.run_id}).", file=err)
        if options.yes:
            stop.stage = "sending"
            return
        if not sys.stdin.isatty():
            raise CommandError(f"{target.sentence()} Add --yes to confirm.", EXIT_USAGE)
        stop.stage = "confirming"
        print(f"{target.sentence()} Type 'yes' to confirm: ", end="", file=err, flush=True)
        if sys.stdin.readline().strip().lower() != "yes":
            raise CommandError("Nothing was undone.", EXIT_INTERRUPTED)
        stop.stage = "sending"

    client = _connect(options)
    with client:
        try:
            with _stopping_on_interrupt(stop):
                outcome = undo_run(
                    None if options.last else options.run_id, client, confirm=confirm,
                    on_progress=_upload_progress_printer(err), control=stop.control)
        except KeyboardInterrupt:
            raise CommandError("Stopped. Nothing was undone.", EXIT_INTERRUPTED) from None
        except WorkflowError as error:
            raise CommandError(str(error), error.exit_code) from None
    if err.isatty():
        print(file=err)
    summary = outcome.summary
    if summary.stopped_because:
        print(summary.stopped_because, file=err)
    if summary.status != "completed":
        print("The undo stopped before the end; run the same command to continue it.",
              file=err)
    if options.json:
        print(json.dumps(summary.as_json()), file=out)
    else:
        target = outcome.target
        print(f"Undo of import run #{target.run.run_id} (run #{summary.run_id}): "
              f"{target.deletions:,} created contacts to delete and {target.restorations:,} "
              f"existing contacts to restore; accepted: {summary.accepted:,}; rejected: "
              f"{summary.rejected:,}; not sent: {summary.not_sent:,}. Events cannot be removed "
              "through the Ingest API.", file=err)
    for row, messages in sorted(outcome.upload.messages.items())[:10]:
        print(f"Row {row:,} of the import was not taken back: {' '.join(messages)}", file=err)
    return int(summary.exit_code)
