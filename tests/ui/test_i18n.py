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
from PySide6.QtCore import QLibraryInfo, Qt

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
    offenders = [line for path in i18n.translated_sources()
                 for line in _non_literal_translations(path)]
    assert offenders == []


PACKAGE = Path(i18n.__file__).resolve().parent.parent
CORE_CONTEXTS = {"ApiClient", "ErrorLog", "Loading", "Mapping", "Numbers", "Report", "Validation"}


def test_every_qt_free_module_with_messages_is_extracted():
    """The extractor finds the core and API modules that mark messages by themselves (a module
    missing from lupdate's input would keep its messages English), and leaves out the Qt layer
    (extracted whole) and the sandbox."""
    found = {path.relative_to(PACKAGE).as_posix() for path in i18n.core_sources()}
    assert {"texts.py", "core/upload.py", "core/validation.py", "core/report.py",
            "api/client.py", "api/parsing.py"} <= found
    assert not any(name.startswith(("ui/", "sandbox/")) for name in found)
    unmarked = {path.relative_to(PACKAGE).as_posix() for path in PACKAGE.rglob("*.py")
                if "__pycache__" not in path.parts} - found
    assert {"__main__.py", "core/heap.py"} <= unmarked
    assert set(map(Path, i18n.translated_sources())) >= set(i18n.core_sources())


def test_a_new_module_with_messages_is_found(tmp_path):
    (tmp_path / "core" / "cleaning").mkdir(parents=True)
    (tmp_path / "ui").mkdir()
    marked = tmp_path / "core" / "cleaning" / "dates.py"
    marked.write_text("X = QT_TRANSLATE_NOOP('Validation', 'a date')\n", encoding="utf-8")
    (tmp_path / "core" / "plain.py").write_text("X = 'no message'\n", encoding="utf-8")
    (tmp_path / "ui" / "page.py").write_text("translate('Page', 'shown')\n", encoding="utf-8")
    assert i18n.core_sources(tmp_path) == [marked]


def test_the_core_messages_are_in_the_spanish_catalogue():
    contexts = {context for context, _message in messages(TS_FILE)}
    assert contexts >= CORE_CONTEXTS


def test_an_untranslated_core_message_is_caught(tmp_path):
    """Re-extracting with a new core message leaves it unfinished, which the completeness test
    reports (so a core sentence without Spanish fails the suite)."""
    source = tmp_path / "new_core_module.py"
    source.write_text(
        "from ingest_gui.texts import QT_TRANSLATE_NOOP\n"
        "NEW = QT_TRANSLATE_NOOP('Validation', 'a sentence nobody translated yet')\n",
        encoding="utf-8")
    copy = tmp_path / TS_FILE.name
    shutil.copy(TS_FILE, copy)
    i18n.extract(copy, [*i18n.translated_sources(), source])
    assert unfinished_messages(copy) == ["[Validation] 'a sentence nobody translated yet'"]


@pytest.fixture
def spanish(qapp):
    assert i18n.install_translators("es")
    yield
    i18n.install_translators(i18n.SOURCE_LANGUAGE)


def _invalid_email_check():
    from ingest_gui.core.validation import validate
    from tests.core.factories import make_specs
    from tests.ui.support_pages import contacts_mapping, contacts_table

    mapping = contacts_mapping(_user_id="Customer id", _email="E-mail")
    return validate(contacts_table(), mapping, make_specs())


@pytest.mark.gui
def test_core_messages_follow_the_installed_language(spanish):
    problems = _invalid_email_check().problems
    assert problems["message"].iloc[0] == (
        "Fila 3, columna «E-mail»: «not-an-email» no es una dirección de correo electrónico")
    i18n.install_translators(i18n.SOURCE_LANGUAGE)
    assert _invalid_email_check().problems["message"].iloc[0] == (
        'Row 3, column "E-mail": "not-an-email" is not an e-mail address')


@pytest.mark.gui
def test_connection_errors_from_the_client_are_spanish(spanish):
    from ingest_gui.api import errors
    from ingest_gui.api.client import IngestClient, normalize_base_url
    from ingest_gui.ui.pages.connect import describe_connection_error

    with pytest.raises(errors.IngestError) as caught:
        normalize_base_url("https://api.example.com/v1?x=1")
    assert describe_connection_error(caught.value) == (
        "La dirección base debe ser una dirección simple como https://api.instasent.com/v1, "
        "sin usuario, contraseña ni partes con «?» o «#».")
    with pytest.raises(errors.AuthError) as refused:
        IngestClient("https://api.example.com/v1", "p", "d", "tok en")
    assert str(refused.value).startswith("El token de la API contiene caracteres")


