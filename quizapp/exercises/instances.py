"""Exercise instances: draw a template's values, work out its answer, render its texts.

A template is compiled once (its formulas parsed, its texts split into
placeholders) and kept in a small cache, so drawing an instance costs tens of
microseconds.  Randomness comes only from the ``rng`` passed in.

Values are drawn until the constraints hold, at most :data:`MAX_DRAWS` times and
for at most :data:`MAX_SEARCH_SECONDS`, however costly one draw is (a hundred
lists of a thousand numbers); a template that cannot be drawn in that time is
refused, naming the constraint that was never met.
"""

from __future__ import annotations

import functools
import random
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from quizapp.domain import ExerciseTemplate, ToleranceKind
from quizapp.domain.numbers import format_number
from quizapp.errors import UserError
from quizapp.exercises.arithmetic import Value
from quizapp.exercises.formula import Formula, FormulaError, preview
from quizapp.exercises.render import Piece, format_value, python_literal, render
from quizapp.exercises.template_parts import (
    CompiledTemplate,
    TemplateError,
    compile_parts,
    within_tolerance,
)

MAX_DRAWS = 1000
# A bound on the search's time as well as on its draws: both are far beyond what a
# template whose constraints hold one time in a hundred needs.
MAX_SEARCH_SECONDS = 0.25
_SHOWN_VALUES = 300  # characters of an instance's values quoted in a message


@dataclass(frozen=True, slots=True)
class Choice:
    """One option of a choice exercise; a wrong one may name the mistake that gives it."""

    label: str
    correct: bool
    mistake: str = ""


@dataclass(frozen=True, slots=True)
class ExerciseInstance:
    """One drawing of a template: its values, question, answer and worked solution.

    ``variables`` are what to store to show the same instance again
    (:func:`instance_from_values`); ``mistakes`` pair each distractor's value
    with the mistake that produces it, for feedback on a wrong answer.
    """

    template_id: str
    variables: Mapping[str, Value]
    steps: Mapping[str, Value]
    question: str
    answer: Value
    explanation: str
    choices: tuple[Choice, ...] = ()
    unit: str = ""
    seed: int | None = None
    tolerance: float = 0.0
    tolerance_kind: ToleranceKind = ToleranceKind.ABSOLUTE
    mistakes: tuple[tuple[Value, str], ...] = ()

    @property
    def expected(self) -> str:
        """The answer as the learner reads it, with its unit: ``"1,050,624 parameters"``."""
        shown = format_value(self.answer)
        return f"{shown} {self.unit}" if self.unit else shown

    def stored_values(self) -> dict[str, object]:
        """The variables, JSON-ready (lists for tuples), for :func:`instance_from_values`."""
        return {name: _jsonable(value) for name, value in self.variables.items()}


@functools.lru_cache(maxsize=256)
def compile_template(template: ExerciseTemplate) -> CompiledTemplate:
    """Parse every formula and text of ``template``; raises :class:`TemplateError`.

    Compiled templates are cached by value (a template read again from the
    database is the same template), so calling this per draw is cheap.
    """

    def fail(field: str, error: UserError) -> None:
        raise TemplateError(
            f"template '{template.template_id}', {field}: {error.user_message}", field=field
        ) from error

    compiled = compile_parts(template, fail)
    assert compiled is not None  # ``fail`` raised otherwise
    return compiled


def draw_instance(
    template: ExerciseTemplate,
    rng: random.Random,
    *,
    avoid: Mapping[str, object] | None = None,
) -> ExerciseInstance:
    """Draw values for ``template`` with ``rng`` until its constraints hold.

    ``avoid`` is the previous instance's variables: the same values are never drawn
    twice in a row unless they are the only ones the template allows.
    """
    return _draw(compile_template(template), rng, avoid, None)


def draw_instance_seeded(template: ExerciseTemplate, seed: int) -> ExerciseInstance:
    """The instance that ``seed`` gives: the same seed always gives the same instance."""
    return _draw(compile_template(template), random.Random(seed), None, seed)


def instance_from_values(
    template: ExerciseTemplate, values: Mapping[str, object]
) -> ExerciseInstance:
    """Rebuild the instance with these stored variables (for undo and history).

    The constraints are not checked again: the instance was valid when drawn.
    """
    compiled = compile_template(template)
    missing = [name for name, _ in compiled.drawers if name not in values]
    if missing:
        raise TemplateError(
            f"the stored values of exercise '{template.template_id}' lack "
            + ", ".join(f"'{name}'" for name in missing)
        )
    variables = {name: _stored_value(values[name], name) for name, _ in compiled.drawers}
    instance = _build(compiled, variables, None, need_choices=False)
    assert instance is not None  # only a missing choice makes _build give up
    return instance


