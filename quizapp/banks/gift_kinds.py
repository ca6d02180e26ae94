"""The answer block of a GIFT question, read into a draft of the note it makes.

The kind is chosen in Moodle's order: ``{}`` essay, ``{#...}`` numerical, a ``~``
anywhere multiple choice, ``=`` with ``->`` matching, T/TRUE/F/FALSE true/false,
anything else short answer.  A draft keeps every text as a :class:`Piece` so the
caller can choose one format (plain or HTML) for the whole note afterwards.

Texts are slices of the block's text; where each starts is kept as an offset in it,
made into a file line only for a message.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from quizapp.banks.bounds import out_of_range, within_bound
from quizapp.banks.gift_text import (
    PHP_SPACE,
    Block,
    Piece,
    leading_space,
    piece_from,
    question_label,
    read_number,
    restore,
    split_weight,
    trimmed,
)
from quizapp.banks.gift_text import strip as trim
from quizapp.banks.html import plain_to_html
from quizapp.domain import (
    ANY_NUMBER,
    BasicContent,
    MatchingContent,
    MultipleChoiceContent,
    MultipleResponseContent,
    NoteContent,
    NoteKind,
    NumericAlternative,
    NumericContent,
    TrueFalseContent,
    TypedContent,
)

# No honest question has more answers; a hostile one with a million would take minutes.
MAX_ANSWERS = 1000
Render = Callable[[Piece], str]
ESSAY_BACK = "Essay question — compare your answer with your notes."
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}
_SPLITTERS = {"~=": re.compile("([~=])"), "=": re.compile("(=)")}


class Found:
    """Problems and notices about one question, each with its file line."""

    __slots__ = ("_label", "_text", "_title", "block", "default_html", "errors", "warnings")

    def __init__(self, block: Block, title: str, text: str) -> None:
        self.block = block
        self.default_html = False  # the question text's format, the default of its others
        self.errors: list[tuple[int, str]] = []
        self.warnings: list[tuple[int, str]] = []
        self._label = ""
        self._title = title
        self._text = text

    @property
    def label(self) -> str:
        """``question 'Q5'``, to start every message (made when the first one is)."""
        if not self._label:
            self._label = question_label(self._title, self._text)
        return self._label

    def error(self, at: int, message: str) -> None:
        """Record a problem that stops the import, at offset ``at`` of the block's text."""
        self.errors.append((self.block.line_at(at), f"{self.label}: {message}"))

    def warn(self, at: int, message: str) -> None:
        """Record something changed or left out on purpose."""
        self.warnings.append((self.block.line_at(at), f"{self.label}: {message}"))

    def since(self, count: int) -> bool:
        """Whether problems were recorded after the first ``count``."""
        return len(self.errors) > count


class Draft(NamedTuple):
    """A note's kind, every text it shows, and how to build its content once rendered."""

    kind: NoteKind
    pieces: tuple[Piece, ...]
    make: Callable[[Render], NoteContent]


class _Answer:
    __slots__ = ("feedback", "text", "weight")

    def __init__(self, text: Piece, weight: float, feedback: Piece) -> None:
        self.text = text
        self.weight = weight
        self.feedback = feedback


def read_answers(text: str, at: int, question: Piece, general: Piece, found: Found) -> Draft | None:
    """The draft that the answer block ``text`` (trimmed, at offset ``at``) makes;
    ``None`` once a problem is recorded."""
    if not text:
        return _essay(question, general, found)
    markers = text.count("=") + text.count("~")
    if markers > MAX_ANSWERS:
        found.error(
            at,
            f"{markers:,} answers ('=' and '~') in one question, more than the "
            f"{MAX_ANSWERS:,} QuizApp reads: split the question",
        )
        return None
    if text.startswith("#"):
        return _numeric(text, at, question, found)
    if "~" in text:
        return _choices(text, at, question, found)
    if "=" in text and "->" in text:
        return _matching(text, at, question, found)
    head = trim(text.split("#", 1)[0])
    if head in _TRUE_FALSE:
        return _true_false(text, at, question, found)
    if head.upper() in _TRUE_FALSE:
        found.warn(
            at,
            f"'{head}' is read as a short answer, as Moodle reads it; "
            f"write {head.upper()} for a true/false question",
        )
    return _typed(text, at, question, found)


