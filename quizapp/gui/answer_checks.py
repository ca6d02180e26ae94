"""Grading what the learner picked or typed on a card, and saying what was noticed."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from quizapp.domain import (
    MultipleChoiceContent,
    NoteContent,
    NumericContent,
    TrueFalseContent,
    TypedContent,
)
from quizapp.exercises.grading import GradeResult, grade_choice, grade_numeric, grade_typed
from quizapp.gui.card_html import diff_html, plain_to_html
from quizapp.gui.theme import Colors

if TYPE_CHECKING:
    from quizapp.exercises.instances import ExerciseInstance

# Notes on a wrong number that are not a modelled mistake.
PLAIN_NOTES = ("too high", "too low", "not a number")


def check_exercise(instance: ExerciseInstance, answer: str) -> GradeResult:
    """Grade an exercise answer (a typed number or a choice's label)."""
    # The exercise engine loads with the first exercise, not with the reviewer.
    from quizapp.exercises.checking import check_answer

    return check_answer(instance, answer)


def grade_pick(
    content: NoteContent, index: int, correct: int, labels: tuple[str, ...]
) -> GradeResult:
    """Grade the pick ``index`` of a multiple-choice or true/false card."""
    if isinstance(content, MultipleChoiceContent):
        return grade_choice(index, correct, labels, content.weights, content.feedback)
    assert isinstance(content, TrueFalseContent)
    feedback = (content.feedback_true, content.feedback_false)
    return grade_choice(index, correct, labels, (), feedback)


def grade_text(content: NoteContent, typed: str) -> GradeResult:
    """Grade a typed answer to a typed or numeric card."""
    if isinstance(content, NumericContent):
        return grade_numeric(typed, content)
    assert isinstance(content, TypedContent)
    return grade_typed(typed, content)


def feedback_html(result: GradeResult, colors: Colors, author_html: Callable[[str], str]) -> str:
    """The verdict, what the learner gave and what QuizApp noticed, and the author's feedback."""
    if result.correct:
        verdict = f'<span style="color:{colors.right}; font-weight:600">✓ Correct</span>'
    elif result.credit:
        verdict = f'<span style="color:{colors.hard}; font-weight:600">◐ Partly right</span>'
    else:
        verdict = f'<span style="color:{colors.wrong}; font-weight:600">✗ Not quite</span>'
    lines = [verdict]
    if not result.correct:
        given = plain_to_html(result.given) or "<i>(no answer)</i>"
        if result.diff:
            given = diff_html(result.diff, colors.wrong, colors.right)
        lines.append(f"You answered: {given}{noticed(result.note)}")
    if result.feedback:
        lines.append(f"<i>{author_html(result.feedback)}</i>")
    return "<br>".join(lines)


def noticed(note: str) -> str:
    """What QuizApp noticed about a wrong answer: a direction, or the mistake it models."""
    if not note:
        return ""
    if note in PLAIN_NOTES:
        return f" — {plain_to_html(note)}"
    return f"<br>That is what you get if you {plain_to_html(note)}."
