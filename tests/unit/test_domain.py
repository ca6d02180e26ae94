"""Domain values: note content as stored, the cards a note makes, the kind of a review."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizapp.domain import (
    BasicContent,
    BatchNote,
    CardState,
    ClozeContent,
    Deck,
    DeckCounts,
    Distractor,
    ExerciseContent,
    ExerciseTemplate,
    ImportBatch,
    ImportIssue,
    MatchingContent,
    MemoryState,
    MultipleChoiceContent,
    MultipleResponseContent,
    Note,
    NoteContent,
    NoteKind,
    NumericAlternative,
    NumericContent,
    Rating,
    ReviewKind,
    Step,
    ToleranceKind,
    TrueFalseContent,
    TypedContent,
    Variable,
    VariableKind,
    card_faces,
)
from quizapp.domain.notes import content_from_fields, content_guid, content_to_fields, content_type

BASIC = BasicContent("What is a parameter?", "A learned value.")
ONE_OF_EACH: dict[NoteKind, NoteContent] = {
    NoteKind.BASIC: BASIC,
    NoteKind.BASIC_REVERSED: BasicContent("Weight", "A learned number that scales one input."),
    NoteKind.TRUE_FALSE: TrueFalseContent("Dropout has learnable parameters.", False),
    NoteKind.MULTIPLE_CHOICE: MultipleChoiceContent("Optimizer?", ("SGD", "Adam", "L-BFGS"), 1),
    NoteKind.TYPED: TypedContent("Step scale?", ("learning rate", "lr")),
    NoteKind.NUMERIC: NumericContent(
        "Dense 10→5?", 55.0, 0.5, "parameters", (NumericAlternative(50, 60, 0.5, "close"),)
    ),
    NoteKind.MULTIPLE_RESPONSE: MultipleResponseContent(
        "Which are learned?", ("weights", "biases", "batch size"), (0.5, 0.5, -1.0)
    ),
    NoteKind.MATCHING: MatchingContent(
        "Match", (("SGD", "optimizer"), ("ReLU", "activation")), ("loss",)
    ),
    NoteKind.CLOZE: ClozeContent("A {{c1::weight}} scales an {{c2::input::what?}}."),
    NoteKind.EXERCISE: ExerciseContent(
        ExerciseTemplate(
            template_id="dense",
            question="Dense {in_features} → {out_features}?",
            answer="weights + out_features",
            explanation="{weights} weights",
            variables=(
                Variable("in_features", VariableKind.INTEGER, 1, 64, 1),
                Variable("bias", VariableKind.CHOICE, choices=(True, False)),
            ),
            constraints=("in_features > 1",),
            steps=(Step("weights", "in_features * out_features"),),
            tolerance=0.5,
            tolerance_kind=ToleranceKind.RELATIVE,
            distractors=(Distractor("weights", "forgot the biases"),),
        )
    ),
}
_TEXT = st.text(max_size=40)
_TEXTS = st.lists(_TEXT, min_size=1, max_size=5).map(tuple)
_NUMBER = st.floats(allow_nan=False, allow_infinity=False)
_CONTENT = st.one_of(
    st.tuples(
        st.sampled_from([NoteKind.BASIC, NoteKind.BASIC_REVERSED]),
        st.builds(BasicContent, _TEXT, _TEXT),
    ),
    st.tuples(st.just(NoteKind.TRUE_FALSE), st.builds(TrueFalseContent, _TEXT, st.booleans())),
    st.tuples(
        st.just(NoteKind.MULTIPLE_CHOICE),
        st.builds(MultipleChoiceContent, _TEXT, _TEXTS, st.integers(0, 4)),
    ),
    st.tuples(st.just(NoteKind.TYPED), st.builds(TypedContent, _TEXT, _TEXTS)),
    st.tuples(
        st.just(NoteKind.NUMERIC),
        st.builds(NumericContent, _TEXT, _NUMBER, _NUMBER.map(abs), _TEXT),
    ),
)


def through_json(fields: dict[str, object]) -> dict[str, object]:
    """The fields as they come back from the database's JSON column."""
    loaded: dict[str, object] = json.loads(json.dumps(fields))
    return loaded


@pytest.mark.parametrize("kind", list(NoteKind))
def test_content_round_trips_through_stored_fields_for_every_kind(kind: NoteKind) -> None:
    content = ONE_OF_EACH[kind]
    restored = content_from_fields(kind, through_json(content_to_fields(content)))
    assert restored == content
    assert type(restored) is content_type(kind)


@given(_CONTENT)
def test_any_content_round_trips_through_json_fields(
    kind_and_content: tuple[NoteKind, NoteContent],
) -> None:
    kind, content = kind_and_content
    assert content_from_fields(kind, through_json(content_to_fields(content))) == content


def test_stored_fields_are_named_as_in_the_content() -> None:
    fields = content_to_fields(ONE_OF_EACH[NoteKind.MULTIPLE_CHOICE])
    assert fields == {
        "question": "Optimizer?",
        "choices": ["SGD", "Adam", "L-BFGS"],
        "correct": 1,
        "weights": [],
        "feedback": [],
        "fixed_order": False,
    }


