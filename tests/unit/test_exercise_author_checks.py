"""What a bank author's checks find: template tests, sampling, and mistakes named."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.banks.native import parse_native_bank
from quizapp.domain import ExerciseContent, ExerciseTemplate
from quizapp.exercises.checking import check_answer
from quizapp.exercises.instances import instance_from_values
from quizapp.exercises.sampling import sampling_problems
from quizapp.exercises.validation import template_problems
from quizapp.services.validation import exercise_issues, sampling_issues

HEADER = "quizapp_bank: 1\ndecks:\n  - name: E\n    notes:\n"
DENSE = """\
      - id: dense
        kind: exercise
        variables:
          - {name: n_in, integer: [2, 64]}
          - {name: n_out, integer: [2, 64]}
          - {name: bias, boolean: true}
        steps:
          - {weights: "n_in * n_out"}
          - {biases: "n_out if bias else 0"}
        question: "nn.Linear({n_in}, {n_out}, bias={bias})?"
        answer: "weights + biases"
        explanation: "{n_out} × {n_in} = {weights} weights; {weights} + {biases} = {answer}."
        distractors:
          - {formula: "weights if bias else answer", mistake: "forgot the biases"}
          - {formula: "weights + n_in if bias and n_in != n_out else answer", mistake: "per input"}
"""


def parse(text: str) -> tuple[str, ExerciseTemplate, object]:
    batch = parse_native_bank(HEADER + text, "bank.yaml")
    (item,) = batch.notes
    assert isinstance(item.note.content, ExerciseContent)
    return item.note.guid, item.note.content.template, batch


def issues(text: str) -> list[str]:
    batch = parse_native_bank(HEADER + text, "bank.yaml")
    return [str(issue) for issue in exercise_issues(batch)]


# ---------------------------------------------------------------- tests: in a template


def test_passing_tests_report_nothing() -> None:
    tests = """\
        tests:
          - values: {n_in: 10, n_out: 5, bias: true}
            answer: 55
            wrong:
              - {answer: 50, mistake: "forgot the biases"}
              - {answer: "60", mistake: "per input"}
          - {seed: 3}
"""
    _, template, _ = parse(DENSE + tests)
    assert len(template.tests) == 2
    assert issues(DENSE + tests) == []


def test_a_wrong_expected_answer_is_reported_at_the_line_of_its_test() -> None:
    tests = """\
        tests:
          - values: {n_in: 10, n_out: 5, bias: true}
            answer: 55
          - values: {n_in: 10, n_out: 5, bias: false}
            answer: 55
"""
    # The note starts on line 5; its second test is on line 23.
    (issue,) = issues(DENSE + tests)
    assert issue.startswith("bank.yaml:23: template 'dense': tests[1]: expected the answer 55")
    assert "the template gives 50" in issue
    assert "n_in=10, n_out=5, bias=False" in issue


def test_a_wrong_answer_named_otherwise_is_reported_with_the_name_it_got() -> None:
    tests = """\
        tests:
          - values: {n_in: 10, n_out: 5, bias: true}
            wrong:
              - {answer: 50, mistake: "per input"}
              - {answer: 55, mistake: "forgot the biases"}
"""
    found = issues(DENSE + tests)
    assert len(found) == 2
    assert "should be named 'per input', but is named 'forgot the biases'" in found[0]
    assert "the wrong answer 55 is graded right" in found[1]


def test_test_values_must_name_variables_and_meet_the_constraints() -> None:
    constrained = DENSE.replace(
        "        steps:", '        constraints: ["n_in != n_out"]\n        steps:'
    )
    tests = """\
        tests:
          - values: {n_in: 4, n_out: 4, bias: true}
            answer: 20
          - values: {n_in: 4, n_out: 5, bias: true, depth: 3}
            answer: 25
"""
    found = issues(constrained + tests)
    assert "the values break the constraint 'n_in != n_out'" in found[0]
    assert "no variable named 'depth'" in found[1]


def test_a_test_gives_values_or_a_seed_not_both() -> None:
    tests = "        tests:\n          - {seed: 1, values: {n_in: 2}, answer: 4}\n"
    with pytest.raises(Exception, match="either 'values' or a 'seed'"):
        parse(DENSE + tests)


def test_tests_do_not_change_a_templates_identity() -> None:
    _, without, _ = parse(DENSE)
    _, with_tests, _ = parse(DENSE + "        tests:\n          - {seed: 1}\n")
    # A bank whose tests change re-imports as unchanged; the collection keeps no tests.
    assert with_tests == without
    assert "tests" not in with_tests.to_fields()


# ---------------------------------------------------------------- mistakes named


BATCHNORM = """\
      - id: bn
        kind: exercise
        variables:
          - {name: n, choice: [8, 16]}
          - {name: affine, boolean: true}
        question: "nn.BatchNorm2d({n}, affine={affine})?"
        answer: "2 * n if affine else 0"
        explanation: "{= 2 if affine else 0} × {n} = {answer}."
        multiple_choice: true
        distractors:
          - {formula: "2 * n", mistake: "counted a weight and a bias although affine=False"}
          - {formula: "2 * n if not affine else 4 * n", mistake: "counted the running statistics"}