def _essay(question: Piece, general: Piece, found: Found) -> Draft:
    found.warn(question.at, "essay question kept as a self-graded card (no model answer)")
    back = Piece(ESSAY_BACK, False, question.at)
    if general.text:
        # One piece, so that the sentence and the general feedback share a format.
        if general.html:
            back = Piece(f"{plain_to_html(ESSAY_BACK)}<br><br>{general.text}", True, general.at)
        else:
            back = Piece(f"{ESSAY_BACK}\n\n{general.text}", False, general.at)
    return Draft(
        NoteKind.BASIC,
        (question, back),
        lambda render: BasicContent(render(question), render(back)),
    )


def _true_false(text: str, at: int, question: Piece, found: Found) -> Draft:
    # Moodle's order is answer#feedback-when-wrong#feedback-when-right.
    bits = [*text.split("#", 2), "", ""]
    value = _TRUE_FALSE[trim(bits[0])]
    wrong = piece_from(bits[1], found.default_html, at)
    right = piece_from(bits[2], found.default_html, at)
    picked_true, picked_false = (right, wrong) if value else (wrong, right)
    return Draft(
        NoteKind.TRUE_FALSE,
        (question, wrong, right),
        lambda render: TrueFalseContent(
            render(question), value, render(picked_true), render(picked_false)
        ),
    )


def _parts(text: str, at: int, markers: str) -> list[tuple[str, str, int]]:
    """The parts that each ``markers`` character opens: (marker, text, offset), the first
    one's marker ''.  The first is left out when it is blank, as Moodle drops an empty
    first answer."""
    split = _SPLITTERS[markers].split(text)
    parts = [("", split[0], at)]
    offset = at + len(split[0])
    for index in range(1, len(split), 2):
        part = split[index + 1]
        parts.append((split[index], part, offset + 1))
        offset += 1 + len(part)
    if not split[0].strip(PHP_SPACE):
        parts.pop(0)
    return parts


def _answer(
    part: str, at: int, default: float, found: Found, *, full: bool = False
) -> _Answer | None:
    """One answer: its weight (``full`` for a choice's ``=``), text and ``#feedback``."""
    whole, at = trimmed(part, at)
    raw = whole
    weight = default
    if full:
        # In a choice question "=" is full marks and nothing after it is a weight.
        weight = 1.0
        if raw.startswith("%") and split_weight(raw)[0] is not None:
            found.warn(
                at,
                f"'={raw[: raw.index('%', 1) + 1]}' gives full marks in a multiple-choice question "
                "and its '%...%' stays in the choice text, as in Moodle; "
                "write '~%n%' for partial credit",
            )
    elif raw.startswith("%"):
        value, raw, problem = split_weight(raw)
        if problem:
            found.error(at, problem)
            return None
        if value is None and raw.startswith("%"):
            found.warn(at, f"'{restore(raw)}' starts with '%' but no weight like %50%")
        weight = default if value is None else value
    hash_at = raw.find("#")
    if hash_at < 0:
        return _Answer(piece_from(raw, found.default_html, at), weight, _NO_FEEDBACK)
    feedback_at = at + len(whole) - len(raw) + hash_at
    return _Answer(
        piece_from(raw[:hash_at], found.default_html, at),
        weight,
        piece_from(raw[hash_at + 1 :], found.default_html, feedback_at),
    )


_NO_FEEDBACK = Piece("", False, 0)


def _answers(text: str, at: int, markers: str, default: float, found: Found) -> list[_Answer]:
    """The non-empty answers of a choice or short-answer block (empty ones are reported)."""
    answers = []
    choice = markers == "~="
    for marker, part, offset in _parts(text, at, markers):
        parsed = _answer(part, offset, default, found, full=choice and marker == "=")
        if parsed is None:
            continue
        if not parsed.text.text:
            where = offset + leading_space(part)
            found.warn(where, "an empty answer is left out, as Moodle leaves it out")
            continue
        answers.append(parsed)
    return answers


