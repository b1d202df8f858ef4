"""``ingest-gui --smoke-test``: prove that an installed (frozen) app can do its job, then exit.

Run by the packaging test and the release workflow on the PyInstaller build, where a missing
hidden import, data file or Qt plugin only shows up at run time. Each check prints one line,
``ok   <check>: <detail>`` or ``FAIL <check>: <reason>``, then a summary line; the exit code is 0
only when every check passed. Tracebacks of failed checks go to stderr and the report file.

The checks, in order: the wizard window opens (first, as in a real start, so the time to this
line is the cold start), every page is built, the app icon and translations load from the
bundle, every heavy library imports, an .xlsx reads through calamine, time zones, phone
metadata and the TLS CA bundle are there, a keychain backend resolves (nothing is written to
it) and no plain-text keyring is bundled, a "spawn" worker process starts, and the built-in
sandbox starts, receives the bundled sample contacts and events through the core (load,
auto-map, validate, batch, upload), holds exactly them, and stops.

Nothing of the user's is touched: settings, journal and logs go to a temporary folder
(``INGEST_GUI_HOME``) unless one is already set. ``--output FILE`` also writes the report to
FILE (on Windows the windowed app has no console to print to).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import tempfile
import threading
import time
import traceback
import urllib.parse
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from ingest_gui import __version__

#: Modules loaded lazily or by name at run time: the ones a frozen build can silently miss.
HEAVY_MODULES = (
    "pandas", "numpy", "pyarrow", "pyarrow.csv", "pyarrow.compute", "fastexcel", "openpyxl",
    "xlrd", "odf.opendocument", "phonenumbers", "rapidfuzz", "httpx", "starlette", "uvicorn",
    "uvicorn.logging", "uvicorn.loops.auto", "uvicorn.protocols.http.auto",
    "uvicorn.protocols.http.h11_impl", "uvicorn.lifespan.on", "anyio._backends._asyncio",
    "tenacity", "keyring", "platformdirs", "tzdata",
)
CONTACTS_SAMPLE = "contacts-sample.csv"
EVENTS_SAMPLE = "events-sample.csv"
#: A contact of the sample checked field by field after the upload (accents, Spanish phone).
SAMPLE_CONTACT = {"_user_id": "C-1001", "_first_name": "María", "_last_name": "García López",
                  "_phone_mobile": "+34612345678", "_country_code": "ES"}
#: The keychain each platform's build must find (a missing hidden import falls back to none).
EXPECTED_KEYRING = {"win32": "keyring.backends.Windows", "darwin": "keyring.backends.macOS"}
_PLAIN_TEXT_KEYRINGS = "keyrings.alt"
_WORKER_TIMEOUT = 120.0


class CheckFailed(Exception):
    """A check's expectation was not met; the message says what was found instead."""


class SmokeReport:
    """Prints one line per check as it finishes, to every stream given.

    A failed check's traceback goes to ``detail_streams`` (stderr, the report file).
    """

    def __init__(self, streams: Sequence[TextIO], detail_streams: Sequence[TextIO] = ()) -> None:
        self._streams = list(streams)
        self._detail_streams = list(detail_streams)
        self.passed = 0
        self.failed: list[str] = []

    def line(self, text: str) -> None:
        for stream in self._streams:
            print(text, file=stream, flush=True)

    def check(self, name: str, run: Callable[[], str]) -> bool:
        started = time.perf_counter()
        try:
            detail = run()
        except Exception as error:
            reason = str(error) if isinstance(error, CheckFailed) else (
                f"{type(error).__name__}: {error}")
            self.failed.append(name)
            self.line(f"FAIL {name}: {reason} [{time.perf_counter() - started:.2f} s]")
            details = traceback.format_exc()
            for stream in self._detail_streams:
                print(details, file=stream, flush=True)
            return False
        self.passed += 1
        self.line(f"ok   {name}: {detail} [{time.perf_counter() - started:.2f} s]")
        return True


def _frozen() -> bool:
    return bool(getattr(sys, "frozen", False))


