"""Exercise templates: drawing instances, rendering them, checking answers, validating."""

from __future__ import annotations

import json
import random
from dataclasses import replace

import pytest

from quizapp.domain import (
    Distractor,
    ExerciseTemplate,
    Rating,
    Step,
    ToleranceKind,
    Variable,
    VariableKind,
)
from quizapp.errors import UserError
from quizapp.exercises.checking import check_answer
from quizapp.exercises.instances import (
    ExerciseInstance,
    draw_instance,
    draw_instance_seeded,
    instance_from_values,
)
from quizapp.exercises.render import format_value, parse_text, render
from quizapp.exercises.template_parts import TemplateError, within_tolerance
from quizapp.exercises.validation import equations, validate_template

DENSE = ExerciseTemplate(
    template_id="dense",
    question="How many parameters does nn.Linear({in_features}, {out_features}, bias={bias}) have?",
    answer="weights + biases",
    explanation=(
        "{out_features} × {in_features} = {weights} weights and {biases} biases: "
        "{weights} + {biases} = {answer}."
    ),
    variables=(
        Variable("in_features", VariableKind.INTEGER, 2, 512),
        Variable("out_features", VariableKind.INTEGER, 2, 512),
        Variable("bias", VariableKind.BOOLEAN),
    ),
    steps=(Step("weights", "in_features * out_features"), Step("biases", "out_features * bias")),
    distractors=(
        Distractor("weights", "forgot the biases"),
        Distractor("weights + in_features", "counted one bias per input"),
    ),
    unit="parameters",
)
DENSE_10_5 = {"in_features": 10, "out_features": 5, "bias": True}
CLASSIFY = ExerciseTemplate(
    template_id="classify",
    question="Is the {quantity} a parameter or a hyperparameter?",
    answer="'parameter' if quantity in ['weight', 'bias'] else 'hyperparameter'",
    explanation="The {quantity} is a {answer}.",
    variables=(
        Variable("quantity", VariableKind.CHOICE, choices=("weight", "bias", "learning rate")),
    ),
    distractors=(
        Distractor("'parameter' if quantity == 'learning rate' else answer", "it is not learned"),
    ),
    answer_choices=("parameter", "hyperparameter"),
)


def in_a_row(template: ExerciseTemplate, seed: int, count: int) -> list[ExerciseInstance]:
    """``count`` instances drawn one after another, as the reviewer draws them."""
    rng = random.Random(seed)
    drawn: list[ExerciseInstance] = []
    for _ in range(count):
        drawn.append(draw_instance(template, rng, avoid=drawn[-1].variables if drawn else None))
    return drawn


def signature(template: ExerciseTemplate, seed: int, count: int = 5) -> list[tuple[object, ...]]:
    return [
        (tuple(i.variables.items()), i.question, i.answer) for i in in_a_row(template, seed, count)
    ]


# ---------------------------------------------------------------- drawing


def test_the_same_seed_gives_the_same_instances() -> None:
    assert signature(DENSE, 42) == signature(DENSE, 42)
    assert draw_instance_seeded(DENSE, 7) == draw_instance_seeded(DENSE, 7)
    assert draw_instance_seeded(DENSE, 7).seed == 7


def test_different_seeds_give_different_instances() -> None:
    assert len({str(signature(DENSE, seed)) for seed in range(10)}) == 10


def test_drawing_never_touches_the_global_random_generator() -> None:
    random.seed(1234)
    state = random.getstate()
    for seed in range(50):
        draw_instance(DENSE, random.Random(seed))
    assert random.getstate() == state


def test_never_the_same_values_twice_in_a_row() -> None:
    two_values = ExerciseTemplate(
        template_id="coin",
        question="bias={bias}",
        answer="1 if bias else 0",
        explanation="{answer}",
        variables=(Variable("bias", VariableKind.BOOLEAN),),
    )
    rng = random.Random(0)
    previous = None
    for _ in range(2000):
        instance = draw_instance(two_values, rng, avoid=previous)
        assert previous is None or dict(instance.variables) != dict(previous)
        previous = instance.variables


