"""Checking a typed, numeric or chosen answer, and proposing the grade."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from enum import Enum

from quizapp.domain import NumericContent, Rating, TypedContent

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?", re.IGNORECASE)
_THOUSANDS_COMMA = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?(?:e[+-]?\d+)?$", re.IGNORECASE)
_THOUSANDS_SPACE = re.compile(r"(?<=\d)[ \u00a0\u202f_'](?=\d{3}(?!\d))")
_SPACES = re.compile(r"\s+")
TYPO_SIMILARITY = 0.6


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
    note: str = ""


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
    """Compare a typed number with the expected one, within the tolerance."""
    expected = format_number(content.answer)
    if content.unit:
        expected = f"{expected} {content.unit}"
    value = parse_number(given)
    if value is None:
        return GradeResult(False, Rating.AGAIN, given.strip(), expected, note="not a number")
    # A hair of slack so that an answer exactly on a decimal edge (0.4 for 0.3 ± 0.1)
    # is not lost to binary rounding.
    slack = 1e-9 * max(1.0, abs(content.answer), content.tolerance)
    correct = abs(value - content.answer) <= content.tolerance + slack
    note = ""
    if not correct:
        note = "too high" if value > content.answer else "too low"
    return GradeResult(
        correct, Rating.GOOD if correct else Rating.AGAIN, given.strip(), expected, note=note
    )


def grade_typed(given: str, content: TypedContent) -> GradeResult:
    """Compare typed text with the accepted answers, ignoring case and outer space."""
    typed = _normalise(given)
    accepted = [_normalise(answer) for answer in content.answers]
    if typed in accepted:
        answer = content.answers[accepted.index(typed)]
        return GradeResult(True, Rating.GOOD, given.strip(), answer)
    # The closest accepted answer; on a tie, the one the bank lists first.
    similarity, _, closest = max(
        (SequenceMatcher(None, typed, _normalise(answer)).ratio(), -index, answer)
        for index, answer in enumerate(content.answers)
    )
    # A letter-by-letter comparison helps with a typo; for another word it is noise.
    diff = diff_text(given.strip(), closest) if similarity >= TYPO_SIMILARITY else ()
    return GradeResult(False, Rating.AGAIN, given.strip(), closest, diff=diff)


def grade_choice(chosen: int, correct: int, labels: tuple[str, ...]) -> GradeResult:
    """Grade a multiple-choice or true/false pick."""
    right = chosen == correct
    return GradeResult(
        right, Rating.GOOD if right else Rating.AGAIN, labels[chosen], labels[correct]
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


def format_number(value: float) -> str:
    """A number as the learner would write it: ``55``, ``0.001``, ``1,024``."""
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:,.6g}" if abs(value) >= 1000 else f"{value:.6g}"


def _normalise(text: str) -> str:
    return _SPACES.sub(" ", text.strip()).casefold()
