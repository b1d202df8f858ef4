"""The Check page's preview: what an import will do to the datasource, before it is sent.

:class:`PreviewPanel` shows the progress of the paced reads, then the preview's findings in
plain words (new / updated / unchanged contacts with the estimate for the whole file, the
attributes that would change or be cleared); :class:`SampledContactsDialog` shows the sampled
contacts side by side, current vs after. :class:`UnknownContactsBox` is the choice an events
import must make when the sample finds events whose contact is not in the datasource.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ingest_gui.ui.i18n import arg
from ingest_gui.ui.widgets.common import Banner, BannerKind

if TYPE_CHECKING:
    from ingest_gui.core.preview import ContactComparison, Preview


def shown_value(value: Any) -> str:
    """A wire value as a person reads it ("—" where the contact has none)."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, list):
        return ", ".join(str(part) for part in value)
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


class PreviewPanel(QGroupBox):
    """The preview's progress and findings.

    Signals:
        previewRequested(): the user asked for the preview (again).
        stopRequested(): the user asked to stop the reads.
        contactsRequested(): the user asked to see the sampled contacts side by side.
    """

    previewRequested = Signal()
    stopRequested = Signal()
    contactsRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("What this import will change"))
        self.progress_label = QLabel(self)
        self.progress_bar = QProgressBar(self)
        self.progress_bar.setAccessibleName(self.tr("Preview progress"))
        self.stop_button = QPushButton(self.tr("Stop preview"), self)
        self.stop_button.clicked.connect(self.stopRequested)
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress_label)
        progress_row.addWidget(self.progress_bar, 1)
        progress_row.addWidget(self.stop_button)

        self.findings_label = QLabel(self)
        self.findings_label.setWordWrap(True)
        self.findings_label.setTextFormat(Qt.TextFormat.PlainText)
        self.findings_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.findings_label.setAccessibleName(self.tr("What this import will change"))

        self.preview_button = QPushButton(self.tr("Preview changes"), self)
        self.preview_button.setToolTip(self.tr(
            "Read a sample of the contacts this file touches from the datasource and compare "
            "them with what would be sent. Nothing is sent."))
        self.preview_button.clicked.connect(self.previewRequested)
        self.contacts_button = QPushButton(self.tr("Show sampled contacts…"), self)
        self.contacts_button.clicked.connect(self.contactsRequested)
        buttons = QHBoxLayout()
        buttons.addWidget(self.preview_button)
        buttons.addWidget(self.contacts_button)
        buttons.addStretch(1)

        layout = QVBoxLayout(self)
        layout.addLayout(progress_row)
        layout.addWidget(self.findings_label)
        layout.addLayout(buttons)
        self.show_idle()

    def _set_progress_visible(self, visible: bool) -> None:
        for widget in (self.progress_label, self.progress_bar, self.stop_button):
            widget.setVisible(visible)
        self.preview_button.setEnabled(not visible)

    def show_idle(self) -> None:
        self._set_progress_visible(False)
        self.findings_label.clear()
        self.contacts_button.setVisible(False)

    def show_reading(self) -> None:
        self._set_progress_visible(True)
        self.findings_label.clear()
        self.contacts_button.setVisible(False)
        self.progress_label.setText(self.tr("Comparing with the datasource…"))
        self.progress_bar.setRange(0, 0)

    def show_progress(self, done: int, total: int) -> None:
        if total <= 0:
            self.progress_bar.setRange(0, 0)
            return
        self.progress_bar.setRange(0, total)
        self.progress_bar.setValue(min(done, total))
        self.progress_label.setText(
            arg(self.tr("Read %1 of %Ln contact(s)…", "", total), done))

    def show_preview(self, preview: Preview, *, sampling_only: bool = False) -> None:
        """The preview's findings (``sampling_only``: only what was read, when the page says
        the rest elsewhere)."""
        self._set_progress_visible(False)
        lines = preview.summary_lines()
        self.findings_label.setText("\n".join(lines[:1] if sampling_only else lines))
        self.contacts_button.setVisible(bool(preview.comparisons))

    def show_message(self, message: str) -> None:
        self._set_progress_visible(False)
        self.findings_label.setText(message)
        self.contacts_button.setVisible(False)


