"""File ▸ Export: write a deck (or everything) as a bank file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from quizapp.bootstrap import App
from quizapp.domain import BankFormat
from quizapp.errors import QuizAppError
from quizapp.gui.widgets import named

ALL_DECKS = "All decks"
FORMATS = {
    "QuizApp bank (YAML), every kind of note": BankFormat.YAML,
    "Anki text file (TSV), basic, reversed, typed and cloze notes": BankFormat.CSV,
}


class ExportDialog(QDialog):
    """Choose what and how to export, then where."""

    def __init__(self, app: App, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle("Export a bank")
        self._app = app
        self.deck_choice = named(QComboBox(), "exportDeck")
        self.deck_choice.addItem(ALL_DECKS)
        self.deck_choice.addItems([counts.deck.name for counts in app.decks.overview()])
        self.format_choice = named(QComboBox(), "exportFormat")
        self.format_choice.addItems(list(FORMATS))
        self.status = named(QLabel(), "exportStatus")
        self.status.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Deck:", self.deck_choice)
        form.addRow("Format:", self.format_choice)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._on_save_clicked)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(buttons)

    def export_to(self, path: Path) -> bool:
        """Write the chosen deck in the chosen format to ``path``; False if it failed."""
        deck = self.deck_choice.currentText()
        bank_format = FORMATS[self.format_choice.currentText()]
        try:
            report = self._app.banks.export(path, bank_format, None if deck == ALL_DECKS else deck)
        except QuizAppError as error:
            self.status.setText(error.user_message)
            return False
        left_out = (
            f" {report.skipped} notes this format cannot hold were left out."
            if report.skipped
            else ""
        )
        self.status.setText(f"Wrote {report.notes} notes to {report.path}.{left_out}")
        return True

    def _on_save_clicked(self) -> None:
        bank_format = FORMATS[self.format_choice.currentText()]
        suffix = ".yaml" if bank_format is BankFormat.YAML else ".txt"
        name, _ = QFileDialog.getSaveFileName(self, "Export to", f"quizapp-export{suffix}")
        if name and self.export_to(Path(name)):
            self.accept()
