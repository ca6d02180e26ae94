"""Template checks run on every bank before anything is written: where they point."""

from __future__ import annotations

from dataclasses import replace

from quizapp.banks.native import parse_native_bank
from quizapp.services.validation import exercise_issues

BANK = """\
quizapp_bank: 1
decks:
  - name: E
    notes:
      - id: fine
        kind: exercise
        variables:
          - {name: n, integer: [1, 3]}
        question: 'n = {n}?'
        answer: 'n'
        explanation: 'It is {answer}.'
      - id: broken
        kind: exercise
        variables:
          - {name: n, integer: [1, 3]}
        constraints: ['n > 5']
        question: 'n = {n}?'
        answer: 'n'
        explanation: 'It is {answer}.'
"""


def test_a_template_problem_points_at_the_part_at_fault() -> None:
    batch = parse_native_bank(BANK, "bank.yaml")
    issues = exercise_issues(batch)
    assert [(issue.line, issue.message.split(":")[0]) for issue in issues] == [
        (16, "template 'broken'")
    ]
    assert "constraints" in issues[0].message


def test_without_the_parts_lines_a_problem_points_at_its_note() -> None:
    # Formats that note no lines per part (Moodle's calculated questions) give the note's.
    batch = replace(parse_native_bank(BANK, "bank.yaml"), field_lines={})
    assert [issue.line for issue in exercise_issues(batch)] == [12]


def test_a_sound_bank_has_no_template_problems() -> None:
    text = BANK.split("      - id: broken")[0]
    assert exercise_issues(parse_native_bank(text, "bank.yaml")) == []