@contextmanager
def _private_home() -> Iterator[Path]:
    """A throwaway INGEST_GUI_HOME unless the caller chose one (tests do)."""
    chosen = os.environ.get("INGEST_GUI_HOME")
    if chosen:
        yield Path(chosen)
        return
    with tempfile.TemporaryDirectory(prefix="ingest-gui-smoke-",
                                     ignore_cleanup_errors=True) as folder:
        os.environ["INGEST_GUI_HOME"] = folder
        try:
            yield Path(folder)
        finally:
            os.environ.pop("INGEST_GUI_HOME", None)


def _needs_offscreen() -> bool:
    """No display to open a window on (Linux CI, SSH): Qt's offscreen platform instead."""
    if os.environ.get("QT_QPA_PLATFORM"):
        return False
    if sys.platform in {"win32", "darwin"}:
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


# -- the checks --------------------------------------------------------------------------------

class _Gui:
    """The Qt part: one QApplication and one wizard, kept for the later checks."""

    def __init__(self) -> None:
        self.wizard: Any = None
        #: Run inside a program that already had a QApplication (the tests): leave it as found.
        self.borrowed_app = False

    def open_window(self) -> str:
        if _needs_offscreen():
            os.environ["QT_QPA_PLATFORM"] = "offscreen"
        from PySide6.QtWidgets import QApplication

        from ingest_gui.ui import i18n, settings
        from ingest_gui.ui.app import configure_application

        existing = QApplication.instance()
        self.borrowed_app = isinstance(existing, QApplication)
        app = existing if isinstance(existing, QApplication) else QApplication(
            [sys.argv[0]])
        configure_application(app)
        i18n.install_translators(i18n.resolve_language(settings.language_choice()))
        from ingest_gui.ui.widgets.common import deliver_events
        from ingest_gui.ui.wizard import IngestWizard

        self.wizard = IngestWizard()
        self.wizard.show()
        deliver_events()
        if not self.wizard.isVisible():
            raise CheckFailed("the wizard window did not show")
        return (f'"{self.wizard.windowTitle()}" shown on the '
                f'{QApplication.platformName()} platform')

    def pages(self) -> str:
        from ingest_gui.ui.wizard import PAGES

        ids = list(self.wizard.pageIds())
        names = [type(self.wizard.page(page_id)).__name__ for page_id in ids]
        expected = [page.__name__ for page in PAGES]
        if names != expected:
            raise CheckFailed(f"built {names}, expected {expected}")
        return f"{len(names)} built ({', '.join(names)})"

    def icon(self) -> str:
        from ingest_gui.ui.resources import app_icon

        pixmap = app_icon().pixmap(64, 64)
        if pixmap.isNull():
            raise CheckFailed("app.svg did not render (Qt's SVG plugins are missing?)")
        return f"app.svg rendered at {pixmap.width()}x{pixmap.height()}"

    def translations(self) -> str:
        from ingest_gui.ui import i18n, settings

        try:
            if not i18n.install_translators("es"):
                raise CheckFailed(f"{i18n.catalogue_path('es')} did not load")
            from PySide6.QtCore import QCoreApplication

            spanish = QCoreApplication.translate("UnexpectedErrorDialog", "Unexpected error")
            if spanish == "Unexpected error":
                raise CheckFailed("the Spanish catalogue loaded but translates nothing")
        finally:
            i18n.install_translators(i18n.resolve_language(settings.language_choice()))
        return f'Spanish catalogue loaded ("Unexpected error" -> "{spanish}")'

    def close(self) -> str:

        from ingest_gui.ui import i18n
        from ingest_gui.ui.widgets.common import deliver_events

        self.wizard.close()
        deliver_events()
        if self.borrowed_app:
            i18n.install_translators(i18n.SOURCE_LANGUAGE)  # removes the ones installed here
        if self.wizard.isVisible():
            raise CheckFailed("the wizard did not close")
        return "closed; every page shut down"


