"""A card's question, answer and verdict as plain text: what the terminal prints, and what the
window is to show, for every kind of note."""

from __future__ import annotations

import time

import pytest

from quizapp.banks import load_native_bank
from quizapp.domain import (
    BasicContent,
    Card,
    ClozeContent,
    ExerciseContent,
    MemoryState,
    MultipleChoiceContent,
    Note,
    NoteKind,
    NumericContent,
    Rating,
    TextFormat,
    TypedContent,
)
from quizapp.domain.answers import AnswerMode, Correctness, Verdict
from quizapp.exercises.instances import draw_instance_seeded
from quizapp.services.card_text import (
    answer_text,
    choice_texts,
    cloze_text,
    explanation_text,
    given_text,
    match_prompt_texts,
    mistake_sentence,
    note_text,
    question_text,
    verdict_title,
)
from quizapp.services.presentation import present
from quizapp.services.queue import QueueCounts
from quizapp.services.study import StudyCard
from tests.conftest import DATA, START

NOTES = {
    batch_note.note.guid.removeprefix("every-kind/"): batch_note.note
    for batch_note in load_native_bank(DATA / "every-kind.yaml").notes
}
# Far above the milliseconds the one-pass readers take.
HANG_GUARD_SECONDS = 5.0


def card_of(note: Note, face: int = 0, seed: int = 1) -> StudyCard:
    """The card ``face`` of ``note`` as a study session would put it on screen."""
    exercise = None
    if isinstance(note.content, ExerciseContent):
        exercise = draw_instance_seeded(note.content.template, seed)
    return StudyCard(
        card=Card(id=1, note_id=1, deck_id=1, face=face, memory=MemoryState.new(START)),
        note=note,
        deck_name="Kinds",
        shown_at=START,
        outcomes={},
        counts=QueueCounts(new=1, learning=0, due=0),
        presentation=present(note, seed, exercise=exercise),
        exercise=exercise,
    )


def test_a_pair_asks_its_front_and_its_reverse_asks_its_back() -> None:
    forward, reverse = card_of(NOTES["reversed"], 0), card_of(NOTES["reversed"], 1)
    assert question_text(forward) == "Bias"
    assert answer_text(forward) == "A learned offset added to a unit's weighted sum."
    assert question_text(reverse) == "A learned offset added to a unit's weighted sum."
    assert answer_text(reverse) == "Bias"


def test_the_explanation_comes_with_the_answer() -> None:
    assert explanation_text(card_of(NOTES["basic"])) == "Weights and biases are parameters."


def test_true_false_asks_the_statement_and_answers_true_or_false() -> None:
    card = card_of(NOTES["tf"])
    assert question_text(card) == "True or false?\n\nDropout has learnable parameters."
    assert choice_texts(card) == ("True", "False")
    assert answer_text(card) == "False"


def test_choices_are_listed_as_shown_and_the_answer_is_the_right_one() -> None:
    orders = {choice_texts(card_of(NOTES["mc"], seed=seed)) for seed in range(8)}
    assert len(orders) > 1  # the order shown is the presentation's, not the note's
    for order in orders:
        assert sorted(order) == ["Adagrad", "Adam", "RMSprop", "SGD"]
    assert answer_text(card_of(NOTES["mc"])) == "Adam"
    assert answer_text(card_of(NOTES["mr"])) == "weights\nbiases"


def test_a_typed_answer_lists_the_other_accepted_answers() -> None:
    assert answer_text(card_of(NOTES["typed"])) == "learning rate\nalso accepted: lr, step*"
    only = Note("g", NoteKind.TYPED, TypedContent("Q?", ("lr", "rate"), weights=(1.0, 0.5)))
    assert answer_text(card_of(only)) == "lr"


def test_a_numeric_answer_has_its_unit_and_tolerance_in_one_number_format() -> None:
    assert answer_text(card_of(NOTES["numeric"])) == "55 parameters"
    content = NumericContent("How many?", 16384.0, tolerance=0.5, unit="tokens")
    assert answer_text(card_of(Note("g", NoteKind.NUMERIC, content))) == "16,384 tokens (± 0.5)"


def test_matching_lists_its_rows_and_answers_each_pair() -> None:
    card = card_of(NOTES["matching"])
    assert question_text(card) == "Match each name to what it is."
    assert match_prompt_texts(card) == ("SGD", "ReLU", "dropout")
    assert answer_text(card) == "SGD → optimizer\nReLU → activation\ndropout → regularizer"


