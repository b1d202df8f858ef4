"""The Qt layer's tests run with the English catalogue installed, as the app does at start, so
count sentences read "1 row" / "2 rows" (English plural forms live in ingest_gui_en.qm).

Each test's windows are destroyed at its own teardown, not during the next test."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication, QWizard, QWizardPage

from ingest_gui.ui import i18n


@pytest.fixture(autouse=True)
def english_catalogue(qapp: QApplication) -> None:
    assert i18n.install_translators(i18n.SOURCE_LANGUAGE), "ingest_gui_en.qm did not load"


def _run_an_event_loop() -> None:
    # An instance timer: PySide6 6.12's static QTimer.singleShot and sendPostedEvents each
    # take a reference away from None, and Python 3.11 aborts once None runs out of them.
    loop = QEventLoop()
    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(loop.quit)
    timer.start(0)
    loop.exec()


@pytest.fixture
def destroy_deleted_objects(qapp: QApplication) -> Callable[[], None]:
    """Destroy the objects ``deleteLater`` was called on: that happens only when an event loop
    runs, and one run right after a ``processEvents`` (pytest-qt makes one) leaves them for the
    next, hence two."""

    def destroy() -> None:
        for _ in range(2):
            _run_an_event_loop()

    return destroy


@pytest.fixture(autouse=True)
def windows_destroyed_at_teardown(destroy_deleted_objects: Callable[[], None]) -> Iterator[None]:
    """pytest-qt closes a test's widgets with ``deleteLater``; left alone, they are destroyed in
    the next test's first event loop, typically while its worker loads a file — one test's
    teardown running inside another's work (and PySide6 destroying a widget tree next to a
    worker's Python, see ingest_gui.ui.workers.GuiThreadCollections). Set up before the test's
    own fixtures, this is torn down after them: the pages have stopped their tasks by then."""
    yield
    destroy_deleted_objects()


@pytest.fixture
def upload_host(qtbot: Any) -> Iterator[Callable[[Any], tuple[QWizard, Any]]]:
    """The Upload page inside a shown QWizard (its commit and Back buttons matter), reached
    with Next as a user reaches it, then a last page; shut down with its session."""
    from ingest_gui.ui.pages.upload import UploadPage

    made: list[tuple[Any, Any]] = []

    def make(session: Any) -> tuple[QWizard, Any]:
        wizard = QWizard()
        page = UploadPage(session)
        wizard.addPage(QWizardPage())
        wizard.addPage(page)
        wizard.addPage(QWizardPage())
        qtbot.addWidget(wizard)
        wizard.show()
        wizard.next()
        assert wizard.currentPage() is page
        made.append((page, session))
        return wizard, page

    yield make
    for page, session in made:
        page.shutdown()
        session.close()
