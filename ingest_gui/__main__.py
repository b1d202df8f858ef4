"""``ingest-gui`` / ``python -m ingest_gui``: the wizard with no arguments, else a command."""

from __future__ import annotations

import io
import multiprocessing
import sys


def main(argv: list[str] | None = None) -> int:
    # A frozen app's worker processes (phone cleaning on both cores) start this same executable;
    # freeze_support() turns them into workers instead of a second wizard.
    multiprocessing.freeze_support()
    # A Windows console is often cp850 or cp1252: a name like "España → clientes" must print
    # (as "España ? clientes" there), never end the command with a UnicodeEncodeError.
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="replace")
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["--smoke-test"]:
        from ingest_gui.ui.smoke import run_smoke_test

        return run_smoke_test(args[1:])
    from ingest_gui import cli

    if cli.is_headless_command(args):
        return cli.main(args)
    # Imported only here so headless commands never load Qt.
    from ingest_gui.ui.app import run_wizard

    return run_wizard(args)


if __name__ == "__main__":
    sys.exit(main())
