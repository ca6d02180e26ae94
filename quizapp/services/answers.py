"""Checking a learner's answer to the card on screen: one verdict, whatever the kind.

The reviewer and the terminal hand over what was typed, picked, ticked or
matched (numbered as shown); this module grades it with the pure graders of
:mod:`quizapp.exercises`, reading HTML notes as the learner reads them (as text,
through the bank layer's own function), and returns a :class:`Verdict`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, assert_never

from quizapp.banks.html import html_to_text
from quizapp.domain import (
    MatchingContent,
    MultipleChoiceContent,
    MultipleResponseContent,
    Note,
    NoteContent,
    NumericContent,
    TextFormat,
    TrueFalseContent,
    TypedContent,
)
from quizapp.domain.answers import (
    Correctness,
    MatchedResponse,
    PickedResponse,
    Response,
    RowVerdict,
    TickedResponse,
    TypedResponse,
    Verdict,
)
from quizapp.domain.notes import map_texts
from quizapp.errors import UserError
from quizapp.exercises.choices import grade_matching, grade_multiple_response
from quizapp.exercises.grading import (
    GradeResult,
    grade_choice,
    grade_numeric,
    grade_typed,
    mark_differences,
    rating_for_credit,
)

if TYPE_CHECKING:  # the exercise engine loads with the first exercise
    from quizapp.exercises.instances import ExerciseInstance

# What the graders say of a wrong number that is not a modelled mistake.
PLAIN_NOTES = frozenset({"too high", "too low", "not a number"})
TRUE_FALSE_LABELS = ("True", "False")


def readable(note: Note) -> NoteContent:
    """The note's content as the learner reads it: HTML turned into text."""
    if note.text_format is TextFormat.HTML:
        return map_texts(note.content, html_to_text)
    return note.content


def check_response(
    note: Note,
    response: Response,
    choice_order: Sequence[int] = (),
    exercise: ExerciseInstance | None = None,
) -> Verdict:
    """The verdict on ``response`` to a card of ``note``.

    ``choice_order`` maps the choices as shown to the note's own (shown ``i`` is the
    note's ``choice_order[i]``); ``exercise`` is the instance an exercise card drew.
    """
    if exercise is not None:
        return _check_exercise(exercise, response)
    content = readable(note)
    order = tuple(choice_order) or tuple(range(_choice_count(content)))
    match response:
        case TypedResponse(text=text):
            return _check_typed(content, text)
        case PickedResponse(index=index):
            return _check_pick(content, _original(order, index), order)
        case TickedResponse(indices=indices):
            return _check_ticks(content, {_original(order, i) for i in indices}, order)
        case MatchedResponse(picks=picks):
            return _check_matching(content, picks)
        case _:
            assert_never(response)


def _original(order: tuple[int, ...], shown: int) -> int:
    if not 0 <= shown < len(order):
        raise UserError(f"There is no choice {shown + 1} on this card.")
    return order[shown]


def _choice_count(content: NoteContent) -> int:
    if isinstance(content, MultipleChoiceContent | MultipleResponseContent):
        return len(content.choices)
    if isinstance(content, TrueFalseContent):
        return 2
    return 0


def _check_typed(content: NoteContent, text: str) -> Verdict:
    if isinstance(content, NumericContent):
        return _verdict(grade_numeric(text, content))
    if isinstance(content, TypedContent):
        result = grade_typed(text, content)
        verdict = _verdict(result)
        if result.diff and not result.correct:
            typed, expected = mark_differences(result.given, result.expected)
            return replace(verdict, typed=typed, expected_marked=expected)
        return verdict
    raise UserError("This card is not answered by typing.")


def _check_pick(content: NoteContent, index: int, order: tuple[int, ...]) -> Verdict:
    if isinstance(content, MultipleChoiceContent):
        result = grade_choice(
            index, content.correct, content.choices, content.weights, content.feedback
        )
        right = {content.correct}
        if content.weights:
            right |= {i for i, weight in enumerate(content.weights) if weight >= 0.999}
    elif isinstance(content, TrueFalseContent):
        correct = 0 if content.answer else 1
        feedback = (content.feedback_true, content.feedback_false)
        result = grade_choice(index, correct, TRUE_FALSE_LABELS, (), feedback)
        right = {correct}
    else:
        raise UserError("This card has no choice to pick.")
    return _shown_choices(_verdict(result), order, right, {index})


def _check_ticks(content: NoteContent, ticked: set[int], order: tuple[int, ...]) -> Verdict:
    if not isinstance(content, MultipleResponseContent):
        raise UserError("This card has no choices to tick.")
    result = grade_multiple_response(ticked, content)
    right = {i for i, weight in enumerate(content.weights) if weight > 0}
    return _shown_choices(_verdict(result), order, right, ticked)


def _check_matching(content: NoteContent, picks: Sequence[str | None]) -> Verdict:
    if not isinstance(content, MatchingContent):
        raise UserError("This card has no rows to match.")
    if len(picks) != len(content.pairs):
        raise UserError(f"This card has {len(content.pairs)} rows to match.")
    result = grade_matching(picks, content)
    rows = tuple(
        RowVerdict(prompt, pick, answer, pick == answer)
        for pick, (prompt, answer) in zip(picks, content.pairs, strict=True)
    )
    return replace(_verdict(result), rows=rows)


def _check_exercise(instance: ExerciseInstance, response: Response) -> Verdict:
    from quizapp.exercises.checking import check_answer

    match response:
        case TypedResponse(text=text):
            return _verdict(check_answer(instance, text))
        case PickedResponse(index=index):
            if not 0 <= index < len(instance.choices):
                raise UserError(f"There is no choice {index + 1} on this card.")
            verdict = _verdict(check_answer(instance, instance.choices[index].label))
            right = {i for i, choice in enumerate(instance.choices) if choice.correct}
            return replace(verdict, right_choices=frozenset(right), chosen=frozenset({index}))
        case TickedResponse() | MatchedResponse():
            raise UserError("An exercise is answered by typing or picking a number.")
        case _:
            assert_never(response)


def _verdict(result: GradeResult) -> Verdict:
    """A grader's result as a verdict: partly right proposes Again, like wrong."""
    if result.correct:
        correctness = Correctness.RIGHT
    elif result.credit is not None and result.credit > 0:
        correctness = Correctness.PARTLY
    else:
        correctness = Correctness.WRONG
    proposed = rating_for_credit(1.0 if result.correct else (result.credit or 0.0))
    named = "" if result.correct or result.note in PLAIN_NOTES else result.note
    return Verdict(
        correctness=correctness,
        proposed=proposed,
        given=result.given,
        expected=result.expected,
        mistake=named,
        note=result.note if result.note in PLAIN_NOTES and not result.correct else "",
        feedback=result.feedback,
        credit=result.credit,
    )


def _shown_choices(
    verdict: Verdict, order: tuple[int, ...], right: set[int], chosen: set[int]
) -> Verdict:
    """``verdict`` with its right and chosen choices numbered as shown."""
    shown = {original: position for position, original in enumerate(order)}
    return replace(
        verdict,
        right_choices=frozenset(shown[i] for i in right if i in shown),
        chosen=frozenset(shown[i] for i in chosen if i in shown),
    )
