"""The catalogues are complete, current, compiled, and used.

Spanish translates every string; English (the source language) holds only the plural forms of
the count sentences ("%Ln row(s) ...": "1 row ...", "2 rows ..."), as Qt's "Handling Plurals"
recommends.
"""

from __future__ import annotations

import ast
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from ingest_gui.ui import i18n

TS_FILE = i18n.catalogue_path("es", ".ts")
EN_TS_FILE = i18n.catalogue_path("en", ".ts")
CATALOGUES = [i18n.catalogue_path(language, ".ts") for language in i18n.SUPPORTED_LANGUAGES]
PLACEHOLDER = re.compile(r"%L?n|%\d+|\{[a-z_]+\}")
#: A count written into a sentence by hand ("%1 rows") instead of through Qt's plural forms.
HAND_MADE_PLURAL = re.compile(
    r"%\d+ (?:more )?(?:rows?|events?|contacts?|batch(?:es)?|columns?|cells?|warnings?|"
    r"characters?|contact removals?)\b(?!/)|\(s\)|\(es\)")  # "rows/s" is a unit

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


def translated_forms(message: ET.Element) -> list[str]:
    """The translation's text, or each of its plural forms for a numerus message."""
    translation = message.find("translation")
    assert translation is not None
    if message.get("numerus") == "yes":
        return [form.text or "" for form in translation.findall("numerusform")]
    return [translation.text or ""]


def unfinished_messages(path: Path) -> list[str]:
    """Messages lupdate marked unfinished, or with an empty translation or plural form; a
    plural message needs at least a singular and a plural form."""
    unfinished = []
    for context, message in messages(path):
        translation = message.find("translation")
        assert translation is not None
        forms = translated_forms(message)
        if (translation.get("type") in {"unfinished", "vanished", "obsolete"}
                or not all(form.strip() for form in forms)
                or (message.get("numerus") == "yes" and len(forms) < 2)):
            unfinished.append(f"[{context}] {message.findtext('source')!r}")
    return unfinished


def test_every_string_has_a_finished_spanish_translation():
    unfinished = unfinished_messages(TS_FILE)
    assert unfinished == [], "run python -m ingest_gui.ui.i18n and translate:\n" + "\n".join(
        unfinished)


def test_every_plural_has_its_english_singular_and_plural_forms():
    plurals = messages(EN_TS_FILE)
    assert plurals, "the English catalogue lost its plural messages"
    assert all(message.get("numerus") == "yes" for _context, message in plurals)
    unfinished = unfinished_messages(EN_TS_FILE)
    assert unfinished == [], "write both English forms in ingest_gui_en.ts:\n" + "\n".join(
        unfinished)


def test_a_plural_without_both_forms_is_caught(tmp_path):
    """The check above really fails on a plural message missing a form."""
    broken = tmp_path / "ingest_gui_en.ts"
    broken.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n'
        '<TS version="2.1" language="en" sourcelanguage="en"><context><name>Page</name>'
        '<message numerus="yes"><source>%Ln row(s)</source><translation>'
        '<numerusform>%Ln row</numerusform><numerusform></numerusform>'
        '</translation></message></context></TS>\n', encoding="utf-8")
    assert unfinished_messages(broken) == ["[Page] '%Ln row(s)'"]


@pytest.mark.parametrize("ts_file", CATALOGUES, ids=lambda path: path.name)
def test_translations_keep_every_placeholder(ts_file):
    broken = []
    for context, message in messages(ts_file):
        source = message.findtext("source") or ""
        for translation in translated_forms(message):
            if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(translation)):
                broken.append(f"[{context}] {source!r} -> {translation!r}")
    assert broken == []


def test_counts_go_through_plural_forms():
    """A count sentence built by hand ("%1 rows", "column(s)") reads wrongly for 1 in one
    language or the other; they must use ``tr("%Ln row(s)", "", n)`` instead."""
    hand_made = [f"[{context}] {message.findtext('source')!r}"
                 for context, message in messages(TS_FILE)
                 if message.get("numerus") != "yes"
                 and HAND_MADE_PLURAL.search(message.findtext("source") or "")]
    assert hand_made == []


def test_strings_without_a_class_context_need_no_translation():
    """lupdate files ``tr()`` calls outside a class under an empty context, which the running
    app never looks up: such strings would stay English. Only harmless ones (identical in
    Spanish, like "%1 s") may live there."""
    lost = [message.findtext("source") for context, message in messages(TS_FILE)
            if context == "" and message.findtext("translation") != message.findtext("source")]
    assert lost == []


@pytest.mark.parametrize("ts_file", CATALOGUES, ids=lambda path: path.name)
def test_the_catalogue_matches_the_source_code(tmp_path, ts_file):
    """Re-extracting finds no new, changed or removed string (so none lacks a translation)."""
    copy = tmp_path / ts_file.name
    shutil.copy(ts_file, copy)
    i18n.extract(copy)
    current = {(c, m.findtext("source")) for c, m in messages(ts_file)}
    fresh = {(c, m.findtext("source")) for c, m in messages(copy)}
    assert sorted(fresh - current) == [], "strings in the code missing from the catalogue"
    assert sorted(current - fresh) == [], "strings in the catalogue no longer in the code"


@pytest.mark.parametrize("ts_file", CATALOGUES, ids=lambda path: path.name)
def test_the_compiled_catalogue_is_current(tmp_path, ts_file):
    compiled = tmp_path / "check.qm"
    i18n.compile_catalogue(ts_file, compiled)
    assert compiled.read_bytes() == ts_file.with_suffix(".qm").read_bytes(), (
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


def _non_literal_translations(path: Path) -> list[str]:
    """``tr(text)`` / ``translate(context, text)`` calls whose text is not a literal: lupdate
    cannot extract those, so the string would never reach the catalogue (or its translator)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(
            node.func, "id", "")
        literal_arguments = {"tr": 1, "translate": 2}.get(name)
        if literal_arguments is None:
            continue
        arguments = node.args[:literal_arguments]
        if len(arguments) < literal_arguments or not all(
                isinstance(argument, ast.Constant) and isinstance(argument.value, str)
                for argument in arguments):
            found.append(f"{path.name}:{node.lineno}: {ast.unparse(node)}")
    return found


def test_translated_text_is_always_a_literal():
    offenders = [line for path in i18n.ui_sources() for line in _non_literal_translations(path)]
    assert offenders == []


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


@pytest.mark.gui
@pytest.mark.parametrize(("language", "one", "many"), [
    ("en", "Saved 1 row to %1.", "Saved 31,200 rows to %1."),
    ("es", "Se guardó 1 fila en %1.", "Se guardaron 31.200 filas en %1."),
])
def test_counts_read_right_for_one_and_many(qapp, language, one, many):
    """Singular and plural per language, with the locale's digit grouping."""
    from PySide6.QtCore import QCoreApplication, QLocale

    previous = QLocale()
    country = {"en": QLocale.Country.UnitedStates, "es": QLocale.Country.Spain}[language]
    QLocale.setDefault(QLocale(QLocale.codeToLanguage(language), country))
    try:
        assert i18n.install_translators(language)
        source = "Saved %Ln row(s) to %1."
        assert QCoreApplication.translate("DonePage", source, "", 1) == one
        assert QCoreApplication.translate("DonePage", source, "", 31_200) == many
    finally:
        QLocale.setDefault(previous)
        i18n.install_translators(i18n.SOURCE_LANGUAGE)
