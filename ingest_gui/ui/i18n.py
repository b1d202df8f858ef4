"""Translations: choose the language, install Qt translators, and regenerate the catalogues.

At run time :func:`install_translators` loads ``resources/translations/ingest_gui_<lang>.qm``
plus, for other languages than English, Qt's own ``qtbase_<lang>.qm`` (the wizard's standard
buttons). A language change in the Settings dialog applies the next time the app starts.

Counts use Qt's plural support ("Handling Plurals" in the Qt docs): ``self.tr("%Ln row(s)
loaded.", "", count)``. ``%Ln`` is the count with the locale's digit grouping ("3,120", "3.120").
English is the source language, so its catalogue ``ingest_gui_en.ts`` holds only those plural
messages, with a singular and a plural form each ("1 row loaded." / "2 rows loaded."); the
Spanish catalogue holds every string.

Messages built by the Qt-free core and API client (validation problems, error-log reasons,
connection errors) go through :mod:`ingest_gui.texts`; :func:`install_translators` routes them to
``QCoreApplication.translate`` for any language but English (the command line installs nothing
and stays English).

Qt strings fill their numbered placeholders with :func:`arg`: ``arg(self.tr("Row %1: %2"), row,
message)`` (one pass, so a value holding "%2" stays as it is; whole numbers grouped like
``%Ln``). Qt-free messages use named placeholders and :func:`ingest_gui.texts.fill`.

For developers, ``python -m ingest_gui.ui.i18n`` re-extracts every ``tr()`` /
``QCoreApplication.translate()`` string from ``ingest_gui/ui``, and every ``translate()`` /
``QT_TRANSLATE_NOOP()`` string from the Qt-free modules that mark any (:func:`core_sources`),
into the ``.ts`` sources (keeping existing translations, dropping strings no longer used) and
compiles the ``.qm`` files.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QLibraryInfo, QLocale, QTranslator

from ingest_gui import paths, texts

# Strings Qt's own widgets show that its catalogue (``qtbase_es.qm`` of PySide6 6.12) leaves
# untranslated: the file dialog's labels carry a mnemonic ("&Look in:") that its translated
# entries ("Look in:") lack. Qt asks every installed translator by context and source text, so
# listing them here puts them in the app's catalogue, which answers when Qt's has no entry.
QT_STRINGS_QT_LACKS = (
    QT_TRANSLATE_NOOP("QFileDialog", "&Look in:"),
    QT_TRANSLATE_NOOP("QFileDialog", "Files of &type:"),
)

#: Languages with a catalogue; English, the source language, has only the plural forms.
SUPPORTED_LANGUAGES = ("en", "es")
SOURCE_LANGUAGE = "en"
CATALOGUE_PREFIX = "ingest_gui_"

_installed: list[QTranslator] = []

#: Packages of ``ingest_gui`` that hold no messages for the app's user: the Qt layer (extracted
#: whole, by :func:`ui_sources`) and the sandbox (the service's stand-in, which speaks English).
_NOT_QT_FREE_MESSAGES = frozenset({"ui", "sandbox"})
#: A call that marks a Qt-free message for translation (see :mod:`ingest_gui.texts`).
MARKING_CALL = re.compile(r"\b(?:translate|translate_marked|QT_TRANSLATE_NOOP)\(")


def translations_dir() -> Path:
    return paths.resources_dir() / "translations"


def catalogue_path(language: str, suffix: str = ".qm") -> Path:
    return translations_dir() / f"{CATALOGUE_PREFIX}{language}{suffix}"


def resolve_language(choice: str, system_locale: QLocale | None = None) -> str:
    """The language to use for a Settings choice ("system", "en", "es")."""
    if choice in SUPPORTED_LANGUAGES:
        return choice
    locale = system_locale if system_locale is not None else QLocale.system()
    for name in locale.uiLanguages():
        code = name.replace("_", "-").split("-")[0].lower()
        if code in SUPPORTED_LANGUAGES:
            return code
    return SOURCE_LANGUAGE


def install_translators(language: str) -> bool:
    """Replace the app's translators with ``language``'s; True if its catalogue loaded."""
    app = QCoreApplication.instance()
    if app is None:
        raise RuntimeError("Create the QApplication before installing translators.")
    for translator in _installed:
        QCoreApplication.removeTranslator(translator)
    _installed.clear()
    # English is the source text: the core's messages need no lookup (nor Qt's lock) then.
    texts.install_translator(None if language == SOURCE_LANGUAGE else _qt_translate)
    prefer_grouped_numbers()
    ours = QTranslator(app)
    loaded = ours.load(str(catalogue_path(language)))
    if loaded:
        QCoreApplication.installTranslator(ours)
        _installed.append(ours)
    if language == SOURCE_LANGUAGE:
        return loaded
    qt_base = QTranslator(app)
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if qt_base.load(f"qtbase_{language}", qt_dir):
        QCoreApplication.installTranslator(qt_base)
        _installed.append(qt_base)
    return loaded


#: ``%1`` … ``%99``, as ``QString::arg`` numbers them (``%n`` / ``%Ln`` are Qt's plural counts).
_NUMBERED = re.compile(r"%([1-9][0-9]?)")


def arg(template: str, *values: str | int) -> str:
    """``template`` (a ``tr()`` result) with ``%1``, ``%2``, … replaced by ``values`` in one pass.

    Like ``QString::arg`` with several arguments (which Qt for Python does not offer): a value
    is never searched for placeholders, unlike chained ``.replace("%1", a).replace("%2", b)``
    where an ``a`` holding "%2" would be filled too. Whole numbers get the locale's digit
    grouping (``QLocale().toString``, as ``%Ln`` does); pass ``str(n)`` to keep one ungrouped.
    A placeholder without a value stays as written.
    """
    filled = [_number_text(value) if isinstance(value, int) and not isinstance(value, bool)
              else str(value) for value in values]

    def value_for(found: re.Match[str]) -> str:
        index = int(found[1]) - 1
        return filled[index] if index < len(filled) else found[0]

    return _NUMBERED.sub(value_for, template)


def _number_text(number: int) -> str:
    locale = QLocale()
    if locale.language() == QLocale.Language.C:  # see prefer_grouped_numbers
        locale = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    return locale.toString(number)


def _qt_translate(context: str, text: str, disambiguation: str | None) -> str:
    # Under another name: lupdate (and the literal-text test) expect ``translate`` calls to
    # name their text; here it was marked where the core wrote it.
    lookup = QCoreApplication.translate
    return lookup(context, text, disambiguation)


def prefer_grouped_numbers() -> None:
    """Counts (``%Ln``, :func:`~ingest_gui.ui.widgets.common.format_count`) follow QLocale's
    default. The C locale (headless machines, CI) groups no digits; English grouping reads
    better there, so it becomes the default. Any real locale is left alone."""
    if QLocale().language() == QLocale.Language.C:
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))


# -- developer tool ------------------------------------------------------------------------------

def _tool(name: str) -> str:
    """``pyside6-<name>`` next to the running interpreter, else on PATH."""
    candidate = Path(sys.executable).with_name(f"pyside6-{name}")
    if candidate.exists():
        return str(candidate)
    found = shutil.which(f"pyside6-{name}")
    if found is None:
        raise FileNotFoundError(f"pyside6-{name} was not found; install PySide6 in this venv.")
    return found


def ui_sources() -> list[Path]:
    """Every Python file of the Qt layer, in a stable order."""
    ui_root = Path(__file__).resolve().parent
    return sorted(path for path in ui_root.rglob("*.py") if "__pycache__" not in path.parts)


def core_sources(package: Path | None = None) -> list[Path]:
    """Every Qt-free module of ``package`` (``ingest_gui``) that marks messages for translation,
    in a stable order: found, not listed, so a new or split module cannot be forgotten."""
    root = package if package is not None else Path(__file__).resolve().parent.parent
    return sorted(
        path for path in root.rglob("*.py")
        if "__pycache__" not in path.parts
        and path.relative_to(root).parts[0] not in _NOT_QT_FREE_MESSAGES
        and MARKING_CALL.search(path.read_text(encoding="utf-8")))


def translated_sources() -> list[Path]:
    """lupdate's input: the Qt layer and the core modules with translatable messages."""
    return ui_sources() + core_sources()