def _import_modules() -> str:
    versions = []
    missing = []
    for name in HEAVY_MODULES:
        try:
            module = importlib.import_module(name)
        except Exception as error:
            missing.append(f"{name} ({type(error).__name__}: {error})")
            continue
        version = getattr(module, "__version__", None)
        if "." not in name and isinstance(version, str):
            versions.append(f"{name} {version}")
    if missing:
        raise CheckFailed("cannot import " + "; ".join(missing))
    return f"{len(HEAVY_MODULES)} imported ({', '.join(versions)})"


def _time_zones() -> str:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    madrid = datetime(2024, 7, 1, 12, tzinfo=ZoneInfo("Europe/Madrid"))
    offset = madrid.utcoffset()
    if offset is None or offset.total_seconds() != 7200:
        raise CheckFailed(f"Europe/Madrid in July is UTC{offset}, expected UTC+02:00")
    return "Europe/Madrid resolves (UTC+02:00 in summer)"


def _phone_metadata() -> str:
    from ingest_gui.core.cleaning import format_phone

    expected = {"ES|612 345 678": "+34612345678", "|+52 55 1234 5678": "+525512345678",
                "|+44 7911 123456": "+447911123456"}
    found = {key: format_phone(key) for key in expected}
    if found != expected:
        raise CheckFailed(f"formatted {found}, expected {expected}")
    return "Spanish, Mexican and British numbers formatted to E.164"


def _tls_bundle() -> str:
    import ssl

    import certifi

    bundle = Path(certifi.where())
    if not bundle.is_file():
        raise CheckFailed(f"the CA bundle {bundle} is missing")
    context = ssl.create_default_context(cafile=str(bundle))
    count = len(context.get_ca_certs())
    if count == 0:
        raise CheckFailed(f"the CA bundle {bundle} holds no certificates")
    return f"{count} CA certificates for HTTPS"


def _backend_modules(backend: Any) -> list[str]:
    """The modules of ``backend`` and, for keyring's chainer, of every backend it chains."""
    chained = getattr(backend, "backends", None)
    members = list(chained) if isinstance(chained, list | tuple) else []
    return [type(item).__module__ for item in [backend, *members]]


def _read_workbook() -> str:
    """An .xlsx through fastexcel (calamine hands Arrow data to pyarrow from Rust)."""
    import fastexcel
    import pandas as pd

    from ingest_gui.core.loading import load_table

    header = ["Email", "First name", "Orders"]
    rows: list[list[str | int]] = [["ana@example.com", "Ána", 3], ["luis@example.com", "Luís", 12]]
    with tempfile.TemporaryDirectory(prefix="ingest-gui-smoke-",
                                     ignore_cleanup_errors=True) as folder:
        path = Path(folder) / "workbook.xlsx"
        # pandas loads its openpyxl writer by name (a hidden import of its own).
        pd.DataFrame(rows, columns=header).to_excel(path, index=False, engine="openpyxl")
        # Straight through calamine first: the app's loader would quietly fall back to
        # openpyxl if fastexcel were broken.
        arrow = fastexcel.read_excel(str(path)).load_sheet(0, dtypes="string").to_arrow()
        table = load_table(path)
    expected = [header, *[[str(cell) for cell in row] for row in rows]]
    through_calamine = [arrow.schema.names, *[list(row.values()) for row in arrow.to_pylist()]]
    through_loader = [table.headers, *table.frame.astype(str).values.tolist()]
    for reader, found in (("fastexcel", through_calamine), ("the loader", through_loader)):
        if found != expected:
            raise CheckFailed(f"{reader} read {found}, expected {expected}")
    return f"{len(table)} rows read from an .xlsx by calamine and by the loader"


def _keyring_backend() -> str:
    import keyring

    from ingest_gui.core import connections

    backend = keyring.get_keyring()  # resolves the backend; nothing is read or written
    modules = _backend_modules(backend)
    name = f"{type(backend).__module__}.{type(backend).__name__}"
    plain = [module for module in modules if module.startswith(_PLAIN_TEXT_KEYRINGS)]
    if plain:
        raise CheckFailed(f"{name} would store tokens in a plain-text file ({plain[0]})")
    expected = EXPECTED_KEYRING.get(sys.platform)
    if _frozen() and expected is not None and not any(
            module.startswith(expected) for module in modules):
        raise CheckFailed(f"{name} resolved; this build must use {expected} (hidden import "
                          "or keyring entry-point metadata missing)")
    usable = "a system keychain" if connections.keychain_available() else (
        "no system keychain (tokens kept in memory)")
    chained = f" chaining {', '.join(modules[1:])}" if len(modules) > 1 else ""
    return f"{name}{chained}: {usable}"