def _choices(text: str, at: int, question: Piece, found: Found) -> Draft | None:
    single = "=" in text  # Moodle: no "=" means several choices may be right
    before = len(found.errors)
    answers = _answers(text, at, "~=", 0.0, found)
    if found.since(before):
        return None
    if len(answers) < 2:
        found.error(at, f"a multiple-choice question needs 2 choices, not {len(answers)}")
        return None
    weights = tuple(choice.weight for choice in answers)
    pieces = (question, *(a.text for a in answers), *(a.feedback for a in answers))
    if single:
        if 1.0 not in weights:
            found.error(at, "no choice is marked right with '='")
            return None

        def single_choice(render: Render) -> NoteContent:
            choices, feedback = _render_answers(answers, render)
            return MultipleChoiceContent(
                render(question), choices, weights.index(1.0), weights, feedback
            )

        return Draft(NoteKind.MULTIPLE_CHOICE, pieces, single_choice)
    total = sum(weight for weight in weights if weight > 0)
    if total <= 0:
        found.error(at, "no choice is right: mark one with '=' or weigh them like ~%50%")
        return None
    if abs(total - 1.0) > 0.005:
        found.warn(
            at,
            f"the right choices' weights add up to {total * 100:g}%, not 100%, "
            "so ticking all of them does not give full marks",
        )

    def several(render: Render) -> NoteContent:
        choices, feedback = _render_answers(answers, render)
        return MultipleResponseContent(render(question), choices, weights, feedback)

    return Draft(NoteKind.MULTIPLE_RESPONSE, pieces, several)


