"""Exercise templates built to hurt, and the checks that must not change for sound ones.

The equations of a worked solution are found as the regular expression used before
found them (kept here as the reference), in linear time; a template whose constraint
nothing meets is refused quickly, naming that constraint at its line.
"""

from __future__ import annotations

import random
import re
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizapp.banks.formats import read_bank
from quizapp.domain import ExerciseContent, ExerciseTemplate, Variable, VariableKind
from quizapp.exercises.formula import FormulaError, compile_formula
from quizapp.exercises.instances import MAX_DRAWS, TemplateError, draw_instance
from quizapp.exercises.validation import equations, validate_template
from quizapp.exercises.working import holds
from quizapp.services.validation import exercise_issues
from tests.unit.test_templates import in_a_row

BUNDLED = Path(__file__).parents[2] / "data" / "ml-exercises.yaml"
# Generous: the shapes below take milliseconds to a few tenths of a second; the old
# patterns took 37 s on the smallest of them.
HANG_GUARD_SECONDS = 20.0

# What validation used before, the reference for every text that is not hostile.
_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_OPERAND = rf"[(\s]*(?:{_NUMBER})[²³]?[)\s]*"
_SIDE = rf"-?{_OPERAND}(?:[-+×*/÷·−]{_OPERAND})*"
OLD_EQUATION = re.compile(rf"(?<![\w.,\-−]){_SIDE}(?:=\s*{_SIDE})+(?![\w.,]\d|\w)")
OLD_SYMBOLS = str.maketrans({"×": "*", "·": "*", "÷": "/", "−": "-"})


def old_equations(text: str) -> list[str]:
    return [match[0].strip() for match in OLD_EQUATION.finditer(text)]


def old_holds(equation: str) -> bool:
    sides = [side.strip() for side in equation.split("=")]
    while sides[0].count("(") > sides[0].count(")") and sides[0].startswith("("):
        sides[0] = sides[0][1:].strip()
    while sides[-1].count(")") > sides[-1].count("(") and sides[-1].endswith(")"):
        sides[-1] = sides[-1][:-1].strip()
    values = []
    for side in sides:
        text = re.sub(r"(?<=\d),(?=\d{3})", "", side).translate(OLD_SYMBOLS)
        text = text.replace("²", "**2").replace("³", "**3")
        try:
            value = compile_formula(text, ()).evaluate({})
        except FormulaError:
            value = None
        if text.count("(") != text.count(")") or isinstance(value, bool | str | tuple):
            value = None
        values.append(value)
    known = [value for value in values if value is not None]
    if len(known) < len(values):
        return True
    first = known[0]
    return all(abs(value - first) <= 1e-5 * max(abs(value), abs(first)) + 1e-9 for value in known)


# --- equations: the same as before -------------------------------------------------------

_PIECES = st.sampled_from(
    [*"0123456789", *" ()²³=.,+-×−÷·*/a_\n", "\u00a0", "٣", "1,024", " = ", "12", "3.5", "x1"]
)
_ARITHMETIC = st.lists(_PIECES, max_size=24).map("".join)


@given(_ARITHMETIC)
def test_equations_are_found_as_the_old_pattern_found_them(text: str) -> None:
    assert equations(text) == old_equations(text)


@given(_ARITHMETIC)
def test_equations_hold_or_not_as_before(text: str) -> None:
    for equation in old_equations(text):
        assert holds(equation) == old_holds(equation)


def bundled_templates() -> list[ExerciseTemplate]:
    batch = read_bank(BUNDLED)
    return [
        i.note.content.template for i in batch.notes if isinstance(i.note.content, ExerciseContent)
    ]


def test_the_bundled_worked_solutions_read_as_before() -> None:
    checked = 0
    for template in bundled_templates():
        for instance in in_a_row(template, seed=3, count=60):
            found = equations(instance.explanation)
            assert found == old_equations(instance.explanation)
            assert [holds(e) for e in found] == [old_holds(e) for e in found]
            checked += len(found)
    assert checked > 500  # the bank's working is full of equations


# --- hostile explanations -------------------------------------------------------------------


def template_explaining(explanation: str) -> ExerciseTemplate:
    return ExerciseTemplate(
        template_id="hostile",
        question="What is {a}?",
        answer="a",
        explanation="{answer}. " + explanation,
        variables=(Variable("a", VariableKind.INTEGER, 1, 9),),
    )