"""


def test_a_wrong_number_two_mistakes_explain_names_both() -> None:
    _, template, _ = parse(BATCHNORM)
    instance = instance_from_values(template, {"n": 8, "affine": False})
    result = check_answer(instance, "16")
    assert result.note == (
        "counted a weight and a bias although affine=False; or counted the running statistics"
    )
    (wrong,) = [choice for choice in instance.choices if not choice.correct]
    assert wrong.mistake == result.note


# ---------------------------------------------------------------- sampling


def sampled(text: str, samples: int = 200) -> list[str]:
    _, template, _ = parse(text)
    return [str(problem) for problem in sampling_problems(template, samples)]


def test_sampling_a_sound_template_reports_nothing() -> None:
    assert sampled(DENSE) == []


def test_a_distractor_that_gives_the_answer_where_it_applies_is_shown_with_values() -> None:
    (problem,) = sampled(DENSE.replace('"weights if bias else answer"', '"weights"'))
    assert problem.startswith("distractors[0]: 'forgot the biases' gives the answer ")
    assert "bias=False" in problem
    assert " of 200 draws" in problem


def test_two_mistakes_that_always_coincide_are_reported() -> None:
    twice = DENSE + '          - {formula: "n_in * n_out", mistake: "again"}\n'
    found = sampled(twice)
    assert any("'again' always gives what 'forgot the biases' gives" in p for p in found)


def test_a_constraint_that_rejects_nearly_every_draw_is_reported() -> None:
    rare = DENSE.replace("        steps:", '        constraints: ["n_in == 7"]\n        steps:')
    found = sampled(rare)
    assert any(
        problem.startswith("constraints[0]: the constraints keep ")
        and "'n_in == 7' rejects" in problem
        for problem in found
    )


def test_working_that_does_not_end_at_the_answer_is_reported() -> None:
    early = DENSE.replace(
        '"{n_out} × {n_in} = {weights} weights; {weights} + {biases} = {answer}."',
        '"The total is {answer}: {n_out} × {n_in} = {weights}."',
    )
    (problem,) = sampled(early)
    assert problem.startswith("explanation: the working ends at '")
    assert "not at the answer" in problem


THIRDS = """\
      - id: thirds
        kind: exercise
        variables:
          - {name: n, integer: [1, 50]}
        constraints: ["n % 3 != 0"]
        question: "What is {n} ÷ 3?"
        answer: "n / 3"
        explanation: "{n} ÷ 3 = {answer}."
"""


def test_an_answer_shown_rounder_than_the_tolerance_is_reported() -> None:
    (problem,) = sampled(THIRDS)
    # The answer is shown to six digits, and with no tolerance those are not enough.
    assert problem.startswith("tolerance: the answer shown as ")
    assert "is not graded right when typed" in problem
    assert sampled(THIRDS + "        tolerance: 0.01\n") == []


def test_validate_reports_sampling_at_the_line_of_the_part(tmp_path: Path) -> None:
    batch = parse_native_bank(
        HEADER + DENSE.replace('"weights if bias else answer"', '"weights"'), "bank.yaml"
    )
    (issue,) = sampling_issues(batch, 50)
    assert str(issue).startswith("bank.yaml:18: template 'dense': distractors[0]:")
    assert sampling_issues(batch, 0) == []


def test_the_bundled_banks_sample_clean() -> None:
    data = Path(__file__).parents[2] / "data"
    for path in sorted(data.glob("*.yaml")):
        batch = parse_native_bank(path.read_text(encoding="utf-8"), path.name)
        assert exercise_issues(batch) == [], path.name
        assert sampling_issues(batch, 200) == [], path.name


def test_every_bundled_template_carries_tests() -> None:
    data = Path(__file__).parents[2] / "data"
    for path in sorted(data.glob("*.yaml")):
        batch = parse_native_bank(path.read_text(encoding="utf-8"), path.name)
        for item in batch.notes:
            if isinstance(item.note.content, ExerciseContent):
                template = item.note.content.template
                assert template.tests, template.template_id
                assert all(test.answer for test in template.tests), template.template_id
                assert template_problems(template) == [], template.template_id
