"""Compiling a template's parts: variable drawers, formulas and texts, each checked.

:func:`compile_parts` reports every problem through a callback, so that
:func:`~quizapp.exercises.instances.compile_template` can stop at the first and
:func:`~quizapp.exercises.validation.template_problems` can collect them all.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from keyword import iskeyword

from quizapp.domain import ExerciseTemplate, ToleranceKind, Variable, VariableKind
from quizapp.domain.numbers import format_number
from quizapp.errors import UserError
from quizapp.exercises.arithmetic import MAX_LIST, MAX_NUMBER, Value
from quizapp.exercises.formula import RESERVED, Formula, compile_formula
from quizapp.exercises.render import Piece, parse_text

Drawer = Callable[[random.Random], Value]
Report = Callable[[str, UserError], None]
ANSWER = "answer"


class TemplateError(UserError):
    """A template that cannot be compiled or drawn; ``field`` says which part is at fault."""

    def __init__(self, message: str, *, field: str = "", problem: str = "") -> None:
        super().__init__(message)
        self.field = field
        self.problem = problem or message


@dataclass(frozen=True, slots=True)
class CompiledTemplate:
    """A template with its formulas parsed and its texts split, ready to draw."""

    template: ExerciseTemplate
    drawers: tuple[tuple[str, Drawer], ...]
    constraints: tuple[Formula, ...]
    steps: tuple[tuple[str, Formula], ...]
    answer: Formula
    distractors: tuple[tuple[Formula, str], ...]
    question: tuple[Piece, ...]
    explanation: tuple[Piece, ...]
    varied: bool  # more than one set of values can be drawn, constraints aside


def within_tolerance(value: float, target: float, tolerance: float, kind: ToleranceKind) -> bool:
    """Whether ``value`` counts as ``target``, as Moodle's calculated questions decide.

    absolute: |value - target| <= tolerance; relative: <= tolerance × |target|;
    geometric: value between target / (1 + tolerance) and target × (1 + tolerance).
    """
    # A hair of slack, as in grading.py, so that binary rounding loses no edge.
    slack = 1e-9 * max(1.0, abs(target), tolerance)
    if kind is ToleranceKind.RELATIVE:
        return abs(value - target) <= tolerance * abs(target) + slack
    if kind is ToleranceKind.GEOMETRIC:
        quotient = 1 + abs(tolerance)
        low, high = sorted((target / quotient, target * quotient))
        return low - slack <= value <= high + slack
    return abs(value - target) <= tolerance + slack


def compile_parts(template: ExerciseTemplate, report: Report) -> CompiledTemplate | None:
    """Compile every part of ``template``; each problem goes to ``report``; None if any."""
    parts = _Parts(report)
    parts.check_names(template)
    variables = [variable.name for variable in template.variables]
    steps = [step.name for step in template.steps]
    drawers = tuple(
        (variable.name, parts.drawer(f"variables[{index}]", variable))
        for index, variable in enumerate(template.variables)
    )
    constraints = tuple(
        parts.formula(f"constraints[{index}]", constraint, variables)
        for index, constraint in enumerate(template.constraints)
    )
    compiled_steps = tuple(
        (step.name, parts.formula(f"steps[{index}]", step.formula, variables + steps[:index]))
        for index, step in enumerate(template.steps)
    )
    answer = parts.formula(ANSWER, template.answer, variables + steps)
    distractors = tuple(
        (parts.formula(f"distractors[{i}]", d.formula, [*variables, *steps, ANSWER]), d.mistake)
        for i, d in enumerate(template.distractors)
    )
    question = parts.text("question", template.question, variables + steps)
    explanation = parts.text("explanation", template.explanation, [*variables, *steps, ANSWER])
    if parts.failed:
        return None
    return CompiledTemplate(
        template=template,
        drawers=tuple((name, draw) for name, draw in drawers if draw is not None),
        constraints=tuple(formula for formula in constraints if formula is not None),
        steps=tuple((name, formula) for name, formula in compiled_steps if formula is not None),
        answer=answer or compile_formula("0", ()),
        distractors=tuple((formula, why) for formula, why in distractors if formula is not None),
        question=question,
        explanation=explanation,
        varied=any(_varies(variable) for variable in template.variables),
    )


class _Parts:
    """Compiles parts one by one, reporting each failure and remembering that one happened."""

    def __init__(self, report: Report) -> None:
        self._report = report
        self.failed = False

    def fail(self, field: str, error: UserError) -> None:
        """Report ``error`` against ``field``."""
        self.failed = True
        self._report(field, error)

    def formula(self, field: str, text: str, names: list[str]) -> Formula | None:
        """The compiled formula, or None (reported) if it does not compile."""
        try:
            return compile_formula(text, names)
        except UserError as error:
            self.fail(field, error)
            return None

    def text(self, field: str, text: str, names: list[str]) -> tuple[Piece, ...]:
        """The parsed text, or no pieces (reported) if a placeholder is bad."""
        try:
            return parse_text(text, names)
        except UserError as error:
            problem = error
            if field == "question" and f"{{{ANSWER}}}" in text.replace(" ", ""):
                problem = UserError("the question cannot show the answer")
            self.fail(field, problem)
            return ()

    def drawer(self, field: str, variable: Variable) -> Drawer | None:
        """How to draw ``variable``, or None (reported) if its range is bad."""
        try:
            return drawer(variable)
        except UserError as error:
            self.fail(field, error)
            return None

    def check_names(self, template: ExerciseTemplate) -> None:
        """Report names that are not identifiers, are reserved or are used twice."""
        seen: set[str] = set()
        named = [("variables", v.name) for v in template.variables]
        named += [("steps", s.name) for s in template.steps]
        for index, (part, name) in enumerate(named):
            field = f"{part}[{index if part == 'variables' else index - len(template.variables)}]"
            if not name.isidentifier() or iskeyword(name):
                self.fail(field, UserError(f"'{name}' is not a name (letters, digits and _)"))
            elif name in RESERVED or name == ANSWER:
                self.fail(field, UserError(f"'{name}' is reserved (a function or constant)"))
            elif name in seen:
                self.fail(field, UserError(f"the name '{name}' is used twice"))
            seen.add(name)


def drawer(variable: Variable) -> Drawer:
    """How to draw ``variable``'s value; raises :class:`UserError` for a bad range."""
    kind = variable.kind
    if kind is VariableKind.BOOLEAN:
        return lambda rng: rng.randrange(2) == 1
    if kind is VariableKind.CHOICE:
        choices = variable.choices
        if not choices:
            raise UserError(f"variable '{variable.name}' has no choices")
        return lambda rng: choices[rng.randrange(len(choices))]
    pick = _range(variable)
    if kind is not VariableKind.INTEGER_LIST:
        return pick
    shortest, longest = variable.length_low, variable.length_high
    if not 0 <= shortest <= longest <= MAX_LIST:
        raise UserError(
            f"variable '{variable.name}': the list length {shortest}..{longest} must be "
            f"a range within 0..{MAX_LIST}"
        )
    return lambda rng: tuple(pick(rng) for _ in range(rng.randint(shortest, longest)))