class SampledContactsDialog(QDialog):
    """A few sampled contacts side by side: each attribute the import writes, now and after."""

    CONTACT, ATTRIBUTE, NOW, AFTER = range(4)

    def __init__(self, comparisons: tuple[ContactComparison, ...],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Sampled contacts: now and after the import"))
        self.table = QTableWidget(self)
        self.table.setAccessibleName(self.tr("Sampled contacts, now and after the import"))
        self.table.setColumnCount(4)
        self.table.setHorizontalHeaderLabels([
            self.tr("Contact"), self.tr("Attribute"), self.tr("Now"), self.tr("After")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self._fill(comparisons)
        self.table.resizeColumnsToContents()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr(
            "Changed values are in bold. New contacts have nothing now."), self))
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(720, 420)

    def status_text(self, comparison: ContactComparison) -> str:
        from ingest_gui.core.preview import ContactStatus

        words = {ContactStatus.NEW: self.tr("new"), ContactStatus.UPDATED: self.tr("updated"),
                 ContactStatus.UNCHANGED: self.tr("unchanged")}
        return arg(self.tr("%1 (row %2, %3)"), comparison.user_id, comparison.row,
                   words[comparison.status])

    def _fill(self, comparisons: tuple[ContactComparison, ...]) -> None:
        from ingest_gui.core.preview import FieldChange

        rows = [(comparison, field) for comparison in comparisons
                for field in comparison.fields] or []
        lone = [comparison for comparison in comparisons if not comparison.fields]
        self.table.setRowCount(len(rows) + len(lone))
        position = 0
        for comparison, field in rows:
            cells = [self.status_text(comparison), field.label, shown_value(field.before),
                     shown_value(field.after)]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == self.AFTER and field.change is not FieldChange.UNCHANGED:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(position, column, item)
            position += 1
        for comparison in lone:
            self.table.setItem(position, self.CONTACT,
                               QTableWidgetItem(self.status_text(comparison)))
            position += 1

    def cell_texts(self) -> list[list[str]]:
        """Every row's texts (for tests and accessibility checks)."""
        return [[(self.table.item(row, column) or QTableWidgetItem()).text()
                 for column in range(self.table.columnCount())]
                for row in range(self.table.rowCount())]


class UnknownContactsBox(QWidget):
    """Events whose contact is not in the datasource: the service drops them without an error.

    The user chooses a way out: import the contacts first (explained: the import waits), send
    each event with its contact, or send anyway knowing those events are skipped.

    Signals:
        withContactRequested(): switch the import to sending each event with its contact.
        choiceChanged(): :meth:`is_resolved` may have changed.
    """

    withContactRequested = Signal()
    choiceChanged = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.needed = False
        self.banner = Banner(BannerKind.WARNING, self)
        self.contacts_first_button = self.banner.add_button(
            self.tr("Import the contacts first"))
        self.with_contact_button = self.banner.add_button(
            self.tr("Send each event with its contact"))
        self.banner.finish_buttons()
        self.contacts_first_button.clicked.connect(self._explain_contacts_first)
        self.with_contact_button.clicked.connect(self.withContactRequested)
        self.explanation = QLabel(self)
        self.explanation.setWordWrap(True)
        self.send_anyway = QCheckBox(self.tr(
            "Send anyway: the events of contacts not in the datasource will be skipped"), self)
        self.send_anyway.toggled.connect(lambda _checked: self.choiceChanged.emit())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.banner)
        layout.addWidget(self.explanation)
        layout.addWidget(self.send_anyway)
        self.clear()

    def text(self) -> str:
        return self.banner.text()

    def show_unknown(self, unknown: int, sampled: int, *, sampled_all: bool,
                     estimate: str) -> None:
        """Say how many of the sampled events would vanish; the choice starts unmade."""
        if sampled_all:
            text = arg(self.tr(
                "%1 of the %Ln event(s) belong to contacts that are not in the datasource. "
                "Instasent drops such events without an error: they would not be imported, "
                "and nothing would say so.", "", sampled), unknown)
        else:
            text = arg(self.tr(
                "%1 of the %Ln sampled event(s) belong to contacts that are not in the "
                "datasource (about %2 in the whole file). Instasent drops such events without "
                "an error: they would not be imported, and nothing would say so.", "",
                sampled), unknown, estimate)
        self.banner.set_text(text + " " + self.tr("Choose how to go on before sending."))
        self.explanation.setVisible(False)
        with_signals_blocked(self.send_anyway, False)
        self.needed = True
        self.setVisible(True)
        self.choiceChanged.emit()

    def clear(self) -> None:
        """No events would vanish (or nothing is known yet): no choice to make."""
        self.needed = False
        with_signals_blocked(self.send_anyway, False)
        self.explanation.setVisible(False)
        self.setVisible(False)
        self.choiceChanged.emit()

    def _explain_contacts_first(self) -> None:
        self.explanation.setText(self.tr(
            "Import the file with these contacts first (a contacts import), then come back to "
            "this file: its events will then find their contacts. Until then this import waits "
            "here."))
        self.explanation.setVisible(True)

    def is_resolved(self) -> bool:
        """True when nothing would vanish, or the user chose to send anyway."""
        return not self.needed or self.send_anyway.isChecked()


def with_signals_blocked(box: QCheckBox, checked: bool) -> None:
    """Set ``box`` without announcing it (a reset, not the user's choice)."""
    blocked = box.blockSignals(True)
    box.setChecked(checked)
    box.blockSignals(blocked)
