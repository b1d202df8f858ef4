"""Small shared widgets and formatting for the wizard's pages."""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import QCoreApplication, QEvent, QLocale, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from ingest_gui.ui.i18n import arg

# They live with the tasks now; still importable from here for the pages not converted yet.
from ingest_gui.ui.workers import deliver_events as deliver_events
from ingest_gui.ui.workers import wait_for_task as wait_for_task


def format_count(count: int) -> str:
    """``3120`` -> "3,120" (or "3.120" in Spanish), following the user's locale."""
    locale = QLocale()
    if locale.language() == QLocale.Language.C:
        # The C locale (headless machines, CI) groups nothing; English grouping reads better.
        locale = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    return locale.toString(int(count))


def format_duration(seconds: float) -> str:
    """A rough, friendly duration: "45 s", "3 min 20 s", "2 h 5 min"."""
    translate = QCoreApplication.translate
    total = max(0, round(seconds))
    if total < 60:
        return arg(translate("Durations", "%1 s"), str(total))
    minutes, secs = divmod(total, 60)
    if minutes < 60:
        return arg(translate("Durations", "%1 min %2 s"), str(minutes), str(secs))
    hours, minutes = divmod(minutes, 60)
    return arg(translate("Durations", "%1 h %2 min"), hours, str(minutes))


class BannerKind(StrEnum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"
    SUCCESS = "success"


#: The hue of each kind. Only the hue is fixed: backgrounds are this tinted into the palette's
#: own window or base colour, and text keeps the palette's text colour, so light and dark
#: palettes both read well (see :func:`tinted`).
_ACCENTS = {
    BannerKind.INFO: QColor("#3b82f6"),
    BannerKind.WARNING: QColor("#e0a800"),
    BannerKind.ERROR: QColor("#d93025"),
    BannerKind.SUCCESS: QColor("#34a853"),
}


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightnessF() < 0.5


def tinted(kind: BannerKind, base: QColor, *, dark: bool) -> QColor:
    """``base`` (a palette's window or base colour) with a little of ``kind``'s hue mixed in:
    enough to tell the kinds apart, little enough that the palette's text stays readable."""
    accent = _ACCENTS[kind]
    share = 0.30 if dark else 0.14
    return QColor.fromRgbF(
        base.redF() + (accent.redF() - base.redF()) * share,
        base.greenF() + (accent.greenF() - base.greenF()) * share,
        base.blueF() + (accent.blueF() - base.blueF()) * share,
    )


def banner_colours(kind: BannerKind, palette: QPalette) -> tuple[QColor, QColor, QColor]:
    """Background, border and text colours of a ``kind`` banner under ``palette``."""
    dark = is_dark(palette)
    background = tinted(kind, palette.color(QPalette.ColorRole.Window), dark=dark)
    return background, _ACCENTS[kind], palette.color(QPalette.ColorRole.WindowText)


def cell_colours(kind: BannerKind, palette: QPalette) -> tuple[QColor, QColor]:
    """Background and text of a highlighted table cell (a problem) under ``palette``."""
    background = tinted(kind, palette.color(QPalette.ColorRole.Base), dark=is_dark(palette))
    return background, palette.color(QPalette.ColorRole.Text)


def alert_text_colour(palette: QPalette) -> QColor:
    """A red that reads on the palette's window colour (darker on light, lighter on dark)."""
    return QColor("#f28b82") if is_dark(palette) else QColor("#b3261e")
_BANNER_ICONS = {
    BannerKind.INFO: QStyle.StandardPixmap.SP_MessageBoxInformation,
    BannerKind.WARNING: QStyle.StandardPixmap.SP_MessageBoxWarning,
    BannerKind.ERROR: QStyle.StandardPixmap.SP_MessageBoxCritical,
    BannerKind.SUCCESS: QStyle.StandardPixmap.SP_DialogApplyButton,
}


class Banner(QFrame):
    """A tinted strip with an icon, a wrapped sentence and optional buttons on the right.

    Its colours come from the application palette (see :func:`banner_colours`) and follow it
    when it changes, e.g. when the OS switches between light and dark mode.
    """

    def __init__(self, kind: BannerKind = BannerKind.INFO, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._restyling = False
        self._icon = QLabel(self)
        self._icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self._buttons = QHBoxLayout()
        self._buttons.setSpacing(6)
        text_and_buttons = QVBoxLayout()
        text_and_buttons.addWidget(self.label)
        text_and_buttons.addLayout(self._buttons)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addWidget(self._icon)
        layout.addLayout(text_and_buttons, 1)
        self.set_kind(kind)

    def set_kind(self, kind: BannerKind) -> None:
        self.kind = kind
        self._apply_colours()
        icon = self.style().standardIcon(_BANNER_ICONS[kind])
        self._icon.setPixmap(icon.pixmap(24, 24))

    def colours(self) -> tuple[QColor, QColor, QColor]:
        """Background, border and text colours for the current kind and palette."""
        # The application's palette, not this widget's: the style sheet below alters ours.
        return banner_colours(self.kind, QApplication.palette(self))

    def _apply_colours(self) -> None:
        background, border, text = self.colours()
        self._restyling = True
        try:
            self.setStyleSheet(
                f"QFrame#banner {{ background: {background.name()};"
                f" border: 1px solid {border.name()}; border-radius: 4px; }}"
                f" QFrame#banner QLabel {{ color: {text.name()}; }}"
            )
        finally:
            self._restyling = False

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        # Qt sends change events while __init__ runs, before there is anything to restyle.
        if getattr(self, "kind", None) is not None and not self._restyling and event.type() in (
                QEvent.Type.ApplicationPaletteChange, QEvent.Type.PaletteChange):
            self._apply_colours()

    def set_text(self, text: str, kind: BannerKind | None = None) -> None:
        if kind is not None and kind != self.kind:
            self.set_kind(kind)
        self.label.setText(text)
        self.setAccessibleName(text)

    def text(self) -> str:
        return self.label.text()

    def add_button(self, text: str) -> QPushButton:
        button = QPushButton(text, self)
        self._buttons.addWidget(button)
        return button

    def finish_buttons(self) -> None:
        """Call after the last add_button: keeps the buttons packed on the left."""
        self._buttons.addStretch(1)


class AlertLabel(QLabel):
    """Bold text in a red that reads on the current palette (and follows it when it changes):
    for what blocks the user, such as required fields left without a column."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        font = self.font()
        font.setBold(True)
        self.setFont(font)
        self._recolour()

    def _recolour(self) -> None:
        self._recolouring = True  # setPalette sends a PaletteChange of its own
        try:
            # Only the text role is set, so the rest keeps following the application palette
            # (and its changes reach changeEvent).
            palette = QPalette()
            palette.setColor(QPalette.ColorRole.WindowText,
                             alert_text_colour(QApplication.palette(self)))
            self.setPalette(palette)
        finally:
            self._recolouring = False

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if getattr(self, "_recolouring", True) is False and event.type() in (
                QEvent.Type.ApplicationPaletteChange, QEvent.Type.PaletteChange):
            self._recolour()


def heading(text: str, parent: QWidget | None = None) -> QLabel:
    label = QLabel(text, parent)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label