def _no_plain_text_keyring() -> str:
    import importlib.util

    try:
        spec = importlib.util.find_spec(_PLAIN_TEXT_KEYRINGS)
    except ModuleNotFoundError:  # the "keyrings" namespace itself is absent
        spec = None
    if spec is None:
        return f"{_PLAIN_TEXT_KEYRINGS} is not importable"
    if _frozen():
        raise CheckFailed(f"{_PLAIN_TEXT_KEYRINGS} is bundled: exclude it in the spec")
    return (f"{_PLAIN_TEXT_KEYRINGS} is installed in this environment (not a frozen build; "
            "the spec excludes it)")


def _worker_process() -> str:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from ingest_gui.core.cleaning.phones import format_phones

    # The phone cleaner's own pool settings; a frozen app needs freeze_support() for this.
    context = multiprocessing.get_context("spawn")
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        result = pool.submit(format_phones, ["ES|612 345 678"]).result(timeout=_WORKER_TIMEOUT)
    if result != ["+34612345678"]:
        raise CheckFailed(f"the worker answered {result}")
    return f"a spawn worker formatted a phone in {time.perf_counter() - started:.1f} s"


class _SandboxRun:
    """Starts the in-process sandbox, imports the bundled samples into it, stops it."""

    def __init__(self) -> None:
        self.server: Any = None
        self.client: Any = None

    def start(self) -> str:
        from ingest_gui.api.client import IngestClient
        from ingest_gui.sandbox.server import SandboxConfig, SandboxServer

        config = SandboxConfig()
        self.server = SandboxServer(config).start()
        self.client = IngestClient(self.server.base_url, config.project, config.datasource,
                                   config.token, timeout=15.0)
        return f"listening on {self.server.base_url}"

    def _import(self, sample: str, kind: str, event_type: str | None = None) -> tuple[int, int]:
        from ingest_gui import paths
        from ingest_gui.core.loading import load_table
        from ingest_gui.core.mapping import ImportKind, Mapping, auto_map, suggest, targets_for
        from ingest_gui.core.payload import build_batches
        from ingest_gui.core.upload import RowStatus, UploadEngine
        from ingest_gui.core.validation import validate

        path = paths.resources_dir() / "samples" / sample
        table = load_table(path)
        specs = self.client.fetch_specs()
        mapping = Mapping(ImportKind(kind))
        mapping.event_type = event_type
        targets = targets_for(mapping.kind, specs, event_type=event_type)
        auto_map(mapping, suggest(table, targets))
        missing = mapping.missing_required(targets)
        if missing:
            raise CheckFailed(f"auto-map left required targets unmapped in {sample}: "
                              f"{', '.join(target.key for target in missing)}")
        validation = validate(table, mapping, specs)
        if validation.invalid_count:
            raise CheckFailed(f"{validation.invalid_count} of {len(table)} rows of {sample} "
                              f"are invalid: {validation.problems['message'].tolist()[:3]}")
        plan = build_batches(validation, datasource=self.client.datasource_key)
        result = UploadEngine(self.client).run(plan.batches)
        if result.fatal_error or result.count(RowStatus.ACCEPTED) != len(table):
            raise CheckFailed(
                f"{result.count(RowStatus.ACCEPTED)} of {len(table)} rows of {sample} accepted"
                f"{'; ' + result.fatal_error if result.fatal_error else ''}")
        return len(table), len(plan.batches)

    def import_contacts(self) -> str:
        rows, batches = self._import(CONTACTS_SAMPLE, "contacts")
        contacts = self.server.state()["contacts"]
        if len(contacts) != rows:
            raise CheckFailed(f"the sandbox holds {len(contacts)} contacts, expected {rows}")
        stored = contacts.get(SAMPLE_CONTACT["_user_id"], {})
        differing = {key: stored.get(key) for key, value in SAMPLE_CONTACT.items()
                     if stored.get(key) != value}
        if differing:
            raise CheckFailed(f"contact {SAMPLE_CONTACT['_user_id']} was stored with {differing}")
        return f"{rows} rows of {CONTACTS_SAMPLE} in {batches} batch(es); the sandbox holds them"

    def import_events(self) -> str:
        rows, batches = self._import(EVENTS_SAMPLE, "events", event_type="purchase")
        events = self.server.state()["events"]
        if len(events) != rows or {event.get("_event_type") for event in events} != {"purchase"}:
            raise CheckFailed(f"the sandbox holds {len(events)} events, expected {rows} purchases")
        return f"{rows} rows of {EVENTS_SAMPLE} in {batches} batch(es); the sandbox holds them"

    def stop(self) -> str:
        if self.client is not None:
            self.client.close()
        if self.server is None:
            raise CheckFailed("the sandbox never started")
        url = self.server.base_url
        port = urllib.parse.urlsplit(url).port
        self.server.stop()
        # Only this server's thread: a host process (the test suite) may run sandboxes of its own.
        leftover = [thread.name for thread in threading.enumerate()
                    if thread.name == f"sandbox-{port}"]
        if leftover:
            raise CheckFailed(f"server threads still running: {leftover}")
        return f"{url} stopped"


