"""Checking a learner's answer to an exercise instance, and naming their mistake."""

from __future__ import annotations

from quizapp.domain import Rating
from quizapp.exercises.arithmetic import Value
from quizapp.exercises.grading import GradeResult, parse_number
from quizapp.exercises.instances import Choice, ExerciseInstance, as_number, join_mistakes
from quizapp.exercises.render import format_value
from quizapp.exercises.template_parts import within_tolerance


def check_answer(instance: ExerciseInstance, text: str) -> GradeResult:
    """Grade ``text`` (a typed number or label, or a choice's label) against ``instance``.

    A number is read leniently ("1,024", "5.5e1", "55 parameters") and compared
    within the instance's tolerance.  When a wrong answer is what one of the
    distractors gives, ``note`` is that distractor's mistake; otherwise a wrong
    number gets "too high" or "too low".  The worked solution is
    ``instance.explanation``, shown with every result.
    """
    given = text.strip()
    chosen = _chosen(instance.choices, given)
    if chosen is not None:
        return _result(chosen.correct, chosen.label, instance, chosen.mistake)
    target = as_number(instance.answer)
    if target is None:
        return _check_label(instance, given)
    value = parse_number(given)
    if value is None:
        return _result(False, given, instance, "not a number")
    if _close(value, target, instance):
        return _result(True, given, instance)
    mistakes = [
        mistake
        for mistaken, mistake in instance.mistakes
        # A distractor that happens to equal the answer names no mistake.
        if (number := as_number(mistaken)) is not None
        and not _close(number, target, instance)
        and _close(value, number, instance)
    ]
    if mistakes:
        return _result(False, given, instance, join_mistakes(mistakes))
    return _result(False, given, instance, "too high" if value > target else "too low")


def named_mistakes(note: str) -> list[str]:
    """The mistakes a grade's ``note`` names (see :func:`join_mistakes`)."""
    return [part for part in note.split("; or ") if part]


def _chosen(choices: tuple[Choice, ...], given: str) -> Choice | None:
    typed = _normalise(given)
    return next((choice for choice in choices if _normalise(choice.label) == typed), None)


def _check_label(instance: ExerciseInstance, given: str) -> GradeResult:
    typed = _normalise(given)
    if typed == _normalise(format_value(instance.answer)):
        return _result(True, given, instance)
    mistakes = [why for value, why in instance.mistakes if _normalise(format_value(value)) == typed]
    return _result(False, given, instance, join_mistakes(mistakes))


def _close(value: float, target: float, instance: ExerciseInstance) -> bool:
    return within_tolerance(value, target, instance.tolerance, instance.tolerance_kind)


def _result(correct: bool, given: str, instance: ExerciseInstance, note: str = "") -> GradeResult:
    return GradeResult(
        correct=correct,
        proposed=Rating.GOOD if correct else Rating.AGAIN,
        given=given,
        expected=instance.expected,
        note="" if correct else note,
    )


def _normalise(text: str | Value) -> str:
    return " ".join(str(text).split()).casefold()