@pytest.mark.gui
def test_error_log_reasons_are_spanish(spanish):
    from ingest_gui.core.payload import build_batches
    from ingest_gui.core.report import build_report
    from ingest_gui.core.upload import RowStatus, UploadResult

    result = _invalid_email_check()
    upload = UploadResult(statuses={2: RowStatus.REJECTED, 4: RowStatus.NOT_SENT},
                          messages={2: ["Invalid phone"]})
    report = build_report(result, build_batches(result, datasource="d"), upload)
    assert report.messages_by_row == {
        2: ["Rechazada por Instasent: Invalid phone"],
        3: ["Fila 3, columna «E-mail»: «not-an-email» no es una dirección de correo "
            "electrónico"],
        4: ["No enviada: la subida se detuvo antes de esta fila (se puede reanudar)."],
        5: ["Fila 5, columna «E-mail»: «bad@» no es una dirección de correo electrónico"],
    }


@pytest.mark.gui
@pytest.mark.parametrize(("language", "details"), [
    ("es", "Fila 3, columna «E-mail»: «not-an-email» no es una dirección de correo electrónico"),
    ("en", 'Row 3, column "E-mail": "not-an-email" is not an e-mail address'),
])
def test_the_check_page_shows_problems_in_the_wizards_language(qtbot, qapp, language, details):
    from ingest_gui.ui.pages.check import CheckPage
    from tests.ui.support_pages import contacts_mapping, contacts_table, session_for

    assert i18n.install_translators(language)
    try:
        mapping = contacts_mapping(_user_id="Customer id", _email="E-mail")
        page = CheckPage(session_for(contacts_table(), mapping))
        page.preview_on_check = False  # its connection reaches no service
        qtbot.addWidget(page)
        page.initializePage()
        qtbot.waitUntil(lambda: page.result is not None and not page.is_busy(), timeout=10_000)
        try:
            assert page.problem_details.text() == details
            model = page.problems_model
            email = next(column for column in range(model.columnCount())
                         if model.headerData(column, Qt.Orientation.Horizontal) == "E-mail")
            # The highlighted cell's tooltip carries the same message.
            assert details in model.data(model.index(0, email), Qt.ItemDataRole.ToolTipRole)
        finally:
            page.stop_background_work()
    finally:
        i18n.install_translators(i18n.SOURCE_LANGUAGE)


