"""Screen readers and the keyboard: every control on every page has a name, the tab order
follows the layout, and the app takes its colours from the palette (dark mode included)."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollBar,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from ingest_gui.ui import i18n
from ingest_gui.ui.models.problems import ProblemRowsModel
from ingest_gui.ui.widgets.common import (
    AlertLabel,
    Banner,
    BannerKind,
    alert_text_colour,
    banner_colours,
    cell_colours,
)
from ingest_gui.ui.wizard import IngestWizard, PageId
from tests.ui.support_pages import write_csv
from tests.ui.test_wizard_e2e import WAIT_MS, connect, go_next, map_columns, open_file
from tests.ui.test_wizard_e2e import wizard as wizard  # the fixture

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]

INTERACTIVE = (QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox, QAbstractItemView,
               QAbstractSlider, QPlainTextEdit, QTextEdit)


def described_by_label(widget: QWidget) -> bool:
    """A QLabel names it as its buddy (what QFormLayout rows and setBuddy give)."""
    window = widget.window()
    return any(label.buddy() is widget for label in window.findChildren(QLabel))


def is_part_of_another_control(widget: QWidget, root: QWidget) -> bool:
    """Scroll bars, table headers and corner buttons, a combo box's line edit and popup list:
    Qt names them through the control they belong to."""
    if isinstance(widget, QScrollBar | QHeaderView) or widget.objectName().startswith("qt_"):
        return True
    if widget.window() is not root.window():  # a combo box's popup
        return True
    return isinstance(widget.parentWidget(), QComboBox | QAbstractSpinBox)


def unnamed_controls(root: QWidget) -> list[str]:
    """Interactive widgets under ``root`` a screen reader could not name: no accessible name,
    no buddy label, and (for buttons) no text. Widgets inside a combo box or a spin box are
    its own parts, named through it."""
    unnamed = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, INTERACTIVE) or is_part_of_another_control(widget, root):
            continue
        if widget.accessibleName().strip() or described_by_label(widget):
            continue
        if isinstance(widget, QAbstractButton) and widget.text().replace("&", "").strip():
            continue
        unnamed.append(f"{type(widget).__name__} {widget.objectName()!r} "
                       f"in {type(widget.parentWidget()).__name__}")
    return unnamed


def tab_chain(page: QWidget) -> list[QWidget]:
    """The widgets Tab reaches on ``page``, in order: shown, enabled, taking focus by Tab."""
    reached: list[QWidget] = []
    widget = page.nextInFocusChain()
    while widget is not page and widget not in reached:
        if (page.isAncestorOf(widget) and widget.isVisibleTo(page) and widget.isEnabled()
                and widget.focusPolicy() & Qt.FocusPolicy.TabFocus):
            reached.append(widget)
        widget = widget.nextInFocusChain()
    return reached


def out_of_reading_order(page: QWidget) -> list[str]:
    """Tab steps that break reading order: a step goes down or along the same row; it may go up
    only into a column further right (the Map columns page's two panes), and back left only
    to a row below (never back into a column already left half-read)."""
    jumps = []
    chain = tab_chain(page)
    for before, after in itertools.pairwise(chain):
        first, second = area_on(page, before), area_on(page, after)
        goes_up_not_right = second.bottom() < first.top() and second.left() < first.right()
        back_left_not_below = second.right() < first.left() and second.top() < first.bottom()
        if goes_up_not_right or back_left_not_below:
            jumps.append(f"{describe(before)} -> {describe(after)}")
    return jumps


def area_on(page: QWidget, widget: QWidget) -> QRect:
    return QRect(widget.mapTo(page, QPoint(0, 0)), widget.size())


def describe(widget: QWidget) -> str:
    name = widget.accessibleName() or (
        widget.text() if isinstance(widget, QAbstractButton) else "")
    return f"{type(widget).__name__}({name!r})"


def test_the_reading_order_check_catches_a_tab_order_going_back_up(qtbot: Any) -> None:
    page = QWidget()
    qtbot.addWidget(page)
    layout = QVBoxLayout(page)
    first, second, third = (QPushButton(text, page) for text in ("First", "Second", "Third"))
    for button in (first, second, third):
        layout.addWidget(button)
    page.show()
    qtbot.waitExposed(page)
    assert area_on(page, third).top() > area_on(page, second).bottom()
    assert out_of_reading_order(page) == []
    QWidget.setTabOrder(first, third)  # First, Third, then back up to Second
    assert out_of_reading_order(page) == ["QPushButton('Third') -> QPushButton('Second')"]


def check_page(window: IngestWizard) -> tuple[str, list[str], list[str]]:
    page = window.currentPage()
    assert tab_chain(page), f"nothing on {type(page).__name__} can be reached with Tab"
    return type(page).__name__, unnamed_controls(page), out_of_reading_order(page)


def test_every_page_names_its_controls_and_tabs_in_reading_order(qtbot: Any, wizard: Any,
                                                                  sandbox: Any,
                                                                  tmp_path: Any) -> None:
    """Walk a whole import, checking each page as the user meets it (with its data shown)."""
    path = write_csv(tmp_path / "people.csv", {"Id": ["U1", "U2"],
                                               "Mail": ["a@x.com", "not-an-email"]})
    window = wizard()
    window.resize(960, 640)
    seen = [check_page(window)]
    connect(qtbot, window, sandbox)
    qtbot.waitUntil(window.currentPage().isComplete, timeout=WAIT_MS)
    seen.append(check_page(window))
    go_next(qtbot, window)
    open_file(qtbot, window, path)
    seen.append(check_page(window))
    go_next(qtbot, window)
    seen.append(check_page(window))
    go_next(qtbot, window)
    map_columns(window.currentPage(), {"Id": "_user_id", "Mail": "_email"})
    window.currentPage().columns_view.setCurrentIndex(
        window.currentPage().column_model.index(0, 0))  # shows the column's options
    seen.append(check_page(window))
    go_next(qtbot, window)
    check = window.currentPage()
    qtbot.waitUntil(lambda: check.result is not None and not check.is_busy(), timeout=WAIT_MS)
    seen.append(check_page(window))
    check.skip_checkbox.setChecked(True)
    go_next(qtbot, window)
    upload = window.currentPage()
    seen.append(check_page(window))
    qtbot.mouseClick(upload.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(upload.isComplete, timeout=WAIT_MS)
    go_next(qtbot, window)
    done = window.currentPage()
    qtbot.waitUntil(lambda: done.report is not None, timeout=WAIT_MS)
    seen.append(check_page(window))
    assert window.currentId() == PageId.DONE
    assert [(page, unnamed) for page, unnamed, _jumps in seen if unnamed] == []
    assert [(page, jumps) for page, _unnamed, jumps in seen if jumps] == []
    # The wizard's own buttons (Back, Next, About, Settings...) too.
    assert unnamed_controls(window) == []



# -- colours -----------------------------------------------------------------------------------

def palette_of(window: str, text: str, base: str) -> QPalette:
    palette = QPalette()
    for role, colour in ((QPalette.ColorRole.Window, window),
                         (QPalette.ColorRole.WindowText, text),
                         (QPalette.ColorRole.Base, base), (QPalette.ColorRole.Text, text)):
        palette.setColor(role, QColor(colour))
    return palette


LIGHT = palette_of("#efefef", "#1a1a1a", "#ffffff")
DARK = palette_of("#2b2b2b", "#e6e6e6", "#1e1e1e")


def contrast(first: QColor, second: QColor) -> float:
    """WCAG 2 contrast ratio (4.5 is the minimum for body text)."""
    def luminance(colour: QColor) -> float:
        channels = [colour.redF(), colour.greenF(), colour.blueF()]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@pytest.fixture
def app_palette(qapp: QApplication) -> Iterator[None]:
    previous = QApplication.palette()
    yield
    QApplication.setPalette(previous)


@pytest.mark.parametrize("palette", [LIGHT, DARK], ids=["light", "dark"])
@pytest.mark.parametrize("kind", list(BannerKind))
def test_banner_and_cell_colours_come_from_the_palette(palette: QPalette,
                                                       kind: BannerKind) -> None:
    background, _border, text = banner_colours(kind, palette)
    assert text == palette.color(QPalette.ColorRole.WindowText)
    assert contrast(text, background) >= 4.5
    # A tint of the window colour: a dark strip in a dark window, a light one in a light.
    window = palette.color(QPalette.ColorRole.Window)
    assert (background.lightnessF() < 0.5) == (window.lightnessF() < 0.5)
    assert background != window  # still tells the kinds apart
    cell, cell_text = cell_colours(kind, palette)
    assert cell_text == palette.color(QPalette.ColorRole.Text)
    assert contrast(cell_text, cell) >= 4.5
    assert contrast(alert_text_colour(palette), window) >= 4.5


def test_a_banner_follows_a_palette_change(qtbot: Any, app_palette: None) -> None:
    """Switching the OS to dark mode changes the application palette; shown banners follow."""
    QApplication.setPalette(LIGHT)
    banner = Banner(BannerKind.WARNING)
    qtbot.addWidget(banner)
    banner.set_text("3 events will trigger automations.")
    banner.resize(400, 60)
    banner.show()
    qtbot.waitExposed(banner)

    def painted_background() -> str:
        return banner.grab().toImage().pixelColor(banner.width() - 8,
                                                  banner.height() // 2).name()

    assert painted_background() == banner_colours(BannerKind.WARNING, LIGHT)[0].name()
    QApplication.setPalette(DARK)
    dark_background = banner_colours(BannerKind.WARNING, DARK)[0].name()
    qtbot.waitUntil(lambda: painted_background() == dark_background, timeout=WAIT_MS)
    assert banner.colours()[2] == DARK.color(QPalette.ColorRole.WindowText)


@pytest.fixture
def checked() -> Any:
    """Rows 3 and 5 have bad e-mails."""
    from ingest_gui.core.validation import validate
    from tests.ui.support_pages import contacts_mapping, contacts_table

    mapping = contacts_mapping(_user_id="Customer id", _email="E-mail")
    table = contacts_table()
    from tests.core.factories import make_specs

    return validate(table, mapping, make_specs())


def test_alert_text_and_problem_cells_follow_the_palette(qtbot: Any, app_palette: None,
                                                         checked: Any) -> None:
    QApplication.setPalette(DARK)
    label = AlertLabel()
    qtbot.addWidget(label)
    assert label.palette().color(QPalette.ColorRole.WindowText) == alert_text_colour(DARK)
    QApplication.setPalette(LIGHT)
    qtbot.waitUntil(lambda: label.palette().color(QPalette.ColorRole.WindowText)
                    == alert_text_colour(LIGHT), timeout=WAIT_MS)

    model = ProblemRowsModel()
    model.set_result(checked)
    email = model.index(0, ProblemRowsModel.FIRST_FILE_COLUMN
                        + checked.table.headers.index("E-mail"))
    QApplication.setPalette(DARK)
    assert email.data(Qt.ItemDataRole.BackgroundRole) == cell_colours(BannerKind.ERROR, DARK)[0]
    assert email.data(Qt.ItemDataRole.ForegroundRole) == DARK.color(QPalette.ColorRole.Text)


def test_no_style_sheet_hard_codes_a_colour() -> None:
    """Colours come from the palette (the helpers above); a literal in a style sheet would not
    follow dark mode."""
    literal_colour = re.compile(r"setStyleSheet\(\s*[\"'][^\"']*(#[0-9a-fA-F]{3,8}|rgb)")
    offenders = [f"{path.name}: {match.group(0)}" for path in i18n.ui_sources()
                 for match in literal_colour.finditer(path.read_text(encoding="utf-8"))]
    assert offenders == []