def extract(ts_file: Path, sources: list[Path] | None = None) -> None:
    """Update ``ts_file`` from the sources: new strings become unfinished, old ones are dropped."""
    files = [str(path) for path in (sources if sources is not None else translated_sources())]
    language = language_of(ts_file)
    # English is the source language: its catalogue only needs the plural forms.
    plurals_only = ["-pluralonly"] if language == SOURCE_LANGUAGE else []
    subprocess.run(
        [_tool("lupdate"), "-silent", "-no-obsolete", "-locations", "none", *plurals_only,
         "-source-language", "en", "-target-language", language, *files,
         "-ts", str(ts_file)],
        check=True,
    )


def language_of(ts_file: Path) -> str:
    return ts_file.stem.removeprefix(CATALOGUE_PREFIX)


def compile_catalogue(ts_file: Path, qm_file: Path) -> None:
    subprocess.run([_tool("lrelease"), "-silent", str(ts_file), "-qm", str(qm_file)], check=True)


def update_all() -> None:
    for language in SUPPORTED_LANGUAGES:
        ts_file = catalogue_path(language, ".ts")
        extract(ts_file)
        compile_catalogue(ts_file, catalogue_path(language, ".qm"))
        print(f"updated {ts_file.name} and {ts_file.with_suffix('.qm').name}")


if __name__ == "__main__":
    update_all()
