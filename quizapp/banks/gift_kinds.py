"""The answer block of a GIFT question, read into a draft of the note it makes.

The kind is chosen in Moodle's order: ``{}`` essay, ``{#...}`` numerical, a ``~``
anywhere multiple choice, ``=`` with ``->`` matching, T/TRUE/F/FALSE true/false,
anything else short answer.  A draft keeps every text as a :class:`Piece` so the
caller can choose one format (plain or HTML) for the whole note afterwards.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from quizapp.banks.bounds import out_of_range, within_bound
from quizapp.banks.gift_text import Piece, Span, piece_from, read_number, restore, split_weight
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


@dataclass
class Found:
    """Problems and notices about one question, each with its file line."""

    label: str  # "question 'Q5'", to start every message
    default_html: bool  # the question text's format, the default of its other texts
    errors: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[tuple[int, str]] = field(default_factory=list)

    def error(self, line: int, message: str) -> None:
        """Record a problem that stops the import."""
        self.errors.append((line, f"{self.label}: {message}"))

    def warn(self, line: int, message: str) -> None:
        """Record something changed or left out on purpose."""
        self.warnings.append((line, f"{self.label}: {message}"))

    def since(self, count: int) -> bool:
        """Whether problems were recorded after the first ``count``."""
        return len(self.errors) > count


@dataclass(frozen=True, slots=True)
class Draft:
    """A note's kind, every text it shows, and how to build its content once rendered."""

    kind: NoteKind
    pieces: tuple[Piece, ...]
    make: Callable[[Render], NoteContent]


@dataclass(frozen=True, slots=True)
class _Answer:
    text: Piece
    weight: float
    feedback: Piece


def read_answers(answer: Span, question: Piece, general: Piece, found: Found) -> Draft | None:
    """The draft that the answer block ``answer`` makes; ``None`` once a problem is recorded."""
    text = answer.text
    if not text:
        return _essay(question, general, found)
    markers = text.count("=") + text.count("~")
    if markers > MAX_ANSWERS:
        found.error(
            answer.line,
            f"{markers:,} answers ('=' and '~') in one question, more than the "
            f"{MAX_ANSWERS:,} QuizApp reads: split the question",
        )
        return None
    if text.startswith("#"):
        return _numeric(answer, question, found)
    if "~" in text:
        return _choices(answer, question, found)
    if "=" in text and "->" in text:
        return _matching(answer, question, found)
    head = trim(text.split("#", 1)[0])
    if head in _TRUE_FALSE:
        return _true_false(answer, question, found)
    if head.upper() in _TRUE_FALSE:
        found.warn(
            answer.line,
            f"'{head}' is read as a short answer, as Moodle reads it; "
            f"write {head.upper()} for a true/false question",
        )
    return _typed(answer, question, found)


def _essay(question: Piece, general: Piece, found: Found) -> Draft:
    found.warn(question.line, "essay question kept as a self-graded card (no model answer)")
    back = Piece(ESSAY_BACK, False, question.line)
    if general.text:
        # One piece, so that the sentence and the general feedback share a format.
        if general.html:
            back = Piece(f"{plain_to_html(ESSAY_BACK)}<br><br>{general.text}", True, general.line)
        else:
            back = Piece(f"{ESSAY_BACK}\n\n{general.text}", False, general.line)
    return Draft(
        NoteKind.BASIC,
        (question, back),
        lambda render: BasicContent(render(question), render(back)),
    )


def _true_false(answer: Span, question: Piece, found: Found) -> Draft:
    # Moodle's order is answer#feedback-when-wrong#feedback-when-right.
    bits = [*answer.text.split("#", 2), "", ""]
    value = _TRUE_FALSE[trim(bits[0])]
    wrong = piece_from(bits[1], found.default_html, answer.line)
    right = piece_from(bits[2], found.default_html, answer.line)
    picked_true, picked_false = (right, wrong) if value else (wrong, right)
    return Draft(
        NoteKind.TRUE_FALSE,
        (question, wrong, right),
        lambda render: TrueFalseContent(
            render(question), value, render(picked_true), render(picked_false)
        ),
    )


