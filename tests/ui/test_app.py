"""Starting the app: identity, language, log, and the dialog for unexpected errors."""

from __future__ import annotations

import sys
import threading

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from ingest_gui import __version__
from ingest_gui.ui import app as app_module
from ingest_gui.ui import i18n, logging_setup, settings

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


@pytest.fixture
def restore_hooks(monkeypatch):
    """install_excepthook replaces global hooks: put the originals back afterwards."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    yield
    logging_setup.shutdown_logging()
    i18n.install_translators(i18n.SOURCE_LANGUAGE)


@pytest.fixture
def shown_errors(monkeypatch):
    shown: list[tuple[str, object]] = []
    monkeypatch.setattr(app_module.UnexpectedErrorDialog, "show_error", classmethod(
        lambda cls, parent, summary, log_path: shown.append((summary, log_path))))
    return shown


def test_an_uncaught_exception_shows_the_log_path(qtbot, restore_hooks, shown_errors, tmp_path):
    log_path = logging_setup.setup_logging(to_stderr=False)
    logging_setup.register_secret("secret-token-42")
    app_module.install_excepthook(log_path)
    try:
        raise RuntimeError("boom with secret-token-42")
    except RuntimeError as error:
        sys.excepthook(type(error), error, error.__traceback__)
    qtbot.waitUntil(lambda: bool(shown_errors), timeout=5_000)
    summary, shown_path = shown_errors[0]
    assert shown_path == log_path
    assert "RuntimeError" in summary
    assert "secret-token-42" not in summary
    text = log_path.read_text(encoding="utf-8")
    assert "Uncaught exception" in text
    assert "secret-token-42" not in text


def test_an_exception_in_a_thread_reaches_the_dialog(qtbot, restore_hooks, shown_errors):
    log_path = logging_setup.setup_logging(to_stderr=False)
    app_module.install_excepthook(log_path)

    def fail() -> None:
        raise ValueError("worker broke")

    thread = threading.Thread(target=fail)
    thread.start()
    thread.join(timeout=5)
    qtbot.waitUntil(lambda: bool(shown_errors), timeout=5_000)
    assert "worker broke" in shown_errors[0][0]


def test_configure_application_sets_identity(qapp):
    app_module.configure_application(qapp)
    assert qapp.applicationName() == "Instasent Ingest Wizard"
    assert qapp.organizationName() == "Instasent"
    assert qapp.applicationVersion() == __version__
    assert not qapp.windowIcon().isNull()


def run_and_close(language: str) -> tuple[int, dict[str, object]]:
    settings.set_language_choice(language)
    seen: dict[str, object] = {}

    def close_wizard() -> None:
        from ingest_gui.ui.wizard import IngestWizard

        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, IngestWizard)]
        window = windows[-1]
        seen["title"] = window.windowTitle()
        seen["page"] = type(window.currentPage()).__name__
        seen["next"] = window.buttonText(window.WizardButton.NextButton)
        window.close()
        window.deleteLater()

    QTimer.singleShot(0, close_wizard)
    code = app_module.run_wizard([])
    return code, seen


def test_run_wizard_opens_on_connect_and_returns_the_exit_code(qapp, restore_hooks):
    code, seen = run_and_close("en")
    assert code == 0
    assert seen["page"] == "ConnectPage"
    assert seen["title"] == "Instasent Ingest Wizard"
    assert logging_setup.log_file_path().exists()


def test_run_wizard_in_spanish(qapp, restore_hooks):
    code, seen = run_and_close("es")
    assert code == 0
    assert seen["title"] == "Asistente de importación de Instasent"
    assert "Siguiente" in str(seen["next"]).replace("&", "")  # Qt's own strings too


def test_system_language_is_resolved_from_the_locale():
    from PySide6.QtCore import QLocale

    assert i18n.resolve_language("system", QLocale("es_ES")) == "es"
    assert i18n.resolve_language("system", QLocale("es_MX")) == "es"
    assert i18n.resolve_language("system", QLocale("de_DE")) == "en"
    assert i18n.resolve_language("en", QLocale("es_ES")) == "en"
