"""Small shared widgets and formatting for the wizard's pages."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QLocale, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStyle,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from ingest_gui.ui.workers import BackgroundTask


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
        return translate("Durations", "%1 s").replace("%1", str(total))
    minutes, secs = divmod(total, 60)
    if minutes < 60:
        return translate("Durations", "%1 min %2 s").replace("%1", str(minutes)).replace(
            "%2", str(secs))
    hours, minutes = divmod(minutes, 60)
    return translate("Durations", "%1 h %2 min").replace("%1", str(hours)).replace(
        "%2", str(minutes))


class BannerKind(StrEnum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"
    SUCCESS = "success"


_BANNER_COLOURS = {
    # background, border, text — readable in light and dark palettes alike.
    BannerKind.INFO: ("#e8f1fc", "#7aa7e0", "#10243e"),
    BannerKind.WARNING: ("#fff4d6", "#e0a800", "#3d2c00"),
    BannerKind.ERROR: ("#fde8e8", "#d93025", "#4a0d0a"),
    BannerKind.SUCCESS: ("#e6f4ea", "#34a853", "#0d3318"),
}
_BANNER_ICONS = {
    BannerKind.INFO: QStyle.StandardPixmap.SP_MessageBoxInformation,
    BannerKind.WARNING: QStyle.StandardPixmap.SP_MessageBoxWarning,
    BannerKind.ERROR: QStyle.StandardPixmap.SP_MessageBoxCritical,
    BannerKind.SUCCESS: QStyle.StandardPixmap.SP_DialogApplyButton,
}


class Banner(QFrame):
    """A coloured strip with an icon, a wrapped sentence and optional buttons on the right."""

    def __init__(self, kind: BannerKind = BannerKind.INFO, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
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
        background, border, text = _BANNER_COLOURS[kind]
        self.setStyleSheet(
            f"QFrame#banner {{ background: {background}; border: 1px solid {border};"
            f" border-radius: 4px; }} QFrame#banner QLabel {{ color: {text}; }}"
        )
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor(background))
        self.setPalette(palette)
        icon = self.style().standardIcon(_BANNER_ICONS[kind])
        self._icon.setPixmap(icon.pixmap(24, 24))

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


def heading(text: str, parent: QWidget | None = None) -> QLabel:
    label = QLabel(text, parent)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


def wait_for_task(task: BackgroundTask | None, *, cancel: bool,
                  timeout_ms: int = 30_000) -> bool:
    """Wait for ``task``'s thread to end, after cancelling it if ``cancel``; the one way pages
    stop their work when they are left or the window closes. True if it ended in time.

    ``BackgroundTask.cancel_and_wait`` would block the GUI thread in ``QThread.wait`` for the
    whole time. This waits in short slices and delivers queued events between them, except
    user input (nothing new may start while a page shuts down): the window keeps repainting
    while, say, an upload's batches in flight finish, which can take seconds; progress already
    queued arrives; and once the thread has ended the task's own queued ``succeeded`` /
    ``cancelled`` / ``failed`` / ``finished`` signals are delivered before this returns, so the
    page's handlers have run and its state (``is_busy()``) is settled.

    ``cancel=False`` is for work stopped another way (the upload's ``UploadControl``, which
    lets the batches in flight finish and still delivers the result).
    """
    if task is None:
        return True
    from PySide6.QtCore import QDeadlineTimer, QEventLoop

    if cancel:
        task.cancel()
    keep_input_out = QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents
    deadline = QDeadlineTimer(timeout_ms)
    while not task.wait(10):
        QCoreApplication.processEvents(keep_input_out, 10)
        if deadline.hasExpired():
            return False
    QCoreApplication.processEvents(keep_input_out)
    return True
