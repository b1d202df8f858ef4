"""Page 3, What to import: contacts, events (one type or a type per row), or contact removal.

For a workbook of several sheets it proposes the sheet that fits the chosen kind (the orders on
the third sheet, not the first): one click asks the File page to load it.
"""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QRadioButton,
    QStyle,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from ingest_gui.core.mapping import ImportKind, Mapping
from ingest_gui.core.sources import propose_sheet
from ingest_gui.ui.i18n import arg
from ingest_gui.ui.session import WizardSession
from ingest_gui.ui.widgets.common import Banner, BannerKind
from ingest_gui.ui.widgets.page_helpers import StatusLabel, accessible, secondary_label

CONTACTS, EVENTS_ONE_TYPE, EVENTS_FROM_COLUMN, DELETE = range(4)


class KindPage(QWizardPage):
    """Writes ``session.data.mapping`` (kept when the choice did not change).

    Signals:
        sheet_requested(str): the user chose to read another sheet of the workbook (the wizard
            has the File page load it; :meth:`sheet_switch_failed` or ``session.changed``
            follows).
    """

    sheet_requested = Signal(str)

    def __init__(self, session: WizardSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        #: The sheet asked for and not loaded yet (Next waits for it).
        self._pending_sheet: str | None = None
        #: The sheet proposed for the current choice, when it is not the one read.
        self._proposed_sheet: str | None = None
        session.changed.connect(self._on_session_changed)
        self.setTitle(self.tr("What do you want to import?"))
        self.setSubTitle(self.tr(
            "Tell the wizard what the rows of your file are. The next step maps its columns."))
        self.contacts_radio = accessible(QRadioButton(self.tr("&Contacts")),
                                         self.tr("Import contacts"))
        self.events_radio = accessible(QRadioButton(self.tr("&Events of one type:")),
                                       self.tr("Import events of one type"))
        self.event_type_combo = accessible(QComboBox(), self.tr("Event type"),
                                           self.tr("Every row of the file is an event of "
                                                   "this type."))
        self.events_column_radio = accessible(
            QRadioButton(self.tr("Events whose &type is in a column")),
            self.tr("Import events whose type is in a column"))
        self.delete_radio = accessible(
            QRadioButton(self.tr("&Remove the contacts listed in this file")),
            self.tr("Remove contacts listed in this file"))
        self.user_data_box = accessible(
            QCheckBox(self.tr("Also create or &update the contact from the same row")),
            self.tr("Also create or update the contact from the same row"),
            self.tr("Each event row may also carry the contact's details (name, email, phone…)."))
        self.group = QButtonGroup(self)
        for button, choice in (
            (self.contacts_radio, CONTACTS), (self.events_radio, EVENTS_ONE_TYPE),
            (self.events_column_radio, EVENTS_FROM_COLUMN), (self.delete_radio, DELETE),
        ):
            self.group.addButton(button, choice)
        self.contacts_radio.setChecked(True)
        self.group.idToggled.connect(self._on_choice_toggled)
        self.event_type_combo.currentIndexChanged.connect(self._on_event_type_changed)

        self.automation_note = StatusLabel()
        self.automation_note.clear_message()
        self.specs_note = StatusLabel()
        self.specs_note.clear_message()
        self.sheet_banner = Banner(BannerKind.INFO, self)
        self.use_sheet_button = accessible(self.sheet_banner.add_button(
            self.tr("Use the proposed sheet")), self.tr("Use the proposed sheet"))
        self.sheet_banner.finish_buttons()
        self.use_sheet_button.clicked.connect(self.use_proposed_sheet)
        self.sheet_banner.setVisible(False)

        # Each choice: the radio button (with the event-type picker beside it where relevant)
        # and, indented under it, what it means.
        options = QVBoxLayout()
        options.setSpacing(14)
        indent = self.style().pixelMetric(QStyle.PixelMetric.PM_ExclusiveIndicatorWidth) + 8
        for button, explanation in (
            (self.contacts_radio, self.tr(
                "Each row is a person: new contacts are created, existing ones (same user id) "
                "are updated.")),
            (self.events_radio, self.tr(
                "Each row is something a contact did, such as a purchase or a booking.")),
            (self.events_column_radio, self.tr(
                "Each row is an event and one column says which type (for example "
                "\"purchase\" or \"signup\").")),
            (self.delete_radio, self.tr(
                "Each row names a contact to delete permanently from this datasource, by user "
                "id.")),
        ):
            row = QHBoxLayout()
            row.addWidget(button)
            if button is self.events_radio:
                self.event_type_combo.setMinimumWidth(280)
                row.addWidget(self.event_type_combo)
            row.addStretch(1)
            note = secondary_label(explanation)
            note.setContentsMargins(indent, 0, 0, 0)
            block = QVBoxLayout()
            block.setSpacing(2)
            block.addLayout(row)
            block.addWidget(note)
            options.addLayout(block)
        options.addSpacing(10)
        options.addWidget(self.user_data_box)

        layout = QVBoxLayout(self)
        layout.addWidget(self.sheet_banner)
        layout.addLayout(options)
        layout.addWidget(self.automation_note)
        layout.addWidget(self.specs_note)
        layout.addStretch(1)
        self._update_enabled()

    # -- reading the session ----------------------------------------------------------------
    def initializePage(self) -> None:
        specs = self.session.data.specs
        current = self.event_type_combo.currentData()
        self.event_type_combo.blockSignals(True)
        self.event_type_combo.clear()
        for event in specs.events if specs is not None else ():
            label = event.name or event.uid
            text = f"{label} ({event.uid})" if label != event.uid else event.uid
            self.event_type_combo.addItem(text, event.uid)
        self.event_type_combo.blockSignals(False)
        has_events = self.event_type_combo.count() > 0
        if not has_events:
            self.specs_note.show_message("info", self.tr(
                "This datasource defines no event types yet, so events of one fixed type "
                "cannot be chosen."))
        else:
            self.specs_note.clear_message()
        mapping = self.session.data.mapping
        if mapping is not None:
            self._restore(mapping)
        elif current is not None:
            self._select_event_type(str(current))
        self._update_enabled()
        self.completeChanged.emit()

    def _select_event_type(self, uid: str | None) -> None:
        index = self.event_type_combo.findData(uid) if uid else -1
        if index >= 0:
            self.event_type_combo.setCurrentIndex(index)

    def _restore(self, mapping: Mapping) -> None:
        if mapping.kind is ImportKind.CONTACTS:
            self.contacts_radio.setChecked(True)
        elif mapping.kind is ImportKind.DELETE:
            self.delete_radio.setChecked(True)
        elif mapping.event_type:
            self.events_radio.setChecked(True)
            self._select_event_type(mapping.event_type)
        else:
            self.events_column_radio.setChecked(True)
        self.user_data_box.setChecked(mapping.with_user_data)

    # -- reacting ---------------------------------------------------------------------------
    @Slot(int, bool)
    def _on_choice_toggled(self, choice: int, checked: bool) -> None:
        if checked:
            self._update_enabled()
            self.completeChanged.emit()

    @Slot(int)
    def _on_event_type_changed(self, index: int) -> None:
        if self.group.checkedId() != EVENTS_ONE_TYPE and index >= 0:
            self.events_radio.setChecked(True)
        self._update_enabled()
        self.completeChanged.emit()

    def _update_enabled(self) -> None:
        choice = self.group.checkedId()
        is_events = choice in (EVENTS_ONE_TYPE, EVENTS_FROM_COLUMN)
        self.user_data_box.setEnabled(is_events)
        has_events = self.event_type_combo.count() > 0
        self.events_radio.setEnabled(has_events)
        self.event_type_combo.setEnabled(has_events)
        self._update_automation_note()
        self._update_sheet_proposal()

    # -- the sheet that fits ------------------------------------------------------------------
    def _update_sheet_proposal(self) -> None:
        """Propose the workbook's sheet that fits the chosen kind when another one is read."""
        data = self.session.data
        table = data.table
        self._proposed_sheet = None
        if self._pending_sheet is not None:
            self.sheet_banner.set_text(arg(self.tr("Loading the sheet “%1”…"),
                                           self._pending_sheet), BannerKind.INFO)
            self.use_sheet_button.setVisible(False)
            self.sheet_banner.setVisible(True)
            return
        choice = self.group.checkedId()
        if table is None or choice < 0 or len(data.sheet_headers) < 2:
            self.sheet_banner.setVisible(False)
            return
        kind = self.choice()[0]
        proposal = propose_sheet(data.sheet_headers, kind.value)
        # No proposal means no sheet stands out over the first.
        proposed = proposal.sheet if proposal is not None else next(iter(data.sheet_headers))
        if proposed == table.sheet:
            self.sheet_banner.setVisible(False)
            return
        self._proposed_sheet = proposed
        sentences = {
            ImportKind.CONTACTS: self.tr(
                "Your contacts seem to be on the sheet “%1”, but the sheet “%2” is read."),
            ImportKind.EVENTS: self.tr(
                "Your events seem to be on the sheet “%1”, but the sheet “%2” is read."),
            ImportKind.DELETE: self.tr(
                "The contacts to remove seem to be on the sheet “%1”, but the sheet “%2” is "
                "read."),
        }
        self.sheet_banner.set_text(arg(sentences[kind], proposed, table.sheet or ""),
                                   BannerKind.WARNING)
        self.use_sheet_button.setText(arg(self.tr("Use the sheet “%1”"), proposed))
        self.use_sheet_button.setAccessibleName(self.use_sheet_button.text())
        self.use_sheet_button.setVisible(True)
        self.sheet_banner.setVisible(True)

    @property
    def proposed_sheet(self) -> str | None:
        """The sheet the banner proposes (``None``: the one read fits, or one sheet only)."""
        return self._proposed_sheet

    @Slot()
    def use_proposed_sheet(self) -> None:
        if self._proposed_sheet is None or self._pending_sheet is not None:
            return
        self._pending_sheet = self._proposed_sheet
        self._update_sheet_proposal()
        self.completeChanged.emit()
        self.sheet_requested.emit(self._pending_sheet)

    def is_switching_sheet(self) -> bool:
        return self._pending_sheet is not None

    @Slot()
    def _on_session_changed(self) -> None:
        table = self.session.data.table
        if self._pending_sheet is not None and table is not None and \
                table.sheet == self._pending_sheet:
            sheet, self._pending_sheet = self._pending_sheet, None
            self._update_sheet_proposal()
            if not self.sheet_banner.isVisible():
                self.sheet_banner.set_text(arg(self.tr(
                    "Now reading the sheet “%1”: %Ln row(s).", "", len(table)), sheet),
                    BannerKind.SUCCESS)
                self.use_sheet_button.setVisible(False)
                self.sheet_banner.setVisible(True)
            self.completeChanged.emit()

    @Slot(str)
    def sheet_switch_failed(self, message: str) -> None:
        """The File page could not load the sheet asked for: say why, offer it again."""
        self._pending_sheet = None
        self._update_sheet_proposal()
        self.sheet_banner.set_text(message, BannerKind.ERROR)
        self.sheet_banner.setVisible(True)
        self.completeChanged.emit()

    def _update_automation_note(self) -> None:
        specs = self.session.data.specs
        choice = self.group.checkedId()
        if specs is None or choice not in (EVENTS_ONE_TYPE, EVENTS_FROM_COLUMN):
            self.automation_note.clear_message()
            return
        if choice == EVENTS_ONE_TYPE:
            event = specs.event_type(str(self.event_type_combo.currentData() or ""))
            automated = [event] if event is not None and event.automation else []
        else:
            automated = [event for event in specs.events if event.automation]
        if not automated:
            self.automation_note.clear_message()
            return
        names = ", ".join(event.name or event.uid for event in automated)
        self.automation_note.show_message("info", arg(self.tr(
            "Events of these types can start automations, such as an SMS to the contact: "
            "%1. The Check step counts the recent ones before anything is sent."), names))

    # -- result -----------------------------------------------------------------------------
    def choice(self) -> tuple[ImportKind, str | None, bool]:
        """(kind, fixed event type or ``None``, create/update the contact from the row)."""
        choice = self.group.checkedId()
        if choice == CONTACTS:
            return ImportKind.CONTACTS, None, False
        if choice == DELETE:
            return ImportKind.DELETE, None, False
        with_user_data = self.user_data_box.isChecked()
        if choice == EVENTS_ONE_TYPE:
            return ImportKind.EVENTS, str(self.event_type_combo.currentData()), with_user_data
        return ImportKind.EVENTS, None, with_user_data

    def isComplete(self) -> bool:
        if self._pending_sheet is not None:
            return False
        if self.group.checkedId() == EVENTS_ONE_TYPE:
            return self.event_type_combo.currentData() is not None
        return self.group.checkedId() >= 0

    def validatePage(self) -> bool:
        if not self.isComplete():
            return False
        kind, event_type, with_user_data = self.choice()
        mapping = self.session.data.mapping
        if mapping is None or (mapping.kind, mapping.event_type, mapping.with_user_data) != (
                kind, event_type, with_user_data):
            self.session.data.mapping = Mapping(kind, event_type, with_user_data)
            self.session.forget_results()
            self.session.changed.emit()
        return True
