"""The native YAML bank: what a teacher writes, what the app reads, and how it complains."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp.banks import BankError, load_native_bank, parse_native_bank
from quizapp.domain import (
    BasicContent,
    ImportBatch,
    MultipleChoiceContent,
    NoteKind,
    NumericContent,
    TrueFalseContent,
    TypedContent,
)
from quizapp.errors import UserError

EVERY_KIND = """\
quizapp_bank: 1
title: Every kind
decks:
  - name: "ML::Concepts"
    notes:
      - id: basic-param
        front: What is a model parameter?
        back: A value learned from data.
        explanation: Weights and biases are parameters.
        tags: [concepts, learned values]
      - id: reversed-weight
        kind: basic_reversed
        front: Weight
        back: A learned number that scales one input.
      - id: tf-activation
        kind: true_false
        statement: The activation function is a learned parameter.
        answer: false
  - name: "ML::Counting"
    notes:
      - id: mc-adam
        kind: multiple_choice
        question: Which optimizer keeps two moment estimates?
        choices: [SGD, Adam, L-BFGS]
        answer: Adam
      - id: typed-lr
        kind: typed
        question: Which hyperparameter scales each step?
        answer: learning rate
        also_accept: [lr, step size]
      - id: num-dense
        kind: numeric
        question: Dense layer, 10 inputs and 5 outputs?
        answer: 55
        tolerance: 0.5
        unit: parameters
"""
BASIC = ("What is a model parameter?", "A value learned from data.")
REVERSED = ("Weight", "A learned number that scales one input.")
STATEMENT = ("The activation function is a learned parameter.", False)
CHOICE = ("Which optimizer keeps two moment estimates?", ("SGD", "Adam", "L-BFGS"), 1)
TYPED = ("Which hyperparameter scales each step?", ("learning rate", "lr", "step size"))
NUMERIC = ("Dense layer, 10 inputs and 5 outputs?", 55.0, 0.5, "parameters")

# Line numbers below are those of this text; each mistake is marked by its line.
MISTAKES = """\
quizapp_bank: 1
decks:
  - name: Broken
    notes:
      - id: a
        kind: flashcard
        front: Q
      - id: b
        kind: multiple_choice
        question: Which?
        choices: [one, two]
        answer: three
      - id: c
        kind: numeric
        question: How many?
        answer: fifty-five
      - id: d
        front: Q
        back: A
        hint: no such field
      - id: e
        front: Q1
        back: A1
      - id: e
        front: Q2
        back: A2
      - id: f
        back: no front
