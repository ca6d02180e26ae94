"""Running the tests an author gives a template (``tests:``), as validate and import do.

A test fixes the variables (``values``) or a ``seed``, says the answer a learner
would type, and lists wrong answers with the mistake each must be named as.
Each failure is reported against ``tests[i]``, so a bank reports it at that line.
"""

from __future__ import annotations

from collections.abc import Iterator

from quizapp.domain import ExerciseTemplate
from quizapp.domain.exercises import TemplateTest
from quizapp.exercises.checking import check_answer, named_mistakes
from quizapp.exercises.instances import (
    ExerciseInstance,
    compile_template,
    draw_instance_seeded,
    instance_from_values,
    shown_values,
)
from quizapp.exercises.template_parts import TemplateError, compile_parts


def failed_tests(template: ExerciseTemplate) -> Iterator[tuple[str, str]]:
    """``(field, message)`` for every failing test of a template that compiles."""
    if not template.tests or compile_parts(template, lambda field, error: None) is None:
        return
    for index, test in enumerate(template.tests):
        field = f"tests[{index}]"
        try:
            instance = _instance(template, test)
        except TemplateError as error:
            yield field, f"cannot be drawn: {error.problem}"
            continue
        for message in _failures(template, test, instance):
            yield field, message


def _instance(template: ExerciseTemplate, test: TemplateTest) -> ExerciseInstance:
    if test.seed is not None:
        return draw_instance_seeded(template, test.seed)
    values = dict(test.values)
    names = {variable.name for variable in template.variables}
    unknown = sorted(set(values) - names)
    if unknown:
        raise TemplateError(
            "no variable named " + ", ".join(f"'{name}'" for name in unknown), field="tests"
        )
    instance = instance_from_values(template, values)
    broken = _broken_constraint(template, instance)
    if broken:
        raise TemplateError(f"the values break the constraint '{broken}'", field="tests")
    return instance


def _broken_constraint(template: ExerciseTemplate, instance: ExerciseInstance) -> str:
    compiled = compile_template(template)
    scope = dict(instance.variables)
    for text, formula in zip(template.constraints, compiled.constraints, strict=True):
        if not formula.evaluate(scope):
            return text
    return ""


def _failures(
    template: ExerciseTemplate, test: TemplateTest, instance: ExerciseInstance
) -> Iterator[str]:
    shown = shown_values(instance.variables)
    if test.answer:
        result = check_answer(instance, test.answer)
        if not result.correct:
            yield (
                f"expected the answer {test.answer}, but the template gives "
                f"{instance.expected} (with {shown})"
            )
    for wrong in test.wrong:
        result = check_answer(instance, wrong.answer)
        if result.correct:
            yield f"the wrong answer {wrong.answer} is graded right (with {shown})"
            continue
        named = named_mistakes(result.note)
        if _plain(wrong.mistake) not in {_plain(mistake) for mistake in named}:
            said = " or ".join(f"'{mistake}'" for mistake in named) or "no mistake"
            yield (
                f"the wrong answer {wrong.answer} should be named '{wrong.mistake}', "
                f"but is named {said} (with {shown})"
            )


def _plain(text: str) -> str:
    return " ".join(text.split()).casefold()