def test_avoid_accepts_stored_json_values() -> None:
    listed = ExerciseTemplate(
        template_id="list",
        question="{sizes}",
        answer="sum(sizes)",
        explanation="{answer}",
        variables=(
            Variable("sizes", VariableKind.INTEGER_LIST, 1, 2, length_low=2, length_high=2),
        ),
    )
    rng = random.Random(5)
    previous = json.loads(json.dumps(draw_instance(listed, rng).stored_values()))
    for _ in range(200):
        instance = draw_instance(listed, rng, avoid=previous)
        assert list(instance.variables["sizes"]) != previous["sizes"]
        previous = json.loads(json.dumps(instance.stored_values()))


def test_a_template_with_one_possible_instance_repeats_it() -> None:
    single = ExerciseTemplate(
        template_id="single",
        question="{n}",
        answer="n",
        explanation="{answer}",
        variables=(Variable("n", VariableKind.INTEGER, 1, 3),),
        constraints=("n == 2",),
    )
    rng = random.Random(0)
    first = draw_instance(single, rng)
    assert draw_instance(single, rng, avoid=first.variables).answer == 2


def test_constraints_are_honoured() -> None:
    grouped = ExerciseTemplate(
        template_id="grouped",
        question="{c} {g}",
        answer="c // g",
        explanation="{answer}",
        variables=(
            Variable("c", VariableKind.INTEGER, 1, 64),
            Variable("g", VariableKind.INTEGER, 1, 8),
        ),
        constraints=("c % g == 0", "c != g"),
    )
    rng = random.Random(9)
    for _ in range(500):
        values = draw_instance(grouped, rng).variables
        assert values["c"] % values["g"] == 0
        assert values["c"] != values["g"]


def test_unsatisfiable_constraints_are_a_clear_error() -> None:
    impossible = replace(DENSE, constraints=("in_features > 1", "in_features > 1000"))
    with pytest.raises(TemplateError) as raised:
        draw_instance(impossible, random.Random(0))
    message = raised.value.user_message
    assert message.startswith(
        "template 'dense', constraints[1]: constraint 'in_features > 1000' was never met in the "
    )
    assert "draws that met the constraints before it" in message
    assert raised.value.field == "constraints[1]"


def test_a_formula_failing_for_drawn_values_names_template_field_and_values() -> None:
    failing = replace(DENSE, answer="weights / (in_features - in_features)")
    with pytest.raises(TemplateError) as raised:
        draw_instance(failing, random.Random(0))
    message = raised.value.user_message
    assert message.startswith("template 'dense', answer: division by zero")
    assert "in_features=" in message
    assert raised.value.field == "answer"


def test_variables_are_drawn_within_their_ranges_and_steps() -> None:
    template = ExerciseTemplate(
        template_id="kinds",
        question="{n} {rate} {dtype} {sizes}",
        answer="n",
        explanation="{answer}",
        variables=(
            Variable("n", VariableKind.INTEGER, 2, 64, step=2),
            Variable("rate", VariableKind.DECIMAL, 0.1, 0.9, step=0.1),
            Variable("dtype", VariableKind.CHOICE, choices=("float32", "int8")),
            Variable("sizes", VariableKind.INTEGER_LIST, 2, 128, length_low=3, length_high=5),
        ),
    )
    rng = random.Random(1)
    rates, dtypes, lengths = set(), set(), set()
    for _ in range(1000):
        values = draw_instance(template, rng).variables
        n, rate, dtype, sizes = values["n"], values["rate"], values["dtype"], values["sizes"]
        assert isinstance(n, int)
        assert 2 <= n <= 64
        assert n % 2 == 0
        rates.add(rate)
        dtypes.add(dtype)
        assert isinstance(sizes, tuple)
        lengths.add(len(sizes))
        assert all(isinstance(size, int) and 2 <= size <= 128 for size in sizes)
    # Decimals are rounded to the step's places: 0.3, never 0.30000000000000004.
    assert rates == {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9}
    assert dtypes == {"float32", "int8"}
    assert lengths == {3, 4, 5}


