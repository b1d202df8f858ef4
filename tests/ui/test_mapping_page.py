"""Page 4, Map columns: drag and drop, keyboard mapping, auto-map, options, templates."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from ingest_gui.core.loading import LoadOptions, load_table
from ingest_gui.core.mapping import (
    EmptyCellPolicy,
    ImportKind,
    Mapping,
    Suggestion,
    save_template,
    templates_dir,
)
from ingest_gui.ui.models.mapping import TargetTableModel
from ingest_gui.ui.pages import mapping as mapping_page
from ingest_gui.ui.pages.mapping import MappingPage
from ingest_gui.ui.widgets import column_options
from ingest_gui.ui.widgets.dialogs import OpenFileDialog, SaveFileDialog
from tests.ui.support_pages import CONTACT_COLUMNS, contacts_table, session_for

pytestmark = pytest.mark.gui


@pytest.fixture
def page(qtbot):
    session = session_for(contacts_table())
    page = MappingPage(session)
    qtbot.addWidget(page)
    page.initializePage()
    page.resize(1000, 700)
    return page


def drop_column(page: MappingPage, column: str, target: str) -> None:
    columns, targets = page.column_model, page.target_model
    assert columns is not None
    assert targets is not None
    data = columns.mimeData([columns.index(columns.row_of(column), 0)])
    assert targets.dropMimeData(data, Qt.DropAction.CopyAction, -1, -1,
                                targets.index(targets.row_of(target), 0))


def test_required_targets_left_unmapped_block_next_and_say_which(qtbot, page):
    assert not page.isComplete()
    assert page.missing_label.text() == "Map at least one column to continue."
    drop_column(page, "E-mail", "_email")
    assert not page.isComplete()
    missing = [target.label for target in page.mapping.missing_required(page.targets)]
    assert missing  # the contacts import needs a user id
    assert page.missing_label.text() == \
        f"Required fields still without a column: {', '.join(missing)}."
    assert page.missing_label.isVisibleTo(page)
    with qtbot.waitSignal(page.completeChanged, timeout=1000):
        drop_column(page, "Customer id", "_user_id")
    assert page.isComplete()
    assert not page.missing_label.isVisibleTo(page)
    assert page.validatePage()
    assert page.session.data.mapping.assignments == {
        "_email": "E-mail", "_user_id": "Customer id"}


def test_the_column_list_shows_where_a_dropped_column_goes(page):
    drop_column(page, "Plan", "plan")
    columns = page.column_model
    assert columns is not None
    assert columns.index(columns.row_of("Plan"), 2).data() == "Plan"


def test_delete_key_on_a_target_removes_its_mapping(qtbot, page):
    drop_column(page, "Plan", "plan")
    targets = page.target_model
    assert targets is not None
    page.targets_view.selectRow(targets.row_of("plan"))
    qtbot.keyClick(page.targets_view, Qt.Key.Key_Delete)
    assert "plan" not in page.mapping.assignments


def test_the_column_chooser_maps_without_a_mouse(page):
    page.select_column("Mobile")
    editor = page.options_editor
    position = editor.target_combo.findData("_phone_mobile")
    assert position > 0
    editor.target_combo.setCurrentIndex(position)
    editor.target_combo.activated.emit(position)
    assert page.mapping.assignments["_phone_mobile"] == "Mobile"
    editor.target_combo.activated.emit(0)  # "(not imported)"
    assert "_phone_mobile" not in page.mapping.assignments


def test_column_options_are_written_to_the_mapping(page):
    drop_column(page, "Plan", "plan")
    page.select_column("Plan")
    editor = page.options_editor
    assert editor.column == "Plan"
    # One cell of "Plan" is empty; the editor says how many cells the choice affects.
    assert editor.empty_count_label.text() == "1 cell in this column is empty. For it:"
    editor.clear_radio.setChecked(True)
    assert page.mapping.options["Plan"].empty_cells is EmptyCellPolicy.CLEAR
    drop_column(page, "Mobile", "_phone_mobile")
    page.select_column("Mobile")
    assert not editor._form.isRowVisible(editor.date_order_combo)  # no date order for a phone
    assert editor._form.isRowVisible(editor.country_combo)
    position = editor.country_combo.findData("PT")
    editor.country_combo.setCurrentIndex(position)
    editor.country_combo.activated.emit(position)
    assert page.mapping.options["Mobile"].phone_country == "PT"


def test_auto_map_is_one_run_at_a_time_and_stops_when_the_page_is_left(
        qtbot, page, monkeypatch):
    release = threading.Event()
    calls: list[int] = []

    def slow_suggest(table, targets):
        calls.append(1)
        release.wait(10)
        return []

    monkeypatch.setattr(mapping_page, "suggest", slow_suggest)
    qtbot.mouseClick(page.auto_map_button, Qt.MouseButton.LeftButton)
    assert page.is_busy()
    assert not page.auto_map_button.isEnabled()
    page.auto_map()  # (a second request while one runs is ignored)
    release.set()
    page.cleanupPage()  # Back: the suggestion is stopped and settled before leaving
    assert not page.is_busy()
    assert page.auto_map_button.isEnabled()
    assert calls == [1]


def test_auto_map_failures_are_told_on_the_page(qtbot, page, monkeypatch):
    def failing_suggest(table, targets):
        raise ValueError("Column 'E-mail' could not be read.")

    monkeypatch.setattr(mapping_page, "suggest", failing_suggest)
    page.auto_map()
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=5000)
    assert page.message_banner.text() == "Column 'E-mail' could not be read."
    assert page.auto_map_button.isEnabled()


def test_auto_map_applies_sure_matches_and_offers_the_rest(qtbot, page):
    qtbot.mouseClick(page.auto_map_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=5000)
    assert page.mapping.assignments.get("_email") == "E-mail"
    assert page.message_banner.isVisibleTo(page)
    assert "automatically" in page.message_banner.text() or \
        "suggested" in page.message_banner.text()
    targets = page.target_model
    assert targets is not None
    for key, suggestion in targets.suggestions.items():
        cell = targets.index(targets.row_of(key), TargetTableModel.COLUMN)
        assert cell.data(Qt.ItemDataRole.FontRole).italic()
        assert suggestion.reason in cell.data(Qt.ItemDataRole.ToolTipRole)
    offered = dict(targets.suggestions)
    page.accept_all_suggestions()
    for key, suggestion in offered.items():
        assert page.mapping.assignments[key] == suggestion.column


def test_a_saved_template_is_offered_when_the_same_headers_reappear(qtbot, page, monkeypatch,
                                                                      tmp_path):
    drop_column(page, "Customer id", "_user_id")
    drop_column(page, "E-mail", "_email")
    page.select_column("E-mail")
    page.options_editor.clear_radio.setChecked(True)
    saved = templates_dir() / "customers.json"
    monkeypatch.setattr(SaveFileDialog, "ask", classmethod(lambda cls, *args: saved))
    page.save_template_to_file()
    assert saved.exists()
    assert "customers" in page.message_banner.text()

    # Next month's export: same columns plus one, one gone.
    columns = dict(CONTACT_COLUMNS)
    del columns["Plan"]
    columns["Loyalty"] = ["gold", "", "", "silver"]
    again = MappingPage(session_for(contacts_table(columns)))
    qtbot.addWidget(again)
    again.initializePage()
    assert again.template_banner.isVisibleTo(again)
    text = again.template_banner.text()
    assert "customers" in text
    assert "New columns in this file: Loyalty." in text
    assert "Columns no longer in this file: Plan." in text
    assert again.mapping.assignments == {}  # only offered
    qtbot.mouseClick(again.use_template_button, Qt.MouseButton.LeftButton)
    assert again.mapping.assignments == {"_user_id": "Customer id", "_email": "E-mail"}
    assert again.mapping.options["E-mail"].empty_cells is EmptyCellPolicy.CLEAR
    assert again.isComplete()


def test_loading_a_bad_template_says_why(page, monkeypatch, tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    monkeypatch.setattr(OpenFileDialog, "ask", classmethod(lambda cls, *args: broken))
    page.load_template_from_file()
    assert page.message_banner.isVisibleTo(page)
    assert page.message_banner.text()
    assert page.mapping.assignments == {}


def test_a_template_for_other_targets_applies_what_fits(page, monkeypatch, tmp_path):
    template = Mapping(ImportKind.CONTACTS)
    template.assign("E-mail", "_email")
    template.assign("Gone column", "plan")
    path = tmp_path / "old.json"
    save_template(path, template, ["E-mail", "Gone column"])
    monkeypatch.setattr(OpenFileDialog, "ask", classmethod(lambda cls, *args: path))
    page.load_template_from_file()
    assert page.mapping.assignments == {"_email": "E-mail"}
    assert "Gone column" in page.message_banner.text()



def test_option_lists_are_built_off_the_gui_thread_once_a_file_is_chosen(qtbot, page):
    column_options._countries.cache_clear()
    column_options._timezones.cache_clear()
    assert not column_options.option_lists_built()
    page.session.changed.emit()  # (as the File page does when a file was chosen)
    assert page.option_lists.is_running()
    qtbot.waitUntil(lambda: not page.option_lists.is_running(), timeout=5000)
    assert column_options.option_lists_built()
    page.session.changed.emit()
    assert not page.option_lists.is_running()  # built once per process


# -- at the window's default size (960×640) ---------------------------------------------------

WIDE_COLUMNS = {f"Column {number:02d}": [f"value {number}", ""] for number in range(1, 21)}
WIDE_COLUMNS["Mobile"] = ["+34600000001", "+34600000002"]
WIDE_COLUMNS["Default Address Phone Number Of The Customer"] = ["+34600000003", ""]


@pytest.fixture
def window(qtbot):
    """The wizard at its default size, on the Map columns page of a file with many columns."""
    from ingest_gui.ui.wizard import MINIMUM_HEIGHT, MINIMUM_WIDTH, IngestWizard, PageId

    session = session_for(contacts_table(WIDE_COLUMNS))
    wizard = IngestWizard(session)
    qtbot.addWidget(wizard)
    wizard.setStartId(PageId.MAPPING)
    wizard.restart()
    wizard.resize(MINIMUM_WIDTH, MINIMUM_HEIGHT)
    wizard.show()
    qtbot.waitExposed(wizard)
    yield wizard
    wizard._shutdown()


def visible_rows(view) -> list[int]:
    """The rows wholly inside the view's viewport."""
    area = view.viewport().rect()
    model = view.model()
    return [row for row in range(model.rowCount())
            if area.contains(view.visualRect(model.index(row, 0)))]


