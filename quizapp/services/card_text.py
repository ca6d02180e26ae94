"""A card's question, answer and verdict as plain text, the same for every front end.

The window renders these texts its own way and the terminal prints them, but
what a card asks, what counts as its answer and how a verdict is worded are
decided here, once per note kind.  HTML notes are read as text (an image as
``[image: its alt text]``); a cloze card hides its deletion as ``[…]`` or ``[hint]`` and
shows it filled in, ``[answer]``, once revealed.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, assert_never

from quizapp.banks.html import html_to_text
from quizapp.domain import (
    BasicContent,
    ClozeContent,
    ExerciseContent,
    MatchingContent,
    MultipleChoiceContent,
    MultipleResponseContent,
    Note,
    NumericContent,
    TextFormat,
    TrueFalseContent,
    TypedContent,
)
from quizapp.domain.answers import Correctness, Verdict
from quizapp.domain.cloze import ClozeDeletion, ClozePiece, parse_cloze
from quizapp.domain.numbers import format_number

if TYPE_CHECKING:  # only for the annotations: this module loads no storage code
    from quizapp.services.study import StudyCard

TRUE_FALSE_LABELS = ("True", "False")
TRUE_OR_FALSE = "True or false?"
HIDDEN = "…"  # what a hidden cloze deletion without a hint shows
NO_ANSWER = "(no answer)"
VERDICT_TITLES = {
    Correctness.RIGHT: "✓ Correct",
    Correctness.PARTLY: "◐ Partly right",
    Correctness.WRONG: "✗ Not quite",
}
_IMAGE_TAG = re.compile(r"<img\b", re.IGNORECASE)
_ALT = re.compile(r'\balt="', re.IGNORECASE)


def note_text(note: Note, text: str) -> str:
    """One of ``note``'s texts as a learner reads it: HTML turned into plain text."""
    if note.text_format is TextFormat.PLAIN:
        return text
    return html_to_text(_images_as_text(text))


def question_text(study_card: StudyCard) -> str:
    """What the card asks: a face of a pair, a statement, a cloze with its gap, a drawn exercise.

    Choices and matching rows are not part of it: see :func:`choice_texts` and
    :func:`match_prompt_texts`.
    """
    note, face = study_card.note, study_card.card.face
    content = note.content
    match content:
        case BasicContent():
            return note_text(note, content.back if face == 1 else content.front)
        case TrueFalseContent():
            return f"{TRUE_OR_FALSE}\n\n{note_text(note, content.statement)}"
        case ClozeContent():
            return cloze_text(note_text(note, content.text), face, reveal=False)
        case ExerciseContent():
            exercise = study_card.exercise
            return "" if exercise is None else note_text(note, exercise.question)
        case (
            MultipleChoiceContent()
            | MultipleResponseContent()
            | TypedContent()
            | NumericContent()
            | MatchingContent()
        ):
            return note_text(note, content.question)
        case _:
            assert_never(content)


def answer_text(study_card: StudyCard) -> str:
    """The right answer, as shown once the card is revealed; lines apart by ``\\n``."""
    note, face = study_card.note, study_card.card.face
    content = note.content
    match content:
        case BasicContent():
            return note_text(note, content.front if face == 1 else content.back)
        case TrueFalseContent():
            return TRUE_FALSE_LABELS[0 if content.answer else 1]
        case MultipleChoiceContent():
            return note_text(note, content.choices[content.correct])
        case MultipleResponseContent():
            right = zip(content.choices, content.weights, strict=True)
            return "\n".join(note_text(note, choice) for choice, weight in right if weight > 0)
        case TypedContent():
            return _typed_answer(note, content)
        case NumericContent():
            return numeric_answer(content)
        case MatchingContent():
            return "\n".join(
                f"{note_text(note, prompt)} → {note_text(note, answer)}"
                for prompt, answer in content.pairs
            )
        case ClozeContent():
            revealed = cloze_text(note_text(note, content.text), face, reveal=True)
            extra = note_text(note, content.extra)
            return f"{revealed}\n{extra}" if extra else revealed
        case ExerciseContent():
            exercise = study_card.exercise
            return "" if exercise is None else exercise.expected
        case _:
            assert_never(content)


