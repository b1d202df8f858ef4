"""Render every wizard page to ``resources/screenshots/[es/]<nn>-<page>.png`` for the README.

Run from the checkout (not collected by pytest)::

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/ui/make_screenshots.py [--lang es] [--out DIR]
        [--size 960x640] [--dark]

``--size`` renders at another window size (960x640 is the wizard's minimum) and ``--dark``
with a dark palette, to check that nothing clips and every colour follows the palette.

It drives the real wizard through a whole import on an in-process sandbox: connect, a sample
contacts CSV written to a temporary folder, contacts, auto-mapping, the check, the upload and
the summary. App data goes to a temporary ``INGEST_GUI_HOME`` so nothing of yours is touched.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtGui import QPalette

ROOT = Path(__file__).resolve().parents[2]
WINDOW_SIZE = (960, 640)  # the wizard's default size


def write_sample(folder: Path) -> Path:
    """A small, realistic export: a few rows, Spanish names, one bad email to show problems."""
    path = folder / "clientes.csv"
    rows = [
        ["Customer ID", "Email", "Nombre", "Apellidos", "Móvil", "Plan", "Alta"],
        ["C-1001", "ana.garcia@example.com", "Ana", "García", "612 345 678", "gold", "2024-03-01"],
        ["C-1002", "jordi.puig@example.com", "Jordi", "Puig",
         "+34 622 111 222", "silver", "2024-05-17"],
        ["C-1003", "lucia.martin@example", "Lucía", "Martín", "633 444 555", "gold", "2023-11-30"],
        ["C-1004", "pedro.ruiz@example.com", "Pedro", "Ruiz",
         "644 777 888", "bronze", "2025-01-09"],
        ["C-1005", "maria.lopez@example.com", "María", "López",
         "655 999 000", "gold", "2024-08-22"],
    ]
    with path.open("w", newline="", encoding="utf-8") as stream:
        csv.writer(stream).writerows(rows)
    return path


def use_memory_keychain() -> None:
    """Stand in for the OS keychain, which a headless machine lacks: the pages then look as
    they do on a desktop (no "no system keychain" notice). Nothing is stored anywhere."""
    import keyring

    from tests.conftest import MemoryKeyring  # the test suite's stand-in, same behaviour

    keyring.set_keyring(MemoryKeyring())


def dark_palette() -> QPalette:
    """A dark palette like the one macOS and Windows hand Qt in dark mode."""
    from PySide6.QtGui import QColor, QPalette

    palette = QPalette()
    roles = QPalette.ColorRole
    for role, colour in (
        (roles.Window, "#2b2b2b"), (roles.WindowText, "#e6e6e6"), (roles.Base, "#1e1e1e"),
        (roles.AlternateBase, "#262626"), (roles.Text, "#e6e6e6"), (roles.Button, "#353535"),
        (roles.ButtonText, "#e6e6e6"), (roles.Highlight, "#3d7bd9"),
        (roles.HighlightedText, "#ffffff"), (roles.ToolTipBase, "#353535"),
        (roles.ToolTipText, "#e6e6e6"), (roles.PlaceholderText, "#9a9a9a"),
        (roles.Link, "#6aa8ff"), (roles.Mid, "#4a4a4a"), (roles.Dark, "#1a1a1a"),
        (roles.Light, "#505050"), (roles.Midlight, "#404040"), (roles.Shadow, "#000000"),
    ):
        palette.setColor(role, QColor(colour))
    palette.setColor(QPalette.ColorGroup.Disabled, roles.ButtonText, QColor("#7a7a7a"))
    palette.setColor(QPalette.ColorGroup.Disabled, roles.WindowText, QColor("#7a7a7a"))
    palette.setColor(QPalette.ColorGroup.Disabled, roles.Text, QColor("#7a7a7a"))
    return palette


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=None,
                        help="default: resources/screenshots (resources/screenshots/es for es)")
    parser.add_argument("--lang", choices=["en", "es"], default="en")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per step")
    parser.add_argument("--size", default="x".join(map(str, WINDOW_SIZE)),
                        help="window size, WIDTHxHEIGHT")
    parser.add_argument("--dark", action="store_true", help="render with a dark palette")
    options = parser.parse_args(argv)
    width, height = (int(part) for part in options.size.lower().split("x"))
    if options.out is None:
        options.out = ROOT / "resources" / "screenshots"
        if options.lang != "en":
            options.out = options.out / options.lang
    options.out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="ingest-shots-"))
    os.environ["INGEST_GUI_HOME"] = str(work / "home")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(ROOT))

    from PySide6.QtCore import QEventLoop, QLocale, QTimer
    from PySide6.QtWidgets import QApplication

    from ingest_gui.ui import i18n
    from ingest_gui.ui.app import configure_application
    from ingest_gui.ui.wizard import IngestWizard, PageId

    use_memory_keychain()
    app = QApplication([sys.argv[0]])
    configure_application(app)
    # Numbers as someone working in that language would see them ("3.120" in Spanish).
    QLocale.setDefault(QLocale("es_ES" if options.lang == "es" else "en_US"))
    i18n.install_translators(options.lang)
    if options.dark:
        app.setStyle("Fusion")
        app.setPalette(dark_palette())
    wizard = IngestWizard()
    wizard.resize(width, height)
    wizard.show()

    def spin(milliseconds: int) -> None:
        """Run the real event loop for a while (as app.exec() would)."""
        loop = QEventLoop()
        QTimer.singleShot(milliseconds, loop.quit)
        loop.exec()

    def wait_until(condition: Callable[[], bool], what: str) -> bool:
        deadline = time.monotonic() + options.timeout
        while time.monotonic() < deadline:
            spin(50)
            if condition():
                return True
        print(f"gave up waiting for {what}", file=sys.stderr)
        return False

    def settle() -> None:
        spin(100)

    def shoot(name: str) -> None:
        settle()
        page_id = wizard.currentId()
        target = options.out / f"{page_id + 1:02d}-{name}.png"
        wizard.grab().save(str(target))
        print(f"wrote {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}")

    def advance(what: str) -> bool:
        page = wizard.currentPage()
        if not wait_until(page.isComplete, f"{what} to be complete"):
            return False
        wizard.next()
        settle()
        return True

    try:
        shoot("connect-first-start")
        connect = wizard.currentPage()
        connect.start_sandbox()  # type: ignore[attr-defined]
        wait_until(connect.isComplete, "the sandbox connection")
        shoot("connect")
        if not advance("Connect"):
            return 1
        file_page = wizard.currentPage()
        file_page.open_file(write_sample(work))  # type: ignore[attr-defined]
        wait_until(lambda: not file_page.is_loading(), "the file to load")  # type: ignore[attr-defined]
        shoot("file")
        if not advance("File"):
            return 1
        shoot("what-to-import")
        if not advance("What to import"):
            return 1
        mapping_page = wizard.currentPage()
        auto_map = getattr(mapping_page, "auto_map", None)
        if auto_map is not None:
            auto_map()
            accept_all = getattr(mapping_page, "accept_all_button", None)
            wait_until(lambda: accept_all is None or accept_all.isEnabled()
                       or mapping_page.isComplete(), "the mapping suggestions")
            if accept_all is not None and accept_all.isEnabled():
                accept_all.click()
        shoot("map-columns")
        if not advance("Map columns"):
            return 1
        check_page = wizard.currentPage()
        skip_invalid = getattr(check_page, "skip_checkbox", None)
        wait_until(lambda: check_page.isComplete() or (
            skip_invalid is not None and skip_invalid.isVisible() and skip_invalid.isEnabled()),
            "the check")
        previewing = getattr(check_page, "previewing", None)
        if previewing is not None:  # the preview against the datasource runs after the check
            wait_until(lambda: not previewing.is_running(), "the preview")
        shoot("check")
        if skip_invalid is not None and not check_page.isComplete():
            skip_invalid.setChecked(True)  # upload the valid rows, skip the sample's bad one
        if not advance("Check"):
            return 1
        upload = wizard.page(PageId.UPLOAD)
        start = getattr(upload, "start_upload", None)
        if start is not None and not upload.isComplete():
            start()
        wait_until(upload.isComplete, "the upload")
        shoot("upload")
        if not advance("Upload"):
            return 1
        done = wizard.currentPage()
        wait_until(lambda: not done.is_busy(), "the summary")  # type: ignore[attr-defined]
        shoot("done")
        return 0
    finally:
        wizard.close()
        settle()


if __name__ == "__main__":
    sys.exit(main())
