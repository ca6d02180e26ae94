"""Sampling a template many times for what a few draws miss (``quizapp validate --samples``).

Each problem is reported once, with the values of a draw that shows it:

* a distractor that gives the answer (or a number the tolerance cannot tell from it)
  although it applies; a distractor written ``... else answer`` says it does not
  apply to those values, and is not reported for them;
* two distractors that always give the same number, or do in one draw in twenty;
* constraints that reject nearly every draw;
* an explanation whose last equation does not end at the answer;
* an answer that, typed as shown, is not graded right, or an integer beyond what a
  float tells apart with a tolerance under 1.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from quizapp.domain import ExerciseTemplate, ToleranceKind
from quizapp.domain.numbers import format_number
from quizapp.errors import UserError
from quizapp.exercises.arithmetic import Value
from quizapp.exercises.checking import check_answer
from quizapp.exercises.formula import FormulaError, preview
from quizapp.exercises.instances import (
    ExerciseInstance,
    as_number,
    compile_template,
    draw_instance,
    same_answer,
    shown_values,
)
from quizapp.exercises.render import format_value
from quizapp.exercises.template_parts import CompiledTemplate, TemplateError
from quizapp.exercises.validation import TemplateProblem
from quizapp.exercises.working import equations, result

DEFAULT_SAMPLES = 200
# Constraints that keep fewer draws than this are reported: a template drawing one
# instance in twenty-five wastes its search, and may not be drawn in time at all.
_FEW_KEPT = 0.04
# Two mistakes that give one number this often (where both apply) are worth knowing of;
# rarer, it is happenstance of the arithmetic, and grading names both mistakes.
_OFTEN = 0.05
_EXACT_FLOATS = 2**53
# Stands in for the answer to see whether a distractor returns it as it is.
_NOT_APPLYING = -987_654_321.125


@dataclass(frozen=True, slots=True)
class _Draw:
    instance: ExerciseInstance
    # Each distractor's value, or None where it is written not to apply.
    values: tuple[Value | None, ...]


def sampling_problems(
    template: ExerciseTemplate, samples: int = DEFAULT_SAMPLES
) -> list[TemplateProblem]:
    """Problems that ``samples`` draws of ``template`` show; none for a broken template."""
    try:
        compiled = compile_template(template)
    except TemplateError:
        return []  # validation reports it
    problems = list(_constraint_problems(compiled, samples))
    draws: list[_Draw] = []
    rng = random.Random(1)
    try:
        for _ in range(samples):
            previous = draws[-1].instance.variables if draws else None
            instance = draw_instance(template, rng, avoid=previous)
            draws.append(_Draw(instance, _applying(compiled, instance)))
    except TemplateError:
        return problems
    problems += _distractor_problems(template, draws)
    problems += _coinciding_problems(template, draws)
    problems += _working_problems(template, draws)
    problems += _tolerance_problems(template, draws)
    return problems


def _constraint_problems(compiled: CompiledTemplate, samples: int) -> Iterator[TemplateProblem]:
    if not compiled.constraints:
        return
    rng = random.Random(2)
    stopped: Counter[int] = Counter()
    example: dict[int, str] = {}
    for _ in range(samples):
        values = {name: draw(rng) for name, draw in compiled.drawers}
        for index, constraint in enumerate(compiled.constraints):
            try:
                met = bool(constraint.evaluate(values))
            except FormulaError:
                met = False
            if not met:
                stopped[index] += 1
                example.setdefault(index, shown_values(values))
                break
    kept = samples - sum(stopped.values())
    if samples and kept < _FEW_KEPT * samples:
        index, rejected = stopped.most_common(1)[0]
        text = compiled.template.constraints[index]
        yield TemplateProblem(
            f"constraints[{index}]",
            f"the constraints keep {kept} of {samples} draws; '{preview(text)}' rejects "
            f"{rejected} of them (e.g. with {example[index]})",
        )


def _applying(compiled: CompiledTemplate, instance: ExerciseInstance) -> tuple[Value | None, ...]:
    """Each distractor's value, None where it returns the answer as it is."""
    scope: dict[str, Value] = {**instance.variables, **instance.steps}
    scope["answer"] = "\x00answer" if isinstance(instance.answer, str) else _NOT_APPLYING
    values: list[Value | None] = []
    for (formula, _), (value, _) in zip(compiled.distractors, instance.mistakes, strict=True):
        try:
            returned = formula.evaluate(scope)
        except (FormulaError, UserError):
            returned = None  # it works on the answer: it applies
        values.append(None if returned == scope["answer"] else value)
    return tuple(values)


