"""Wizard page: Upload (being built; the class name and constructor are final)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget, QWizardPage

from ingest_gui.ui.session import WizardSession


class UploadPage(QWizardPage):
    def __init__(self, session: WizardSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setTitle(self.tr("Upload"))

    def is_busy(self) -> bool:
        """True while an upload runs (the window asks before closing)."""
        return False

    def request_cancel_for_close(self) -> bool:
        """Ask, cancel, wait for in-flight batches; True when the window may close."""
        return True
