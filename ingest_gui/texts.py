"""Translatable sentences of the Qt-free layers (core, api), without importing Qt.

The core and the API client build messages a person reads (validation problems, error-log
reasons, connection errors). They mark their English sentences here and ask for a translation
when they build a message; the wizard installs Qt's translator at start
(``ingest_gui.ui.i18n.install_translators``), the command line installs nothing and stays
English.

- ``translate(context, text)`` with literal arguments translates now; ``pyside6-lupdate``
  extracts such calls from Python sources (it treats any call named ``translate`` like
  ``QCoreApplication.translate``).
- ``QT_TRANSLATE_NOOP(context, text)`` marks a sentence kept for later (a module constant, a
  message template carried in a data object) and returns it unchanged; lupdate extracts it too.
  Translate it where it is shown with ``translate_marked(context, text)``.

Templates use named placeholders (``{value}``, ``{column}``, ``{limit}``), filled after the
translation with :func:`fill`, so a translator can move them::

    fill(translate("Upload", "Batch {batch} was sent."), batch=3)

That is the one way to fill a Qt-free message (the Qt layer fills its ``%1``/``%2`` with
``ingest_gui.ui.i18n.arg``). A translation that lost or misspelt a placeholder still gives a
message (the unknown name stays as written). Translate a template once and fill it per row: the
translator is a function call (and a lock in Qt) that a million-row loop must not pay for.
Code that fills a template per row in bulk (Arrow, in validation) splits it once with
:func:`template_pieces`.

The Qt-free messages need no plural forms: they are phrased so that a count reads correctly
whatever it is ("rows 5–7", "answers: 3, items sent: 4"). Counts on screen are the Qt layer's,
which has Qt's plural forms.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable

#: ``(context, text, disambiguation) -> translation``; identity unless a translator is installed.
Translator = Callable[[str, str, str | None], str]


def _identity(_context: str, text: str, _disambiguation: str | None = None) -> str:
    return text


_lock = threading.Lock()
_translator: Translator = _identity


def install_translator(translator: Translator | None) -> None:
    """Route every translation through ``translator``; ``None`` restores English."""
    global _translator
    with _lock:
        _translator = translator if translator is not None else _identity


def translate(context: str, text: str, disambiguation: str | None = None) -> str:
    """``text`` in the user's language (pass literals, so lupdate can extract them)."""
    return translate_marked(context, text, disambiguation)


def translate_marked(context: str, text: str, disambiguation: str | None = None) -> str:
    """Like :func:`translate`, for a sentence marked elsewhere with ``QT_TRANSLATE_NOOP`` (its
    arguments need not be literals)."""
    return _translator(context, text, disambiguation) or text


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # the name lupdate knows
    """Mark ``text`` for extraction under ``context``; returns it untranslated."""
    del context
    return text


def group_thousands(number: int, separator: str | None = None) -> str:
    """``1234567`` as ``1,234,567`` in English, ``1.234.567`` in Spanish."""
    if separator is None:
        separator = thousands_separator()
    return f"{number:,}".replace(",", separator)


def thousands_separator() -> str:
    """The digit-group separator of the user's language, for row numbers in messages."""
    return translate("Numbers", ",", "digit group separator in row numbers (1,234,567)")


#: A named placeholder: ``{row}``, ``{first_row}``.
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def fill(template: str, /, **fields: str | int) -> str:
    """``template`` (already translated) with its ``{name}`` placeholders filled in one pass.

    Whole numbers are grouped with the language's digit-group separator ("1,234", "1.234"):
    pass ``str(number)`` for identifiers that must stay as they are (HTTP statuses, ports).
    Values are never read as templates ("{x}" in a column name stays as it is), and a
    placeholder the fields do not name stays as written, so a broken translation never raises.
    """
    values: dict[str, str] = {}
    separator: str | None = None
    for name, value in fields.items():
        if isinstance(value, int) and not isinstance(value, bool):
            if separator is None:
                separator = thousands_separator()
            values[name] = group_thousands(value, separator)
        else:
            values[name] = str(value)
    return _PLACEHOLDER.sub(lambda found: values.get(found[1], found[0]), template)


def template_pieces(template: str) -> list[tuple[str, str | None]]:
    """``template`` as ``(literal, placeholder name or None)`` pairs, in order: the parse
    :func:`fill` uses, for code that fills a template in bulk (one Arrow join for every row).

    >>> template_pieces("Row {row}: {message}")
    [('Row ', 'row'), (': ', 'message')]
    """
    pieces: list[tuple[str, str | None]] = []
    start = 0
    for found in _PLACEHOLDER.finditer(template):
        pieces.append((template[start:found.start()], found[1]))
        start = found.end()
    if start < len(template):
        pieces.append((template[start:], None))
    return pieces
