"""Helpers for the Connect, File and What-to-import pages: accessible names, status lines,
palette-based highlighting (nothing hard-coded, so dark mode keeps working)."""

from __future__ import annotations

from typing import ClassVar, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QLabel, QPushButton, QSizePolicy, QWidget

W = TypeVar("W", bound=QWidget)


def accessible(widget: W, name: str, description: str = "") -> W:
    """Give ``widget`` the name (and description) screen readers announce; returns it."""
    widget.setAccessibleName(name)
    if description:
        widget.setAccessibleDescription(description)
        if not widget.toolTip():
            widget.setToolTip(description)
    return widget


def wrapping_label(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    return label


def secondary_label(text: str = "") -> QLabel:
    """Explanatory text in the palette's placeholder colour (follows light and dark mode)."""
    label = wrapping_label(text)
    palette = label.palette()
    palette.setColor(QPalette.ColorRole.WindowText,
                     palette.color(QPalette.ColorRole.PlaceholderText))
    label.setPalette(palette)
    return label


class StatusLabel(QLabel):
    """A message line that says whether it is good news, a problem, busy, or information.

    ``kind`` and ``message`` are kept as attributes for tests; the look uses a prefix symbol and
    bold text for errors, never hard-coded colours.
    """

    _SYMBOLS: ClassVar[dict[str, str]] = {
        "ok": "\u2714 ", "error": "\u26a0 ", "info": "", "busy": "\u231b "}

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.kind = "info"
        self.message = ""

    def show_message(self, kind: str, message: str) -> None:
        self.kind, self.message = kind, message
        self.setText(self._SYMBOLS.get(kind, "") + message if message else "")
        font = self.font()
        font.setBold(kind == "error")
        self.setFont(font)
        self.setAccessibleDescription(message)
        self.setVisible(bool(message))

    def clear_message(self) -> None:
        self.show_message("info", "")


def highlight_button(button: QPushButton, on: bool) -> None:
    """Make ``button`` stand out with the palette's highlight colours (dark-mode safe)."""
    button.setProperty("highlighted", on)
    font = button.font()
    font.setBold(on)
    button.setFont(font)
    parent = button.parentWidget()
    palette = QPalette(parent.palette() if parent is not None else button.palette())
    if on:
        palette.setColor(QPalette.ColorRole.Button, palette.color(QPalette.ColorRole.Highlight))
        palette.setColor(QPalette.ColorRole.ButtonText,
                         palette.color(QPalette.ColorRole.HighlightedText))
    button.setPalette(palette)


def bold(font: QFont) -> QFont:
    font = QFont(font)
    font.setBold(True)
    return font
