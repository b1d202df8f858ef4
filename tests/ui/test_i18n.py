"""The Spanish catalogue is complete, current, compiled, and used."""

from __future__ import annotations

import ast
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from ingest_gui.ui import i18n

TS_FILE = i18n.catalogue_path("es", ".ts")
QM_FILE = i18n.catalogue_path("es", ".qm")
PLACEHOLDER = re.compile(r"%\d+|\{[a-z_]+\}")

#: Calls that put their string argument on screen (or read it to screen-reader users).
VISIBLE_CALLS = frozenset({
    "setText", "setTitle", "setSubTitle", "setWindowTitle", "setToolTip", "setPlaceholderText",
    "setButtonText", "setAccessibleName", "setAccessibleDescription", "setStatusTip",
    "setWhatsThis", "setInformativeText", "addRow", "setHorizontalHeaderLabels",
    "QLabel", "QPushButton", "QCheckBox", "QRadioButton", "QGroupBox", "QToolButton",
    "QAction", "information", "warning", "critical", "question", "about",
})
#: These names are also logging methods: only count them on QMessageBox.
MESSAGE_BOX_CALLS = frozenset({"information", "warning", "critical", "question", "about"})
#: Deliberately not translated: each language is named in itself in the Settings dialog.
UNTRANSLATED = frozenset({"English", "Español"})


def messages(path: Path) -> list[tuple[str, ET.Element]]:
    root = ET.parse(path).getroot()
    return [(context.findtext("name") or "", message)
            for context in root.iter("context") for message in context.iter("message")]


def test_every_string_has_a_finished_spanish_translation():
    unfinished = []
    for context, message in messages(TS_FILE):
        translation = message.find("translation")
        assert translation is not None
        if translation.get("type") in {"unfinished", "vanished", "obsolete"} or not (
                translation.text or "").strip():
            unfinished.append(f"[{context}] {message.findtext('source')!r}")
    assert unfinished == [], "run python -m ingest_gui.ui.i18n and translate:\n" + "\n".join(
        unfinished)


def test_translations_keep_every_placeholder():
    broken = []
    for context, message in messages(TS_FILE):
        source = message.findtext("source") or ""
        translation = message.findtext("translation") or ""
        if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(translation)):
            broken.append(f"[{context}] {source!r} -> {translation!r}")
    assert broken == []


def test_strings_without_a_class_context_need_no_translation():
    """lupdate files ``tr()`` calls outside a class under an empty context, which the running
    app never looks up: such strings would stay English. Only harmless ones (identical in
    Spanish, like "%1 s") may live there."""
    lost = [message.findtext("source") for context, message in messages(TS_FILE)
            if context == "" and message.findtext("translation") != message.findtext("source")]
    assert lost == []


def test_the_catalogue_matches_the_source_code(tmp_path):
    """Re-extracting finds no new, changed or removed string (so none lacks a translation)."""
    copy = tmp_path / TS_FILE.name
    shutil.copy(TS_FILE, copy)
    i18n.extract(copy)
    current = {(c, m.findtext("source")) for c, m in messages(TS_FILE)}
    fresh = {(c, m.findtext("source")) for c, m in messages(copy)}
    assert sorted(fresh - current) == [], "strings in the code missing from the catalogue"
    assert sorted(current - fresh) == [], "strings in the catalogue no longer in the code"


def test_the_compiled_catalogue_is_current(tmp_path):
    compiled = tmp_path / "check.qm"
    i18n.compile_catalogue(TS_FILE, compiled)
    assert compiled.read_bytes() == QM_FILE.read_bytes(), (
        "the .qm is stale: run python -m ingest_gui.ui.i18n")


def _visible_literals(path: Path) -> list[str]:
    """String literals handed straight to a call that shows them (not through tr())."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(
            node.func, "id", "")
        if name not in VISIBLE_CALLS:
            continue
        if name in MESSAGE_BOX_CALLS and not (
                isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "QMessageBox"):
            continue
        for argument in node.args:
            text = None
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                text = argument.value
            elif isinstance(argument, ast.JoinedStr):
                text = ast.unparse(argument)
            if text and re.search(r"[A-Za-z]{2}", text) and text not in UNTRANSLATED:
                found.append(f"{path.name}:{node.lineno}: {text!r}")
    return found


def test_no_visible_string_bypasses_the_translation_system():
    offenders = [line for path in i18n.ui_sources() for line in _visible_literals(path)]
    assert offenders == []


@pytest.mark.gui
def test_the_spanish_catalogue_loads_and_translates(qapp):
    from PySide6.QtCore import QCoreApplication

    try:
        assert i18n.install_translators("es")
        assert QCoreApplication.translate("IngestWizard", "Instasent Ingest Wizard") == (
            "Asistente de importación de Instasent")
    finally:
        i18n.install_translators(i18n.SOURCE_LANGUAGE)
    assert QCoreApplication.translate("IngestWizard", "Instasent Ingest Wizard") == (
        "Instasent Ingest Wizard")
