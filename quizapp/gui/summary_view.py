"""The page shown when nothing is left to study: what was done, and when more comes due."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from quizapp.domain import Rating
from quizapp.gui.widgets import named
from quizapp.services import SessionSummary


class SummaryView(QWidget):
    """ "Finished for now": counts of the session and the next due time."""

    back_requested = Signal()
    undo_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("summaryView")
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
        self.undo_button = named(QPushButton("Undo last answer  (Ctrl+Z)"), "summaryUndo")
        self.undo_button.setAccessibleName("Undo the last answer")
        self.undo_button.clicked.connect(self.undo_requested)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.undo_button)
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 40, 40, 40)
        layout.addStretch(2)
        layout.addWidget(self.title)
        layout.addSpacing(12)
        layout.addWidget(self.details)
        layout.addSpacing(24)
        layout.addLayout(buttons)
        layout.addStretch(3)

    def show_summary(self, summary: SessionSummary, deck_name: str, can_undo: bool) -> None:
        """Fill the page from ``summary``."""
        self.title.setText(f"{deck_name}: finished for now" if deck_name else "Finished for now")
        self.details.setText(summary_text(summary))
        self.undo_button.setVisible(can_undo)
        self.back_button.setFocus()


def summary_text(summary: SessionSummary) -> str:
    """The sentences of the summary page."""
    lines = []
    if summary.answered:
        minutes = max(1, round(summary.studied_seconds / 60))
        per_grade = " · ".join(
            f"{rating.label} {summary.ratings.get(rating, 0)}" for rating in Rating
        )
        noun = "card" if summary.answered == 1 else "cards"
        lines.append(
            f"You answered {summary.answered} {noun} in about {minutes} min ({per_grade})."
        )
    else:
        lines.append("Nothing is due in this deck right now.")
    if summary.next_due is not None:
        lines.append(f"The next card is due {when(summary.next_due, summary.as_of)}.")
    elif not summary.new_left_beyond_limit:
        lines.append("No cards are scheduled yet.")
    if summary.new_left_beyond_limit:
        lines.append("Today's limit of new cards is reached; more new cards come tomorrow.")
    return "\n".join(lines)


def when(moment: datetime, now: datetime) -> str:
    """``in 9 minutes``, ``in 3 hours (at 14:05)``, ``tomorrow at 08:12``, ``on 3 December``."""
    delta = moment - now
    local = moment.astimezone()
    if delta <= timedelta(0):
        return "now"
    if delta < timedelta(hours=1):
        minutes = max(1, round(delta.total_seconds() / 60))
        return f"in {minutes} minute{'s' if minutes != 1 else ''}"
    local_now = now.astimezone()
    if local.date() == local_now.date():
        hours = round(delta.total_seconds() / 3600)
        return f"in {hours} hour{'s' if hours != 1 else ''} (at {local:%H:%M})"
    if local.date() == local_now.date() + timedelta(days=1):
        return f"tomorrow at {local:%H:%M}"
    if delta < timedelta(days=300):
        return f"on {local.day} {local:%B}"
    return f"on {local.day} {local:%B %Y}"