def _hostile_workings(size: int) -> list[str]:
    return [
        "+".join(["1"] * (size // 2)),  # the attack: 4 KB of 1+1+…+1 took 37 s
        "1 =" + " " * size,  # the other: 1 = and 4,000 spaces took 38 s
        "1 = " * (size // 4),
        "(" * size + "1 = 1",
        "1 = 1" + ")" * size,
        "1 = " + " ( " * (size // 3),
        "1,000" * (size // 5) + " = 1",
        "1 =" + " -" * (size // 2),
        "1.5" * (size // 3) + " = 1",
        "2 × " * (size // 4) + "2 = x",
    ]


@pytest.mark.parametrize("size", [4_000, 16_000])
@pytest.mark.parametrize("shape", range(10))
def test_hostile_working_is_validated_without_hanging(shape: int, size: int) -> None:
    template = template_explaining(_hostile_workings(size)[shape])
    started = time.perf_counter()

    validate_template(template)

    assert time.perf_counter() - started < HANG_GUARD_SECONDS


def test_a_false_equation_in_long_working_is_still_found() -> None:
    working = "1 + 1 = 2, " * 300 + "2 × 2 = 5, " + "1 + 1 = 2, " * 300

    problems = validate_template(template_explaining(working))

    assert len(problems) == 1
    assert problems[0].startswith("explanation: the working says '2 × 2 = 5', which is false")


# --- constraints nothing meets --------------------------------------------------------------


def listy(count: int, constraint: str) -> ExerciseTemplate:
    """``count`` list variables of ten to thirty numbers, and one constraint."""
    return ExerciseTemplate(
        template_id="lists",
        question="{v0}?",
        answer="sum(v0)",
        explanation="{answer}",
        variables=tuple(
            Variable(f"v{i}", VariableKind.INTEGER_LIST, 1, 9, length_low=10, length_high=30)
            for i in range(count)
        ),
        constraints=(constraint,),
    )


@pytest.mark.parametrize("count", [20, 100])
def test_a_constraint_nothing_meets_is_named_without_a_long_search(count: int) -> None:
    template = listy(count, "sum(v0) > sum(v1) + 1000")
    started = time.perf_counter()

    with pytest.raises(TemplateError) as raised:
        draw_instance(template, random.Random(0))

    assert time.perf_counter() - started < HANG_GUARD_SECONDS
    assert raised.value.field == "constraints[0]"
    problem = raised.value.problem
    assert problem.startswith("constraint 'sum(v0) > sum(v1) + 1000' was never met in the ")
    counted = re.search(r"in the ([\d,]+) draws?", problem)
    assert counted is not None
    assert 1 <= int(counted[1].replace(",", "")) <= MAX_DRAWS


BANK = """quizapp_bank: 1
decks:
  - name: D
    notes:
      - id: impossible
        kind: exercise
        variables:
          - {{name: a, integer: [1, 9]}}
          - {{name: b, integer: [1, 9]}}
        constraints:
          - "a > 0"
          - "{constraint}"
        question: "What is {{a}} + {{b}}?"
        answer: "a + b"
        explanation: "{{a}} + {{b}} = {{answer}}"
"""


def test_the_constraint_never_met_is_reported_at_its_line(tmp_path: Path) -> None:
    bank = tmp_path / "bank.yaml"
    bank.write_text(BANK.format(constraint="a > b + 10"), encoding="utf-8")

    (issue,) = exercise_issues(read_bank(bank))

    assert issue.file == str(bank)
    assert issue.line == 12
    assert issue.message.startswith(
        "template 'impossible': constraints[1]: constraint 'a > b + 10' was never met in the "
    )


# --- labels and answers written as code -------------------------------------------------------


def test_numeric_labels_written_as_code_still_name_the_answer() -> None:
    template = ExerciseTemplate(
        template_id="batch",
        question="Which batch size is {n} × 2?",
        answer="n * 2",
        explanation="{n} × 2 = {answer}",
        variables=(Variable("n", VariableKind.CHOICE, choices=(512, 1024)),),
        answer_choices=("1024", "2048"),
    )

    instance = draw_instance(template, random.Random(1))

    assert validate_template(template) == []
    assert [choice.label for choice in instance.choices if choice.correct] == [f"{instance.answer}"]


def test_an_answer_shown_as_code_is_still_shown() -> None:
    template = ExerciseTemplate(
        template_id="embedding",
        question="How many weights has nn.Embedding({n!r}, 64)?",
        answer="n * 64",
        explanation="nn.Embedding({n!r}, 64) holds {answer!r} weights.",
        variables=(Variable("n", VariableKind.INTEGER, 1000, 9000, step=1000),),
    )

    assert validate_template(template) == []
