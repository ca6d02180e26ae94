"""Moodle's question types, each read into the content of one QuizApp note kind.

Each reader records its problems on the :class:`QuestionFields` and returns
``None`` when the question cannot become a note.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.etree.ElementTree import Element

from quizapp.banks.moodle_reading import QuestionFields
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

ESSAY_BACK = "Essay question — compare your answer with your notes."

Read = tuple[NoteKind, NoteContent]


@dataclass(frozen=True, slots=True)
class Answer:
    """One ``<answer>``: its text in the note's format, credit -1..1 and feedback."""

    element: Element
    text: str
    weight: float
    feedback: str


def read_answers(fields: QuestionFields, *, as_text: bool = True) -> list[Answer] | None:
    """The question's answers; texts converted unless ``as_text`` is false (kept raw)."""
    answers = []
    failed = False
    for element in fields.element.findall("answer"):
        weight = fields.fraction(element)
        # An <answer> carries its own format and files, as a question text does.
        text = fields.text(element) if as_text else fields.value("text", element)
        feedback = fields.child_text("feedback", element)
        if weight is None:
            failed = True
            continue
        answers.append(Answer(element, text, weight, feedback))
    return None if failed else answers


def _feedback(answers: list[Answer]) -> tuple[str, ...]:
    feedback = tuple(answer.feedback for answer in answers)
    return feedback if any(feedback) else ()


def read_multichoice(fields: QuestionFields) -> Read | None:
    """``multichoice``: one answer (``<single>``) or several to tick."""
    single = fields.flag("single", default=True)
    # Moodle shuffles unless told not to ("all of the above" must stay last).
    fixed_order = not fields.flag("shuffleanswers", default=True)
    answers = read_answers(fields)
    if answers is None:
        return None
    if len(answers) < 2:
        fields.error(
            None, f"a multiple-choice question needs 2 answers or more, not {len(answers)}"
        )
        return None
    for answer in answers:
        if not answer.text:
            fields.error(answer.element, "an answer has no text")
    question = fields.child_text("questiontext")
    choices = tuple(answer.text for answer in answers)
    weights = tuple(answer.weight for answer in answers)
    if max(weights) <= 0:
        fields.error(None, "no answer gives any credit")
        return None
    if not single:
        content = MultipleResponseContent(
            question, choices, weights, _feedback(answers), fixed_order
        )
        return NoteKind.MULTIPLE_RESPONSE, content
    correct = weights.index(max(weights))
    content_mc = MultipleChoiceContent(
        question, choices, correct, weights, _feedback(answers), fixed_order
    )
    return NoteKind.MULTIPLE_CHOICE, content_mc


def read_truefalse(fields: QuestionFields) -> Read | None:
    """``truefalse``: the answer whose text is "true" or "false" with full credit."""
    answers = read_answers(fields, as_text=False)
    if answers is None:
        return None
    by_value = {answer.text.strip().lower(): answer for answer in answers}
    true, false = by_value.get("true"), by_value.get("false")
    if true is None or false is None:
        fields.error(None, "a true/false question needs a 'true' and a 'false' answer")
        return None
    statement = fields.child_text("questiontext")
    content = TrueFalseContent(statement, true.weight > false.weight, true.feedback, false.feedback)
    return NoteKind.TRUE_FALSE, content


def read_shortanswer(fields: QuestionFields) -> Read | None:
    """``shortanswer``: typed answers; ``*`` stays a wildcard."""
    if fields.flag("usecase", default=False):
        fields.warn(
            fields.element.find("usecase"),
            "Moodle compares its answers with case; QuizApp ignores case",
        )
    answers = read_answers(fields)
    if answers is None:
        return None
    if not answers or max(answer.weight for answer in answers) <= 0:
        fields.error(None, "a short-answer question needs an answer that gives credit")
        return None
    for answer in answers:
        if not answer.text:
            fields.error(answer.element, "an answer has no text")
    content = TypedContent(
        fields.child_text("questiontext"),
        tuple(answer.text for answer in answers),
        tuple(answer.weight for answer in answers),
        _feedback(answers),
    )
    return NoteKind.TYPED, content


def read_unit(fields: QuestionFields) -> str:
    """The unit with multiplier 1 of ``<units>``; other units are dropped with a warning."""
    unit = ""
    others = []
    for element in fields.element.findall("units/unit"):
        name = fields.value("unit_name", element)
        multiplier = fields.number(
            fields.value("multiplier", element) or "1", element, "multiplier"
        )
        if multiplier == 1 and not unit:
            unit = name
        elif name:
            others.append(name)
    if others:
        fields.warn(
            fields.element.find("units"),
            f"only the unit '{unit}' is kept; {', '.join(others)} not accepted",
        )
    return fields.plain(unit)


def _tolerance(fields: QuestionFields, answer: Answer) -> float | None:
    text = fields.value("tolerance", answer.element) or "0"
    tolerance = fields.number(text, answer.element, "the tolerance")
    return None if tolerance is None else abs(tolerance)


def read_numerical(fields: QuestionFields) -> Read | None:
    """``numerical``: the first full-credit answer, other answers as alternatives."""
    answers = read_answers(fields, as_text=False)
    if answers is None:
        return None
    ranges: list[tuple[Answer, float, float]] = []
    others: list[NumericAlternative] = []
    for answer in answers:
        if answer.text.strip() == "*":  # any other number
            others.append(
                NumericAlternative(-ANY_NUMBER, ANY_NUMBER, answer.weight, answer.feedback)
            )
            continue
        value = fields.number(answer.text, answer.element, "a numerical answer")
        tolerance = _tolerance(fields, answer)
        if value is not None and tolerance is not None:
            ranges.append((answer, value, tolerance))
    main = next((entry for entry in ranges if entry[0].weight == 1), None)
    if main is None:
        if len(ranges) < len(answers) - len(others):
            return None  # an unreadable answer is reported already
        fields.error(None, "a numerical question needs an answer with full credit (100)")
        return None
    alternatives = tuple(
        NumericAlternative(value - tolerance, value + tolerance, answer.weight, answer.feedback)
        for answer, value, tolerance in ranges
        if answer is not main[0]
    )
    question = fields.child_text("questiontext")
    content = NumericContent(
        question,
        main[1],
        main[2],
        read_unit(fields),
        (*alternatives, *others),  # ranges are tried in order: the catch-all goes last
        main[0].feedback,
    )
    return NoteKind.NUMERIC, content


def read_matching(fields: QuestionFields) -> Read | None:
    """``matching``: subquestions are pairs; one with no text is a distractor answer."""
    fields.flag("shuffleanswers", default=True)
    pairs = []
    distractors = []
    for element in fields.element.findall("subquestion"):
        prompt = fields.text(element)
        answer = fields.plain(fields.value("answer", element))
        if not answer:
            fields.error(element, "a subquestion has no answer")
        elif prompt:
            pairs.append((prompt, answer))
        else:
            distractors.append(answer)
    if not pairs:
        fields.error(None, "a matching question needs at least one subquestion with text")
        return None
    content = MatchingContent(fields.child_text("questiontext"), tuple(pairs), tuple(distractors))
    return NoteKind.MATCHING, content


def read_essay(fields: QuestionFields) -> Read | None:
    """``essay``: a card graded by the learner, the grader's notes on the back."""
    fields.warn(None, "an essay becomes a card you grade yourself")
    back = fields.child_text("graderinfo") or fields.plain(ESSAY_BACK)
    return NoteKind.BASIC, BasicContent(fields.child_text("questiontext"), back)