def _range(variable: Variable) -> Drawer:
    """How to pick one of the values ``low..high`` by ``step``."""
    low, high, step, name = variable.low, variable.high, variable.step, variable.name
    if not all(math.isfinite(x) and abs(x) <= MAX_NUMBER for x in (low, high, step)):
        raise UserError(f"variable '{name}': low, high and step must be numbers within 1e15")
    if step <= 0:
        raise UserError(f"variable '{name}': the step must be positive, not {format_number(step)}")
    if low > high:
        raise UserError(
            f"variable '{name}': low {format_number(low)} is above high {format_number(high)}"
        )
    if variable.kind is not VariableKind.DECIMAL:
        if not all(x == int(x) for x in (low, high, step)):
            raise UserError(f"variable '{name}': low, high and step must be whole numbers")
        first, stride = int(low), int(step)
        count = (int(high) - first) // stride + 1
        return lambda rng: first + stride * rng.randrange(count)
    # Round to the places of low and step, so 0.1 steps give 0.3, not 0.30000000000000004.
    places = max(0, *(-int(Decimal(repr(x)).as_tuple().exponent) for x in (low, step)))
    count = math.floor((high - low) / step + 1e-9) + 1
    return lambda rng: round(low + step * rng.randrange(count), places)


def _varies(variable: Variable) -> bool:
    if variable.kind is VariableKind.BOOLEAN:
        return True
    if variable.kind is VariableKind.CHOICE:
        return len(set(variable.choices)) > 1
    single = variable.low == variable.high
    if variable.kind is VariableKind.INTEGER_LIST:
        lengths = variable.length_low != variable.length_high
        return lengths or (variable.length_high > 0 and not single)
    return not single
