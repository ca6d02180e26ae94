"""The page shown when nothing is left to study: what was done, and when more comes due."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from quizapp.gui.widgets import named
from quizapp.services import SessionSummary
from quizapp.services.summary import finished_title, summary_text


class SummaryView(QWidget):
    """ "Finished for now": counts of the session and the next due time."""

    back_requested = Signal()
    undo_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("summaryView")
        self.notice_label = named(QLabel(), "noticeBanner")
        self.notice_label.setWordWrap(True)
        self.notice_label.setTextFormat(Qt.TextFormat.PlainText)
        self.notice_label.setAccessibleName("Notice")
        self.notice_label.setMaximumWidth(720)
        self.notice_label.hide()
        self.title = named(QLabel(), "summaryTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.details = named(QLabel(), "summaryDetails")
        self.details.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        self.back_button = named(QPushButton("Back to decks  (Esc)"), "summaryBackButton")
        self.back_button.setProperty("primary", True)
        self.back_button.setAccessibleName("Back to the deck list")
        self.back_button.clicked.connect(self.back_requested)
        self.undo_button = named(QPushButton("Undo answer  (Ctrl+Z)"), "summaryUndo")
        self.undo_button.setAccessibleName("Undo the last answer")
        self.undo_button.clicked.connect(self.undo_requested)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.undo_button)
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 40, 40, 40)
        layout.addWidget(self.notice_label, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        layout.addWidget(self.title)
        layout.addSpacing(12)
        layout.addWidget(self.details)
        layout.addSpacing(24)
        layout.addLayout(buttons)
        layout.addStretch(3)

    def show_summary(
        self, summary: SessionSummary, deck_name: str, undo_label: str = "", notice: str = ""
    ) -> None:
        """Fill the page from ``summary``, under ``notice`` (what the last answer left to say);
        ``undo_label`` names what the undo button takes back (none when empty)."""
        self.notice_label.setText(notice)
        self.notice_label.setVisible(bool(notice))
        self.title.setText(finished_title(deck_name))
        self.details.setText(summary_text(summary))
        self.undo_button.setText(f"{undo_label}  (Ctrl+Z)")
        self.undo_button.setAccessibleName(undo_label)
        self.undo_button.setVisible(bool(undo_label))
        self.back_button.setFocus()
