"""Card Info: where a card stands, where it came from, and every answer it was given.

As Anki's: the facts first, then the history, newest first, one line a review with
its date, grade, time taken, the interval it gave, the stability and difficulty
after it and the retrievability the card had then; an exercise's line also says
the values that showing drew and what the learner answered.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from html import escape
from typing import Any, cast

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QDialog, QTextBrowser, QVBoxLayout, QWidget

from quizapp.bootstrap import App
from quizapp.domain import CardState
from quizapp.domain.numbers import format_number
from quizapp.errors import QuizAppError
from quizapp.gui.browser_columns import KIND_NAMES, days, percent
from quizapp.gui.errors import show_error
from quizapp.gui.flags import FLAG_NAMES
from quizapp.gui.theme import Colors, current_colors
from quizapp.gui.widgets import named
from quizapp.services.card_info import CardInfo, HistoryLine

STATE_NAMES = {
    CardState.NEW: "New",
    CardState.LEARNING: "Learning",
    CardState.REVIEW: "Review",
    CardState.RELEARNING: "Relearning",
}
MANUAL_NAMES = {
    "forget": "Forgotten",
    "forget, reset counts": "Forgotten, counts reset",
    "set due date": "Due date set",
}


def when(moment: datetime | None) -> str:
    """``2026-11-25 09:30`` in the local time zone, or a dash."""
    return "—" if moment is None else moment.astimezone().strftime("%Y-%m-%d %H:%M")


def difficulty(value: float | None) -> str:
    """FSRS's 1-10 difficulty as Anki shows it, 0-100 %."""
    return "" if value is None else percent((value - 1) / 9)


def seconds(duration_ms: int) -> str:
    """``4.2 s``, ``1 min 5 s``."""
    total = duration_ms / 1000
    if total < 60:
        return f"{total:.1f} s"
    return f"{int(total // 60)} min {round(total % 60)} s"


def values_text(shown: Mapping[str, Any]) -> str:
    """``batch = 32, hidden = 1,024``: an exercise's values, as drawn."""
    parts = []
    for name, value in shown.items():
        number = value if isinstance(value, int | float) and not isinstance(value, bool) else None
        parts.append(f"{name} = {format_number(number) if number is not None else value}")
    return ", ".join(parts)


def facts(info: CardInfo) -> list[tuple[str, str]]:
    """The card's facts, label and value, in the order shown."""
    card, memory = info.card, info.card.memory
    marks = [name for name, on in (("suspended", card.suspended), ("buried", card.buried)) if on]
    state = STATE_NAMES[info.state] + (f" ({', '.join(marks)})" if marks else "")
    due = when(info.due) if info.state is not CardState.NEW else "—"
    if info.new_position is not None:
        due = f"new card #{format_number(info.new_position)} in the new queue"
    rows = [
        ("Deck", info.deck_name),
        ("Kind", f"{KIND_NAMES[info.note_kind]} · {info.face_name}"),
        ("State", state),
        ("Due", due),
    ]
    if card.flag:
        rows.append(("Flag", FLAG_NAMES[card.flag]))
    rows += [
        ("Stability", days(memory.stability) or "—"),
        ("Difficulty", difficulty(memory.difficulty) or "—"),
        ("Retrievability now", percent(info.retrievability) or "—"),
        ("Reviews", format_number(info.reviews)),
        ("Lapses", format_number(info.lapses)),
        ("Added", when(info.added)),
        ("First review", when(info.first_review)),
        ("Latest review", when(info.latest_review)),
        ("Tags", " ".join(info.tags) or "—"),
        ("Source", _source(info)),
        ("Card id · note id", f"{card.id} · {card.note_id}"),
    ]
    return rows


def _source(info: CardInfo) -> str:
    source = info.source
    if source is None:
        return "made in QuizApp"
    where = f" — {source.path}" if source.path else ""
    return f"{source.name} ({source.format}){where}"


def history_rows(info: CardInfo) -> list[list[str]]:
    """One row of cells per line of history, newest first."""
    rows = []
    for line in reversed(info.history):
        rows.append(
            [
                when(line.at),
                _kind(line),
                "—" if line.rating is None else line.rating.label,
                seconds(line.duration_ms) if line.rating is not None else "",
                days(line.interval_days) if line.interval_days else "",
                days(line.stability),
                difficulty(line.difficulty),
                percent(line.retrievability),
            ]
        )
    return rows


def _kind(line: HistoryLine) -> str:
    if line.action is not None:
        return MANUAL_NAMES.get(line.action.value, line.action.value)
    return line.kind + (" (imported)" if line.imported else "")


HEADERS = ("Date", "Type", "Grade", "Time", "Interval", "Stability", "Difficulty", "Retriev.")


def card_info_html(info: CardInfo, colors: Colors) -> str:
    """The whole page, as HTML for a :class:`QTextBrowser`."""
    muted = f'style="color:{colors.muted}"'
    cell = 'style="padding:4px 12px 4px 0"'
    parts = [f'<p style="font-size:17px; font-weight:600">{escape(info.question)}</p>']
    parts.append('<table cellspacing="0">')
    for label, value in facts(info):
        parts.append(f"<tr><td {cell}><span {muted}>{escape(label)}</span></td>")
        parts.append(f"<td {cell}>{escape(value)}</td></tr>")
    parts.append("</table>")
    parts.append('<p style="font-size:15px; font-weight:600; margin-top:14px">Reviews</p>')
    if not info.history:
        parts.append(f"<p {muted}>Not reviewed yet.</p>")
        return "".join(parts)
    head = 'style="padding:4px 12px 4px 0; font-weight:600"'
    parts.append('<table cellspacing="0">')
    parts.append(
        "<tr>" + "".join(f"<td {head}><span {muted}>{h}</span></td>" for h in HEADERS) + "</tr>"
    )
    lines = list(reversed(info.history))
    for line, cells in zip(lines, history_rows(info), strict=True):
        border = f'style="padding:4px 12px 4px 0; border-top:1px solid {colors.border}"'
        parts.append("<tr>" + "".join(f"<td {border}>{escape(c)}</td>" for c in cells) + "</tr>")
        detail = _exercise_detail(line)
        if detail:
            parts.append(
                f'<tr><td colspan="{len(HEADERS)}" {cell}><span {muted}>{detail}</span></td></tr>'
            )
    parts.append("</table>")
    return "".join(parts)


def _exercise_detail(line: HistoryLine) -> str:
    pieces = []
    if line.shown:
        pieces.append("Values: " + escape(values_text(line.shown)))
    if line.answer is not None:
        pieces.append("Answered: " + escape(line.answer or "(nothing)"))
    return " · ".join(pieces)


class CardInfoDialog(QDialog):
    """The Card Info window of one card (it does not block the window it came from)."""

    def __init__(self, info: CardInfo, colors: Colors, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setObjectName("cardInfoDialog")
        self.setWindowTitle(f"Card info — {info.question[:60]}")
        self.info = info
        self.resize(760, 620)
        self.text = named(QTextBrowser(), "cardInfoText")
        self.text.setAccessibleName("Card info")
        self.text.setOpenLinks(False)
        self.text.setHtml(card_info_html(info, colors))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 14, 14, 14)
        layout.addWidget(self.text)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close)


def show_card_info(app: App, card_id: int, parent: QWidget) -> CardInfoDialog | None:
    """Open Card Info for ``card_id``; a card deleted meanwhile is said so instead."""
    try:
        info = app.cards.card_info(card_id)
    except QuizAppError as error:
        show_error(parent, error)
        return None
    dialog = CardInfoDialog(
        info, current_colors(cast(QApplication, QApplication.instance())), parent
    )
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
