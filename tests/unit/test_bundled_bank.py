"""The bank shipped with the app: it loads, it is big enough, and its facts are right."""

from __future__ import annotations

import re
from collections import Counter
from itertools import pairwise
from pathlib import Path

import pytest

from quizapp.banks import load_native_bank
from quizapp.domain import (
    BasicContent,
    ImportBatch,
    MultipleChoiceContent,
    Note,
    NoteKind,
    NumericContent,
    TrueFalseContent,
    TypedContent,
)

BUNDLED_BANK = Path(__file__).parents[2] / "data" / "ml-parameters.yaml"
DENSE_QUESTION = re.compile(r"dense layer with ([\d,]+) inputs and ([\d,]+) outputs", re.IGNORECASE)
MLP_QUESTION = re.compile(r"layer widths (\d+(?:\s*→\s*\d+)+)", re.IGNORECASE)
CONV_QUESTION = re.compile(
    r"Conv2d layer with (\d+) input channels, (\d+) output channels, "
    r"an? (\d+) × (\d+) kernel and (bias|no bias)",
    re.IGNORECASE,
)
ORIGIN_OF_RESNET = re.compile(r"ResNet.*\b(developed|introduced|made|created) by", re.DOTALL)
ACTIVATION_LEARNED = re.compile(r"activation function.*\b(learned|learnable)", re.DOTALL)
NO_BIAS = re.compile(r"\b(no|without) bias", re.IGNORECASE)


@pytest.fixture(scope="module")
def bank() -> ImportBatch:
    return load_native_bank(BUNDLED_BANK)


@pytest.fixture(scope="module")
def notes(bank: ImportBatch) -> list[Note]:
    return [batch_note.note for batch_note in bank.notes]


def note_text(note: Note) -> str:
    """Everything a learner can read on the note's cards, explanation included."""
    content = note.content
    if isinstance(content, BasicContent):
        parts = [content.front, content.back]
    elif isinstance(content, TrueFalseContent):
        parts = [content.statement]
    elif isinstance(content, MultipleChoiceContent):
        parts = [content.question, *content.choices]
    elif isinstance(content, TypedContent):
        parts = [content.question, *content.answers]
    else:
        parts = [content.question, str(content.answer), content.unit]
    return " ".join([*parts, note.explanation])


def number(text: str) -> int:
    return int(text.replace(",", ""))


def sentences(text: str) -> list[str]:
    return [part for part in re.split(r"(?<=[.!?])\s+", text.strip()) if part]


def test_bundled_bank_loads_without_issues(bank: ImportBatch) -> None:
    assert bank.warnings == ()
    assert all(batch_note.deck.startswith("ML Parameters::") for batch_note in bank.notes)


def test_bundled_bank_has_at_least_sixty_notes(notes: list[Note]) -> None:
    assert len(notes) >= 60


# The mix of card kinds the bundled deck promises its learners.
PROMISED_KINDS = (
    NoteKind.BASIC,
    NoteKind.BASIC_REVERSED,
    NoteKind.TRUE_FALSE,
    NoteKind.MULTIPLE_CHOICE,
    NoteKind.TYPED,
    NoteKind.NUMERIC,
)


def test_bundled_bank_has_at_least_five_notes_of_every_promised_kind(notes: list[Note]) -> None:
    counts = Counter(note.kind for note in notes)
    assert {kind: counts[kind] for kind in PROMISED_KINDS if counts[kind] < 5} == {}


def test_bundled_bank_ids_are_written_out_not_derived(notes: list[Note]) -> None:
    assert [note.guid for note in notes if note.guid.startswith("h-")] == []


def test_every_note_explains_its_answer_in_one_to_three_sentences(notes: list[Note]) -> None:
    for note in notes:
        assert 1 <= len(sentences(note.explanation)) <= 3, note.guid
        assert note.explanation.endswith((".", "!", "?")), note.guid


def test_a_card_teaches_bert_large_has_340_million_parameters_from_google(
    notes: list[Note],
) -> None:
    teaching = [
        note
        for note in notes
        if all(fact in note_text(note) for fact in ("BERT-large", "340 million", "Google"))
    ]
    assert teaching
    for note in notes:
        content = note.content
        if isinstance(content, MultipleChoiceContent) and "BERT-large" in content.question:
            assert "340 million" in content.choices[content.correct], note.guid
        if isinstance(content, TrueFalseContent) and "BERT-large" in content.statement:
            assert content.answer is ("340 million" in content.statement), note.guid


