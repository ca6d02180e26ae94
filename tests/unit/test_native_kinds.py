"""Every note kind in the native format, and export that imports back unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.banks import BankError, parse_native_bank
from quizapp.banks.native_export import write_native_bank
from quizapp.domain import (
    ClozeContent,
    ExerciseContent,
    MatchingContent,
    MultipleChoiceContent,
    MultipleResponseContent,
    Note,
    NoteKind,
    NumericAlternative,
    NumericContent,
    TextFormat,
    ToleranceKind,
    TrueFalseContent,
    TypedContent,
    VariableKind,
)

EVERY_KIND = Path(__file__).parents[1] / "data" / "every-kind.yaml"


def _notes() -> dict[str, Note]:
    batch = parse_native_bank(EVERY_KIND.read_text(encoding="utf-8"), "every-kind.yaml")
    return {item.note.guid.removeprefix("every-kind/"): item.note for item in batch.notes}


def test_every_kind_is_read() -> None:
    notes = _notes()
    assert {note.kind for note in notes.values()} == set(NoteKind)


def test_choice_weights_and_feedback_are_kept() -> None:
    mc = _notes()["mc"].content
    assert mc == MultipleChoiceContent(
        "Which optimizer keeps two moment estimates per parameter?",
        ("SGD", "Adam", "RMSprop", "Adagrad"),
        1,
        (0.0, 1.0, 0.5, 0.0),
        ("", "", "RMSprop keeps one.", ""),
    )
    mr = _notes()["mr"].content
    assert isinstance(mr, MultipleResponseContent)
    assert mr.weights == (0.5, 0.5, -1.0, -1.0)


def test_feedback_numeric_ranges_matching_and_cloze() -> None:
    notes = _notes()
    tf = notes["tf"].content
    assert isinstance(tf, TrueFalseContent)
    assert tf.feedback_true.startswith("No: dropout")
    numeric = notes["numeric"].content
    assert isinstance(numeric, NumericContent)
    assert numeric.alternatives == (NumericAlternative(50, 50, 0.5, "You forgot the biases."),)
    assert numeric.feedback == "Fifty weights and five biases."
    typed = notes["typed"].content
    assert isinstance(typed, TypedContent)
    assert typed.answers == ("learning rate", "lr", "step*")
    matching = notes["matching"].content
    assert isinstance(matching, MatchingContent)
    assert matching.pairs[1] == ("ReLU", "activation")
    assert matching.distractors == ("loss function",)
    cloze = notes["cloze"]
    assert isinstance(cloze.content, ClozeContent)
    assert cloze.faces == (1, 2)


def test_exercise_template_structure_is_read() -> None:
    content = _notes()["dense"].content
    assert isinstance(content, ExerciseContent)
    template = content.template
    assert template.template_id == "dense"
    kinds = {variable.name: variable.kind for variable in template.variables}
    assert kinds == {
        "in_features": VariableKind.INTEGER,
        "out_features": VariableKind.INTEGER,
        "bias": VariableKind.BOOLEAN,
        "dtype": VariableKind.CHOICE,
        "sizes": VariableKind.INTEGER_LIST,
        "rate": VariableKind.DECIMAL,
    }
    sizes = template.variables[4]
    assert (sizes.low, sizes.high, sizes.length_low, sizes.length_high) == (2, 16, 3, 4)
    assert template.variables[1].step == 2
    assert [(s.name, s.formula) for s in template.steps] == [
        ("weights", "in_features * out_features"),
        ("biases", "out_features if bias else 0"),
    ]
    assert template.tolerance_kind is ToleranceKind.RELATIVE
    assert template.multiple_choice
    assert template.distractors[0].mistake == "forgot the biases"


def test_html_notes_are_sanitized_when_read() -> None:
    note = _notes()["html-note"]
    assert note.text_format is TextFormat.HTML
    assert note.content.front == "<b>Bold</b> question"
    assert note.content.back == '<img src="diagram.png"> <i>answer</i>'


def test_export_imports_back_to_the_same_notes_and_decks() -> None:
    original = parse_native_bank(EVERY_KIND.read_text(encoding="utf-8"), "bank.yaml")
    written = write_native_bank(original.notes, "Every kind")
    again = parse_native_bank(written, "bank.yaml")
    assert [(item.deck, item.note) for item in again.notes] == [
        (item.deck, item.note) for item in original.notes
    ]


@pytest.mark.parametrize(
    ("snippet", "message"),
    [
        ("kind: matching\n        question: q\n        pairs: [[a, b]]", "needs 2 or more pairs"),
        ("kind: cloze\n        text: no deletion here", "needs a deletion"),
        (
            "kind: multiple_response\n        question: q\n        choices: [a, b]\n"
            "        answers: [c]",
            "'c' is not one of the choices",
        ),
        (
            "kind: exercise\n        question: q\n        answer: x\n        explanation: e\n"
            "        variables:\n          - {name: x, integer: [5, 1]}",
            "low ≤ high",
        ),
        (
            "kind: exercise\n        question: q\n        answer: x\n        explanation: e\n"
            "        variables:\n          - {name: x, integer: [1, 5], boolean: true}",
            "needs exactly one of",
        ),
        (
            "kind: basic\n        format: markdown\n        front: f\n        back: b",
            "plain or html",
        ),
    ],
)
def test_mistakes_in_new_kinds_are_located(snippet: str, message: str) -> None:
    text = f"quizapp_bank: 1\ndecks:\n  - name: D\n    notes:\n      - id: n1\n        {snippet}\n"
    with pytest.raises(BankError, match=message) as caught:
        parse_native_bank(text, "bad.yaml")
    assert str(caught.value).startswith("bad.yaml:")


_ORDERED = """quizapp_bank: 1
decks:
  - name: D
    notes:
      - {id: fixed, kind: multiple_choice, question: q, choices: [a, b, All of them], answer: a,
         shuffle: false}
      - {id: ticks, kind: multiple_response, question: q, choices: [a, b, c], answers: [a, b],
         shuffle: false}
      - {id: said, kind: multiple_choice, question: q, choices: [a, b], answer: b, shuffle: true}
      - {id: plain, kind: multiple_choice, question: q, choices: [a, b], answer: b}
