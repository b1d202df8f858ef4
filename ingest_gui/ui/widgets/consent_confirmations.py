"""The Check page's consent guard: giving marketing consent needs a deliberate act per channel.

When the mapping writes a consent attribute, :class:`ConsentConfirmations` says what the import
changes in consent (grants and withdrawals per channel, conflicts resolved) and offers, for each
channel the import grants consent on, an unchecked box that names the count and the channel
("I confirm these 1,234 contacts agreed to receive SMS marketing"). The page keeps Next
disabled until every such box is ticked; withdrawals need none, they are shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QGroupBox, QLabel, QVBoxLayout, QWidget

from ingest_gui.ui.i18n import arg

if TYPE_CHECKING:
    from ingest_gui.core.consent import ConsentReport


class ConsentConfirmations(QGroupBox):
    """Consent counts and one confirmation box per granting channel.

    Signals:
        confirmationChanged(): :meth:`all_confirmed` may have changed.
    """

    confirmationChanged = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Marketing consent"))
        self.counts_label = QLabel(self)
        self.counts_label.setWordWrap(True)
        self.counts_label.setTextFormat(Qt.TextFormat.PlainText)
        self._layout = QVBoxLayout(self)
        self._layout.addWidget(self.counts_label)
        #: Channel name (``sms``, ``email``, ``whatsapp``, ``other``) -> its confirmation box.
        self.boxes: dict[str, QCheckBox] = {}
        self.set_report(None)

    def channel_name(self, channel: str) -> str:
        names = {"sms": self.tr("SMS"), "email": self.tr("e-mail"),
                 "whatsapp": self.tr("WhatsApp")}
        return names.get(channel, channel)

    def set_report(self, report: ConsentReport | None) -> None:
        """Show ``report`` (None, or one that writes no consent: hidden). A box starts unticked
        unless the user ticked it for the very same count on the report shown before (the
        preview adds what the sample says; the confirmation still stands)."""
        ticked = {channel: box.text() for channel, box in self.boxes.items() if box.isChecked()}
        for box in self.boxes.values():
            self._layout.removeWidget(box)
            box.deleteLater()
        self.boxes = {}
        if report is None or not report.writes_consent:
            self.counts_label.clear()
            self.setVisible(False)
            self.confirmationChanged.emit()
            return
        self.counts_label.setText("\n".join(report.sentences()))
        for channel in report.granting_channels:
            grant = report.channels[channel].grant
            if channel.value == "other":
                labels = ", ".join(f"“{target.attribute.label}”" for target in report.targets
                                   if target.attribute.channel is channel)
                text = arg(self.tr(
                    "I confirm these %Ln contact(s) agreed to what %1 means for marketing",
                    "", grant), labels)
            else:
                text = arg(self.tr(
                    "I confirm these %Ln contact(s) agreed to receive %1 marketing", "", grant),
                    self.channel_name(channel.value))
            box = QCheckBox(text, self)
            # A deliberate act: never ticked for the user, only kept for the same sentence.
            box.setChecked(ticked.get(channel.value) == text)
            box.toggled.connect(lambda _checked: self.confirmationChanged.emit())
            self._layout.addWidget(box)
            self.boxes[channel.value] = box
        self.setVisible(True)
        self.confirmationChanged.emit()

    def confirmed_channels(self) -> list[str]:
        return [channel for channel, box in self.boxes.items() if box.isChecked()]

    def all_confirmed(self) -> bool:
        return all(box.isChecked() for box in self.boxes.values())