def test_an_instance_holds_its_rendered_texts_and_working() -> None:
    instance = instance_from_values(DENSE, DENSE_10_5)
    assert instance.template_id == "dense"
    assert instance.question == "How many parameters does nn.Linear(10, 5, bias=True) have?"
    assert instance.explanation == "5 × 10 = 50 weights and 5 biases: 50 + 5 = 55."
    assert instance.answer == 55
    assert dict(instance.steps) == {"weights": 50, "biases": 5}
    assert instance.expected == "55 parameters"


def test_an_instance_rebuilt_from_stored_values_is_the_same() -> None:
    template = replace(DENSE, multiple_choice=True)
    drawn = draw_instance(template, random.Random(11))
    stored = json.loads(json.dumps(drawn.stored_values()))
    assert instance_from_values(template, stored) == drawn


def test_rebuilding_from_values_that_lack_a_variable_is_an_error() -> None:
    with pytest.raises(TemplateError, match="lack 'bias'"):
        instance_from_values(DENSE, {"in_features": 10, "out_features": 5})


# ---------------------------------------------------------------- checking answers


@pytest.mark.parametrize("typed", ["55", "55.0", "5.5e1", "55 parameters", " 55 ", "+55", "55.000"])
def test_lenient_numbers_are_accepted(typed: str) -> None:
    result = check_answer(instance_from_values(DENSE, DENSE_10_5), typed)
    assert result.correct
    assert result.proposed is Rating.GOOD
    assert result.expected == "55 parameters"


@pytest.mark.parametrize("typed", ["1,024", "1 024", "1024", "1.024e3"])
def test_thousands_separators_are_accepted(typed: str) -> None:
    # nn.Linear(31, 32): 31 × 32 = 992 weights + 32 biases = 1,024.
    instance = instance_from_values(DENSE, {"in_features": 31, "out_features": 32, "bias": True})
    assert instance.answer == 1024
    assert check_answer(instance, typed).correct


def test_a_distractor_value_names_the_mistake() -> None:
    instance = instance_from_values(DENSE, DENSE_10_5)
    forgot = check_answer(instance, "50")
    assert not forgot.correct
    assert forgot.proposed is Rating.AGAIN
    assert forgot.note == "forgot the biases"
    assert check_answer(instance, "60 parameters").note == "counted one bias per input"


def test_other_wrong_numbers_are_too_high_or_too_low() -> None:
    instance = instance_from_values(DENSE, DENSE_10_5)
    assert check_answer(instance, "56").note == "too high"
    assert check_answer(instance, "54").note == "too low"
    assert check_answer(instance, "fifty-five").note == "not a number"


def test_a_distractor_that_equals_the_answer_names_no_mistake() -> None:
    # Without biases "forgot the biases" gives the right answer, 50: it is simply correct.
    instance = instance_from_values(DENSE, {**DENSE_10_5, "bias": False})
    result = check_answer(instance, "50")
    assert result.correct
    assert result.note == ""


@pytest.mark.parametrize(
    ("kind", "tolerance", "inside", "outside"),
    [
        (ToleranceKind.ABSOLUTE, 0.5, [99.5, 100.5], [99.4, 100.6]),
        (ToleranceKind.RELATIVE, 0.01, [99.0, 101.0], [98.9, 101.1]),
        # Moodle's geometric: from answer / (1 + t) to answer × (1 + t).
        (ToleranceKind.GEOMETRIC, 0.25, [80.0, 125.0], [79.9, 125.1]),
    ],
)
def test_tolerance_kinds(
    kind: ToleranceKind, tolerance: float, inside: list[float], outside: list[float]
) -> None:
    assert all(within_tolerance(value, 100, tolerance, kind) for value in inside)
    assert not any(within_tolerance(value, 100, tolerance, kind) for value in outside)
    template = ExerciseTemplate(
        template_id="hundred",
        question="?",
        answer="n * 10",
        explanation="{answer}",
        variables=(Variable("n", VariableKind.INTEGER, 10, 10),),
        tolerance=tolerance,
        tolerance_kind=kind,
    )
    instance = instance_from_values(template, {"n": 10})
    assert all(check_answer(instance, str(value)).correct for value in inside)
    assert not any(check_answer(instance, str(value)).correct for value in outside)


