"""Saving the current mapping as a template: the same dialog and sentences on every page."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from ingest_gui.core.mapping import Mapping, save_template, templates_dir
from ingest_gui.core.oserrors import describe_os_error
from ingest_gui.ui.i18n import arg
from ingest_gui.ui.widgets.dialogs import SaveFileDialog

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from ingest_gui.core.loading import LoadedTable


def ask_and_save_template(
    parent: QWidget, mapping: Mapping, table: LoadedTable
) -> tuple[bool, str] | None:
    """Ask where to save ``mapping`` and save it there.

    Returns ``None`` when the user cancelled, else whether it was saved and the sentence to show.
    """
    directory = templates_dir()
    with contextlib.suppress(OSError):  # the save below then says what is wrong, if anything
        directory.mkdir(parents=True, exist_ok=True)
    path = SaveFileDialog.ask(
        parent,
        QCoreApplication.translate("TemplateSaving", "Save the mapping as a template"),
        directory / f"{table.path.stem}.json",
        QCoreApplication.translate("TemplateSaving", "Mapping templates (*.json)"),
    )
    if path is None:
        return None
    if path.suffix.lower() != ".json":
        path = path.with_name(path.name + ".json")
    try:
        save_template(path, mapping, table.headers)
    except OSError as error:
        return False, describe_os_error(error, path=path, writing=True)
    except ValueError as error:  # the core's sentence
        return False, str(error)
    return True, arg(QCoreApplication.translate(
        "TemplateSaving", "Saved the template \"%1\". It will be offered when a file with the "
        "same columns is opened."), path.stem)
