"""The JSON Schema shipped for editors agrees with the banks QuizApp reads."""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

DATA = Path(__file__).parents[2] / "data"
TESTS_DATA = Path(__file__).parents[1] / "data"


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    text = (resources.files("quizapp") / "schemas" / "bank.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize(
    "bank",
    [*sorted(DATA.glob("*.yaml")), TESTS_DATA / "every-kind.yaml", TESTS_DATA / "small-bank.yaml"],
    ids=lambda path: path.name,
)
def test_banks_quizapp_reads_match_the_schema(
    validator: jsonschema.Draft202012Validator, bank: Path
) -> None:
    errors = [error.message for error in validator.iter_errors(yaml.safe_load(bank.read_text()))]
    assert errors == []


@pytest.mark.parametrize(
    ("note", "complaint"),
    [
        ({"front": "f"}, "'back' is a required property"),
        (
            {"kind": "multiple_choice", "question": "q", "choices": ["a"], "answer": "a"},
            "too short",
        ),
        ({"kind": "numeric", "question": "q", "answer": "55"}, "not of type 'number'"),
        ({"kind": "basic", "front": "f", "back": "b", "bogus": 1}, "'bogus' was unexpected"),
        ({"kind": "cloze", "text": "no deletion"}, "does not match"),
        (
            {"kind": "multiple_choice", "question": "q", "choices": ["a", "b"], "answer": "a"}
            | {"shuffle": "no"},
            "'no' is not of type 'boolean'",
        ),
        ({"kind": "typed", "question": "q", "answer": "a", "shuffle": False}, "unexpected"),
        (
            {
                "kind": "exercise",
                "id": "t",
                "question": "q",
                "answer": "x",
                "explanation": "e",
                "variables": [{"name": "x"}],
            },
            "does not have enough properties",
        ),
    ],
)
def test_mistakes_an_editor_should_flag(
    validator: jsonschema.Draft202012Validator, note: dict[str, object], complaint: str
) -> None:
    bank = {"quizapp_bank": 1, "decks": [{"name": "D", "notes": [note]}]}
    messages = " | ".join(error.message for error in validator.iter_errors(bank))
    for error in validator.iter_errors(bank):
        messages += " | " + " | ".join(sub.message for sub in error.context or ())
    assert complaint in messages


def test_the_documented_example_bank_reads_and_matches_the_schema(
    validator: jsonschema.Draft202012Validator,
) -> None:
    from quizapp.banks.native import parse_native_bank

    docs = (Path(__file__).parents[2] / "docs" / "bank-format.md").read_text(encoding="utf-8")
    examples = [
        block
        for block in re.findall(r"```yaml\n(.*?)```", docs, re.DOTALL)
        if block.startswith("quizapp_bank:")
    ]
    assert examples, "docs/bank-format.md has no complete example bank"
    for example in examples:
        batch = parse_native_bank(example, "bank-format.md")
        assert batch.notes
        assert batch.warnings == ()
        assert [error.message for error in validator.iter_errors(yaml.safe_load(example))] == []


@pytest.mark.parametrize("kind", ["multiple_choice", "multiple_response"])
def test_a_fixed_order_of_choices_matches_the_schema(
    validator: jsonschema.Draft202012Validator, kind: str
) -> None:
    note = {"kind": kind, "question": "q", "choices": ["a", "b"], "shuffle": False}
    note |= {"answer": "a"} if kind == "multiple_choice" else {"answers": ["a"]}
    bank = {"quizapp_bank": 1, "decks": [{"name": "D", "notes": [note]}]}

    assert [error.message for error in validator.iter_errors(bank)] == []
