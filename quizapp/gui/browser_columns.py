"""The browser's columns: what each shows of a card or note row, and the SQL order it sorts by."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from quizapp.domain import CardState, NoteKind
from quizapp.domain.numbers import format_number
from quizapp.gui.flags import FLAG_NAMES
from quizapp.services.search import CardColumn, CardRow, NoteColumn, NoteRow

TEXT_LIMIT = 160  # characters of a question or answer shown in its cell (all of it as tooltip)

KIND_NAMES = {
    NoteKind.BASIC: "Basic",
    NoteKind.BASIC_REVERSED: "Basic + reverse",
    NoteKind.TRUE_FALSE: "True/false",
    NoteKind.MULTIPLE_CHOICE: "Multiple choice",
    NoteKind.MULTIPLE_RESPONSE: "Several answers",
    NoteKind.TYPED: "Typed",
    NoteKind.NUMERIC: "Numeric",
    NoteKind.MATCHING: "Matching",
    NoteKind.CLOZE: "Cloze",
    NoteKind.EXERCISE: "Exercise",
}


@dataclass(frozen=True, slots=True)
class Column:
    """One column: its settings key, header, SQL order, and the text of a row's cell."""

    key: str
    title: str
    order: CardColumn | NoteColumn
    text: Callable[[Any], str]
    numeric: bool = False  # right-aligned


def one_line(text: str) -> str:
    """A cell's text: one line, cut at :data:`TEXT_LIMIT` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= TEXT_LIMIT else flat[: TEXT_LIMIT - 1] + "…"


def day(moment: datetime | None) -> str:
    """``2026-11-25`` in the local time zone, or empty."""
    return "" if moment is None else moment.astimezone().strftime("%Y-%m-%d")


def days(value: float | None) -> str:
    """``10m``, ``3h``, ``12d``, ``3.4mo``, ``1.5y``: days as the grade buttons write them."""
    if value is None:
        return ""
    if value < 1 / 24:
        return f"{max(1, round(value * 1440))}m"
    if value < 1:
        return f"{round(value * 24)}h"
    if value < 30:
        return f"{value:.0f}d"
    if value < 365:
        return f"{value / 30.4:.1f}mo"
    return f"{value / 365.25:.1f}y"


def percent(value: float | None) -> str:
    """``93%``, or empty."""
    return "" if value is None else f"{value * 100:.0f}%"


def card_kind(row: CardRow) -> str:
    """The kind, and which face of a note with several cards."""
    name = KIND_NAMES[row.kind]
    if row.kind is NoteKind.BASIC_REVERSED or row.kind is NoteKind.CLOZE:
        return f"{name} · {row.face_name}"
    return name


def card_due(row: CardRow) -> str:
    """The due day; a new card has none, a suspended or buried one in parentheses (as Anki)."""
    if row.state is CardState.NEW or row.due is None:
        text = "New"
    elif row.state in (CardState.LEARNING, CardState.RELEARNING):
        text = row.due.astimezone().strftime("%Y-%m-%d %H:%M")
    else:
        text = day(row.due)
    return f"({text})" if row.suspended or row.buried else text


CARD_COLUMNS: tuple[Column, ...] = (
    Column("question", "Question", CardColumn.QUESTION, lambda r: one_line(r.question)),
    Column("answer", "Answer", CardColumn.ANSWER, lambda r: one_line(r.answer)),
    Column("deck", "Deck", CardColumn.DECK, lambda r: r.deck),
    Column("kind", "Kind", CardColumn.KIND, card_kind),
    Column("tags", "Tags", CardColumn.TAGS, lambda r: " ".join(r.tags)),
    Column("flag", "Flag", CardColumn.FLAG, lambda r: FLAG_NAMES[r.flag]),
    Column("due", "Due", CardColumn.DUE, card_due),
    Column("interval", "Interval", CardColumn.INTERVAL, lambda r: days(r.interval or None), True),
    Column("stability", "Stability", CardColumn.STABILITY, lambda r: days(r.stability), True),
    Column(
        "difficulty", "Difficulty", CardColumn.DIFFICULTY, lambda r: percent(r.difficulty), True
    ),
    Column(
        "retrievability",
        "Retrievability",
        CardColumn.RETRIEVABILITY,
        lambda r: percent(r.retrievability),
        True,
    ),
    Column("reviews", "Reviews", CardColumn.REVIEWS, lambda r: format_number(r.reviews), True),
    Column("lapses", "Lapses", CardColumn.LAPSES, lambda r: format_number(r.lapses), True),
    Column("added", "Added", CardColumn.ADDED, lambda r: day(r.added)),
    Column("modified", "Modified", CardColumn.MODIFIED, lambda r: day(r.modified)),
    Column("source", "Source bank", CardColumn.SOURCE, lambda r: r.source),
)

NOTE_COLUMNS: tuple[Column, ...] = (
    Column("question", "Question", NoteColumn.QUESTION, lambda r: one_line(r.question)),
    Column("answer", "Answer", NoteColumn.ANSWER, lambda r: one_line(r.answer)),
    Column("deck", "Deck", NoteColumn.DECK, lambda r: r.deck),
    Column("kind", "Kind", NoteColumn.KIND, lambda r: KIND_NAMES[r.kind]),
    Column("cards", "Cards", NoteColumn.CARDS, lambda r: format_number(r.cards), True),
    Column("tags", "Tags", NoteColumn.TAGS, lambda r: " ".join(r.tags)),
    Column("reviews", "Reviews", NoteColumn.REVIEWS, lambda r: format_number(r.reviews), True),
    Column("lapses", "Lapses", NoteColumn.LAPSES, lambda r: format_number(r.lapses), True),
    Column("added", "Added", NoteColumn.ADDED, lambda r: day(r.added)),
    Column("modified", "Modified", NoteColumn.MODIFIED, lambda r: day(r.modified)),
    Column("source", "Source bank", NoteColumn.SOURCE, lambda r: r.source),
)

DEFAULT_CARD_COLUMNS = ("question", "answer", "deck", "kind", "due", "interval", "tags")
DEFAULT_NOTE_COLUMNS = ("question", "answer", "deck", "kind", "cards", "tags")


def columns_of(notes: bool) -> tuple[Column, ...]:
    """Every column of the cards mode, or of the notes mode."""
    return NOTE_COLUMNS if notes else CARD_COLUMNS


def pick_columns(notes: bool, keys: list[str] | None) -> list[Column]:
    """The columns named by ``keys`` (unknown names dropped), or the default ones."""
    by_key = {column.key: column for column in columns_of(notes)}
    wanted = [key for key in keys or () if key in by_key]
    if not wanted:
        wanted = list(DEFAULT_NOTE_COLUMNS if notes else DEFAULT_CARD_COLUMNS)
    return [by_key[key] for key in dict.fromkeys(wanted)]


__all__ = [
    "CARD_COLUMNS",
    "NOTE_COLUMNS",
    "Column",
    "NoteRow",
    "columns_of",
    "pick_columns",
]
