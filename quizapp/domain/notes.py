"""Notes: what an author wrote, in the structured form its kind needs."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, TypeAlias


class NoteKind(StrEnum):
    """The kinds of question the reviewer knows how to show and grade."""

    BASIC = "basic"
    BASIC_REVERSED = "basic_reversed"
    TRUE_FALSE = "true_false"
    MULTIPLE_CHOICE = "multiple_choice"
    TYPED = "typed"
    NUMERIC = "numeric"


@dataclass(frozen=True, slots=True)
class BasicContent:
    """Front and back; a reversed note also asks back → front."""

    front: str
    back: str


@dataclass(frozen=True, slots=True)
class TrueFalseContent:
    """A statement that is true or false."""

    statement: str
    answer: bool


@dataclass(frozen=True, slots=True)
class MultipleChoiceContent:
    """A question with choices; ``correct`` holds the index of the right one."""

    question: str
    choices: tuple[str, ...]
    correct: int


@dataclass(frozen=True, slots=True)
class TypedContent:
    """A question answered by typing text; any of ``answers`` is right."""

    question: str
    answers: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class NumericContent:
    """A question answered by a number, right within an absolute tolerance."""

    question: str
    answer: float
    tolerance: float = 0.0
    unit: str = ""


NoteContent: TypeAlias = (
    BasicContent | TrueFalseContent | MultipleChoiceContent | TypedContent | NumericContent
)

_CONTENT_TYPES: dict[NoteKind, type[NoteContent]] = {
    NoteKind.BASIC: BasicContent,
    NoteKind.BASIC_REVERSED: BasicContent,
    NoteKind.TRUE_FALSE: TrueFalseContent,
    NoteKind.MULTIPLE_CHOICE: MultipleChoiceContent,
    NoteKind.TYPED: TypedContent,
    NoteKind.NUMERIC: NumericContent,
}


def content_type(kind: NoteKind) -> type[NoteContent]:
    """The content class that notes of ``kind`` hold."""
    return _CONTENT_TYPES[kind]


def card_faces(kind: NoteKind) -> tuple[int, ...]:
    """The faces (cards) a note of ``kind`` makes: 0 forward, 1 reverse."""
    return (0, 1) if kind is NoteKind.BASIC_REVERSED else (0,)


def content_to_fields(content: NoteContent) -> dict[str, Any]:
    """The JSON-ready fields of ``content``."""
    fields: dict[str, Any] = {}
    for name in content.__slots__:
        value = getattr(content, name)
        fields[name] = list(value) if isinstance(value, tuple) else value
    return fields


def content_from_fields(kind: NoteKind, fields: Mapping[str, Any]) -> NoteContent:
    """Rebuild the content of a ``kind`` note from its stored fields."""
    cls = _CONTENT_TYPES[kind]
    values: dict[str, Any] = {
        name: tuple(value) if isinstance(value, list) else value for name, value in fields.items()
    }
    return cls(**values)


@dataclass(frozen=True, slots=True)
class Note:
    """One authored question.  ``guid`` is stable across re-imports."""

    guid: str
    kind: NoteKind
    content: NoteContent
    explanation: str = ""
    tags: tuple[str, ...] = ()
    source: str = ""
    id: int | None = None


def content_guid(kind: NoteKind, content: NoteContent) -> str:
    """A stable id derived from the content, for banks that give none."""
    payload = json.dumps([kind.value, content_to_fields(content)], sort_keys=True)
    return "h-" + hashlib.sha256(payload.encode("utf-8")).hexdigest()[:20]


@dataclass(frozen=True, slots=True)
class BatchNote:
    """A parsed note and the deck its cards go to."""

    note: Note
    deck: str
    line: int = 0


@dataclass(frozen=True, slots=True)
class ImportIssue:
    """A problem found in a bank file, located for the user."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


@dataclass(frozen=True, slots=True)
class ImportBatch:
    """What a parser read from one bank: notes with their decks, plus warnings."""

    source: str
    notes: tuple[BatchNote, ...]
    warnings: tuple[ImportIssue, ...] = field(default=())

    @property
    def deck_names(self) -> tuple[str, ...]:
        """Every deck the batch fills, in first-seen order."""
        return tuple(dict.fromkeys(batch_note.deck for batch_note in self.notes))
