"""Checking a typed, numeric or chosen answer, and proposing the grade."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from enum import Enum

from quizapp.domain import NumericContent, Rating, TypedContent
from quizapp.domain.answers import Mark, Marked
from quizapp.domain.numbers import format_number as format_number  # one format everywhere

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?", re.IGNORECASE)
_THOUSANDS_COMMA = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?(?:e[+-]?\d+)?$", re.IGNORECASE)
_THOUSANDS_SPACE = re.compile(r"(?<=\d)[ \u00a0\u202f_'](?=\d{3}(?!\d))")
_SPACES = re.compile(r"\s+")
TYPO_SIMILARITY = 0.6
FULL_CREDIT = 0.999


class DiffKind(Enum):
    """How a piece of the learner's answer compares with the expected one."""

    SAME = "same"
    EXTRA = "extra"  # typed but not expected
    MISSING = "missing"  # expected but not typed


@dataclass(frozen=True, slots=True)
class DiffSegment:
    """A run of text in the comparison of given and expected answers."""

    text: str
    kind: DiffKind


@dataclass(frozen=True, slots=True)
class GradeResult:
    """Whether an answer is right, the grade to propose, and what to show."""

    correct: bool
    proposed: Rating
    given: str
    expected: str
    diff: tuple[DiffSegment, ...] = ()
    note: str = ""  # what QuizApp noticed: "too high", a named mistake
    feedback: str = ""  # what the author wrote for this answer
    credit: float | None = None  # partial credit, where the author gave weights


def rating_for_credit(credit: float) -> Rating:
    """Full credit proposes Good; anything less, Again.

    A partly right answer is a failure to recall the whole answer: proposing Hard
    would have FSRS count it as remembered.  The learner can still pick any grade.
    """
    return Rating.GOOD if credit >= FULL_CREDIT else Rating.AGAIN


def parse_number(text: str) -> float | None:
    """Read a number as a person types it, or None.

    Accepts ``55``, ``55.0``, ``5.5e1``, ``1,024`` and ``1 024`` (thousands
    separators), ``1,5`` (decimal comma), and a trailing word such as a unit.
    """
    cleaned = _THOUSANDS_SPACE.sub("", text.strip())
    match = re.match(r"^([+-]?[\d.,]+(?:e[+-]?\d+)?)\s*([^\d\s].*)?$", cleaned, re.IGNORECASE)
    if match is None:
        return None
    number = match.group(1)
    if _THOUSANDS_COMMA.match(number):
        number = number.replace(",", "")
    elif number.count(",") == 1 and "." not in number:
        number = number.replace(",", ".")
    if not _NUMBER.fullmatch(number):
        return None
    value = float(number)
    return value if math.isfinite(value) else None


def grade_numeric(given: str, content: NumericContent) -> GradeResult:
    """Compare a typed number with the expected one (within the tolerance) and its ranges."""
    expected = format_number(content.answer)
    if content.unit:
        expected = f"{expected} {content.unit}"
    value = parse_number(given)
    if value is None:
        return GradeResult(False, Rating.AGAIN, given.strip(), expected, note="not a number")
    if within(value, content.answer, content.tolerance):
        return GradeResult(True, Rating.GOOD, given.strip(), expected, feedback=content.feedback)
    for alternative in content.alternatives:
        if (
            alternative.low - _slack(alternative.low)
            <= value
            <= alternative.high + _slack(alternative.high)
        ):
            return GradeResult(
                alternative.weight >= FULL_CREDIT,
                rating_for_credit(alternative.weight),
                given.strip(),
                expected,
                feedback=alternative.feedback,
                credit=alternative.weight,
            )
    note = "too high" if value > content.answer else "too low"
    return GradeResult(False, Rating.AGAIN, given.strip(), expected, note=note)


def within(value: float, target: float, tolerance: float) -> bool:
    """``value`` is ``target`` ± ``tolerance``, with a hair of slack for binary rounding.

    Without the slack, 0.4 for 0.3 ± 0.1 would be wrong: 0.4 - 0.3 is 0.10000000000000003.
    """
    return abs(value - target) <= tolerance + _slack(max(abs(target), tolerance))


def _slack(scale: float) -> float:
    return 1e-9 * max(1.0, abs(scale))