def explanation_text(study_card: StudyCard) -> str:
    """The note's explanation, or an exercise's worked solution with the numbers shown."""
    if study_card.exercise is not None:
        return note_text(study_card.note, study_card.exercise.explanation)
    return note_text(study_card.note, study_card.note.explanation)


def choice_texts(study_card: StudyCard) -> tuple[str, ...]:
    """The choices to pick or tick, as text, in the order shown (numbered from 1 on screen)."""
    if study_card.exercise is not None:
        return study_card.presentation.choices  # an exercise's labels are already text
    return tuple(note_text(study_card.note, choice) for choice in study_card.presentation.choices)


def match_prompt_texts(study_card: StudyCard) -> tuple[str, ...]:
    """The rows of a matching card, as text, in the order shown."""
    return tuple(note_text(study_card.note, p) for p in study_card.presentation.match_prompts)


def numeric_answer(content: NumericContent) -> str:
    """The expected number with its unit and tolerance: ``0.5 m (± 0.01)``."""
    unit = f" {content.unit}" if content.unit else ""
    tolerance = f" (± {format_number(content.tolerance)})" if content.tolerance else ""
    return f"{format_number(content.answer)}{unit}{tolerance}"


def cloze_text(text: str, face: int, *, reveal: bool) -> str:
    """``text`` with deletion ``face`` hidden as ``[…]``/``[hint]``, or shown as ``[answer]``.

    As in Anki, a hidden deletion hides the deletions nested in it, and the others
    show their text with the nested ones hidden or revealed in turn.
    """

    def shown(pieces: tuple[ClozePiece, ...]) -> str:
        return "".join(map(piece_text, pieces))

    def piece_text(piece: ClozePiece) -> str:
        if not isinstance(piece, ClozeDeletion):
            return piece
        if piece.number != face:
            return shown(piece.content)
        if reveal:
            return f"[{shown(piece.content)}]"
        return f"[{piece.hint or HIDDEN}]"

    return shown(parse_cloze(text))


def verdict_title(verdict: Verdict) -> str:
    """``✓ Correct``, ``◐ Partly right (50%)`` or ``✗ Not quite``."""
    title = VERDICT_TITLES[verdict.correctness]
    if verdict.correctness is Correctness.PARTLY and verdict.credit is not None:
        return f"{title} ({format_number(round(verdict.credit * 100))}%)"
    return title


def given_text(verdict: Verdict) -> str:
    """What the learner answered, with what was noticed of it: ``5,000 — too high``."""
    given = verdict.given or NO_ANSWER
    return f"{given} — {verdict.note}" if verdict.note else given


def mistake_sentence(verdict: Verdict) -> str:
    """``That is what you get if you forgot the biases.``, or empty."""
    return f"That is what you get if you {verdict.mistake}." if verdict.mistake else ""


def _typed_answer(note: Note, content: TypedContent) -> str:
    """The first fully right answer, then the others that are also fully right."""
    weights = content.weights or (1.0,) * len(content.answers)
    right = [answer for answer, weight in zip(content.answers, weights, strict=True) if weight >= 1]
    first, *others = right or [content.answers[0]]
    if not others:
        return note_text(note, first)
    accepted = ", ".join(note_text(note, answer) for answer in others)
    return f"{note_text(note, first)}\nalso accepted: {accepted}"


def _images_as_text(text: str) -> str:
    """Each ``<img>`` of sanitized HTML as ``[image: its alt text]`` or ``[image]``.

    Read in one pass: each tag is looked at up to its first ``>`` once.
    """
    pieces: list[str] = []
    position = 0
    for image in _IMAGE_TAG.finditer(text):
        if image.start() < position:
            continue  # inside the tag just read
        end = text.find(">", image.end())
        if end < 0:
            break  # no tag closes from here on
        alt = _ALT.search(text, image.end(), end)
        alt_end = -1 if alt is None else text.find('"', alt.end(), end)
        name = text[alt.end() : alt_end].strip() if alt is not None and alt_end >= 0 else ""
        pieces += (text[position : image.start()], f" [image: {name}] " if name else " [image] ")
        position = end + 1
    return "".join(pieces) + text[position:] if pieces else text