def test_a_card_teaches_resnet50_has_25_6_million_parameters_from_microsoft(
    notes: list[Note],
) -> None:
    teaching = [
        note
        for note in notes
        if all(fact in note_text(note) for fact in ("ResNet-50", "25.6", "Microsoft"))
    ]
    assert teaching
    for note in notes:
        content = note.content
        if isinstance(content, MultipleChoiceContent) and "introduced ResNet" in content.question:
            assert "Microsoft" in content.choices[content.correct], note.guid
        if isinstance(content, TrueFalseContent) and ORIGIN_OF_RESNET.search(content.statement):
            assert content.answer is ("Microsoft" in content.statement), note.guid


def test_a_card_teaches_parameter_count_does_not_grow_exponentially_with_depth(
    notes: list[Note],
) -> None:
    denials = [
        note
        for note in notes
        if isinstance(note.content, TrueFalseContent)
        and "exponential" in note.content.statement
        and re.search(r"layers|depth", note.content.statement)
        and note.content.answer is False
    ]
    assert denials
    assert any("linear" in note.explanation for note in denials)
    for note in notes:
        content = note.content
        if isinstance(content, MultipleChoiceContent):
            assert "raised to the number of layers" not in content.choices[content.correct]


def test_a_card_teaches_activation_functions_are_not_learned(notes: list[Note]) -> None:
    denials = [
        note
        for note in notes
        if isinstance(note.content, TrueFalseContent)
        and "activation function" in note.content.statement
        and "learned parameter" in note.content.statement
        and note.content.answer is False
    ]
    assert denials
    for note in notes:
        content = note.content
        if isinstance(content, TrueFalseContent) and ACTIVATION_LEARNED.search(content.statement):
            assert content.answer is False, note.guid


def numeric_notes(notes: list[Note]) -> list[tuple[str, NumericContent]]:
    return [(note.guid, note.content) for note in notes if isinstance(note.content, NumericContent)]


def test_dense_layer_counts_are_inputs_times_outputs_plus_biases(notes: list[Note]) -> None:
    checked = 0
    for guid, content in numeric_notes(notes):
        match = DENSE_QUESTION.search(content.question)
        if match is None:
            continue
        inputs, outputs = number(match[1]), number(match[2])
        biases = 0 if NO_BIAS.search(content.question) else outputs
        assert content.answer == inputs * outputs + biases, guid
        checked += 1
    assert checked >= 1, "no numeric note asks about 'a dense layer with N inputs and M outputs'"


def test_mlp_counts_add_up_their_dense_layers(notes: list[Note]) -> None:
    checked = 0
    for guid, content in numeric_notes(notes):
        match = MLP_QUESTION.search(content.question)
        if match is None:
            continue
        widths = [int(width) for width in re.findall(r"\d+", match[1])]
        expected = sum(n_in * n_out + n_out for n_in, n_out in pairwise(widths))
        assert content.answer == expected, guid
        checked += 1
    assert checked >= 1


def test_conv_counts_are_kernel_times_channels_plus_biases(notes: list[Note]) -> None:
    checked = 0
    for guid, content in numeric_notes(notes):
        match = CONV_QUESTION.search(content.question.replace("\n", " "))
        if match is None:
            continue
        c_in, c_out, k_h, k_w = (int(match[i]) for i in range(1, 5))
        biases = 0 if match[5].lower() == "no bias" else c_out
        assert content.answer == k_h * k_w * c_in * c_out + biases, guid
        checked += 1
    assert checked >= 2


def test_the_modern_models_deck_holds_at_least_forty_notes(bank: ImportBatch) -> None:
    modern = [item for item in bank.notes if item.deck == "ML Parameters::Modern models"]
    assert len(modern) >= 40


def test_no_card_states_a_size_for_gpt4(notes: list[Note]) -> None:
    for note in notes:
        content = note.content
        if isinstance(content, MultipleChoiceContent) and "GPT-4" in content.question:
            right = content.choices[content.correct]
            assert not re.search(r"\d", right), note.guid
            assert "not disclosed" in right
        text = note_text(note).replace("GPT-4", "")
        if "GPT-4" in note_text(note) and not isinstance(content, MultipleChoiceContent):
            assert not re.search(r"\d", text), note.guid


def test_facebook_is_offered_as_the_wrong_origin_of_resnet(notes: list[Note]) -> None:
    offered = [
        note
        for note in notes
        if isinstance(note.content, MultipleChoiceContent)
        and "introduced ResNet" in note.content.question
        and "Facebook AI Research" in note.content.choices
    ]
    assert offered
    for note in offered:
        content = note.content
        assert isinstance(content, MultipleChoiceContent)
        assert content.choices[content.correct] == "Microsoft Research"