def _answer(part: Span, default: float, found: Found, *, full: bool = False) -> _Answer | None:
    """One answer: its weight (``full`` for a choice's ``=``), text and ``#feedback``."""
    part = part.strip()
    raw = part.text
    weight = default
    if full:
        # In a choice question "=" is full marks and nothing after it is a weight.
        weight = 1.0
        if split_weight(raw)[0] is not None:
            found.warn(
                part.line,
                f"'={raw[: raw.index('%', 1) + 1]}' gives full marks in a multiple-choice question "
                "and its '%...%' stays in the choice text, as in Moodle; "
                "write '~%n%' for partial credit",
            )
    else:
        value, raw, problem = split_weight(raw)
        if problem:
            found.error(part.line, problem)
            return None
        if value is None and raw.startswith("%"):
            found.warn(part.line, f"'{restore(raw)}' starts with '%' but no weight like %50%")
        weight = default if value is None else value
    hash_at = raw.find("#")
    text, feedback = (raw, "") if hash_at < 0 else (raw[:hash_at], raw[hash_at + 1 :])
    feedback_line = part.line_at(len(part.text) - len(raw) + max(hash_at, 0))
    return _Answer(
        piece_from(text, found.default_html, part.line),
        weight,
        piece_from(feedback, found.default_html, feedback_line),
    )


def _answers(answer: Span, markers: str, default: float, found: Found) -> list[_Answer]:
    """The non-empty answers of a choice or short-answer block (empty ones are reported)."""
    answers = []
    for marker, part in answer.pieces(markers):
        parsed = _answer(part, default, found, full=marker == "=" and markers == "~=")
        if parsed is None:
            continue
        if not parsed.text.text:
            found.warn(part.strip().line, "an empty answer is left out, as Moodle leaves it out")
            continue
        answers.append(parsed)
    return answers


