"""Reading each note kind's fields from the native YAML format."""

from __future__ import annotations

from collections.abc import Callable

import yaml

from quizapp.banks.native_exercise import read_exercise
from quizapp.banks.yaml_nodes import BankReader, Fields
from quizapp.domain import (
    BasicContent,
    ClozeContent,
    MatchingContent,
    MultipleChoiceContent,
    MultipleResponseContent,
    NoteContent,
    NoteKind,
    NumericAlternative,
    NumericContent,
    TrueFalseContent,
    TypedContent,
    cloze_numbers,
)

KIND_FIELDS: dict[NoteKind, set[str]] = {
    NoteKind.BASIC: {"front", "back"},
    NoteKind.BASIC_REVERSED: {"front", "back"},
    NoteKind.TRUE_FALSE: {"statement", "answer", "feedback_true", "feedback_false"},
    NoteKind.MULTIPLE_CHOICE: {"question", "choices", "answer", "weights", "feedback", "shuffle"},
    NoteKind.MULTIPLE_RESPONSE: {
        "question", "choices", "answers", "weights", "feedback", "shuffle",
    },
    NoteKind.TYPED: {"question", "answer", "also_accept", "weights", "feedback"},
    NoteKind.NUMERIC: {"question", "answer", "tolerance", "unit", "feedback", "alternatives"},
    NoteKind.MATCHING: {"question", "pairs", "distractors"},
    NoteKind.CLOZE: {"text", "extra"},
    NoteKind.EXERCISE: {
        "variables", "constraints", "steps", "question", "answer", "tolerance",
        "tolerance_kind", "unit", "distractors", "multiple_choice", "answer_choices",
        "tests",
    },
}  # fmt: skip
ContentReader = Callable[[Fields, BankReader], NoteContent | None]


def _basic(fields: Fields, reader: BankReader) -> NoteContent:
    return BasicContent(front=fields.text("front"), back=fields.text("back"))


def _true_false(fields: Fields, reader: BankReader) -> NoteContent:
    return TrueFalseContent(
        statement=fields.text("statement"),
        answer=fields.boolean("answer"),
        feedback_true=fields.text("feedback_true", required=False),
        feedback_false=fields.text("feedback_false", required=False),
    )


def _choices(fields: Fields, reader: BankReader) -> tuple[str, ...] | None:
    choices = fields.text_list("choices")
    if not 2 <= len(choices) <= 9:
        reader.issue(fields.where("choices"), f"needs 2 to 9 choices, not {len(choices)}")
        return None
    if len(set(choices)) != len(choices):
        reader.issue(fields.where("choices"), "two choices have the same text")
    return choices


def _parallel(
    fields: Fields, reader: BankReader, count: int
) -> tuple[tuple[float, ...], tuple[str, ...]]:
    """The optional ``weights`` and ``feedback`` lists, one item per choice or answer."""
    weights = fields.number_list("weights")
    feedback = fields.text_list("feedback")
    for name, values in (("weights", weights), ("feedback", feedback)):
        if values and len(values) != count:
            reader.issue(fields.where(name), f"'{name}' needs {count} items, one per choice")
    if any(not -1 <= weight <= 1 for weight in weights):
        reader.issue(fields.where("weights"), "every weight must be between -1 and 1")
    return weights, feedback


def _multiple_choice(fields: Fields, reader: BankReader) -> NoteContent | None:
    question = fields.text("question")
    choices = _choices(fields, reader)
    answer = fields.text("answer")
    if choices is None:
        return None
    weights, feedback = _parallel(fields, reader, len(choices))
    if answer not in choices:
        reader.issue(fields.where("answer"), f"the answer '{answer}' is not one of the choices")
        return None
    return MultipleChoiceContent(
        question, choices, choices.index(answer), weights, feedback, _fixed_order(fields)
    )


def _multiple_response(fields: Fields, reader: BankReader) -> NoteContent | None:
    question = fields.text("question")
    choices = _choices(fields, reader)
    right = fields.text_list("answers")
    if choices is None:
        return None
    weights, feedback = _parallel(fields, reader, len(choices))
    if not right and not weights:
        reader.issue(fields.line, "give the right choices in 'answers' (or 'weights')")
    for answer in right:
        if answer not in choices:
            reader.issue(fields.where("answers"), f"'{answer}' is not one of the choices")
    if not weights:
        share = 1 / max(1, len(right))
        weights = tuple(share if choice in right else -1.0 for choice in choices)
    return MultipleResponseContent(question, choices, weights, feedback, _fixed_order(fields))


def _fixed_order(fields: Fields) -> bool:
    """``shuffle: false``: the choices are shown in the order written (the reviewer
    shuffles them at each showing otherwise)."""
    return not fields.boolean("shuffle", required=False, default=True)


def _typed(fields: Fields, reader: BankReader) -> NoteContent:
    answers = (fields.text("answer"), *fields.text_list("also_accept"))
    weights, feedback = _parallel(fields, reader, len(answers))
    return TypedContent(fields.text("question"), answers, weights, feedback)


def _numeric(fields: Fields, reader: BankReader) -> NoteContent:
    tolerance = fields.number("tolerance", required=False)
    if tolerance < 0:
        reader.issue(fields.where("tolerance"), "'tolerance' cannot be negative")
    alternatives = []
    for node in fields.nodes("alternatives"):
        item = reader.mapping(node, "an alternative")
        if item is None:
            continue
        low, high = item.number("low"), item.number("high")
        if low > high:
            reader.issue(node, f"'low' ({low:g}) is above 'high' ({high:g})")
        weight = item.number("weight", required=False, default=1.0)
        alternatives.append(
            NumericAlternative(low, high, weight, item.text("feedback", required=False))
        )
    return NumericContent(
        question=fields.text("question"),
        answer=fields.number("answer"),
        tolerance=tolerance,
        unit=fields.text("unit", required=False),
        alternatives=tuple(alternatives),
        feedback=fields.text("feedback", required=False),
    )


def _matching(fields: Fields, reader: BankReader) -> NoteContent | None:
    pairs = []
    for node in fields.nodes("pairs"):
        items = node.value if isinstance(node, yaml.SequenceNode) else []
        texts = [reader.scalar(item) for item in items]
        if len(texts) != 2 or not all(isinstance(text, str | int | float) for text in texts):
            reader.issue(node, "each pair is a list of two texts: [prompt, answer]")
            continue
        pairs.append((str(texts[0]).strip(), str(texts[1]).strip()))
    if len(pairs) < 2:
        reader.issue(
            fields.where("pairs"), f"a matching note needs 2 or more pairs, not {len(pairs)}"
        )
        return None
    return MatchingContent(fields.text("question"), tuple(pairs), fields.text_list("distractors"))


def _cloze(fields: Fields, reader: BankReader) -> NoteContent | None:
    text = fields.text("text")
    if text and not cloze_numbers(text):
        reader.issue(fields.where("text"), "a cloze text needs a deletion such as {{c1::answer}}")
        return None
    return ClozeContent(text, fields.text("extra", required=False))


CONTENT_READERS: dict[NoteKind, ContentReader] = {
    NoteKind.BASIC: _basic,
    NoteKind.BASIC_REVERSED: _basic,
    NoteKind.TRUE_FALSE: _true_false,
    NoteKind.MULTIPLE_CHOICE: _multiple_choice,
    NoteKind.MULTIPLE_RESPONSE: _multiple_response,
    NoteKind.TYPED: _typed,
    NoteKind.NUMERIC: _numeric,
    NoteKind.MATCHING: _matching,
    NoteKind.CLOZE: _cloze,
    NoteKind.EXERCISE: read_exercise,
}