"""
MISTAKE_LINES = {
    6: "unknown kind 'flashcard'",
    12: "the answer 'three' is not one of the choices",
    16: "'answer' must be a number",
    20: "unknown field 'hint'",
    24: "id 'e' is used twice (first on line 21)",
    27: "missing field 'front'",
}


def one_note_bank(note: str) -> str:
    """A bank with one deck holding one note, written as indented YAML lines."""
    first, *rest = note.strip().splitlines()
    lines = ["      - " + first, *("        " + line for line in rest)]
    return "quizapp_bank: 1\ndecks:\n  - name: Deck\n    notes:\n" + "\n".join(lines) + "\n"


def bank_issues(text: str) -> list[str]:
    with pytest.raises(BankError) as raised:
        parse_native_bank(text, "bank.yaml")
    return [str(issue) for issue in raised.value.issues]


def test_every_kind_parses_to_its_content_and_deck() -> None:
    batch = parse_native_bank(EVERY_KIND, "bank.yaml")
    assert {n.note.guid: (n.note.kind, n.note.content, n.deck) for n in batch.notes} == {
        "bank/basic-param": (NoteKind.BASIC, BasicContent(*BASIC), "ML::Concepts"),
        "bank/reversed-weight": (NoteKind.BASIC_REVERSED, BasicContent(*REVERSED), "ML::Concepts"),
        "bank/tf-activation": (NoteKind.TRUE_FALSE, TrueFalseContent(*STATEMENT), "ML::Concepts"),
        "bank/mc-adam": (NoteKind.MULTIPLE_CHOICE, MultipleChoiceContent(*CHOICE), "ML::Counting"),
        "bank/typed-lr": (NoteKind.TYPED, TypedContent(*TYPED), "ML::Counting"),
        "bank/num-dense": (NoteKind.NUMERIC, NumericContent(*NUMERIC), "ML::Counting"),
    }
    basic = batch.notes[0].note
    assert basic.explanation == "Weights and biases are parameters."
    assert basic.tags == ("concepts", "learned_values")
    assert batch.deck_names == ("ML::Concepts", "ML::Counting")
    assert all(batch_note.note.source == "bank.yaml" for batch_note in batch.notes)


def test_each_note_remembers_its_line() -> None:
    batch = parse_native_bank(EVERY_KIND, "bank.yaml")
    assert [batch_note.line for batch_note in batch.notes] == [6, 11, 15, 21, 26, 31]


def test_missing_id_gets_a_guid_derived_from_content() -> None:
    text = one_note_bank("front: What is a bias?\nback: A learned offset.")
    first = parse_native_bank(text, "bank.yaml").notes[0].note.guid
    again = parse_native_bank(text, "other.yaml").notes[0].note.guid
    edited = parse_native_bank(text.replace("offset", "shift"), "bank.yaml").notes[0].note.guid
    assert first.startswith("h-")
    assert first == again
    assert edited != first


def test_same_content_without_ids_twice_is_reported_as_duplicate() -> None:
    text = one_note_bank("front: Q\nback: A") + "      - front: Q\n        back: A\n"
    issues = bank_issues(text)
    assert len(issues) == 1
    assert re.fullmatch(
        r"bank\.yaml:7: id 'h-[0-9a-f]{20}' is used twice \(first on line 5\)", issues[0]
    )


def test_bank_with_many_mistakes_reports_all_of_them_in_line_order() -> None:
    with pytest.raises(BankError) as raised:
        parse_native_bank(MISTAKES, "bank.yaml")
    issues = raised.value.issues
    assert [issue.line for issue in issues] == sorted(MISTAKE_LINES)
    for issue, (line, words) in zip(issues, sorted(MISTAKE_LINES.items()), strict=True):
        assert issue.file == "bank.yaml"
        assert str(issue).startswith(f"bank.yaml:{line}: ")
        assert words in issue.message
    assert str(raised.value) == "\n".join(str(issue) for issue in issues)
    assert isinstance(raised.value, UserError)


def test_nothing_is_returned_from_a_bank_with_one_bad_note() -> None:
    text = EVERY_KIND.replace("answer: 55", "answer: lots")
    assert bank_issues(text) == ["bank.yaml:34: 'answer' must be a number, not 'lots'"]


@pytest.mark.parametrize(
    ("note", "message"),
    [
        ("kind: true_false\nstatement: S\nanswer: maybe", "'answer' must be true or false"),
        ("kind: multiple_choice\nquestion: Q\nchoices: [only]\nanswer: only", "2 to 9 choices"),
        ("kind: multiple_choice\nquestion: Q\nchoices: [a, a]\nanswer: a", "same text"),
        ("kind: numeric\nquestion: Q\nanswer: 1\ntolerance: -1", "cannot be negative"),
        ("kind: typed\nquestion: Q\nanswer: x\nalso_accept: y", "'also_accept' must be a list"),
        ("front: [a, b]\nback: B", "'front' must be text"),
        ("front: '  '\nback: B", "'front' is empty"),
    ],
)
def test_bad_field_values_are_reported(note: str, message: str) -> None:
    issues = bank_issues(one_note_bank(note))
    assert len(issues) == 1
    assert issues[0].startswith("bank.yaml:")
    assert message in issues[0]


def test_invalid_yaml_is_reported_with_its_line() -> None:
    text = "quizapp_bank: 1\ndecks:\n  - name: [unclosed\n    notes: []\n  - name: x: y\n"
    issues = bank_issues(text)
    assert len(issues) == 1
    assert re.match(r"bank\.yaml:[3-5]: not valid YAML", issues[0])


def test_invalid_yaml_on_a_late_line_points_there() -> None:
    text = EVERY_KIND + "  - name: x: y\n"
    assert bank_issues(text)[0].startswith(f"bank.yaml:{EVERY_KIND.count(chr(10)) + 1}: ")


def test_invalid_utf8_file_is_reported_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "bank.yaml"
    path.write_bytes(b"quizapp_bank: 1\ndecks:\n  - name: caf\xe9\n    notes: []\n")
    with pytest.raises(BankError) as raised:
        load_native_bank(path)
    [issue] = raised.value.issues
    assert (issue.file, issue.line) == (str(path), 3)
    assert "UTF-8" in issue.message


def test_bank_file_with_bom_loads(tmp_path: Path) -> None:
    path = tmp_path / "bank.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + EVERY_KIND.encode("utf-8"))
    batch = load_native_bank(path)
    assert len(batch.notes) == 6
    assert batch.source == str(path)


def test_missing_file_is_a_bank_error(tmp_path: Path) -> None:
    with pytest.raises(BankError, match="cannot read"):
        load_native_bank(tmp_path / "absent.yaml")


def test_missing_format_line_says_it_is_not_a_quizapp_bank() -> None:
    issues = bank_issues("title: Something\ndecks: []\n")
    assert issues == ["bank.yaml:1: not a QuizApp bank: the 'quizapp_bank: 1' line is missing"]


def test_unsupported_version_is_reported_on_its_line() -> None:
    issues = bank_issues("# made by a newer QuizApp\nquizapp_bank: 2\ndecks: []\n")
    assert len(issues) == 1
    assert issues[0].startswith("bank.yaml:2: unsupported bank version 2")


@pytest.mark.parametrize("text", ["", "# only a comment\n", "[1, 2]\n", "just text\n"])
def test_empty_or_non_mapping_file_is_a_bank_error(text: str) -> None:
    assert len(bank_issues(text)) == 1


def test_explicit_yaml_tag_on_a_value_is_a_bank_error() -> None:
    assert bank_issues(one_note_bank("front: !!int abc\nback: B"))


def test_numeric_answer_that_is_not_finite_is_a_bank_error() -> None:
    assert bank_issues(one_note_bank("kind: numeric\nquestion: Q\nanswer: .nan"))


def parse_or_bank_error(text: str) -> None:
    """The one contract with callers: an ImportBatch, or a BankError and nothing else."""
    try:
        batch = parse_native_bank(text, "bank.yaml")
    except BankError as error:
        issues = error.issues
    else:
        assert isinstance(batch, ImportBatch)
        return
    assert issues
    assert all(issue.line >= 1 and str(issue).startswith("bank.yaml:") for issue in issues)


@given(st.text())
def test_arbitrary_text_gives_a_batch_or_a_bank_error(text: str) -> None:
    parse_or_bank_error(text)


_MUTATION_TEXT = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=12)


@st.composite
def mutated_banks(draw: st.DrawFn) -> str:
    """The valid bank with a few random insertions, deletions and line swaps."""
    text = EVERY_KIND
    for _ in range(draw(st.integers(1, 4))):
        lines = text.splitlines(keepends=True)
        action = draw(st.sampled_from(["insert", "delete", "swap lines", "drop line"]))
        at = draw(st.integers(0, len(text)))
        if action == "insert":
            text = text[:at] + draw(_MUTATION_TEXT | st.sampled_from(YAML_PIECES)) + text[at:]
        elif action == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 20)) :]
        elif lines:
            i = draw(st.integers(0, len(lines) - 1))
            j = draw(st.integers(0, len(lines) - 1))
            if action == "swap lines":
                lines[i], lines[j] = lines[j], lines[i]
            else:
                del lines[i]
            text = "".join(lines)
    return text


YAML_PIECES = [": ", "- ", "\n  ", "[", "]", "{", "}", "&a ", "*a", "~", "null", "'", '"', "#"]


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_banks())
def test_mutated_bank_gives_a_batch_or_a_bank_error(text: str) -> None:
    parse_or_bank_error(text)


def test_a_field_given_twice_is_reported_with_both_lines() -> None:
    text = (
        "quizapp_bank: 1\n"
        "decks:\n"
        "  - name: D\n"
        "    notes:\n"
        "      - front: first\n"
        "        back: b\n"
        "        front: second\n"
    )
    with pytest.raises(BankError) as caught:
        parse_native_bank(text, "twice.yaml")
    assert [str(issue) for issue in caught.value.issues] == [
        "twice.yaml:7: field 'front' is given twice (first on line 5)"
    ]


def test_version_must_be_the_number_one_not_true() -> None:
    with pytest.raises(BankError, match="unsupported bank version True"):
        parse_native_bank("quizapp_bank: true\ndecks: []\n", "v.yaml")


def test_note_ids_are_scoped_by_their_bank() -> None:
    text = "quizapp_bank: 1\ndecks:\n  - name: D\n    notes:\n      - {id: q1, front: f, back: b}\n"
    assert parse_native_bank(text, "/any/where/physics.yaml").notes[0].note.guid == "physics/q1"
    named = text.replace("decks:", "id: course-101\ndecks:")
    assert parse_native_bank(named, "renamed.yaml").notes[0].note.guid == "course-101/q1"
    full = text.replace("id: q1", "id: other/q1")
    assert parse_native_bank(full, "physics.yaml").notes[0].note.guid == "other/q1"
