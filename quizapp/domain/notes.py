"""Notes: what an author wrote, in the structured form its kind needs."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any, TypeAlias

from quizapp.domain.cloze import cloze_deletions
from quizapp.domain.exercises import ExerciseContent, ExerciseTemplate


class NoteKind(StrEnum):
    """The kinds of question the reviewer knows how to show and grade."""

    BASIC = "basic"
    BASIC_REVERSED = "basic_reversed"
    TRUE_FALSE = "true_false"
    MULTIPLE_CHOICE = "multiple_choice"
    MULTIPLE_RESPONSE = "multiple_response"
    TYPED = "typed"
    NUMERIC = "numeric"
    MATCHING = "matching"
    CLOZE = "cloze"
    EXERCISE = "exercise"


class TextFormat(StrEnum):
    """How a note's texts are written: plain text, or HTML already sanitized at import."""

    PLAIN = "plain"
    HTML = "html"


@dataclass(frozen=True, slots=True)
class BasicContent:
    """Front and back; a reversed note also asks back → front."""

    front: str
    back: str


@dataclass(frozen=True, slots=True)
class TrueFalseContent:
    """A statement that is true or false, with feedback for each pick (GIFT, Moodle)."""

    statement: str
    answer: bool
    feedback_true: str = ""
    feedback_false: str = ""


@dataclass(frozen=True, slots=True)
class MultipleChoiceContent:
    """One choice to pick; ``correct`` is the best one.

    ``weights`` (optional, one per choice, -1..1 as Moodle's fractions) give
    partial credit; ``feedback`` (optional, one per choice) is shown when picked.
    The choices are shuffled at each showing unless ``fixed_order`` (the bank
    says so, as Moodle's "shuffle answers" off).
    """

    question: str
    choices: tuple[str, ...]
    correct: int
    weights: tuple[float, ...] = ()
    feedback: tuple[str, ...] = ()
    fixed_order: bool = False


@dataclass(frozen=True, slots=True)
class MultipleResponseContent:
    """Several choices to tick: those with a positive weight are the right ones."""

    question: str
    choices: tuple[str, ...]
    weights: tuple[float, ...]
    feedback: tuple[str, ...] = ()
    fixed_order: bool = False


@dataclass(frozen=True, slots=True)
class TypedContent:
    """A question answered by typing text; any of ``answers`` is right.

    ``*`` in an answer matches any text (Moodle's short-answer wildcard);
    ``weights`` and ``feedback`` (optional, one per answer) as for choices.
    """

    question: str
    answers: tuple[str, ...]
    weights: tuple[float, ...] = ()
    feedback: tuple[str, ...] = ()


# The bound of a numeric range that takes any number.  Bounded as the native format
# bounds numbers, so such a note exports and imports back; an answer beyond ±1e15
# merely goes without that range's feedback.
ANY_NUMBER = 1e15


@dataclass(frozen=True, slots=True)
class NumericAlternative:
    """Another accepted range of a numeric answer, with its credit and feedback.

    A range from ``-ANY_NUMBER`` to ``ANY_NUMBER`` takes every other number (Moodle's
    ``*`` answer, GIFT's ``~`` feedback).
    """

    low: float
    high: float
    weight: float = 1.0
    feedback: str = ""


@dataclass(frozen=True, slots=True)
class NumericContent:
    """A question answered by a number, right within an absolute tolerance.

    ``feedback`` is shown for the right answer; each alternative has its own.
    """

    question: str
    answer: float
    tolerance: float = 0.0
    unit: str = ""
    alternatives: tuple[NumericAlternative, ...] = ()
    feedback: str = ""


@dataclass(frozen=True, slots=True)
class MatchingContent:
    """Match each prompt to its answer; ``distractors`` are answers that match nothing."""

    question: str
    pairs: tuple[tuple[str, str], ...]
    distractors: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ClozeContent:
    """Text with deletions ``{{c1::answer}}`` or ``{{c1::answer::hint}}``; one card each."""

    text: str
    extra: str = ""


NoteContent: TypeAlias = (
    BasicContent
    | TrueFalseContent
    | MultipleChoiceContent
    | MultipleResponseContent
    | TypedContent
    | NumericContent
    | MatchingContent
    | ClozeContent
    | ExerciseContent
)

_CONTENT_TYPES: dict[NoteKind, type[NoteContent]] = {
    NoteKind.BASIC: BasicContent,
    NoteKind.BASIC_REVERSED: BasicContent,
    NoteKind.TRUE_FALSE: TrueFalseContent,
    NoteKind.MULTIPLE_CHOICE: MultipleChoiceContent,
    NoteKind.MULTIPLE_RESPONSE: MultipleResponseContent,
    NoteKind.TYPED: TypedContent,
    NoteKind.NUMERIC: NumericContent,
    NoteKind.MATCHING: MatchingContent,
    NoteKind.CLOZE: ClozeContent,
    NoteKind.EXERCISE: ExerciseContent,
}


def content_type(kind: NoteKind) -> type[NoteContent]:
    """The content class that notes of ``kind`` hold."""
    return _CONTENT_TYPES[kind]


def cloze_numbers(text: str) -> tuple[int, ...]:
    """The numbers of a cloze text's deletions, ascending: ``(1, 2, 3)``.

    Only closed deletions count, nested ones too, as in Anki (:mod:`quizapp.domain.cloze`).
    """
    return tuple(sorted({deletion.number for deletion in cloze_deletions(text)}))


def card_faces(kind: NoteKind, content: NoteContent) -> tuple[int, ...]:
    """The faces (cards) a note makes: 0 forward, 1 reverse, or one per cloze number."""
    if kind is NoteKind.BASIC_REVERSED:
        return (0, 1)
    if isinstance(content, ClozeContent):
        return cloze_numbers(content.text)
    return (0,)


