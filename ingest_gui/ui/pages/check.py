"""Wizard page: Check (being built; the class name and constructor are final)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget, QWizardPage

from ingest_gui.ui.session import WizardSession


class CheckPage(QWizardPage):
    def __init__(self, session: WizardSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setTitle(self.tr("Check"))
