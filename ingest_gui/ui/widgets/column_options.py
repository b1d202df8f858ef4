"""The per-column options editor of the Map columns page, and the per-target column chooser.

The editor edits one :class:`~ingest_gui.core.mapping.ColumnOptions` at a time and only shows the
options that matter for the targets the column feeds (a phone country for phones, a date order for
dates, ...). ``ColumnOptions`` is frozen, so every change is a ``dataclasses.replace``.
"""

from __future__ import annotations

import dataclasses
import zoneinfo
from collections.abc import Sequence
from functools import cache

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ingest_gui.api.specs import DataType
from ingest_gui.core.countries import country_names
from ingest_gui.core.mapping import (
    ROW_KEYS,
    USER_DATA_PREFIX,
    ColumnOptions,
    DateOrder,
    EmptyCellPolicy,
    InvalidValuePolicy,
    Target,
)
from ingest_gui.ui.i18n import arg

# Combo boxes of the editor ask for room for this many characters, not for their longest item
# (country and time-zone names), so the editor fits half of the smallest window.
COMBO_CONTENTS_LENGTH = 22


def is_contact_attribute(target: Target) -> bool:
    """A contact attribute (also inside an event's ``_user_data``), not an event field."""
    if target.key.startswith(USER_DATA_PREFIX) or target.group == "user_data":
        return True
    # The core leaves ``group`` at its "contact" default for _event_id/_event_type/_event_date.
    return target.group == "contact" and not target.key.startswith("_event_")


@cache
def _countries() -> list[tuple[str, str]]:
    return sorted(((code, names[0]) for code, names in country_names().items()),
                  key=lambda pair: pair[1])


@cache
def _timezones() -> list[str]:
    return sorted(zone for zone in zoneinfo.available_timezones() if "/" in zone)


def build_option_lists() -> None:
    """Build the country and time zone lists (once per process), for a worker to run ahead.

    Listing the time zones walks the tz database (tens of ms); done ahead, the first column
    the user selects shows its options without that wait. Only plain data is computed.
    """
    _countries()
    _timezones()


def option_lists_built() -> bool:
    return _countries.cache_info().currsize > 0 and _timezones.cache_info().currsize > 0