def _draw(
    compiled: CompiledTemplate,
    rng: random.Random,
    avoid: Mapping[str, object] | None,
    seed: int | None,
) -> ExerciseInstance:
    previous = _previous(compiled, avoid) if avoid is not None and compiled.varied else None
    repeated: dict[str, Value] | None = None
    # For each draw that gave no instance, the first constraint it did not meet
    # (len(constraints) when it met them all); the clock is read only after such a draw.
    unmet: list[int] = []
    started = 0.0
    for draws in range(1, MAX_DRAWS + 1):
        values = {name: draw(rng) for name, draw in compiled.drawers}
        failed = _first_unmet(compiled, values)
        if failed < 0:
            if values == previous:
                repeated = values
            else:
                instance = _build(compiled, values, seed)
                if instance is not None:
                    return instance
            failed = len(compiled.constraints)
        unmet.append(failed)
        now = time.perf_counter()
        if draws == 1:
            started = now
        elif now - started > MAX_SEARCH_SECONDS:
            break
    if repeated is not None:  # the only values the constraints allow
        instance = _build(compiled, repeated, seed, need_choices=False)
        assert instance is not None
        return instance
    raise _search_failure(compiled, unmet)


def _previous(compiled: CompiledTemplate, avoid: Mapping[str, object]) -> dict[str, Value] | None:
    """The values to avoid, or None if they are not this template's (it was edited)."""
    try:
        return {name: _stored_value(avoid[name], name) for name, _ in compiled.drawers}
    except (KeyError, TemplateError):
        return None


def _first_unmet(compiled: CompiledTemplate, values: dict[str, Value]) -> int:
    """The index of the first constraint ``values`` do not meet, -1 if they meet them all."""
    for index, constraint in enumerate(compiled.constraints):
        if not _evaluate(compiled, f"constraints[{index}]", constraint, values, values):
            return index
    return -1


def _search_failure(compiled: CompiledTemplate, unmet: list[int]) -> TemplateError:
    """Why no instance was drawn: the first constraint never met, else the choices.

    ``unmet`` holds, for each draw, the first constraint it did not meet: draws reach
    constraint *i* when that is *i* or more, and meet it when it is more.
    """
    template = compiled.template
    stopped = Counter(unmet)
    reached = len(unmet)
    for index, constraint in enumerate(template.constraints):
        if reached and reached == stopped[index]:  # reached by some draws, met by none
            before = "" if index == 0 else " that met the constraints before it"
            field = f"constraints[{index}]"
            problem = (
                f"constraint '{preview(constraint)}' was never met in the {_draws(reached)}"
                f"{before} (a search stops after {format_number(MAX_DRAWS)} draws or "
                f"{format_number(MAX_SEARCH_SECONDS)} s)"
            )
            break
        reached -= stopped[index]
    else:
        field = "distractors"
        problem = (
            f"in {_draws(len(unmet))}, the distractors never gave a choice other than the answer"
        )
    return TemplateError(
        f"template '{template.template_id}', {field}: {problem}", field=field, problem=problem
    )


def _draws(count: int) -> str:
    return "1 draw" if count == 1 else f"{format_number(count)} draws"


def _build(
    compiled: CompiledTemplate,
    values: dict[str, Value],
    seed: int | None,
    *,
    need_choices: bool = True,
) -> ExerciseInstance | None:
    """The instance for these values, or None if it would offer fewer than two choices."""
    template = compiled.template
    scope = dict(values)
    steps: dict[str, Value] = {}
    for index, (name, formula) in enumerate(compiled.steps):
        steps[name] = scope[name] = _evaluate(compiled, f"steps[{index}]", formula, scope, values)
    answer = scope["answer"] = _evaluate(compiled, "answer", compiled.answer, scope, values)
    mistakes = tuple(
        (_evaluate(compiled, f"distractors[{index}]", formula, scope, values), mistake)
        for index, (formula, mistake) in enumerate(compiled.distractors)
    )
    choices = _choices(template, answer, mistakes, values)
    if need_choices and template.multiple_choice and len(choices) < 2:
        return None
    return ExerciseInstance(
        template_id=template.template_id,
        variables=MappingProxyType(values),
        steps=MappingProxyType(steps),
        question=_render(compiled, "question", compiled.question, scope, values),
        answer=answer,
        explanation=_render(compiled, "explanation", compiled.explanation, scope, values),
        choices=choices,
        unit=template.unit,
        seed=seed,
        tolerance=template.tolerance,
        tolerance_kind=template.tolerance_kind,
        mistakes=mistakes,
    )


