"""File ▸ Export: write a deck (or everything) as a bank file, off the UI thread."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from quizapp.bootstrap import App
from quizapp.domain import BankFormat
from quizapp.domain.wording import count
from quizapp.gui.errors import report_failure
from quizapp.gui.tasks import BackgroundTask, Progress
from quizapp.gui.widgets import named, restyle
from quizapp.services.banks import ExportReport

ALL_DECKS = "All decks"
FORMATS = {
    "QuizApp bank (YAML), every kind of note": BankFormat.YAML,
    "Anki text file (TSV), basic, reversed, typed and cloze notes": BankFormat.CSV,
}
SUFFIXES = {BankFormat.YAML: ".yaml", BankFormat.CSV: ".txt"}
LEFT_OUT_COLUMNS = ("Note", "Kind", "An Anki text file has")


class ExportDialog(QDialog):
    """Choose what and how to export, then where; the result stays until the user closes it."""

    exported = Signal(object)  # ExportReport

    def __init__(self, app: App, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle("Export a bank")
        self.setMinimumWidth(560)
        self._app = app
        self._task: BackgroundTask | None = None
        self.deck_choice = named(QComboBox(), "exportDeck")
        self.deck_choice.setAccessibleName("Deck to export")
        self.deck_choice.addItem(ALL_DECKS)
        self.deck_choice.addItems([counts.deck.name for counts in app.decks.overview()])
        self.format_choice = named(QComboBox(), "exportFormat")
        self.format_choice.setAccessibleName("File format")
        self.format_choice.addItems(list(FORMATS))
        self.progress = named(QProgressBar(), "exportProgress")
        self.progress.setRange(0, 100)
        self.progress.hide()
        self.status = named(QLabel(), "exportStatus")
        self.status.setWordWrap(True)
        self.status.hide()  # until there is something to say
        self.left_out = named(QTreeWidget(), "exportLeftOut")
        self.left_out.setAccessibleName("Notes left out of the file, and why")
        self.left_out.setColumnCount(len(LEFT_OUT_COLUMNS))
        self.left_out.setHeaderLabels(list(LEFT_OUT_COLUMNS))
        self.left_out.setRootIsDecorated(False)
        self.left_out.setUniformRowHeights(True)
        header = self.left_out.header()
        header.setStretchLastSection(True)
        for column in (0, 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.left_out.hide()
        form = QFormLayout()
        form.addRow("Deck:", self.deck_choice)
        form.addRow("Format:", self.format_choice)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.close_button.setObjectName("exportCloseButton")
        self.save_button = named(QPushButton("&Export…"), "exportButton")
        self.save_button.setProperty("primary", True)
        self.save_button.setDefault(True)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button.clicked.connect(self._on_save_clicked)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.left_out, 1)
        layout.addWidget(buttons)

    def export_to(self, path: Path) -> BackgroundTask:
        """Write the chosen deck in the chosen format to ``path``, off the UI thread."""
        deck = self.deck_choice.currentText()
        bank_format = FORMATS[self.format_choice.currentText()]
        deck_name = None if deck == ALL_DECKS else deck
        service = self._app.banks

        def work(progress: Progress) -> ExportReport:
            return service.export(path, bank_format, deck_name, progress)

        for widget in (self.save_button, self.deck_choice, self.format_choice):
            widget.setEnabled(False)
        self.progress.setValue(0)
        self.progress.show()
        self.status.setText(f"Writing {path.name}…")
        self.status.show()
        self._task = BackgroundTask(work, self)
        self._task.progressed.connect(self._on_task_progressed)
        self._task.succeeded.connect(self._on_export_succeeded)
        self._task.failed.connect(self._on_task_failed)
        self._task.start()
        return self._task

    def _on_save_clicked(self) -> None:
        suffix = SUFFIXES[FORMATS[self.format_choice.currentText()]]
        name, _ = QFileDialog.getSaveFileName(self, "Export to", f"quizapp-export{suffix}")
        if name:
            self.export_to(Path(name))

    def _on_task_progressed(self, stage: str, fraction: float) -> None:
        self.progress.setValue(round(fraction * 100))

    def _on_export_succeeded(self, report: ExportReport) -> None:
        self.progress.hide()
        self.status.setText(export_result_text(report))
        if report.left_out:
            for note in report.left_out:
                row = QTreeWidgetItem([note.guid, note.kind.value.replace("_", " "), note.reason])
                row.setToolTip(2, str(note))
                self.left_out.addTopLevelItem(row)
            self.left_out.show()
            self.resize(max(self.width(), 900), max(self.height(), 520))
        self._finish()
        self.exported.emit(report)

    def _on_task_failed(self, error: BaseException) -> None:
        self.progress.hide()
        report_failure(error, self.status.setText)
        for widget in (self.save_button, self.deck_choice, self.format_choice):
            widget.setEnabled(True)

    def _finish(self) -> None:
        self.save_button.hide()
        self.close_button.setText("Close")
        self.close_button.setDefault(True)
        self.close_button.setFocus()
        restyle(self.status, "outcome", "done")  # the result reads as the dialog's last word


def export_result_text(report: ExportReport) -> str:
    """What the export wrote, and how many notes it left out (listed below it)."""
    text = f"Wrote {count(report.notes, 'note')} to {report.path}."
    if report.left_out:
        text += (
            f" Left out {count(len(report.left_out), 'note')} this format cannot hold"
            " (listed below); export as a QuizApp bank (YAML) to keep every note."
        )
    return text
