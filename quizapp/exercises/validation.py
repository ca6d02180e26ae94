"""Checking a template as its author wrote it: every problem, each with the part at fault.

Beyond what compiling finds (unknown names, bad formulas, bad ranges, duplicate
names), a few dozen instances are drawn with a fixed seed and each is checked:

* the constraints can be satisfied and no formula fails for the drawn values;
* the answer is a number or a label (one of ``answer_choices`` when given);
* every distractor differs from the answer for at least one instance;
* the author's ``tests:`` pass (:mod:`quizapp.exercises.template_tests`);
* the explanation agrees with the answer.  The rendered explanation must show
  the answer as the learner sees it, and every equation in it — a run such as
  ``10 × 5 + 5 = 55`` or ``64 ÷ 4 = 16`` — must hold when its sides are
  evaluated.  The numbers in the explanation come from the instance's steps and
  answer, so a step whose formula disagrees with the working it is shown in
  (``{weights}`` computed as ``in * out + 1`` under "10 × 5 = {weights}") makes a
  false equation, and an answer that is not where the working ends is missing.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass

from quizapp.domain import ExerciseTemplate
from quizapp.domain.numbers import format_number
from quizapp.errors import UserError
from quizapp.exercises.arithmetic import Value
from quizapp.exercises.instances import (
    ExerciseInstance,
    as_number,
    choice_label,
    draw_instance,
    same_answer,
    shown_values,
)
from quizapp.exercises.render import format_value, python_literal
from quizapp.exercises.template_parts import TemplateError, compile_parts
from quizapp.exercises.template_tests import failed_tests
from quizapp.exercises.working import equations, holds

__all__ = ["TemplateProblem", "equations", "template_problems", "validate_template"]

SAMPLES = 40


@dataclass(frozen=True, slots=True)
class TemplateProblem:
    """One problem of a template: the part at fault (``"steps[1]"``) and what is wrong."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


def validate_template(template: ExerciseTemplate) -> list[str]:
    """Every problem of ``template`` as ``"part: message"``; empty when it is sound."""
    return [str(problem) for problem in template_problems(template)]


def template_problems(template: ExerciseTemplate) -> list[TemplateProblem]:
    """Every problem of ``template``, each with the part at fault."""
    problems: list[TemplateProblem] = []

    def report(field: str, error: UserError) -> None:
        problems.append(TemplateProblem(field, error.user_message))

    compiled = compile_parts(template, report)
    problems.extend(_setting_problems(template))
    if compiled is None:
        return problems
    instances: list[ExerciseInstance] = []
    rng = random.Random(0)
    try:
        for _ in range(SAMPLES):
            previous = instances[-1].variables if instances else None
            instances.append(draw_instance(template, rng, avoid=previous))
    except TemplateError as error:
        problems.append(TemplateProblem(error.field, error.problem))
        return problems
    problems.extend(_answer_problems(template, instances))
    problems.extend(_distractor_problems(template, instances))
    problems.extend(_explanation_problems(instances))
    problems.extend(TemplateProblem(field, message) for field, message in failed_tests(template))
    return problems


def _setting_problems(template: ExerciseTemplate) -> Iterator[TemplateProblem]:
    if template.tolerance < 0:
        yield TemplateProblem(
            "tolerance", f"cannot be negative ({format_number(template.tolerance)})"
        )
    labels = template.answer_choices
    if labels and len(labels) < 2:
        yield TemplateProblem("answer_choices", "needs at least two labels")
    if len(set(labels)) != len(labels):
        yield TemplateProblem("answer_choices", "a label is listed twice")
    if template.multiple_choice and not labels and not template.distractors:
        yield TemplateProblem("multiple_choice", "a multiple-choice exercise needs distractors")
    for index, variable in enumerate(template.variables):
        if len(set(variable.choices)) != len(variable.choices):
            yield TemplateProblem(
                f"variables[{index}]", f"variable '{variable.name}' lists a choice twice"
            )


def _answer_problems(
    template: ExerciseTemplate, instances: list[ExerciseInstance]
) -> Iterator[TemplateProblem]:
    for instance in instances:
        answer = instance.answer
        if template.answer_choices:
            label = choice_label(answer, template.answer_choices)
            if label not in template.answer_choices:
                yield TemplateProblem(
                    "answer",
                    f"gives {label!r}, which is not one of the answer_choices"
                    f" ({_values(instance)})",
                )
                return
        elif as_number(answer) is None and not isinstance(answer, str):
            yield TemplateProblem(
                "answer", f"must give a number or a label, not {format_value(answer)}"
            )
            return


def _distractor_problems(
    template: ExerciseTemplate, instances: list[ExerciseInstance]
) -> Iterator[TemplateProblem]:
    for index, distractor in enumerate(template.distractors):
        field = f"distractors[{index}]"
        values = [instance.mistakes[index][0] for instance in instances]
        if all(
            same_answer(value, instance.answer, template)
            for value, instance in zip(values, instances, strict=True)
        ):
            yield TemplateProblem(
                field, f"'{distractor.mistake}' gives the answer in every instance tried"
            )
        labels = template.answer_choices
        shown = [choice_label(value, labels) for value in values] if labels else []
        strays = [label for label in shown if label not in labels]
        if strays:
            yield TemplateProblem(field, f"gives {strays[0]!r}, which is not an answer_choice")


def _explanation_problems(instances: list[ExerciseInstance]) -> Iterator[TemplateProblem]:
    for instance in instances:
        shown = format_value(instance.answer)
        if not _shows_answer(instance.explanation, instance.answer):
            yield TemplateProblem(
                "explanation", f"does not show the answer {shown} ({_values(instance)})"
            )
            return
        for equation in equations(instance.explanation):
            if not holds(equation):
                yield TemplateProblem(
                    "explanation",
                    f"the working says '{equation}', which is false ({_values(instance)})",
                )
                return


def _shows_answer(explanation: str, answer: Value) -> bool:
    """Whether the explanation shows the answer as a whole: as the learner reads it
    (``8,192``), or for a number, as code writes it (``8192``)."""
    forms = {format_value(answer)}
    if as_number(answer) is not None:
        forms.add(python_literal(answer))
    return any(
        re.search(rf"(?<![\w.,]){re.escape(form)}(?![\w]|[.,]\d)", explanation) is not None
        for form in forms
    )


def _values(instance: ExerciseInstance) -> str:
    return f"with {shown_values(instance.variables)}"