def grade_typed(given: str, content: TypedContent) -> GradeResult:
    """Compare typed text with the accepted answers, ignoring case and outer space.

    ``*`` in an answer matches any text (Moodle's wildcard); an answer's weight
    gives partial credit and its feedback is shown.
    """
    typed = _normalise(given)
    for index, answer in enumerate(content.answers):
        if _matches(typed, _normalise(answer)):
            weight = content.weights[index] if content.weights else 1.0
            feedback = content.feedback[index] if content.feedback else ""
            return GradeResult(
                weight >= FULL_CREDIT,
                rating_for_credit(weight),
                given.strip(),
                content.answers[0] if weight < FULL_CREDIT else answer,
                feedback=feedback,
                credit=weight if content.weights else None,
            )
    # The closest accepted answer; on a tie, the one the bank lists first.
    similarity, _, closest = max(
        (SequenceMatcher(None, typed, _normalise(answer)).ratio(), -index, answer)
        for index, answer in enumerate(content.answers)
    )
    # A letter-by-letter comparison helps with a typo; for another word it is noise.
    diff = diff_text(given.strip(), closest) if similarity >= TYPO_SIMILARITY else ()
    return GradeResult(False, Rating.AGAIN, given.strip(), closest, diff=diff)


def _matches(typed: str, answer: str) -> bool:
    if "*" not in answer:
        return typed == answer
    pattern = ".*".join(re.escape(part) for part in answer.split("*"))
    return re.fullmatch(pattern, typed, re.DOTALL) is not None


def grade_choice(
    chosen: int,
    correct: int,
    labels: tuple[str, ...],
    weights: tuple[float, ...] = (),
    feedback: tuple[str, ...] = (),
) -> GradeResult:
    """Grade a multiple-choice or true/false pick (with partial credit where weighted)."""
    credit = weights[chosen] if weights else float(chosen == correct)
    return GradeResult(
        chosen == correct or credit >= FULL_CREDIT,
        rating_for_credit(credit),
        labels[chosen],
        labels[correct],
        feedback=feedback[chosen] if feedback else "",
        credit=credit if weights else None,
    )


def diff_text(given: str, expected: str) -> tuple[DiffSegment, ...]:
    """Character runs of ``given`` against ``expected``, compared without case."""
    # Fold case letter by letter, so that indices stay those of the original strings
    # even where folding changes a letter's length ("ß" → "ss").
    matcher = SequenceMatcher(
        None, [c.casefold() for c in given], [c.casefold() for c in expected], autojunk=False
    )
    segments: list[DiffSegment] = []
    for tag, g1, g2, e1, e2 in matcher.get_opcodes():
        if tag == "equal":
            segments.append(DiffSegment(expected[e1:e2], DiffKind.SAME))
            continue
        if g2 > g1:
            segments.append(DiffSegment(given[g1:g2], DiffKind.EXTRA))
        if e2 > e1:
            segments.append(DiffSegment(expected[e1:e2], DiffKind.MISSING))
    return tuple(segments)


def mark_differences(given: str, expected: str) -> tuple[tuple[Marked, ...], tuple[Marked, ...]]:
    """The learner's text with its wrong characters marked, and the expected text with the
    characters the learner left out marked; compared without regard to case."""
    matcher = SequenceMatcher(
        None, [c.casefold() for c in given], [c.casefold() for c in expected], autojunk=False
    )
    typed: list[Marked] = []
    wanted: list[Marked] = []
    for tag, g1, g2, e1, e2 in matcher.get_opcodes():
        if tag == "equal":
            typed.append(Marked(given[g1:g2], Mark.SAME))
            wanted.append(Marked(expected[e1:e2], Mark.SAME))
            continue
        if g2 > g1:
            typed.append(Marked(given[g1:g2], Mark.WRONG))
        if e2 > e1:
            wanted.append(Marked(expected[e1:e2], Mark.MISSING))
    return tuple(typed), tuple(wanted)


# A leading article says nothing: "the learning rate" answers "learning rate".
_ARTICLE = re.compile(r"^(?:the|a|an) (?=\S)")


def _normalise(text: str) -> str:
    return _ARTICLE.sub("", _SPACES.sub(" ", text.strip()).casefold())