class ColumnOptionsEditor(QGroupBox):
    """Options for the selected column; hidden while no column is selected.

    A column may feed several targets: "Goes to" is its first one, "Also goes to" lists the
    others (each with a remove button) and adds more.

    Signals:
        optionsChanged(str, object): column, its new ``ColumnOptions``.
        targetChosen(str, str): column, the target key that replaces its first target
            ("" = stop importing the column: all its targets go).
        targetAdded(str, str): column, a target key it should feed as well.
        targetRemoved(str, str): column, a target key it should no longer feed.
    """

    optionsChanged = Signal(str, object)
    targetChosen = Signal(str, str)
    targetAdded = Signal(str, str)
    targetRemoved = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Column options"), parent)
        self._column: str | None = None
        self._options = ColumnOptions()
        self._updating = False
        self._target_keys: list[str] = []
        self._defaults: tuple[str, str] | None = None
        self._choices_filled = False
        self._labels: dict[str, str] = {}

        self.target_combo = QComboBox(self)
        self.target_combo.setAccessibleName(self.tr("Target this column goes to"))
        self.target_combo.activated.connect(self._on_target_chosen)
        self.add_target_combo = QComboBox(self)
        self.add_target_combo.setAccessibleName(self.tr("Send this column to another field too"))
        self.add_target_combo.activated.connect(self._on_target_added)
        # The remove buttons of the extra targets, by target key (rebuilt per column).
        self.remove_target_buttons: dict[str, QToolButton] = {}
        self._extra_targets = QVBoxLayout()
        self._extra_targets.setContentsMargins(0, 0, 0, 0)
        also_box = QVBoxLayout()
        also_box.setContentsMargins(0, 0, 0, 0)
        also_box.addLayout(self._extra_targets)
        also_box.addWidget(self.add_target_combo)

        self.keep_radio = QRadioButton(self.tr("Keep what Instasent already has"), self)
        self.clear_radio = QRadioButton(self.tr("Clear the value in Instasent"), self)
        self._empty_group = QButtonGroup(self)
        self._empty_group.addButton(self.keep_radio)
        self._empty_group.addButton(self.clear_radio)
        self.keep_radio.toggled.connect(self._on_changed)
        self.empty_count_label = QLabel(self)
        self.empty_count_label.setWordWrap(True)
        empty_box = QVBoxLayout()
        empty_box.setContentsMargins(0, 0, 0, 0)
        empty_box.addWidget(self.empty_count_label)
        empty_box.addWidget(self.keep_radio)
        empty_box.addWidget(self.clear_radio)

        self.invalid_values_combo = QComboBox(self)
        self.invalid_values_combo.setAccessibleName(self.tr("When a value is invalid"))
        self.invalid_values_combo.setToolTip(self.tr(
            "A value of this column that is not valid (a malformed phone, an impossible date) "
            "is left out and the rest of the row is sent, or the whole row is skipped. The "
            "error log lists it either way."))
        self.invalid_values_combo.addItem(self.tr("Leave the value out"),
                                          InvalidValuePolicy.LEAVE_OUT.value)
        self.invalid_values_combo.addItem(self.tr("Skip the row"),
                                          InvalidValuePolicy.SKIP_ROW.value)
        self.invalid_values_combo.activated.connect(self._on_changed)

        self.country_combo = QComboBox(self)
        self.country_combo.setAccessibleName(self.tr("Country for phone numbers without a prefix"))
        self.country_combo.setToolTip(self.tr(
            "Phone numbers without an international prefix (+34…) are read as numbers of this "
            "country. By default, the row's own country when it has one, else the "
            "datasource's."))
        self.date_order_combo = QComboBox(self)
        self.date_order_combo.setAccessibleName(self.tr("Date order"))
        for order, text in (
            (DateOrder.AUTO, self.tr("Detect from the values")),
            (DateOrder.DAY_FIRST, self.tr("Day first (31/12/2025)")),
            (DateOrder.MONTH_FIRST, self.tr("Month first (12/31/2025)")),
        ):
            self.date_order_combo.addItem(text, order.value)
        self.timezone_combo = QComboBox(self)
        self.timezone_combo.setEditable(True)
        self.timezone_combo.setAccessibleName(self.tr("Time zone of dates without one"))
        self.separator_edit = QLineEdit(self)
        self.separator_edit.setMaxLength(3)
        self.separator_edit.setMaximumWidth(60)
        self.separator_edit.setAccessibleName(self.tr("Separator between list values"))
        # An e-mail as User ID is lower-cased like the e-mail attribute; this keeps it verbatim.
        self.keep_email_case_box = QCheckBox(self.tr("Keep the e-mail exactly as written"), self)
        self.keep_email_case_box.setToolTip(self.tr(
            "An e-mail address used as User ID is trimmed and lower-cased, as the e-mail "
            "field is, so that “Ana@Example.com” and “ana@example.com” are one contact. "
            "Check this to send it exactly as written."))
        self.keep_email_case_box.toggled.connect(self._on_changed)

        self.country_combo.activated.connect(self._on_changed)
        self.date_order_combo.activated.connect(self._on_changed)
        self.timezone_combo.activated.connect(self._on_changed)
        self.separator_edit.editingFinished.connect(self._on_changed)
        for combo in (self.target_combo, self.add_target_combo, self.country_combo,
                      self.date_order_combo, self.timezone_combo):
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(COMBO_CONTENTS_LENGTH)

        self._form = QFormLayout()
        self._form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._form.addRow(self.tr("Goes to:"), self.target_combo)
        self._form.addRow(self.tr("Also goes to:"), also_box)
        self._form.addRow(self.tr("Empty cells:"), empty_box)
        self._form.addRow(self.tr("When a value is invalid:"), self.invalid_values_combo)
        self._form.addRow(self.tr("Phone country:"), self.country_combo)
        self._form.addRow(self.tr("Date order:"), self.date_order_combo)
        self._form.addRow(self.tr("Time zone:"), self.timezone_combo)
        self._form.addRow(self.tr("List separator:"), self.separator_edit)
        self._form.addRow(self.tr("User ID:"), self.keep_email_case_box)
        layout = QVBoxLayout(self)
        layout.addLayout(self._form)
        self.setVisible(False)

    def set_defaults(self, default_country: str, timezone: str) -> None:
        """The datasource's defaults, named in the "use the default" choices.

        The long country and time zone lists are filled when a column is first shown, the
        only time they can be seen: filling them held the Map page's opening up (~50 ms).
        """
        if (default_country, timezone) != self._defaults:
            self._defaults = (default_country, timezone)
            self._choices_filled = False

    def _fill_choices(self) -> None:
        if self._choices_filled or self._defaults is None:
            return
        default_country, timezone = self._defaults
        self._choices_filled = True
        updating, self._updating = self._updating, True
        self.country_combo.clear()
        self.country_combo.addItem(
            arg(self.tr("Row's country, else %1"), default_country or self.tr("none")), None)
        for code, name in _countries():
            self.country_combo.addItem(f"{name} ({code})", code)
        self.timezone_combo.clear()
        self.timezone_combo.addItem(
            arg(self.tr("The datasource's time zone (%1)"), timezone or "UTC"), None)
        for zone in _timezones():
            self.timezone_combo.addItem(zone, zone)
        self._updating = updating

    def set_targets(self, targets: Sequence[Target]) -> None:
        self._updating = True
        self.target_combo.clear()
        self.target_combo.addItem(self.tr("(not imported)"), "")
        self._target_keys = [""]
        self._labels = {}
        for target in targets:
            if not target.read_only:
                label = target.label if target.group != "user_data" else \
                    arg(self.tr("Contact: %1"), target.label)
                self.target_combo.addItem(label, target.key)
                self._target_keys.append(target.key)
                self._labels[target.key] = label
        self._updating = False

    @property
    def column(self) -> str | None:
        return self._column

    def show_column(self, column: str | None, options: ColumnOptions,
                    feeds: Sequence[Target], empty_cells: int) -> None:
        """Show ``column``'s options; ``feeds`` are the targets it is mapped to."""
        self._updating = True
        self._column = column
        self._options = options
        self.setVisible(column is not None)
        if column is None:
            self._updating = False
            return
        self._fill_choices()
        self.setTitle(arg(self.tr("Options for the column \"%1\""), column))
        first = feeds[0].key if feeds else ""
        self.target_combo.setCurrentIndex(max(0, self.target_combo.findData(first)))
        self._show_extra_targets([target.key for target in feeds[1:]])
        self._fill_add_targets({target.key for target in feeds})
        self._form.setRowVisible(1, bool(feeds))
        self.empty_count_label.setText(
            self.tr("No cell in this column is empty.") if empty_cells == 0 else
            self.tr("%Ln cell(s) in this column are empty. For them:", "", empty_cells))
        self.keep_radio.setChecked(options.empty_cells is EmptyCellPolicy.KEEP)
        self.clear_radio.setChecked(options.empty_cells is EmptyCellPolicy.CLEAR)
        self.country_combo.setCurrentIndex(max(0, self.country_combo.findData(
            options.phone_country)) if options.phone_country else 0)
        self.date_order_combo.setCurrentIndex(
            max(0, self.date_order_combo.findData(options.date_order.value)))
        self.timezone_combo.setCurrentIndex(max(0, self.timezone_combo.findData(
            options.timezone)) if options.timezone else 0)
        self.separator_edit.setText(options.multivalue_separator)
        self.keep_email_case_box.setChecked(not options.lowercase_email)
        self.invalid_values_combo.setCurrentIndex(max(0, self.invalid_values_combo.findData(
            options.invalid_values.value)))

        types = {DataType.of(target.data_type) for target in feeds}
        # Keep/clear is about contact attributes; an empty event field is simply left out.
        self._form.setRowVisible(2, any(is_contact_attribute(target) for target in feeds))
        # An invalid user id, event type or date, or required value, always skips the row.
        self._form.setRowVisible(self.invalid_values_combo, any(
            not target.required and target.key not in ROW_KEYS for target in feeds))
        self._form.setRowVisible(self.country_combo, DataType.PHONE in types)
        self._form.setRowVisible(self.date_order_combo,
                                 bool(types & {DataType.DATE, DataType.DATETIME})
                                 or any(t.key == "_event_date" for t in feeds))
        self._form.setRowVisible(self.timezone_combo, DataType.DATETIME in types
                                 or any(t.key == "_event_date" for t in feeds))
        self._form.setRowVisible(self.separator_edit,
                                 any(target.multivalue > 1 for target in feeds))
        self._form.setRowVisible(self.keep_email_case_box,
                                 any(target.key == "_user_id" for target in feeds))
        self._updating = False

    def _show_extra_targets(self, keys: Sequence[str]) -> None:
        """One line per extra target: its name and a button that stops sending to it."""
        while (item := self._extra_targets.takeAt(0)) is not None:
            line = item.layout()
            while line is not None and (part := line.takeAt(0)) is not None:
                widget = part.widget()
                if widget is not None:
                    widget.deleteLater()
            if line is not None:
                line.deleteLater()
        self.remove_target_buttons = {}
        for key in keys:
            label = self._labels.get(key, key)
            name = QLabel(label, self)
            name.setToolTip(label)
            remove = QToolButton(self)
            remove.setText(self.tr("Remove"))
            remove.setAccessibleName(arg(self.tr("Stop sending this column to %1"), label))
            remove.setToolTip(remove.accessibleName())
            remove.clicked.connect(lambda _checked=False, k=key: self._on_target_removed(k))
            line = QHBoxLayout()
            line.addWidget(name, 1)
            line.addWidget(remove)
            self._extra_targets.addLayout(line)
            self.remove_target_buttons[key] = remove

    def _fill_add_targets(self, fed: set[str]) -> None:
        self.add_target_combo.clear()
        self.add_target_combo.addItem(self.tr("Add another field…"), "")
        for key in self._target_keys[1:]:
            if key not in fed:
                self.add_target_combo.addItem(self._labels.get(key, key), key)

    def current_options(self) -> ColumnOptions:
        timezone_text = self.timezone_combo.currentText().strip()
        timezone = self.timezone_combo.currentData()
        if timezone is None and timezone_text in _timezones():
            timezone = timezone_text  # typed rather than picked
        return dataclasses.replace(
            self._options,
            empty_cells=EmptyCellPolicy.CLEAR if self.clear_radio.isChecked()
            else EmptyCellPolicy.KEEP,
            phone_country=self.country_combo.currentData(),
            date_order=DateOrder(self.date_order_combo.currentData()),
            timezone=timezone,
            multivalue_separator=self.separator_edit.text() or ",",
            lowercase_email=not self.keep_email_case_box.isChecked(),
            invalid_values=InvalidValuePolicy(self.invalid_values_combo.currentData()),
        )

    def _on_changed(self) -> None:
        if self._updating or self._column is None:
            return
        options = self.current_options()
        if options != self._options:
            self._options = options
            self.optionsChanged.emit(self._column, options)

    def _on_target_chosen(self, position: int) -> None:
        if self._updating or self._column is None:
            return
        self.targetChosen.emit(self._column, str(self.target_combo.itemData(position) or ""))

    def _on_target_added(self, position: int) -> None:
        key = str(self.add_target_combo.itemData(position) or "")
        if self._updating or self._column is None or not key:
            return
        self.targetAdded.emit(self._column, key)

    def _on_target_removed(self, key: str) -> None:
        if self._column is not None:
            self.targetRemoved.emit(self._column, key)


class ColumnChooserDelegate(QStyledItemDelegate):
    """Edits a target's "Column in your file" cell with a list of the file's columns."""

    def __init__(self, headers: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.headers = list(headers)

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: QModelIndex | QPersistentModelIndex) -> QWidget:
        combo = QComboBox(parent)
        combo.setAccessibleName(self.tr("Column in your file"))
        combo.addItem(self.tr("(not mapped)"), "")
        for header in self.headers:
            combo.addItem(header, header)
        return combo

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        assert isinstance(editor, QComboBox)
        current = index.data(Qt.ItemDataRole.EditRole) or ""
        editor.setCurrentIndex(max(0, editor.findData(current)))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel,
                     index: QModelIndex | QPersistentModelIndex) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData() or "", Qt.ItemDataRole.EditRole)