def content_to_fields(content: NoteContent) -> dict[str, Any]:
    """The JSON-ready fields of ``content``."""
    if isinstance(content, ExerciseContent):
        return content.template.to_fields()
    return {name: _jsonable(getattr(content, name)) for name in content.__slots__}


def content_from_fields(kind: NoteKind, fields: Mapping[str, Any]) -> NoteContent:
    """Rebuild the content of a ``kind`` note from its stored fields."""
    if kind is NoteKind.EXERCISE:
        return ExerciseContent(ExerciseTemplate.from_fields(dict(fields)))
    values: dict[str, Any] = {name: _frozen(value) for name, value in fields.items()}
    if kind is NoteKind.NUMERIC:
        values["alternatives"] = tuple(
            NumericAlternative(*alternative) for alternative in values.get("alternatives", ())
        )
    return _CONTENT_TYPES[kind](**values)


def map_texts(content: NoteContent, change: Callable[[str], str]) -> NoteContent:
    """``content`` with ``change`` applied to every text a learner reads in it.

    Used to sanitize or convert a note's texts; an exercise template's formulas
    and placeholders are left alone.
    """
    if isinstance(content, ExerciseContent):
        return content
    values: dict[str, Any] = {}
    for name in content.__slots__:
        values[name] = _map_value(getattr(content, name), change)
    return type(content)(**values)


def texts_of(content: NoteContent) -> list[str]:
    """Every text a learner reads in ``content``, in field order."""
    found: list[str] = []

    def collect(text: str) -> str:
        found.append(text)
        return text

    map_texts(content, collect)
    return found


def _map_value(value: Any, change: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return change(value)
    if isinstance(value, NumericAlternative):
        return replace(value, feedback=change(value.feedback))
    if isinstance(value, tuple):
        return tuple(_map_value(item, change) for item in value)
    return value


def _jsonable(value: Any) -> Any:
    if isinstance(value, NumericAlternative):
        return [value.low, value.high, value.weight, value.feedback]
    if isinstance(value, tuple | list):
        return [_jsonable(item) for item in value]
    return value


def _frozen(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_frozen(item) for item in value)
    return value


@dataclass(frozen=True, slots=True)
class Note:
    """One authored question.  ``guid`` is stable across re-imports."""

    guid: str
    kind: NoteKind
    content: NoteContent
    explanation: str = ""
    tags: tuple[str, ...] = ()
    source: str = ""
    text_format: TextFormat = TextFormat.PLAIN
    id: int | None = None

    def __post_init__(self) -> None:
        if type(self.content) is not _CONTENT_TYPES[self.kind]:
            raise ValueError(
                f"a {self.kind.value} note holds {_CONTENT_TYPES[self.kind].__name__}, "
                f"not {type(self.content).__name__}"
            )

    @property
    def faces(self) -> tuple[int, ...]:
        """The faces of the cards this note makes."""
        return card_faces(self.kind, self.content)


# Fields added after notes were first hashed: left out of the hash at their default, so
# that a bank without an id gives the same ids as before they existed.
_LATER_FIELDS = {"fixed_order": False}


def content_guid(kind: NoteKind, content: NoteContent) -> str:
    """A stable id derived from the content, for banks that give none."""
    fields = content_to_fields(content)
    for name, default in _LATER_FIELDS.items():
        if fields.get(name, default) == default:
            fields.pop(name, None)
    payload = json.dumps([kind.value, fields], sort_keys=True)
    return "h-" + hashlib.sha256(payload.encode("utf-8")).hexdigest()[:20]


@dataclass(frozen=True, slots=True)
class BatchNote:
    """A parsed note, the deck its cards go to, and how its cards arrive.

    ``suspended_faces`` and ``buried_faces`` arrive suspended and buried; ``flags``
    gives a face its flag (1 to 7, Anki's colours), as another app had it.
    """

    note: Note
    deck: str
    line: int = 0
    suspended_faces: frozenset[int] = frozenset()
    flags: Mapping[int, int] = field(default_factory=dict)
    buried_faces: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class BatchReview:
    """One answer from another app's history, for the card ``face`` of note ``guid``."""

    guid: str
    face: int
    reviewed_at: datetime
    rating: int
    duration_ms: int = 0


@dataclass(frozen=True, slots=True)
class BatchMedia:
    """A file that notes refer to by ``name`` (in ``<img src>`` or ``[sound:]``)."""

    name: str
    data: bytes


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
    """What a parser read from one bank: notes with their decks, their review history
    and media, plus a warning for everything it skipped."""

    source: str
    notes: tuple[BatchNote, ...]
    warnings: tuple[ImportIssue, ...] = field(default=())
    reviews: tuple[BatchReview, ...] = ()
    media: tuple[BatchMedia, ...] = ()
    # What the bank says it is, where it says so (a YAML bank's ``id``): a file of
    # another name or folder with the same identity is the same bank.
    identity: str = ""
    # True when the notes' guids are ids of their own, unique beyond this file (Anki's
    # guids); False when they are made from the file (its name, titles, content).
    global_guids: bool = False
    # Where a note's parts are written, for messages: (guid, part) → line, where a
    # part is a field ("answer") or an item of a list field ("steps[1]").
    field_lines: Mapping[tuple[str, str], int] = field(default_factory=dict)

    @property
    def deck_names(self) -> tuple[str, ...]:
        """Every deck the batch fills, in first-seen order."""
        return tuple(dict.fromkeys(batch_note.deck for batch_note in self.notes))