def test_at_the_default_size_many_columns_show_and_options_wait_for_a_selection(qtbot, window):
    page = window.currentPage()
    assert isinstance(page, MappingPage)
    assert window.size().width() == 960
    # No column selected: no options panel, a one-line hint instead, and the list gets the room.
    assert not page.options_editor.isVisible()
    assert page.column_hint.isVisible()
    assert len(visible_rows(page.columns_view)) >= 12
    assert len(visible_rows(page.targets_view)) >= 12
    page.select_column("Column 18")
    qtbot.waitUntil(page.options_editor.isVisible, timeout=2000)
    assert not page.column_hint.isVisible()
    qtbot.waitUntil(lambda: page.column_model.row_of("Column 18")
                    in visible_rows(page.columns_view), timeout=2000)
    page.columns_view.clearSelection()
    qtbot.waitUntil(lambda: not page.options_editor.isVisible(), timeout=2000)


def test_long_names_are_elided_in_the_middle_and_whole_in_the_tooltip(window):
    page = window.currentPage()
    long_name = "Default Address Phone Number Of The Customer"
    page._on_suggestions([Suggestion(long_name, "landline", 0.5, "values look like phones")])
    targets = page.target_model
    cell = targets.index(targets.row_of("landline"), TargetTableModel.COLUMN)
    assert page.targets_view.textElideMode() == Qt.TextElideMode.ElideMiddle
    # No column of the file list grows past 40% of it, however long a name is.
    columns_view = page.columns_view
    assert columns_view.columnWidth(0) <= columns_view.viewport().width() * 2 // 5
    name_cell = page.column_model.index(page.column_model.row_of(long_name), 0)
    assert long_name in name_cell.data(Qt.ItemDataRole.ToolTipRole)
    assert long_name in cell.data(Qt.ItemDataRole.ToolTipRole)
    # Mapped, the whole column name is still in the tooltip.
    targets.accept_suggestion(cell.row())
    assert long_name in cell.data(Qt.ItemDataRole.ToolTipRole)