def _choices(answer: Span, question: Piece, found: Found) -> Draft | None:
    single = "=" in answer.text  # Moodle: no "=" means several choices may be right
    before = len(found.errors)
    answers = _answers(answer, "~=", 0.0, found)
    if found.since(before):
        return None
    if len(answers) < 2:
        found.error(answer.line, f"a multiple-choice question needs 2 choices, not {len(answers)}")
        return None
    weights = tuple(choice.weight for choice in answers)
    pieces = (question, *(a.text for a in answers), *(a.feedback for a in answers))
    if single:
        if 1.0 not in weights:
            found.error(answer.line, "no choice is marked right with '='")
            return None

        def single_choice(render: Render) -> NoteContent:
            choices, feedback = _render_answers(answers, render)
            return MultipleChoiceContent(
                render(question), choices, weights.index(1.0), weights, feedback
            )

        return Draft(NoteKind.MULTIPLE_CHOICE, pieces, single_choice)
    total = sum(weight for weight in weights if weight > 0)
    if total <= 0:
        found.error(answer.line, "no choice is right: mark one with '=' or weigh them like ~%50%")
        return None
    if abs(total - 1.0) > 0.005:
        found.warn(
            answer.line,
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
    return tuple(render(a.text) for a in answers), tuple(render(a.feedback) for a in answers)


def _typed(answer: Span, question: Piece, found: Found) -> Draft | None:
    before = len(found.errors)
    answers = _answers(answer, "=", 1.0, found)
    if found.since(before):
        return None
    if not answers:
        found.error(answer.line, "a short-answer question needs an answer, such as {=Paris}")
        return None
    if max(a.weight for a in answers) < 1.0:
        found.error(answer.line, "no answer gives full marks (100%)")
        return None
    # Moodle keeps short answers as plain text, whatever their format marker says.
    texts = tuple(Piece(a.text.text, False, a.text.line) for a in answers)
    weights = tuple(a.weight for a in answers)
    return Draft(
        NoteKind.TYPED,
        (question, *texts, *(a.feedback for a in answers)),
        lambda render: TypedContent(
            render(question),
            tuple(render(text) for text in texts),
            weights,
            tuple(render(a.feedback) for a in answers),
        ),
    )


def _matching(answer: Span, question: Piece, found: Found) -> Draft | None:
    before = len(found.errors)
    pairs: list[tuple[Piece, Piece]] = []
    distractors: list[Piece] = []
    for _, part in answer.pieces("="):
        part = part.strip()
        arrow = part.find("->")
        if arrow < 0:
            found.error(part.line, f"matching item '={restore(part.text)}' has no '->'")
            continue
        left = piece_from(part.cut(0, arrow).text, found.default_html, part.line)
        right = Piece(trim(restore(part.cut(arrow + 2).text)), False, part.line)
        if not right.text and left.text:
            found.error(part.line, f"matching item '{left.text}' has nothing after '->'")
        elif not right.text:
            found.warn(part.line, "an empty matching item '= ->' is left out")
        elif left.text:
            pairs.append((left, right))
        else:
            distractors.append(right)
    if not found.since(before) and len(pairs) < 2:
        found.error(answer.line, f"a matching question needs 2 pairs or more, not {len(pairs)}")
    if found.since(before):
        return None
    pieces = (question, *(p for pair in pairs for p in pair), *distractors)
    return Draft(
        NoteKind.MATCHING,
        pieces,
        lambda render: MatchingContent(
            render(question),
            tuple((render(left), render(right)) for left, right in pairs),
            tuple(render(extra) for extra in distractors),
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


def _numeric(answer: Span, question: Piece, found: Found) -> Draft | None:
    body = answer.cut(1)
    # As in Moodle, the first "~" starts the feedback for every other number.
    tilde = body.find("~")
    wrong = body.cut(tilde) if tilde >= 0 else None
    body = body.cut(0, tilde) if tilde >= 0 else body
    parts = body.pieces("=")
    if not parts:
        found.error(answer.line, "a numerical question needs a number after '#', such as {#42}")
        return None
    before = len(found.errors)
    ranges = [_number_range(part, found) for _, part in parts]
    other = _wrong_feedback(wrong, found) if wrong is not None else None
    if found.since(before):
        return None
    known = [item for item in ranges if item is not None]
    first = next((item for item in known if item.weight == 1.0), None)
    if first is None:
        found.error(answer.line, "no answer gives full marks (100%)")
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


def _number_range(part: Span, found: Found) -> _Range | None:
    """``=%50%3.14:0.01#feedback`` or ``1..5`` as a value and margin (a range: its middle)."""
    parsed = _answer(part, 1.0, found)
    if parsed is None:
        return None
    text, line = parsed.text.text, parsed.text.line
    if text.find("..") > 0:
        low_text, high_text = text.split("..", 1)
        low, high = read_number(low_text), read_number(high_text)
        if low is None or high is None:
            found.error(line, f"'{text}' is not a range of numbers like 3.141..3.142")
            return None
        if low > high:
            found.error(line, f"the range '{text}' goes from high to low")
            return None
        if not (within_bound(low) and within_bound(high)):
            found.error(line, out_of_range("the range", text))
            return None
        middle = (low + high) / 2
        numbers = (middle, high - middle, low, high)
    else:
        value_text, margin_text = text.split(":", 1) if text.find(":") > 0 else (text, "0")
        value, margin = read_number(value_text), read_number(margin_text)
        if value is None:
            found.error(line, f"numerical answer '{trim(value_text)}' is not a number")
            return None
        if not within_bound(value):
            found.error(line, out_of_range("numerical answer", trim(value_text)))
            return None
        if margin is None or margin < 0:
            found.error(line, f"the margin '{trim(margin_text)}' of {value} is not a number ≥ 0")
            return None
        if not within_bound(margin):
            found.error(line, out_of_range("the margin", trim(margin_text)))
            return None
        numbers = (value, margin, value - margin, value + margin)
    middle_value, margin_value, low_value, high_value = (float(number) for number in numbers)
    if not all(map(math.isfinite, (margin_value, low_value, high_value))):
        found.error(line, f"'{text}' is beyond the numbers QuizApp can hold")
        return None
    return _Range(middle_value, margin_value, low_value, high_value, parsed.weight, parsed.feedback)


def _wrong_feedback(wrong: Span, found: Found) -> Piece | None:
    """Moodle's ``~#feedback``: what any other number is told."""
    text, _, feedback = wrong.cut(1).text.partition("#")
    if trim(restore(text)):
        found.warn(
            wrong.line,
            f"'~{trim(restore(text))}' is left out: after '~' a numerical question "
            "takes only '#feedback' for wrong answers",
        )
    piece = piece_from(feedback, found.default_html, wrong.line)
    return piece if piece.text else None
