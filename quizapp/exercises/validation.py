"""Checking a template as its author wrote it: every problem, each with the part at fault.

Beyond what compiling finds (unknown names, bad formulas, bad ranges, duplicate
names), a few dozen instances are drawn with a fixed seed and each is checked:

* the constraints can be satisfied and no formula fails for the drawn values;
* the answer is a number or a label (one of ``answer_choices`` when given);
* every distractor differs from the answer for at least one instance;
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
from quizapp.errors import UserError
from quizapp.exercises.arithmetic import Value
from quizapp.exercises.formula import FormulaError, compile_formula
from quizapp.exercises.instances import (
    ExerciseInstance,
    as_number,
    draw_instance,
    same_answer,
)
from quizapp.exercises.render import format_value
from quizapp.exercises.template_parts import TemplateError, compile_parts

SAMPLES = 40
_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_OPERAND = rf"[(\s]*(?:{_NUMBER})[²³]?[)\s]*"
_SIDE = rf"-?{_OPERAND}(?:[-+×*/÷·−]{_OPERAND})*"
_EQUATION = re.compile(rf"(?<![\w.,\-−]){_SIDE}(?:=\s*{_SIDE})+(?![\w.,]\d|\w)")
_SYMBOLS = str.maketrans({"×": "*", "·": "*", "÷": "/", "−": "-"})


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
    return problems


def _setting_problems(template: ExerciseTemplate) -> Iterator[TemplateProblem]:
    if template.tolerance < 0:
        yield TemplateProblem("tolerance", f"cannot be negative ({template.tolerance:g})")
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
            if format_value(answer) not in template.answer_choices:
                yield TemplateProblem(
                    "answer",
                    f"gives {format_value(answer)!r}, which is not one of the answer_choices"
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
        strays = [format_value(v) for v in values if labels and format_value(v) not in labels]
        if strays:
            yield TemplateProblem(field, f"gives {strays[0]!r}, which is not an answer_choice")


def _explanation_problems(instances: list[ExerciseInstance]) -> Iterator[TemplateProblem]:
    for instance in instances:
        shown = format_value(instance.answer)
        pattern = rf"(?<![\w.,]){re.escape(shown)}(?![\w]|[.,]\d)"
        if re.search(pattern, instance.explanation) is None:
            yield TemplateProblem(
                "explanation", f"does not show the answer {shown} ({_values(instance)})"
            )
            return
        for equation in equations(instance.explanation):
            if not _holds(equation):
                yield TemplateProblem(
                    "explanation",
                    f"the working says '{equation}', which is false ({_values(instance)})",
                )
                return


def equations(text: str) -> list[str]:
    """The arithmetic equations in a rendered text, such as ``10 × 5 + 5 = 55``."""
    return [match[0].strip() for match in _EQUATION.finditer(text)]


def _holds(equation: str) -> bool:
    """Whether every side of ``equation`` has the same value (to six significant digits)."""
    sides = [side.strip() for side in equation.split("=")]
    # The text around may open a bracket before the equation and close it after.
    while sides[0].count("(") > sides[0].count(")") and sides[0].startswith("("):
        sides[0] = sides[0][1:].strip()
    while sides[-1].count(")") > sides[-1].count("(") and sides[-1].endswith(")"):
        sides[-1] = sides[-1][:-1].strip()
    values = [_side_value(side) for side in sides]
    known = [value for value in values if value is not None]
    if len(known) < len(values):
        # Not plain arithmetic, e.g. "Linear(10, 5) = 55" read from "5)": not ours to judge.
        return True
    first = known[0]
    return all(abs(value - first) <= 1e-5 * max(abs(value), abs(first)) + 1e-9 for value in known)


def _side_value(side: str) -> float | None:
    text = re.sub(r"(?<=\d),(?=\d{3})", "", side).translate(_SYMBOLS)
    text = text.replace("²", "**2").replace("³", "**3")
    if text.count("(") != text.count(")"):
        return None
    try:
        value: Value = compile_formula(text, ()).evaluate({})
    except FormulaError:
        return None
    return as_number(value)


def _values(instance: ExerciseInstance) -> str:
    shown = ", ".join(f"{name}={format_value(v)}" for name, v in instance.variables.items())
    return f"with {shown}"