def test_the_more_suggested_notice_scrolls_to_the_first_suggestion(qtbot, window):
    page = window.currentPage()
    targets = page.target_model
    # Suggested for the two last fields: below what the table shows at this size.
    page._on_suggestions([Suggestion("Column 03", "interests", 0.5, "header looks alike"),
                          Suggestion("Mobile", "landline", 0.5, "values look like phones")])
    first = targets.row_of("landline")
    assert first not in visible_rows(page.targets_view)
    assert "more are suggested" in page.message_banner.text() or \
        "more is suggested" in page.message_banner.text()
    button = page.show_suggestions_button
    assert button.isVisible()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert first in visible_rows(page.targets_view)
    assert [index.row() for index in page.targets_view.selectionModel().selectedRows()] == [first]
    page.accept_all_suggestions()
    assert not button.isVisible()  # nothing left to show


def test_the_goes_to_chooser_adds_a_second_target_and_removes_it(qtbot, window):
    page = window.currentPage()
    editor = page.options_editor
    page.select_column("Mobile")

    def choose(combo, key):
        position = combo.findData(key)
        assert position > 0
        combo.setCurrentIndex(position)
        combo.activated.emit(position)

    choose(editor.target_combo, "_phone_mobile")
    assert page.mapping.targets_of("Mobile") == ["_phone_mobile"]
    assert editor.add_target_combo.isVisible()
    assert editor.add_target_combo.findData("_phone_mobile") < 0  # already fed
    choose(editor.add_target_combo, "landline")
    assert sorted(page.mapping.targets_of("Mobile")) == ["_phone_mobile", "landline"]
    assert editor.add_target_combo.currentIndex() == 0  # ready to add another
    columns = page.column_model
    assert columns.index(columns.row_of("Mobile"), columns.MAPPED_TO).data() in (
        "Mobile phone, Landline", "Landline, Mobile phone")
    # Changing the first target keeps the second.
    choose(editor.target_combo, "work_email")
    assert sorted(page.mapping.targets_of("Mobile")) == ["landline", "work_email"]
    # (the first is the first in the fields table; the others are listed with a Remove button)
    assert editor.target_combo.currentData() == "work_email"
    remove = editor.remove_target_buttons["landline"]
    assert remove.isVisible()
    qtbot.mouseClick(remove, Qt.MouseButton.LeftButton)
    assert page.mapping.targets_of("Mobile") == ["work_email"]
    editor.target_combo.activated.emit(0)  # "(not imported)": every target goes
    assert page.mapping.targets_of("Mobile") == []