def test_geometric_tolerance_of_a_negative_answer() -> None:
    assert within_tolerance(-80, -100, 0.25, ToleranceKind.GEOMETRIC)
    assert within_tolerance(-125, -100, 0.25, ToleranceKind.GEOMETRIC)
    assert not within_tolerance(-79, -100, 0.25, ToleranceKind.GEOMETRIC)


def test_multiple_choice_offers_the_answer_and_distractors_with_their_mistakes() -> None:
    template = replace(DENSE, multiple_choice=True)
    instance = instance_from_values(template, DENSE_10_5)
    labels = {choice.label: choice for choice in instance.choices}
    assert set(labels) == {"55", "50", "60"}
    assert [choice.label for choice in instance.choices if choice.correct] == ["55"]
    assert labels["50"].mistake == "forgot the biases"
    assert check_answer(instance, "55").correct
    picked = check_answer(instance, "60")
    assert not picked.correct
    assert picked.note == "counted one bias per input"


def test_multiple_choice_is_shuffled_by_the_values() -> None:
    template = replace(DENSE, multiple_choice=True)
    orders = {
        tuple(c.correct for c in draw_instance_seeded(template, seed).choices) for seed in range(40)
    }
    assert len(orders) > 1


def test_multiple_choice_skips_distractors_that_equal_the_answer() -> None:
    template = replace(DENSE, multiple_choice=True)
    instance = instance_from_values(template, {**DENSE_10_5, "bias": False})
    assert sorted(choice.label for choice in instance.choices) == ["50", "60"]


def test_answer_choices_keep_their_order_and_name_the_mistake() -> None:
    instance = instance_from_values(CLASSIFY, {"quantity": "learning rate"})
    assert [choice.label for choice in instance.choices] == ["parameter", "hyperparameter"]
    assert instance.answer == "hyperparameter"
    assert check_answer(instance, "Hyperparameter").correct
    wrong = check_answer(instance, "parameter")
    assert not wrong.correct
    assert wrong.note == "it is not learned"
    assert wrong.expected == "hyperparameter"


# ---------------------------------------------------------------- rendering


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (55, "55"),
        (999, "999"),
        (8192, "8,192"),  # one format: 8,192 beside 16,384, never 8192
        (10_000, "10,000"),
        (1_050_624, "1,050,624"),
        (-12_288, "-12,288"),
        (2.5, "2.5"),
        (5.0, "5"),
        (1 / 3, "0.333333"),
        (162.5263157, "162.526"),
        (40_369.2, "40,369.2"),
        (8192.0, "8,192"),
        (123_456.7, "123,457"),
        (True, "True"),
        ("float16", "float16"),
        ((3, 4, 5), "[3, 4, 5]"),
        ((10_000, 20), "[10000, 20]"),
    ],
)
def test_values_are_shown_readably(value: object, shown: str) -> None:
    assert format_value(value) == shown  # type: ignore[arg-type]


def test_placeholders_braces_formulas_and_python_literals() -> None:
    pieces = parse_text(
        "nn.Embedding({n!r}, {d}) has {n} × {d} = {= n * d}; {{literal}} {s!r}", ["n", "d", "s"]
    )
    text = render(pieces, {"n": 32000, "d": 64, "s": "adam"})
    assert text == "nn.Embedding(32000, 64) has 32,000 × 64 = 2,048,000; {literal} 'adam'"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{x}", "names no variable or step"),
        ("{n", "never closed"),
        ("n}", "lone '}'"),
        ("{1 + n}", "neither a name nor '= formula'"),
        ("{= n +}", "syntax error"),
        ("{= m * 2}", "unknown name 'm'"),
    ],
)
def test_bad_placeholders_are_reported(text: str, message: str) -> None:
    with pytest.raises(UserError) as raised:
        parse_text(text, ["n"])
    assert message in raised.value.user_message


# ---------------------------------------------------------------- validation


