"""The columns a search's results can be sorted by, in the cards mode and the notes mode."""

from __future__ import annotations

from enum import StrEnum


class CardColumn(StrEnum):
    """A column of the card list (one row per card)."""

    CARD_ID = "card_id"
    NOTE_ID = "note_id"
    NOTE_GUID = "note_guid"
    DECK = "deck"
    KIND = "kind"
    FACE = "face"
    DUE = "due"
    QUESTION = "question"
    ANSWER = "answer"
    TAGS = "tags"
    FLAG = "flag"
    INTERVAL = "interval"
    STABILITY = "stability"
    DIFFICULTY = "difficulty"
    RETRIEVABILITY = "retrievability"
    REVIEWS = "reviews"
    LAPSES = "lapses"
    ADDED = "added"
    MODIFIED = "modified"
    SOURCE = "source"


class NoteColumn(StrEnum):
    """A column of the note list (one row per note)."""

    NOTE_ID = "note_id"
    NOTE_GUID = "note_guid"
    KIND = "kind"
    QUESTION = "question"
    ANSWER = "answer"
    DECK = "deck"
    CARDS = "cards"
    TAGS = "tags"
    REVIEWS = "reviews"
    LAPSES = "lapses"
    ADDED = "added"
    MODIFIED = "modified"
    SOURCE = "source"