def test_the_phone_country_choice_is_not_cut_at_the_default_size(qtbot, window):
    page = window.currentPage()
    drop_column(page, "Mobile", "_phone_mobile")
    page.select_column("Mobile")
    editor = page.options_editor
    combo = editor.country_combo
    qtbot.waitUntil(combo.isVisible, timeout=2000)
    text_width = combo.fontMetrics().horizontalAdvance(combo.currentText())
    assert text_width < combo.width() - 30  # (the arrow and the frame take the rest)
    assert editor.mapToGlobal(editor.rect().bottomRight()).x() <= \
        page.mapToGlobal(page.rect().bottomRight()).x()


def test_a_template_that_cannot_be_saved_or_read_is_told_as_a_sentence(page, monkeypatch,
                                                                      tmp_path):
    drop_column(page, "E-mail", "_email")
    missing_folder = tmp_path / "gone" / "deeper"
    target = missing_folder / "customers.json"
    monkeypatch.setattr(SaveFileDialog, "ask", classmethod(lambda cls, *args: target))

    def refuse(path, mapping, headers):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr("ingest_gui.ui.widgets.templates.save_template", refuse)
    page.save_template_to_file()
    text = page.message_banner.text()
    assert text.startswith('This app is not allowed to save "customers.json"')
    assert "Errno" not in text
    assert "Permission denied" not in text

    unreadable = tmp_path / "locked.json"
    unreadable.write_text("{}", encoding="utf-8")
    monkeypatch.setattr(OpenFileDialog, "ask", classmethod(lambda cls, *args: unreadable))

    def locked(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(type(unreadable), "read_text", locked)
    page.load_template_from_file()
    text = page.message_banner.text()
    assert text.startswith('This app is not allowed to open "locked.json"')
    assert "Errno" not in text


MAILCHIMP = (Path(__file__).parents[1] / "benchmarks" / "corpus" / "files"
             / "subscribed_email_audience_export_5b1c0e2f9a.csv")


@pytest.fixture
def mailchimp_page(qtbot):
    session = session_for(load_table(MAILCHIMP, LoadOptions()))
    page = MappingPage(session)
    qtbot.addWidget(page)
    page.resize(1000, 700)
    return page


def arrive(qtbot, page: MappingPage) -> None:
    page.initializePage()
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=10_000)