def test_a_sound_template_has_no_problems() -> None:
    assert validate_template(DENSE) == []
    assert validate_template(CLASSIFY) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"answer": "weights + bisaes"}, "answer: unknown name 'bisaes' in 'weights + bisaes'"),
        ({"answer": "weights +"}, "answer: syntax error"),
        ({"question": "nn.Linear({in_feature})"}, "question: placeholder {in_feature} names"),
        ({"question": "Show {answer}"}, "question: the question cannot show the answer"),
        ({"explanation": "{= weights / }"}, "explanation: syntax error"),
        (
            {"steps": (Step("weights", "in_features * out_features"), Step("weights", "1"))},
            "steps[1]: the name 'weights' is used twice",
        ),
        (
            {"steps": (Step("biases", "weights"), Step("weights", "in_features"))},
            "steps[0]: unknown name 'weights'",  # a step reads only earlier steps
        ),
        ({"steps": (Step("max", "1"),)}, "steps[0]: 'max' is reserved"),
        ({"constraints": ("in_features >",)}, "constraints[0]: syntax error"),
        (
            {"constraints": ("in_features > 600",)},
            "constraints[0]: constraint 'in_features > 600' was never met in the ",
        ),
        ({"tolerance": -1.0}, "tolerance: cannot be negative"),
        (
            {"distractors": (Distractor("weights + biases", "nothing"),)},
            "distractors[0]: 'nothing' gives the answer in every instance tried",
        ),
        ({"multiple_choice": True, "distractors": ()}, "multiple_choice: a multiple-choice"),
        ({"answer": "[weights, biases]"}, "answer: must give a number or a label"),
        (
            {"steps": (Step("weights", "in_features * out_features + 1"), Step("biases", "0"))},
            "explanation: the working says",
        ),
        ({"explanation": "{weights} weights."}, "explanation: does not show the answer"),
        ({"answer": "weights / (bias - bias)"}, "answer: division by zero"),
    ],
)
def test_each_kind_of_problem_is_reported(change: dict[str, object], expected: str) -> None:
    problems = validate_template(replace(DENSE, **change))  # type: ignore[arg-type]
    assert any(problem.startswith(expected) for problem in problems), problems


@pytest.mark.parametrize(
    ("variable", "expected"),
    [
        (Variable("n", VariableKind.INTEGER, 10, 2), "low 10 is above high 2"),
        (Variable("n", VariableKind.INTEGER, 1, 9, step=0), "the step must be positive"),
        (Variable("n", VariableKind.DECIMAL, 0, 1, step=-0.1), "the step must be positive"),
        (Variable("n", VariableKind.INTEGER, 1.5, 9), "must be whole numbers"),
        (Variable("n", VariableKind.CHOICE), "has no choices"),
        (Variable("n", VariableKind.CHOICE, choices=(1, 1, 2)), "lists a choice twice"),
        (
            Variable("n", VariableKind.INTEGER_LIST, 1, 9, length_low=5, length_high=2),
            "the list length 5..2",
        ),
        (Variable("n", VariableKind.INTEGER, 1, 1e16), "within 1e15"),
        (Variable("in_features", VariableKind.BOOLEAN), "is used twice"),
        (Variable("not a name", VariableKind.BOOLEAN), "is not a name"),
    ],
)
def test_bad_variables_are_reported(variable: Variable, expected: str) -> None:
    problems = validate_template(replace(DENSE, variables=(*DENSE.variables, variable)))
    assert any(problem.startswith("variables[3]") and expected in problem for problem in problems)


def test_label_answers_must_be_one_of_the_answer_choices() -> None:
    problems = validate_template(replace(CLASSIFY, answer_choices=("learned", "chosen")))
    assert any(p.startswith("answer: gives 'parameter'") for p in problems), problems
    assert any(p.startswith("distractors[0]: gives 'parameter'") for p in problems), problems


def test_equations_are_found_in_rendered_working() -> None:
    text = (
        "nn.Linear(10, 5) has 5 × 10 = 50 weights (64 ÷ 4 = 16), and 2 × (3 + 4) = 14 = 2 × 7; "
        "512² = 262,144. Here bias=True and layer1 = linear."
    )
    assert equations(text) == [
        "5 × 10 = 50",
        "(64 ÷ 4 = 16)",
        "2 × (3 + 4) = 14 = 2 × 7",
        "512² = 262,144",
    ]


def test_values_to_avoid_from_an_edited_template_are_ignored() -> None:
    instance = draw_instance(DENSE, random.Random(0), avoid={"in_features": 3, "width": 4})
    assert instance.template_id == "dense"