def _distractor_problems(
    template: ExerciseTemplate, draws: list[_Draw]
) -> Iterator[TemplateProblem]:
    for index, distractor in enumerate(template.distractors):
        hits = [
            draw
            for draw in draws
            if (value := draw.values[index]) is not None
            and same_answer(value, draw.instance.answer, template)
        ]
        if hits and len(hits) < len(draws):  # every draw: validation reports it
            first = hits[0].instance
            value = first.mistakes[index][0]
            equal = value == first.answer
            gives = (
                f"the answer {format_value(value)}"
                if equal
                else f"{format_value(value)}, within the tolerance of the answer "
                f"{format_value(first.answer)},"
            )
            yield TemplateProblem(
                f"distractors[{index}]",
                f"'{distractor.mistake}' gives {gives} in {len(hits)} of {len(draws)} draws "
                f"(e.g. with {shown_values(first.variables)}); write "
                f"'... if it applies else answer' where it does not apply",
            )


def _coinciding_problems(
    template: ExerciseTemplate, draws: list[_Draw]
) -> Iterator[TemplateProblem]:
    count = len(template.distractors)
    for second in range(count):
        for first in range(second):
            both = [draw for draw in draws if _both_apply(template, draw, first, second)]
            same = [draw for draw in both if _same(template, draw, first, second)]
            if not same:
                continue
            mistakes = template.distractors[first].mistake, template.distractors[second].mistake
            example = same[0].instance
            shown = format_value(example.mistakes[first][0])
            where = f"(e.g. {shown} with {shown_values(example.variables)})"
            if len(same) == len(both):
                message = f"'{mistakes[1]}' always gives what '{mistakes[0]}' gives {where}"
            elif len(same) < _OFTEN * len(both):
                continue  # happenstance of the arithmetic; grading names both
            else:
                message = (
                    f"'{mistakes[1]}' and '{mistakes[0]}' give the same number in "
                    f"{len(same)} of {len(both)} draws {where}"
                )
            yield TemplateProblem(f"distractors[{second}]", message)
            break


def _both_apply(template: ExerciseTemplate, draw: _Draw, first: int, second: int) -> bool:
    answer = draw.instance.answer
    values = draw.values[first], draw.values[second]
    return all(v is not None and not same_answer(v, answer, template) for v in values)


def _same(template: ExerciseTemplate, draw: _Draw, first: int, second: int) -> bool:
    one, other = draw.values[first], draw.values[second]
    assert one is not None
    assert other is not None
    return one == other or same_answer(one, other, template)


def _working_problems(template: ExerciseTemplate, draws: list[_Draw]) -> Iterator[TemplateProblem]:
    for draw in draws:
        instance = draw.instance
        target = as_number(instance.answer)
        found = equations(instance.explanation)
        if target is None or not found:
            continue
        end = result(found[-1])
        if end is not None and not _near(end, target, template):
            yield TemplateProblem(
                "explanation",
                f"the working ends at '{found[-1]}', not at the answer "
                f"{format_value(instance.answer)} (with {shown_values(instance.variables)})",
            )
            return


def _near(value: float, target: float, template: ExerciseTemplate) -> bool:
    # What the working shows is rounded to six significant digits, as holds() reads it.
    if abs(value - target) <= 1e-5 * max(abs(value), abs(target)) + 1e-9:
        return True
    return same_answer(value, target, template)


def _tolerance_problems(
    template: ExerciseTemplate, draws: list[_Draw]
) -> Iterator[TemplateProblem]:
    for draw in draws:
        instance = draw.instance
        target = as_number(instance.answer)
        if target is None:
            continue
        shown = format_value(instance.answer)
        values = shown_values(instance.variables)
        exact = template.tolerance < 1 and template.tolerance_kind is ToleranceKind.ABSOLUTE
        if exact and abs(target) > _EXACT_FLOATS:
            yield TemplateProblem(
                "answer",
                f"{shown} is beyond {format_number(_EXACT_FLOATS)}, where neighbouring whole "
                f"numbers read as the same number; give a tolerance (with {values})",
            )
            return
        if not check_answer(instance, shown).correct:
            yield TemplateProblem(
                "tolerance",
                f"the answer shown as {shown} is not graded right when typed; the "
                f"tolerance cannot tell it from {instance.answer!r} "
                f"(with {values})",
            )
            return
