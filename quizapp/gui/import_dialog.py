"""File ▸ Import: preview what a bank brings, choose its deck, import it off the UI thread."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from quizapp.bootstrap import App
from quizapp.domain import ImportBatch, ImportIssue
from quizapp.domain.numbers import format_number
from quizapp.domain.wording import count
from quizapp.errors import QuizAppError
from quizapp.gui.errors import report_failure
from quizapp.gui.tasks import BackgroundTask, Progress
from quizapp.gui.widgets import named, restyle
from quizapp.services.banks import (
    BankChoice,
    BankQuestion,
    ImportOptions,
    read_and_check,
    summarize,
    with_deck,
)
from quizapp.services.card_html import CardRenderer
from quizapp.services.import_text import (
    KEEP_BOTH,
    UPDATE_THAT_BANK,
    WHAT_EACH_DOES,
    bank_question_text,
)
from quizapp.services.importing import ImportReport

FILE_FILTER = (
    "Question banks (*.yaml *.yml *.csv *.tsv *.txt *.xlsx *.gift *.xml *.apkg *.colpkg);;"
    "All files (*)"
)
FROM_FILE = "Decks named in the file"
PREVIEW_CARDS = 5


@dataclass(frozen=True, slots=True)
class _Parsed:
    batches: tuple[ImportBatch, ...]
    errors: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _ImportRun:
    """What one run of the import did, and the question that stopped it, if any."""

    reports: tuple[ImportReport, ...]
    question: BankQuestion | None = None
    waiting: tuple[ImportBatch, ...] = ()  # the batch asked about first


class ImportDialog(QDialog):
    """Shows what the files bring (counts, first cards, every warning and error), then imports."""

    imported = Signal(object)  # list[ImportReport]

    def __init__(self, app: App, paths: Sequence[Path], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importDialog")
        self.setWindowTitle("Import question banks")
        self.resize(760, 640)
        self._app = app
        self._paths = list(paths)
        self._parsed: _Parsed | None = None
        self._reports: list[ImportReport] = []
        self._left_out: list[str] = []  # files the learner chose not to import
        self._waiting: tuple[ImportBatch, ...] = ()
        self._renderer = CardRenderer()
        self._build()
        self._read_files()

    def _build(self) -> None:
        self.files_label = named(QLabel(), "importFiles")
        self.files_label.setWordWrap(True)
        self.counts = named(QTableWidget(0, 4), "importCounts")
        self.counts.setHorizontalHeaderLabels(["Deck", "Kind", "Notes", "Cards"])
        header = self.counts.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.counts.setAccessibleName("Notes and cards per deck and kind")
        self.counts.verticalHeader().hide()
        self.first_cards = named(QTextBrowser(), "importFirstCards")
        self.first_cards.setAccessibleName("The first cards")
        self.first_cards.setOpenLinks(False)
        self.problems = named(QPlainTextEdit(), "importProblems")
        self.problems.setReadOnly(True)
        self.problems.setAccessibleName("Warnings and errors")
        self.problems.setMaximumHeight(130)
        self.deck_choice = named(QComboBox(), "importDeck")
        self.deck_choice.setEditable(True)
        self.deck_choice.addItem(FROM_FILE)
        self.deck_choice.addItems([deck.deck.name for deck in self._app.decks.overview()])
        self.deck_choice.setAccessibleName("Deck to import into")
        self.progress = named(QProgressBar(), "importProgress")
        self.progress.setRange(0, 0)
        self.status = named(QLabel("Reading…"), "importStatus")
        self.status.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.close_button.setObjectName("importCloseButton")
        self.import_button = named(QPushButton("&Import"), "importButton")
        self.import_button.setEnabled(False)
        self.import_button.setProperty("primary", True)
        buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.import_button.clicked.connect(self._on_import_clicked)
        buttons.rejected.connect(self.reject)
        self._build_question()
        form = QFormLayout()
        form.addRow("Put notes in:", self.deck_choice)
        layout = QVBoxLayout(self)
        for widget in (self.files_label, self.counts, self.first_cards, self.problems):
            layout.addWidget(widget)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.question_box)
        layout.addWidget(buttons)
        self.files_label.setText("Files: " + ", ".join(path.name for path in self._paths))

    def _build_question(self) -> None:
        """The question asked when a file could be a bank imported before."""
        self.question_box = named(QFrame(), "importQuestion")
        self.question_text = named(QLabel(), "importQuestionText")
        self.question_text.setWordWrap(True)
        self.question_text.setTextFormat(Qt.TextFormat.PlainText)
        self.question_text.setAccessibleName("Which bank is this file?")
        # Which stored bank "Update" means, when the question names more than one.
        self.bank_choice = named(QComboBox(), "importWhichBank")
        self.bank_choice.setAccessibleName("The bank this file is a new version of")
        self.bank_choice.hide()
        self.same_bank_button = named(QPushButton(UPDATE_THAT_BANK), "importSameBank")
        self.same_bank_button.clicked.connect(self._on_same_bank_clicked)
        self.keep_both_button = named(QPushButton(KEEP_BOTH), "importNewBank")
        self.keep_both_button.clicked.connect(self._on_new_bank_clicked)
        self.skip_button = named(QPushButton("Cancel"), "importSkipBank")
        self.skip_button.setAccessibleName("Do not import this file")
        self.skip_button.clicked.connect(self._on_skip_bank_clicked)
        for button in (self.same_bank_button, self.keep_both_button, self.skip_button):
            button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.same_bank_button, self.keep_both_button, self.skip_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self.question_box)
        layout.setContentsMargins(14, 12, 14, 12)
        layout.addWidget(self.question_text)
        layout.addWidget(self.bank_choice)
        layout.addLayout(buttons)
        self.question_box.hide()

    # -- reading ------------------------------------------------------------------

    def _read_files(self) -> None:
        paths = list(self._paths)

        def read(progress: Progress) -> _Parsed:
            batches, errors = [], []
            for number, path in enumerate(paths):
                progress(path.name, number / len(paths))
                try:
                    batches.append(read_and_check(path))
                except QuizAppError as error:  # every file's problems are shown
                    errors.append(error.user_message)
            return _Parsed(tuple(batches), tuple(errors))

        self._task = BackgroundTask(read, self)
        self._task.succeeded.connect(self._on_read_succeeded)
        self._task.failed.connect(self._on_task_failed)
        self._task.start()

    def _on_read_succeeded(self, parsed: _Parsed) -> None:
        self._parsed = parsed
        self.progress.hide()
        rows = [row for batch in parsed.batches for row in summarize(batch).rows]
        self.counts.setRowCount(len(rows))
        for index, row in enumerate(rows):
            for column, value in enumerate(row):
                shown = format_number(value) if isinstance(value, int) else str(value)
                item = QTableWidgetItem(shown)
                if column >= 2:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.counts.setItem(index, column, item)
        self.first_cards.setHtml(self._first_cards_html(parsed.batches))
        warnings: list[ImportIssue] = [w for batch in parsed.batches for w in batch.warnings]
        lines = [f"error: {line}" for error in parsed.errors for line in error.splitlines()]
        lines += [f"warning: {warning}" for warning in warnings]
        self.problems.setPlainText("\n".join(lines) or "No warnings.")
        notes = sum(len(batch.notes) for batch in parsed.batches)
        if parsed.errors:
            self.status.setText(
                "Fix the errors above and try again; nothing is imported from a file with errors."
                if not parsed.batches
                else f"{count(notes, 'note')} can be imported; the files with errors are left out."
            )
        else:
            self.status.setText(
                f"Ready to import {count(notes, 'note')} ({count(len(warnings), 'warning')})."
            )
        self.import_button.setEnabled(bool(parsed.batches))
        if parsed.batches:
            self.import_button.setDefault(True)

    def _first_cards_html(self, batches: Sequence[ImportBatch]) -> str:
        parts = []
        for batch in batches:
            for item in batch.notes[:PREVIEW_CARDS]:
                note, face = item.note, item.note.faces[0] if item.note.faces else 0
                question = self._renderer.question(note, face) or note.guid
                answer = self._renderer.answer(note, face)
                parts.append(f"<p><b>{question}</b><br>{answer}</p><hr>")
        return "".join(parts) or "<i>No cards.</i>"

    # -- importing ----------------------------------------------------------------

    def _on_import_clicked(self) -> None:
        assert self._parsed is not None
        deck = self.deck_choice.currentText().strip()
        batches = [
            batch if deck in ("", FROM_FILE) else with_deck(batch, deck)
            for batch in self._parsed.batches
        ]
        self.import_button.setEnabled(False)
        self.deck_choice.setEnabled(False)
        self._import(batches, BankChoice.AUTO)

    def _import(
        self, batches: Sequence[ImportBatch], first: BankChoice, same_as: str | None = None
    ) -> None:
        """Import ``batches`` off the UI thread, the first as ``first`` says, until one
        could be a bank imported before: the learner is asked, and the rest wait."""
        service = self._app.banks
        pending = list(batches)
        total = len(self._reports) + len(self._left_out) + len(pending)

        def work(progress: Progress) -> _ImportRun:
            reports: list[ImportReport] = []
            for number, batch in enumerate(pending):
                done = total - len(pending) + number

                def overall(stage: str, fraction: float, done: int = done) -> None:
                    progress(stage, (done + fraction) / total)

                options = (
                    ImportOptions(bank=first, same_as=same_as) if number == 0 else ImportOptions()
                )
                try:
                    report = service.import_batch(batch, progress=overall, options=options)
                except BankQuestion as question:
                    return _ImportRun(tuple(reports), question, tuple(pending[number:]))
                reports.append(report)
            return _ImportRun(tuple(reports))

        self.question_box.hide()
        self.progress.setRange(0, 100)
        self.progress.setValue(round(100 * (total - len(pending)) / max(1, total)))
        self.progress.show()
        self.status.setText("Importing…")
        self._task = BackgroundTask(work, self)
        self._task.progressed.connect(self._on_task_progressed)
        self._task.succeeded.connect(self._on_import_ran)
        self._task.failed.connect(self._on_task_failed)
        self._task.start()

    def _on_import_ran(self, run: _ImportRun) -> None:
        self._reports += run.reports
        if run.question is None:
            self._on_import_succeeded(self._reports)
            return
        self._waiting = run.waiting
        self._show_candidates(run.question)
        self.progress.hide()
        self.question_text.setText(f"{bank_question_text(run.question)}\n\n{WHAT_EACH_DOES}")
        self.status.setText(f"Which is {Path(run.question.path).name}?")
        self.question_box.show()
        # The question's own Cancel answers it; the dialog's button only closes it.
        self.import_button.hide()
        self.close_button.setText("Close")
        self.keep_both_button.setFocus()

    def _show_candidates(self, question: BankQuestion) -> None:
        """Offer a choice of bank when the question could mean several."""
        self.bank_choice.clear()
        for bank in {bank.id: bank for bank in question.candidates}.values():
            where = bank.path or "a place not recorded"
            self.bank_choice.addItem(f"{bank.name} from {where}", bank.uid)
        self.bank_choice.setVisible(self.bank_choice.count() > 1)

    def _on_same_bank_clicked(self) -> None:
        chosen = self.bank_choice.currentData()
        self._import(self._waiting, BankChoice.SAME, chosen if isinstance(chosen, str) else None)

    def _on_new_bank_clicked(self) -> None:
        self._import(self._waiting, BankChoice.NEW)

    def _on_skip_bank_clicked(self) -> None:
        skipped, *rest = self._waiting
        self._left_out.append(Path(skipped.source).name)
        if rest:
            self._import(rest, BankChoice.AUTO)
        else:
            self.question_box.hide()
            self._on_import_succeeded(self._reports)

    def _on_task_progressed(self, stage: str, fraction: float) -> None:
        self.progress.setValue(round(fraction * 100))

    def _on_import_succeeded(self, reports: list[ImportReport]) -> None:
        """Show what the import did until the user closes the dialog."""
        self.progress.setValue(100)
        self.progress.hide()
        lines = [import_result_text(reports)] if reports else ["Nothing was imported."]
        lines += [f"{name} was not imported." for name in self._left_out]
        self.status.setText("\n".join(lines))
        warnings = [f"warning: {warning}" for report in reports for warning in report.warnings]
        self.problems.setPlainText("\n".join(warnings) or "No warnings: every note was imported.")
        self._finish()
        if reports:
            self.imported.emit(reports)

    def _on_task_failed(self, error: BaseException) -> None:
        self.progress.hide()
        report_failure(error, self._show_failure)
        self._finish()

    def _show_failure(self, message: str) -> None:
        self.status.setText(message)
        self.problems.setPlainText(message)

    def _finish(self) -> None:
        """Nothing more to do here but read the result and close."""
        self.import_button.setEnabled(False)
        self.import_button.hide()
        self.deck_choice.setEnabled(False)
        self.close_button.setText("Close")
        self.close_button.setDefault(True)
        self.close_button.setFocus()
        restyle(self.status, "outcome", "done")  # the result reads as the dialog's last word


def import_result_text(reports: Sequence[ImportReport]) -> str:
    """The sentences the dialog ends with: what was added, updated, kept and skipped."""
    added = sum(report.added for report in reports)
    updated = sum(report.updated for report in reports)
    unchanged = sum(report.unchanged for report in reports)
    skipped = sum(len(report.warnings) for report in reports)
    cards = sum(report.cards_added for report in reports)
    lines = [
        f"Imported: {format_number(added)} added, {format_number(updated)} updated, "
        f"{format_number(unchanged)} unchanged, "
        f"{format_number(skipped)} skipped or changed (see the warnings above); "
        f"{count(cards, 'new card')}."
    ]
    history = sum(report.reviews_added for report in reports)
    media = sum(report.media_added for report in reports)
    if history or media:
        lines.append(
            f"Also brought {count(history, 'past answer')} and {count(media, 'media file')}."
        )
    for report in reports:
        if report.missing:
            action = "deleted with their history" if report.missing_deleted else "suspended"
            lines.append(
                f"{report.source}: {count(len(report.missing), 'note')} no longer in the bank "
                f"{'was' if len(report.missing) == 1 else 'were'} {action}."
            )
    return "\n".join(lines)