def _render_answers(
    answers: list[_Answer], render: Render
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return tuple([render(a.text) for a in answers]), tuple([render(a.feedback) for a in answers])


def _typed(text: str, at: int, question: Piece, found: Found) -> Draft | None:
    before = len(found.errors)
    answers = _answers(text, at, "=", 1.0, found)
    if found.since(before):
        return None
    if not answers:
        found.error(at, "a short-answer question needs an answer, such as {=Paris}")
        return None
    if max(a.weight for a in answers) < 1.0:
        found.error(at, "no answer gives full marks (100%)")
        return None
    # Moodle keeps short answers as plain text, whatever their format marker says.
    texts = tuple(Piece(a.text.text, False, a.text.at) for a in answers)
    weights = tuple(a.weight for a in answers)
    return Draft(
        NoteKind.TYPED,
        (question, *texts, *(a.feedback for a in answers)),
        lambda render: TypedContent(
            render(question),
            tuple([render(text) for text in texts]),
            weights,
            tuple([render(a.feedback) for a in answers]),
        ),
    )


def _matching(text: str, at: int, question: Piece, found: Found) -> Draft | None:
    before = len(found.errors)
    pairs: list[tuple[Piece, Piece]] = []
    distractors: list[Piece] = []
    for _, raw, offset in _parts(text, at, "="):
        part, offset = trimmed(raw, offset)
        arrow = part.find("->")
        if arrow < 0:
            found.error(offset, f"matching item '={restore(part)}' has no '->'")
            continue
        left = piece_from(part[:arrow], found.default_html, offset)
        right = Piece(trim(restore(part[arrow + 2 :])), False, offset)
        if not right.text and left.text:
            found.error(offset, f"matching item '{left.text}' has nothing after '->'")
        elif not right.text:
            found.warn(offset, "an empty matching item '= ->' is left out")
        elif left.text:
            pairs.append((left, right))
        else:
            distractors.append(right)
    if not found.since(before) and len(pairs) < 2:
        found.error(at, f"a matching question needs 2 pairs or more, not {len(pairs)}")
    if found.since(before):
        return None
    pieces = (question, *(p for pair in pairs for p in pair), *distractors)
    return Draft(
        NoteKind.MATCHING,
        pieces,
        lambda render: MatchingContent(
            render(question),
            tuple([(render(left), render(right)) for left, right in pairs]),
            tuple([render(extra) for extra in distractors]),
        ),
    )


@dataclass(frozen=True, slots=True)
class _Range:
    value: float
    tolerance: float
    low: float  # kept as written, so that a range 1..5 is not rounded through its middle
    high: float
    weight: float
    feedback: Piece

    def alternative(self, render: Render) -> NumericAlternative:
        return NumericAlternative(self.low, self.high, self.weight, render(self.feedback))


def _numeric(text: str, at: int, question: Piece, found: Found) -> Draft | None:
    body, body_at = text[1:], at + 1
    # As in Moodle, the first "~" starts the feedback for every other number.
    tilde = body.find("~")
    wrong = (body[tilde:], body_at + tilde) if tilde >= 0 else None
    body = body[:tilde] if tilde >= 0 else body
    parts = _parts(body, body_at, "=")
    if not parts:
        found.error(at, "a numerical question needs a number after '#', such as {#42}")
        return None
    before = len(found.errors)
    ranges = [_number_range(part, offset, found) for _, part, offset in parts]
    other = _wrong_feedback(*wrong, found) if wrong is not None else None
    if found.since(before):
        return None
    known = [item for item in ranges if item is not None]
    first = next((item for item in known if item.weight == 1.0), None)
    if first is None:
        found.error(at, "no answer gives full marks (100%)")
        return None
    rest = [item for item in known if item is not first]

    def numeric(render: Render) -> NoteContent:
        alternatives = [item.alternative(render) for item in rest]
        if other is not None:  # Moodle's "~#feedback": feedback for any other number
            alternatives.append(NumericAlternative(-ANY_NUMBER, ANY_NUMBER, 0.0, render(other)))
        return NumericContent(
            render(question),
            first.value,
            first.tolerance,
            alternatives=tuple(alternatives),
            feedback=render(first.feedback),
        )

    extra = (other,) if other is not None else ()
    pieces = (question, first.feedback, *(r.feedback for r in rest), *extra)
    return Draft(NoteKind.NUMERIC, pieces, numeric)


def _number_range(part: str, at: int, found: Found) -> _Range | None:
    """``=%50%3.14:0.01#feedback`` or ``1..5`` as a value and margin (a range: its middle)."""
    parsed = _answer(part, at, 1.0, found)
    if parsed is None:
        return None
    numbers = read_range(parsed.text.text)
    if isinstance(numbers, str):
        found.error(parsed.text.at, numbers)
        return None
    return _Range(*numbers, parsed.weight, parsed.feedback)


def read_range(text: str) -> tuple[float, float, float, float] | str:
    """The value, margin, low and high end of a numerical answer ``3.14:0.01`` or
    ``3.141..3.142`` (a range: its middle), or what is wrong with it."""
    if text.find("..") > 0:
        low_text, high_text = text.split("..", 1)
        low, high = read_number(low_text), read_number(high_text)
        if low is None or high is None:
            return f"'{text}' is not a range of numbers like 3.141..3.142"
        if low > high:
            return f"the range '{text}' goes from high to low"
        if not (within_bound(low) and within_bound(high)):
            return out_of_range("the range", text)
        middle = (low + high) / 2
        numbers = (middle, high - middle, low, high)
    else:
        value_text, margin_text = text.split(":", 1) if text.find(":") > 0 else (text, "0")
        value, margin = read_number(value_text), read_number(margin_text)
        if value is None:
            return f"numerical answer '{trim(value_text)}' is not a number"
        if not within_bound(value):
            return out_of_range("numerical answer", trim(value_text))
        if margin is None or margin < 0:
            return f"the margin '{trim(margin_text)}' of {value} is not a number ≥ 0"
        if not within_bound(margin):
            return out_of_range("the margin", trim(margin_text))
        numbers = (value, margin, value - margin, value + margin)
    middle_value, margin_value, low_value, high_value = (float(number) for number in numbers)
    if not all(map(math.isfinite, (margin_value, low_value, high_value))):
        return f"'{text}' is beyond the numbers QuizApp can hold"
    return middle_value, margin_value, low_value, high_value


def _wrong_feedback(wrong: str, at: int, found: Found) -> Piece | None:
    """Moodle's ``~#feedback``: what any other number is told."""
    text, _, feedback = wrong[1:].partition("#")
    if trim(restore(text)):
        found.warn(
            at,
            f"'~{trim(restore(text))}' is left out: after '~' a numerical question "
            "takes only '#feedback' for wrong answers",
        )
    piece = piece_from(feedback, found.default_html, at)
    return piece if piece.text else None
