"""Moodle ``calculated`` and ``calculatedsimple`` questions, read as exercise templates.

Datasets become variables drawn from their range, the full-credit answer's formula
becomes the template's answer, and ``{=formula}`` in the texts becomes a step.
The values Moodle stored for each dataset are not kept: QuizApp draws its own.
"""

from __future__ import annotations

import html
import math
import re
from xml.etree.ElementTree import Element

from quizapp.banks.moodle_formulas import NAME, FormulaError, reserved_name, translate_formula
from quizapp.banks.moodle_questions import Read, read_unit
from quizapp.banks.moodle_reading import QuestionFields, slug
from quizapp.domain import (
    ExerciseContent,
    ExerciseTemplate,
    NoteKind,
    Step,
    TextFormat,
    ToleranceKind,
    Variable,
    VariableKind,
)

DEFAULT_EXPLANATION = "Answer: {answer}"
MAX_DECIMALS = 10
_TOLERANCE_KINDS = {
    "1": ToleranceKind.RELATIVE,
    "2": ToleranceKind.ABSOLUTE,  # Moodle's "nominal"
    "3": ToleranceKind.GEOMETRIC,
}
_EXPRESSION = re.compile(r"\{=((?:[^{}]|\{[A-Za-z_]\w*\})*)\}", re.ASCII)


def read_calculated(fields: QuestionFields) -> Read | None:
    """``calculated`` / ``calculatedsimple``: an exercise template with its variables."""
    variables = _variables(fields)
    answer = _full_credit_answer(fields)
    if answer is None:
        return None
    tolerance = fields.number(fields.value("tolerance", answer) or "0", answer, "the tolerance")
    tolerance_kind = _tolerance_kind(fields, answer)
    if variables is None:
        return None  # the formulas would only repeat that a dataset is wrong
    names = {variable.name for variable in variables}
    formula = _translate(fields, answer, fields.value("text", answer), names)
    steps: dict[str, Step] = {}
    question = _with_steps(fields, fields.child_text("questiontext"), names, steps)
    # The worked solution always ends with the answer for the values drawn, as
    # QuizApp's own templates do (and their validation asks).
    feedback = fields.child_text("generalfeedback")
    answer_line = fields.plain(DEFAULT_EXPLANATION)
    explanation = feedback if "{answer}" in feedback else f"{feedback} {answer_line}".strip()
    explanation = _with_steps(fields, explanation, names, steps)
    if formula is None or tolerance is None or tolerance_kind is None:
        return None
    template = ExerciseTemplate(
        template_id=_template_id(fields),
        question=question,
        answer=formula,
        explanation=explanation,
        variables=variables,
        steps=tuple(steps.values()),
        tolerance=abs(tolerance),
        tolerance_kind=tolerance_kind,
        unit=read_unit(fields),
    )
    return NoteKind.EXERCISE, ExerciseContent(template)


def _full_credit_answer(fields: QuestionFields) -> Element | None:
    answers = fields.element.findall("answer")
    fractions = [fields.fraction(answer) for answer in answers]
    full = [answer for answer, fraction in zip(answers, fractions, strict=True) if fraction == 1]
    if not full:
        if None not in fractions:
            fields.error(None, "a calculated question needs an answer with full credit (100)")
        return None
    if len(answers) > 1:
        fields.warn(answers[1], "only the formula of the first full-credit answer is kept")
    return full[0]


def _variables(fields: QuestionFields) -> tuple[Variable, ...] | None:
    variables: dict[str, Variable] = {}
    failed = False
    for element in fields.element.findall("dataset_definitions/dataset_definition"):
        variable = _variable(fields, element)
        if variable is None:
            failed = True
        elif variable.name in variables:
            fields.error(element, f"the dataset {{{variable.name}}} is defined twice")
            failed = True
        else:
            variables[variable.name] = variable
    return None if failed else tuple(variables.values())


def _variable(fields: QuestionFields, element: Element) -> Variable | None:
    name = fields.value("name", element)
    if not NAME.fullmatch(name) or reserved_name(name):
        fields.error(element, f"'{name}' cannot be a dataset name here: use letters, digits, _")
        return None
    low = fields.number(fields.value("minimum", element), element, f"the minimum of {{{name}}}")
    high = fields.number(fields.value("maximum", element), element, f"the maximum of {{{name}}}")
    decimals = _decimals(fields, element, name)
    distribution = fields.value("distribution", element).lower() or "uniform"
    if distribution == "loguniform":
        fields.warn(element, f"{{{name}}} is drawn uniformly, not log-uniformly")
    elif distribution != "uniform":
        fields.error(element, f"unknown distribution '{distribution}' for {{{name}}}")
        return None
    if low is None or high is None or decimals is None:
        return None
    if decimals == 0:
        low, high = math.ceil(low), math.floor(high)
    if low > high:
        fields.error(element, f"the range of {{{name}}} is empty: {low:g} to {high:g}")
        return None
    if decimals == 0:
        return Variable(name, VariableKind.INTEGER, low, high, 1)
    return Variable(name, VariableKind.DECIMAL, low, high, 10.0**-decimals)


def _decimals(fields: QuestionFields, element: Element, name: str) -> int | None:
    text = fields.value("decimals", element) or "1"  # Moodle's default
    if not re.fullmatch(r"[0-9]{1,2}", text) or int(text) > MAX_DECIMALS:
        fields.error(element, f"the decimals of {{{name}}} must be 0 to {MAX_DECIMALS}, not {text}")
        return None
    return int(text)


def _tolerance_kind(fields: QuestionFields, answer: Element) -> ToleranceKind | None:
    code = fields.value("tolerancetype", answer) or "1"
    kind = _TOLERANCE_KINDS.get(code)
    if kind is None:
        fields.error(answer, f"<tolerancetype> must be 1, 2 or 3, not '{code}'")
    return kind


def _translate(fields: QuestionFields, where: Element, formula: str, names: set[str]) -> str | None:
    try:
        return translate_formula(formula, names)
    except FormulaError as problem:
        fields.error(where, f"formula '{formula.strip()}': {problem}")
        return None


def _with_steps(fields: QuestionFields, text: str, names: set[str], steps: dict[str, Step]) -> str:
    """``text`` with each ``{=formula}`` replaced by ``{step}``, a step computing it."""

    def replace(match: re.Match[str]) -> str:
        source = match.group(1)
        if fields.text_format is TextFormat.HTML:
            source = html.unescape(source)
        formula = _translate(fields, fields.element, source, names) or "0"
        step = next((s for s in steps.values() if s.formula == formula), None)
        if step is None:
            number = len(steps) + 1
            while f"calc{number}" in names or f"calc{number}" in steps:
                number += 1
            step = Step(f"calc{number}", formula)
            steps[step.name] = step
        return "{" + step.name + "}"

    return _EXPRESSION.sub(replace, text)


def _template_id(fields: QuestionFields) -> str:
    base = fields.value("idnumber") or slug(fields.title) or "calculated"
    template_id = base
    number = 1
    while template_id in fields.reader.template_ids:
        number += 1
        template_id = f"{base}-{number}"
    fields.reader.template_ids.add(template_id)
    return template_id
