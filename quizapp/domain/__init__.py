"""Pure domain values: decks, notes, cards, reviews.  No I/O, no Qt, no SQL."""

from quizapp.domain.cards import Card, CardState, MemoryState, Rating, ReviewKind, ReviewLog
from quizapp.domain.decks import Deck, DeckCounts, SchedulingPreset
from quizapp.domain.notes import (
    BasicContent,
    BatchNote,
    ImportBatch,
    ImportIssue,
    MultipleChoiceContent,
    Note,
    NoteContent,
    NoteKind,
    NumericContent,
    TrueFalseContent,
    TypedContent,
    card_faces,
)

__all__ = [
    "BasicContent",
    "BatchNote",
    "Card",
    "CardState",
    "Deck",
    "DeckCounts",
    "ImportBatch",
    "ImportIssue",
    "MemoryState",
    "MultipleChoiceContent",
    "Note",
    "NoteContent",
    "NoteKind",
    "NumericContent",
    "Rating",
    "ReviewKind",
    "ReviewLog",
    "SchedulingPreset",
    "TrueFalseContent",
    "TypedContent",
    "card_faces",
]
