"""Questions the pages ask the user, each behind a classmethod that tests monkeypatch."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget


class CancelUploadDialog:
    """"Stop the upload?" — rows already sent stay; the rest can be resumed later."""

    @classmethod
    def ask(cls, parent: QWidget | None) -> bool:
        answer = QMessageBox.question(
            parent,
            QCoreApplication.translate("CancelUploadDialog", "Stop the upload?"),
            QCoreApplication.translate(
                "CancelUploadDialog",
                "Rows already sent stay in Instasent. The batches being sent now will finish, "
                "then the upload stops. You can resume it later from where it stopped."),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes


class SaveFileDialog:
    """Where to save a file; ``None`` when the user cancels."""

    @classmethod
    def ask(cls, parent: QWidget | None, caption: str, suggested: Path,
            filters: str) -> Path | None:
        path, _selected = QFileDialog.getSaveFileName(parent, caption, str(suggested), filters)
        return Path(path) if path else None


class OpenFileDialog:
    """Which file to open; ``None`` when the user cancels."""

    @classmethod
    def ask(cls, parent: QWidget | None, caption: str, directory: Path,
            filters: str) -> Path | None:
        path, _selected = QFileDialog.getOpenFileName(parent, caption, str(directory), filters)
        return Path(path) if path else None