def test_a_recognised_export_arrives_with_its_sources_proposal(qtbot, mailchimp_page):
    page = mailchimp_page
    arrive(qtbot, page)
    assert page.source is not None
    assert page.source.source == "mailchimp_subscribed"
    assert page.mapping.assignments["_user_id"] == "Email Address"
    assert page.mapping.assignments["_email"] == "Email Address"
    assert page.message_banner.isVisibleTo(page)
    assert page.message_banner.text().startswith(
        "This file looks like a Mailchimp export of subscribed contacts. Mapped ")
    # The proposal is made once: a mapping the user cleared stays cleared on coming back.
    page.clear_mapping()
    arrive(qtbot, page)
    assert page.mapping.assignments == {}


def test_a_file_of_no_known_platform_waits_for_auto_map(qtbot, page):
    assert page.source is None
    assert not page.is_busy()
    assert page.mapping.assignments == {}
    assert not page.message_banner.isVisibleTo(page)


def test_a_saved_template_is_offered_instead_of_the_proposal(qtbot, mailchimp_page):
    page = mailchimp_page
    table = page.session.data.table
    template = Mapping(ImportKind.CONTACTS)
    template.assign("First Name", "_user_id")
    save_template(templates_dir() / "mine.json", template, table.headers)
    arrive(qtbot, page)
    assert page.template_banner.isVisibleTo(page)
    assert page.mapping.assignments == {}


def test_an_e_mail_user_id_is_said_to_be_lower_cased(qtbot, page):
    drop_column(page, "Customer id", "_user_id")
    drop_column(page, "E-mail", "_email")
    assert not page.user_id_note.isVisibleTo(page)  # the user id is no e-mail column
    drop_column(page, "E-mail", "_user_id")
    assert page.user_id_note.isVisibleTo(page)
    assert page.user_id_note.text().startswith(
        "“E-mail” is also the User ID: like the e-mail, it is sent trimmed and in lower case")
    page.select_column("E-mail")
    box = page.options_editor.keep_email_case_box
    assert box.isVisibleTo(page)
    assert not box.isChecked()
    box.click()
    assert page.mapping.options_for("E-mail").lowercase_email is False
    assert page.user_id_note.text() == "“E-mail” is sent as the User ID exactly as written."
    # A column that is not the user id has no such option.
    page.select_column("Mobile")
    assert not box.isVisibleTo(page)
    # Back on the e-mail, the option shows what the mapping holds.
    page.select_column("E-mail")
    assert box.isChecked()
