"""Reading an exercise template (``kind: exercise``) from the native YAML format.

Only the structure is checked here; whether the formulas evaluate, the
constraints can be met and the worked solution agrees with the answer is
checked by :mod:`quizapp.exercises` when a bank is validated or imported.
"""

from __future__ import annotations

import re

import yaml

from quizapp.banks.yaml_nodes import UNREADABLE, BankReader, Fields
from quizapp.domain import (
    Distractor,
    ExerciseContent,
    ExerciseTemplate,
    NoteContent,
    Step,
    ToleranceKind,
    Variable,
    VariableKind,
)
from quizapp.domain.exercises import TemplateTest, WrongAnswer

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def read_exercise(fields: Fields, reader: BankReader) -> NoteContent | None:
    """The template of an exercise note; its ``id`` is the template id."""
    # The template id is the note's own id, without the bank's prefix.
    template_id = fields.text("id").rsplit("/", 1)[-1]
    if template_id and not _NAME.match(template_id.replace("-", "_")):
        reader.issue(fields.where("id"), f"template id '{template_id}' must be a simple name")
    kind_name = fields.text("tolerance_kind", required=False, default="absolute")
    try:
        tolerance_kind = ToleranceKind(kind_name)
    except ValueError:
        reader.issue(fields.where("tolerance_kind"), f"unknown tolerance_kind '{kind_name}'")
        tolerance_kind = ToleranceKind.ABSOLUTE
    tolerance = fields.number("tolerance", required=False)
    if tolerance < 0:
        reader.issue(fields.where("tolerance"), "'tolerance' cannot be negative")
    return ExerciseContent(
        ExerciseTemplate(
            template_id=template_id,
            question=fields.text("question"),
            answer=fields.text("answer"),
            explanation=fields.text("explanation"),
            variables=tuple(_variables(fields, reader)),
            constraints=fields.text_list("constraints"),
            steps=tuple(_steps(fields, reader)),
            tolerance=tolerance,
            tolerance_kind=tolerance_kind,
            distractors=tuple(_distractors(fields, reader)),
            answer_choices=fields.text_list("answer_choices"),
            multiple_choice=fields.boolean("multiple_choice", required=False),
            unit=fields.text("unit", required=False),
            tests=tuple(_tests(fields, reader)),
        )
    )


def _variables(fields: Fields, reader: BankReader) -> list[Variable]:
    variables = []
    for node in fields.nodes("variables"):
        item = reader.mapping(node, "a variable")
        if item is None:
            continue
        name = item.text("name")
        if name and not _NAME.match(name):
            reader.issue(node, f"variable name '{name}' must be a simple name")
        kinds = [kind for kind in VariableKind if kind.value in item.values]
        if len(kinds) != 1:
            known = ", ".join(kind.value for kind in VariableKind)
            reader.issue(node, f"variable '{name}' needs exactly one of: {known}")
            continue
        variable = _variable(item, reader, name, kinds[0])
        if variable is not None:
            variables.append(variable)
    return variables


def _variable(item: Fields, reader: BankReader, name: str, kind: VariableKind) -> Variable | None:
    if kind is VariableKind.BOOLEAN:
        item.boolean("boolean")
        return Variable(name, kind)
    if kind is VariableKind.CHOICE:
        choices = [reader.scalar(choice) for choice in item.nodes("choice")]
        if not choices or any(isinstance(c, yaml.Node) or c is UNREADABLE for c in choices):
            reader.issue(item.where("choice"), f"'{name}' needs a list of plain values")
            return None
        return Variable(name, kind, choices=tuple(choices))  # type: ignore[arg-type]
    bounds = item.number_list(kind.value)
    step = item.number("step", required=False, default=1.0)
    if len(bounds) != 2 or bounds[0] > bounds[1] or step <= 0:
        reader.issue(
            item.where(kind.value), f"'{name}' needs [low, high] with low ≤ high and step > 0"
        )
        return None
    if kind is VariableKind.INTEGER_LIST:
        length = item.number_list("length")
        if len(length) != 2 or not 1 <= length[0] <= length[1] <= 100:
            reader.issue(item.where("length"), f"'{name}' needs length: [shortest, longest]")
            return None
        return Variable(name, kind, bounds[0], bounds[1], step, (), int(length[0]), int(length[1]))
    return Variable(name, kind, bounds[0], bounds[1], step)


def _steps(fields: Fields, reader: BankReader) -> list[Step]:
    steps = []
    for node in fields.nodes("steps"):
        if not isinstance(node, yaml.MappingNode) or len(node.value) != 1:
            reader.issue(node, "each step is one 'name: formula' pair")
            continue
        key, value = node.value[0]
        formula = reader.scalar(value)
        if not _NAME.match(str(key.value)) or not isinstance(formula, str | int | float):
            reader.issue(node, "each step is one 'name: formula' pair")
            continue
        steps.append(Step(str(key.value), str(formula)))
    return steps


def _distractors(fields: Fields, reader: BankReader) -> list[Distractor]:
    distractors = []
    for node in fields.nodes("distractors"):
        item = reader.mapping(node, "a distractor")
        if item is not None:
            distractors.append(Distractor(item.text("formula"), item.text("mistake")))
    return distractors


_TEST_FIELDS = {"values", "seed", "answer", "wrong"}


def _tests(fields: Fields, reader: BankReader) -> list[TemplateTest]:
    """The author's tests: ``values`` (or ``seed``), ``answer`` and ``wrong`` answers."""
    tests = []
    for node in fields.nodes("tests"):
        item = reader.mapping(node, "a test")
        if item is None:
            continue
        for name in sorted(set(item.values) - _TEST_FIELDS):
            reader.issue(item.values[name], f"unknown field '{name}' for a test")
        if ("values" in item.values) == ("seed" in item.values):
            reader.issue(node, "a test gives either 'values' or a 'seed'")
            continue
        seed = int(item.number("seed")) if "seed" in item.values else None
        wrong = []
        for wrong_node in item.nodes("wrong"):
            answer = reader.mapping(wrong_node, "a wrong answer")
            if answer is not None:
                wrong.append(WrongAnswer(answer.text("answer"), answer.text("mistake")))
        tests.append(
            TemplateTest(
                _test_values(item, reader), seed, item.text("answer", required=False), tuple(wrong)
            )
        )
    return tests


def _test_values(item: Fields, reader: BankReader) -> tuple[tuple[str, object], ...]:
    node = item.values.get("values")
    if node is None:
        return ()
    if not isinstance(node, yaml.MappingNode):
        reader.issue(node, "a test's 'values' maps each variable to its value")
        return ()
    values = []
    for key, value in node.value:
        if isinstance(value, yaml.SequenceNode):
            read: object = tuple(reader.scalar(part) for part in value.value)
        else:
            read = reader.scalar(value)
        if isinstance(read, yaml.Node) or (
            isinstance(read, tuple) and any(isinstance(part, yaml.Node) for part in read)
        ):
            reader.issue(value, f"the test value of '{key.value}' must be a plain value or list")
            continue
        values.append((str(key.value), read))
    return tuple(values)