@pytest.mark.gui
def test_file_errors_and_notes_follow_the_installed_language(spanish, tmp_path):
    from ingest_gui.core.loading import LoadError, load_table

    empty = tmp_path / "clientes.csv"
    empty.write_bytes(b"")
    unnamed = tmp_path / "sin nombre.csv"
    unnamed.write_text("Email,,Email\na@example.com,1,b@example.com\n", encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        load_table(empty)
    assert str(caught.value) == "«clientes.csv» está vacío (0 bytes)."
    assert load_table(unnamed).notes == (
        "La columna B no tiene nombre; se llama «Column B».",
        "La columna C repite el nombre «Email»; se llama «Email (2)».",
    )
    i18n.install_translators(i18n.SOURCE_LANGUAGE)
    with pytest.raises(LoadError) as caught:
        load_table(empty)
    assert str(caught.value) == '"clientes.csv" is empty (0 bytes).'
    assert load_table(unnamed).notes == (
        'Column B has no name; it is called "Column B".',
        'Column C repeats the name "Email"; it is called "Email (2)".',
    )


@pytest.mark.gui
def test_mapping_targets_reasons_and_template_errors_are_spanish(spanish, tmp_path):
    from ingest_gui.core.mapping import ImportKind, load_template, suggest, targets_for
    from tests.core.factories import make_specs, make_table

    targets = targets_for(ImportKind.EVENTS, make_specs(), event_type=None)
    assert {target.key: target.label for target in targets[1:4]} == {
        "_event_id": "ID del evento", "_event_type": "Tipo de evento",
        "_event_date": "Fecha del evento"}
    table = make_table({"Event date": ["2026-11-27"]})
    (reason,) = [s.reason for s in suggest(table, targets) if s.target == "_event_date"]
    assert reason == "el encabezado coincide con «Fecha del evento»; los valores parecen fechas"
    broken = tmp_path / "plantilla.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(ValueError, match=r"plantilla\.json") as caught:
        load_template(broken)
    assert str(caught.value) == (
        "La plantilla de asignación «plantilla.json» no es un JSON válido (línea 1, columna 2).")


def test_the_problems_column_drops_the_row_prefix_in_either_language(spanish):
    """The table has its own Row column, so the message loses its "Row N, " / "Fila N, " head."""
    from ingest_gui.ui.models.problems import without_row_prefix

    assert without_row_prefix('Fila 1.234, columna «Email»: «x» no es válido') == (
        'Columna «Email»: «x» no es válido')
    i18n.install_translators(i18n.SOURCE_LANGUAGE)
    assert without_row_prefix('Row 1,234, column "Email": "x" is not valid') == (
        'Column "Email": "x" is not valid')


# -- the upload engine and the answer parser -----------------------------------------------------

def _upload(handler, *, first_row: int = 2, max_attempts: int = 1):
    """Two batches of three rows through the real client (over httpx.MockTransport) and engine."""
    from ingest_gui.core.upload import UploadEngine
    from tests.api.helpers import make_client
    from tests.core.upload_fakes import FakeClock, make_batches

    clock = FakeClock()
    with make_client(handler) as client:
        engine = UploadEngine(client, concurrency=1, max_attempts=max_attempts,
                              sleep=clock.sleep, clock=clock, wall_clock=clock.wall)
        return engine.run(make_batches(2, first_row=first_row))


def test_a_fatal_401_stop_is_spanish_with_spanish_digit_grouping(spanish):
    from tests.api.helpers import answer

    result = _upload(lambda request: answer(401, {"message": "Unauthorized"}), first_row=1_232)
    assert result.auth_failed
    assert result.fatal_error == (
        "El servicio rechazó el token de la API al enviar el lote 1 (filas 1.232–1.234): "
        "El token de la API fue rechazado (401). Revisa el token en los ajustes de la "
        "conexión: puede estar mal escrito, revocado o ser de otra fuente de datos. "
        "El servicio dijo: "
        "Unauthorized No se envió nada más; corrige el token y vuelve a ejecutar la "
        "importación para reanudarla.")
    i18n.install_translators(i18n.SOURCE_LANGUAGE)
    english = _upload(lambda request: answer(401, {"message": "Unauthorized"}), first_row=1_232)
    assert english.fatal_error is not None
    assert english.fatal_error.startswith(
        "The service refused the API token while sending batch 1 (rows 1,232–1,234): The API "
        "token was refused (401).")


def test_rejected_items_and_batches_are_spanish(spanish):
    from tests.api.helpers import answer

    def handler(request):
        if b'"u2"' in request.content:  # the first batch: its middle item rejected, no reason
            return answer(202, {"accepted": [{"position": 0}, {"position": 2}],
                                "errors": [{"position": 1}]})
        return answer(422, raw=b"<html>oops</html>")  # the second: every item, no reason

    result = _upload(handler)
    whole_batch = ("El servicio rechazó todos los elementos de este lote (422) sin indicar el "
                   "motivo.")
    assert result.messages == {
        3: ["El servicio rechazó este elemento sin indicar el motivo."],
        5: [whole_batch], 6: [whole_batch], 7: [whole_batch],
    }


def test_an_unreadable_write_answer_stops_the_run_in_spanish(spanish):
    from tests.api.helpers import answer

    result = _upload(lambda request: answer(202, {"accepted": "nonsense"}))
    assert result.fatal_error == (
        "El servicio siguió fallando con el lote 1 (filas 2–4); se abandonó tras varios "
        "intentos. Último error: No se pudo entender la respuesta de la API de Instasent a este "
        "lote («accepted» y «errors» deben ser listas); ninguno de sus elementos se da por "
        "aceptado. La importación se detuvo; vuelve a ejecutarla para reanudarla.")


def test_a_rejection_without_any_message_is_spanish(spanish):
    """The engine's own fallback, for a rejected item the client reports with no message."""
    from ingest_gui.api.results import ItemResult, WriteResult
    from ingest_gui.core.upload import UploadEngine
    from tests.core.upload_fakes import FakeClient, FakeClock, make_batches

    clock = FakeClock()
    client = FakeClient(lambda call: WriteResult(202, tuple(
        ItemResult(position, position != 0) for position in range(3))), clock)
    result = UploadEngine(client, sleep=clock.sleep, clock=clock,  # type: ignore[arg-type]
                          wall_clock=clock.wall).run(make_batches(1))
    assert result.messages == {2: ["Rechazada por el servicio."]}


def test_spec_list_errors_name_the_list_in_spanish(spanish):
    from ingest_gui.api.errors import ResponseFormatError
    from tests.api.helpers import answer, make_client

    with (make_client(lambda request: answer(200, {"specs": [{"name": "x"}]})) as client,
          pytest.raises(ResponseFormatError) as caught):
        client.event_specs()
    assert str(caught.value) == (
        "Una entrada de la lista de tipos de evento que devolvió la API de Instasent no tiene "
        "«uid».")


# -- arg: %1, %2 in one pass ----------------------------------------------------------------------

def test_arg_fills_numbered_placeholders_in_one_pass():
    """Chained ``.replace("%1", a).replace("%2", b)`` would put ``b`` inside ``a`` here."""
    template = "Row %1: %2"
    assert template.replace("%1", "50%2").replace("%2", "bad") == "Row 50bad: bad"  # the bug
    assert i18n.arg(template, "50%2", "bad") == "Row 50%2: bad"
    assert i18n.arg("%2 before %1, %1 again", "a", "b") == "b before a, a again"


def test_arg_leaves_plural_counts_and_missing_values_alone():
    assert i18n.arg("%n of %1 and %3 (%L1)", "x") == "%n of x and %3 (%L1)"
    assert i18n.arg("%1%", "100") == "100%"


def test_arg_groups_whole_numbers_like_the_locale(qapp):
    from PySide6.QtCore import QLocale

    previous = QLocale()
    try:
        QLocale.setDefault(QLocale(QLocale.Language.Spanish, QLocale.Country.Spain))
        assert i18n.arg("%1 / %2", 1_234_567, "1234567") == "1.234.567 / 1234567"
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        assert i18n.arg("%1", 1_234_567) == "1,234,567"
    finally:
        QLocale.setDefault(previous)


@pytest.mark.gui
def test_qts_file_dialog_is_spanish_where_its_own_catalogue_lacks_the_labels(qtbot, spanish):
    """qtbase_es.qm translates "Look in:" but not the "&Look in:" the dialog shows; the app's
    catalogue supplies those (non-native dialog, as under tests and on Linux without a portal)."""
    from PySide6.QtWidgets import QFileDialog, QLabel, QPushButton

    assert "qtbase_es.qm" in {path.name for path in Path(QLibraryInfo.path(
        QLibraryInfo.LibraryPath.TranslationsPath)).glob("qtbase_es.qm")}
    dialog = QFileDialog(None, "x", "", "CSV (*.csv)")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    qtbot.addWidget(dialog)
    labels = {label.text() for label in dialog.findChildren(QLabel)}
    assert {"&Ver en:", "Ficheros de &tipo:", "&Nombre de fichero:"} <= labels
    buttons = {button.text() for button in dialog.findChildren(QPushButton)}
    assert "Cancelar" in buttons
    assert not {"&Look in:", "Files of &type:", "File &name:", "Cancel"} & (labels | buttons)


@pytest.mark.gui
@pytest.mark.parametrize("written_in", ["es", "en"])
def test_error_logs_follow_the_language_and_are_recognised_in_either(qapp, tmp_path,
                                                                     written_in):
    import openpyxl

    from ingest_gui.core import errorlog, loading
    from tests.core.factories import make_table

    table = make_table({"Email": ["bad@", "ok@example.com"]})
    path = tmp_path / "errors.xlsx"
    try:
        i18n.install_translators(written_in)
        errorlog.write_error_log(path, table, {2: ["Email: not an email address"]})
        workbook = openpyxl.load_workbook(path, read_only=True)
        sheet = workbook.worksheets[0]
        header = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
        workbook.close()
        expected = ("Registro de errores", "Fila", "Errores") if written_in == "es" else (
            "Error log", "Row", "Errors")
        assert (sheet.title, *header[-2:]) == expected
        # Re-imported with the app in the other language.
        i18n.install_translators("en" if written_in == "es" else "es")
        loaded = loading.load_table(path)
        assert errorlog.is_error_log(loaded.headers)
        stripped = errorlog.strip_error_log_columns(loaded)
        assert stripped.headers == ["Email"]
    finally:
        i18n.install_translators(i18n.SOURCE_LANGUAGE)
