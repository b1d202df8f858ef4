"""Headless commands over the core: ``import``, ``delete``, ``sandbox``, ``runs``.

No Qt here. Exit codes (stable, scripts rely on them):
0 every valid row accepted and none invalid · 1 some rows invalid or rejected ·
2 bad usage or unreadable input · 3 authentication or connection failure · 4 interrupted (resumable).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from ingest_gui import __version__

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
    sandbox.add_argument("--rate-limit", type=int, default=None, metavar="CALLS_PER_MIN")
    sandbox.add_argument("--answer-shape", choices=["A", "B"], default="A")
    sandbox.add_argument("--faults", default=None, metavar="SPEC",
                         help='e.g. "500=0.05,503=0.02,429=0.05,drop=0.02,latency=0-50ms,seed=3"')
    sandbox.add_argument("--state", default=None, metavar="FILE",
                         help="persist contacts and events in FILE across restarts")
    return parser


def _run_sandbox(options: argparse.Namespace) -> int:
    from pathlib import Path

    from ingest_gui.sandbox.server import DEFAULT_TOKEN, SandboxConfig, serve_forever

    config = SandboxConfig(
        project=options.project,
        datasource=options.datasource,
        token=options.token or DEFAULT_TOKEN,
        rate_limit=options.rate_limit,
        answer_shape=options.answer_shape,
        faults=options.faults,
        state_file=Path(options.state) if options.state else None,
    )
    try:
        serve_forever(config, host=options.host, port=options.port)
    except KeyboardInterrupt:
        pass
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        options = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    except SystemExit as exit_:
        return int(exit_.code or 0) and EXIT_USAGE
    if options.command == "sandbox":
        return _run_sandbox(options)
    parser.print_help(sys.stderr)
    return EXIT_USAGE
