"""The outcome of an import at a glance: one bar of accepted / rejected / skipped / not sent rows,
and, when a preview ran, one of contacts created / updated. Painted with QPainter (no chart
library); the same numbers are its accessible description and tooltip, for screen readers and
for anyone who cannot tell the colours apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette, QResizeEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from ingest_gui.ui.i18n import arg
from ingest_gui.ui.widgets.common import format_count, is_dark

#: Segment colours: one hue per meaning, readable on light and dark palettes.
_COLOURS = {
    "accepted": QColor("#34a853"),
    "rejected": QColor("#d93025"),
    "skipped": QColor("#e0a800"),
    "not_sent": QColor("#8a8f98"),
    "created": QColor("#3b82f6"),
    "updated": QColor("#8e6bd8"),
}
_BAR_HEIGHT = 18
_KEY_SIZE = 10
_GAP = 6


@dataclass(frozen=True, slots=True)
class Segment:
    """One part of a bar: what it counts (a key of the colours), its label and its count."""

    key: str
    label: str
    count: int


class OutcomeChart(QWidget):
    """A stacked bar of what happened to the rows, with a key under it; optionally a second bar
    of contacts created vs updated (from the preview against the datasource)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._bars: list[tuple[str, list[Segment]]] = []
        self.setAccessibleName(self.tr("Outcome chart"))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.set_counts(0, 0, 0, 0)

    # -- data --------------------------------------------------------------------------------
    def set_counts(self, accepted: int, rejected: int, skipped: int, not_sent: int, *,
                   created: int | None = None, updated: int | None = None) -> None:
        """The rows' outcome; ``created`` / ``updated`` (both, or neither) when a preview ran."""
        rows = [
            Segment("accepted", self.tr("Accepted"), accepted),
            Segment("rejected", self.tr("Rejected"), rejected),
            Segment("skipped", self.tr("Skipped"), skipped),
            Segment("not_sent", self.tr("Not sent"), not_sent),
        ]
        self._bars = [(self.tr("Rows"), rows)]
        if created is not None and updated is not None:
            self._bars.append((self.tr("Contacts (preview)"), [
                Segment("created", self.tr("New"), created),
                Segment("updated", self.tr("Updated"), updated),
            ]))
        description = self.text_alternative()
        self.setAccessibleDescription(description)
        self.setToolTip(description)
        self.setFixedHeight(self._height_for(max(self.width(), 160)))
        self.updateGeometry()
        self.update()

    def bars(self) -> list[tuple[str, list[Segment]]]:
        """Each bar's title and segments, in drawing order."""
        return [(title, list(segments)) for title, segments in self._bars]

    def text_alternative(self) -> str:
        """The chart in words: "Rows: accepted 247 (99%), rejected 0, skipped 3 (1%), not sent
        0." and the same for the preview's bar."""
        sentences = []
        for title, segments in self._bars:
            total = sum(segment.count for segment in segments)
            parts = []
            for segment in segments:
                if segment.count and total:
                    parts.append(arg(self.tr("%1 %2 (%3%)"), segment.label.lower(),
                                     format_count(segment.count),
                                     str(round(100 * segment.count / total))))
                else:
                    parts.append(arg(self.tr("%1 %2"), segment.label.lower(),
                                     format_count(segment.count)))
            sentences.append(arg(self.tr("%1: %2."), title, ", ".join(parts)))
        return " ".join(sentences)

    # -- painting ----------------------------------------------------------------------------
    def _key_lines(self, title: str, segments: list[Segment],
                   width: int) -> list[list[tuple[str | None, str]]]:
        """The key under a bar, wrapped to ``width``: lines of (colour key or None for the
        bar's title, text)."""
        metrics = self.fontMetrics()
        items: list[tuple[str | None, str]] = []
        if len(self._bars) > 1:
            items.append((None, arg(self.tr("%1:"), title)))
        items += [(segment.key, arg(self.tr("%1 %2"), segment.label,
                                    format_count(segment.count))) for segment in segments]
        lines: list[list[tuple[str | None, str]]] = [[]]
        x = 0
        for key, text in items:
            advance = (0 if key is None else _KEY_SIZE + 4) + metrics.horizontalAdvance(text)
            if lines[-1] and x + advance > width:
                lines.append([])
                x = 0
            lines[-1].append((key, text))
            x += advance + 3 * _GAP
        return lines

    def _height_for(self, width: int) -> int:
        line = self.fontMetrics().height()
        return sum(_BAR_HEIGHT + _GAP + len(self._key_lines(title, segments, width)) * line
                   + _GAP for title, segments in self._bars)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._height_for(width)

    def sizeHint(self) -> QSize:
        return QSize(320, self._height_for(max(self.width(), 320)))

    def minimumSizeHint(self) -> QSize:
        return QSize(160, self._height_for(max(self.width(), 160)))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # The key wraps to the width: the height follows it.
        if self.height() != self._height_for(self.width()):
            self.setFixedHeight(self._height_for(self.width()))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text_colour = palette.color(QPalette.ColorRole.WindowText)
        empty = palette.color(QPalette.ColorRole.Mid)
        metrics = self.fontMetrics()
        line_height = metrics.height()
        width = float(self.width())
        top = 0.0
        for title, segments in self._bars:
            total = sum(segment.count for segment in segments)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(empty)
            painter.drawRoundedRect(QRectF(0.0, top, width, _BAR_HEIGHT), 3, 3)
            left = 0.0
            for segment in segments:
                if not total or not segment.count:
                    continue
                share = width * segment.count / total
                painter.setBrush(self._colour(segment.key))
                painter.drawRect(QRectF(left, top, share, _BAR_HEIGHT))
                left += share
            # The key: the bar's title (when there are two), then a swatch and "Label 123"
            # for each segment, wrapped to the width.
            top += _BAR_HEIGHT + _GAP
            for line in self._key_lines(title, segments, self.width()):
                x = 0.0
                for key, text in line:
                    if key is not None:
                        painter.setPen(Qt.PenStyle.NoPen)
                        painter.setBrush(self._colour(key))
                        swatch_top = top + (line_height - _KEY_SIZE) / 2
                        painter.drawRect(QRectF(x, swatch_top, _KEY_SIZE, _KEY_SIZE))
                        x += _KEY_SIZE + 4
                    painter.setPen(text_colour)
                    painter.drawText(QRectF(x, top, width - x, line_height),
                                     Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                                     text)
                    x += metrics.horizontalAdvance(text) + 3 * _GAP
                top += line_height
            top += _GAP
        painter.end()

    def _colour(self, key: str) -> QColor:
        colour = QColor(_COLOURS[key])
        return colour.lighter(125) if is_dark(self.palette()) else colour
