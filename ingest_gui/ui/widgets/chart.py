"""The outcome of an import at a glance: one bar of accepted / rejected / skipped / not sent rows,
and, when a preview ran, one of contacts created / updated. Painted with QPainter (no chart
library); the same numbers are its accessible description and tooltip, for screen readers and
for anyone who cannot tell the colours apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette
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
    def _row_height(self) -> int:
        return _BAR_HEIGHT + _GAP + self.fontMetrics().height() + _GAP

    def sizeHint(self) -> QSize:
        return QSize(320, self._row_height() * max(len(self._bars), 1))

    def minimumSizeHint(self) -> QSize:
        return QSize(160, self.sizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        empty = palette.color(QPalette.ColorRole.Mid)
        metrics = self.fontMetrics()
        width = float(self.width())
        top = 0.0
        for _title, segments in self._bars:
            total = sum(segment.count for segment in segments)
            bar = QRectF(0.0, top, width, _BAR_HEIGHT)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(empty)
            painter.drawRoundedRect(bar, 3, 3)
            left = 0.0
            for segment in segments:
                if not total or not segment.count:
                    continue
                share = width * segment.count / total
                painter.setBrush(self._colour(segment.key))
                painter.drawRect(QRectF(left, top, share, _BAR_HEIGHT))
                left += share
            # The key: a swatch and "Label 123" for each segment, on one line.
            key_top = top + _BAR_HEIGHT + _GAP
            x = 0.0
            for segment in segments:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(self._colour(segment.key))
                swatch_top = key_top + (metrics.height() - _KEY_SIZE) / 2
                painter.drawRect(QRectF(x, swatch_top, _KEY_SIZE, _KEY_SIZE))
                label = arg(self.tr("%1 %2"), segment.label, format_count(segment.count))
                painter.setPen(text)
                x += _KEY_SIZE + 4
                painter.drawText(QRectF(x, key_top, width - x, metrics.height()),
                                 Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                                 label)
                x += metrics.horizontalAdvance(label) + 3 * _GAP
            top += self._row_height()
        painter.end()

    def _colour(self, key: str) -> QColor:
        colour = QColor(_COLOURS[key])
        return colour.lighter(125) if is_dark(self.palette()) else colour