"""


def test_shuffle_false_keeps_the_choices_in_the_written_order() -> None:
    batch = parse_native_bank(_ORDERED, "ordered.yaml")

    contents = {item.note.guid.removeprefix("ordered/"): item.note.content for item in batch.notes}
    fixed = {
        name: content.fixed_order
        for name, content in contents.items()
        if isinstance(content, MultipleChoiceContent | MultipleResponseContent)
    }
    assert fixed == {"fixed": True, "ticks": True, "said": False, "plain": False}
    assert contents["fixed"] == MultipleChoiceContent(
        "q", ("a", "b", "All of them"), 0, fixed_order=True
    )


def test_a_fixed_order_is_exported_and_imported_back() -> None:
    original = parse_native_bank(_ORDERED, "ordered.yaml")

    written = write_native_bank(original.notes, "Ordered")
    again = parse_native_bank(written, "ordered.yaml")

    assert [item.note for item in again.notes] == [item.note for item in original.notes]
    assert written.count("shuffle: false") == 2
    assert "shuffle: true" not in written


@pytest.mark.parametrize("value", ["no", "0", "'false'"])
def test_shuffle_takes_true_or_false_only(value: str) -> None:
    text = _ORDERED.replace("shuffle: true", f"shuffle: {value}")

    with pytest.raises(BankError) as caught:
        parse_native_bank(text, "ordered.yaml")

    (issue,) = caught.value.issues
    assert issue.line == 9
    assert issue.message.startswith("'shuffle' must be true or false, not ")


def test_shuffle_is_no_field_of_other_kinds() -> None:
    text = _ORDERED.replace(
        "kind: multiple_choice, question: q, choices: [a, b], answer: b}",
        "kind: typed, question: q, answer: b, shuffle: false}",
    )

    with pytest.raises(BankError, match="shuffle"):
        parse_native_bank(text, "ordered.yaml")