def test_content_guid_is_stable_and_depends_on_kind_and_content() -> None:
    content = BASIC
    guid = content_guid(NoteKind.BASIC, content)
    assert guid == content_guid(NoteKind.BASIC, BasicContent(content.front, content.back))
    assert guid.startswith("h-")
    assert len(guid) == 22
    assert guid != content_guid(NoteKind.BASIC_REVERSED, content)
    assert guid != content_guid(NoteKind.BASIC, BasicContent(content.front, content.back + "!"))


def test_content_guids_of_different_notes_differ() -> None:
    guids = {content_guid(kind, content) for kind, content in ONE_OF_EACH.items()}
    assert len(guids) == len(ONE_OF_EACH)


@pytest.mark.parametrize("kind", list(NoteKind))
def test_reversed_notes_make_two_cards_and_cloze_notes_one_per_deletion(kind: NoteKind) -> None:
    expected = {NoteKind.BASIC_REVERSED: (0, 1), NoteKind.CLOZE: (1, 2)}.get(kind, (0,))
    assert card_faces(kind, ONE_OF_EACH[kind]) == expected


def test_cloze_faces_are_the_distinct_deletion_numbers() -> None:
    content = ClozeContent("{{c3::a}} {{c1::b}} {{c3::c}} {{c10::d::hint}} {c2::not one}")
    assert card_faces(NoteKind.CLOZE, content) == (1, 3, 10)


@pytest.mark.parametrize(
    ("state", "kind"),
    [
        (CardState.NEW, ReviewKind.LEARNING),
        (CardState.LEARNING, ReviewKind.LEARNING),
        (CardState.REVIEW, ReviewKind.REVIEW),
        (CardState.RELEARNING, ReviewKind.RELEARNING),
    ],
)
def test_review_kind_follows_the_state_the_card_was_in(state: CardState, kind: ReviewKind) -> None:
    assert ReviewKind.of(state) is kind


def test_rating_labels_and_keys_match_the_grade_buttons() -> None:
    assert [(int(rating), rating.label) for rating in Rating] == [
        (1, "Again"),
        (2, "Hard"),
        (3, "Good"),
        (4, "Easy"),
    ]


def test_new_memory_state_has_no_history() -> None:
    due = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)
    memory = MemoryState.new(due)
    assert memory.state is CardState.NEW
    assert memory.due == due
    assert (memory.step, memory.stability, memory.difficulty, memory.last_review) == (
        None,
        None,
        None,
        None,
    )


def test_deck_levels_come_from_double_colons() -> None:
    deck = Deck(id=1, name="ML Parameters::Counting::Dense", preset_id=1)
    assert deck.depth == 2
    assert deck.leaf_name == "Dense"
    assert Deck(id=2, name="Top", preset_id=1).depth == 0


def test_deck_counts_total_is_what_a_session_started_now_shows() -> None:
    deck = Deck(id=1, name="D", preset_id=1)
    assert DeckCounts(deck, cards=50, new=5, learning=2, due=7).total_now == 14


def test_import_batch_lists_decks_in_first_seen_order() -> None:
    def batch_note(deck: str, guid: str) -> BatchNote:
        return BatchNote(Note(guid, NoteKind.BASIC, BasicContent("f", "b")), deck)

    batch = ImportBatch(
        "bank.yaml", (batch_note("B", "1"), batch_note("A", "2"), batch_note("B", "3"))
    )
    assert batch.deck_names == ("B", "A")


def test_import_issue_reads_as_file_line_message() -> None:
    assert str(ImportIssue("bank.yaml", 12, "unknown kind 'x'")) == "bank.yaml:12: unknown kind 'x'"


def test_content_ids_of_banks_without_ids_stay_those_of_earlier_releases() -> None:
    # A choice note hashed before ``fixed_order`` existed keeps its id, so that
    # re-importing a GIFT file without ids updates its notes instead of doubling them.
    content = ONE_OF_EACH[NoteKind.MULTIPLE_CHOICE]
    assert (
        content_guid(NoteKind.MULTIPLE_CHOICE, content)
        == "h-"
        + hashlib.sha256(
            json.dumps(
                [
                    "multiple_choice",
                    {
                        "question": "Optimizer?",
                        "choices": ["SGD", "Adam", "L-BFGS"],
                        "correct": 1,
                        "weights": [],
                        "feedback": [],
                    },
                ],
                sort_keys=True,
            ).encode()
        ).hexdigest()[:20]
    )
    fixed = replace(content, fixed_order=True)
    assert content_guid(NoteKind.MULTIPLE_CHOICE, fixed) != content_guid(
        NoteKind.MULTIPLE_CHOICE, content
    )


def test_a_note_whose_kind_disagrees_with_its_content_is_refused() -> None:
    with pytest.raises(ValueError, match="multiple_choice note holds"):
        Note("g", NoteKind.MULTIPLE_CHOICE, BasicContent("a", "b"))
    with pytest.raises(ValueError, match="basic note holds"):
        Note("g", NoteKind.BASIC, ONE_OF_EACH[NoteKind.MULTIPLE_CHOICE])