def _choices(
    template: ExerciseTemplate,
    answer: Value,
    mistakes: tuple[tuple[Value, str], ...],
    values: Mapping[str, Value],
) -> tuple[Choice, ...]:
    labels = template.answer_choices
    if labels:
        # Fixed labels keep the author's order: "parameter" stays on the same button.
        right = choice_label(answer, labels)
        named: dict[str, list[str]] = {}
        for value, mistake in mistakes:
            named.setdefault(choice_label(value, labels), []).append(mistake)
        wrong = {label: join_mistakes(why) for label, why in named.items()}
        return tuple(
            Choice(label, label == right, "" if label == right else wrong.get(label, ""))
            for label in labels
        )
    right = format_value(answer)
    if not template.multiple_choice:
        return ()
    wrong_labels: dict[str, list[str]] = {}
    for value, mistake in mistakes:
        label = format_value(value)
        if label != right and not same_answer(value, answer, template):
            wrong_labels.setdefault(label, []).append(mistake)
    choices = [Choice(right, True)]
    choices += [Choice(label, False, join_mistakes(why)) for label, why in wrong_labels.items()]
    # Shuffled by the values, so that rebuilding an instance shows the same order.
    random.Random(repr(sorted(values.items()))).shuffle(choices)
    return tuple(choices)


def join_mistakes(mistakes: list[str]) -> str:
    """Every mistake that gives one wrong answer, in the template's order, each once:
    a number two mistakes explain names both."""
    return "; or ".join(dict.fromkeys(mistakes))


def choice_label(value: Value, labels: tuple[str, ...]) -> str:
    """``value`` as one of fixed labels reads it: as shown (``8,192``), or, for a number
    the labels write as code would, as that (``8192``)."""
    shown = format_value(value)
    if shown in labels or as_number(value) is None:
        return shown
    literal = python_literal(value)
    return literal if literal in labels else shown


def same_answer(value: Value, answer: Value, template: ExerciseTemplate) -> bool:
    """Whether ``value`` would be graded as ``answer`` (numbers within the tolerance)."""
    given, target = as_number(value), as_number(answer)
    if given is not None and target is not None:
        return within_tolerance(given, target, template.tolerance, template.tolerance_kind)
    return value == answer


def _evaluate(
    compiled: CompiledTemplate,
    field: str,
    formula: Formula,
    scope: Mapping[str, Value],
    values: Mapping[str, Value],
) -> Value:
    try:
        return formula.evaluate(scope)
    except FormulaError as error:
        raise _drawn_error(compiled, field, error, values) from error


def _render(
    compiled: CompiledTemplate,
    field: str,
    pieces: tuple[Piece, ...],
    scope: Mapping[str, Value],
    values: Mapping[str, Value],
) -> str:
    try:
        return render(pieces, scope)
    except FormulaError as error:
        raise _drawn_error(compiled, field, error, values) from error


def _drawn_error(
    compiled: CompiledTemplate, field: str, error: UserError, values: Mapping[str, Value]
) -> TemplateError:
    shown = shown_values(values)
    return TemplateError(
        f"template '{compiled.template.template_id}', {field}: {error.user_message} (with {shown})",
        field=field,
        problem=f"{error.user_message} (with {shown})",
    )


def shown_values(values: Mapping[str, Value]) -> str:
    """``a=1, b=2``: an instance's values as a message quotes them, cut short if long."""
    shown = ", ".join(f"{name}={format_value(value)}" for name, value in values.items())
    return shown if len(shown) <= _SHOWN_VALUES else shown[: _SHOWN_VALUES - 1] + "…"


def _stored_value(value: object, name: str) -> Value:
    """A stored (JSON) value back as a template value: lists become tuples."""
    if isinstance(value, list | tuple):
        return tuple(_stored_value(item, name) for item in value)
    if isinstance(value, int | float | str | bool):
        return value
    raise TemplateError(f"the stored value of '{name}' is not a number, text or list: {value!r}")


def _jsonable(value: Value) -> object:
    return [_jsonable(item) for item in value] if isinstance(value, tuple) else value


def as_number(value: Value) -> float | None:
    """``value`` if it is a number (not a boolean), else None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return value