def test_a_cloze_hides_its_own_deletion_with_its_hint_and_fills_it_in() -> None:
    first, second = card_of(NOTES["cloze"], 1), card_of(NOTES["cloze"], 2)
    assert question_text(first) == "A […] scales an input; a bias shifts the sum."
    assert question_text(second) == "A weight scales an input; a [offset] shifts the sum."
    assert (
        answer_text(second)
        == "A weight scales an input; a [bias] shifts the sum.\nBoth are learned."
    )


def test_a_hidden_deletion_hides_those_nested_in_it() -> None:
    text = "{{c1::Adam keeps {{c2::two}} moments}} per parameter"
    assert cloze_text(text, 1, reveal=False) == "[…] per parameter"
    assert cloze_text(text, 2, reveal=False) == "Adam keeps […] moments per parameter"
    assert cloze_text(text, 2, reveal=True) == "Adam keeps [two] moments per parameter"
    assert cloze_text("{{c1::never closed", 1, reveal=False) == ""


def test_html_notes_read_as_text_with_images_named() -> None:
    card = card_of(NOTES["html-note"])
    assert question_text(card) == "Bold question"
    assert answer_text(card) == "[image] answer"
    note = Note(
        "g",
        NoteKind.BASIC,
        BasicContent('<p>One &amp; two</p><img alt="a diagram" src="d.png">', "x"),
        text_format=TextFormat.HTML,
    )
    assert question_text(card_of(note)) == "One & two\n[image: a diagram]"


def test_html_cloze_and_choices_read_as_text() -> None:
    cloze = Note(
        "g",
        NoteKind.CLOZE,
        ClozeContent("A <b>{{c1::weight}}</b> &lt; 1"),
        text_format=TextFormat.HTML,
    )
    assert question_text(card_of(cloze, 1)) == "A […] < 1"
    choices = MultipleChoiceContent("Q", ("<i>SGD</i>", "Adam &amp; co"), 0, fixed_order=True)
    mc = Note("g", NoteKind.MULTIPLE_CHOICE, choices, text_format=TextFormat.HTML)
    assert choice_texts(card_of(mc)) == ("SGD", "Adam & co")


def test_an_exercise_shows_its_drawn_question_answer_and_worked_solution() -> None:
    card = card_of(NOTES["dense"], seed=3)
    assert card.exercise is not None
    assert card.mode is AnswerMode.PICK
    values = card.exercise.variables
    assert question_text(card) == (
        f"Parameters of nn.Linear({values['in_features']}, {values['out_features']}, "
        f"bias={values['bias']})?"
    )
    assert answer_text(card) == card.exercise.expected
    assert answer_text(card).endswith(" parameters")
    assert explanation_text(card).endswith(f"= {card.exercise.answer}.")
    assert choice_texts(card) == tuple(choice.label for choice in card.exercise.choices)


@pytest.mark.parametrize("front", ["<img " * 20_000, "<img " * 20_000 + ">", '<img alt="' * 20_000])
def test_many_image_tags_read_at_once(front: str) -> None:
    note = Note("g", NoteKind.BASIC, BasicContent(front, "x"), text_format=TextFormat.HTML)
    started = time.monotonic()
    note_text(note, front)
    assert time.monotonic() - started < HANG_GUARD_SECONDS


@pytest.mark.parametrize(
    ("correctness", "credit", "title"),
    [
        (Correctness.RIGHT, None, "✓ Correct"),
        (Correctness.PARTLY, 0.5, "◐ Partly right (50%)"),
        (Correctness.PARTLY, 2 / 3, "◐ Partly right (67%)"),
        (Correctness.WRONG, 0.0, "✗ Not quite"),
    ],
)
def test_verdict_titles(correctness: Correctness, credit: float | None, title: str) -> None:
    verdict = Verdict(correctness, Rating.AGAIN, "x", "y", credit=credit)
    assert verdict_title(verdict) == title


def test_a_verdict_says_what_was_noticed_and_names_the_mistake() -> None:
    high = Verdict(Correctness.WRONG, Rating.AGAIN, "5,000", "55", note="too high")
    assert given_text(high) == "5,000 — too high"
    assert mistake_sentence(high) == ""
    empty = Verdict(Correctness.WRONG, Rating.AGAIN, "", "55")
    assert given_text(empty) == "(no answer)"
    biases = Verdict(Correctness.WRONG, Rating.AGAIN, "50", "55", mistake="forgot the biases")
    assert mistake_sentence(biases) == "That is what you get if you forgot the biases."