def _run_checks(report: SmokeReport) -> None:
    gui = _Gui()
    if report.check("wizard window", gui.open_window):
        report.check("wizard pages", gui.pages)
        report.check("app icon", gui.icon)
        report.check("translations", gui.translations)
    report.check("heavy modules", _import_modules)
    report.check("read workbook", _read_workbook)
    report.check("time zones", _time_zones)
    report.check("phone metadata", _phone_metadata)
    report.check("TLS certificates", _tls_bundle)
    report.check("keyring backend", _keyring_backend)
    report.check("plain-text keyring", _no_plain_text_keyring)
    report.check("worker process", _worker_process)
    sandbox = _SandboxRun()
    if report.check("sandbox start", sandbox.start):
        report.check("import contacts", sandbox.import_contacts)
        report.check("import events", sandbox.import_events)
    report.check("sandbox stop", sandbox.stop)
    if gui.wizard is not None:
        report.check("wizard close", gui.close)


def run_smoke_test(argv: Sequence[str] = ()) -> int:
    """Run every check; 0 when all passed, 1 otherwise (see the module docstring)."""
    parser = argparse.ArgumentParser(prog="ingest-gui --smoke-test",
                                     description="Check that this installation works.")
    parser.add_argument("--output", type=Path, default=None, metavar="FILE",
                        help="also write the report to FILE")
    options = parser.parse_args(list(argv))
    started = time.perf_counter()
    streams: list[TextIO] = [sys.stdout] if sys.stdout is not None else []
    output = options.output.open("w", encoding="utf-8") if options.output else None
    if output is not None:
        streams.append(output)
    try:
        # A windowed app on Windows has neither stdout nor stderr (None).
        details = [stream for stream in (sys.stderr, output) if stream is not None]
        report = SmokeReport(streams, details)
        build = "frozen build" if _frozen() else "from source"
        report.line(f"Smoke test of Instasent Ingest Wizard {__version__} ({build}, "
                    f"{sys.platform}, Python {sys.version.split()[0]})")
        with _private_home():
            _run_checks(report)
        seconds = time.perf_counter() - started
        if report.failed:
            report.line(f"smoke test FAILED: {len(report.failed)} of "
                        f"{report.passed + len(report.failed)} checks ({', '.join(report.failed)})"
                        f" in {seconds:.1f} s")
            return 1
        report.line(f"smoke test passed: {report.passed} checks in {seconds:.1f} s")
        return 0
    finally:
        if output is not None:
            output.close()


__all__ = ["HEAVY_MODULES", "CheckFailed", "SmokeReport", "run_smoke_test"]
